// SPDX-License-Identifier: GPL-2.0
/*
 * kcapdecode: libkcapdecode from the command line, with the flags
 * kcapdump will take (-r, -q, -x, -T, -c, --analyze, --expert,
 * --conversations, --endpoints, --follow, --plot, --io-graph, --compare,
 * a trailing filter), until kcapdump calls the library itself.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"

enum {
	OPT_CONV = 256, OPT_FOLLOW, OPT_NOPAYLOAD, OPT_ANALYZE, OPT_EXPERT,
	OPT_ENDPOINTS, OPT_PAYLOAD, OPT_PLOT, OPT_IOGRAPH, OPT_INTERVAL, OPT_COMPARE,
	OPT_TCPDUMP, OPT_PRECISION, OPT_MICRO, OPT_NANO,
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kcapdecode -r FILE [-q | -v | -T json] [-x] [-c COUNT] [--analyze] [EXPRESSION]\n"
		"       kcapdecode -r FILE --expert [-T json|csv] [EXPRESSION]\n"
		"       kcapdecode -r FILE --conversations [-T json|csv] [EXPRESSION]\n"
		"       kcapdecode -r FILE --endpoints [-T json|csv] [EXPRESSION]\n"
		"       kcapdecode -r FILE --follow SPEC [--payload ascii|hex|raw] [-T json|csv] [EXPRESSION]\n"
		"       kcapdecode -r FILE --plot window|throughput|rtt|seq SPEC (-o OUT.png | -T csv)\n"
		"                  [--interval SECONDS] [EXPRESSION]\n"
		"       kcapdecode -r FILE --io-graph SECONDS (-o OUT.png | -T csv) [EXPRESSION]\n"
		"       kcapdecode --compare FILE_A FILE_B [-T json|csv] [EXPRESSION]\n"
		"\n"
		"  -r FILE          read pcap or pcapng\n"
		"  -q               one line per packet\n"
		"  -v               decoded tree (the default)\n"
		"  -x               add a hex dump of each packet\n"
		"  -T FORMAT        json (packets, tables), csv (tables), text (tables)\n"
		"  -c COUNT         stop after COUNT packets\n"
		"  --no-payload     leave payload previews out\n"
		"  --analyze        TCP analysis as Wireshark's (tcp.analysis.*) with each packet\n"
		"  --expert         the analysis' events (tshark -z expert)\n"
		"  --conversations  TCP and UDP conversations (tshark -z conv)\n"
		"  --endpoints      IPv4, IPv6, TCP and UDP endpoints (tshark -z endpoints)\n"
		"  --follow SPEC    one TCP connection: ADDR:PORT-ADDR:PORT (IPv6 as [ADDR]:PORT),\n"
		"                   ADDR:PORT,ADDR:PORT, or a tcp.stream number\n"
		"  --payload MODE   --follow's reassembled stream (tshark -z follow,tcp,MODE)\n"
		"  --plot KIND SPEC window, throughput, rtt or seq (Stevens) graph of a connection\n"
		"  --io-graph SECS  packets and bits per interval of the file\n"
		"  --interval SECS  --plot throughput's interval (default: a hundredth of the duration)\n"
		"  -o FILE          --plot/--io-graph: the PNG (FILE.dat, FILE.gp: its data and script)\n"
		"  --compare A B    match two captures of the same traffic: one-way delay, losses\n"
		"\n"
		"       kcapdecode --tcpdump -r FILE [-AeKNnqSvXx#] [-t...] [-c COUNT]\n"
		"                  [--time-stamp-precision=micro|nano] [EXPRESSION]\n"
		"  tcpdump's lines, with tcpdump's flags and meanings\n");
}

static __attribute__((noreturn, format(printf, 1, 2))) void die_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("kcapdecode: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	exit(2);
}

/* Seconds as "0.5", "2", "100ms", "250us": nanoseconds, or 0 if not a duration. */
static uint64_t parse_secs(const char *s)
{
	unsigned long long whole = 0, frac = 0, scale = 1000000000ull, unit = 1;
	const char *p = s;
	int digits = 0;

	if (!*p)
		return 0;
	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		if (whole > 1000000000ull)
			return 0;
		whole = whole * 10 + (unsigned long long)(*p - '0');
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
			if (scale > 1) {
				scale /= 10;
				frac += (unsigned long long)(*p - '0') * scale;
			}
		}
	}
	if (!digits)
		return 0;
	if (!strcmp(p, "ms"))
		unit = 1000;
	else if (!strcmp(p, "us"))
		unit = 1000000;
	else if (!strcmp(p, "ns"))
		unit = 1000000000;
	else if (*p && strcmp(p, "s"))
		return 0;
	return (whole * 1000000000ull + frac) / unit;
}

/* The exit status: 1 if the output or the reading failed. */
static int finish(int ret, const char *err)
{
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "kcapdecode: stdout: %s\n", strerror(errno));
		return 1;
	}
	if (ret) {
		fprintf(stderr, "kcapdecode: %s\n", err);
		return 1;
	}
	return 0;
}

/* After the options: -r is required; the rest is one filter expression. */
static void trailing_args(char *filter, size_t len, int argc, char **argv, int i,
			  const char *file)
{
	size_t n = 0;

	if (!file)
		die_usage("-r FILE is required (live capture is kcapdump's)");
	for (; i < argc; i++) {
		int k = snprintf(filter + n, len - n, "%s%s", n ? " " : "", argv[i]);

		if (k < 0 || (size_t)k >= len - n)
			die_usage("filter expression too long");
		n += (size_t)k;
	}
}

static unsigned long long parse_count(const char *s)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || !*s || *end || *s == '-' || v == 0)
		die_usage("-c: '%s' is not a positive count", s);
	return v;
}

static void bump(uint8_t *flag, int max, const char *name)
{
	if (*flag >= max)
		die_usage("%s: given more than %d times", name, max);
	(*flag)++;
}

static int tcpdump_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "tcpdump", no_argument, NULL, OPT_TCPDUMP },
		{ "time-stamp-precision", required_argument, NULL, OPT_PRECISION },
		{ "micro", no_argument, NULL, OPT_MICRO },
		{ "nano", no_argument, NULL, OPT_NANO },
		{ "dont-verify-checksums", no_argument, NULL, 'K' },
		{ "absolute-tcp-sequence-numbers", no_argument, NULL, 'S' },
		{ "number", no_argument, NULL, '#' },
		{ NULL, 0, NULL, 0 },
	};
	struct kcap_lines_opts lo = { 0 };
	struct kcap_dec_opts o = { 0 };
	char filter[4096] = "", err[512] = "";
	unsigned long long count = 0;
	const char *file = NULL;
	int c, ret;

	while ((c = getopt_long(argc, argv, "Ac:ehKnNqr:StvxX#", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return 0;
		case OPT_TCPDUMP:
			break;
		case 'A':
			bump(&lo.Aflag, 2, "-A");
			break;
		case 'c':
			count = parse_count(optarg);
			break;
		case 'e':
			lo.eflag = 1;
			break;
		case 'K':
			lo.Kflag = 1;
			break;
		case 'n':
			bump(&lo.nflag, 2, "-n");
			break;
		case 'N':
			lo.Nflag = 1;
			break;
		case 'q':
			bump(&lo.qflag, 2, "-q");
			break;
		case 'r':
			file = optarg;
			break;
		case 'S':
			lo.Sflag = 1;
			break;
		case 't':
			bump(&lo.tflag, 5, "-t");
			break;
		case 'v':
			bump(&lo.vflag, 3, "-v");
			break;
		case 'x':
			bump(&lo.xflag, 2, "-x");
			break;
		case 'X':
			bump(&lo.Xflag, 2, "-X");
			break;
		case '#':
			lo.number = 1;
			break;
		case OPT_PRECISION:
			if (!strcmp(optarg, "nano"))
				lo.nano = 1;
			else if (!strcmp(optarg, "micro"))
				lo.nano = 0;
			else
				die_usage("--time-stamp-precision: '%s' is not micro or nano",
					  optarg);
			break;
		case OPT_MICRO:
			lo.nano = 0;
			break;
		case OPT_NANO:
			lo.nano = 1;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	trailing_args(filter, sizeof(filter), argc, argv, optind, file);
	o.lines = kcap_lines_new(&lo);
	if (!o.lines) {
		fprintf(stderr, "kcapdecode: out of memory\n");
		return 1;
	}
	ret = kcap_decode_file(file, filter, count, &o, stdout, err, sizeof(err));
	kcap_lines_free(o.lines);
	return finish(ret, err);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "conversations", no_argument, NULL, OPT_CONV },
		{ "endpoints", no_argument, NULL, OPT_ENDPOINTS },
		{ "follow", required_argument, NULL, OPT_FOLLOW },
		{ "payload", required_argument, NULL, OPT_PAYLOAD },
		{ "no-payload", no_argument, NULL, OPT_NOPAYLOAD },
		{ "analyze", no_argument, NULL, OPT_ANALYZE },
		{ "analyse", no_argument, NULL, OPT_ANALYZE },
		{ "expert", no_argument, NULL, OPT_EXPERT },
		{ "plot", required_argument, NULL, OPT_PLOT },
		{ "io-graph", required_argument, NULL, OPT_IOGRAPH },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "compare", required_argument, NULL, OPT_COMPARE },
		{ NULL, 0, NULL, 0 },
	};
	struct kcap_dec_opts o = { 0 };
	const char *file = NULL, *follow = NULL, *plot = NULL, *ofile = NULL, *cmp_a = NULL;
	const char *fmt_arg = NULL;
	char filter[4096] = "", err[512] = "";
	unsigned long long count = 0;
	uint64_t io_ns = 0, interval_ns = 0;
	int c, conv = 0, expert = 0, endpoints = 0, payload = KCAP_FOLLOW_TABLE;
	int fmt = KCAP_FMT_TEXT, ret, i, modes, first_arg;
	size_t n = 0;
	char *end;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--tcpdump"))
			return tcpdump_main(argc, argv);
	while ((c = getopt_long(argc, argv, "hr:qvxT:c:o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return 0;
		case 'r':
			file = optarg;
			break;
		case 'q':
			o.oneline = 1;
			break;
		case 'v':
			o.verbose_tree = 1;
			break;
		case 'x':
			o.hex = 1;
			break;
		case 'T':
			if (!strcmp(optarg, "json"))
				fmt = KCAP_FMT_JSON;
			else if (!strcmp(optarg, "csv"))
				fmt = KCAP_FMT_CSV;
			else if (!strcmp(optarg, "text"))
				fmt = KCAP_FMT_TEXT;
			else
				die_usage("-T: '%s' is not a known format (json, csv, text)", optarg);
			fmt_arg = optarg;
			break;
		case 'c':
			errno = 0;
			count = strtoull(optarg, &end, 10);
			if (errno || !*optarg || *end || *optarg == '-' || count == 0)
				die_usage("-c: '%s' is not a positive count", optarg);
			break;
		case 'o':
			ofile = optarg;
			break;
		case OPT_CONV:
			conv = 1;
			break;
		case OPT_ENDPOINTS:
			endpoints = 1;
			break;
		case OPT_FOLLOW:
			follow = optarg;
			break;
		case OPT_PAYLOAD:
			if (!strcmp(optarg, "ascii"))
				payload = KCAP_FOLLOW_ASCII;
			else if (!strcmp(optarg, "hex"))
				payload = KCAP_FOLLOW_HEX;
			else if (!strcmp(optarg, "raw"))
				payload = KCAP_FOLLOW_RAW;
			else
				die_usage("--payload: '%s' is not ascii, hex or raw", optarg);
			break;
		case OPT_NOPAYLOAD:
			o.no_payload = 1;
			break;
		case OPT_ANALYZE:
			o.analyze = 1;
			break;
		case OPT_EXPERT:
			expert = 1;
			break;
		case OPT_PLOT:
			if (kcap_plot_kind(optarg) < 0)
				die_usage("--plot: '%s' is not window, throughput, rtt or seq", optarg);
			plot = optarg;
			break;
		case OPT_IOGRAPH:
			io_ns = parse_secs(optarg);
			if (!io_ns)
				die_usage("--io-graph: '%s' is not an interval in seconds", optarg);
			break;
		case OPT_INTERVAL:
			interval_ns = parse_secs(optarg);
			if (!interval_ns)
				die_usage("--interval: '%s' is not an interval in seconds", optarg);
			break;
		case OPT_COMPARE:
			cmp_a = optarg;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	first_arg = optind;
	/* --plot KIND SPEC and --compare A B take a second operand. */
	if (plot) {
		if (first_arg >= argc)
			die_usage("--plot %s needs a connection: ADDR:PORT-ADDR:PORT or a stream", plot);
		follow = argv[first_arg++];
	}
	if (cmp_a) {
		if (first_arg >= argc)
			die_usage("--compare needs two files");
		file = cmp_a;
		cmp_a = argv[first_arg++];
	}
	for (i = first_arg; i < argc; i++) {
		int k = snprintf(filter + n, sizeof(filter) - n, "%s%s", n ? " " : "", argv[i]);

		if (k < 0 || (size_t)k >= sizeof(filter) - n)
			die_usage("filter expression too long");
		n += (size_t)k;
	}
	modes = conv + endpoints + expert + !!(follow && !plot) + !!plot + !!io_ns + !!cmp_a;
	if (!file)
		die_usage("-r FILE is required (live capture is kcapdump's)");
	if (modes > 1)
		die_usage("--conversations, --endpoints, --expert, --follow, --plot, --io-graph "
			  "and --compare are exclusive");
	if (modes && (o.oneline || o.hex || count))
		die_usage("%s: the tables and pictures take no -q, -x or -c",
			  conv ? "--conversations" : endpoints ? "--endpoints" : expert ? "--expert" :
			  plot ? "--plot" : io_ns ? "--io-graph" : cmp_a ? "--compare" : "--follow");
	if (!modes && fmt == KCAP_FMT_CSV)
		die_usage("-T csv is for the tables (--conversations, --endpoints, ...)");
	if (o.oneline && fmt == KCAP_FMT_JSON)
		die_usage("-q and -T json are exclusive");
	if (payload != KCAP_FOLLOW_TABLE && (!follow || plot))
		die_usage("--payload goes with --follow");
	if (interval_ns && !plot)
		die_usage("--interval goes with --plot");
	if (ofile && !plot && !io_ns)
		die_usage("-o goes with --plot or --io-graph");
	if ((plot || io_ns) && !ofile && fmt != KCAP_FMT_CSV)
		die_usage("%s needs -o OUT.png (or -T csv for its data)", plot ? "--plot" : "--io-graph");
	if ((plot || io_ns) && ofile && fmt_arg)
		die_usage("-o writes a picture: it takes no -T");
	o.json = fmt == KCAP_FMT_JSON;

	if (expert)
		ret = kcap_expert_file(file, filter, fmt, stdout, err, sizeof(err));
	else if (conv)
		ret = kcap_conversations_file_fmt(file, filter, fmt, stdout, err, sizeof(err));
	else if (endpoints)
		ret = kcap_endpoints_file(file, filter, fmt, stdout, err, sizeof(err));
	else if (plot)
		ret = kcap_plot_file(file, filter, kcap_plot_kind(plot), follow, interval_ns,
				     ofile, stdout, err, sizeof(err));
	else if (io_ns)
		ret = kcap_io_graph_file(file, filter, io_ns, ofile, stdout, err, sizeof(err));
	else if (cmp_a)
		ret = kcap_compare_files(file, cmp_a, filter, fmt, stdout, err, sizeof(err));
	else if (follow)
		ret = kcap_follow_file_fmt(file, filter, follow, fmt, payload, stdout,
					   err, sizeof(err));
	else
		ret = kcap_decode_file(file, filter, count, &o, stdout, err, sizeof(err));
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "kcapdecode: stdout: %s\n", strerror(errno));
		return 1;
	}
	if (ret) {
		fprintf(stderr, "kcapdecode: %s\n", err);
		return 1;
	}
	return 0;
}
