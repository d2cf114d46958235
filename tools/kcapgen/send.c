// SPDX-License-Identifier: GPL-2.0
/*
 * kcapgen send: one crafted stream in one of the traffic seed's profiles
 * (standard, continuous, burst, source-port range), through the TX engine.
 */
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/uio.h>

#include "cli.h"
#include "craft.h"
#include "kcap_args.h"
#include "kcapgen.h"
#include "netdev.h"
#include "txq.h"

#define BATCH		64

enum profile { P_STANDARD, P_CONTINUOUS, P_BURST, P_SPORT_RANGE };

struct send {
	const char *ifname;
	const char *dst, *src;		/* as given */
	bool have_src_mac, have_dst_mac, have_count;
	struct gen_stream s;
	enum profile profile;
	uint64_t count;			/* 0: until stopped */
	double rate;			/* packets/s, 0: as fast as possible */
	uint64_t burst, bursts;		/* B packets, C times */
	double interval;		/* T seconds between bursts */
	uint16_t sport_lo, sport_hi;
	double duration;		/* seconds, 0: none */
	bool verbose;
};

void gen_send_usage(FILE *f)
{
	fprintf(f,
"Usage: kcapgen send -i DEV --dst ADDR [--proto icmp|udp|tcp] [fields] [profile]\n"
"Fields:  --src ADDR  --src-mac MAC  --dst-mac MAC  --ttl N  --tos N  --id N\n"
"         --df  --mf  --frag-off N  --sport N  --dport N  --flags SAPRFU\n"
"         --seq N  --ack N  --window N  --urgptr N  --icmp-id N\n"
"         --payload TEXT | --size N  --bad-checksum\n"
"Profile: --profile standard (-c N packets, default 10)\n"
"         --profile continuous (until SIGINT, or --duration SECONDS)\n"
"         --profile burst --burst B --interval T --bursts C\n"
"         --profile sport-range --sport-range LO-HI [-c N | --duration S]\n"
"         --rate PPS paces any profile (bursts excepted: a burst is one\n"
"         send queue)\n");
}

enum {
	O_DST = 256, O_SRC, O_SRC_MAC, O_DST_MAC, O_TTL, O_TOS, O_ID, O_DF,
	O_MF, O_FRAG, O_SPORT, O_DPORT, O_FLAGS, O_SEQ, O_ACK, O_WIN, O_URG,
	O_ICMP_ID, O_PAYLOAD, O_SIZE, O_BAD, O_PROTO, O_PROFILE, O_RATE,
	O_BURST, O_INTERVAL, O_BURSTS, O_RANGE, O_DURATION,
};

static const struct option send_opts[] = {
	{ "dst", 1, NULL, O_DST }, { "src", 1, NULL, O_SRC },
	{ "src-mac", 1, NULL, O_SRC_MAC }, { "dst-mac", 1, NULL, O_DST_MAC },
	{ "ttl", 1, NULL, O_TTL }, { "tos", 1, NULL, O_TOS },
	{ "id", 1, NULL, O_ID }, { "df", 0, NULL, O_DF }, { "mf", 0, NULL, O_MF },
	{ "frag-off", 1, NULL, O_FRAG }, { "sport", 1, NULL, O_SPORT },
	{ "dport", 1, NULL, O_DPORT }, { "flags", 1, NULL, O_FLAGS },
	{ "seq", 1, NULL, O_SEQ }, { "ack", 1, NULL, O_ACK },
	{ "window", 1, NULL, O_WIN }, { "urgptr", 1, NULL, O_URG },
	{ "icmp-id", 1, NULL, O_ICMP_ID }, { "payload", 1, NULL, O_PAYLOAD },
	{ "size", 1, NULL, O_SIZE }, { "bad-checksum", 0, NULL, O_BAD },
	{ "proto", 1, NULL, O_PROTO }, { "profile", 1, NULL, O_PROFILE },
	{ "rate", 1, NULL, O_RATE }, { "burst", 1, NULL, O_BURST },
	{ "interval", 1, NULL, O_INTERVAL }, { "bursts", 1, NULL, O_BURSTS },
	{ "sport-range", 1, NULL, O_RANGE }, { "duration", 1, NULL, O_DURATION },
	{ "count", 1, NULL, 'c' }, { "interface", 1, NULL, 'i' },
	{ "verbose", 0, NULL, 'v' }, { "help", 0, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The stream's numeric header fields: option, largest value, where. */
static const struct {
	int opt;
	const char *name;
	uint64_t max;
	size_t off, size;
} num_fields[] = {
#define F(o, n, m, f) { o, n, m, offsetof(struct gen_stream, f), \
			sizeof(((struct gen_stream *)0)->f) }
	F(O_TTL, "--ttl", 255, ttl),
	F(O_TOS, "--tos", 255, tos),
	F(O_ID, "--id", 65535, ip_id),
	F(O_FRAG, "--frag-off", 8191, frag_off),
	F(O_SPORT, "--sport", 65535, sport),
	F(O_DPORT, "--dport", 65535, dport),
	F(O_SEQ, "--seq", UINT32_MAX, seq),
	F(O_ACK, "--ack", UINT32_MAX, ack),
	F(O_WIN, "--window", 65535, window),
	F(O_URG, "--urgptr", 65535, urgptr),
	F(O_ICMP_ID, "--icmp-id", 65535, echo_id),
	F(O_SIZE, "--size", 1500, size),
#undef F
};

static bool take_number(struct gen_stream *s, int opt, const char *val)
{
	for (size_t i = 0; i < sizeof(num_fields) / sizeof(num_fields[0]); i++) {
		uint64_t v;
		uint8_t *p = (uint8_t *)s + num_fields[i].off;

		if (num_fields[i].opt != opt)
			continue;
		v = cli_uint(num_fields[i].name, val, 0, num_fields[i].max);
		switch (num_fields[i].size) {
		case 1: *p = (uint8_t)v; break;
		case 2: *(uint16_t *)p = (uint16_t)v; break;
		case 4: *(uint32_t *)p = (uint32_t)v; break;
		default: *(size_t *)p = (size_t)v; break;
		}
		return true;
	}
	return false;
}

/* A header field other than a number; false if opt is none. */
static bool take_field(struct send *x, int opt, const char *val)
{
	struct gen_stream *s = &x->s;

	switch (opt) {
	case O_DST: x->dst = val; return true;
	case O_SRC: x->src = val; return true;
	case O_SRC_MAC:
		if (gen_parse_mac(val, s->src_mac))
			cli_die_usage("--src-mac: '%s' is not a MAC address", val);
		x->have_src_mac = true;
		return true;
	case O_DST_MAC:
		if (gen_parse_mac(val, s->dst_mac))
			cli_die_usage("--dst-mac: '%s' is not a MAC address", val);
		x->have_dst_mac = true;
		return true;
	case O_DF: s->df = true; return true;
	case O_MF: s->mf = true; return true;
	case O_FLAGS:
		if (gen_parse_tcp_flags(val, &s->tcp_flags))
			cli_die_usage("--flags: '%s': letters of FSRPAUEW, or none", val);
		return true;
	case O_PAYLOAD: s->payload = val; return true;
	case O_BAD: s->bad_checksum = true; return true;
	case O_PROTO:
		if (!strcmp(val, "icmp"))
			s->proto = GEN_ICMP;
		else if (!strcmp(val, "udp"))
			s->proto = GEN_UDP;
		else if (!strcmp(val, "tcp"))
			s->proto = GEN_TCP;
		else
			cli_die_usage("--proto: '%s': icmp, udp or tcp", val);
		return true;
	}
	return take_number(s, opt, val);
}

static void take_sport_range(struct send *x, const char *val)
{
	unsigned int lo, hi;
	char end;

	if (sscanf(val, "%u-%u%c", &lo, &hi, &end) != 2 || !lo || lo > hi || hi > 65535)
		cli_die_usage("--sport-range: '%s': LO-HI, 1 <= LO <= HI <= 65535", val);
	x->sport_lo = (uint16_t)lo;
	x->sport_hi = (uint16_t)hi;
}

/* The profile's options; false if opt is none. */
static bool take_profile(struct send *x, int opt, const char *val)
{
	static const char *const names[] = {
		[P_STANDARD] = "standard", [P_CONTINUOUS] = "continuous",
		[P_BURST] = "burst", [P_SPORT_RANGE] = "sport-range",
	};
	unsigned int i;

	switch (opt) {
	case O_PROFILE:
		for (i = 0; i < 4 && strcmp(val, names[i]); i++)
			;
		if (i == 4)
			cli_die_usage("--profile: '%s': standard, continuous, burst or sport-range",
				      val);
		x->profile = (enum profile)i;
		return true;
	case O_RATE: x->rate = cli_positive("--rate", val); return true;
	case O_BURST: x->burst = cli_uint("--burst", val, 0, 1000000); return true;
	case O_BURSTS: x->bursts = cli_uint("--bursts", val, 0, UINT32_MAX); return true;
	case O_INTERVAL: x->interval = cli_seconds("--interval", val); return true;
	case O_DURATION: x->duration = cli_seconds("--duration", val); return true;
	case O_RANGE: take_sport_range(x, val); return true;
	case 'c':
		x->count = cli_uint("-c", val, 0, UINT64_MAX);
		x->have_count = true;
		return true;
	}
	return false;
}

/* Addresses not given are the device's, or its neighbour's. */
static void resolve(struct send *x)
{
	struct gen_stream *s = &x->s;
	int fam;

	if (!x->ifname)
		cli_die_usage("send: -i DEV is required");
	if (!x->dst)
		cli_die_usage("send: --dst ADDR is required");
	if (gen_parse_addr(x->dst, &s->family, &s->dst))
		cli_die_usage("--dst: '%s' is not an IPv4 or IPv6 address", x->dst);
	if (x->src) {
		if (gen_parse_addr(x->src, &fam, &s->src) || fam != s->family)
			cli_die_usage("--src: '%s' is not an address of --dst's family", x->src);
	} else if (gen_dev_addr(x->ifname, s->family, &s->src)) {
		cli_die_usage("%s: no address of --dst's family: give --src", x->ifname);
	}
	if (!x->have_src_mac && gen_dev_mac(x->ifname, s->src_mac))
		cli_die_usage("%s: cannot read its MAC address: give --src-mac", x->ifname);
	if (!x->have_dst_mac &&
	    (s->family != AF_INET || gen_neigh_mac(x->ifname, &s->dst, s->dst_mac)))
		cli_die_usage("%s: no neighbour entry for --dst: give --dst-mac", x->dst);
}

static void parse_send(struct send *x, int argc, char **argv)
{
	struct gen_stream *s = &x->s;
	int opt;

	s->proto = GEN_UDP;
	s->ttl = 64;
	s->window = 65535;
	s->sport = 8000;
	s->dport = 8000;
	s->tcp_flags = 0x02;	/* SYN */
	s->echo_id = (uint16_t)getpid();
	s->ip_id = 1;
	s->size = 64;
	x->count = 10;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":i:c:vh", send_opts, NULL)) != -1) {
		if (opt == 'i') {
			x->ifname = optarg;
		} else if (opt == 'v') {
			x->verbose = true;
		} else if (opt == 'h') {
			gen_send_usage(stdout);
			exit(0);
		} else if (opt == ':' || opt == '?' ||
			   (!take_field(x, opt, optarg) && !take_profile(x, opt, optarg))) {
			cli_die_option(opt, argv);
		}
	}
	if (optind != argc)
		cli_die_usage("unexpected argument '%s'", argv[optind]);
	resolve(x);
	if (x->profile == P_BURST && (!x->burst || !x->bursts))
		cli_die_usage("--profile burst needs --burst B and --bursts C");
	if (x->profile == P_SPORT_RANGE && !x->sport_lo)
		cli_die_usage("--profile sport-range needs --sport-range LO-HI");
	if (x->profile == P_CONTINUOUS || (x->profile == P_SPORT_RANGE && !x->have_count))
		x->count = 0;
	if (x->profile == P_BURST)
		x->count = x->burst * x->bursts;
}

/* Frames n.. of the stream into bufs, up to m of them, as a send queue. */
static void build(struct send *x, uint64_t n, unsigned int m,
		  uint8_t (*bufs)[GEN_MAX_FRAME], struct iovec *iov)
{
	for (unsigned int i = 0; i < m; i++, n++) {
		if (x->profile == P_SPORT_RANGE)
			x->s.sport = (uint16_t)(x->sport_lo +
						n % ((uint64_t)x->sport_hi - x->sport_lo + 1));
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = gen_build(&x->s, (uint32_t)n, bufs[i]);
	}
}

static int run_bursts(struct send *x, struct txq *q, int64_t t0)
{
	static uint8_t bufs[BATCH][GEN_MAX_FRAME];
	struct iovec iov[BATCH];
	uint64_t n = 0;

	for (uint64_t b = 0; b < x->bursts && !cli_stop; b++) {
		uint64_t left = x->burst;

		if (b)
			txq_wait_until(q, t0 + (int64_t)(b * x->interval * NSEC));
		while (left && !cli_stop) {
			unsigned int m = left < BATCH ? (unsigned int)left : BATCH;

			build(x, n, m, bufs, iov);
			if (txq_send(q, iov, m))
				return -1;
			n += m;
			left -= m;
		}
	}
	return 0;
}

static int run_stream(struct send *x, struct txq *q, int64_t t0)
{
	static uint8_t bufs[BATCH][GEN_MAX_FRAME];
	struct iovec iov[BATCH];
	int64_t end = x->duration > 0 ? t0 + (int64_t)(x->duration * NSEC) : 0;
	uint64_t n = 0;
	unsigned int m;

	while (!cli_stop && (!x->count || n < x->count)) {
		if (end && txq_now_ns() >= end)
			break;
		m = BATCH;
		if (x->rate > 0) {
			txq_wait_until(q, t0 + (int64_t)((double)n * NSEC / x->rate));
			m = 1;
		}
		if (x->count && x->count - n < m)
			m = (unsigned int)(x->count - n);
		build(x, n, m, bufs, iov);
		if (txq_send(q, iov, m))
			return -1;
		n += m;
	}
	return 0;
}

int gen_send_main(int argc, char **argv)
{
	struct send x = { 0 };
	struct txq q;
	struct kcap *k;
	int64_t t0;
	int ret;

	parse_send(&x, argc, argv);
	if (!gen_build(&x.s, 0, (uint8_t[GEN_MAX_FRAME]){ 0 }))
		cli_die_usage("the payload does not fit in a 1514-byte frame");
	k = cli_open_kcap();
	cli_catch_signals(NULL);
	if (kcap_tx_bind(k, x.ifname))
		cli_die_kcap(k);
	txq_init(&q, k);
	t0 = txq_now_ns();
	ret = x.profile == P_BURST ? run_bursts(&x, &q, t0) : run_stream(&x, &q, t0);
	if (x.verbose)
		cli_warn("%llu packets, %llu bytes in %.3f s",
			 (unsigned long long)q.sent, (unsigned long long)q.bytes,
			 (double)(txq_now_ns() - t0) / NSEC);
	if (!ret)
		printf("sent=%llu\n", (unsigned long long)q.sent);
	kcap_close(k);
	return ret || q.refused ? 1 : 0;
}
