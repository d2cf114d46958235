/* SPDX-License-Identifier: GPL-2.0 */
/* Per-interval rates from two samples of the kernel's counters. */
#ifndef KCAP_RATES_H
#define KCAP_RATES_H

#include <stdint.h>
#include <stdio.h>

#include "libkcap.h"

void rates_header(FILE *fp);
void rates_print(FILE *fp, const struct kcap_stat_snap *prev,
		 const struct kcap_stat_snap *cur, double fallback_secs);
void human_number(double v, char *buf, size_t len);
/*
 * The header, then a row set every secs until count intervals (0: no
 * limit) or cli_stop. 0, or -1 with kcap_geterr() saying why.
 */
int rates_watch(FILE *fp, struct kcap *k, const char *session,
		unsigned int secs, uint64_t count);

#endif /* KCAP_RATES_H */
