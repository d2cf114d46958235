// SPDX-License-Identifier: GPL-2.0
/*
 * kcapdecode: libkcapdecode from the command line, with the flags
 * kcapdump will take (-r, -q, -x, -T json, -c, --conversations,
 * --follow, a trailing filter), until kcapdump calls the library itself.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"

enum { OPT_CONV = 256, OPT_FOLLOW, OPT_NOPAYLOAD, OPT_ANALYZE, OPT_EXPERT };

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
		"                   (IPv6 as [ADDR]:PORT)\n");
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

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "conversations", no_argument, NULL, OPT_CONV },
		{ "follow", required_argument, NULL, OPT_FOLLOW },
		{ "no-payload", no_argument, NULL, OPT_NOPAYLOAD },
		{ "analyze", no_argument, NULL, OPT_ANALYZE },
		{ "expert", no_argument, NULL, OPT_EXPERT },
		{ NULL, 0, NULL, 0 },
	};
	struct kcap_dec_opts o = { 0 };
	const char *file = NULL, *follow = NULL;
	char filter[4096] = "", err[512] = "";
	unsigned long long count = 0;
	int c, conv = 0, expert = 0, ret, i;
	size_t n = 0;
	char *end;

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
			errno = 0;
			count = strtoull(optarg, &end, 10);
			if (errno || !*optarg || *end || *optarg == '-' || count == 0)
				die_usage("-c: '%s' is not a positive count", optarg);
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
		case OPT_ANALYZE:
			o.analyze = 1;
			break;
		case OPT_EXPERT:
			expert = 1;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	for (i = optind; i < argc; i++) {
		int k = snprintf(filter + n, sizeof(filter) - n, "%s%s", n ? " " : "", argv[i]);

		if (k < 0 || (size_t)k >= sizeof(filter) - n)
			die_usage("filter expression too long");
		n += (size_t)k;
	}
	if (!file)
		die_usage("-r FILE is required (live capture is kcapdump's)");
	if (conv && follow)
		die_usage("--conversations and --follow are exclusive");
	if ((conv || follow) && (o.oneline || o.json || o.hex))
		die_usage("--conversations and --follow take no -q, -x or -T");
	if (o.oneline && o.json)
		die_usage("-q and -T json are exclusive");

	if (expert)
		ret = kcap_expert_file(file, filter, o.json ? KCAP_FMT_JSON : KCAP_FMT_TEXT,
				       stdout, err, sizeof(err));
	else if (conv)
		ret = kcap_conversations_file(file, filter, stdout, err, sizeof(err));
	else if (follow)
		ret = kcap_follow_file(file, filter, follow, stdout, err, sizeof(err));
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
