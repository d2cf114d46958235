/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAPDUMP_PRINT_H
#define KCAPDUMP_PRINT_H

#include <stdio.h>

#include "kcap.h"

/* One line per packet, in the manner of tcpdump -q. */
void print_packet(FILE *fp, const struct kcap_pkthdr *h, const uint8_t *data);

#endif /* KCAPDUMP_PRINT_H */
