// SPDX-License-Identifier: BSD-2-Clause
/*
 * Lesson 10: statistics mode. The kernel counts the packets that pass the
 * filter and copies none; once a second the program gets a sample, the
 * packets and bytes since the last one, and prints the load.
 *
 *   tcptop DEV [SAMPLES [EXPRESSION]]   (0: until interrupted; "tcp")
 */
#include <stdint.h>

#include "common.h"

static void dispatcher_handler(void *user, const struct kcap_packet *p)
{
	uint64_t *old_ts = user, v[2], delay;
	time_t sec = (time_t)(p->ts_ns / 1000000000);
	struct tm tm;
	char timestr[16];

	/* The time since the last sample, in microseconds. */
	delay = (p->ts_ns - *old_ts) / 1000;
	if (!delay)
		delay = 1;
	memcpy(v, p->data, sizeof(v));
	localtime_r(&sec, &tm);
	strftime(timestr, sizeof(timestr), "%H:%M:%S", &tm);
	printf("%s BPS=%llu PPS=%llu PKTS=%llu BYTES=%llu\n", timestr,
	       (unsigned long long)(v[1] * 8 * 1000000 / delay),
	       (unsigned long long)(v[0] * 1000000 / delay),
	       (unsigned long long)v[0], (unsigned long long)v[1]);
	fflush(stdout);
	*old_ts = p->ts_ns;
}

int main(int argc, char **argv)
{
	const char *expr = argc > 3 ? argv[3] : "tcp";
	char err[KCAP_ERRBUF_SIZE];
	struct timespec now;
	uint64_t old_ts;
	struct kcap *k;
	int samples = 0, n;

	if (argc < 2 || argc > 4)
		usage_error("tcptop: usage: tcptop DEV [SAMPLES [EXPRESSION]]");
	if (argc > 2)
		samples = parse_count("tcptop", "SAMPLES", argv[2]);
	k = kcap_open_live(argv[1], 100, 1, 1000, err);
	if (!k) {
		fprintf(stderr, "tcptop: %s\n", err);
		return 1;
	}
	if (kcap_setfilter(k, expr)) {
		fprintf(stderr, "tcptop: %s\n", kcap_geterr(k));
		kcap_close(k);
		return 2;
	}
	if (kcap_setmode(k, KCAP_MODE_STAT)) {
		fprintf(stderr, "tcptop: %s\n", kcap_geterr(k));
		kcap_close(k);
		return 1;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	old_ts = (uint64_t)now.tv_sec * 1000000000 + (uint64_t)now.tv_nsec;
	printf("TCP traffic summary (%s):\n", expr);
	fflush(stdout);
	n = kcap_loop(k, samples, dispatcher_handler, &old_ts);
	if (n < 0)
		fprintf(stderr, "tcptop: %s\n", kcap_geterr(k));
	kcap_close(k);
	return n < 0;
}
