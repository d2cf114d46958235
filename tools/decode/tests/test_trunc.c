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
#define NLINES	(sizeof(line_forms) / sizeof(line_forms[0]))

/* The whole run: its printers, its rules and its count. */
struct run {
	FILE *null;
	struct kcap_lines *lines[NLINES];
	bool marks;		/* IPv4 and IPv6 over Ethernet must mark their cuts */
	long strict;		/* -s N, or -1 */
	unsigned long long cuts;
	int fails;
};

/* Whether the whole packet decodes with neither mark. */
static bool whole_clean(const u_char *data, const struct pcap_pkthdr *h, int linktype)
{
	struct kcap_packet whole = {
		.data = data, .caplen = h->caplen, .wirelen = h->len, .linktype = linktype,
	};
	struct kcap_dec_info wi;

	kcap_decode_info(&whole, &wi);
	return !wi.malformed && !wi.truncated;
}

/* The length before which every cut must be marked truncated or malformed. */
static uint32_t must_end_of(const struct run *r, int linktype, const struct pcap_pkthdr *h,
			    const u_char *data)
{
	uint32_t must_end = 0;

	if (r->marks && linktype == KCAP_DLT_EN10MB && h->caplen >= 20) {
		bool clean = whole_clean(data, h, KCAP_DLT_EN10MB);

		if (clean && data[12] == 0x08 && data[13] == 0)
			must_end = 14u + (uint32_t)(data[16] << 8 | data[17]);
		else if (clean && data[12] == 0x86 && data[13] == 0xdd)
			must_end = 54u + (uint32_t)(data[18] << 8 | data[19]);
		if (must_end > h->caplen)
			must_end = h->caplen;
	}
	if (r->strict >= 0 && whole_clean(data, h, linktype) && h->caplen == h->len)
		must_end = h->caplen > (uint32_t)r->strict ? h->caplen - (uint32_t)r->strict : 0;
	return must_end;
}

/* Packet no of file cut at cut bytes, in every form; false when out of memory. */
static bool decode_cut(struct run *r, struct kcap_analysis *an, const char *file,
		       int linktype, const struct pcap_pkthdr *h, const u_char *data,
		       uint64_t no, uint32_t cut, uint32_t must_end)
{
	uint8_t *copy = malloc(cut ? cut : 1);
	struct kcap_packet pkt = {
		.data = copy, .caplen = cut, .wirelen = h->len,
		.ts_ns = 1, .ifname = "eth\"0", .number = no,
		.flags = (uint32_t)(cut % 3), .linktype = linktype,
	};
	struct kcap_dec_info info;
	struct kcap_tcp_ana ana;
	size_t f;

	if (!copy)
		return false;
	memcpy(copy, data, cut);
	for (f = 0; f < sizeof(forms) / sizeof(forms[0]); f++)
		kcap_decode_print(r->null, &pkt, &forms[f]);
	/* The analysis too: a stream of ever longer cuts of each packet. */
	kcap_analysis_add(an, &pkt, &ana);
	kcap_decode_print_ana(r->null, &pkt, &forms[2], &ana);
	for (f = 0; f < NLINES; f++)
		kcap_lines_print(r->lines[f], r->null, &pkt);
	kcap_decode_info(&pkt, &info);
	/*
	 * An IPv4 or IPv6 frame cut before its datagram ends must
	 * be marked, unless the whole frame is malformed anyway.
	 */
	if (cut < must_end && !info.truncated && !info.malformed) {
		fprintf(stderr, "%s #%llu cut %u: not marked truncated\n",
			file, (unsigned long long)no, cut);
		r->fails++;
	}
	free(copy);
	r->cuts++;
	return true;
}

/* Every packet of file at every cut; false if it cannot be read or memory runs out. */
static bool run_file(struct run *r, const char *file)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct kcap_analysis *an;
	uint64_t no = 0;
	pcap_t *p = pcap_open_offline_with_tstamp_precision(file,
			PCAP_TSTAMP_PRECISION_NANO, ebuf);
	int linktype;

	if (!p) {
		fprintf(stderr, "%s\n", ebuf);
		return false;
	}
	an = kcap_analysis_new();
	if (!an)
		return false;
	linktype = map_dlt(pcap_datalink(p));
	while (pcap_next_ex(p, &h, &data) == 1) {
		uint32_t cut, must_end = must_end_of(r, linktype, h, data);

		no++;
		for (cut = 0; cut <= h->caplen; cut = next_cut(cut, h->caplen))
			if (!decode_cut(r, an, file, linktype, h, data, no, cut, must_end))
				return false;
	}
	kcap_analysis_free(an);
	pcap_close(p);
	return true;
}

int main(int argc, char **argv)
{
	struct run r = { .null = fopen("/dev/null", "w"), .marks = true, .strict = -1 };
	size_t l;
	int i = 1;

	if (!r.null)
		return 1;
	for (l = 0; l < NLINES; l++) {
		r.lines[l] = kcap_lines_new(&line_forms[l]);
		if (!r.lines[l])
			return 1;
	}
	if (argc > 1 && !strcmp(argv[1], "--no-marks")) {
		r.marks = false;
		i = 2;
	}
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "-s") && i + 1 < argc)
			r.strict = strtol(argv[++i], NULL, 10);
		else if (!run_file(&r, argv[i]))
			return 1;
	}
	for (l = 0; l < NLINES; l++)
		kcap_lines_free(r.lines[l]);
	fclose(r.null);
	printf("decoded %llu cuts, %d unmarked\n", r.cuts, r.fails);
	return r.fails ? 1 : 0;
}
