// SPDX-License-Identifier: GPL-2.0
/*
 * kcapdump --inject: replay a savefile through /dev/kcap.
 *
 * The file is read whole first, so pacing is not disturbed by reading.
 * Unpaced, frames go out as send queues of up to BATCH frames per
 * writev(2). --sync keeps the file's gaps, as Npcap's synchronized send
 * queue does: each frame has an absolute deadline on CLOCK_MONOTONIC,
 * start + (its timestamp - the first one's), slept to with
 * clock_nanosleep(TIMER_ABSTIME) so that errors do not add up; the time
 * each frame is handed to the kernel is compared with its deadline, and
 * the mean and largest deviations are reported. --rate and --mbps pace
 * the same way, from a schedule of their own.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/uio.h>

#include "pace.h"
#include "kcap_args.h"
#include "inject.h"

#define BATCH	64

struct frame {
	int64_t t_ns;		/* from the first frame of the file */
	uint32_t len;
	uint8_t *data;
};

struct inj {
	const char *file, *ifname;
	int mode;		/* 0 unpaced, 's' sync, 'r' rate, 'm' mbps */
	double rate;		/* packets/s, or Mbit/s */
	uint64_t loops;		/* 0: forever */
	uint64_t count;		/* 0: all */
	int quiet;

	struct frame *f;
	size_t n;
	int64_t span;		/* last frame's time */
	uint64_t skipped;	/* truncated in the file */

	struct kcap *k;
	uint64_t sent, bytes, refused;
	double err_sum, err_max;	/* pacing error, ns */
	uint64_t err_n;
};

static volatile sig_atomic_t inj_stop;

static void inj_signal(int sig)
{
	(void)sig;
	inj_stop = 1;
}

static void inj_usage(FILE *f)
{
	fprintf(f,
"Usage: kcapdump --inject FILE -i DEV [--sync | --rate PPS | --mbps M]\n"
"                [--loop N] [-c COUNT] [-q]\n"
"  --sync      keep the gaps between the file's timestamps\n"
"  --rate PPS  send PPS packets a second\n"
"  --mbps M    send M megabits a second (frame bytes, as on the wire)\n"
"  --loop N    send the file N times (0: until interrupted)\n"
"  -c COUNT    stop after COUNT packets\n");
}

int kd_inject_wanted(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--inject") ||
		    !strncmp(argv[i], "--inject=", 9))
			return 1;
		if (!strcmp(argv[i], "--"))
			break;
	}
	return 0;
}

static int inj_number(const char *opt, const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (errno || end == s || *end || !(*out > 0) || !isfinite(*out)) {
		fprintf(stderr, "kcapdump: %s: '%s' is not a positive number\n",
			opt, s);
		return -1;
	}
	return 0;
}

enum { OPT_INJECT = 256, OPT_SYNC, OPT_RATE, OPT_MBPS, OPT_LOOP };

static int inj_parse(struct inj *x, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "inject", 1, NULL, OPT_INJECT },
		{ "sync", 0, NULL, OPT_SYNC },
		{ "rate", 1, NULL, OPT_RATE },
		{ "mbps", 1, NULL, OPT_MBPS },
		{ "loop", 1, NULL, OPT_LOOP },
		{ "interface", 1, NULL, 'i' },
		{ "count", 1, NULL, 'c' },
		{ "quiet", 0, NULL, 'q' },
		{ "help", 0, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	x->loops = 1;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "i:c:qh", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_INJECT:
			x->file = optarg;
			break;
		case OPT_SYNC:
		case OPT_RATE:
		case OPT_MBPS:
			if (x->mode) {
				fprintf(stderr, "kcapdump: --sync, --rate and --mbps exclude each other\n");
				return -1;
			}
			x->mode = opt == OPT_SYNC ? 's' : opt == OPT_RATE ? 'r' : 'm';
			if (opt != OPT_SYNC &&
			    inj_number(opt == OPT_RATE ? "--rate" : "--mbps",
				       optarg, &x->rate))
				return -1;
			break;
		case OPT_LOOP:
			if (kcap_parse_u64(optarg, UINT32_MAX, &x->loops)) {
				fprintf(stderr, "kcapdump: --loop: '%s' is not a count\n", optarg);
				return -1;
			}
			break;
		case 'i':
			x->ifname = optarg;
			break;
		case 'c':
			if (kcap_parse_u64(optarg, UINT64_MAX, &x->count) || !x->count) {
				fprintf(stderr, "kcapdump: -c: '%s' is not a count above 0\n", optarg);
				return -1;
			}
			break;
		case 'q':
			x->quiet = 1;
			break;
		case 'h':
			inj_usage(stdout);
			exit(0);
		default:
			inj_usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "kcapdump: --inject: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	if (!x->file || !x->ifname) {
		fprintf(stderr, "kcapdump: --inject FILE needs -i DEV\n");
		return -1;
	}
	return 0;
}

static int inj_load(struct inj *x)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	int64_t t0 = 0, t;
	size_t cap = 0;
	pcap_t *p;
	int ret;

	p = pcap_open_offline_with_tstamp_precision(x->file,
						    PCAP_TSTAMP_PRECISION_NANO, err);
	if (!p) {
		fprintf(stderr, "kcapdump: %s\n", err);
		return -1;
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		fprintf(stderr, "kcapdump: %s: link type %s, not Ethernet\n",
			x->file, pcap_datalink_val_to_name(pcap_datalink(p)));
		pcap_close(p);
		return -1;
	}
	while ((ret = pcap_next_ex(p, &h, &data)) == 1) {
		struct frame *fr;

		/* A cut frame would go out as something it never was. */
		if (h->caplen < h->len) {
			x->skipped++;
			continue;
		}
		if (x->n == cap) {
			cap = cap ? 2 * cap : 1024;
			fr = realloc(x->f, cap * sizeof(*fr));
			if (!fr)
				goto err_nomem;
			x->f = fr;
		}
		t = (int64_t)h->ts.tv_sec * NSEC + h->ts.tv_usec;
		if (!x->n)
			t0 = t;
		fr = &x->f[x->n];
		fr->t_ns = t - t0;
		/* Out of order in the file: never backwards in time. */
		if (x->n && fr->t_ns < x->f[x->n - 1].t_ns)
			fr->t_ns = x->f[x->n - 1].t_ns;
		fr->len = h->caplen;
		fr->data = malloc(h->caplen ? h->caplen : 1);
		if (!fr->data)
			goto err_nomem;
		memcpy(fr->data, data, h->caplen);
		x->n++;
	}
	if (ret != PCAP_ERROR_BREAK)
		fprintf(stderr, "kcapdump: %s: %s (replaying what was read)\n",
			x->file, pcap_geterr(p));
	pcap_close(p);
	if (x->n)
		x->span = x->f[x->n - 1].t_ns;
	return 0;

err_nomem:
	fprintf(stderr, "kcapdump: out of memory reading %s\n", x->file);
	pcap_close(p);
	return -1;
}

/*
 * Sends frames [i, i + m) as one send queue. A frame the kernel refuses
 * is reported and skipped; a full queue (ENOBUFS) is retried. Returns -1
 * on an error that ends the replay (the device went, or went down).
 */
static int inj_send(struct inj *x, const struct iovec *iov, unsigned int m)
{
	unsigned int done = 0;
	int ret, tries = 0;

	while (done < m && !inj_stop) {
		ret = kcap_inject_batch(x->k, iov + done, m - done);
		if (ret > 0) {
			for (int j = 0; j < ret; j++)
				x->bytes += iov[done + j].iov_len;
			x->sent += (unsigned int)ret;
			done += (unsigned int)ret;
			tries = 0;
			continue;
		}
		if (ret == -ENOBUFS && tries++ < 1000) {
			usleep(100);
			continue;
		}
		if (ret == -EINVAL || ret == -EMSGSIZE) {
			fprintf(stderr, "kcapdump: %s (%zu bytes), skipped\n",
				kcap_geterr(x->k), iov[done].iov_len);
			x->refused++;
			done++;
			continue;
		}
		fprintf(stderr, "kcapdump: %s\n", kcap_geterr(x->k));
		return -1;
	}
	return 0;
}

/* The deadline of the n-th frame sent, f the file's frame, loop its pass. */
static int64_t inj_deadline(const struct inj *x, const struct frame *f,
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

static int inj_run(struct inj *x)
{
	struct iovec iov[BATCH];
	uint64_t loop, n = 0, bits = 0;
	int64_t start, dl, late;
	unsigned int m = 0;
	size_t i;

	start = pace_now_ns();
	for (loop = 0; !x->loops || loop < x->loops; loop++) {
		for (i = 0; i < x->n && !inj_stop; i++) {
			struct frame *f = &x->f[i];

			if (x->count && n >= x->count)
				goto out;
			iov[m].iov_base = f->data;
			iov[m].iov_len = f->len;
			m++;
			if (x->mode) {
				dl = start + inj_deadline(x, f, loop, n, bits);
				pace_sleep_until(dl, &inj_stop);
				late = pace_now_ns() - dl;
				x->err_sum += (double)llabs(late);
				if ((double)llabs(late) > x->err_max)
					x->err_max = (double)llabs(late);
				x->err_n++;
			}
			n++;
			bits += (uint64_t)f->len * 8;
			if (x->mode || m == BATCH) {
				if (inj_send(x, iov, m))
					return -1;
				m = 0;
			}
		}
		if (inj_stop || !x->n)
			break;
	}
out:
	if (m && inj_send(x, iov, m))
		return -1;
	return 0;
}

static void inj_report(const struct inj *x, double secs)
{
	printf("%llu packets sent, %llu bytes, %.3f s, %.1f packets/s\n",
	       (unsigned long long)x->sent, (unsigned long long)x->bytes, secs,
	       secs > 0 ? (double)x->sent / secs : 0.0);
	if (x->mode == 's' || x->mode == 'r' || x->mode == 'm')
		printf("pacing error: mean %.3f ms, max %.3f ms over %llu packets\n",
		       x->err_n ? x->err_sum / (double)x->err_n / 1e6 : 0.0,
		       x->err_max / 1e6, (unsigned long long)x->err_n);
	if (x->refused)
		fprintf(stderr, "kcapdump: %llu frames refused\n",
			(unsigned long long)x->refused);
	if (x->skipped)
		fprintf(stderr, "kcapdump: %llu truncated frames in the file skipped\n",
			(unsigned long long)x->skipped);
}

int kd_inject_main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = inj_signal };
	struct inj x = { 0 };
	int64_t t0;
	int ret, rc = 0;
	size_t i;

	if (inj_parse(&x, argc, argv))
		return 2;
	if (inj_load(&x))
		return 1;
	ret = kcap_open(&x.k, NULL);
	if (!ret)
		ret = kcap_tx_bind(x.k, x.ifname);
	if (ret) {
		fprintf(stderr, "kcapdump: %s\n", x.k ? kcap_geterr(x.k) : strerror(-ret));
		rc = 1;
		goto out;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	t0 = pace_now_ns();
	if (inj_run(&x))
		rc = 1;
	inj_report(&x, (double)(pace_now_ns() - t0) / NSEC);
	if (x.refused)
		rc = 1;
out:
	kcap_close(x.k);
	for (i = 0; i < x.n; i++)
		free(x.f[i].data);
	free(x.f);
	return rc;
}
