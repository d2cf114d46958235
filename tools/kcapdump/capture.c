// SPDX-License-Identifier: GPL-2.0
/*
 * The live reader: packets from the ring to a savefile or printed, the
 * flush policy applied at each batch's end, and the status line.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "kcapdump.h"
#include "rates.h"

#define STATUS_MS	250
#define IDLE_MS		1000	/* the longest poll() with nothing pending */
#define NSEC_PER_MSEC	1000000ULL

static uint64_t mono_ns(void)
{
	struct timespec t;

	/* A system call where the vDSO cannot read the clocksource: once
	 * per batch, never per packet. */
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + t.tv_nsec;
}

static uint64_t sum(const struct kcap_stat_snap *s, size_t field)
{
	uint64_t v = 0;

	for (int d = 0; d < 2; d++)
		v += *(const uint64_t *)((const char *)&s->s.total[d] + field);
	return v;
}

#define SUM(s, f) sum((s), offsetof(struct kcap_counters, f))

/* The status line: its ioctl and write happen on its timer only. */
static void update_status(struct ctx *x, uint64_t now, bool force)
{
	struct kcap_stat_snap s;
	char rate[16], size[16];
	double dt;

	if (!x->status)
		return;
	dt = (now - x->status_ns) / 1e9;
	if (!force && dt < STATUS_MS / 1000.0)
		return;
	if (x->have_start && !kcap_stats_get(x->k, x->session, &s)) {
		x->drops = SUM(&s, dropped) - SUM(&x->start, dropped);
		kcap_stats_free(&s);
	}
	human_number(dt > 0 ? (x->captured - x->status_pkts) / dt : 0, rate, sizeof(rate));
	human_number(x->out_open ? kd_out_size(&x->out) : 0, size, sizeof(size));
	fprintf(stderr, "\r\033[K%llu packets, %llu dropped, %s pkt/s, %sB written",
		(unsigned long long)x->captured, (unsigned long long)x->drops, rate, size);
	x->status_ns = now;
	x->status_pkts = x->captured;
}

/*
 * A batch ended (the ring is empty, or KD_BATCH_PKTS packets in a row):
 * flush if the policy says so and tell the caller how long it may sleep.
 */
static int batch_end(struct ctx *x, int *timeout)
{
	uint64_t now = mono_ns();
	int ret, t;

	if (kd_flush_due(&x->flush, output_pending(x), now)) {
		ret = flush_output(x);
		if (ret)
			return ret;
	}
	update_status(x, now, false);
	if (!timeout)
		return 0;
	t = kd_flush_timeout(&x->flush, now, IDLE_MS);
	if (x->status) {
		uint64_t due = x->status_ns + STATUS_MS * NSEC_PER_MSEC;
		int s = now >= due ? 1 : (int)((due - now + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC);

		if (s < t)
			t = s;
	}
	*timeout = t;
	return 0;
}

static int handle_packet(struct ctx *x, const struct kcap_packet *p)
{
	if (!x->wfile) {
		kd_show_packet(&x->show, stdout, p);
		x->captured++;
		if (ferror(stdout))
			return errno == EPIPE ? -EPIPE : -EIO;
		return 0;
	}
	return write_packet(x, p);
}

int capture(struct ctx *x)
{
	const struct kcap_packet *p;
	unsigned int batch = 0;
	int ret = 0, status = 0, timeout;

	x->status_ns = mono_ns();
	while (!stop && (!x->count || x->captured < x->count)) {
		ret = kcap_next(x->k, &p, 0);
		if (ret == 0) {
			/* The ring is empty: the batch is over. */
			batch = 0;
			ret = batch_end(x, &timeout);
			if (ret) {
				status = ret == -EPIPE ? 0 : 1;
				break;
			}
			ret = kcap_next(x->k, &p, timeout);
		}
		if (ret == -EINTR || ret == 0)
			continue;
		if (ret < 0) {
			kd_warn("%s", kcap_geterr(x->k));
			status = ret == -ENODEV ? 0 : 1;
			break;
		}
		ret = handle_packet(x, p);
		if (!ret && ++batch == KD_BATCH_PKTS) {
			batch = 0;
			ret = batch_end(x, NULL);
		}
		if (ret) {
			status = ret == -EPIPE ? 0 : 1;
			break;
		}
	}
	/* -c reached, a signal, or the end: whatever is buffered goes out. */
	if (!status) {
		ret = flush_output(x);
		if (ret && ret != -EPIPE)
			status = 1;
	}
	return status;
}

void report(struct ctx *x)
{
	struct kcap_stat_snap end;

	if (x->status) {
		update_status(x, mono_ns(), true);
		fputc('\n', stderr);
	}
	fprintf(stderr, "%llu packet%s captured\n", (unsigned long long)x->captured,
		x->captured == 1 ? "" : "s");
	if (x->unwritten)
		fprintf(stderr, "%llu packet%s not written: %s\n",
			(unsigned long long)x->unwritten, x->unwritten == 1 ? "" : "s",
			strerror(-x->write_err));
	if (!x->have_start || kcap_stats_get(x->k, x->session, &end))
		return;
	fprintf(stderr, "%llu packets matched by filter\n",
		(unsigned long long)(SUM(&end, matched) - SUM(&x->start, matched)));
	fprintf(stderr, "%llu packets dropped by kcap\n",
		(unsigned long long)(SUM(&end, dropped) - SUM(&x->start, dropped)));
	kcap_stats_free(&end);
}
