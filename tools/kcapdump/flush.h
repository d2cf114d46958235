/* SPDX-License-Identifier: GPL-2.0 */
/*
 * When kcapdump hands its buffered output to the kernel. A write() per
 * packet costs more than the capture itself, so packets collect until the
 * buffer is large, or until the oldest of them has waited long enough
 * that a reader of the file would notice; -U flushes after every batch.
 *
 * The clock is read only at a batch's end (the ring found empty, or
 * KD_BATCH_PKTS packets in a row), never per packet: the first packet
 * buffered is dated by the check that first sees it, which is at most
 * one batch late.
 */
#ifndef KCAPDUMP_FLUSH_H
#define KCAPDUMP_FLUSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KD_FLUSH_BYTES		(256U << 10)
#define KD_FLUSH_AGE_MS		200
/* Writing a file: the kernel wakes us per this many bytes of records, or
 * we look after this long; a packet reaches the file within the sum of
 * this and KD_FLUSH_AGE_MS. */
#define KD_WAKEUP_BYTES		(64U << 10)
#define KD_WAKEUP_MS		100
#define KD_BATCH_PKTS		256

struct kd_flush {
	size_t max_bytes;
	uint64_t max_age_ns;
	bool every_batch;	/* -U */
	uint64_t since_ns;	/* when a check first saw data buffered; 0: none */
};

void kd_flush_init(struct kd_flush *f, bool every_batch);
/* At a batch's end: true if the buffered bytes are to be written now. */
bool kd_flush_due(struct kd_flush *f, size_t buffered, uint64_t now_ns);
/* After a flush (for whatever reason): nothing is buffered. */
void kd_flush_done(struct kd_flush *f);
/*
 * How long the reader may sleep in poll() without making buffered data
 * wait longer than the age limit: milliseconds, at most cap_ms.
 */
int kd_flush_timeout(const struct kd_flush *f, uint64_t now_ns, int cap_ms);

#endif /* KCAPDUMP_FLUSH_H */
