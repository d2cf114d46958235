// SPDX-License-Identifier: GPL-2.0
/*
 * --listen: the network sink; see sink_net.h. One listening socket and up
 * to KD_NET_MAX_CLIENTS clients, all non-blocking: a packet is encoded
 * once, as an Enhanced Packet Block, and queued for each client that has
 * room; whatever a client's socket takes is sent at once, the rest waits
 * in that client's queue.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "sink_net.h"

struct client {
	int fd;
	char peer[INET6_ADDRSTRLEN + 8];
	struct kd_buf q;	/* blocks not yet sent */
	size_t off;		/* of q: sent already */
	uint64_t sent;		/* packets queued for it */
	uint64_t dropped;	/* packets that found its queue full */
	uint64_t stall_ns;	/* since when it has taken nothing; 0: it takes */
};

struct net_sink {
	struct kd_sink s;
	struct kd_net_opts no;
	size_t limit;
	int lfd;
	int dlt;
	uint32_t snaplen;
	struct kd_buf head;	/* the section header and interface blocks */
	struct kd_ng_ifs ifs;
	struct kd_buf pkt;	/* the packet being sent, encoded */
	struct client c[KD_NET_MAX_CLIENTS];
	unsigned int nc;
};

static uint64_t mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + t.tv_nsec;
}

/* "PORT", "ADDR:PORT" or "[ADDR6]:PORT"; the address defaults to loopback. */
const char *kd_net_parse_listen(struct kd_net_opts *no, const char *val)
{
	static char msg[160];
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
	};
	char host[INET6_ADDRSTRLEN] = "127.0.0.1";
	const char *port = val, *colon;
	struct addrinfo *ai;
	char *end;
	long n;

	no->listen = val;
	if (val[0] == '[') {
		colon = strstr(val, "]:");
		if (!colon || (size_t)(colon - val - 1) >= sizeof(host))
			goto bad;
		snprintf(host, sizeof(host), "%.*s", (int)(colon - val - 1), val + 1);
		port = colon + 2;
	} else if ((colon = strrchr(val, ':'))) {
		if ((size_t)(colon - val) >= sizeof(host) || colon == val)
			goto bad;
		snprintf(host, sizeof(host), "%.*s", (int)(colon - val), val);
		port = colon + 1;
	}
	errno = 0;
	n = strtol(port, &end, 10);
	if (!*port || *end || errno || n < 1 || n > 65535)
		goto bad;
	if (getaddrinfo(host, port, &hints, &ai))
		goto bad;
	memcpy(&no->addr, ai->ai_addr, ai->ai_addrlen);
	no->addrlen = ai->ai_addrlen;
	freeaddrinfo(ai);
	return NULL;
bad:
	snprintf(msg, sizeof(msg),
		 "--listen '%s': not PORT, ADDR:PORT or [ADDR6]:PORT", val);
	return msg;
}

static bool parse_prefix(struct kd_net_prefix *p, const char *s, size_t len)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	unsigned int max;
	long n;

	if (!len || len >= sizeof(buf))
		return false;
	snprintf(buf, sizeof(buf), "%.*s", (int)len, s);
	slash = strchr(buf, '/');
	if (slash)
		*slash = 0;
	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, buf, p->addr) == 1) {
		p->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, p->addr) == 1) {
		p->family = AF_INET6;
		max = 128;
	} else {
		return false;
	}
	p->len = max;
	if (slash) {
		errno = 0;
		n = strtol(slash + 1, &end, 10);
		if (!slash[1] || *end || errno || n < 0 || n > max)
			return false;
		p->len = n;
	}
	return true;
}

const char *kd_net_parse_allow(struct kd_net_opts *no, const char *val)
{
	static char msg[160];
	const char *s = val;

	for (;;) {
		size_t len = strcspn(s, ",");

		if (no->nallow == KD_NET_MAX_ALLOW) {
			snprintf(msg, sizeof(msg), "--allow: more than %u prefixes",
				 KD_NET_MAX_ALLOW);
			return msg;
		}
		if (!parse_prefix(&no->allow[no->nallow], s, len)) {
			snprintf(msg, sizeof(msg), "--allow '%.*s': not ADDR or ADDR/LEN",
				 (int)len, s);
			return msg;
		}
		no->nallow++;
		if (!s[len])
			return NULL;
		s += len + 1;
	}
}

static bool is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;

		return IN6_IS_ADDR_LOOPBACK(a) ||
		       (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
	}
	return false;
}

const char *kd_net_check(const struct kd_net_opts *no)
{
	static char msg[200];

	if (!no->nallow && !is_loopback((const struct sockaddr *)&no->addr)) {
		snprintf(msg, sizeof(msg),
			 "--listen %s is not a loopback address: say who may connect with --allow PREFIX[,PREFIX]",
			 no->listen);
		return msg;
	}
	return NULL;
}

static bool prefix_has(const struct kd_net_prefix *p, int family, const uint8_t *a)
{
	unsigned int bytes = p->len / 8, bits = p->len % 8;

	if (p->family != family || memcmp(p->addr, a, bytes))
		return false;
	return !bits || !((p->addr[bytes] ^ a[bytes]) & (0xff << (8 - bits)));
}

/* Whether the peer may connect: the allow-list, or loopback without one. */
static bool peer_allowed(const struct net_sink *ns, const struct sockaddr_storage *ss)
{
	const struct sockaddr_in6 *s6 = (const void *)ss;
	const struct sockaddr_in *s4 = (const void *)ss;
	const uint8_t *a;
	int family = ss->ss_family;

	if (!ns->no.nallow)
		return is_loopback((const struct sockaddr *)ss);
	if (family == AF_INET) {
		a = (const uint8_t *)&s4->sin_addr;
	} else if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
		family = AF_INET;
		a = s6->sin6_addr.s6_addr + 12;
	} else {
		a = s6->sin6_addr.s6_addr;
	}
	for (unsigned int i = 0; i < ns->no.nallow; i++)
		if (prefix_has(&ns->no.allow[i], family, a))
			return true;
	return false;
}

static void peer_name(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN] = "?";
	unsigned int port = 0;

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)ss;

		inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
		port = ntohs(s4->sin_port);
		snprintf(buf, len, "%s:%u", host, port);
	} else {
		const struct sockaddr_in6 *s6 = (const void *)ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
		port = ntohs(s6->sin6_port);
		snprintf(buf, len, "[%s]:%u", host, port);
	}
}

static void client_drop(struct net_sink *ns, unsigned int i, const char *why)
{
	struct client *c = &ns->c[i];

	cli_warn("client %s %s: %llu packets sent, %llu dropped", c->peer, why,
		 (unsigned long long)c->sent, (unsigned long long)c->dropped);
	close(c->fd);
	free(c->q.p);
	ns->c[i] = ns->c[--ns->nc];
	ns->s.clients = ns->nc;
}

static void accept_clients(struct net_sink *ns)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char peer[sizeof(ns->c[0].peer)];
	struct client *c;
	int fd;

	while ((fd = accept4(ns->lfd, (struct sockaddr *)&ss, &sl,
			     SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		peer_name(&ss, peer, sizeof(peer));
		sl = sizeof(ss);
		if (!peer_allowed(ns, &ss)) {
			cli_warn("refused %s: not in --allow", peer);
			close(fd);
			continue;
		}
		if (ns->nc == KD_NET_MAX_CLIENTS) {
			cli_warn("refused %s: %u clients already", peer, KD_NET_MAX_CLIENTS);
			close(fd);
			continue;
		}
		c = &ns->c[ns->nc];
		memset(c, 0, sizeof(*c));
		c->fd = fd;
		snprintf(c->peer, sizeof(c->peer), "%s", peer);
		/* A late client starts with the section and its interfaces. */
		if (kd_buf_put(&c->q, ns->head.p, ns->head.len)) {
			cli_warn("refused %s: out of memory", peer);
			close(fd);
			continue;
		}
		ns->s.clients = ++ns->nc;
		cli_warn("client %s connected", peer);
	}
}

/* Sends what the client's socket takes; false if the client is to go. */
static bool client_pump(struct client *c, uint64_t now, const char **why)
{
	while (c->off < c->q.len) {
		ssize_t n = send(c->fd, c->q.p + c->off, c->q.len - c->off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n > 0) {
			c->off += n;
			c->stall_ns = 0;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		*why = "went away";
		return false;
	}
	if (c->off == c->q.len) {
		c->q.len = c->off = 0;
		return true;
	}
	if (!c->stall_ns)
		c->stall_ns = now;
	if (now - c->stall_ns >= KD_NET_STALL_MS * 1000000ULL) {
		*why = "cut off (took nothing for 5 s)";
		return false;
	}
	/* Keep the queue's unsent part at its front once half is sent. */
	if (c->off > c->q.cap / 2) {
		memmove(c->q.p, c->q.p + c->off, c->q.len - c->off);
		c->q.len -= c->off;
		c->off = 0;
	}
	return true;
}

static void pump_all(struct net_sink *ns)
{
	uint64_t now = mono_ns();
	const char *why;

	for (unsigned int i = 0; i < ns->nc;) {
		if (client_pump(&ns->c[i], now, &why))
			i++;
		else
			client_drop(ns, i, why);
	}
}

/* Bytes to every client, or to those with room (counting the others). */
static void queue_all(struct net_sink *ns, const void *p, size_t len,
		      bool droppable)
{
	for (unsigned int i = 0; i < ns->nc; i++) {
		struct client *c = &ns->c[i];

		if (droppable && c->q.len - c->off + len > ns->limit) {
			c->dropped++;
			continue;
		}
		if (kd_buf_put(&c->q, p, len)) {
			c->dropped++;
			continue;
		}
		if (droppable)
			c->sent++;
	}
}

static int net_put(struct kd_sink *s, const struct kcap_packet *p)
{
	struct net_sink *ns = (struct net_sink *)s;
	uint32_t caplen = p->caplen < ns->snaplen ? p->caplen : ns->snaplen;
	size_t before = ns->head.len;
	uint32_t id;
	bool added;
	int err;

	accept_clients(ns);
	err = kd_ng_ifid(&ns->ifs, &ns->head, p->ifindex, p->ifname, ns->dlt,
			 ns->snaplen, &id, &added);
	if (err)
		return err;
	/* A new device's block reaches every client before its packets. */
	if (added)
		queue_all(ns, ns->head.p + before, ns->head.len - before, false);
	ns->pkt.len = 0;
	err = kd_ng_epb(&ns->pkt, id, p, caplen);
	if (err)
		return err;
	queue_all(ns, ns->pkt.p, ns->pkt.len, true);
	s->packets++;
	s->bytes += ns->pkt.len;
	pump_all(ns);
	return 0;
}

/*
 * Always something "pending": the runs then call flush at each batch's
 * end and at least once per idle poll, which is when clients that came
 * meanwhile are let in.
 */
static size_t net_pending(const struct kd_sink *s)
{
	const struct net_sink *ns = (const struct net_sink *)s;
	size_t n = 1;

	for (unsigned int i = 0; i < ns->nc; i++)
		n += ns->c[i].q.len - ns->c[i].off;
	return n;
}

static int net_flush(struct kd_sink *s)
{
	struct net_sink *ns = (struct net_sink *)s;

	accept_clients(ns);
	pump_all(ns);
	return 0;
}

/* The last packets get a moment to leave, then every client's counts. */
static int net_close(struct kd_sink *s)
{
	struct net_sink *ns = (struct net_sink *)s;

	for (int tries = 0; tries < 20 && net_pending(s) > 1; tries++) {
		pump_all(ns);
		usleep(50000);
	}
	while (ns->nc)
		client_drop(ns, ns->nc - 1, "closed");
	close(ns->lfd);
	free(ns->head.p);
	free(ns->pkt.p);
	free(ns->ifs.v);
	return 0;
}

static const struct kd_sink_ops net_ops = {
	.put = net_put,
	.pending = net_pending,
	.flush = net_flush,
	.close = net_close,
};

static int net_listen(const struct kd_net_opts *no)
{
	int fd, one = 1;

	fd = socket(no->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)&no->addr, no->addrlen) ||
	    listen(fd, KD_NET_MAX_CLIENTS)) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

struct kd_sink *kd_sink_net_open(const struct kd_net_opts *no,
				 const struct kd_out_spec *spec)
{
	struct net_sink *ns = calloc(1, sizeof(*ns));
	uint32_t id;
	bool added;
	int err;

	if (!ns) {
		cli_warn("out of memory");
		return NULL;
	}
	ns->s.ops = &net_ops;
	/* Viewers watch as packets come: every batch goes out at once. */
	kd_flush_init(&ns->s.flush, true);
	ns->no = *no;
	ns->limit = no->client_buf ? no->client_buf : KD_NET_BUF_DEFAULT;
	ns->dlt = spec->dlt >= 0 ? spec->dlt : DLT_EN10MB;
	ns->snaplen = spec->snaplen ? spec->snaplen : KCAP_SNAPLEN_MAX;
	err = kd_ng_shb(&ns->head, "kcapdump");
	for (unsigned int i = 0; !err && i < spec->nifs; i++)
		err = kd_ng_ifid(&ns->ifs, &ns->head, spec->ifindex[i], NULL,
				 ns->dlt, ns->snaplen, &id, &added);
	if (err) {
		cli_warn("out of memory");
		goto err_free;
	}
	ns->lfd = net_listen(no);
	if (ns->lfd < 0) {
		cli_warn("--listen %s: %s", no->listen, strerror(errno));
		goto err_free;
	}
	return &ns->s;

err_free:
	free(ns->head.p);
	free(ns->ifs.v);
	free(ns);
	return NULL;
}

/* tcp://HOST:PORT, HOST a name or an address ([ADDR6] for IPv6). */
int kd_net_connect(const char *url, char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
	const char *hp = url + strlen("tcp://"), *colon;
	char host[256];
	struct addrinfo *ai, *a;
	int fd = -1, ret;

	if (hp[0] == '[') {
		colon = strstr(hp, "]:");
		if (colon)
			snprintf(host, sizeof(host), "%.*s", (int)(colon - hp - 1), hp + 1);
		colon = colon ? colon + 1 : NULL;
	} else {
		colon = strrchr(hp, ':');
		if (colon)
			snprintf(host, sizeof(host), "%.*s", (int)(colon - hp), hp);
	}
	if (!colon || colon == hp || !colon[1]) {
		snprintf(err, errlen, "%s: not tcp://HOST:PORT", url);
		return -1;
	}
	ret = getaddrinfo(host, colon + 1, &hints, &ai);
	if (ret) {
		snprintf(err, errlen, "%s: %s", url, gai_strerror(ret));
		return -1;
	}
	for (a = ai; a; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
		if (fd < 0)
			continue;
		if (!connect(fd, a->ai_addr, a->ai_addrlen))
			break;
		ret = errno;
		close(fd);
		fd = -1;
		errno = ret;
	}
	if (fd < 0)
		snprintf(err, errlen, "%s: %s", url, strerror(errno));
	freeaddrinfo(ai);
	return fd;
}
