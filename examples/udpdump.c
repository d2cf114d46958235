// SPDX-License-Identifier: BSD-2-Clause
/*
 * Lesson 6: interpret the packets. UDPdump prints each UDP datagram over
 * IPv4 as "time len:N src.port -> dst.port", reading the headers as the
 * tutorial does, with every length checked against what was captured. It
 * reads with kcap_dispatch(), a second at a time, and says so on
 * standard error when a second went by without a datagram.
 *
 *   udpdump DEV COUNT
 */
#include <stdint.h>

#include "common.h"

struct ctx {
	int want, got;
};

static void packet_handler(void *user, const struct kcap_packet *p)
{
	struct ctx *c = user;
	const uint8_t *ip = p->data + 14;
	unsigned int ihl;
	const uint8_t *udp;

	/* The filter took only IPv4 UDP; a frame too short is still skipped. */
	if (p->caplen < 14 + 20)
		return;
	ihl = (ip[0] & 0xf) * 4;
	if (ihl < 20 || p->caplen < 14 + ihl + 8)
		return;
	udp = ip + ihl;
	print_ts_len(p);
	printf("\t%u.%u.%u.%u.%u -> %u.%u.%u.%u.%u\n",
	       ip[12], ip[13], ip[14], ip[15], udp[0] << 8 | udp[1],
	       ip[16], ip[17], ip[18], ip[19], udp[2] << 8 | udp[3]);
	fflush(stdout);
	c->got++;
}

int main(int argc, char **argv)
{
	char err[KCAP_ERRBUF_SIZE];
	struct ctx c = { 0, 0 };
	struct kcap *k;
	int n;

	if (argc != 3)
		usage_error("udpdump: usage: udpdump DEV COUNT");
	c.want = parse_count("udpdump", "COUNT", argv[2]);
	k = kcap_open_live(argv[1], 65536, 1, 1000, err);
	if (!k) {
		fprintf(stderr, "udpdump: %s\n", err);
		return 1;
	}
	if (kcap_datalink(k) != KCAP_DLT_EN10MB) {
		fprintf(stderr, "udpdump: %s: this program works only on Ethernet networks\n",
			argv[1]);
		kcap_close(k);
		return 1;
	}
	if (kcap_setfilter(k, "ip and udp")) {
		fprintf(stderr, "udpdump: %s\n", kcap_geterr(k));
		kcap_close(k);
		return 1;
	}
	printf("listening on %s...\n", argv[1]);
	fflush(stdout);
	while (c.want == 0 || c.got < c.want) {
		n = kcap_dispatch(k, c.want ? c.want - c.got : 0, packet_handler, &c);
		if (n == 0)
			fprintf(stderr, "udpdump: no packet in 1000 ms\n");
		if (n < 0) {
			fprintf(stderr, "udpdump: %s\n", kcap_geterr(k));
			kcap_close(k);
			return 1;
		}
	}
	kcap_close(k);
	return 0;
}
