// SPDX-License-Identifier: GPL-2.0
/*
 * kcapdump's command line into struct kd_opts: getopt's loop with
 * tcpdump's flags, then the trailing words (KEY=VALUE or a filter
 * expression), then the checks that span options, each a usage error that
 * names what is wrong; last, the keys the live session is given.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "options.h"

static void usage(FILE *fp)
{
	fprintf(fp,
"Usage: kcapdump [-ADeKlLnNpqStUvVxX#] [-B KiB] [-c COUNT] [-C SIZE] [-F FILE]\n"
"                [-G SECONDS] [-i DEV] [-Q in|out|inout] [-r FILE] [-s SNAPLEN]\n"
"                [-T json] [-w FILE|-] [-W COUNT] [-y TYPE] [-z CMD] [-Z USER]\n"
"                [--count] [--print] [--pcapng] [--time-stamp-precision=micro|nano]\n"
"                [--version] [EXPRESSION]\n"
"       kcapdump --session NAME [--configure] [KEY=VALUE...] [options] [EXPRESSION]\n"
"       kcapdump -r FILE --conversations | --follow ADDR:PORT-ADDR:PORT [EXPRESSION]\n"
"       kcapdump --stats[=SECONDS] [-i DEV | --session NAME] [-c COUNT] [EXPRESSION]\n"
"       kcapdump --listen [ADDR:]PORT [--allow PREFIX,...] [--client-buffer KiB]\n"
"                [-i DEV] [options] [EXPRESSION]\n"
"\n"
"As tcpdump; a live capture goes through a kcap session of kcapdump's own,\n"
"made for it and deleted when it ends (however it ends):\n"
"  -i DEV          capture on DEV (or any, or a number from -D); default: the\n"
"                  first device -D lists\n"
"  -D              list the devices, numbered;  -L  their link types\n"
"  -y TYPE         the link type: EN10MB; on any, LINUX_SLL2 (the default\n"
"                  there, as tcpdump's) or EN10MB (kcap's frames as they are)\n"
"  -Q DIR          direction: in, out or inout (the default)\n"
"  -s SNAPLEN      bytes kept of each packet; 0 or none: 262144\n"
"  -B KiB          the ring's size (a power of two from 256 KiB to 1 GiB;\n"
"                  rounded up)\n"
"  -p              accepted: kcap never sets promiscuous mode\n"
"  -c COUNT        stop after COUNT packets (with --stats: intervals)\n"
"  -w FILE         write packets to FILE (pcap, nanosecond time stamps);\n"
"                  - is standard output\n"
"  --pcapng        write pcapng: interface names and packet directions\n"
"  --print         with -w, print the packets as well\n"
"  -C SIZE, -G SECONDS, -W COUNT, -z CMD\n"
"                  rotate -w's file as tcpdump does; CMD FILE after each\n"
"  -r FILE         read packets from a pcap or pcapng FILE (- for stdin)\n"
"  -F FILE         read the filter expression from FILE\n"
"  -Z USER         after opening, run as USER (default: tcpdump, if that\n"
"                  user exists; -Z root keeps root)\n"
"  -U, -l          write out after every batch; line-buffered standard output\n"
"  --count         count the packets instead of printing them\n"
"Printing, one line per packet as tcpdump prints it:\n"
"  -n, -nn, -N, -e, -q, -v[v[v]], -t[t[t[t[t]]]], -S, -K, -#\n"
"  -x, -xx, -X, -XX, -A   hex and ASCII dumps\n"
"  --time-stamp-precision=micro|nano\n"
"  -V              a decoded tree per packet instead (-x: with a hex dump)\n"
"  -T json         one JSON object per packet instead\n"
"kcap's own:\n"
"  --session NAME  read a shared session (kcapctl's) instead of a private one;\n"
"                  it is changed only by KEY=VALUE, or with --configure by\n"
"                  -i, -Q, -s, -B and the expression\n"
"  --configure     with --session: let -i, -Q, -s, -B and the expression\n"
"                  change the shared session (they stay after kcapdump ends)\n"
"  --stats[=SECS]  print packets/s and bits/s per device and direction every\n"
"                  SECS (1); a private session counts without copying\n"
"  --listen [ADDR:]PORT  serve the capture as pcapng over TCP to every client\n"
"                  (dumpcap -i TCP@host:port, kcapdump -r tcp://host:port);\n"
"                  on loopback unless --allow names who else may connect\n"
"  --allow LIST    the peers --listen lets in: ADDR or ADDR/LEN, comma-separated\n"
"  --client-buffer KiB  what --listen queues for one client (4096) before\n"
"                  dropping that client's packets; 5 s of nothing taken: cut off\n"
"  -r tcp://HOST:PORT  read a kcapdump --listen's stream\n"
"  --conversations list the TCP connections in -r's FILE\n"
"  --follow SPEC   one TCP connection of -r's FILE packet by packet\n"
"  --version, -h, --help\n"
"\n"
"KEY=VALUE sets a session key as kcapctl set does (see kcapctl --help): dev\n"
"capture src dst sport dport l4proto snaplen filter ring stats-only. Other\n"
"trailing words are a pcap-filter(7) EXPRESSION, which live runs in the\n"
"kernel; with -r it selects what is read. To send a savefile's packets,\n"
"see kcapgen replay.\n");
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

/* -F FILE: the expression, '#' comments blanked out, as tcpdump reads it. */
static char *read_filter_file(const char *path)
{
	char *buf, *p;
	struct stat st;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		cli_die_usage("-F: %s: %s", path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > (1 << 20))
		cli_die_usage("-F: %s: not a filter file", path);
	buf = malloc(st.st_size + 1);
	if (!buf)
		cli_die("out of memory");
	n = read(fd, buf, st.st_size);
	close(fd);
	if (n != st.st_size)
		cli_die_usage("-F: %s: cannot be read", path);
	buf[n] = '\0';
	for (p = buf; *p; p++) {
		if (*p == '#')
			while (*p && *p != '\n')
				*p++ = ' ';
		if (!*p)
			break;
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	}
	return buf;
}

enum {
	OPT_PCAPNG = 256, OPT_STATS, OPT_CONV, OPT_FOLLOW, OPT_INJECT,
	OPT_SESSION, OPT_CONFIGURE, OPT_COUNT, OPT_PRECISION, OPT_MICRO,
	OPT_NANO, OPT_VERSION, OPT_PRINT, OPT_IMMEDIATE, OPT_LISTEN, OPT_ALLOW,
	OPT_CLIENT_BUF,
};

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "interface", required_argument, NULL, 'i' },
	{ "list-interfaces", no_argument, NULL, 'D' },
	{ "list-data-link-types", no_argument, NULL, 'L' },
	{ "linktype", required_argument, NULL, 'y' },
	{ "direction", required_argument, NULL, 'Q' },
	{ "snapshot-length", required_argument, NULL, 's' },
	{ "buffer-size", required_argument, NULL, 'B' },
	{ "no-promiscuous-mode", no_argument, NULL, 'p' },
	{ "relinquish-privileges", required_argument, NULL, 'Z' },
	{ "packet-buffered", no_argument, NULL, 'U' },
	{ "dont-verify-checksums", no_argument, NULL, 'K' },
	{ "absolute-tcp-sequence-numbers", no_argument, NULL, 'S' },
	{ "number", no_argument, NULL, '#' },
	{ "count", no_argument, NULL, OPT_COUNT },
	{ "time-stamp-precision", required_argument, NULL, OPT_PRECISION },
	{ "micro", no_argument, NULL, OPT_MICRO },
	{ "nano", no_argument, NULL, OPT_NANO },
	{ "immediate-mode", no_argument, NULL, OPT_IMMEDIATE },
	{ "print", no_argument, NULL, OPT_PRINT },
	{ "session", required_argument, NULL, OPT_SESSION },
	{ "configure", no_argument, NULL, OPT_CONFIGURE },
	{ "pcapng", no_argument, NULL, OPT_PCAPNG },
	{ "stats", optional_argument, NULL, OPT_STATS },
	{ "conversations", no_argument, NULL, OPT_CONV },
	{ "follow", required_argument, NULL, OPT_FOLLOW },
	{ "inject", required_argument, NULL, OPT_INJECT },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "allow", required_argument, NULL, OPT_ALLOW },
	{ "client-buffer", required_argument, NULL, OPT_CLIENT_BUF },
	{ NULL, 0, NULL, 0 },
};

/* What the parse sees besides struct kd_opts. */
struct parse {
	const char *dir;		/* -Q: ingress, egress, bidirectional */
	const char *filter_file;	/* -F */
	uint32_t ring;			/* -B, bytes */
	bool snaplen_given;
	bool configure;
	bool promisc_off;
	bool tree;			/* -V */
	bool json;			/* -T json */
	uint8_t hex;			/* -x's count */
	const char *first_live;		/* the first live-only option seen */
};

static void bump(uint8_t *flag, int max, const char *name)
{
	if (*flag >= max)
		cli_die_usage("%s: given more than %d times", name, max);
	(*flag)++;
}

static void live_only(struct parse *ps, const char *opt)
{
	if (!ps->first_live)
		ps->first_live = opt;
}

static __attribute__((noreturn)) void print_version(void)
{
	printf("kcapdump version " KCAP_TOOLS_VERSION "\n%s\n", pcap_lib_version());
	exit(0);
}

/* One option of getopt's loop. */
static void take_option(struct kd_opts *o, struct parse *ps, int c, int argc, char **argv)
{
	const char *err;
	uint64_t v;

	switch (c) {
	case 'h':
		usage(stdout);
		exit(0);
	case OPT_VERSION:
		print_version();
	case 'A':
		bump(&o->lines.Aflag, 2, "-A");
		break;
	case 'B':
		v = cli_uint("-B", optarg, 1, KCAP_RING_MAX >> 10) << 10;
		if (v < KCAP_RING_MIN)
			v = KCAP_RING_MIN;
		while (v & (v - 1))
			v += v & -v;
		ps->ring = v;
		live_only(ps, "-B");
		break;
	case 'c':
		o->count = cli_uint("-c", optarg, 1, UINT64_MAX);
		break;
	case 'C':
		o->file.file_size = parse_file_size(optarg);
		break;
	case 'D':
		o->mode = KD_LIST_DEVICES;
		break;
	case 'e':
		o->lines.eflag = 1;
		break;
	case 'F':
		ps->filter_file = optarg;
		break;
	case 'G':
		o->file.rotate_secs = cli_uint("-G", optarg, 1, 86400 * 366);
		break;
	case 'i':
		if (!*optarg)
			cli_die_usage("-i: empty device name");
		o->device = optarg;
		live_only(ps, "-i");
		break;
	case 'K':
		o->lines.Kflag = 1;
		break;
	case 'l':
		o->line_buffered = true;
		break;
	case 'L':
		o->mode = KD_LIST_DLTS;
		break;
	case 'n':
		bump(&o->lines.nflag, 2, "-n");
		break;
	case 'N':
		o->lines.Nflag = 1;
		break;
	case 'p':
		ps->promisc_off = true;
		break;
	case 'q':
		o->quiet = true;
		bump(&o->lines.qflag, 2, "-q");
		break;
	case 'Q':
		if (!strcmp(optarg, "in"))
			ps->dir = "ingress";
		else if (!strcmp(optarg, "out"))
			ps->dir = "egress";
		else if (!strcmp(optarg, "inout"))
			ps->dir = "bidirectional";
		else
			cli_die_usage("-Q: unknown capture direction '%s' (in, out or inout)",
				      optarg);
		live_only(ps, "-Q");
		break;
	case 'r':
		if (!*optarg)
			cli_die_usage("-r: empty file name");
		o->rfile = optarg;
		break;
	case 's':
		if (kcap_parse_u64(optarg, KCAP_SNAPLEN_MAX, &v))
			cli_die_usage("-s: invalid snaplen '%s' (must be >= 0 and <= %d; "
				      "a shared session is --session NAME)", optarg,
				      KCAP_SNAPLEN_MAX);
		o->snaplen = v ? v : KCAP_SNAPLEN_MAX;
		ps->snaplen_given = true;
		break;
	case 'S':
		o->lines.Sflag = 1;
		break;
	case 't':
		bump(&o->lines.tflag, 5, "-t");
		break;
	case 'T':
		if (strcmp(optarg, "json"))
			cli_die_usage("-T: '%s' is not a known format (json)", optarg);
		ps->json = true;
		break;
	case 'U':
		o->packet_buffered = true;
		break;
	case 'v':
		bump(&o->lines.vflag, 3, "-v");
		break;
	case 'V':
		ps->tree = true;
		break;
	case 'w':
		if (!*optarg)
			cli_die_usage("-w: empty file name");
		o->wfile = optarg;
		break;
	case 'W':
		o->file.file_count = cli_uint("-W", optarg, 1, 1000000);
		break;
	case 'x':
		bump(&ps->hex, 2, "-x");
		break;
	case 'X':
		bump(&o->lines.Xflag, 2, "-X");
		break;
	case 'y':
		if (!strcasecmp(optarg, "EN10MB"))
			o->dlt = DLT_EN10MB;
		else if (!strcasecmp(optarg, "LINUX_SLL2"))
			o->dlt = DLT_LINUX_SLL2;
		else
			cli_die_usage("-y: '%s' is not a link type kcap captures "
				      "(EN10MB, or LINUX_SLL2 with -i any)", optarg);
		o->dlt_given = true;
		break;
	case 'z':
		if (!*optarg)
			cli_die_usage("-z: empty command");
		o->file.postrotate = optarg;
		break;
	case 'Z':
		if (!*optarg || !getpwnam(optarg))
			cli_die_usage("-Z: couldn't find user '%s'", optarg);
		o->user = optarg;
		o->user_given = true;
		break;
	case '#':
		o->lines.number = 1;
		break;
	case OPT_COUNT:
		o->count_only = true;
		break;
	case OPT_PRECISION:
		if (!strcmp(optarg, "nano"))
			o->lines.nano = 1;
		else if (!strcmp(optarg, "micro"))
			o->lines.nano = 0;
		else
			cli_die_usage("--time-stamp-precision: '%s' is not micro or nano",
				      optarg);
		break;
	case OPT_MICRO:
		o->lines.nano = 0;
		break;
	case OPT_NANO:
		o->lines.nano = 1;
		break;
	case OPT_IMMEDIATE:
		o->packet_buffered = true;
		break;
	case OPT_PRINT:
		o->also_print = true;
		break;
	case OPT_SESSION:
		if (!*optarg || strlen(optarg) >= KCAP_NAME_LEN)
			cli_die_usage("--session: bad session name '%s'", optarg);
		o->session = optarg;
		break;
	case OPT_CONFIGURE:
		ps->configure = true;
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
	case OPT_LISTEN:
		err = kd_net_parse_listen(&o->net, optarg);
		if (err)
			cli_die_usage("%s", err);
		live_only(ps, "--listen");
		break;
	case OPT_ALLOW:
		err = kd_net_parse_allow(&o->net, optarg);
		if (err)
			cli_die_usage("%s", err);
		break;
	case OPT_CLIENT_BUF:
		o->net.client_buf = cli_uint("--client-buffer", optarg, 64, 1U << 20) << 10;
		break;
	default:
		cli_die_option(c, argv);
	}
}

/* -r's checks, and its filter: the expression, or filter=. */
static void check_offline(struct kd_opts *o, const struct parse *ps, int nkv, char **kv)
{
	char err[256];
	struct kcap_follow *f;
	int fd;

	if (o->mode == KD_STATS)
		cli_die_usage("--stats counts a live session: it takes no -r");
	if (o->mode == KD_LIST_DEVICES || o->mode == KD_LIST_DLTS)
		cli_die_usage("%s lists devices: it takes no -r",
			      o->mode == KD_LIST_DEVICES ? "-D" : "-L");
	if (o->session)
		cli_die_usage("--session picks a live session: it takes no -r");
	if (ps->first_live)
		cli_die_usage("%s is for a live capture: it takes no -r", ps->first_live);
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
	    (o->wfile || o->count || o->count_only || ps->hex || ps->json || ps->tree))
		cli_die_usage("%s takes no -w, -c, --count, -x, -V or -T",
			      o->conversations ? "--conversations" : "--follow");
	if (o->follow) {
		f = kcap_follow_new(o->follow, err, sizeof(err));
		if (!f)
			cli_die_usage("%s", err);	/* it names --follow */
		kcap_follow_free(f);
	}
	/* A file that is not there is the command line's mistake. */
	if (strcmp(o->rfile, "-") && strncmp(o->rfile, "tcp://", 6)) {
		fd = open(o->rfile, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			cli_die_usage("-r: %s: %s", o->rfile, strerror(errno));
		close(fd);
	}
	o->mode = KD_OFFLINE;
}

static void add_kv(struct kd_opts *o, int *nkv, char **kv, const char *fmt, const char *val)
{
	char *s;

	if (*nkv >= KD_MAX_KV - 1 || o->nkv_owned >= sizeof(o->kv_owned) / sizeof(o->kv_owned[0]))
		cli_die_usage("too many key=value arguments");
	if (asprintf(&s, fmt, val) < 0)
		cli_die("out of memory");
	o->kv_owned[o->nkv_owned++] = s;
	kv[(*nkv)++] = s;
}

static bool kv_given(int nkv, char **kv, const char *key)
{
	size_t n = strlen(key);

	for (int i = 0; i < nkv; i++)
		if (!strncmp(kv[i], key, n) && kv[i][n] == '=')
			return true;
	return false;
}

/* A flag and the key it sets, both given: the user must pick one. */
static void no_both(int nkv, char **kv, bool flag, const char *opt, const char *key)
{
	if (flag && kv_given(nkv, kv, key))
		cli_die_usage("%s and %s= set the same key: give one of them", opt, key);
}

/* -i: a device name, any, or a number of -D's list. */
static void resolve_device(struct kd_opts *o)
{
	uint64_t n;
	char *dev;

	if (!o->device) {
		dev = kd_default_device();
		if (!dev)
			cli_die_usage("no device to capture on (give -i DEV; -D lists them)");
		o->device = dev;
		o->kv_owned[o->nkv_owned++] = dev;	/* freed with the rest */
		return;
	}
	if (!strcmp(o->device, "any") || if_nametoindex(o->device))
		return;
	if (!kcap_parse_u64(o->device, 1000000, &n) && n) {
		dev = kd_device_by_number(n);
		if (!dev)
			cli_die_usage("-i: %s: there is no device with that number (-D lists them)",
				      o->device);
		o->device = dev;
		o->kv_owned[o->nkv_owned++] = dev;
		return;
	}
	cli_die_usage("-i: %s: No such device exists", o->device);
}

/*
 * Live: the session's keys. A private session gets tcpdump's defaults
 * (the first device, both directions, 262144 bytes) for what the command
 * line leaves out; a shared one only what was asked for, and -i, -Q, -s,
 * -B or an expression change it only with --configure.
 */
static void check_live(struct kd_opts *o, const struct parse *ps, int nkv, char **kv)
{
	char err[KCAP_ERRBUF_SIZE];
	char buf[32];
	bool shared = o->session != NULL;

	if (o->conversations || o->follow)
		cli_die_usage("%s needs -r FILE", o->conversations ? "--conversations" : "--follow");
	if (o->expr && kv_given(nkv, kv, "filter"))
		cli_die_usage("a filter expression and filter= are both given");
	no_both(nkv, kv, o->device, "-i", "dev");
	no_both(nkv, kv, ps->dir, "-Q", "capture");
	no_both(nkv, kv, ps->snaplen_given, "-s", "snaplen");
	no_both(nkv, kv, ps->ring, "-B", "ring");
	if (shared && !ps->configure) {
		const char *what = ps->first_live ? ps->first_live :
				   ps->snaplen_given ? "-s" : o->expr ? "a filter expression" : NULL;

		if (what)
			cli_die_usage("%s would change shared session '%s': add --configure, "
				      "or leave out --session to capture through a private session",
				      what, o->session);
	}
	if (ps->configure && !shared)
		cli_die_usage("--configure changes a shared session: it needs --session NAME");

	if (!shared || o->device) {
		if (!kv_given(nkv, kv, "dev")) {
			resolve_device(o);
			add_kv(o, &nkv, kv, "dev=%s", o->device);
		}
	}
	if (ps->dir || (!shared && !kv_given(nkv, kv, "capture")))
		add_kv(o, &nkv, kv, "capture=%s", ps->dir ? ps->dir : "bidirectional");
	if (!o->snaplen && !shared)
		o->snaplen = KCAP_SNAPLEN_MAX;
	if (o->snaplen && !kv_given(nkv, kv, "snaplen")) {
		snprintf(buf, sizeof(buf), "%u", o->snaplen);
		add_kv(o, &nkv, kv, "snaplen=%s", buf);
	}
	if (ps->ring) {
		snprintf(buf, sizeof(buf), "%uK", ps->ring >> 10);
		add_kv(o, &nkv, kv, "ring=%s", buf);
	}
	if (o->mode == KD_STATS && !shared)
		add_kv(o, &nkv, kv, "stats-only=%s", "on");
	if (o->expr)
		add_kv(o, &nkv, kv, "filter=%s", o->expr);
	if (kcap_args_parse(&o->args, nkv, kv, err, sizeof(err)))
		cli_die_usage("%s", err);
	if (!shared) {
		snprintf(o->session_buf, sizeof(o->session_buf), "kcapdump.%d", (int)getpid());
		o->session = o->session_buf;
		o->private_session = true;
	}
}

/*
 * The link type: tcpdump's, Ethernet on a device, Linux cooked v2 on any
 * (kcap's frames are Ethernet on every device: -y EN10MB keeps them so).
 */
static void set_dlt(struct kd_opts *o)
{
	bool any = o->device && !strcmp(o->device, "any");

	if (!o->dlt_given) {
		o->dlt = any ? DLT_LINUX_SLL2 : DLT_EN10MB;
		return;
	}
	if (o->dlt == DLT_LINUX_SLL2 && !any)
		cli_die_usage("-y: LINUX_SLL2 is not one of the link types of %s (EN10MB)",
			      o->device ? o->device : "a shared session");
}

/* The checks between options, after the mode is known. */
static void check_spans(const struct kd_opts *o, const struct parse *ps)
{
	const struct kd_file_opts *f = &o->file;

	if (o->mode == KD_STATS && (o->wfile || f->fmt == KD_PCAPNG || f->file_size ||
				    f->rotate_secs || f->file_count))
		cli_die_usage("--stats writes no packets: it takes no -w, --pcapng, -C, -G or -W");
	if (o->mode == KD_STATS && (ps->hex || ps->json || ps->tree || o->packet_buffered ||
				    o->count_only || o->also_print))
		cli_die_usage("--stats prints no packets: it takes no -x, -V, -T, -U, --count or --print");
	if ((f->file_size || f->rotate_secs) && (!o->wfile || !strcmp(o->wfile, "-")))
		cli_die_usage("-C and -G need -w FILE");
	if (f->file_count && !f->file_size && !f->rotate_secs)
		cli_die_usage("-W needs -C or -G");
	if (f->postrotate && !f->file_size && !f->rotate_secs)
		cli_die_usage("-z needs -C or -G");
	if (f->fmt == KD_PCAPNG && !o->wfile)
		cli_die_usage("--pcapng needs -w");
	if (o->also_print && !o->wfile)
		cli_die_usage("--print prints as well as -w writes: it needs -w");
	if (o->also_print && !strcmp(o->wfile, "-"))
		cli_die_usage("--print and -w - would both write to standard output");
	if (o->wfile && !o->also_print && (ps->hex || ps->json || ps->tree ||
					   o->lines.Xflag || o->lines.Aflag))
		cli_die_usage("-x, -X, -A, -V and -T print packets: with -w they need --print");
	if (o->wfile && o->count_only)
		cli_die_usage("--count prints only a count: it takes no -w");
	if (ps->json && ps->tree)
		cli_die_usage("-V and -T json are exclusive");
	if ((o->net.nallow || o->net.client_buf) && !o->net.listen)
		cli_die_usage("--allow and --client-buffer are --listen's: they need it");
	if (o->net.listen && (o->wfile || o->mode != KD_LIVE))
		cli_die_usage("--listen serves a live capture: it takes no -w, -r or --stats");
	if (o->net.listen && kd_net_check(&o->net))
		cli_die_usage("%s", kd_net_check(&o->net));
	if (ps->json && o->lines.qflag)
		cli_die_usage("-q and -T json are exclusive");
}

/* How packets are printed: JSON, the tree, or tcpdump's lines. */
static void set_print(struct kd_opts *o, const struct parse *ps)
{
	o->verbose = o->lines.vflag || ps->tree || ps->json;
	if (ps->json || ps->tree) {
		o->print.json = ps->json;
		o->print.hex = ps->hex > 0;
		return;
	}
	o->lines.xflag = ps->hex;
	if (o->mode != KD_LIVE && o->mode != KD_OFFLINE)
		return;
	if (o->wfile && !o->also_print)
		return;
	o->print.lines = kcap_lines_new(&o->lines);
	if (!o->print.lines)
		cli_die("out of memory");
}

void kd_opts_parse(struct kd_opts *o, int argc, char **argv)
{
	struct parse ps = { 0 };
	char *kv[KD_MAX_KV];
	int c, nkv = 0;

	memset(o, 0, sizeof(*o));
	o->file.fmt = KD_PCAP;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":AB:c:C:DeF:G:hi:KlLnNpqQ:r:s:StT:UvVw:W:xXy:z:Z:#",
				longopts, NULL)) != -1)
		take_option(o, &ps, c, argc, argv);
	for (; optind < argc; optind++) {
		if (!is_keyval(argv[optind])) {
			add_expr_word(o, argv[optind]);
			continue;
		}
		if (nkv >= KD_MAX_KV - 16)
			cli_die_usage("too many key=value arguments");
		kv[nkv++] = argv[optind];
	}
	if (ps.filter_file) {
		if (o->expr)
			cli_die_usage("-F and a filter expression are both given");
		o->expr = read_filter_file(ps.filter_file);
		if (!o->expr[strspn(o->expr, " ")]) {
			free(o->expr);
			o->expr = NULL;
		}
	}
	if (o->mode == KD_LIST_DEVICES) {
		if (o->rfile)
			check_offline(o, &ps, nkv, kv);
		return;
	}
	if (o->mode == KD_LIST_DLTS) {
		if (o->rfile)
			check_offline(o, &ps, nkv, kv);
		resolve_device(o);
		return;
	}
	if (o->rfile) {
		check_offline(o, &ps, nkv, kv);
	} else {
		check_live(o, &ps, nkv, kv);
		set_dlt(o);
	}
	o->file.path = o->wfile;
	check_spans(o, &ps);
	set_print(o, &ps);
}

void kd_opts_free(struct kd_opts *o)
{
	free(o->expr);
	o->expr = NULL;
	for (unsigned int i = 0; i < o->nkv_owned; i++)
		free(o->kv_owned[i]);
	o->nkv_owned = 0;
	if (o->print.lines)
		kcap_lines_free(o->print.lines);
	o->print.lines = NULL;
}
