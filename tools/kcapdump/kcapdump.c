// SPDX-License-Identifier: GPL-2.0
/*
 * kcapdump: read a kcap session's ring into pcap or pcapng files, to a
 * pipe, or as one line per packet; or watch its rates (--stats).
 */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kcap.h"
#include "output.h"
#include "print.h"
#include "rates.h"

#define EXIT_USAGE	2
#define FLUSH_BYTES	(256U << 10)	/* flush a long batch this often */
#define STATUS_MS	250

/* Every setting and all the state of one run. */
struct ctx {
	const char *session;
	const char *wfile;
	enum kd_format fmt;
	uint64_t count;			/* -c: packets, or intervals */
	uint64_t file_size;		/* -C, bytes */
	unsigned int rotate_secs;	/* -G */
	unsigned int file_count;	/* -W */
	int wchars;			/* digits for -W numbering */
	bool stats_mode;
	unsigned int stats_secs;
	bool quiet;
	bool status;			/* live line on stderr */

	struct kcap *k;
	uint32_t snaplen;
	struct kd_out out;
	bool out_open;
	char *cur_name;
	unsigned int cfile;		/* -C file number */
	unsigned int gfiles;		/* -G files opened */
	time_t gtime;
	uint64_t captured;
	struct kcap_stat_snap start;
	bool have_start;
	struct timespec status_t;
	uint64_t status_pkts;
	uint64_t drops;
};

static volatile sig_atomic_t stop;
static struct kcap *sig_kcap;

static void usage(FILE *fp)
{
	fprintf(fp,
"Usage: kcapdump [-s SESSION] [-w FILE|-] [--pcapng] [-c COUNT]\n"
"                [-C SIZE] [-G SECONDS] [-W COUNT] [-q] [KEY=VALUE...]\n"
"       kcapdump --stats[=SECONDS] [-s SESSION] [-c COUNT] [KEY=VALUE...]\n"
"\n"
"  -s SESSION      session to read (default \"" KCAP_DEFAULT_SESSION "\")\n"
"  -w FILE         write packets to FILE (pcap, nanosecond time stamps);\n"
"                  - is standard output; without -w, print one line each\n"
"  --pcapng        write pcapng: interface names and packet directions\n"
"  -c COUNT        stop after COUNT packets (with --stats: intervals)\n"
"  -C SIZE         start a new file when one exceeds SIZE millions of\n"
"                  bytes (or SIZE with a K, M or G suffix): FILE, FILE1...\n"
"  -G SECONDS      start a new file every SECONDS; FILE may hold strftime(3)\n"
"                  conversions\n"
"  -W COUNT        with -C: reuse COUNT files in a ring; with -G: stop\n"
"                  after COUNT files\n"
"  -q              no \"listening\" line, no live status line\n"
"  --stats[=SECS]  print packets/s and bits/s per device and direction\n"
"                  every SECS (1); the kernel counts without copying\n"
"  -h, --help      this text\n"
"\n"
"KEY=VALUE configures the session first, as kcapctl set does (see\n"
"kcapctl --help): dev capture src dst sport dport l4proto snaplen filter\n"
"ring stats-only.\n");
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

__attribute__((format(printf, 1, 2)))
static void warnx(const char *fmt, ...)
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

static void parse_options(struct ctx *x, int argc, char **argv,
			  struct kcap_args *a)
{
	enum { OPT_PCAPNG = 256, OPT_STATS };
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "pcapng", no_argument, NULL, OPT_PCAPNG },
		{ "stats", optional_argument, NULL, OPT_STATS },
		{ NULL, 0, NULL, 0 },
	};
	char *kv[64];
	char err[KCAP_ERRBUF_SIZE];
	int c, nkv = 0, digits;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hqs:w:c:C:G:W:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			exit(0);
		case 'q':
			x->quiet = true;
			break;
		case 's':
			if (!*optarg || strlen(optarg) >= KCAP_NAME_LEN)
				die_usage("-s: bad session name '%s'", optarg);
			x->session = optarg;
			break;
		case 'w':
			x->wfile = optarg;
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
		case ':':
			die_usage("option '%s' needs a value", argv[optind - 1]);
		default:
			if (optopt)
				die_usage("unknown option '-%c' (try kcapdump --help)", optopt);
			die_usage("unknown option '%s' (try kcapdump --help)", argv[optind - 1]);
		}
	}
	for (; optind < argc; optind++) {
		if (!kcap_arg_is_keyval(argv[optind]))
			die_usage("'%s' is not key=value (try kcapdump --help)", argv[optind]);
		if (nkv == (int)(sizeof(kv) / sizeof(kv[0])))
			die_usage("too many key=value arguments");
		kv[nkv++] = argv[optind];
	}
	if (kcap_args_parse(a, nkv, kv, err, sizeof(err)))
		die_usage("%s", err);

	/* Checks that span options. */
	if (x->stats_mode && (x->wfile || x->fmt == KD_PCAPNG || x->file_size ||
			      x->rotate_secs || x->file_count))
		die_usage("--stats writes no packets: it takes no -w, --pcapng, -C, -G or -W");
	if ((x->file_size || x->rotate_secs) && (!x->wfile || !strcmp(x->wfile, "-")))
		die_usage("-C and -G need -w FILE");
	if (x->file_count && !x->file_size && !x->rotate_secs)
		die_usage("-W needs -C or -G");
	if (x->fmt == KD_PCAPNG && !x->wfile)
		die_usage("--pcapng needs -w");
	if (x->wfile && !*x->wfile)
		die_usage("-w: empty file name");
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

/* FILE, FILE1, FILE2... as tcpdump names them (MakeFilename). */
static void make_name(struct ctx *x, unsigned int cnt, int chars)
{
	char base[4096];
	size_t len;

	if (x->rotate_secs) {
		struct tm tm;

		localtime_r(&x->gtime, &tm);
		if (!strftime(base, sizeof(base), x->wfile, &tm))
			snprintf(base, sizeof(base), "%s", x->wfile);
	} else {
		snprintf(base, sizeof(base), "%s", x->wfile);
	}
	free(x->cur_name);
	len = strlen(base) + 16;
	x->cur_name = malloc(len);
	if (!x->cur_name) {
		warnx("out of memory");
		exit(EXIT_FAILURE);
	}
	if (!cnt && !chars)
		snprintf(x->cur_name, len, "%s", base);
	else
		snprintf(x->cur_name, len, "%s%0*u", base, chars, cnt);
}

static int open_output(struct ctx *x)
{
	char err[512];
	int ret;

	ret = kd_out_open(&x->out, x->cur_name, x->fmt, x->snaplen, err, sizeof(err));
	if (ret) {
		warnx("%s", err);
		return ret;
	}
	x->out_open = true;
	return 0;
}

static int close_output(struct ctx *x)
{
	int ret;

	if (!x->out_open)
		return 0;
	x->out_open = false;
	ret = kd_out_close(&x->out);
	if (ret && ret != -EPIPE)
		warnx("%s: %s", x->wfile && strcmp(x->wfile, "-") ? x->cur_name : "stdout",
		      strerror(-ret));
	return ret;
}

/* Rotation before a packet is written, in tcpdump's order: -G, then -C. */
static int maybe_rotate(struct ctx *x)
{
	if (x->rotate_secs) {
		time_t now = time(NULL);

		if (now - x->gtime >= x->rotate_secs) {
			x->gtime = now;
			x->gfiles++;
			if (close_output(x))
				return -EIO;
			if (!x->file_size && x->file_count && x->gfiles >= x->file_count) {
				warnx("maximum file limit reached: %u", x->file_count);
				stop = 1;
				return 1;
			}
			x->cfile = 0;
			make_name(x, 0, x->file_size ? x->wchars : 0);
			if (open_output(x))
				return -EIO;
		}
	}
	if (x->file_size && kd_out_size(&x->out) > x->file_size) {
		if (close_output(x))
			return -EIO;
		x->cfile++;
		if (x->file_count && x->cfile >= x->file_count)
			x->cfile = 0;
		make_name(x, x->cfile, x->wchars);
		if (open_output(x))
			return -EIO;
	}
	return 0;
}

static int flush_output(struct ctx *x)
{
	int ret;

	if (!x->wfile) {
		if (fflush(stdout) || ferror(stdout))
			return errno == EPIPE ? -EPIPE : -EIO;
		return 0;
	}
	if (!x->out_open)
		return 0;
	ret = kd_out_flush(&x->out);
	if (ret && ret != -EPIPE)
		warnx("%s: %s; stopping (the file holds every packet up to the last one written)",
		      strcmp(x->wfile, "-") ? x->cur_name : "stdout", strerror(-ret));
	return ret;
}

static uint64_t sum(const struct kcap_stat_snap *s, size_t field)
{
	uint64_t v = 0;

	for (int d = 0; d < 2; d++)
		v += *(const uint64_t *)((const char *)&s->s.total[d] + field);
	return v;
}

#define SUM(s, f) sum((s), offsetof(struct kcap_counters, f))

static double elapsed(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) + (b->tv_nsec - a->tv_nsec) / 1e9;
}

static void update_status(struct ctx *x, bool force)
{
	struct kcap_stat_snap s;
	struct timespec now;
	char rate[16], size[16];
	double dt;

	if (!x->status)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	dt = elapsed(&x->status_t, &now);
	if (!force && dt < STATUS_MS / 1000.0)
		return;
	if (x->have_start && !kcap_stats_get(x->k, x->session, &s)) {
		x->drops = SUM(&s, dropped) - SUM(&x->start, dropped);
		kcap_stats_free(&s);
	}
	human_number(dt > 0 ? (x->captured - x->status_pkts) / dt : 0, rate, sizeof(rate));
	human_number(x->out_open ? kd_out_size(&x->out) : 0, size, sizeof(size));
	fprintf(stderr, "\r\033[K%llu packets, %llu dropped, %s pkt/s, %sB written",
		(unsigned long long)x->captured, (unsigned long long)x->drops, rate, size);
	x->status_t = now;
	x->status_pkts = x->captured;
}

static int handle_packet(struct ctx *x, const struct kcap_pkthdr *h,
			 const uint8_t *data)
{
	int ret;

	if (!x->wfile) {
		print_packet(stdout, h, data);
		x->captured++;
		return 0;
	}
	ret = maybe_rotate(x);
	if (ret)
		return ret < 0 ? ret : 0;
	ret = kd_out_packet(&x->out, h, data);
	if (ret) {
		warnx("%s", strerror(-ret));
		return ret;
	}
	x->captured++;
	if (x->out.buf.len >= FLUSH_BYTES)
		return flush_output(x);
	return 0;
}

static int capture(struct ctx *x)
{
	const struct kcap_pkthdr *h;
	const uint8_t *data;
	int ret = 0, status = 0;

	while (!stop && (!x->count || x->captured < x->count)) {
		ret = kcap_next(x->k, &h, &data, 0);
		if (ret == 0) {
			/* The ring is empty: the batch is over. */
			ret = flush_output(x);
			if (ret) {
				status = ret == -EPIPE ? 0 : 1;
				break;
			}
			update_status(x, false);
			ret = kcap_next(x->k, &h, &data, STATUS_MS);
		}
		if (ret == -EINTR || ret == 0)
			continue;
		if (ret < 0) {
			warnx("%s", kcap_geterr(x->k));
			status = ret == -ENODEV ? 0 : 1;
			break;
		}
		ret = handle_packet(x, h, data);
		if (ret) {
			status = ret == -EPIPE ? 0 : 1;
			break;
		}
	}
	if (!status) {
		ret = flush_output(x);
		if (ret && ret != -EPIPE)
			status = 1;
	}
	return status;
}

static void report(struct ctx *x)
{
	struct kcap_stat_snap end;

	if (x->status) {
		update_status(x, true);
		fputc('\n', stderr);
	}
	fprintf(stderr, "%llu packet%s captured\n", (unsigned long long)x->captured,
		x->captured == 1 ? "" : "s");
	if (!x->have_start || kcap_stats_get(x->k, x->session, &end))
		return;
	fprintf(stderr, "%llu packets matched by filter\n",
		(unsigned long long)(SUM(&end, matched) - SUM(&x->start, matched)));
	fprintf(stderr, "%llu packets dropped by kcap\n",
		(unsigned long long)(SUM(&end, dropped) - SUM(&x->start, dropped)));
	kcap_stats_free(&end);
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
		warnx("warning: session '%s' has capture=off: nothing will be captured "
		      "(set capture=ingress, egress or bidirectional)", x->session);
	else if (!c->ndevs && !(c->flags & KCAP_CFG_ANY_DEV))
		warnx("warning: session '%s' has no devices (set dev=NAME or dev=any)",
		      x->session);
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
			warnx("%s", kcap_geterr(x->k));
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

int main(int argc, char **argv)
{
	struct ctx x = { .session = KCAP_DEFAULT_SESSION, .fmt = KD_PCAP };
	struct sigaction sa;
	struct kcap_args a;
	struct kcap_cfg cfg;
	char what[256];
	int ret, status;

	parse_options(&x, argc, argv, &a);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll() returns */
	sa.sa_flags = SA_RESETHAND;	/* a second ^C ends a stuck write */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);	/* EPIPE ends a -w - capture */

	ret = kcap_open(&x.k, NULL);
	if (ret) {
		if (!x.k) {
			warnx("out of memory");
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
	if (cfg.c.flags & KCAP_CFG_STATS_ONLY)
		warnx("warning: session '%s' is stats-only: no packets are copied "
		      "(set stats-only=off)", x.session);
	kcap_cfg_free(&cfg);

	/* Attach before opening the file: a busy session must not cost the
	 * user an existing file. */
	if (kcap_attach(x.k, x.session, 0))
		die_kcap(&x);
	x.have_start = !kcap_stats_get(x.k, x.session, &x.start);

	if (x.wfile) {
		x.gtime = time(NULL);
		make_name(&x, 0, x.file_size ? x.wchars : 0);
		if (open_output(&x))
			return EXIT_FAILURE;
		x.status = !x.quiet && strcmp(x.wfile, "-") && isatty(STDERR_FILENO);
	} else if (isatty(STDOUT_FILENO)) {
		setvbuf(stdout, NULL, _IOLBF, 0);
	}
	if (!x.quiet)
		fprintf(stderr, "kcapdump: listening on session '%s' (%s), link-type "
			"EN10MB (Ethernet), snapshot length %u bytes\n",
			x.session, what, x.snaplen);
	clock_gettime(CLOCK_MONOTONIC, &x.status_t);

	status = capture(&x);
	if (close_output(&x) && !status)
		status = 1;
	if (x.out.err == -EPIPE)
		status = 0;	/* the reader of -w - went away: not an error */
	report(&x);
	kcap_stats_free(&x.start);
	free(x.cur_name);
	kcap_close(x.k);
	return status;
}
