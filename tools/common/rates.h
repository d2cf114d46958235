/* SPDX-License-Identifier: GPL-2.0 */
/* Per-interval rates from two samples of the kernel's counters. */
#ifndef KCAP_RATES_H
#define KCAP_RATES_H

#include <stdio.h>

#include "libkcap.h"

void rates_header(FILE *fp);
void rates_print(FILE *fp, const struct kcap_stat_snap *prev,
		 const struct kcap_stat_snap *cur, double fallback_secs);
void human_number(double v, char *buf, size_t len);

#endif /* KCAP_RATES_H */
