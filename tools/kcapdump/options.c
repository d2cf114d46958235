// SPDX-License-Identifier: GPL-2.0
/*
 * kcapdump's command line into struct kd_opts: getopt's loop, then the
 * trailing words (KEY=VALUE or a filter expression), then the checks that
 * span options, each a usage error that names what is wrong.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "options.h"

#define MAX_KV	64

static void usage(FILE *fp)
{
	fprintf(fp,
"Usage: kcapdump [-s SESSION] [-w FILE|-] [--pcapng] [-c COUNT] [-C SIZE]\n"
"                [-G SECONDS] [-W COUNT] [-q | -T json] [-x] [-U]\n"
"                [KEY=VALUE...] [EXPRESSION]\n"
"       kcapdump -r FILE [-c COUNT] [-q | -T json] [-x] [-w FILE [--pcapng]]\n"
"                [EXPRESSION]\n"
"       kcapdump -r FILE --conversations | --follow ADDR:PORT-ADDR:PORT\n"
"                [EXPRESSION]\n"
"       kcapdump --stats[=SECONDS] [-s SESSION] [-c COUNT] [KEY=VALUE...]\n"
"\n"
"  -s SESSION      session to read (default \"" KCAP_DEFAULT_SESSION "\")\n"
"  -w FILE         write packets to FILE (pcap, nanosecond time stamps);\n"
"                  - is standard output; without -w, print each packet\n"
"                  as a decoded tree\n"
"  --pcapng        write pcapng: interface names and packet directions\n"
"  -r FILE         read packets from a pcap or pcapng FILE (- for stdin)\n"
"  -c COUNT        stop after COUNT packets (with --stats: intervals)\n"
"  -q              quiet: one line per packet; no \"listening\" line and\n"
"                  no live status line\n"
"  -x              add a hex dump of each packet\n"
"  -T json         print one JSON object per packet\n"
"  -U              packet-buffered: write out after every batch of packets\n"
"                  (by default output waits for 256 KiB or 200 ms)\n"
"  -C SIZE         start a new file when one exceeds SIZE millions of\n"
"                  bytes (or SIZE with a K, M or G suffix): FILE, FILE1...\n"
"  -G SECONDS      start a new file every SECONDS; FILE may hold strftime(3)\n"
"                  conversions\n"
"  -W COUNT        with -C: reuse COUNT files in a ring; with -G: stop\n"
"                  after COUNT files\n"
"  --conversations list the TCP connections in FILE\n"
"  --follow SPEC   one TCP connection of FILE packet by packet\n"
"                  (IPv6 as [ADDR]:PORT)\n"
"  --stats[=SECS]  print packets/s and bits/s per device and direction\n"
"                  every SECS (1); the kernel counts without copying\n"
"  -h, --help      this text\n"
"\n"
"KEY=VALUE configures the session first, as kcapctl set does (see\n"
"kcapctl --help): dev capture src dst sport dport l4proto snaplen filter\n"
"ring stats-only. Other trailing words are a pcap-filter(7) EXPRESSION:\n"
"live, the same as filter=EXPRESSION; with -r, applied to the file.\n"
"To send a savefile's packets, see kcapgen replay.\n");
}

/* -C as tcpdump: millions of bytes, or binary units with a suffix. */
static uint64_t parse_file_size(const char *val)
{
	uint64_t v;
	size_t n = strlen(val);

	if (n && strchr("kKmMgG", val[n - 1])) {
		if (kcap_parse_size(val, 1ULL << 50, &v) || !v)
			cli_die_usage("-C: '%s' is not a file size", val);
		return v;
	}
	if (kcap_parse_u64(val, 1ULL << 30, &v) || !v)
		cli_die_usage("-C: '%s' is not a file size", val);
	return v * 1000000;
}

/*
 * key=value is ours when the key could be one of ours; "tcp[13]=2",
 * "len<=100" and "<=" are pcap-filter words.
 */
static bool is_keyval(const char *arg)
{
	const char *p;

	if (!kcap_arg_is_keyval(arg))
		return false;
	for (p = arg; *p != '='; p++)
		if (!islower((unsigned char)*p) && *p != '-')
			return false;
	return true;
}

/* Trailing words that are not key=value: one filter expression. */
static void add_expr_word(struct kd_opts *o, const char *w)
{
	size_t old = o->expr ? strlen(o->expr) : 0;
	char *e = realloc(o->expr, old + strlen(w) + 2);

	if (!e)
		cli_die("out of memory");
	if (old)
		e[old++] = ' ';
	strcpy(e + old, w);
	o->expr = e;
}

enum { OPT_PCAPNG = 256, OPT_STATS, OPT_CONV, OPT_FOLLOW, OPT_INJECT };

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "pcapng", no_argument, NULL, OPT_PCAPNG },
	{ "stats", optional_argument, NULL, OPT_STATS },
	{ "conversations", no_argument, NULL, OPT_CONV },
	{ "follow", required_argument, NULL, OPT_FOLLOW },
	{ "inject", required_argument, NULL, OPT_INJECT },
	{ NULL, 0, NULL, 0 },
};

/* One option of getopt's loop. */
static void take_option(struct kd_opts *o, int c, int argc, char **argv)
{
	switch (c) {
	case 'h':
		usage(stdout);
		exit(0);
	case 'q':
		o->quiet = true;
		o->print.oneline = 1;
		break;
	case 's':
		if (!*optarg || strlen(optarg) >= KCAP_NAME_LEN)
			cli_die_usage("-s: bad session name '%s'", optarg);
		o->session = optarg;
		break;
	case 'w':
		if (!*optarg)
			cli_die_usage("-w: empty file name");
		o->wfile = optarg;
		break;
	case 'r':
		if (!*optarg)
			cli_die_usage("-r: empty file name");
		o->rfile = optarg;
		break;
	case 'c':
		o->count = cli_uint("-c", optarg, 1, UINT64_MAX);
		break;
	case 'C':
		o->file.file_size = parse_file_size(optarg);
		break;
	case 'G':
		o->file.rotate_secs = cli_uint("-G", optarg, 1, 86400 * 366);
		break;
	case 'W':
		o->file.file_count = cli_uint("-W", optarg, 1, 1000000);
		break;
	case 'x':
		o->print.hex = 1;
		break;
	case 'T':
		if (strcmp(optarg, "json"))
			cli_die_usage("-T: '%s' is not a known format (json)", optarg);
		o->print.json = 1;
		break;
	case 'U':
		o->packet_buffered = true;
		break;
	case OPT_PCAPNG:
		o->file.fmt = KD_PCAPNG;
		break;
	case OPT_STATS:
		o->mode = KD_STATS;
		o->stats_secs = 1;
		/* --stats 5 as well as --stats=5 */
		if (!optarg && optind < argc && argv[optind][0] >= '0' &&
		    argv[optind][0] <= '9')
			optarg = argv[optind++];
		if (optarg)
			o->stats_secs = cli_uint("--stats", optarg, 1, 86400);
		break;
	case OPT_CONV:
		o->conversations = true;
		break;
	case OPT_FOLLOW:
		o->follow = optarg;
		break;
	case OPT_INJECT:
		cli_die_usage("--inject: savefiles are sent by kcapgen replay FILE -i DEV");
	default:
		cli_die_option(c, argv);
	}
}

/* -r's checks, and its filter: the expression, or filter=. */
static void check_offline(struct kd_opts *o, int nkv, char **kv)
{
	char err[256];
	struct kcap_follow *f;
	int fd;

	if (o->mode == KD_STATS)
		cli_die_usage("--stats counts a live session: it takes no -r");
	if (o->session)
		cli_die_usage("-s picks a live session: it takes no -r");
	for (int i = 0; i < nkv; i++) {
		if (strncmp(kv[i], "filter=", 7))
			cli_die_usage("'%s' configures a live session: it takes no -r", kv[i]);
		if (o->expr || nkv > 1)
			cli_die_usage("a filter expression and filter= are both given");
		o->filter = kv[i] + 7;
	}
	if (o->expr)
		o->filter = o->expr;
	if (o->conversations && o->follow)
		cli_die_usage("--conversations and --follow are exclusive");
	if ((o->conversations || o->follow) &&
	    (o->wfile || o->count || o->print.oneline || o->print.hex || o->print.json))
		cli_die_usage("%s takes no -w, -c, -q, -x or -T",
			      o->conversations ? "--conversations" : "--follow");
	if (o->follow) {
		f = kcap_follow_new(o->follow, err, sizeof(err));
		if (!f)
			cli_die_usage("%s", err);	/* it names --follow */
		kcap_follow_free(f);
	}
	/* A file that is not there is the command line's mistake. */
	if (strcmp(o->rfile, "-")) {
		fd = open(o->rfile, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			cli_die_usage("-r: %s: %s", o->rfile, strerror(errno));
		close(fd);
	}
	o->mode = KD_OFFLINE;
}

/* Live, the expression is filter=EXPRESSION; then the grammar's checks. */
static void check_live(struct kd_opts *o, int nkv, char **kv)
{
	char err[KCAP_ERRBUF_SIZE];

	if (o->conversations || o->follow)
		cli_die_usage("%s needs -r FILE", o->conversations ? "--conversations" : "--follow");
	if (o->expr) {
		for (int i = 0; i < nkv; i++)
			if (!strncmp(kv[i], "filter=", 7))
				cli_die_usage("a filter expression and filter= are both given");
		if (asprintf(&o->filter_kv, "filter=%s", o->expr) < 0)
			cli_die("out of memory");
		kv[nkv++] = o->filter_kv;
	}
	if (kcap_args_parse(&o->args, nkv, kv, err, sizeof(err)))
		cli_die_usage("%s", err);
}

/* The checks between options, after the mode is known. */
static void check_spans(const struct kd_opts *o)
{
	const struct kd_file_opts *f = &o->file;

	if (o->mode == KD_STATS && (o->wfile || f->fmt == KD_PCAPNG || f->file_size ||
				    f->rotate_secs || f->file_count))
		cli_die_usage("--stats writes no packets: it takes no -w, --pcapng, -C, -G or -W");
	if (o->mode == KD_STATS && (o->print.hex || o->print.json || o->packet_buffered))
		cli_die_usage("--stats prints no packets: it takes no -x, -T or -U");
	if ((f->file_size || f->rotate_secs) && (!o->wfile || !strcmp(o->wfile, "-")))
		cli_die_usage("-C and -G need -w FILE");
	if (f->file_count && !f->file_size && !f->rotate_secs)
		cli_die_usage("-W needs -C or -G");
	if (f->fmt == KD_PCAPNG && !o->wfile)
		cli_die_usage("--pcapng needs -w");
	if (o->wfile && (o->print.hex || o->print.json))
		cli_die_usage("-x and -T print packets: they take no -w");
	if (o->print.oneline && o->print.json)
		cli_die_usage("-q and -T json are exclusive");
}

void kd_opts_parse(struct kd_opts *o, int argc, char **argv)
{
	char *kv[MAX_KV];
	int c, nkv = 0;

	memset(o, 0, sizeof(*o));
	o->file.fmt = KD_PCAP;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hqs:w:r:c:C:G:W:xT:U", longopts, NULL)) != -1)
		take_option(o, c, argc, argv);
	for (; optind < argc; optind++) {
		if (!is_keyval(argv[optind])) {
			add_expr_word(o, argv[optind]);
			continue;
		}
		if (nkv == MAX_KV - 1)
			cli_die_usage("too many key=value arguments");
		kv[nkv++] = argv[optind];
	}
	if (o->rfile)
		check_offline(o, nkv, kv);
	else
		check_live(o, nkv, kv);
	if (!o->session)
		o->session = KCAP_DEFAULT_SESSION;
	o->file.path = o->wfile;
	check_spans(o);
}

void kd_opts_free(struct kd_opts *o)
{
	free(o->expr);
	free(o->filter_kv);
	o->expr = o->filter_kv = NULL;
}
