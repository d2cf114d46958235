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
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum {
	OPT_FOLLOW = 256, OPT_PAYLOAD, OPT_PLOT, OPT_IOGRAPH, OPT_INTERVAL, OPT_COMPARE,
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

static void require_file(const char *file)
{
	if (!file)
		die_usage("-r FILE is required (live capture is kcapdump's)");
}

/* The operands from argv[i] on are one filter expression. */
static void join_filter(char *filter, size_t len, int argc, char **argv, int i)
{
	size_t n = 0;

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

struct choice {
	const char *name;
	int value;
};

/* The value of the choice named val; a usage error saying what opt takes if none. */
static int choose(const char *opt, const char *val, const struct choice *c, size_t n,
		  const char *what)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(val, c[i].name))
			return c[i].value;
	die_usage("%s: '%s' is not %s", opt, val, what);
}

#define LINE_FLAG(ch, max, field) { ch, max, offsetof(struct kcap_lines_opts, field) }

/*
 * tcpdump's one-letter flags as kcap_lines_opts: given again, a count
 * that stops at max, or (max 0) just on. False if c is none of them.
 */
static bool line_flag(struct kcap_lines_opts *lo, int c)
{
	static const struct {
		char c;
		uint8_t max;
		size_t off;
	} flags[] = {
		LINE_FLAG('A', 2, Aflag), LINE_FLAG('e', 0, eflag), LINE_FLAG('K', 0, Kflag),
		LINE_FLAG('n', 2, nflag), LINE_FLAG('N', 0, Nflag), LINE_FLAG('q', 2, qflag),
		LINE_FLAG('S', 0, Sflag), LINE_FLAG('t', 5, tflag), LINE_FLAG('v', 3, vflag),
		LINE_FLAG('x', 2, xflag), LINE_FLAG('X', 2, Xflag), LINE_FLAG('#', 0, number),
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		uint8_t *f = (uint8_t *)lo + flags[i].off;

		if (flags[i].c != c)
			continue;
		if (!flags[i].max)
			*f = 1;
		else if (*f >= flags[i].max)
			die_usage("-%c: given more than %d times", c, flags[i].max);
		else
			(*f)++;
		return true;
	}
	return false;
}

static int tcpdump_main(int argc, char **argv)
{
	static const struct choice precisions[] = { { "micro", 0 }, { "nano", 1 } };
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "tcpdump", no_argument, NULL, OPT_TCPDUMP },
		{ "time-stamp-precision", required_argument, NULL, OPT_PRECISION },
		{ "micro", no_argument, NULL, OPT_MICRO }, { "nano", no_argument, NULL, OPT_NANO },
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
		case 'c':
			count = parse_count(optarg);
			break;
		case 'r':
			file = optarg;
			break;
		case OPT_PRECISION:
			lo.nano = (uint8_t)choose("--time-stamp-precision", optarg, precisions,
						  ARRAY_SIZE(precisions), "micro or nano");
			break;
		case OPT_MICRO:
			lo.nano = 0;
			break;
		case OPT_NANO:
			lo.nano = 1;
			break;
		default:
			if (!line_flag(&lo, c)) {
				usage(stderr);
				return 2;
			}
		}
	}
	require_file(file);
	join_filter(filter, sizeof(filter), argc, argv, optind);
	o.lines = kcap_lines_new(&lo);
	if (!o.lines) {
		fprintf(stderr, "kcapdecode: out of memory\n");
		return 1;
	}
	ret = kcap_decode_file(file, filter, count, &o, stdout, err, sizeof(err));
	kcap_lines_free(o.lines);
	return finish(ret, err);
}

/* What the command line asks of kcapdecode outside --tcpdump. */
struct kd_args {
	struct kcap_dec_opts o;
	const char *file, *follow, *plot, *ofile, *cmp_a, *fmt_arg;
	char filter[4096];
	unsigned long long count;
	uint64_t io_ns, interval_ns;
	int conv, expert, endpoints, payload, fmt;
};

static const struct choice formats[] = {
	{ "json", KCAP_FMT_JSON }, { "csv", KCAP_FMT_CSV }, { "text", KCAP_FMT_TEXT },
};
static const struct choice payloads[] = {
	{ "ascii", KCAP_FOLLOW_ASCII }, { "hex", KCAP_FOLLOW_HEX }, { "raw", KCAP_FOLLOW_RAW },
};

static uint64_t parse_interval(const char *opt, const char *val)
{
	uint64_t ns = parse_secs(val);

	if (!ns)
		die_usage("%s: '%s' is not an interval in seconds", opt, val);
	return ns;
}

/* One option of getopt's loop. */
static void take_option(struct kd_args *a, int c)
{
	switch (c) {
	case 0:		/* a switch, already set */
		break;
	case 'h':
		usage(stdout);
		exit(0);
	case 'r':
		a->file = optarg;
		break;
	case 'q':
		a->o.oneline = 1;
		break;
	case 'v':
		a->o.verbose_tree = 1;
		break;
	case 'x':
		a->o.hex = 1;
		break;
	case 'T':
		a->fmt = choose("-T", optarg, formats, ARRAY_SIZE(formats),
				"a known format (json, csv, text)");
		a->fmt_arg = optarg;
		break;
	case 'c':
		a->count = parse_count(optarg);
		break;
	case OPT_FOLLOW:
		a->follow = optarg;
		break;
	case OPT_PAYLOAD:
		a->payload = choose("--payload", optarg, payloads, ARRAY_SIZE(payloads),
				    "ascii, hex or raw");
		break;
	case OPT_PLOT:
		if (kcap_plot_kind(optarg) < 0)
			die_usage("--plot: '%s' is not window, throughput, rtt or seq", optarg);
		a->plot = optarg;
		break;
	case OPT_INTERVAL:
		a->interval_ns = parse_interval("--interval", optarg);
		break;
	case 'o':	/* --plot's or --io-graph's picture */
		a->ofile = optarg;
		break;
	case OPT_IOGRAPH:
		a->io_ns = parse_interval("--io-graph", optarg);
		break;
	case OPT_COMPARE:
		a->cmp_a = optarg;
		break;
	default:
		usage(stderr);
		exit(2);
	}
}

#define SWITCH(name, flag)	{ name, no_argument, flag, 1 }
#define VALUE(name, val)	{ name, required_argument, NULL, val }

static void parse_args(struct kd_args *a, int argc, char **argv)
{
	/* getopt_long() sets the switches itself, take_option() does the rest. */
	const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		SWITCH("analyze", &a->o.analyze), SWITCH("analyse", &a->o.analyze),
		SWITCH("no-payload", &a->o.no_payload),
		SWITCH("conversations", &a->conv), SWITCH("endpoints", &a->endpoints),
		SWITCH("expert", &a->expert),
		VALUE("follow", OPT_FOLLOW), VALUE("payload", OPT_PAYLOAD),
		VALUE("plot", OPT_PLOT), VALUE("interval", OPT_INTERVAL),
		VALUE("io-graph", OPT_IOGRAPH), VALUE("compare", OPT_COMPARE),
		{ NULL, 0, NULL, 0 },
	};
	int c, first_arg;

	while ((c = getopt_long(argc, argv, "hr:qvxT:c:o:", longopts, NULL)) != -1)
		take_option(a, c);
	first_arg = optind;
	/* --plot KIND SPEC and --compare A B take a second operand. */
	if (a->plot) {
		if (first_arg >= argc)
			die_usage("--plot %s needs a connection: ADDR:PORT-ADDR:PORT or a stream",
				  a->plot);
		a->follow = argv[first_arg++];
	}
	if (a->cmp_a) {
		if (first_arg >= argc)
			die_usage("--compare needs two files");
		a->file = a->cmp_a;
		a->cmp_a = argv[first_arg++];
	}
	join_filter(a->filter, sizeof(a->filter), argc, argv, first_arg);
}

/* The options that go together, and those that do not. */
static void check_args(const struct kd_args *a)
{
	const struct kcap_dec_opts *o = &a->o;
	int plot = !!a->plot, io = !!a->io_ns;
	int modes = a->conv + a->endpoints + a->expert + !!(a->follow && !plot) + plot + io +
		    !!a->cmp_a;

	require_file(a->file);
	if (modes > 1)
		die_usage("--conversations, --endpoints, --expert, --follow, --plot, --io-graph "
			  "and --compare are exclusive");
	if (modes && (o->oneline || o->hex || a->count))
		die_usage("%s: the tables and pictures take no -q, -x or -c",
			  a->conv ? "--conversations" : a->endpoints ? "--endpoints" :
			  a->expert ? "--expert" : plot ? "--plot" : io ? "--io-graph" :
			  a->cmp_a ? "--compare" : "--follow");
	if (!modes && a->fmt == KCAP_FMT_CSV)
		die_usage("-T csv is for the tables (--conversations, --endpoints, ...)");
	if (o->oneline && a->fmt == KCAP_FMT_JSON)
		die_usage("-q and -T json are exclusive");
	if (a->payload != KCAP_FOLLOW_TABLE && (!a->follow || plot))
		die_usage("--payload goes with --follow");
	if (a->interval_ns && !plot)
		die_usage("--interval goes with --plot");
	if (a->ofile && !plot && !io)
		die_usage("-o goes with --plot or --io-graph");
	if ((plot || io) && !a->ofile && a->fmt != KCAP_FMT_CSV)
		die_usage("%s needs -o OUT.png (or -T csv for its data)",
			  plot ? "--plot" : "--io-graph");
	if ((plot || io) && a->ofile && a->fmt_arg)
		die_usage("-o writes a picture: it takes no -T");
}

/* The one table, stream, picture or packet listing asked for. */
static int run(const struct kd_args *a, char *err, size_t errlen)
{
	const char *file = a->file, *filter = a->filter;
	int fmt = a->fmt;

	if (a->expert)
		return kcap_expert_file(file, filter, fmt, stdout, err, errlen);
	if (a->conv)
		return kcap_conversations_file_fmt(file, filter, fmt, stdout, err, errlen);
	if (a->endpoints)
		return kcap_endpoints_file(file, filter, fmt, stdout, err, errlen);
	if (a->plot)
		return kcap_plot_file(file, filter, kcap_plot_kind(a->plot), a->follow,
				      a->interval_ns, a->ofile, stdout, err, errlen);
	if (a->io_ns)
		return kcap_io_graph_file(file, filter, a->io_ns, a->ofile, stdout, err, errlen);
	if (a->cmp_a)
		return kcap_compare_files(file, a->cmp_a, filter, fmt, stdout, err, errlen);
	if (a->follow)
		return kcap_follow_file_fmt(file, filter, a->follow, fmt, a->payload, stdout,
					    err, errlen);
	return kcap_decode_file(file, filter, a->count, &a->o, stdout, err, errlen);
}

int main(int argc, char **argv)
{
	struct kd_args a = { .payload = KCAP_FOLLOW_TABLE, .fmt = KCAP_FMT_TEXT };
	char err[512] = "";
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--tcpdump"))
			return tcpdump_main(argc, argv);
	parse_args(&a, argc, argv);
	check_args(&a);
	a.o.json = a.fmt == KCAP_FMT_JSON;
	return finish(run(&a, err, sizeof(err)), err);
}
