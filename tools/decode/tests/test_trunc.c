// SPDX-License-Identifier: GPL-2.0
/*
 * Every truncation point: each packet of each capture given is decoded cut
 * at every length 0..caplen, in every output form (tcpdump's lines in
 * several modes too), from a heap copy of exactly that many bytes, so ASan
 * reports any read past the cut. Exit 0 when all decoded (the sanitizers
 * abort the run otherwise). With --no-marks first, cuts are not required
 * to be marked "[truncated]" by the tree decoders: captures made for
 * tcpdump's lines run here for the sanitizers alone.
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
#include <stdbool.h>
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
	/* numbers only (-n): a test must not wait for DNS */
	static const struct kcap_lines_opts line_forms[] = {
		{ .nflag = 1, .vflag = 3, .eflag = 1, .Xflag = 2, .Sflag = 1 },
		{ .nflag = 1, .qflag = 1, .xflag = 1, .tflag = 3 },
		{ .nflag = 1, .Aflag = 2, .vflag = 1, .tflag = 4, .nano = 1 },
		{ .nflag = 2, .vflag = 2, .xflag = 2, .number = 1, .tflag = 5, .eflag = 1 },
	};
	struct kcap_lines *lines[sizeof(line_forms) / sizeof(line_forms[0])];
	unsigned long long cuts = 0;
	int fails = 0;
	FILE *null = fopen("/dev/null", "w");
	long strict = -1;
	bool marks = true;
	size_t l;
	int i = 1;

	if (!null)
		return 1;
	for (l = 0; l < sizeof(lines) / sizeof(lines[0]); l++) {
		lines[l] = kcap_lines_new(&line_forms[l]);
		if (!lines[l])
			return 1;
	}
	if (argc > 1 && !strcmp(argv[1], "--no-marks")) {
		marks = false;
		i = 2;
	}
	for (; i < argc; i++) {
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
			if (marks && map_dlt(pcap_datalink(p)) == KCAP_DLT_EN10MB &&
			    h->caplen >= 20) {
				struct kcap_packet whole = {
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
				struct kcap_packet whole = {
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
				struct kcap_packet pkt = {
					.data = copy, .caplen = cut, .wirelen = h->len,
					.ts_ns = 1, .ifname = "eth\"0", .number = no,
					.flags = (uint32_t)(cut % 3),
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
				for (l = 0; l < sizeof(lines) / sizeof(lines[0]); l++)
					kcap_lines_print(lines[l], null, &pkt);
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
	for (l = 0; l < sizeof(lines) / sizeof(lines[0]); l++)
		kcap_lines_free(lines[l]);
	fclose(null);
	printf("decoded %llu cuts, %d unmarked\n", cuts, fails);
	return fails ? 1 : 0;
}
