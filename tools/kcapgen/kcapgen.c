// SPDX-License-Identifier: GPL-2.0
/*
 * kcapgen: craft ICMP echo, UDP or TCP streams and send them through
 * /dev/kcap in the traffic seed's profiles (standard, continuous, burst,
 * source-port range), or count what arrives and whether it is corrupted.
 *
 *   kcapgen send -i DEV --dst ADDR [fields] [profile]   prints sent=N
 *   kcapgen recv -i DEV [-v] [-t SEC] [-c N] [FILTER]   prints received=N
 *                                                       corrupted=N
 */
#include <errno.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/uio.h>

#include "pace.h"
#include "kcap_args.h"
#include "craft.h"

#define BATCH		64

enum profile { P_STANDARD, P_CONTINUOUS, P_BURST, P_SPORT_RANGE };

struct ctx {
	const char *ifname;
	struct gen_stream s;
	enum profile profile;
	uint64_t count;			/* 0: until stopped */
	double rate;			/* packets/s, 0: as fast as possible */
	uint64_t burst, bursts;		/* B packets, C times */
	double interval;		/* T seconds between bursts */
	uint16_t sport_lo, sport_hi;
	double duration;		/* seconds, 0: none */
	bool verbose;

	struct kcap *k;
	uint64_t sent, bytes;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: kcapgen send -i DEV --dst ADDR [--proto icmp|udp|tcp] [fields] [profile]\n"
"       kcapgen recv -i DEV [-v] [-t SECONDS] [-c COUNT] [FILTER]\n"
"\n"
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

static int die(const char *fmt, const char *arg)
{
	fprintf(stderr, "kcapgen: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 2;
}

static int num(const char *s, uint64_t max, uint64_t *out, const char *what)
{
	if (kcap_parse_u64(s, max, out)) {
		fprintf(stderr, "kcapgen: %s: '%s' is not a number up to %llu\n",
			what, s, (unsigned long long)max);
		return -1;
	}
	return 0;
}

static int seconds(const char *s, double *out, const char *what)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (errno || end == s || *end || *out < 0 || *out > 86400 * 365) {
		fprintf(stderr, "kcapgen: %s: '%s' is not a number of seconds\n",
			what, s);
		return -1;
	}
	return 0;
}

static int read_dev_mac(const char *ifname, uint8_t mac[6])
{
	char path[128], line[64];
	FILE *f;
	int ret = -1;

	snprintf(path, sizeof(path), "/sys/class/net/%s/address", ifname);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		ret = gen_parse_mac(line, mac);
	}
	fclose(f);
	return ret;
}

/* The first address of family on ifname. */
static int dev_addr(const char *ifname, int family, struct in6_addr *a)
{
	struct ifaddrs *ifa, *i;
	int ret = -1;

	if (getifaddrs(&ifa))
		return -1;
	for (i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != family ||
		    strcmp(i->ifa_name, ifname))
			continue;
		if (family == AF_INET)
			memcpy(a, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, 4);
		else
			*a = ((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
		ret = 0;
		break;
	}
	freeifaddrs(ifa);
	return ret;
}

/* The destination's entry in the ARP table, on ifname. */
static int arp_lookup(const char *ifname, const struct in6_addr *dst,
		      uint8_t mac[6])
{
	char line[256], ip[64], hw[64], dev[IF_NAMESIZE + 1], want[INET_ADDRSTRLEN];
	unsigned int type, flags;
	FILE *f = fopen("/proc/net/arp", "r");
	int ret = -1;

	if (!f)
		return -1;
	inet_ntop(AF_INET, dst, want, sizeof(want));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s 0x%x 0x%x %63s %*s %16s", ip, &type, &flags,
			   hw, dev) != 5)
			continue;
		/* ATF_COM: complete. */
		if (!strcmp(ip, want) && !strcmp(dev, ifname) && (flags & 2) &&
		    !gen_parse_mac(hw, mac)) {
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

static int parse_addr(const char *s, int *family, struct in6_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a) == 1) {
		*family = AF_INET6;
		return 0;
	}
	return -1;
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

static int parse_send(struct ctx *x, int argc, char **argv)
{
	struct gen_stream *s = &x->s;
	const char *dst = NULL, *src = NULL;
	bool have_src_mac = false, have_dst_mac = false, have_count = false;
	int opt, fam;
	uint64_t v;
	double d;

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

	while ((opt = getopt_long(argc, argv, "i:c:vh", send_opts, NULL)) != -1) {
		switch (opt) {
		case 'i': x->ifname = optarg; break;
		case 'c':
			if (num(optarg, UINT64_MAX, &x->count, "-c"))
				return -1;
			have_count = true;
			break;
		case 'v': x->verbose = true; break;
		case 'h': usage(stdout); exit(0);
		case O_DST: dst = optarg; break;
		case O_SRC: src = optarg; break;
		case O_SRC_MAC:
			if (gen_parse_mac(optarg, s->src_mac))
				return die("--src-mac: '%s' is not a MAC address", optarg);
			have_src_mac = true;
			break;
		case O_DST_MAC:
			if (gen_parse_mac(optarg, s->dst_mac))
				return die("--dst-mac: '%s' is not a MAC address", optarg);
			have_dst_mac = true;
			break;
		case O_TTL:
			if (num(optarg, 255, &v, "--ttl"))
				return -1;
			s->ttl = (uint8_t)v;
			break;
		case O_TOS:
			if (num(optarg, 255, &v, "--tos"))
				return -1;
			s->tos = (uint8_t)v;
			break;
		case O_ID:
			if (num(optarg, 65535, &v, "--id"))
				return -1;
			s->ip_id = (uint16_t)v;
			break;
		case O_DF: s->df = true; break;
		case O_MF: s->mf = true; break;
		case O_FRAG:
			if (num(optarg, 8191, &v, "--frag-off"))
				return -1;
			s->frag_off = (uint16_t)v;
			break;
		case O_SPORT:
			if (num(optarg, 65535, &v, "--sport"))
				return -1;
			s->sport = (uint16_t)v;
			break;
		case O_DPORT:
			if (num(optarg, 65535, &v, "--dport"))
				return -1;
			s->dport = (uint16_t)v;
			break;
		case O_FLAGS:
			if (gen_parse_tcp_flags(optarg, &s->tcp_flags))
				return die("--flags: '%s': letters of FSRPAUEW, or none", optarg);
			break;
		case O_SEQ:
			if (num(optarg, UINT32_MAX, &v, "--seq"))
				return -1;
			s->seq = (uint32_t)v;
			break;
		case O_ACK:
			if (num(optarg, UINT32_MAX, &v, "--ack"))
				return -1;
			s->ack = (uint32_t)v;
			break;
		case O_WIN:
			if (num(optarg, 65535, &v, "--window"))
				return -1;
			s->window = (uint16_t)v;
			break;
		case O_URG:
			if (num(optarg, 65535, &v, "--urgptr"))
				return -1;
			s->urgptr = (uint16_t)v;
			break;
		case O_ICMP_ID:
			if (num(optarg, 65535, &v, "--icmp-id"))
				return -1;
			s->echo_id = (uint16_t)v;
			break;
		case O_PAYLOAD: s->payload = optarg; break;
		case O_SIZE:
			if (num(optarg, 1500, &v, "--size"))
				return -1;
			s->size = (size_t)v;
			break;
		case O_BAD: s->bad_checksum = true; break;
		case O_PROTO:
			if (!strcmp(optarg, "icmp"))
				s->proto = GEN_ICMP;
			else if (!strcmp(optarg, "udp"))
				s->proto = GEN_UDP;
			else if (!strcmp(optarg, "tcp"))
				s->proto = GEN_TCP;
			else
				return die("--proto: '%s': icmp, udp or tcp", optarg);
			break;
		case O_PROFILE:
			if (!strcmp(optarg, "standard"))
				x->profile = P_STANDARD;
			else if (!strcmp(optarg, "continuous"))
				x->profile = P_CONTINUOUS;
			else if (!strcmp(optarg, "burst"))
				x->profile = P_BURST;
			else if (!strcmp(optarg, "sport-range"))
				x->profile = P_SPORT_RANGE;
			else
				return die("--profile: '%s': standard, continuous, burst or sport-range",
					   optarg);
			break;
		case O_RATE:
			if (seconds(optarg, &x->rate, "--rate") || x->rate <= 0)
				return die("--rate: '%s' must be above 0", optarg);
			break;
		case O_BURST:
			if (num(optarg, 1000000, &x->burst, "--burst"))
				return -1;
			break;
		case O_BURSTS:
			if (num(optarg, UINT32_MAX, &x->bursts, "--bursts"))
				return -1;
			break;
		case O_INTERVAL:
			if (seconds(optarg, &x->interval, "--interval"))
				return -1;
			break;
		case O_DURATION:
			if (seconds(optarg, &d, "--duration"))
				return -1;
			x->duration = d;
			break;
		case O_RANGE: {
			unsigned int lo, hi;
			char end;

			if (sscanf(optarg, "%u-%u%c", &lo, &hi, &end) != 2 ||
			    !lo || lo > hi || hi > 65535)
				return die("--sport-range: '%s': LO-HI, 1 <= LO <= HI <= 65535",
					   optarg);
			x->sport_lo = (uint16_t)lo;
			x->sport_hi = (uint16_t)hi;
			break;
		}
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc)
		return die("unexpected argument '%s'", argv[optind]);
	if (!x->ifname)
		return die("%s", "send: -i DEV is required");
	if (!dst)
		return die("%s", "send: --dst ADDR is required");
	if (parse_addr(dst, &s->family, &s->dst))
		return die("--dst: '%s' is not an IPv4 or IPv6 address", dst);
	if (src) {
		if (parse_addr(src, &fam, &s->src) || fam != s->family)
			return die("--src: '%s' is not an address of --dst's family", src);
	} else if (dev_addr(x->ifname, s->family, &s->src)) {
		return die("%s: no address of --dst's family: give --src", x->ifname);
	}
	if (!have_src_mac && read_dev_mac(x->ifname, s->src_mac))
		return die("%s: cannot read its MAC address: give --src-mac", x->ifname);
	if (!have_dst_mac &&
	    (s->family != AF_INET || arp_lookup(x->ifname, &s->dst, s->dst_mac)))
		return die("%s: no neighbour entry for --dst: give --dst-mac", dst);

	if (x->profile == P_BURST && (!x->burst || !x->bursts))
		return die("%s", "--profile burst needs --burst B and --bursts C");
	if (x->profile == P_SPORT_RANGE && !x->sport_lo)
		return die("%s", "--profile sport-range needs --sport-range LO-HI");
	if (x->profile == P_CONTINUOUS || (x->profile == P_SPORT_RANGE && !have_count))
		x->count = 0;
	if (x->profile == P_BURST)
		x->count = x->burst * x->bursts;
	return 0;
}

/* Sends n frames as one send queue; retries what the qdisc dropped. */
static int send_batch(struct ctx *x, uint8_t (*bufs)[GEN_MAX_FRAME],
		      struct iovec *iov, unsigned int n)
{
	unsigned int done = 0;
	int ret, tries = 0;

	while (done < n && !stop) {
		ret = kcap_inject_batch(x->k, iov + done, n - done);
		if (ret == -ENOBUFS && tries++ < 1000) {
			usleep(100);
			continue;
		}
		if (ret < 0) {
			fprintf(stderr, "kcapgen: %s\n", kcap_geterr(x->k));
			return ret;
		}
		for (int i = 0; i < ret; i++)
			x->bytes += iov[done + i].iov_len;
		done += (unsigned int)ret;
		x->sent += (uint64_t)ret;
	}
	(void)bufs;
	return 0;
}

static size_t build(struct ctx *x, uint64_t n, uint8_t *buf)
{
	if (x->profile == P_SPORT_RANGE)
		x->s.sport = (uint16_t)(x->sport_lo +
					n % ((uint64_t)x->sport_hi - x->sport_lo + 1));
	return gen_build(&x->s, (uint32_t)n, buf);
}

static int run_send(struct ctx *x)
{
	static uint8_t bufs[BATCH][GEN_MAX_FRAME];
	struct iovec iov[BATCH];
	int64_t t0 = pace_now_ns(), next = t0, end = 0;
	uint64_t n = 0, b;
	unsigned int i, m;
	double secs;

	if (x->duration > 0)
		end = t0 + (int64_t)(x->duration * NSEC);

	if (x->profile == P_BURST) {
		for (b = 0; b < x->bursts && !stop; b++) {
			uint64_t left = x->burst;

			if (b)
				pace_sleep_until(t0 + (int64_t)(b * x->interval * NSEC), &stop);
			while (left && !stop) {
				m = left < BATCH ? (unsigned int)left : BATCH;
				for (i = 0; i < m; i++, n++) {
					iov[i].iov_base = bufs[i];
					iov[i].iov_len = build(x, n, bufs[i]);
				}
				if (send_batch(x, bufs, iov, m))
					return 1;
				left -= m;
			}
		}
		goto done;
	}

	while (!stop && (!x->count || n < x->count)) {
		if (end && pace_now_ns() >= end)
			break;
		m = BATCH;
		if (x->rate > 0) {
			pace_sleep_until(next, &stop);
			next = t0 + (int64_t)((double)(n + 1) * NSEC / x->rate);
			m = 1;
		}
		if (x->count && x->count - n < m)
			m = (unsigned int)(x->count - n);
		for (i = 0; i < m; i++, n++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = build(x, n, bufs[i]);
		}
		if (send_batch(x, bufs, iov, m))
			return 1;
	}
done:
	secs = (double)(pace_now_ns() - t0) / NSEC;
	if (x->verbose)
		fprintf(stderr, "kcapgen: %llu packets, %llu bytes in %.3f s\n",
			(unsigned long long)x->sent, (unsigned long long)x->bytes,
			secs);
	printf("sent=%llu\n", (unsigned long long)x->sent);
	return 0;
}

static int cmd_send(int argc, char **argv)
{
	struct ctx x = { 0 };
	struct sigaction sa = { .sa_handler = on_signal };
	int ret;

	if (parse_send(&x, argc, argv))
		return 2;
	if (!gen_build(&x.s, 0, (uint8_t[GEN_MAX_FRAME]){ 0 }))
		return die("%s", "the payload does not fit in a 1514-byte frame");
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	ret = kcap_open(&x.k, NULL);
	if (!ret)
		ret = kcap_tx_bind(x.k, x.ifname);
	if (ret) {
		fprintf(stderr, "kcapgen: %s\n", x.k ? kcap_geterr(x.k) : strerror(-ret));
		kcap_close(x.k);
		return 1;
	}
	ret = run_send(&x);
	kcap_close(x.k);
	return ret;
}

int gen_recv_main(int argc, char **argv);

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "send"))
		return cmd_send(argc - 1, argv + 1);
	if (!strcmp(argv[1], "recv"))
		return gen_recv_main(argc - 1, argv + 1);
	fprintf(stderr, "kcapgen: unknown command '%s' (send or recv)\n", argv[1]);
	return 2;
}
