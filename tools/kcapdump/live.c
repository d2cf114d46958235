// SPDX-License-Identifier: GPL-2.0
/*
 * The live run: the session configured and attached, then packets from
 * its ring into the sink, the flush policy applied at each batch's end,
 * the status line, and tcpdump's closing counts.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "rates.h"
#include "runs.h"
#include "setup.h"
#include "sink_file.h"
#include "sink_print.h"
#include "sink_tee.h"

#define STATUS_MS	250
#define IDLE_MS		1000	/* the longest poll() with nothing pending */
#define NSEC_PER_MSEC	1000000ULL

/* One live run's state; the options stay as they were parsed. */
struct live {
	const struct kd_opts *o;
	struct kcap *k;
	struct kd_sink *sink;
	int *ifindex;			/* the session's devices, for pcapng */
	unsigned int nifs;
	uint32_t snaplen;
	bool status;			/* the status line on stderr */
	struct kcap_stat_snap start;
	bool have_start;
	uint64_t status_ns;
	uint64_t status_pkts;
	uint64_t drops;
};

static uint64_t mono_ns(void)
{
	struct timespec t;

	/* A system call where the vDSO cannot read the clocksource: once
	 * per batch, never per packet. */
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + t.tv_nsec;
}

static uint64_t sum(const struct kcap_stat_snap *s, size_t field)
{
	uint64_t v = 0;

	for (int d = 0; d < 2; d++)
		v += *(const uint64_t *)((const char *)&s->s.total[d] + field);
	return v;
}

#define SUM(s, f) sum((s), offsetof(struct kcap_counters, f))

/* The status line: its ioctl and write happen on its timer only. */
static void update_status(struct live *l, uint64_t now, bool force)
{
	struct kcap_stat_snap s;
	char rate[16], size[16];
	uint64_t captured = l->sink->packets;
	double dt;

	if (!l->status)
		return;
	dt = (now - l->status_ns) / 1e9;
	if (!force && dt < STATUS_MS / 1000.0)
		return;
	if (l->have_start && !kcap_stats_get(l->k, l->o->session, &s)) {
		l->drops = SUM(&s, dropped) - SUM(&l->start, dropped);
		kcap_stats_free(&s);
	}
	human_number(dt > 0 ? (captured - l->status_pkts) / dt : 0, rate, sizeof(rate));
	human_number(l->sink->bytes, size, sizeof(size));
	fprintf(stderr, "\r\033[K%llu packets, %llu dropped, %s pkt/s, %sB written",
		(unsigned long long)captured, (unsigned long long)l->drops, rate, size);
	l->status_ns = now;
	l->status_pkts = captured;
}

/*
 * A batch ended (the ring is empty, or KD_BATCH_PKTS packets in a row):
 * flush if the policy says so and tell the caller how long it may sleep.
 */
static int batch_end(struct live *l, int *timeout)
{
	uint64_t now = mono_ns();
	int ret, t;

	if (kd_flush_due(&l->sink->flush, kd_sink_pending(l->sink), now)) {
		ret = kd_sink_flush(l->sink);
		if (ret)
			return ret;
	}
	update_status(l, now, false);
	if (!timeout)
		return 0;
	t = kd_flush_timeout(&l->sink->flush, now, IDLE_MS);
	if (l->status) {
		uint64_t due = l->status_ns + STATUS_MS * NSEC_PER_MSEC;
		int s = now >= due ? 1 : (int)((due - now + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC);

		if (s < t)
			t = s;
	}
	*timeout = t;
	return 0;
}

/* The exit status of a sink's error: a reader of -w - that went away is none. */
static int sink_status(int ret)
{
	return ret && ret != -EPIPE && ret != KD_SINK_DONE ? 1 : 0;
}

static int capture(struct live *l)
{
	const struct kcap_packet *p;
	unsigned int batch = 0;
	int ret = 0, timeout;

	l->status_ns = mono_ns();
	while (!cli_stop && (!l->o->count || l->sink->packets < l->o->count)) {
		ret = kcap_next(l->k, &p, 0);
		if (ret == 0) {
			/* The ring is empty: the batch is over. */
			batch = 0;
			ret = batch_end(l, &timeout);
			if (ret)
				return sink_status(ret);
			ret = kcap_next(l->k, &p, timeout);
		}
		if (ret == -EINTR || ret == 0)
			continue;
		if (ret < 0) {
			cli_warn("%s", kcap_geterr(l->k));
			if (ret != -ENODEV)
				return 1;
			break;	/* the session ended: keep what came */
		}
		ret = kd_sink_put(l->sink, p);
		if (!ret && ++batch == KD_BATCH_PKTS) {
			batch = 0;
			ret = batch_end(l, NULL);
		}
		if (ret == KD_SINK_DONE)
			break;
		if (ret)
			return sink_status(ret);
	}
	/* -c reached, a signal, or the end: whatever is buffered goes out. */
	return sink_status(kd_sink_flush(l->sink));
}

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

/* tcpdump's closing counts; after a signal, on a line of their own. */
static void report(struct live *l)
{
	struct kcap_stat_snap end;
	const struct kd_sink *s = l->sink;
	uint64_t n;

	if (l->status) {
		update_status(l, mono_ns(), true);
		fputc('\n', stderr);
	} else if (cli_stop) {
		fputc('\n', stderr);
	}
	fprintf(stderr, "%llu packet%s captured\n", (unsigned long long)s->packets,
		plural(s->packets));
	if (s->unwritten)
		fprintf(stderr, "%llu packet%s not written: %s\n",
			(unsigned long long)s->unwritten, plural(s->unwritten),
			strerror(-s->write_err));
	if (!l->have_start || kcap_stats_get(l->k, l->o->session, &end))
		return;
	n = SUM(&end, matched) - SUM(&l->start, matched);
	fprintf(stderr, "%llu packet%s received by filter\n", (unsigned long long)n, plural(n));
	n = SUM(&end, dropped) - SUM(&l->start, dropped);
	fprintf(stderr, "%llu packet%s dropped by kernel\n", (unsigned long long)n, plural(n));
	kcap_stats_free(&end);
}

/* Configured, described and attached; returns the "listening" line's words. */
static void attach(struct live *l, char *what, size_t len)
{
	const struct kd_opts *o = l->o;
	struct kcap_cfg cfg;

	if (o->private_session && kcap_session_add_private(l->k, o->session))
		cli_die_kcap(l->k);
	kd_session_configure(l->k, o->session, &o->args, &cfg, -1);
	l->snaplen = cfg.c.snaplen ? cfg.c.snaplen : KCAP_SNAPLEN_MAX;
	if (o->private_session)
		snprintf(what, len, "%s", o->device);
	else
		kd_session_describe(o->session, &cfg, what, len);
	l->ifindex = kd_session_devices(&cfg.c, &l->nifs);
	if (cfg.c.flags & KCAP_CFG_STATS_ONLY)
		cli_warn("warning: session '%s' is stats-only: no packets are copied "
			 "(set stats-only=off)", o->session);
	kcap_cfg_free(&cfg);

	/* Attach before opening the file: a busy session must not cost the
	 * user an existing file. */
	if (kcap_attach(l->k, o->session, 0))
		cli_die_kcap(l->k);
	l->have_start = !kcap_stats_get(l->k, o->session, &l->start);
}

/* Printed packets: the tree, JSON or tcpdump's lines on stdout. */
static struct kd_sink *print_sink(const struct kd_opts *o)
{
	/* A terminal sees each batch at once. */
	struct kd_sink *s = kd_sink_print_open(o->count_only ? NULL : stdout, &o->print,
					       o->packet_buffered || o->line_buffered ||
					       isatty(STDOUT_FILENO));

	if (!s)
		cli_warn("out of memory");
	return s;
}

/* The sink: -w's file (and with --print the lines too), or the lines. */
static struct kd_sink *open_sink(struct live *l)
{
	const struct kd_opts *o = l->o;
	struct kd_out_spec spec = {
		.dlt = DLT_EN10MB,
		.snaplen = l->snaplen,
		.ifindex = l->ifindex,
		.nifs = l->nifs,
	};
	struct kd_sink *s, *p;

	if (!o->wfile)
		return print_sink(o);
	/*
	 * Writing a file, nobody watches packet by packet: have the kernel
	 * wake us per KD_WAKEUP_BYTES of records, or after KD_WAKEUP_MS,
	 * instead of at every packet we keep up with. -U (and --print)
	 * ask for packets as they come.
	 */
	if (!o->packet_buffered && !o->also_print &&
	    kcap_set_wakeup(l->k, KD_WAKEUP_BYTES, KD_WAKEUP_MS))
		cli_die_kcap(l->k);
	s = kd_sink_file_open(&o->file, &spec, o->packet_buffered);
	l->status = !o->quiet && !o->also_print && strcmp(o->wfile, "-") &&
		    isatty(STDERR_FILENO);
	if (!s || !o->also_print)
		return s;
	p = print_sink(o);
	if (!p)
		return NULL;
	s = kd_sink_tee_open(s, p, o->packet_buffered || o->line_buffered ||
			     isatty(STDOUT_FILENO));
	if (!s)
		cli_warn("out of memory");
	return s;
}

/* tcpdump's first words, on stderr. */
static void say_listening(const struct live *l, const char *what)
{
	const struct kd_opts *o = l->o;

	if (!o->verbose && !o->wfile)
		fprintf(stderr, "%s: verbose output suppressed, use -v[v]... for full protocol decode\n",
			cli_prog);
	else
		fprintf(stderr, "%s: ", cli_prog);
	if (o->private_session)
		fprintf(stderr, "listening on %s", what);
	else
		fprintf(stderr, "listening on session '%s' (%s)", o->session, what);
	fprintf(stderr, ", link-type EN10MB (Ethernet), snapshot length %u bytes\n", l->snaplen);
	fflush(stderr);
}

int kd_live_run(const struct kd_opts *o)
{
	struct live l = { .o = o };
	char what[256];
	int status, ret;

	l.k = cli_open_kcap();
	cli_catch_signals(l.k);
	attach(&l, what, sizeof(what));
	l.sink = open_sink(&l);
	if (!l.sink)
		return EXIT_FAILURE;
	kd_drop_privileges(o);
	say_listening(&l, what);

	status = capture(&l);
	ret = kd_sink_close(l.sink);
	if (ret && !status)
		status = 1;
	if (l.sink->err == -EPIPE)
		status = 0;	/* the reader of -w - went away: not an error */
	report(&l);
	kd_sink_free(l.sink);
	kcap_stats_free(&l.start);
	free(l.ifindex);
	kcap_close(l.k);
	return status;
}
