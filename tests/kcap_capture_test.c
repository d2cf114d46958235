// SPDX-License-Identifier: GPL-2.0
/*
 * Capture with real traffic, between two network namespaces joined by
 * veth pairs, and on lo. The oracle is tcpdump (AF_PACKET) capturing the
 * same traffic at the same time: count, lengths, bytes and order must be
 * the same, per direction. Then floods, device and namespace deletion,
 * reconfiguration under load, and a reader that scribbles on its page.
 */
#include <poll.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/kcap.h>

#include "kselftest_harness.h"
#include "kcap_mod.h"
#include "kcap_net.h"

#define RING_SMALL	KCAP_RING_MIN
#define RING_BIG	(4U << 20)

static void cfg_init(struct kcap_config *c, const char *name, __u32 capture,
		     __u32 ring)
{
	memset(c, 0, sizeof(*c));
	snprintf((char *)c->name, sizeof(c->name), "%s", name);
	c->capture = capture;
	c->ring_size = ring;
}

static void cfg_dev(struct kcap_config *c, int ifindex)
{
	c->ifindex[c->ndevs++] = ifindex;
}

/* The default session on one device, keeping UDP to port 7000 (the flows). */
static int set_dport7000(int fd, int ifindex, __u32 capture, __u32 ring,
			 __u32 flags)
{
	struct kcap_config c;

	cfg_init(&c, "default", capture, ring);
	cfg_dev(&c, ifindex);
	c.flags = flags;
	c.match = KCAP_MATCH_DPORT;
	c.dport = 7000;
	return ioctl(fd, KCAP_IOC_SET_CONFIG, &c);
}

/* spec is "addr/len", either family. */
static void cfg_pfx(struct kcap_prefix *p, const char *spec)
{
	char addr[INET6_ADDRSTRLEN];
	const char *slash = strchr(spec, '/');

	snprintf(addr, sizeof(addr), "%.*s", (int)(slash - spec), spec);
	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, addr, p->addr) == 1) {
		p->family = KCAP_FAMILY_INET;
	} else {
		inet_pton(AF_INET6, addr, p->addr);
		p->family = KCAP_FAMILY_INET6;
	}
	p->len = atoi(slash + 1);
}

static int sess_add(int fd, const char *name)
{
	struct kcap_session_req r;

	memset(&r, 0, sizeof(r));
	snprintf((char *)r.name, sizeof(r.name), "%s", name);
	return ioctl(fd, KCAP_IOC_SESSION_ADD, &r);
}

static int sess_state(int fd, const char *name)
{
	struct kcap_session_req r;

	memset(&r, 0, sizeof(r));
	snprintf((char *)r.name, sizeof(r.name), "%s", name);
	if (ioctl(fd, KCAP_IOC_SESSION_INFO, &r))
		return -1;
	return r.state;
}

static int get_stats(int fd, const char *name, struct kcap_stats *st)
{
	memset(st, 0, sizeof(*st));
	snprintf((char *)st->name, sizeof(st->name), "%s", name);
	return ioctl(fd, KCAP_IOC_STATS, st);
}

/* libpcap's compiler; struct bpf_insn is struct sock_filter. */
static int bpf_compile(const char *expr, struct kcap_config *c)
{
	struct bpf_program prog;
	struct sock_filter *insns;
	pcap_t *p;

	p = pcap_open_dead(DLT_EN10MB, 262144);
	if (!p)
		return -1;
	if (pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN)) {
		pcap_close(p);
		return -1;
	}
	insns = calloc(prog.bf_len, sizeof(*insns));
	memcpy(insns, prog.bf_insns, prog.bf_len * sizeof(*insns));
	c->bpf_insns = (uintptr_t)insns;
	c->bpf_len = prog.bf_len;
	pcap_freecode(&prog);
	pcap_close(p);
	return 0;
}

/* From nsA to nsB, over a0: UDP (some fragmented), ICMP and TCP SYNs. */
static int traffic_v4(void)
{
	int ret = 0, i;

	ret |= udp_send(NS_A, "10.0.0.2", 5000, 7000, 40, 100, 2000);
	ret |= udp_send(NS_A, "10.0.9.2", 5001, 7001, 30, 1200, 2000);
	ret |= udp_send(NS_A, "10.0.9.2", 5002, 7002, 5, 3000, 2000);
	ret |= sh("ip netns exec " NS_A " ping -c 10 -i 0.02 -q 10.0.0.2");
	ret |= sh("ip netns exec " NS_A " ping -c 10 -i 0.02 -s 1000 -q 10.0.9.2");
	ret |= sh("ip netns exec " NS_A " ping -c 5 -i 0.02 -q -I 10.0.0.3 10.0.0.2");
	/* Refused: a SYN out, a RST back. */
	for (i = 0; i < 3; i++)
		sh("ip netns exec " NS_A " nc -z -w 1 10.0.0.2 80 || true");
	return ret;
}

static int traffic_v6(void)
{
	int ret = 0;

	ret |= udp_send(NS_A, "fd00::2", 5000, 7000, 40, 100, 2000);
	ret |= udp_send(NS_A, "fd00:9::2", 5001, 7001, 30, 1200, 2000);
	ret |= udp_send(NS_A, "fd00:9::2", 5002, 7002, 5, 3000, 2000);
	ret |= sh("ip netns exec " NS_A " ping -6 -c 10 -i 0.02 -q fd00::2");
	ret |= sh("ip netns exec " NS_A " ping -6 -c 5 -i 0.02 -q -I fd00::3 fd00::2");
	return ret;
}

FIXTURE(cap) {
	int fd;
	int a0, a1;
};

FIXTURE_VARIANT(cap) {
	int v6;
};

FIXTURE_VARIANT_ADD(cap, v4) { .v6 = 0 };
FIXTURE_VARIANT_ADD(cap, v6) { .v6 = 1 };

FIXTURE_SETUP(cap)
{
	ASSERT_EQ(0, kcap_mod_reload());
	ASSERT_EQ(0, net_enter_a(variant->v6, &self->a0, &self->a1));
	self->fd = kcap_dev_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(cap)
{
	close(self->fd);
	net_teardown();
}

static size_t kpkts_count(const struct kpkts *l, int dir)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		n += dir < 0 || !!(l->p[i].flags & KCAP_PKT_INGRESS) == dir;
	return n;
}

/*
 * Stops tcpdump once it has written what kcap captured in its direction
 * (or waited long enough); a difference shows in check_same().
 */
static int stop_after(struct tcpd *t, const struct kpkts *k, int dir)
{
	tcpd_settle(t, kpkts_count(k, dir));
	return tcpd_stop(t);
}

static void stop_both(struct tcpd *tin, struct tcpd *tout,
		      const struct kpkts *k)
{
	stop_after(tin, k, 1);
	stop_after(tout, k, 0);
}

static int check_same(struct __test_metadata *_metadata, const char *what,
		      const struct kpkts *k, int dir, struct tcpd *t)
{
	struct kpkts sel = { 0 }, ref = { 0 };
	char why[160];
	int same;

	if (pcap_load(t->path, &ref))
		return 0;
	kpkts_select(k, dir, &sel);
	same = kpkts_same(&sel, &ref, why, sizeof(why));
	TH_LOG("%s: kcap vs tcpdump: %s", what, why);
	kpkts_free(&sel);
	kpkts_free(&ref);
	return same;
}

/* kcap and tcpdump on both directions of a veth: the same packets. */
TEST_F_TIMEOUT(cap, veth_matches_tcpdump, 240)
{
	struct tcpd tin, tout;
	struct kpkts k = { 0 };
	struct kcap_stats st;
	struct kcap_config c;
	struct kr r;
	size_t i, nin = 0;
	int d;

	cfg_init(&c, "default", KCAP_CAPTURE_BIDIRECTIONAL, RING_BIG);
	cfg_dev(&c, self->a0);
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	ASSERT_EQ(0, kr_attach(&r, self->fd, "default", 0));
	ASSERT_EQ(0, tcpd_start(&tin, NS_A, "a0", "in", 0, NULL, "veth-in"));
	ASSERT_EQ(0, tcpd_start(&tout, NS_A, "a0", "out", 0, NULL, "veth-out"));

	ASSERT_EQ(0, variant->v6 ? traffic_v6() : traffic_v4());
	/* And some the other way. */
	ASSERT_EQ(0, udp_send(NS_B, variant->v6 ? "fd00::1" : "10.0.0.1",
			      6000, 6001, 20, 700, 2000));

	ASSERT_LE(0, kr_drain(&r, &k)) TH_LOG("%s", r.err);
	ASSERT_LT(100U, k.n);
	stop_both(&tin, &tout, &k);
	for (i = 0; i < k.n; i++) {
		EXPECT_EQ(self->a0, k.p[i].ifindex);
		EXPECT_EQ(1, k.p[i].hatype);	/* ARPHRD_ETHER */
		EXPECT_EQ(k.p[i].wire_len, k.p[i].cap_len);
		EXPECT_FALSE(!!(k.p[i].flags & KCAP_PKT_TRUNCATED));
		nin += !!(k.p[i].flags & KCAP_PKT_INGRESS);
	}
	EXPECT_TRUE(check_same(_metadata, "ingress", &k, 1, &tin));
	EXPECT_TRUE(check_same(_metadata, "egress", &k, 0, &tout));

	ASSERT_EQ(0, get_stats(self->fd, "default", &st));
	EXPECT_EQ(1U, st.count);
	for (d = 0; d < 2; d++) {
		struct kcap_counters *t = &st.total[d];

		EXPECT_EQ(t->seen, t->matched);
		EXPECT_EQ(t->matched, t->captured);
		EXPECT_EQ(0ULL, t->dropped);
		EXPECT_EQ(0ULL, t->truncated);
	}
	EXPECT_EQ(nin, st.total[KCAP_DIR_INGRESS].captured);
	EXPECT_EQ(k.n - nin, st.total[KCAP_DIR_EGRESS].captured);
	EXPECT_EQ(k.bytes, st.total[0].matched_bytes +
			   st.total[1].matched_bytes);
	kpkts_free(&k);
}

/* On lo, bidirectional shows each packet once, as tcpdump does. */
TEST_F_TIMEOUT(cap, lo_matches_tcpdump, 120)
{
	int lo = ifindex_in(NS_A, "lo");
	struct kcap_stats st;
	struct kpkts k = { 0 }, e = { 0 };
	struct kcap_config c;
	struct tcpd t;
	struct kr r, re;
	int fd2;
	size_t i;

	ASSERT_EQ(0, sess_add(self->fd, "lo-egress"));
	cfg_init(&c, "lo-egress", KCAP_CAPTURE_EGRESS, RING_BIG);
	cfg_dev(&c, lo);
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	cfg_init(&c, "default", KCAP_CAPTURE_BIDIRECTIONAL, RING_BIG);
	cfg_dev(&c, lo);
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	ASSERT_EQ(0, kr_attach(&r, self->fd, "default", 0));
	fd2 = kcap_dev_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, kr_attach(&re, fd2, "lo-egress", 0));
	ASSERT_EQ(0, tcpd_start(&t, NS_A, "lo", NULL, 0, NULL, "lo"));

	ASSERT_EQ(0, sh("ip netns exec " NS_A " ping -c 10 -i 0.02 -q 127.0.0.1"));
	ASSERT_EQ(0, udp_send(NS_A, "127.0.0.1", 5000, 7000, 50, 300, 1000));
	ASSERT_EQ(0, udp_send(NS_A, "127.0.0.1", 5000, 7000, 5, 20000, 1000));

	ASSERT_LE(0, kr_drain(&r, &k)) TH_LOG("%s", r.err);
	ASSERT_LE(0, kr_drain(&re, &e)) TH_LOG("%s", re.err);
	EXPECT_EQ(0, stop_after(&t, &k, -1));
	for (i = 0; i < k.n; i++)
		EXPECT_TRUE(!!(k.p[i].flags & KCAP_PKT_INGRESS));
	EXPECT_TRUE(check_same(_metadata, "lo", &k, -1, &t));
	ASSERT_EQ(0, get_stats(self->fd, "default", &st));
	EXPECT_EQ(0ULL, st.total[KCAP_DIR_EGRESS].seen);
	/* The egress-only session saw the same packets leave. */
	EXPECT_EQ(k.n, e.n);
	EXPECT_EQ(k.bytes, e.bytes);
	for (i = 0; i < e.n; i++)
		EXPECT_FALSE(!!(e.p[i].flags & KCAP_PKT_INGRESS));
	kpkts_free(&k);
	kpkts_free(&e);
	close(fd2);
}

/*
 * A filter case: kcap's configuration, and tcpdump's expression for it.
 * The structured fields are set where given (a prefix as "addr/len");
 * bpf, if set, is compiled and checked as well.
 */
struct fcase {
	const char *name;
	const char *expr;
	const char *src, *dst;
	__u16 sport, dport;
	__u8 l4proto;
	const char *bpf;
	int v6;
	int none;	/* matches nothing of the traffic */
};

static const struct fcase fcases[] = {
	{ "dst4", "dst net 10.0.9.0/24", .dst = "10.0.9.0/24" },
	{ "src4", "src net 10.0.0.0/31", .src = "10.0.0.0/31" },
	{ "dport", "(tcp or udp or sctp) and dst port 7001", .dport = 7001 },
	{ "sportudp", "udp and src port 5000", .sport = 5000,
	  .l4proto = IPPROTO_UDP },
	{ "udp", "ip proto 17", .l4proto = IPPROTO_UDP },
	{ "icmp", "icmp", .l4proto = IPPROTO_ICMP },
	{ "tcp80", "tcp dst port 80", .l4proto = IPPROTO_TCP, .dport = 80 },
	{ "dst4bpf", "dst net 10.0.9.0/24 and udp", .dst = "10.0.9.0/24",
	  .bpf = "udp" },
	{ "bpf", "(udp and dst port 7000) or icmp",
	  .bpf = "(udp and dst port 7000) or icmp" },
	{ "dst6", "dst net fd00:9::/64", .dst = "fd00:9::/64", .v6 = 1 },
	{ "src6", "src host fd00::1", .src = "fd00::1/128", .v6 = 1 },
	{ "dport6", "ip6 and udp dst port 7000 and dst net fd00::/16",
	  .dport = 7000, .dst = "fd00::/16", .v6 = 1 },
	{ "icmp6", "icmp6", .l4proto = IPPROTO_ICMPV6, .v6 = 1 },
	/* A prefix of the other family matches nothing, not everything. */
	{ "v4any", "ip", .dst = "0.0.0.0/0", .v6 = 1, .none = 1 },
	{ "bpf6", "(udp and dst port 7000) or icmp",
	  .bpf = "(udp and dst port 7000) or icmp", .v6 = 1 },
};

static void fcase_set(const struct fcase *f, struct kcap_config *c)
{
	if (f->src) {
		c->match |= KCAP_MATCH_SRC;
		cfg_pfx(&c->src, f->src);
	}
	if (f->dst) {
		c->match |= KCAP_MATCH_DST;
		cfg_pfx(&c->dst, f->dst);
	}
	if (f->sport) {
		c->match |= KCAP_MATCH_SPORT;
		c->sport = f->sport;
	}
	if (f->dport) {
		c->match |= KCAP_MATCH_DPORT;
		c->dport = f->dport;
	}
	if (f->l4proto) {
		c->match |= KCAP_MATCH_L4PROTO;
		c->l4proto = f->l4proto;
	}
	if (f->bpf)
		bpf_compile(f->bpf, c);
}

#define NFC (sizeof(fcases) / sizeof(fcases[0]))

/*
 * Every filter at once, one session each, each against a tcpdump with
 * the equivalent expression, on the traffic leaving a0.
 */
TEST_F_TIMEOUT(cap, filters_match_tcpdump, 300)
{
	struct tcpd t[NFC];
	struct kr r[NFC];
	int fds[NFC];
	size_t i, n = 0, idx[NFC];

	for (i = 0; i < NFC; i++) {
		struct kcap_config c;
		char tag[32];

		if (fcases[i].v6 != variant->v6)
			continue;
		ASSERT_EQ(0, sess_add(self->fd, fcases[i].name));
		cfg_init(&c, fcases[i].name, KCAP_CAPTURE_EGRESS, RING_BIG);
		cfg_dev(&c, self->a0);
		fcase_set(&fcases[i], &c);
		ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c))
			TH_LOG("%s", fcases[i].name);
		free((void *)(uintptr_t)c.bpf_insns);
		fds[n] = kcap_dev_open();
		ASSERT_LE(0, fds[n]);
		ASSERT_EQ(0, kr_attach(&r[n], fds[n], fcases[i].name, 0));
		snprintf(tag, sizeof(tag), "filter-%s", fcases[i].name);
		ASSERT_EQ(0, tcpd_start(&t[n], NS_A, "a0", "out", 0,
					fcases[i].expr, tag));
		idx[n++] = i;
	}
	ASSERT_EQ(0, variant->v6 ? traffic_v6() : traffic_v4());
	for (i = 0; i < n; i++) {
		struct kpkts k = { 0 };
		struct kcap_stats st;
		const char *name = fcases[idx[i]].name;

		ASSERT_LE(0, kr_drain(&r[i], &k)) TH_LOG("%s", r[i].err);
		EXPECT_EQ(0, stop_after(&t[i], &k, 0));
		EXPECT_TRUE(check_same(_metadata, name, &k, 0, &t[i]));
		if (fcases[idx[i]].none) {
			EXPECT_EQ(0U, k.n);
		} else {
			EXPECT_LT(0U, k.n) TH_LOG("%s captured nothing", name);
		}
		ASSERT_EQ(0, get_stats(self->fd, name, &st));
		EXPECT_EQ(k.n, st.total[KCAP_DIR_EGRESS].matched);
		EXPECT_LT(st.total[KCAP_DIR_EGRESS].matched,
			  st.total[KCAP_DIR_EGRESS].seen);
		kpkts_free(&k);
		close(fds[i]);
	}
}

/* Snap length, and a BPF program's return value, cut records short. */
TEST_F_TIMEOUT(cap, snaplen_and_truncated, 120)
{
	struct sock_filter ret60[] = {
		BPF_STMT(BPF_RET | BPF_K, 60),
	};
	struct kpkts k = { 0 }, b = { 0 };
	struct kcap_config c;
	struct kcap_stats st;
	struct tcpd t;
	struct kr r, rb;
	size_t i, ntrunc = 0;
	int fd2;

	cfg_init(&c, "default", KCAP_CAPTURE_EGRESS, RING_BIG);
	cfg_dev(&c, self->a0);
	c.snaplen = 100;
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	ASSERT_EQ(0, kr_attach(&r, self->fd, "default", 0));
	ASSERT_EQ(0, sess_add(self->fd, "bpf60"));
	cfg_init(&c, "bpf60", KCAP_CAPTURE_EGRESS, RING_BIG);
	cfg_dev(&c, self->a0);
	c.snaplen = 100;	/* the smaller of the two wins */
	c.bpf_insns = (uintptr_t)ret60;
	c.bpf_len = 1;
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	fd2 = kcap_dev_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, kr_attach(&rb, fd2, "bpf60", 0));
	ASSERT_EQ(0, tcpd_start(&t, NS_A, "a0", "out", 100, NULL, "snap100"));

	ASSERT_EQ(0, udp_send(NS_A, "10.0.0.2", 5000, 7000, 20, 10, 2000));
	ASSERT_EQ(0, udp_send(NS_A, "10.0.0.2", 5000, 7000, 20, 58, 2000));
	ASSERT_EQ(0, udp_send(NS_A, "10.0.0.2", 5000, 7000, 20, 500, 2000));

	ASSERT_LE(0, kr_drain(&r, &k)) TH_LOG("%s", r.err);
	ASSERT_LE(0, kr_drain(&rb, &b)) TH_LOG("%s", rb.err);
	EXPECT_EQ(0, stop_after(&t, &k, 0));
	EXPECT_TRUE(check_same(_metadata, "snaplen 100", &k, 0, &t));
	for (i = 0; i < k.n; i++) {
		int cut = k.p[i].wire_len > 100;

		EXPECT_EQ(cut ? 100U : k.p[i].wire_len, k.p[i].cap_len);
		EXPECT_EQ(cut, !!(k.p[i].flags & KCAP_PKT_TRUNCATED));
		ntrunc += cut;
	}
	EXPECT_EQ(20U, ntrunc);
	ASSERT_EQ(0, get_stats(self->fd, "default", &st));
	EXPECT_EQ(ntrunc, st.total[KCAP_DIR_EGRESS].truncated);
	EXPECT_EQ(k.n, st.total[KCAP_DIR_EGRESS].captured);

	ASSERT_EQ(k.n, b.n);
	ntrunc = 0;
	for (i = 0; i < b.n; i++) {
		int cut = b.p[i].wire_len > 60;

		EXPECT_EQ(cut ? 60U : b.p[i].wire_len, b.p[i].cap_len);
		EXPECT_EQ(cut, !!(b.p[i].flags & KCAP_PKT_TRUNCATED));
		EXPECT_EQ(0, memcmp(b.p[i].data, k.p[i].data, b.p[i].cap_len));
		ntrunc += cut;
	}
	/* 10- and 58-byte payloads make 52- and 100-byte frames. */
	EXPECT_EQ(40U, ntrunc);
	ASSERT_EQ(0, get_stats(self->fd, "bpf60", &st));
	EXPECT_EQ(ntrunc, st.total[KCAP_DIR_EGRESS].truncated);
	kpkts_free(&k);
	kpkts_free(&b);
	close(fd2);
}

/* A 802.1Q tag the driver carries out of band goes back in the frame. */
TEST_F_TIMEOUT(cap, vlan_tag_restored, 120)
{
	struct tcpd tin, tout;
	struct kpkts k = { 0 };
	struct kcap_config c;
	struct kr r;
	size_t i, nvlan = 0;

	if (variant->v6)
		SKIP(return, "once is enough");
	ASSERT_EQ(0, sh("ip -n " NS_A " link add link a0 name a0.100 type vlan id 100 && "
			"ip -n " NS_B " link add link b0 name b0.100 type vlan id 100 && "
			"ip -n " NS_A " addr add 10.0.100.1/24 dev a0.100 && "
			"ip -n " NS_B " addr add 10.0.100.2/24 dev b0.100 && "
			"ip -n " NS_A " link set a0.100 up && ip -n " NS_B " link set b0.100 up && "
			"ip -n " NS_A " neigh replace 10.0.100.2 lladdr 02:00:00:00:0b:00 dev a0.100 nud permanent && "
			"ip -n " NS_B " neigh replace 10.0.100.1 lladdr 02:00:00:00:0a:00 dev b0.100 nud permanent"));
	cfg_init(&c, "default", KCAP_CAPTURE_BIDIRECTIONAL, RING_BIG);
	cfg_dev(&c, self->a0);
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	ASSERT_EQ(0, kr_attach(&r, self->fd, "default", 0));
	ASSERT_EQ(0, tcpd_start(&tin, NS_A, "a0", "in", 0, NULL, "vlan-in"));
	ASSERT_EQ(0, tcpd_start(&tout, NS_A, "a0", "out", 0, NULL, "vlan-out"));
	ASSERT_EQ(0, udp_send(NS_A, "10.0.100.2", 5000, 7000, 20, 200, 2000));
	ASSERT_EQ(0, udp_send(NS_B, "10.0.100.1", 5000, 7000, 20, 200, 2000));
	ASSERT_LE(0, kr_drain(&r, &k)) TH_LOG("%s", r.err);
	stop_both(&tin, &tout, &k);
	EXPECT_TRUE(check_same(_metadata, "vlan ingress", &k, 1, &tin));
	EXPECT_TRUE(check_same(_metadata, "vlan egress", &k, 0, &tout));
	for (i = 0; i < k.n; i++) {
		const uint8_t *f = k.p[i].data;

		if (f[12] != 0x81 || f[13] != 0x00)
			continue;
		EXPECT_EQ(100, ((f[14] << 8) | f[15]) & 0xfff);
		nvlan++;
	}
	EXPECT_LE(40U, nvlan);
	/* At least the egress side had the tag out of band (veth offloads). */
	for (i = 0; i < k.n; i++)
		if (k.p[i].flags & KCAP_PKT_VLAN_RESTORED)
			break;
	EXPECT_LT(i, k.n);
	kpkts_free(&k);
}

/* Statistics only: counted, never copied. */
TEST_F_TIMEOUT(cap, stats_only, 60)
{
	struct kcap_stats st;
	struct kr r;

	ASSERT_EQ(0, set_dport7000(self->fd, self->a0, KCAP_CAPTURE_BIDIRECTIONAL,
				   RING_SMALL, KCAP_CFG_STATS_ONLY));
	ASSERT_EQ(0, kr_attach(&r, self->fd, "default", 0));
	ASSERT_EQ(0, udp_send(NS_A, variant->v6 ? "fd00::2" : "10.0.0.2",
			      5000, 7000, 100, 100, 0));
	ASSERT_EQ(0, udp_send(NS_A, variant->v6 ? "fd00::2" : "10.0.0.2",
			      5000, 7001, 10, 100, 0));
	msleep(200);
	ASSERT_EQ(0, get_stats(self->fd, "default", &st));
	EXPECT_EQ(100ULL, st.total[KCAP_DIR_EGRESS].matched);
	EXPECT_EQ(100ULL * (14 + (variant->v6 ? 40 : 20) + 8 + 100),
		  st.total[KCAP_DIR_EGRESS].matched_bytes);
	EXPECT_LE(110ULL, st.total[KCAP_DIR_EGRESS].seen);
	EXPECT_EQ(0ULL, st.total[KCAP_DIR_EGRESS].captured);
	EXPECT_EQ(0ULL, st.total[KCAP_DIR_EGRESS].dropped);
	EXPECT_EQ(0ULL, st.total[KCAP_DIR_INGRESS].matched);
	EXPECT_EQ(0U, r.prod->producer_pos);
}

struct drainer {
	struct kr *r;
	volatile int stop;
	long records;
	long lost_wakeups;
	long polls;
	int bad;
	uint32_t last_seq;
	long out_of_order;
	char err[128];
};

/* Reads with poll(), as a real reader would, checking every record. */
static void *drain_thread(void *arg)
{
	struct drainer *d = arg;
	struct pollfd pfd = { .fd = d->r->fd, .events = POLLIN };
	struct kpkts k = { 0 };

	while (!d->stop) {
		long n;
		size_t i;

		int pr = poll(&pfd, 1, 1000);

		d->polls++;
		/*
		 * poll() sleeps only on an empty ring; the commit of the
		 * next record must wake it. A timeout with records there is
		 * a wakeup lost (in a flood, where records come every few
		 * microseconds).
		 */
		if (pr == 0 && !d->stop &&
		    __atomic_load_n(&d->r->prod->producer_pos, __ATOMIC_ACQUIRE) !=
		    d->r->cons->consumer_pos)
			d->lost_wakeups++;
		n = kr_drain(d->r, &k);
		if (n < 0) {
			d->bad = 1;
			memcpy(d->err, d->r->err, sizeof(d->err));
			break;
		}
		for (i = 0; i < k.n; i++) {
			uint32_t seq;

			/* UDP payload after Ethernet, IPv4 and UDP headers. */
			if (k.p[i].cap_len < 14 + 20 + 8 + 4)
				continue;
			memcpy(&seq, k.p[i].data + 42, 4);
			if (d->records && seq <= d->last_seq)
				d->out_of_order++;
			d->last_seq = seq;
		}
		d->records += n;
		kpkts_free(&k);
	}
	return NULL;
}

/*
 * A flood into a small ring nobody reads: most are dropped, and matched
 * == captured + dropped exactly. Then a reader that keeps up, with poll():
 * nothing is lost to a missed wakeup, and records stay in order.
 */
TEST_F_TIMEOUT(cap, flood_counters_reconcile, 300)
{
	struct drainer d = { 0 };
	struct kcap_counters *e;
	struct kcap_stats st;
	pthread_t th;
	struct kr r;
	long first;

	if (variant->v6)
		SKIP(return, "the flood runs once, over IPv4");
	ASSERT_EQ(0, set_dport7000(self->fd, self->a0, KCAP_CAPTURE_EGRESS,
				   RING_SMALL, 0));
	ASSERT_EQ(0, kr_attach(&r, self->fd, "default", 0));

	ASSERT_EQ(0, udp_send(NS_A, "10.0.0.2", 5000, 7000, 20000, 200, 0));
	ASSERT_EQ(0, get_stats(self->fd, "default", &st));
	e = &st.total[KCAP_DIR_EGRESS];
	TH_LOG("unread: seen %llu matched %llu captured %llu dropped %llu",
	       (unsigned long long)e->seen, (unsigned long long)e->matched,
	       (unsigned long long)e->captured, (unsigned long long)e->dropped);
	EXPECT_EQ(20000ULL, e->matched);
	EXPECT_EQ(e->matched, e->captured + e->dropped);
	EXPECT_LT(0ULL, e->dropped);
	first = kr_drain(&r, NULL);
	EXPECT_EQ((long)e->captured, first) TH_LOG("%s", r.err);
	/* 200 bytes of payload, 242-byte frames, 280-byte records. */
	EXPECT_EQ(RING_SMALL / 280, first);

	d.r = &r;
	ASSERT_EQ(0, pthread_create(&th, NULL, drain_thread, &d));
	ASSERT_EQ(0, udp_send(NS_A, "10.0.0.2", 5000, 7000, 20000, 200, 0));
	msleep(600);
	d.stop = 1;
	pthread_join(th, NULL);
	EXPECT_EQ(0, d.bad) TH_LOG("%s", d.err);
	EXPECT_LE(0, kr_drain(&r, NULL));
	ASSERT_EQ(0, get_stats(self->fd, "default", &st));
	TH_LOG("read: captured %llu dropped %llu records %ld polls %ld",
	       (unsigned long long)e->captured, (unsigned long long)e->dropped,
	       d.records, d.polls);
	EXPECT_EQ(40000ULL, e->matched);
	EXPECT_EQ(e->matched, e->captured + e->dropped);
	EXPECT_EQ((long)e->captured, first + d.records);
	EXPECT_EQ(0, d.lost_wakeups);
	EXPECT_EQ(0, d.out_of_order);
	EXPECT_LT(first, d.records);
}

/*
 * The reader writes nonsense as its position: the kernel drops, never
 * writes out of bounds, and recovers when the position makes sense again.
 */
TEST_F_TIMEOUT(cap, scribbled_consumer_pos, 120)
{
	static const uint32_t junk[] = {
		0x7fffffff, 0xfffffff8, 12345, 1, RING_SMALL + 8,
	};
	struct kcap_stats st;
	struct kcap_counters *e = &st.total[KCAP_DIR_EGRESS];
	struct kpkts k = { 0 };
	struct kr r;
	size_t j;

	if (variant->v6)
		SKIP(return, "once is enough");
	ASSERT_EQ(0, set_dport7000(self->fd, self->a0, KCAP_CAPTURE_EGRESS,
				   RING_SMALL, 0));
	ASSERT_EQ(0, kr_attach(&r, self->fd, "default", 0));
	ASSERT_EQ(0, udp_send(NS_A, "10.0.0.2", 5000, 7000, 50, 100, 0));
	for (j = 0; j < sizeof(junk) / sizeof(junk[0]); j++) {
		r.cons->consumer_pos = r.prod->producer_pos + junk[j];
		ASSERT_EQ(0, udp_send(NS_A, "10.0.0.2", 5000, 7000, 200, 100,
				      0));
	}
	ASSERT_EQ(0, get_stats(self->fd, "default", &st));
	EXPECT_EQ(50ULL + 200 * j, e->matched);
	EXPECT_EQ(e->matched, e->captured + e->dropped);
	/*
	 * A position ahead of the producer's, or more than the ring behind
	 * it, reads as a full ring; 0xfffffff8 is merely 8 bytes behind.
	 */
	EXPECT_EQ(200ULL * (j - 1), e->dropped);

	/* Back to sense: a fresh, empty ring from here. */
	r.cons->consumer_pos = r.prod->producer_pos;
	ASSERT_EQ(0, udp_send(NS_A, "10.0.0.2", 5000, 7000, 30, 100, 0));
	ASSERT_EQ(30, kr_drain(&r, &k)) TH_LOG("%s", r.err);
	for (j = 0; j < k.n; j++)
		EXPECT_EQ(14U + 20 + 8 + 100, k.p[j].wire_len);
	kpkts_free(&k);
}

/* Records wait in the ring between readers for one that asks to keep. */
TEST_F_TIMEOUT(cap, attach_keep, 60)
{
	struct kr r;
	int fd;

	if (variant->v6)
		SKIP(return, "once is enough");
	ASSERT_EQ(0, set_dport7000(self->fd, self->a0, KCAP_CAPTURE_EGRESS,
				   RING_SMALL, 0));
	/* No ring before the first reader: matched, dropped. */
	ASSERT_EQ(0, udp_send(NS_A, "10.0.0.2", 5000, 7000, 4, 100, 0));

	fd = kcap_dev_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kr_attach(&r, fd, "default", 0));
	EXPECT_EQ(0, kr_drain(&r, NULL));
	ASSERT_EQ(0, udp_send(NS_A, "10.0.0.2", 5000, 7000, 10, 100, 0));
	kr_unmap(&r);
	close(fd);
	ASSERT_EQ(0, udp_send(NS_A, "10.0.0.2", 5000, 7000, 5, 100, 0));

	fd = kcap_dev_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kr_attach(&r, fd, "default", KCAP_ATTACH_KEEP));
	EXPECT_EQ(15, kr_drain(&r, NULL));
	ASSERT_EQ(0, udp_send(NS_A, "10.0.0.2", 5000, 7000, 2, 100, 0));
	kr_unmap(&r);
	close(fd);

	fd = kcap_dev_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kr_attach(&r, fd, "default", 0));
	EXPECT_EQ(0, kr_drain(&r, NULL));
	ASSERT_EQ(0, udp_send(NS_A, "10.0.0.2", 5000, 7000, 3, 100, 0));
	EXPECT_EQ(3, kr_drain(&r, NULL));
	kr_unmap(&r);
	close(fd);
	{
		struct kcap_stats st;

		ASSERT_EQ(0, get_stats(self->fd, "default", &st));
		EXPECT_EQ(24ULL, st.total[KCAP_DIR_EGRESS].matched);
		EXPECT_EQ(4ULL, st.total[KCAP_DIR_EGRESS].dropped);
		EXPECT_EQ(20ULL, st.total[KCAP_DIR_EGRESS].captured);
	}
}

static uint32_t kr_pending(const struct kr *r)
{
	return __atomic_load_n(&r->prod->producer_pos, __ATOMIC_ACQUIRE) -
	       __atomic_load_n(&r->cons->consumer_pos, __ATOMIC_RELAXED);
}

static long elapsed_ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * A reader's wakeup mark: records short of it leave poll() asleep (such a
 * reader collects them on its own timeout); the record that reaches it
 * wakes a reader blocked in poll(); the next reader starts without it.
 */
TEST_F_TIMEOUT(cap, wakeup_mark, 90)
{
	struct pollfd pfd = { .events = POLLIN };
	struct timespec t0;
	uint32_t five;
	struct kr r;
	pid_t pid;
	int fd, status;

	if (variant->v6)
		SKIP(return, "once is enough");
	ASSERT_EQ(0, set_dport7000(self->fd, self->a0, KCAP_CAPTURE_EGRESS,
				   RING_SMALL, 0));
	fd = kcap_dev_open();
	ASSERT_LE(0, fd);
	pfd.fd = fd;
	ASSERT_EQ(0, kr_attach(&r, fd, "default", 0));

	/* Five equal records pending; ask to be woken at ten. */
	ASSERT_EQ(0, udp_send(NS_A, "10.0.0.2", 5000, 7000, 5, 100, 0));
	five = kr_pending(&r);
	ASSERT_LT(0U, five);
	__atomic_store_n(&r.cons->wakeup_bytes, 2 * five, __ATOMIC_RELAXED);
	EXPECT_EQ(0, poll(&pfd, 1, 300));

	/* Four more stay short of the mark; the tenth reaches it while we
	 * sleep in poll(): the wakeup, not poll's own check, must see it. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		usleep(300 * 1000);
		_exit(udp_send(NS_A, "10.0.0.2", 5000, 7000, 5, 100, 0) ? 1 : 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(1, poll(&pfd, 1, 20000));
	EXPECT_TRUE(pfd.revents & POLLIN);
	EXPECT_GT(15000, elapsed_ms_since(&t0));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	EXPECT_EQ(2 * five, kr_pending(&r));
	EXPECT_EQ(10, kr_drain(&r, NULL));

	/* A mark larger than half the ring counts as half the ring. */
	__atomic_store_n(&r.cons->wakeup_bytes, ~0U, __ATOMIC_RELAXED);
	ASSERT_EQ(0, udp_send(NS_A, "10.0.0.2", 5000, 7000, 1, 100, 0));
	EXPECT_EQ(0, poll(&pfd, 1, 200));
	EXPECT_EQ(1, kr_drain(&r, NULL));
	kr_unmap(&r);
	close(fd);

	/* The next reader is woken at its first record again. */
	fd = kcap_dev_open();
	ASSERT_LE(0, fd);
	pfd.fd = fd;
	ASSERT_EQ(0, kr_attach(&r, fd, "default", KCAP_ATTACH_KEEP));
	EXPECT_EQ(0U, __atomic_load_n(&r.cons->wakeup_bytes, __ATOMIC_RELAXED));
	ASSERT_EQ(0, udp_send(NS_A, "10.0.0.2", 5000, 7000, 1, 100, 0));
	EXPECT_EQ(1, poll(&pfd, 1, 5000));
	EXPECT_EQ(1, kr_drain(&r, NULL));
	kr_unmap(&r);
	close(fd);
}

/*
 * Devices go away under a flood: capture on the others goes on, and the
 * session ends (EPOLLHUP) when the last one named goes.
 */
TEST_F_TIMEOUT(cap, device_deleted_during_capture, 180)
{
	struct pollfd pfd = { .events = POLLIN };
	struct kcap_config c, g;
	struct kcap_stats st;
	struct kpkts k = { 0 };
	pid_t flood;
	struct kr r;
	size_t i;
	int d;

	if (variant->v6)
		SKIP(return, "once is enough");
	cfg_init(&c, "default", KCAP_CAPTURE_BIDIRECTIONAL, RING_BIG);
	cfg_dev(&c, self->a0);
	cfg_dev(&c, self->a1);
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	ASSERT_EQ(0, kr_attach(&r, self->fd, "default", 0));
	pfd.fd = self->fd;

	flood = udp_sender(NS_A, "10.0.1.2", 5000, 7000, 1000000, 100, 50);
	msleep(1000);
	ASSERT_EQ(0, sh("ip -n " NS_A " link del a1"));
	kill(flood, SIGKILL);
	sender_wait(flood);

	EXPECT_EQ((int)KCAP_SESSION_CAPTURING, sess_state(self->fd, "default"));
	EXPECT_EQ(0U, r.prod->flags);
	ASSERT_EQ(0, get_stats(self->fd, "default", &st));
	EXPECT_EQ(1U, st.count);
	EXPECT_LT(0ULL, st.total[KCAP_DIR_EGRESS].captured);
	cfg_init(&g, "default", 0, 0);
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_GET_CONFIG, &g));
	EXPECT_EQ(1U, g.ndevs);
	EXPECT_EQ(self->a0, g.ifindex[0]);
	EXPECT_EQ(0, g.ifindex[1]);

	/* a0 still captures. */
	ASSERT_LE(0, kr_drain(&r, NULL));
	ASSERT_EQ(0, udp_send(NS_A, "10.0.0.2", 5000, 7000, 10, 100, 0));
	ASSERT_LE(10, kr_drain(&r, &k)) TH_LOG("%s", r.err);
	for (i = 0, d = 0; i < k.n; i++) {
		EXPECT_EQ(self->a0, k.p[i].ifindex);
		d += !(k.p[i].flags & KCAP_PKT_INGRESS);
	}
	EXPECT_EQ(10, d);
	kpkts_free(&k);
	EXPECT_EQ(0, poll(&pfd, 1, 0));

	ASSERT_EQ(0, sh("ip -n " NS_A " link del a0"));
	EXPECT_EQ(1, poll(&pfd, 1, 5000));
	EXPECT_TRUE(pfd.revents & POLLHUP);
	EXPECT_EQ(KCAP_RING_ENDED, r.prod->flags);
	EXPECT_EQ((int)KCAP_SESSION_ENDED, sess_state(self->fd, "default"));
	ASSERT_EQ(0, get_stats(self->fd, "default", &st));
	EXPECT_EQ(0U, st.count);
	for (d = 0; d < 2; d++)
		EXPECT_EQ(st.total[d].matched,
			  st.total[d].captured + st.total[d].dropped);
	EXPECT_LE(10ULL, st.total[KCAP_DIR_EGRESS].captured);

	/* Configuring again starts afresh. */
	cfg_init(&c, "default", KCAP_CAPTURE_INGRESS, RING_BIG);
	cfg_dev(&c, ifindex_in(NS_A, "lo"));
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	EXPECT_EQ(0U, r.prod->flags);
	EXPECT_EQ((int)KCAP_SESSION_CAPTURING, sess_state(self->fd, "default"));
}

/* Configures fd's session "ns" from namespace nsB, on any device. */
static int config_from_b(int fd)
{
	struct kcap_config c;

	if (netns_enter(NS_B))
		return 10;
	cfg_init(&c, "ns", KCAP_CAPTURE_BIDIRECTIONAL, RING_BIG);
	c.flags = KCAP_CFG_ANY_DEV;
	return ioctl(fd, KCAP_IOC_SET_CONFIG, &c) ? 11 : 0;
}

/*
 * A session on any device of a namespace takes devices created later,
 * does not keep the namespace alive, and ends when it goes.
 */
TEST_F_TIMEOUT(cap, any_dev_and_netns_deleted, 180)
{
	struct pollfd pfd = { .events = POLLIN };
	struct kcap_stats st;
	struct kpkts k = { 0 };
	int status, count0, i;
	int b0 = ifindex_in(NS_B, "b0");
	struct kr r;
	pid_t pid;

	if (variant->v6)
		SKIP(return, "once is enough");
	ASSERT_LT(0, b0);
	ASSERT_EQ(0, sess_add(self->fd, "ns"));
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		_exit(config_from_b(self->fd));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, get_stats(self->fd, "ns", &st));
	/* lo, b0, b1, and what a kernel puts in each namespace (sit0...) */
	EXPECT_LE(3, links_in(NS_B));
	EXPECT_EQ(links_in(NS_B), (int)st.count);
	count0 = st.count;

	ASSERT_EQ(0, sh("ip -n " NS_B " link add d0 type dummy"));
	ASSERT_EQ(0, get_stats(self->fd, "ns", &st));
	EXPECT_EQ(count0 + 1, (int)st.count);

	ASSERT_EQ(0, kr_attach(&r, self->fd, "ns", 0));
	pfd.fd = self->fd;
	ASSERT_EQ(0, udp_send(NS_A, "10.0.0.2", 5000, 7000, 10, 100, 0));
	ASSERT_LE(10, kr_drain(&r, &k)) TH_LOG("%s", r.err);
	/* What A sends arrives on b0, and B's answers leave by it. */
	for (i = 0; i < (int)k.n; i++)
		EXPECT_EQ(b0, k.p[i].ifindex);
	kpkts_free(&k);

	/* Moving a device out of the namespace detaches it. */
	ASSERT_EQ(0, sh("ip -n " NS_B " link set d0 netns " NS_A));
	ASSERT_EQ(0, get_stats(self->fd, "ns", &st));
	EXPECT_EQ(count0, (int)st.count);
	EXPECT_EQ(0U, r.prod->flags);

	ASSERT_EQ(0, sh("ip netns del " NS_B));
	/* Namespaces die in a workqueue: give it time. */
	EXPECT_EQ(1, poll(&pfd, 1, 20000));
	EXPECT_TRUE(pfd.revents & POLLHUP);
	EXPECT_EQ(KCAP_RING_ENDED, r.prod->flags);
	EXPECT_EQ((int)KCAP_SESSION_ENDED, sess_state(self->fd, "ns"));
	ASSERT_EQ(0, get_stats(self->fd, "ns", &st));
	EXPECT_EQ(0U, st.count);
	EXPECT_LE(10ULL, st.total[KCAP_DIR_INGRESS].captured);
	for (i = 0; i < 2; i++)
		EXPECT_EQ(st.total[i].matched,
			  st.total[i].captured + st.total[i].dropped);
}

/*
 * Reconfiguration under a flood, with a reader: no crash, well-formed
 * records, and the counters reconcile with what the reader read.
 */
TEST_F_TIMEOUT(cap, reconfigure_during_flood, 300)
{
	struct sock_filter prog[] = {
		BPF_STMT(BPF_RET | BPF_K, 0x40000),
	};
	struct drainer d = { 0 };
	struct kcap_config c;
	struct kcap_stats st;
	pthread_t th;
	pid_t flood, back;
	struct kr r;
	int i;

	if (variant->v6)
		SKIP(return, "once is enough");
	cfg_init(&c, "default", KCAP_CAPTURE_BIDIRECTIONAL, RING_SMALL);
	cfg_dev(&c, self->a0);
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	ASSERT_EQ(0, kr_attach(&r, self->fd, "default", 0));
	d.r = &r;
	ASSERT_EQ(0, pthread_create(&th, NULL, drain_thread, &d));
	flood = udp_sender(NS_A, "10.0.0.2", 5000, 7000, 30000, 100, 0);
	back = udp_sender(NS_B, "10.0.0.1", 5000, 7000, 30000, 300, 0);

	for (i = 0; i < 60; i++) {
		cfg_init(&c, "default", KCAP_CAPTURE_BIDIRECTIONAL, RING_SMALL);
		switch (i % 6) {
		case 0:
			cfg_dev(&c, self->a0);
			break;
		case 1:
			c.capture = KCAP_CAPTURE_EGRESS;
			cfg_dev(&c, self->a0);
			c.match = KCAP_MATCH_DPORT;
			c.dport = 7000;
			break;
		case 2:
			c.capture = KCAP_CAPTURE_INGRESS;
			cfg_dev(&c, self->a1);
			cfg_dev(&c, self->a0);
			c.snaplen = 64;
			break;
		case 3:
			cfg_dev(&c, self->a0);
			c.bpf_insns = (uintptr_t)prog;
			c.bpf_len = 1;
			break;
		case 4:
			c.flags = KCAP_CFG_ANY_DEV;
			c.match = KCAP_MATCH_SRC;
			cfg_pfx(&c.src, "10.0.0.0/8");
			break;
		case 5:
			c.capture = KCAP_CAPTURE_OFF;
			break;
		}
		ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c))
			TH_LOG("round %d", i);
		msleep(20);
	}
	kill(flood, SIGKILL);
	kill(back, SIGKILL);
	sender_wait(flood);
	sender_wait(back);
	msleep(300);
	d.stop = 1;
	pthread_join(th, NULL);
	EXPECT_EQ(0, d.bad) TH_LOG("%s", d.err);
	ASSERT_LE(0, kr_drain(&r, NULL));
	ASSERT_EQ(0, get_stats(self->fd, "default", &st));
	for (i = 0; i < 2; i++) {
		TH_LOG("dir %d: seen %llu matched %llu captured %llu dropped %llu",
		       i, (unsigned long long)st.total[i].seen,
		       (unsigned long long)st.total[i].matched,
		       (unsigned long long)st.total[i].captured,
		       (unsigned long long)st.total[i].dropped);
		EXPECT_EQ(st.total[i].matched,
			  st.total[i].captured + st.total[i].dropped);
	}
	EXPECT_LT(0ULL, st.total[0].captured);
	EXPECT_LT(0ULL, st.total[1].captured);
	EXPECT_EQ((unsigned long long)d.records,
		  st.total[0].captured + st.total[1].captured);
}

TEST_HARNESS_MAIN
