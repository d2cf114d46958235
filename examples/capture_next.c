// SPDX-License-Identifier: BSD-2-Clause
/*
 * Lesson 4: the same capture without a callback, kcap_next(): the program
 * asks for each packet, and sees each timeout go by.
 *
 *   capture_next DEV COUNT
 */
#include "common.h"

int main(int argc, char **argv)
{
	const struct kcap_packet *p;
	char err[KCAP_ERRBUF_SIZE];
	struct kcap *k;
	int count, res, n = 0;

	if (argc != 3)
		usage_error("capture_next: usage: capture_next DEV COUNT");
	count = parse_count("capture_next", "COUNT", argv[2]);
	k = kcap_open_live(argv[1], 65536, 1, 1000, err);
	if (!k) {
		fprintf(stderr, "capture_next: %s\n", err);
		return 1;
	}
	printf("listening on %s...\n", argv[1]);
	fflush(stdout);
	while ((count == 0 || n < count) && (res = kcap_next(k, &p, 1000)) >= 0) {
		if (res == 0)
			continue;	/* the timeout elapsed */
		print_ts_len(p);
		fflush(stdout);
		n++;
	}
	if (count && n < count) {
		fprintf(stderr, "capture_next: error reading the packets: %s\n", kcap_geterr(k));
		kcap_close(k);
		return 1;
	}
	kcap_close(k);
	return 0;
}
