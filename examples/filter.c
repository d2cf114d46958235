// SPDX-License-Identifier: BSD-2-Clause
/*
 * Lesson 5: filter the traffic. The expression is compiled by libpcap and
 * runs in the kernel: packets it rejects are never copied.
 *
 *   filter DEV COUNT [EXPRESSION]     (default "ip and tcp")
 */
#include "common.h"

static void packet_handler(void *user, const struct kcap_packet *p)
{
	(void)user;
	print_ts_len(p);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const char *expr = argc > 3 ? argv[3] : "ip and tcp";
	char err[KCAP_ERRBUF_SIZE];
	struct kcap *k;
	int count, n;

	if (argc < 3 || argc > 4)
		usage_error("filter: usage: filter DEV COUNT [EXPRESSION]");
	count = parse_count("filter", "COUNT", argv[2]);
	k = kcap_open_live(argv[1], 65536, 1, 1000, err);
	if (!k) {
		fprintf(stderr, "filter: %s\n", err);
		return 1;
	}
	if (kcap_setfilter(k, expr)) {
		/* A filter that does not compile is a bad argument. */
		fprintf(stderr, "filter: %s\n", kcap_geterr(k));
		kcap_close(k);
		return 2;
	}
	printf("listening on %s (%s)...\n", argv[1], expr);
	fflush(stdout);
	n = kcap_loop(k, count, packet_handler, NULL);
	if (n < 0)
		fprintf(stderr, "filter: %s\n", kcap_geterr(k));
	kcap_close(k);
	return n < 0;
}
