// SPDX-License-Identifier: GPL-2.0
/*
 * kcapgen replay: a savefile's frames sent again through the TX engine.
 *
 * The file is read whole first (by libkcapdecode's reader, the one that
 * kcapdump -r uses), so that reading does not disturb pacing. Unpaced,
 * frames go out as send queues of up to BATCH frames per writev(2).
 * --sync keeps the file's gaps, as Npcap's synchronized send queue does:
 * each frame's deadline is start + (its timestamp - the first one's);
 * --rate and --mbps pace from a schedule of their own. The time each
 * frame is handed to the kernel is compared with its deadline, and the
 * mean and largest deviations are reported.
 */
#include <getopt.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "cli.h"
#include "decode.h"
#include "kcap_args.h"
#include "kcapgen.h"
#include "txq.h"

#define BATCH	64

struct frame {
	int64_t t_ns;		/* from the first frame of the file */
	uint32_t len;
	uint8_t *data;
};

struct replay {
	const char *file, *ifname;
	int mode;		/* 0 unpaced, 's' sync, 'r' rate, 'm' mbps */
	double rate;		/* packets/s, or Mbit/s */
	uint64_t loops;		/* 0: forever */
	uint64_t count;		/* 0: all */

	struct frame *f;
	size_t n, cap;
	int64_t t0;		/* the first frame's timestamp */
	int64_t span;		/* last frame's time */
	uint64_t skipped;	/* truncated in the file */
	int linktype;		/* not Ethernet: the first packet's */
};

void gen_replay_usage(FILE *f)
{
	fprintf(f,
"Usage: kcapgen replay FILE -i DEV [--sync | --rate PPS | --mbps M]\n"
"                     [--loop N] [-c COUNT]\n"
"  --sync      keep the gaps between the file's timestamps\n"
"  --rate PPS  send PPS packets a second\n"
"  --mbps M    send M megabits a second (frame bytes, as on the wire)\n"
"  --loop N    send the file N times (0: until interrupted)\n"
"  -c COUNT    stop after COUNT packets\n");
}

enum { OPT_SYNC = 256, OPT_RATE, OPT_MBPS, OPT_LOOP };

static const struct option replay_opts[] = {
	{ "sync", 0, NULL, OPT_SYNC },
	{ "rate", 1, NULL, OPT_RATE },
	{ "mbps", 1, NULL, OPT_MBPS },
	{ "loop", 1, NULL, OPT_LOOP },
	{ "interface", 1, NULL, 'i' },
	{ "count", 1, NULL, 'c' },
	{ "help", 0, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void take_option(struct replay *x, int opt, char **argv)
{
	switch (opt) {
	case OPT_SYNC:
	case OPT_RATE:
	case OPT_MBPS:
		if (x->mode)
			cli_die_usage("--sync, --rate and --mbps exclude each other");
		x->mode = opt == OPT_SYNC ? 's' : opt == OPT_RATE ? 'r' : 'm';
		if (opt != OPT_SYNC)
			x->rate = cli_positive(opt == OPT_RATE ? "--rate" : "--mbps", optarg);
		break;
	case OPT_LOOP:
		x->loops = cli_uint("--loop", optarg, 0, UINT32_MAX);
		break;
	case 'i':
		x->ifname = optarg;
		break;
	case 'c':
		x->count = cli_uint("-c", optarg, 1, UINT64_MAX);
		break;
	case 'h':
		gen_replay_usage(stdout);
		exit(0);
	default:
		cli_die_option(opt, argv);
	}
}

static void parse_replay(struct replay *x, int argc, char **argv)
{
	int opt;

	x->loops = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":i:c:h", replay_opts, NULL)) != -1)
		take_option(x, opt, argv);
	if (optind < argc)
		x->file = argv[optind++];
	if (optind < argc)
		cli_die_usage("replay: unexpected argument '%s'", argv[optind]);
	if (!x->file || !x->ifname)
		cli_die_usage("replay FILE needs -i DEV");
}

static int keep_frame(const struct kcap_packet *p, void *arg)
{
	struct replay *x = arg;
	struct frame *fr;

	if (p->linktype != KCAP_DLT_EN10MB) {
		x->linktype = p->linktype;
		return 1;
	}
	/* A cut frame would go out as something it never was. */
	if (p->caplen < p->wirelen) {
		x->skipped++;
		return 0;
	}
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 1024;
		fr = realloc(x->f, x->cap * sizeof(*fr));
		if (!fr)
			cli_die("out of memory reading %s", x->file);
		x->f = fr;
	}
	if (!x->n)
		x->t0 = (int64_t)p->ts_ns;
	fr = &x->f[x->n];
	fr->t_ns = (int64_t)p->ts_ns - x->t0;
	/* Out of order in the file: never backwards in time. */
	if (x->n && fr->t_ns < x->f[x->n - 1].t_ns)
		fr->t_ns = x->f[x->n - 1].t_ns;
	fr->len = p->caplen;
	fr->data = malloc(p->caplen ? p->caplen : 1);
	if (!fr->data)
		cli_die("out of memory reading %s", x->file);
	memcpy(fr->data, p->data, p->caplen);
	x->n++;
	return 0;
}

static int load(struct replay *x)
{
	char err[PCAP_ERRBUF_SIZE + 64] = "";
	int ret;

	ret = kcap_decode_file_each(x->file, NULL, 0, keep_frame, x, err, sizeof(err));
	if (x->linktype) {
		cli_warn("%s: link type %s, not Ethernet", x->file,
			 pcap_datalink_val_to_name(x->linktype));
		return -1;
	}
	if (ret && !x->n) {
		cli_warn("%s", err);
		return -1;
	}
	if (ret)
		cli_warn("%s (replaying what was read)", err);
	if (x->n)
		x->span = x->f[x->n - 1].t_ns;
	return 0;
}

/* The deadline of the n-th frame sent, f the file's frame, loop its pass. */
static int64_t deadline(const struct replay *x, const struct frame *f,
			uint64_t loop, uint64_t n, uint64_t bits)
{
	switch (x->mode) {
	case 's':
		return (int64_t)loop * x->span + f->t_ns;
	case 'r':
		return (int64_t)((double)n * NSEC / x->rate);
	case 'm':
		return (int64_t)((double)bits * 1000.0 / x->rate);
	}
	return 0;
}

static int run(struct replay *x, struct txq *q)
{
	struct iovec iov[BATCH];
	uint64_t loop, n = 0, bits = 0;
	int64_t start = txq_now_ns();
	unsigned int m = 0;

	for (loop = 0; !x->loops || loop < x->loops; loop++) {
		for (size_t i = 0; i < x->n && !cli_stop; i++) {
			struct frame *f = &x->f[i];

			if (x->count && n >= x->count)
				goto out;
			iov[m].iov_base = f->data;
			iov[m].iov_len = f->len;
			m++;
			if (x->mode)
				txq_wait_until(q, start + deadline(x, f, loop, n, bits));
			n++;
			bits += (uint64_t)f->len * 8;
			if (x->mode || m == BATCH) {
				if (txq_send(q, iov, m))
					return -1;
				m = 0;
			}
		}
		if (cli_stop || !x->n)
			break;
	}
out:
	if (m && txq_send(q, iov, m))
		return -1;
	return 0;
}

static void report(const struct replay *x, const struct txq *q, double secs)
{
	printf("%llu packets sent, %llu bytes, %.3f s, %.1f packets/s\n",
	       (unsigned long long)q->sent, (unsigned long long)q->bytes, secs,
	       secs > 0 ? (double)q->sent / secs : 0.0);
	if (x->mode)
		txq_print_pacing(q, stdout);
	if (q->refused)
		cli_warn("%llu frames refused", (unsigned long long)q->refused);
	if (x->skipped)
		cli_warn("%llu truncated frames in the file skipped",
			 (unsigned long long)x->skipped);
}

int gen_replay_main(int argc, char **argv)
{
	struct replay x = { 0 };
	struct txq q;
	struct kcap *k;
	int64_t t0;
	int rc = 0;

	parse_replay(&x, argc, argv);
	if (load(&x))
		return 1;
	k = cli_open_kcap();
	if (kcap_tx_bind(k, x.ifname))
		cli_die_kcap(k);
	cli_catch_signals(NULL);

	txq_init(&q, k);
	t0 = txq_now_ns();
	if (run(&x, &q))
		rc = 1;
	report(&x, &q, (double)(txq_now_ns() - t0) / NSEC);
	if (q.refused)
		rc = 1;
	kcap_close(k);
	for (size_t i = 0; i < x.n; i++)
		free(x.f[i].data);
	free(x.f);
	return rc;
}
