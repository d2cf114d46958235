// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Npcap's send queues over kcap_inject_batch(): frames kept with their
 * time stamps in one buffer, sent in as few writev(2) calls as their
 * times allow. Synchronised sending waits for absolute deadlines on
 * CLOCK_MONOTONIC (clock_nanosleep TIMER_ABSTIME), as kcapgen's engine
 * does, so a late wakeup does not push the frames after it back; the
 * frames whose deadlines have passed by then leave in one call.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "libkcap_int.h"

/* A full qdisc drains in well under this many 100 us naps. */
#define KCAP_SQ_RETRIES		1000

struct kcap_sq_frame {
	uint64_t ts_ns;
	size_t off;
	size_t len;
};

struct kcap_sendqueue {
	uint8_t *buf;
	size_t maxlen, len;
	struct kcap_sq_frame *f;
	unsigned int n, cap;
};

struct kcap_sendqueue *kcap_sendqueue_alloc(size_t memsize)
{
	struct kcap_sendqueue *q;

	if (!memsize) {
		errno = EINVAL;
		return NULL;
	}
	q = calloc(1, sizeof(*q));
	if (!q)
		return NULL;
	q->buf = malloc(memsize);
	if (!q->buf) {
		free(q);
		return NULL;
	}
	q->maxlen = memsize;
	return q;
}

void kcap_sendqueue_destroy(struct kcap_sendqueue *q)
{
	if (!q)
		return;
	free(q->buf);
	free(q->f);
	free(q);
}

int kcap_sendqueue_queue(struct kcap_sendqueue *q, const struct kcap_packet *pkt)
{
	struct kcap_sq_frame *nf;

	if (!pkt || !pkt->data || !pkt->caplen)
		return -EINVAL;
	if (pkt->caplen > q->maxlen - q->len || q->n == UINT_MAX)
		return -ENOSPC;
	if (q->n == q->cap) {
		unsigned int cap = q->cap ? q->cap * 2 : 64;

		nf = realloc(q->f, cap * sizeof(*nf));
		if (!nf)
			return -ENOMEM;
		q->f = nf;
		q->cap = cap;
	}
	memcpy(q->buf + q->len, pkt->data, pkt->caplen);
	q->f[q->n].ts_ns = pkt->ts_ns;
	q->f[q->n].off = q->len;
	q->f[q->n].len = pkt->caplen;
	q->n++;
	q->len += pkt->caplen;
	return 0;
}

unsigned int kcap_sendqueue_count(const struct kcap_sendqueue *q)
{
	return q->n;
}

size_t kcap_sendqueue_len(const struct kcap_sendqueue *q)
{
	return q->len;
}

/* Frame i's deadline: t0 plus its time since the first frame's. */
static int64_t kcap_sq_due(const struct kcap_sendqueue *q, unsigned int i, int64_t t0)
{
	uint64_t base = q->f[0].ts_ns, ts = q->f[i].ts_ns;

	return ts > base ? t0 + (int64_t)(ts - base) : t0;
}

static int kcap_sq_wait(struct kcap *k, int64_t t)
{
	struct timespec ts = { t / 1000000000, t % 1000000000 };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		if (k->brk)
			break;
	if (k->brk) {
		k->brk = 0;
		return -EINTR;
	}
	return 0;
}

int kcap_sendqueue_transmit(struct kcap *k, struct kcap_sendqueue *q, int sync)
{
	struct iovec *iov;
	unsigned int i, done = 0, end;
	int64_t t0, now;
	int ret = 0, tries = 0;

	if (!q)
		return kcap_err(k, -EINVAL, "sendqueue: no queue");
	if (!q->n)
		return 0;
	iov = calloc(q->n, sizeof(*iov));
	if (!iov)
		return kcap_err(k, -ENOMEM, "sendqueue: out of memory");
	for (i = 0; i < q->n; i++) {
		iov[i].iov_base = q->buf + q->f[i].off;
		iov[i].iov_len = q->f[i].len;
	}
	t0 = kcap_mono_ns();
	while (done < q->n) {
		end = q->n;
		if (sync) {
			ret = kcap_sq_wait(k, kcap_sq_due(q, done, t0));
			if (ret)
				break;
			/* Every frame already due goes in this call. */
			now = kcap_mono_ns();
			for (end = done + 1; end < q->n && kcap_sq_due(q, end, t0) <= now; end++)
				;
		}
		ret = kcap_inject_batch(k, iov + done, end - done);
		if (ret > 0) {
			done += (unsigned int)ret;
			tries = 0;
			ret = 0;
			continue;
		}
		if (ret == -ENOBUFS && tries++ < KCAP_SQ_RETRIES) {
			usleep(100);
			continue;
		}
		if (!ret)
			ret = kcap_err(k, -EIO, "sendqueue: frame %u not sent", done);
		break;
	}
	free(iov);
	return done ? (int)done : ret;
}
