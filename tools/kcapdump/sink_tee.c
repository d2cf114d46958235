// SPDX-License-Identifier: GPL-2.0
/* The --print sink; see sink_tee.h. */
#include <errno.h>
#include <stdlib.h>

#include "sink_tee.h"

struct tee_sink {
	struct kd_sink s;
	struct kd_sink *file;
	struct kd_sink *print;
};

/* The file's counters, seen through the tee. */
static void sync_counts(struct tee_sink *t)
{
	t->s.packets = t->file->packets;
	t->s.unwritten = t->file->unwritten;
	t->s.write_err = t->file->write_err;
	t->s.err = t->file->err;
	t->s.bytes = t->file->bytes;
}

static int tee_put(struct kd_sink *s, const struct kcap_packet *p)
{
	struct tee_sink *t = (struct tee_sink *)s;
	int ret = kd_sink_put(t->file, p);

	if (!t->print->err && ret != KD_SINK_DONE && ret >= 0)
		kd_sink_put(t->print, p);
	sync_counts(t);
	return ret;
}

static size_t tee_pending(const struct kd_sink *s)
{
	const struct tee_sink *t = (const struct tee_sink *)s;

	return kd_sink_pending(t->file) + kd_sink_pending(t->print);
}

static int tee_flush(struct kd_sink *s)
{
	struct tee_sink *t = (struct tee_sink *)s;
	int ret = kd_sink_flush(t->file);

	if (!t->print->err)
		kd_sink_flush(t->print);
	sync_counts(t);
	return ret;
}

static int tee_close(struct kd_sink *s)
{
	struct tee_sink *t = (struct tee_sink *)s;
	int ret = kd_sink_close(t->file);

	kd_sink_close(t->print);
	sync_counts(t);
	kd_sink_free(t->file);
	kd_sink_free(t->print);
	t->file = t->print = NULL;
	return ret;
}

static const struct kd_sink_ops tee_ops = {
	.put = tee_put,
	.pending = tee_pending,
	.flush = tee_flush,
	.close = tee_close,
};

struct kd_sink *kd_sink_tee_open(struct kd_sink *file, struct kd_sink *print,
				 bool every_batch)
{
	struct tee_sink *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->s.ops = &tee_ops;
	kd_flush_init(&t->s.flush, every_batch);
	t->file = file;
	t->print = print;
	return &t->s;
}
