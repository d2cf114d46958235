/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Live packets through libkcapdecode: a tree, one line (-q), a hex dump
 * (-x) or JSON (-T json), with the device's name and the direction.
 */
#ifndef KCAPDUMP_SHOW_H
#define KCAPDUMP_SHOW_H

#include <stdio.h>

#include "decode.h"

struct kd_show {
	struct kcap_dec_opts o;
};

void kd_show_packet(struct kd_show *s, FILE *out, const struct kcap_packet *p);

#endif /* KCAPDUMP_SHOW_H */
