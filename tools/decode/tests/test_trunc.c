// SPDX-License-Identifier: GPL-2.0
/*
 * Every truncation point: each packet of each capture given is decoded cut
 * at every length 0..caplen, in every output form, from a heap copy of
 * exactly that many bytes, so ASan reports any read past the cut. Exit 0
 * when all decoded (the sanitizers abort the run otherwise).
 *
 * A packet longer than BIG is cut at every length up to BIG (all of its
 * headers are there) and then every STRIDE bytes and at the last ones:
 * a 70 KB jumbogram cut at every byte would take minutes under ASan.
 *
 * "-s N" before file names makes the check stricter for those files:
 * every cut more than N bytes short of the whole packet must be marked
 * truncated or malformed (N covers trailers nothing claims: an ICV, an
 * FCS), whatever the link type.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"

#define BIG	4096
#define STRIDE	251

static int map_dlt(int dlt)
{
	return dlt == DLT_RAW ? KCAP_DLT_RAW : dlt;
}

static uint32_t next_cut(uint32_t cut, uint32_t caplen)
{
	if (caplen <= BIG || cut < BIG || cut + 64 >= caplen)
		return cut + 1;
	return cut + STRIDE < caplen - 64 ? cut + STRIDE : caplen - 64;
}

int main(int argc, char **argv)
{
	static const struct kcap_dec_opts forms[] = {
		{ .verbose_tree = 1 },
		{ .verbose_tree = 1, .hex = 1, .preview = 300 },
		{ .json = 1, .hex = 1 },
		{ .oneline = 1, .hex = 1 },
	};
	unsigned long long cuts = 0;
	int fails = 0;
	FILE *null = fopen("/dev/null", "w");
	long strict = -1;
	int i;

	if (!null)
		return 1;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-s") && i + 1 < argc) {
			strict = strtol(argv[++i], NULL, 10);
			continue;
		}
		char ebuf[PCAP_ERRBUF_SIZE];
		struct pcap_pkthdr *h;
		const u_char *data;
		struct kcap_analysis *an;
		uint64_t no = 0;
		pcap_t *p = pcap_open_offline_with_tstamp_precision(argv[i],
				PCAP_TSTAMP_PRECISION_NANO, ebuf);

		if (!p) {
			fprintf(stderr, "%s\n", ebuf);
			return 1;
		}
		an = kcap_analysis_new();
		if (!an)
			return 1;
		while (pcap_next_ex(p, &h, &data) == 1) {
			uint32_t cut, must_end;

			no++;
			must_end = 0;
			if (map_dlt(pcap_datalink(p)) == KCAP_DLT_EN10MB && h->caplen >= 20) {
				struct kcap_dec_pkt whole = {
					.data = data, .caplen = h->caplen, .wirelen = h->len,
					.linktype = KCAP_DLT_EN10MB,
				};
				struct kcap_dec_info wi;

				kcap_decode_info(&whole, &wi);
				if (!wi.malformed && !wi.truncated && data[12] == 0x08 && data[13] == 0)
					must_end = 14u + (uint32_t)(data[16] << 8 | data[17]);
				else if (!wi.malformed && !wi.truncated && data[12] == 0x86 &&
					 data[13] == 0xdd)
					must_end = 54u + (uint32_t)(data[18] << 8 | data[19]);
				if (must_end > h->caplen)
					must_end = h->caplen;
			}
			if (strict >= 0) {
				struct kcap_dec_pkt whole = {
					.data = data, .caplen = h->caplen, .wirelen = h->len,
					.linktype = map_dlt(pcap_datalink(p)),
				};
				struct kcap_dec_info wi;

				kcap_decode_info(&whole, &wi);
				if (!wi.malformed && !wi.truncated && h->caplen == h->len)
					must_end = h->caplen > (uint32_t)strict ?
						   h->caplen - (uint32_t)strict : 0;
			}
			for (cut = 0; cut <= h->caplen; cut = next_cut(cut, h->caplen)) {
				uint8_t *copy = malloc(cut ? cut : 1);
				struct kcap_dec_pkt pkt = {
					.data = copy, .caplen = cut, .wirelen = h->len,
					.ts_ns = 1, .ifname = "eth\"0", .number = no,
					.direction = (int)(cut % 3),
					.linktype = map_dlt(pcap_datalink(p)),
				};
				struct kcap_dec_info info;
				struct kcap_tcp_ana ana;
				size_t f;

				if (!copy)
					return 1;
				memcpy(copy, data, cut);
				for (f = 0; f < sizeof(forms) / sizeof(forms[0]); f++)
					kcap_decode_print(null, &pkt, &forms[f]);
				/* The analysis too: a stream of ever longer cuts of each packet. */
				kcap_analysis_add(an, &pkt, &ana);
				kcap_decode_print_ana(null, &pkt, &forms[2], &ana);
				kcap_decode_info(&pkt, &info);
				/*
				 * An IPv4 or IPv6 frame cut before its datagram ends must
				 * be marked, unless the whole frame is malformed anyway.
				 */
				if (cut < must_end && !info.truncated && !info.malformed) {
					fprintf(stderr, "%s #%llu cut %u: not marked truncated\n",
						argv[i], (unsigned long long)no, cut);
					fails++;
				}
				free(copy);
				cuts++;
			}
		}
		kcap_analysis_free(an);
		pcap_close(p);
	}
	fclose(null);
	printf("decoded %llu cuts, %d unmarked\n", cuts, fails);
	return fails ? 1 : 0;
}
