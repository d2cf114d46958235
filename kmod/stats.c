// SPDX-License-Identifier: GPL-2.0
/*
 * Per-cpu packet counters. Each tap has one set per CPU and
 * direction, written only by the hooks of that CPU (kcap_stats_count() in
 * kcap_int.h) and summed when userspace asks.
 */
#include <linux/percpu.h>

#include "kcap_int.h"

struct kcap_pcpu_stats __percpu *kcap_stats_pcpu_alloc(void)
{
	struct kcap_pcpu_stats __percpu *stats;
	int cpu;

	stats = alloc_percpu(struct kcap_pcpu_stats);
	if (!stats)
		return NULL;
	for_each_possible_cpu(cpu) {
		struct kcap_pcpu_stats *s = per_cpu_ptr(stats, cpu);

		u64_stats_init(&s->dir[KCAP_DIR_INGRESS].syncp);
		u64_stats_init(&s->dir[KCAP_DIR_EGRESS].syncp);
	}
	return stats;
}

void kcap_stats_pcpu_free(struct kcap_pcpu_stats __percpu *stats)
{
	free_percpu(stats);
}

static void kcap_stats_fold_one(const struct kcap_pcpu_counters *c,
				struct kcap_counters *sum)
{
	u64 seen, matched, bytes, captured, dropped, truncated;
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&c->syncp);
		seen = u64_stats_read(&c->seen);
		matched = u64_stats_read(&c->matched);
		bytes = u64_stats_read(&c->matched_bytes);
		captured = u64_stats_read(&c->captured);
		dropped = u64_stats_read(&c->dropped);
		truncated = u64_stats_read(&c->truncated);
	} while (u64_stats_fetch_retry(&c->syncp, start));

	sum->seen += seen;
	sum->matched += matched;
	sum->matched_bytes += bytes;
	sum->captured += captured;
	sum->dropped += dropped;
	sum->truncated += truncated;
}

/* Adds a tap's counters, both directions, to sum[]. */
void kcap_stats_fold(const struct kcap_pcpu_stats __percpu *stats,
		     struct kcap_counters sum[2])
{
	int cpu, dir;

	for_each_possible_cpu(cpu) {
		const struct kcap_pcpu_stats *s = per_cpu_ptr(stats, cpu);

		for (dir = 0; dir < 2; dir++)
			kcap_stats_fold_one(&s->dir[dir], &sum[dir]);
	}
}

/*
 * Fills st->total (live taps and those gone), st->count and up to
 * cap entries of devs, one per tapped device.
 */
void kcap_stats_report(struct kcap_session *sess, struct kcap_stats *st,
		       struct kcap_dev_stats *devs, u32 cap)
{
	struct kcap_tap *tap;
	u32 n = 0;

	lockdep_assert_held(&kcap_mutex);

	memcpy(st->total, sess->gone, sizeof(st->total));
	list_for_each_entry(tap, &sess->taps, node) {
		kcap_stats_fold(tap->stats, st->total);
		if (n < cap) {
			struct kcap_dev_stats *d = &devs[n];

			memset(d, 0, sizeof(*d));
			d->ifindex = tap->dev->ifindex;
			strscpy_pad(d->ifname, tap->dev->name, sizeof(d->ifname));
			kcap_stats_fold(tap->stats, d->dir);
		}
		n++;
	}
	st->count = n;
	st->tstamp_ns = ktime_get_ns();
}
