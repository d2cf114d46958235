/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network helpers for the in-VM capture tests: namespaces and veth pairs,
 * traffic senders, and tcpdump as the oracle (started, stopped, and its
 * savefile read back into the same packet list the ring reader fills).
 */
#ifndef KCAP_NET_H
#define KCAP_NET_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "kcap_ringread.h"

/* Runs a shell command, quietly; its exit status, or -1. */
static inline int sh(const char *fmt, ...)
{
	char cmd[1024], full[1100];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "(%s) >/dev/null 2>/tmp/kcap-sh.err", cmd);
	st = system(full);
	st = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	if (st && getenv("KCAP_SH_DEBUG")) {
		fprintf(stderr, "# sh: %d: %s\n", st, cmd);
		system("sed 's/^/#   /' /tmp/kcap-sh.err >&2");
	}
	return st;
}

static inline int netns_enter(const char *ns)
{
	char path[128];
	int fd, ret;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = setns(fd, CLONE_NEWNET) ? -errno : 0;
	close(fd);
	return ret;
}

static inline long mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000;
}

static inline void msleep(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * Sends count UDP datagrams of len payload bytes from ns to dst:dport
 * (an IPv4 or IPv6 literal), from source port sport, pausing gap_us
 * between them. Runs in a child; returns its pid (wait with sender_wait).
 * Payload byte 0..3 carry the sequence number so orders can be compared.
 */
static inline pid_t udp_sender(const char *ns, const char *dst, int sport,
			       int dport, long count, int len, int gap_us)
{
	pid_t pid = fork();

	if (pid)
		return pid;

	struct sockaddr_storage ss = { 0 }, src = { 0 };
	struct sockaddr_in *s4 = (void *)&ss, *r4 = (void *)&src;
	struct sockaddr_in6 *s6 = (void *)&ss, *r6 = (void *)&src;
	socklen_t sl;
	char buf[65536] = { 0 };
	int fd, i;

	if (netns_enter(ns))
		_exit(10);
	if (inet_pton(AF_INET, dst, &s4->sin_addr) == 1) {
		s4->sin_family = r4->sin_family = AF_INET;
		s4->sin_port = htons(dport);
		r4->sin_port = htons(sport);
		sl = sizeof(*s4);
	} else if (inet_pton(AF_INET6, dst, &s6->sin6_addr) == 1) {
		s6->sin6_family = r6->sin6_family = AF_INET6;
		s6->sin6_port = htons(dport);
		r6->sin6_port = htons(sport);
		sl = sizeof(*s6);
	} else {
		_exit(11);
	}
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (void *)&src, sl))
		_exit(12);
	for (i = 0; i < count; i++) {
		memcpy(buf, &i, sizeof(i));
		while (sendto(fd, buf, len, 0, (void *)&ss, sl) < 0) {
			if (errno != ENOBUFS && errno != EAGAIN &&
			    errno != ECONNREFUSED)
				_exit(13);
			if (errno != ECONNREFUSED)
				usleep(100);
			else
				break;
		}
		if (gap_us)
			usleep(gap_us);
	}
	_exit(0);
}

/* The sender's exit status: 0 if it sent everything. */
static inline int sender_wait(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

static inline int udp_send(const char *ns, const char *dst, int sport,
			   int dport, long count, int len, int gap_us)
{
	return sender_wait(udp_sender(ns, dst, sport, dport, count, len,
				      gap_us));
}

/*
 * Two namespaces joined by veth pairs with fixed addresses and static
 * neighbours, IPv6 off unless asked for: no packet on the links but ours.
 *   nsA a0 10.0.0.1/24 fd00::1/64  <->  nsB b0 10.0.0.2/24 fd00::2/64
 *          (also 10.0.0.3, fd00::3)         (also 10.0.9.2/24, fd00:9::2/64)
 *   nsA a1 10.0.1.1/24             <->  nsB b1 10.0.1.2/24
 */
#define NS_A "kcapA"
#define NS_B "kcapB"

static inline void net_teardown(void)
{
	sh("ip netns del " NS_A);
	sh("ip netns del " NS_B);
}

/* Quiet IPv6: no link-local addresses, DAD, router solicitations. */
#define V6_QUIET(ns, v) \
	"ip netns exec " ns " sysctl -qw " \
	"net.ipv6.conf.all.disable_ipv6=" v " net.ipv6.conf.default.disable_ipv6=" v \
	" net.ipv6.conf.default.addr_gen_mode=1 net.ipv6.conf.default.accept_dad=0" \
	" net.ipv6.conf.default.router_solicitations=0 net.ipv6.conf.default.accept_ra=0"

static inline int net_setup(int v6)
{
	int ret = 0;

	net_teardown();
	ret |= sh("ip netns add " NS_A " && ip netns add " NS_B);
	if (v6)
		ret |= sh(V6_QUIET(NS_A, "0") " && " V6_QUIET(NS_B, "0"));
	else
		ret |= sh(V6_QUIET(NS_A, "1") " && " V6_QUIET(NS_B, "1"));
	ret |= sh("ip link add a0 address 02:00:00:00:0a:00 netns " NS_A
		  " type veth peer b0 address 02:00:00:00:0b:00 netns " NS_B);
	ret |= sh("ip link add a1 address 02:00:00:00:0a:01 netns " NS_A
		  " type veth peer b1 address 02:00:00:00:0b:01 netns " NS_B);
	ret |= sh("ip -n " NS_A " addr add 10.0.0.1/24 dev a0 && "
		  "ip -n " NS_A " addr add 10.0.0.3/24 dev a0 && "
		  "ip -n " NS_A " addr add 10.0.1.1/24 dev a1 && "
		  "ip -n " NS_B " addr add 10.0.0.2/24 dev b0 && "
		  "ip -n " NS_B " addr add 10.0.9.2/24 dev b0 && "
		  "ip -n " NS_B " addr add 10.0.1.2/24 dev b1");
	ret |= sh("ip -n " NS_A " link set lo up && ip -n " NS_B " link set lo up && "
		  "ip -n " NS_A " link set a0 up && ip -n " NS_A " link set a1 up && "
		  "ip -n " NS_B " link set b0 up && ip -n " NS_B " link set b1 up && "
		  "ip -n " NS_A " route add 10.0.9.0/24 dev a0 src 10.0.0.1");
	ret |= sh("ip -n " NS_A " neigh replace 10.0.0.2 lladdr 02:00:00:00:0b:00 dev a0 nud permanent && "
		  "ip -n " NS_A " neigh replace 10.0.9.2 lladdr 02:00:00:00:0b:00 dev a0 nud permanent && "
		  "ip -n " NS_A " neigh replace 10.0.1.2 lladdr 02:00:00:00:0b:01 dev a1 nud permanent && "
		  "ip -n " NS_B " neigh replace 10.0.0.1 lladdr 02:00:00:00:0a:00 dev b0 nud permanent && "
		  "ip -n " NS_B " neigh replace 10.0.0.3 lladdr 02:00:00:00:0a:00 dev b0 nud permanent && "
		  "ip -n " NS_B " neigh replace 10.0.1.1 lladdr 02:00:00:00:0a:01 dev b1 nud permanent");
	if (v6) {
		ret |= sh("ip -n " NS_A " addr add fd00::1/64 dev a0 nodad && "
			  "ip -n " NS_A " addr add fd00::3/64 dev a0 nodad && "
			  "ip -n " NS_A " route add fd00:9::/64 dev a0 src fd00::1 && "
			  "ip -n " NS_B " addr add fd00::2/64 dev b0 nodad && "
			  "ip -n " NS_B " addr add fd00:9::2/64 dev b0 nodad");
		ret |= sh("ip -n " NS_A " neigh replace fd00::2 lladdr 02:00:00:00:0b:00 dev a0 nud permanent && "
			  "ip -n " NS_A " neigh replace fd00:9::2 lladdr 02:00:00:00:0b:00 dev a0 nud permanent && "
			  "ip -n " NS_B " neigh replace fd00::1 lladdr 02:00:00:00:0a:00 dev b0 nud permanent && "
			  "ip -n " NS_B " neigh replace fd00::3 lladdr 02:00:00:00:0a:00 dev b0 nud permanent");
		/* Let the MLD reports of the new addresses go by. */
		msleep(3000);
	}
	return ret;
}

/*
 * A UDP listener in ns on port, never reading: datagrams to it cause no
 * ICMP errors, which would otherwise add packets to count. Kill it when
 * done.
 */
static inline pid_t udp_sink(const char *ns, int v6, int port)
{
	pid_t pid = fork();

	if (pid)
		return pid;

	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons(port) };
	struct sockaddr_in a4 = { .sin_family = AF_INET,
				  .sin_port = htons(port) };
	int fd, one = 1, small = 4096;

	if (netns_enter(ns))
		_exit(10);
	fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	if (v6 ? bind(fd, (void *)&a6, sizeof(a6)) :
		 bind(fd, (void *)&a4, sizeof(a4)))
		_exit(11);
	for (;;)
		pause();
}

static inline int ifindex_in(const char *ns, const char *ifname)
{
	char cmd[256], out[32] = "";
	FILE *p;

	snprintf(cmd, sizeof(cmd), "cat /sys/class/net/%s/ifindex", ifname);
	if (ns) {
		snprintf(cmd, sizeof(cmd),
			 "ip netns exec %s cat /sys/class/net/%s/ifindex",
			 ns, ifname);
	}
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (!fgets(out, sizeof(out), p))
		out[0] = 0;
	pclose(p);
	return out[0] ? atoi(out) : -1;
}

/*
 * The two namespaces, with the caller inside NS_A, where sessions bind
 * when configured: a0's and a1's ifindexes in *a0 and *a1 (a1 may be
 * NULL). 0, or -1 if any step failed.
 */
static inline int net_enter_a(int v6, int *a0, int *a1)
{
	if (net_setup(v6))
		return -1;
	*a0 = ifindex_in(NS_A, "a0");
	if (a1)
		*a1 = ifindex_in(NS_A, "a1");
	if (*a0 <= 0 || (a1 && *a1 <= 0))
		return -1;
	return netns_enter(NS_A);
}

/* How many devices ns holds, as ip sees them; -1 on error. */
static inline int links_in(const char *ns)
{
	char cmd[128], line[512];
	int n = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ip -n %s -o link show", ns);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p))
		n++;
	return pclose(p) ? -1 : n;
}

/* tcpdump, the oracle: one instance per interface and direction. */
struct tcpd {
	pid_t pid;
	int errfd;
	char path[256];
	long kernel_drops;
};

/*
 * Starts tcpdump in ns on ifname, direction "in", "out" or NULL for both,
 * snaplen (0: whole), filter expression or NULL; writes to a savefile
 * under $KCAP_OUT. Returns once tcpdump says it is listening.
 */
static inline int tcpd_start(struct tcpd *t, const char *ns,
			     const char *ifname, const char *dir, int snaplen,
			     const char *filter, const char *tag)
{
	const char *out = getenv("KCAP_OUT");
	char snap[16], line[512];
	const char *argv[32];
	int pipefd[2], n = 0;
	size_t got = 0;
	FILE *f;

	snprintf(t->path, sizeof(t->path), "%s/%s.pcap", out ? out : "/tmp",
		 tag);
	snprintf(snap, sizeof(snap), "%d", snaplen ? snaplen : 262144);
	if (pipe(pipefd))
		return -1;
	t->pid = fork();
	if (t->pid == 0) {
		close(pipefd[0]);
		dup2(pipefd[1], 2);
		dup2(open("/dev/null", O_WRONLY), 1);
		argv[n++] = "ip";
		argv[n++] = "netns";
		argv[n++] = "exec";
		argv[n++] = ns;
		argv[n++] = "tcpdump";
		argv[n++] = "-i";
		argv[n++] = ifname;
		argv[n++] = "-n";
		argv[n++] = "-U";
		argv[n++] = "--immediate-mode";
		argv[n++] = "-B";
		argv[n++] = "16384";
		argv[n++] = "-Z";
		argv[n++] = "root";
		argv[n++] = "-s";
		argv[n++] = snap;
		argv[n++] = "-w";
		argv[n++] = t->path;
		if (dir) {
			argv[n++] = "-Q";
			argv[n++] = dir;
		}
		if (filter)
			argv[n++] = filter;
		argv[n] = NULL;
		execvp("ip", (char **)argv);
		_exit(127);
	}
	close(pipefd[1]);
	t->errfd = pipefd[0];
	if (t->pid < 0)
		return -1;
	/* Wait for "listening on ...". */
	f = fdopen(dup(t->errfd), "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		got += strlen(line);
		if (strstr(line, "listening on"))
			break;
	}
	fclose(f);
	if (!got)
		return -1;
	/* tcpdump has bound its socket when it says so; give it a moment. */
	msleep(200);
	return 0;
}

/* Complete packets in a savefile tcpdump may still be writing. */
static inline size_t pcap_count(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	size_t n = 0;
	pcap_t *p;

	p = pcap_open_offline(path, err);
	if (!p)
		return 0;
	while (pcap_next_ex(p, &h, &data) == 1)
		n++;
	pcap_close(p);
	return n;
}

/*
 * Gives tcpdump up to 10 s to write want packets: its packet socket
 * hands over a block of packets only when the block times out, and in
 * an emulated guest the last block can take a while. Stopping it
 * earlier loses the tail of the capture.
 */
static inline void tcpd_settle(struct tcpd *t, size_t want)
{
	int i;

	for (i = 0; i < 100 && pcap_count(t->path) < want; i++)
		msleep(100);
}

/* Stops tcpdump; 0 if it stopped cleanly and its kernel dropped nothing. */
static inline int tcpd_stop(struct tcpd *t)
{
	char buf[4096];
	const char *p;
	ssize_t n, len = 0;
	int st;

	msleep(300);
	kill(t->pid, SIGINT);
	while ((n = read(t->errfd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	buf[len] = 0;
	close(t->errfd);
	if (waitpid(t->pid, &st, 0) != t->pid)
		return -1;
	t->kernel_drops = -1;
	p = strstr(buf, "packets dropped by kernel");
	if (p) {
		while (p > buf && p[-1] == ' ')
			p--;
		while (p > buf && p[-1] >= '0' && p[-1] <= '9')
			p--;
		t->kernel_drops = atol(p);
	}
	return t->kernel_drops == 0 ? 0 : -1;
}

static inline int pcap_load(const char *path, struct kpkts *l)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p;
	int ret;

	p = pcap_open_offline(path, err);
	if (!p)
		return -1;
	while ((ret = pcap_next_ex(p, &h, &data)) == 1) {
		struct kpkt k = {
			.wire_len = h->len,
			.cap_len = h->caplen,
		};

		kpkts_add(l, &k, data);
	}
	pcap_close(p);
	return ret == PCAP_ERROR_BREAK ? 0 : -1;
}

/* The packets of l in direction dir (1: ingress, 0: egress, -1: all). */
static inline void kpkts_select(const struct kpkts *l, int dir,
				struct kpkts *out)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct kpkt *k = &l->p[i];

		if (dir >= 0 && !!(k->flags & KCAP_PKT_INGRESS) != dir)
			continue;
		kpkts_add(out, k, k->data);
	}
}

/*
 * Whether two lists hold the same packets in the same order: lengths on
 * the wire, captured lengths and bytes. why says where they differ.
 */
static inline int kpkts_same(const struct kpkts *a, const struct kpkts *b,
			     char *why, size_t whylen)
{
	size_t i;

	if (a->n != b->n) {
		snprintf(why, whylen, "%zu packets vs %zu", a->n, b->n);
		return 0;
	}
	for (i = 0; i < a->n; i++) {
		const struct kpkt *x = &a->p[i], *y = &b->p[i];

		if (x->wire_len != y->wire_len || x->cap_len != y->cap_len) {
			snprintf(why, whylen,
				 "packet %zu: len %u/%u vs %u/%u", i,
				 x->wire_len, x->cap_len, y->wire_len,
				 y->cap_len);
			return 0;
		}
		if (memcmp(x->data, y->data, x->cap_len)) {
			snprintf(why, whylen, "packet %zu: bytes differ", i);
			return 0;
		}
	}
	if (a->bytes != b->bytes) {
		snprintf(why, whylen, "%llu bytes vs %llu",
			 (unsigned long long)a->bytes,
			 (unsigned long long)b->bytes);
		return 0;
	}
	snprintf(why, whylen, "%zu packets, %llu bytes, same", a->n,
		 (unsigned long long)a->bytes);
	return 1;
}

#endif /* KCAP_NET_H */
