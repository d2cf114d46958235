// SPDX-License-Identifier: BSD-2-Clause
/*
 * Lesson 3: open a device and capture with a callback, kcap_loop().
 *
 *   capture DEV COUNT
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
	char err[KCAP_ERRBUF_SIZE];
	struct kcap *k;
	int count, n;

	if (argc != 3)
		usage_error("capture: usage: capture DEV COUNT");
	count = parse_count("capture", "COUNT", argv[2]);
	k = kcap_open_live(argv[1], 65536, 1, 1000, err);
	if (!k) {
		fprintf(stderr, "capture: %s\n", err);
		return 1;
	}
	printf("listening on %s...\n", argv[1]);
	fflush(stdout);
	n = kcap_loop(k, count, packet_handler, NULL);
	if (n < 0)
		fprintf(stderr, "capture: %s\n", kcap_geterr(k));
	kcap_close(k);
	return n < 0;
}
