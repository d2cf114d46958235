/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where kcapdump's packets go: a savefile (sink_file.c), the decoders'
 * views on stdout (sink_print.c), later a network or extcap stream. The
 * live and offline runs push packets into one sink and know nothing else
 * of it; a sink calls nothing of the runs.
 */
#ifndef KCAPDUMP_SINK_H
#define KCAPDUMP_SINK_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "flush.h"
#include "kcap_packet.h"

/* put(): the sink wants no more packets (a -G -W file limit). */
#define KD_SINK_DONE	1

struct kd_sink;

struct kd_sink_ops {
	/* One packet: 0, KD_SINK_DONE, or -errno already reported. */
	int (*put)(struct kd_sink *s, const struct kcap_packet *p);
	/*
	 * Optional (NULL: put() per packet): len bytes of whole pcapng
	 * blocks holding npackets Enhanced Packet Blocks, as a ring of
	 * pcapng records hands them out, taken in one piece.
	 */
	int (*put_span)(struct kd_sink *s, const void *blocks, size_t len,
			uint64_t npackets);
	/* Bytes taken and not yet handed to the kernel. */
	size_t (*pending)(const struct kd_sink *s);
	/* Hands them over: 0 or -errno, reported unless -EPIPE. */
	int (*flush)(struct kd_sink *s);
	/* Flushes and ends the output; the counters stay readable. */
	int (*close)(struct kd_sink *s);
};

struct kd_sink {
	const struct kd_sink_ops *ops;
	/* When the runs flush; the sink resets it whenever it empties. */
	struct kd_flush flush;
	uint64_t packets;	/* taken and not lost */
	uint64_t unwritten;	/* lost to a failed write */
	int write_err;		/* that write's -errno */
	int err;		/* the output's sticky -errno (-EPIPE: reader gone) */
	uint64_t bytes;		/* in the current file, for the status line */
	unsigned int clients;	/* the network sink's, connected now */
};

static inline int kd_sink_put(struct kd_sink *s, const struct kcap_packet *p)
{
	return s->ops->put(s, p);
}

static inline size_t kd_sink_pending(const struct kd_sink *s)
{
	return s->ops->pending(s);
}

static inline int kd_sink_flush(struct kd_sink *s)
{
	kd_flush_done(&s->flush);
	return s->ops->flush(s);
}

static inline int kd_sink_close(struct kd_sink *s)
{
	return s->ops->close(s);
}

/* After kd_sink_close(): every sink is one allocation, struct kd_sink first. */
static inline void kd_sink_free(struct kd_sink *s)
{
	free(s);
}

#endif /* KCAPDUMP_SINK_H */
