// SPDX-License-Identifier: GPL-2.0
/*
 * kcapdump: read a kcap session's ring into pcap or pcapng files, to a
 * pipe, or as decoded packets; read savefiles back (-r); or watch a
 * session's rates (--stats). This file: the command line and main().
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "inject.h"
#include "kcapdump.h"
#include "rates.h"

volatile sig_atomic_t stop;
static struct kcap *sig_kcap;

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
"live, the same as filter=EXPRESSION; with -r, applied to the file.\n");
}

__attribute__((format(printf, 1, 2), noreturn))
static void die_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kcapdump: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_USAGE);
}

void kd_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kcapdump: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
	if (sig_kcap)
		kcap_breakloop(sig_kcap);
}

static unsigned int parse_uint(const char *opt, const char *val, uint64_t max)
{
	uint64_t v;

	if (kcap_parse_u64(val, max, &v) || !v)
		die_usage("%s: '%s' is not a number from 1 to %llu", opt, val,
			  (unsigned long long)max);
	return v;
}

/* -C as tcpdump: millions of bytes, or binary units with a suffix. */
static uint64_t parse_file_size(const char *val)
{
	uint64_t v;
	size_t n = strlen(val);

	if (n && strchr("kKmMgG", val[n - 1])) {
		if (kcap_parse_size(val, 1ULL << 50, &v) || !v)
			die_usage("-C: '%s' is not a file size", val);
		return v;
	}
	if (kcap_parse_u64(val, 1ULL << 30, &v) || !v)
		die_usage("-C: '%s' is not a file size", val);
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
static void add_expr_word(struct ctx *x, const char *w)
{
	size_t old = x->expr ? strlen(x->expr) : 0;
	char *e = realloc(x->expr, old + strlen(w) + 2);

	if (!e) {
		kd_warn("out of memory");
		exit(EXIT_FAILURE);
	}
	if (old)
		e[old++] = ' ';
	strcpy(e + old, w);
	x->expr = e;
}

static void check_offline(struct ctx *x, int nkv, char **kv)
{
	char err[256];
	struct kcap_follow *f;
	int fd;

	if (!x->rfile) {
		if (x->conversations || x->follow)
			die_usage("%s needs -r FILE", x->conversations ? "--conversations" : "--follow");
		return;
	}
	if (x->stats_mode)
		die_usage("--stats counts a live session: it takes no -r");
	if (x->session)
		die_usage("-s picks a live session: it takes no -r");
	for (int i = 0; i < nkv; i++) {
		if (strncmp(kv[i], "filter=", 7))
			die_usage("'%s' configures a live session: it takes no -r", kv[i]);
		if (x->expr || nkv > 1)
			die_usage("a filter expression and filter= are both given");
		x->filter = kv[i] + 7;
	}
	if (x->expr)
		x->filter = x->expr;
	if (x->conversations && x->follow)
		die_usage("--conversations and --follow are exclusive");
	if ((x->conversations || x->follow) &&
	    (x->wfile || x->count || x->show.o.oneline || x->show.o.hex || x->show.o.json))
		die_usage("%s takes no -w, -c, -q, -x or -T",
			  x->conversations ? "--conversations" : "--follow");
	if (x->follow) {
		f = kcap_follow_new(x->follow, err, sizeof(err));
		if (!f)
			die_usage("%s", err);	/* it names --follow */
		kcap_follow_free(f);
	}
	/* A file that is not there is the command line's mistake. */
	if (strcmp(x->rfile, "-")) {
		fd = open(x->rfile, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die_usage("-r: %s: %s", x->rfile, strerror(errno));
		close(fd);
	}
}

static void parse_options(struct ctx *x, int argc, char **argv,
			  struct kcap_args *a)
{
	enum { OPT_PCAPNG = 256, OPT_STATS, OPT_CONV, OPT_FOLLOW };
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "pcapng", no_argument, NULL, OPT_PCAPNG },
		{ "stats", optional_argument, NULL, OPT_STATS },
		{ "conversations", no_argument, NULL, OPT_CONV },
		{ "follow", required_argument, NULL, OPT_FOLLOW },
		{ NULL, 0, NULL, 0 },
	};
	char *kv[64];
	char err[KCAP_ERRBUF_SIZE];
	int c, nkv = 0, digits;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hqs:w:r:c:C:G:W:xT:U", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			exit(0);
		case 'q':
			x->quiet = true;
			x->show.o.oneline = 1;
			break;
		case 's':
			if (!*optarg || strlen(optarg) >= KCAP_NAME_LEN)
				die_usage("-s: bad session name '%s'", optarg);
			x->session = optarg;
			break;
		case 'w':
			x->wfile = optarg;
			break;
		case 'r':
			if (!*optarg)
				die_usage("-r: empty file name");
			x->rfile = optarg;
			break;
		case 'c':
			x->count = parse_uint("-c", optarg, UINT64_MAX);
			break;
		case 'C':
			x->file_size = parse_file_size(optarg);
			break;
		case 'G':
			x->rotate_secs = parse_uint("-G", optarg, 86400 * 366);
			break;
		case 'W':
			x->file_count = parse_uint("-W", optarg, 1000000);
			break;
		case 'x':
			x->show.o.hex = 1;
			break;
		case 'T':
			if (strcmp(optarg, "json"))
				die_usage("-T: '%s' is not a known format (json)", optarg);
			x->show.o.json = 1;
			break;
		case 'U':
			x->packet_buffered = true;
			break;
		case OPT_PCAPNG:
			x->fmt = KD_PCAPNG;
			break;
		case OPT_STATS:
			x->stats_mode = true;
			x->stats_secs = 1;
			/* --stats 5 as well as --stats=5 */
			if (!optarg && optind < argc && argv[optind][0] >= '0' &&
			    argv[optind][0] <= '9')
				optarg = argv[optind++];
			if (optarg)
				x->stats_secs = parse_uint("--stats", optarg, 86400);
			break;
		case OPT_CONV:
			x->conversations = true;
			break;
		case OPT_FOLLOW:
			x->follow = optarg;
			break;
		case ':':
			die_usage("option '%s' needs a value", argv[optind - 1]);
		default:
			if (optopt)
				die_usage("unknown option '-%c' (try kcapdump --help)", optopt);
			die_usage("unknown option '%s' (try kcapdump --help)", argv[optind - 1]);
		}
	}
	for (; optind < argc; optind++) {
		if (!is_keyval(argv[optind])) {
			add_expr_word(x, argv[optind]);
			continue;
		}
		if (nkv == (int)(sizeof(kv) / sizeof(kv[0])) - 1)
			die_usage("too many key=value arguments");
		kv[nkv++] = argv[optind];
	}

	/* Checks that span options. */
	check_offline(x, nkv, kv);
	if (!x->session)
		x->session = KCAP_DEFAULT_SESSION;
	if (!x->rfile) {
		/* Live, an expression is filter=EXPRESSION. */
		if (x->expr) {
			char *f;

			for (int i = 0; i < nkv; i++)
				if (!strncmp(kv[i], "filter=", 7))
					die_usage("a filter expression and filter= are both given");
			if (asprintf(&f, "filter=%s", x->expr) < 0) {
				kd_warn("out of memory");
				exit(EXIT_FAILURE);
			}
			kv[nkv++] = f;	/* lives as long as the run */
		}
		if (kcap_args_parse(a, nkv, kv, err, sizeof(err)))
			die_usage("%s", err);
	} else {
		memset(a, 0, sizeof(*a));
	}
	if (x->stats_mode && (x->wfile || x->fmt == KD_PCAPNG || x->file_size ||
			      x->rotate_secs || x->file_count))
		die_usage("--stats writes no packets: it takes no -w, --pcapng, -C, -G or -W");
	if (x->stats_mode && (x->show.o.hex || x->show.o.json || x->packet_buffered))
		die_usage("--stats prints no packets: it takes no -x, -T or -U");
	if ((x->file_size || x->rotate_secs) && (!x->wfile || !strcmp(x->wfile, "-")))
		die_usage("-C and -G need -w FILE");
	if (x->file_count && !x->file_size && !x->rotate_secs)
		die_usage("-W needs -C or -G");
	if (x->fmt == KD_PCAPNG && !x->wfile)
		die_usage("--pcapng needs -w");
	if (x->wfile && !*x->wfile)
		die_usage("-w: empty file name");
	if (x->wfile && (x->show.o.hex || x->show.o.json))
		die_usage("-x and -T print packets: they take no -w");
	if (x->show.o.oneline && x->show.o.json)
		die_usage("-q and -T json are exclusive");
	/* As tcpdump: enough digits for the largest file number. */
	digits = 0;
	for (unsigned int n = x->file_count ? x->file_count - 1 : 0; n; n /= 10)
		digits++;
	x->wchars = digits;
}

static void die_kcap(struct ctx *x)
{
	fprintf(stderr, "kcapdump: %s\n", kcap_geterr(x->k));
	exit(EXIT_FAILURE);
}

static void describe(struct ctx *x, const struct kcap_cfg *cfg, char *buf, size_t len)
{
	const struct kcap_config *c = &cfg->c;
	size_t n = 0;

	if (c->flags & KCAP_CFG_ANY_DEV) {
		n = snprintf(buf, len, "any device");
	} else if (!c->ndevs) {
		n = snprintf(buf, len, "no device");
	} else {
		for (unsigned int i = 0; i < c->ndevs && i < KCAP_MAX_DEVS && n < len; i++) {
			char ifname[IF_NAMESIZE];

			if (!if_indextoname(c->ifindex[i], ifname))
				snprintf(ifname, sizeof(ifname), "if%d", c->ifindex[i]);
			n += snprintf(buf + n, len - n, "%s%s", i ? "," : "", ifname);
		}
	}
	if (n < len)
		snprintf(buf + n, len - n, ", %s", kcap_capture_name(c->capture));
	if (c->capture == KCAP_CAPTURE_OFF)
		kd_warn("warning: session '%s' has capture=off: nothing will be captured "
		      "(set capture=ingress, egress or bidirectional)", x->session);
	else if (!c->ndevs && !(c->flags & KCAP_CFG_ANY_DEV))
		kd_warn("warning: session '%s' has no devices (set dev=NAME or dev=any)",
		      x->session);
}

/*
 * The devices a pcapng file describes from its first write: the session's,
 * or for dev=any every device there is now (one added later gets its
 * block with its first packet).
 */
static void session_devices(struct ctx *x, const struct kcap_config *c)
{
	struct if_nameindex *all = NULL;
	unsigned int n = 0;

	if (c->flags & KCAP_CFG_ANY_DEV) {
		all = if_nameindex();
		while (all && all[n].if_index)
			n++;
	} else {
		n = c->ndevs < KCAP_MAX_DEVS ? c->ndevs : KCAP_MAX_DEVS;
	}
	x->ifindex = calloc(n ? n : 1, sizeof(*x->ifindex));
	if (!x->ifindex) {
		kd_warn("out of memory");
		exit(EXIT_FAILURE);
	}
	for (unsigned int i = 0; i < n; i++)
		x->ifindex[i] = all ? (int)all[i].if_index : c->ifindex[i];
	x->nifs = n;
	if (all)
		if_freenameindex(all);
}

/* Merge key=value arguments (and stats-only) into the session. */
static void configure(struct ctx *x, const struct kcap_args *a, struct kcap_cfg *cfg,
		      int stats_only)
{
	char err[KCAP_ERRBUF_SIZE];

	kcap_cfg_init(cfg, x->session);
	if (kcap_config_get(x->k, x->session, cfg))
		die_kcap(x);
	if (!a->given && stats_only < 0)
		return;
	if (kcap_args_apply(a, cfg, err, sizeof(err)))
		die_usage("%s", err);
	if (stats_only >= 0) {
		cfg->c.flags &= ~KCAP_CFG_STATS_ONLY;
		if (stats_only)
			cfg->c.flags |= KCAP_CFG_STATS_ONLY;
	}
	if (kcap_config_set(x->k, cfg))
		die_kcap(x);
}

static int stats_loop(struct ctx *x, const struct kcap_args *a)
{
	struct kcap_stat_snap prev, cur;
	struct kcap_cfg cfg;
	char what[256];
	bool was_stats_only;
	int status = 0;

	kcap_cfg_init(&cfg, x->session);
	if (kcap_config_get(x->k, x->session, &cfg))
		die_kcap(x);
	was_stats_only = cfg.c.flags & KCAP_CFG_STATS_ONLY;
	kcap_cfg_free(&cfg);
	configure(x, a, &cfg, 1);
	describe(x, &cfg, what, sizeof(what));
	kcap_cfg_free(&cfg);
	if (!x->quiet)
		fprintf(stderr, "kcapdump: counting on session '%s' (%s) every %u s, "
			"copying no packets\n", x->session, what, x->stats_secs);

	if (kcap_stats_get(x->k, x->session, &prev))
		die_kcap(x);
	rates_header(stdout);
	for (uint64_t n = 0; !stop && (!x->count || n < x->count); n++) {
		struct timespec ts = { x->stats_secs, 0 };

		while (nanosleep(&ts, &ts) && !stop)
			;
		if (stop)
			break;
		if (kcap_stats_get(x->k, x->session, &cur)) {
			kd_warn("%s", kcap_geterr(x->k));
			status = 1;
			break;
		}
		rates_print(stdout, &prev, &cur, x->stats_secs);
		kcap_stats_free(&prev);
		prev = cur;
	}
	kcap_stats_free(&prev);

	/* Leave the session as we found it, bar the keys the user set. */
	if (!was_stats_only && !(a->given & (1U << KCAP_KEY_STATS_ONLY))) {
		struct kcap_args none;

		memset(&none, 0, sizeof(none));
		configure(x, &none, &cfg, 0);
		kcap_cfg_free(&cfg);
	}
	return status;
}

/* Printed packets collect in one buffer that flush.h's policy empties. */
static char stdout_buf[KD_FLUSH_BYTES];

int main(int argc, char **argv)
{
	struct ctx x = { .fmt = KD_PCAP, .dlt = DLT_EN10MB,
			 .snaplen = KCAP_SNAPLEN_MAX };
	struct sigaction sa;
	struct kcap_args a;
	struct kcap_cfg cfg;
	char what[256];
	int ret, status;

	if (kd_inject_wanted(argc, argv))
		return kd_inject_main(argc, argv);
	parse_options(&x, argc, argv, &a);
	/* A terminal sees each batch at once; files and pipes get big writes. */
	kd_flush_init(&x.flush, x.packet_buffered ||
		      (!x.wfile && isatty(STDOUT_FILENO)));
	if (!x.wfile)
		setvbuf(stdout, stdout_buf, _IOFBF, sizeof(stdout_buf));

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll() returns */
	sa.sa_flags = SA_RESETHAND;	/* a second ^C ends a stuck write */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);	/* EPIPE ends a -w - capture */

	if (x.rfile) {
		status = offline(&x);
		free(x.cur_name);
		free(x.expr);
		return status;
	}

	ret = kcap_open(&x.k, NULL);
	if (ret) {
		if (!x.k) {
			kd_warn("out of memory");
			return EXIT_FAILURE;
		}
		die_kcap(&x);
	}
	sig_kcap = x.k;

	if (x.stats_mode) {
		status = stats_loop(&x, &a);
		kcap_close(x.k);
		return status;
	}

	configure(&x, &a, &cfg, -1);
	x.snaplen = cfg.c.snaplen ? cfg.c.snaplen : KCAP_SNAPLEN_MAX;
	describe(&x, &cfg, what, sizeof(what));
	session_devices(&x, &cfg.c);
	if (cfg.c.flags & KCAP_CFG_STATS_ONLY)
		kd_warn("warning: session '%s' is stats-only: no packets are copied "
			"(set stats-only=off)", x.session);
	kcap_cfg_free(&cfg);

	/* Attach before opening the file: a busy session must not cost the
	 * user an existing file. */
	if (kcap_attach(x.k, x.session, 0))
		die_kcap(&x);
	x.have_start = !kcap_stats_get(x.k, x.session, &x.start);

	if (x.wfile) {
		/*
		 * Writing a file, nobody watches packet by packet: have the
		 * kernel wake us per KD_WAKEUP_BYTES of records, or after
		 * KD_WAKEUP_MS, instead of at every packet we keep up with.
		 * -U asks for packets as they come.
		 */
		if (!x.packet_buffered &&
		    kcap_set_wakeup(x.k, KD_WAKEUP_BYTES, KD_WAKEUP_MS))
			die_kcap(&x);
		x.gtime = time(NULL);
		make_name(&x, 0, x.file_size ? x.wchars : 0);
		if (open_output(&x))
			return EXIT_FAILURE;
		x.status = !x.quiet && strcmp(x.wfile, "-") && isatty(STDERR_FILENO);
	}
	if (!x.quiet)
		fprintf(stderr, "kcapdump: listening on session '%s' (%s), link-type "
			"EN10MB (Ethernet), snapshot length %u bytes\n",
			x.session, what, x.snaplen);

	status = capture(&x);
	if (close_output(&x) && !status)
		status = 1;
	if (x.out.err == -EPIPE)
		status = 0;	/* the reader of -w - went away: not an error */
	report(&x);
	kcap_stats_free(&x.start);
	free(x.ifindex);
	free(x.cur_name);
	free(x.expr);
	kcap_close(x.k);
	return status;
}
