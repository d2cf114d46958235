// SPDX-License-Identifier: GPL-2.0
/*
 * The per-interval table of kcapctl stats -i and kcapdump --stats:
 * packets/s and bits/s of matched traffic per device and direction,
 * from the kernel's counters and its CLOCK_MONOTONIC sample times.
 */
#include <stdint.h>
#include <time.h>

#include "cli.h"
#include "rates.h"

static const char *const dir_name[2] = { "in", "out" };

void human_number(double v, char *buf, size_t len)
{
	static const char pfx[] = " kMGT";
	int i = 0;

	while (v >= 1000 && i < 4) {
		v /= 1000;
		i++;
	}
	if (i)
		snprintf(buf, len, "%.1f%c", v, pfx[i]);
	else
		snprintf(buf, len, "%.0f", v);
}

void rates_header(FILE *fp)
{
	fprintf(fp, "%-8s %-16s %-4s %10s %10s %12s %10s\n", "TIME", "DEVICE",
		"DIR", "PKTS/S", "BITS/S", "MATCHED", "DROPPED");
}

static const struct kcap_counters *find_prev(const struct kcap_stat_snap *prev,
					     int ifindex, int dir)
{
	for (unsigned int i = 0; i < prev->ndevs; i++)
		if (prev->devs[i].ifindex == ifindex)
			return &prev->devs[i].dir[dir];
	return NULL;
}

static void row(FILE *fp, const char *when, const char *dev, int dir,
		const struct kcap_counters *now,
		const struct kcap_counters *then, double secs)
{
	static const struct kcap_counters zero;
	char pps[16], bps[16];
	uint64_t pk, by, dr;

	if (!then)
		then = &zero;
	pk = now->matched - then->matched;
	by = now->matched_bytes - then->matched_bytes;
	dr = now->dropped - then->dropped;
	human_number(pk / secs, pps, sizeof(pps));
	human_number(by * 8 / secs, bps, sizeof(bps));
	fprintf(fp, "%-8s %-16s %-4s %10s %10s %12llu %10llu\n", when, dev,
		dir_name[dir], pps, bps, (unsigned long long)pk,
		(unsigned long long)dr);
}

void rates_print(FILE *fp, const struct kcap_stat_snap *prev,
		 const struct kcap_stat_snap *cur, double fallback_secs)
{
	double secs = (double)(cur->s.tstamp_ns - prev->s.tstamp_ns) / 1e9;
	char when[16];
	time_t t = time(NULL);

	if (secs <= 0)
		secs = fallback_secs;
	strftime(when, sizeof(when), "%H:%M:%S", localtime(&t));
	for (unsigned int i = 0; i < cur->ndevs; i++)
		for (int d = 0; d < 2; d++)
			row(fp, when, (const char *)cur->devs[i].ifname, d,
			    &cur->devs[i].dir[d],
			    find_prev(prev, cur->devs[i].ifindex, d), secs);
	for (int d = 0; d < 2; d++)
		row(fp, when, "total", d, &cur->s.total[d], &prev->s.total[d], secs);
	fflush(fp);
}

int rates_watch(FILE *fp, struct kcap *k, const char *session,
		unsigned int secs, uint64_t count)
{
	struct kcap_stat_snap prev, cur;
	int ret = 0;

	if (kcap_stats_get(k, session, &prev))
		return -1;
	rates_header(fp);
	for (uint64_t n = 0; !cli_stop && (!count || n < count); n++) {
		cli_sleep(secs);
		if (cli_stop)
			break;
		if (kcap_stats_get(k, session, &cur)) {
			ret = -1;
			break;
		}
		rates_print(fp, &prev, &cur, secs);
		kcap_stats_free(&prev);
		prev = cur;
	}
	kcap_stats_free(&prev);
	return ret;
}
