// SPDX-License-Identifier: GPL-2.0
/*
 * kcapdecode: libkcapdecode from the command line, with the flags
 * kcapdump will take (-r, -q, -x, -T json, -c, --conversations,
 * --follow, a trailing filter), until kcapdump calls the library itself.
 * With --tcpdump first, the flags are tcpdump's and so are the lines.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"

enum {
	OPT_CONV = 256, OPT_FOLLOW, OPT_NOPAYLOAD, OPT_TCPDUMP, OPT_PRECISION,
	OPT_MICRO, OPT_NANO,
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kcapdecode -r FILE [-q | -v | -T json] [-x] [-c COUNT] [EXPRESSION]\n"
		"       kcapdecode -r FILE --conversations [EXPRESSION]\n"
		"       kcapdecode -r FILE --follow ADDR:PORT-ADDR:PORT [EXPRESSION]\n"
		"\n"
		"  -r FILE          read pcap or pcapng\n"
		"  -q               one line per packet\n"
		"  -v               decoded tree (the default)\n"
		"  -x               add a hex dump of each packet\n"
		"  -T json          one JSON object per packet\n"
		"  -c COUNT         stop after COUNT packets\n"
		"  --no-payload     leave payload previews out\n"
		"  --conversations  list TCP connections\n"
		"  --follow SPEC    one TCP connection packet by packet\n"
		"                   (IPv6 as [ADDR]:PORT)\n"
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
		{ "follow", required_argument, NULL, OPT_FOLLOW },
		{ "no-payload", no_argument, NULL, OPT_NOPAYLOAD },
		{ NULL, 0, NULL, 0 },
	};
	struct kcap_dec_opts o = { 0 };
	const char *file = NULL, *follow = NULL;
	char filter[4096] = "", err[512] = "";
	unsigned long long count = 0;
	int c, conv = 0, ret, i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--tcpdump"))
			return tcpdump_main(argc, argv);
	while ((c = getopt_long(argc, argv, "hr:qvxT:c:", longopts, NULL)) != -1) {
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
			if (strcmp(optarg, "json"))
				die_usage("-T: '%s' is not a known format (json)", optarg);
			o.json = 1;
			break;
		case 'c':
			count = parse_count(optarg);
			break;
		case OPT_CONV:
			conv = 1;
			break;
		case OPT_FOLLOW:
			follow = optarg;
			break;
		case OPT_NOPAYLOAD:
			o.no_payload = 1;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	trailing_args(filter, sizeof(filter), argc, argv, optind, file);
	if (conv && follow)
		die_usage("--conversations and --follow are exclusive");
	if ((conv || follow) && (o.oneline || o.json || o.hex))
		die_usage("--conversations and --follow take no -q, -x or -T");
	if (o.oneline && o.json)
		die_usage("-q and -T json are exclusive");

	if (conv)
		ret = kcap_conversations_file(file, filter, stdout, err, sizeof(err));
	else if (follow)
		ret = kcap_follow_file(file, filter, follow, stdout, err, sizeof(err));
	else
		ret = kcap_decode_file(file, filter, count, &o, stdout, err, sizeof(err));
	return finish(ret, err);
}
