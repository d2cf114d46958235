// SPDX-License-Identifier: GPL-2.0
/* Live packets printed by libkcapdecode; see show.h. */
#include "show.h"

void kd_show_packet(struct kd_show *s, FILE *out, const struct kcap_packet *p)
{
	kcap_decode_print(out, p, &s->o);
}
