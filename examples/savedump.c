// SPDX-License-Identifier: BSD-2-Clause
/*
 * Lesson 7: save the packets to a dump file, a pcap that tcpdump, tshark
 * and Wireshark read.
 *
 *   savedump DEV FILE COUNT [EXPRESSION]
 */
#include "common.h"

static void packet_handler(void *user, const struct kcap_packet *p)
{
	kcap_dump(user, p);
}

int main(int argc, char **argv)
{
	char err[KCAP_ERRBUF_SIZE];
	struct kcap_dumper *d;
	struct kcap *k;
	int count, n;

	if (argc < 4 || argc > 5)
		usage_error("savedump: usage: savedump DEV FILE COUNT [EXPRESSION]");
	count = parse_count("savedump", "COUNT", argv[3]);
	k = kcap_open_live(argv[1], 65536, 1, 1000, err);
	if (!k) {
		fprintf(stderr, "savedump: %s\n", err);
		return 1;
	}
	if (argc == 5 && kcap_setfilter(k, argv[4])) {
		fprintf(stderr, "savedump: %s\n", kcap_geterr(k));
		kcap_close(k);
		return 2;
	}
	d = kcap_dump_open(k, argv[2]);
	if (!d) {
		fprintf(stderr, "savedump: %s\n", kcap_geterr(k));
		kcap_close(k);
		return 1;
	}
	fprintf(stderr, "listening on %s...\n", argv[1]);
	n = kcap_loop(k, count, packet_handler, d);
	if (n < 0)
		fprintf(stderr, "savedump: %s\n", kcap_geterr(k));
	if (kcap_dump_close(d)) {
		fprintf(stderr, "savedump: %s: write failed\n", argv[2]);
		n = -1;
	}
	kcap_close(k);
	return n < 0;
}
