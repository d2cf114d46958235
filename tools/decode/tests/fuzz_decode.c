// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target over the decoders and the file reader.
 *
 * An input that starts like a pcap or pcapng file goes through
 * kcap_decode_file() (every output form, tcpdump's lines and the TCP
 * analysis included), every table, stream, graph (as CSV) and the
 * comparison, from a memfd; anything else is one packet whose first byte
 * picks the link
 * type (its low four bits) and how much was not captured (the top two),
 * the rest being the frame.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *null_out(void)
{
	static FILE *null;

	if (!null)
		null = fopen("/dev/null", "w");
	return null;
}

/* tcpdump's lines in two modes; numbers only, so no name lookups */
static struct kcap_lines *lines(int which)
{
	static const struct kcap_lines_opts o[2] = {
		{ .nflag = 1, .vflag = 3, .eflag = 1, .Xflag = 2 },
		{ .nflag = 1, .qflag = 1, .Aflag = 1, .tflag = 3, .nano = 1 },
	};
	static struct kcap_lines *l[2];

	if (!l[which])
		l[which] = kcap_lines_new(&o[which]);
	return l[which];
}

static int is_capture(const uint8_t *d, size_t n)
{
	static const uint8_t magics[][4] = {
		{ 0xd4, 0xc3, 0xb2, 0xa1 }, { 0xa1, 0xb2, 0xc3, 0xd4 },
		{ 0x4d, 0x3c, 0xb2, 0xa1 }, { 0xa1, 0xb2, 0x3c, 0x4d },
		{ 0x0a, 0x0d, 0x0d, 0x0a },
	};
	size_t i;

	for (i = 0; n >= 4 && i < sizeof(magics) / sizeof(magics[0]); i++)
		if (!memcmp(d, magics[i], 4))
			return 1;
	return 0;
}

/* The analyses over the same file: every table, graph and stream. */
static void fuzz_analyses(const char *path)
{
	static const struct kcap_dec_opts ana[] = {
		{ .verbose_tree = 1, .analyze = 1 }, { .json = 1, .analyze = 1 },
		{ .oneline = 1, .analyze = 1 },
	};
	char err[256];
	size_t f;
	int k;

	for (f = 0; f < sizeof(ana) / sizeof(ana[0]); f++)
		kcap_decode_file(path, NULL, 0, &ana[f], null_out(), err, sizeof(err));
	kcap_expert_file(path, NULL, KCAP_FMT_JSON, null_out(), err, sizeof(err));
	kcap_conversations_file_fmt(path, NULL, KCAP_FMT_JSON, null_out(), err, sizeof(err));
	kcap_endpoints_file(path, NULL, KCAP_FMT_CSV, null_out(), err, sizeof(err));
	for (k = KCAP_FOLLOW_ASCII; k <= KCAP_FOLLOW_RAW; k++)
		kcap_follow_file_fmt(path, NULL, "0", KCAP_FMT_TEXT, k, null_out(),
				     err, sizeof(err));
	kcap_follow_file_fmt(path, NULL, "1", KCAP_FMT_JSON, KCAP_FOLLOW_HEX, null_out(),
			     err, sizeof(err));
	for (k = KCAP_PLOT_WINDOW; k <= KCAP_PLOT_SEQ; k++)
		kcap_plot_file(path, NULL, k, "0", 0, NULL, null_out(), err, sizeof(err));
	kcap_io_graph_file(path, NULL, 3600000000000ull, NULL, null_out(), err, sizeof(err));
	kcap_compare_files(path, path, NULL, KCAP_FMT_JSON, null_out(), err, sizeof(err));
}

static void fuzz_file(const uint8_t *data, size_t size)
{
	static const struct kcap_dec_opts forms[] = {
		{ .verbose_tree = 1, .hex = 1 }, { .json = 1 }, { .oneline = 1 },
	};
	struct kcap_dec_opts lo = { 0 };
	char path[64], err[256];
	size_t f;
	int fd = memfd_create("fuzz", 0), w;

	if (fd < 0)
		return;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	for (f = 0; f < sizeof(forms) / sizeof(forms[0]); f++)
		kcap_decode_file(path, NULL, 0, &forms[f], null_out(), err, sizeof(err));
	for (w = 0; w < 2; w++) {
		lo.lines = lines(w);
		kcap_decode_file(path, NULL, 0, &lo, null_out(), err, sizeof(err));
	}
	kcap_conversations_file(path, NULL, null_out(), err, sizeof(err));
	kcap_follow_file(path, NULL, "10.1.0.1:41000-10.1.0.2:80", null_out(),
			 err, sizeof(err));
	fuzz_analyses(path);
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int lts[16] = {
		KCAP_DLT_EN10MB, KCAP_DLT_RAW, KCAP_DLT_LINUX_SLL, KCAP_DLT_IPV6,
		KCAP_DLT_NULL, KCAP_DLT_LOOP, KCAP_DLT_PPP, KCAP_DLT_LINUX_SLL2,
		KCAP_DLT_IEEE802_11, KCAP_DLT_IEEE802_11_RADIO, KCAP_DLT_PPP_SERIAL,
		KCAP_DLT_IPV4, KCAP_DLT_EN10MB, KCAP_DLT_EN10MB, KCAP_DLT_EN10MB,
		KCAP_DLT_IEEE802_11_RADIO,
	};
	static const struct kcap_dec_opts forms[] = {
		{ .verbose_tree = 1, .hex = 1 }, { .json = 1, .hex = 1 }, { .oneline = 1 },
	};
	struct kcap_packet pkt;
	struct kcap_dec_info info;
	size_t f;

	if (is_capture(data, size)) {
		fuzz_file(data, size);
		return 0;
	}
	if (!size)
		return 0;
	memset(&pkt, 0, sizeof(pkt));
	pkt.data = data + 1;
	pkt.caplen = (uint32_t)(size - 1);
	pkt.wirelen = pkt.caplen + (data[0] >> 6);
	pkt.linktype = lts[data[0] & 15];
	pkt.number = 1;
	for (f = 0; f < sizeof(forms) / sizeof(forms[0]); f++)
		kcap_decode_print(null_out(), &pkt, &forms[f]);
	kcap_lines_print(lines(0), null_out(), &pkt);
	kcap_lines_print(lines(1), null_out(), &pkt);
	kcap_decode_info(&pkt, &info);
	return 0;
}
