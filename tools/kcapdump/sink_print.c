// SPDX-License-Identifier: GPL-2.0
/* The printing sink; see sink_print.h. */
#include <errno.h>
#include <stdio_ext.h>
#include <stdlib.h>

#include "sink_print.h"

struct print_sink {
	struct kd_sink s;
	FILE *out;
	const struct kcap_dec_opts *o;
};

/* A stream that failed: -EPIPE when its reader went away. */
static int stream_err(void)
{
	return errno == EPIPE ? -EPIPE : errno ? -errno : -EIO;
}

static int print_put(struct kd_sink *s, const struct kcap_packet *p)
{
	struct print_sink *ps = (struct print_sink *)s;

	s->packets++;
	if (!ps->out)
		return 0;
	if (ps->o->lines)
		kcap_lines_print(ps->o->lines, ps->out, p);
	else
		kcap_decode_print(ps->out, p, ps->o);
	if (ferror(ps->out))
		return s->err = stream_err();
	return 0;
}

static size_t print_pending(const struct kd_sink *s)
{
	const struct print_sink *ps = (const struct print_sink *)s;

	return ps->out ? __fpending(ps->out) : 0;
}

static int print_flush(struct kd_sink *s)
{
	struct print_sink *ps = (struct print_sink *)s;

	if (!ps->out)
		return 0;
	if (fflush(ps->out) || ferror(ps->out))
		return s->err = stream_err();
	return 0;
}

static const struct kd_sink_ops print_ops = {
	.put = print_put,
	.pending = print_pending,
	.flush = print_flush,
	.close = print_flush,
};

struct kd_sink *kd_sink_print_open(FILE *out, const struct kcap_dec_opts *o,
				   bool every_batch)
{
	struct print_sink *ps = calloc(1, sizeof(*ps));

	if (!ps)
		return NULL;
	ps->s.ops = &print_ops;
	kd_flush_init(&ps->s.flush, every_batch);
	ps->out = out;
	ps->o = o;
	return &ps->s;
}
