// SPDX-License-Identifier: GPL-2.0
/*
 * The live run: the session configured and attached, then packets from
 * its ring into the sink, the flush policy applied at each batch's end,
 * the status line, and tcpdump's closing counts.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
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
	unsigned int told_clients;	/* what the kernel last heard of them */
	/* -i any: each frame as tcpdump sees it there, Linux cooked v2. */
	bool cooked;
	uint8_t *cbuf;
	size_t ccap;
	struct kcap_packet cpkt;
	uint8_t hatype_hi[256];		/* ARPHRD_* >> 8 + 1 by ifindex; 0: unknown */
	uint8_t hatype_lo[256];
};

#define SLL2_HDR_LEN	20
#define ETH_HDR_LEN	14
#define ARPHRD_ETHER_	1
#define PKT_HOST	0
#define PKT_BROADCAST	1
#define PKT_MULTICAST	2
#define PKT_OUTGOING	4

/* The device's ARPHRD_* (772 for lo), looked up once per ifindex below 256. */
static uint16_t hatype(struct live *l, int ifindex)
{
	char name[IF_NAMESIZE];
	struct ifreq ifr;
	uint16_t t = ARPHRD_ETHER_;
	int fd;

	if (ifindex > 0 && ifindex < 256 && l->hatype_hi[ifindex])
		return (uint16_t)((l->hatype_hi[ifindex] - 1) << 8 | l->hatype_lo[ifindex]);
	memset(&ifr, 0, sizeof(ifr));
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && if_indextoname(ifindex, name)) {
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
		if (!ioctl(fd, SIOCGIFHWADDR, &ifr))
			t = ifr.ifr_hwaddr.sa_family;
	}
	if (fd >= 0)
		close(fd);
	if (ifindex > 0 && ifindex < 256) {
		l->hatype_hi[ifindex] = (uint8_t)((t >> 8) + 1);
		l->hatype_lo[ifindex] = (uint8_t)t;
	}
	return t;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = (uint8_t)v;
}

/*
 * The Ethernet frame as libpcap's any device hands it over: a Linux
 * cooked v2 header (protocol, ifindex, hardware type, packet type, the
 * source address) where the Ethernet header was. NULL: out of memory.
 */
static const struct kcap_packet *cook(struct live *l, const struct kcap_packet *p)
{
	const uint8_t *d = p->data;
	uint32_t body = p->caplen > ETH_HDR_LEN ? p->caplen - ETH_HDR_LEN : 0;
	uint16_t proto = 0;
	uint8_t *h;

	if (body + SLL2_HDR_LEN > l->ccap) {
		size_t cap = body + SLL2_HDR_LEN + 4096;
		uint8_t *n = realloc(l->cbuf, cap);

		if (!n)
			return NULL;
		l->cbuf = n;
		l->ccap = cap;
	}
	h = l->cbuf;
	memset(h, 0, SLL2_HDR_LEN);
	if (p->caplen >= ETH_HDR_LEN) {
		proto = (uint16_t)(d[12] << 8 | d[13]);
		/* 802.3 lengths: the kernel's ETH_P_802_2, or raw IPX (ETH_P_802_3) */
		if (proto < 1536)
			proto = body >= 2 && d[14] == 0xff && d[15] == 0xff ? 0x0001 : 0x0004;
		memcpy(h + 12, d + 6, 6);
		if (p->flags & KCAP_PACKET_OUTBOUND)
			h[10] = PKT_OUTGOING;
		else if (!memcmp(d, "\xff\xff\xff\xff\xff\xff", 6))
			h[10] = PKT_BROADCAST;
		else if (d[0] & 1)
			h[10] = PKT_MULTICAST;
		else
			h[10] = PKT_HOST;
		h[11] = 6;
		memcpy(h + SLL2_HDR_LEN, d + ETH_HDR_LEN, body);
	}
	put16(h, proto);
	h[4] = (uint8_t)(p->ifindex >> 24);
	h[5] = (uint8_t)(p->ifindex >> 16);
	h[6] = (uint8_t)(p->ifindex >> 8);
	h[7] = (uint8_t)p->ifindex;
	put16(h + 8, hatype(l, p->ifindex));
	l->cpkt = *p;
	l->cpkt.data = h;
	l->cpkt.caplen = body + SLL2_HDR_LEN;
	l->cpkt.wirelen = (p->wirelen > ETH_HDR_LEN ? p->wirelen - ETH_HDR_LEN : 0) +
			  SLL2_HDR_LEN;
	l->cpkt.linktype = KCAP_DLT_LINUX_SLL2;
	return &l->cpkt;
}

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
 * Where the packets go, for kcapctl list and show (polycube's "show
 * dump"); a module that cannot keep it costs nothing but the line.
 */
static void tell_dump(struct live *l)
{
	const struct kd_opts *o = l->o;
	struct kcap_dump d = { 0 };
	char cwd[200];

	if (o->net.listen) {
		d.kind = KCAP_DUMP_LISTEN;
		d.format = KCAP_DUMP_FMT_PCAPNG;
		d.clients = l->sink->clients;
		snprintf((char *)d.where, sizeof(d.where), "%s", o->net.listen);
	} else if (!o->wfile) {
		d.kind = KCAP_DUMP_PRINT;
		d.format = KCAP_DUMP_FMT_TEXT;
	} else if (!strcmp(o->wfile, "-")) {
		d.kind = KCAP_DUMP_PIPE;
	} else {
		d.kind = KCAP_DUMP_FILE;
		d.file_size = o->file.file_size;
		d.rotate_secs = o->file.rotate_secs;
		d.file_count = o->file.file_count;
		/* Whoever asks is elsewhere: a path that says where. */
		if (o->wfile[0] != '/' && getcwd(cwd, sizeof(cwd)))
			snprintf((char *)d.where, sizeof(d.where), "%s/%s", cwd, o->wfile);
		else
			snprintf((char *)d.where, sizeof(d.where), "%s", o->wfile);
	}
	if (o->wfile)
		d.format = o->file.fmt == KD_PCAPNG ? KCAP_DUMP_FMT_PCAPNG : KCAP_DUMP_FMT_PCAP;
	l->told_clients = d.clients;
	kcap_dump_set(l->k, &d);
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
	if (l->sink->clients != l->told_clients)
		tell_dump(l);
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
		if (l->cooked) {
			p = cook(l, p);
			if (!p) {
				cli_warn("out of memory");
				return 1;
			}
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
		.dlt = l->cooked ? DLT_LINUX_SLL2 : DLT_EN10MB,
		.snaplen = l->snaplen + (l->cooked ? SLL2_HDR_LEN - ETH_HDR_LEN : 0),
		.ifindex = l->ifindex,
		.nifs = l->nifs,
	};
	struct kd_sink *s, *p;

	if (o->net.listen)
		return kd_sink_net_open(&o->net, &spec);
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

	if (o->dlt_given)
		fprintf(stderr, "%s: data link type %s\n", cli_prog,
			l->cooked ? "LINUX_SLL2" : "EN10MB");
	if (!o->verbose && !o->wfile)
		fprintf(stderr, "%s: verbose output suppressed, use -v[v]... for full protocol decode\n",
			cli_prog);
	else
		fprintf(stderr, "%s: ", cli_prog);
	if (o->private_session)
		fprintf(stderr, "listening on %s", what);
	else
		fprintf(stderr, "listening on session '%s' (%s)", o->session, what);
	fprintf(stderr, ", link-type %s, snapshot length %u bytes\n",
		l->cooked ? "LINUX_SLL2 (Linux cooked v2)" : "EN10MB (Ethernet)", l->snaplen);
	fflush(stderr);
}

int kd_live_run(const struct kd_opts *o)
{
	struct live l = { .o = o };
	char what[256];
	int status, ret;

	l.cooked = o->dlt == DLT_LINUX_SLL2;
	l.k = cli_open_kcap();
	cli_catch_signals(l.k);
	attach(&l, what, sizeof(what));
	l.sink = open_sink(&l);
	if (!l.sink)
		return EXIT_FAILURE;
	tell_dump(&l);
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
	free(l.cbuf);
	kcap_close(l.k);
	return status;
}
