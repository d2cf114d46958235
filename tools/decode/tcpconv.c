// SPDX-License-Identifier: GPL-2.0
/*
 * TCP analysis over a capture: the conversation list and the packet by
 * packet view of one connection, as the pcap-analysis blog builds them
 * with scapy. Both work from struct kcap_dec_info, so they see exactly
 * what the printers see.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "emit.h"

#define NBUCKETS	65536

struct conv {
	struct conv *hnext;
	uint8_t ver;
	uint8_t a[16], b[16];	/* a: sent the first SYN, else the first packet */
	uint16_t pa, pb;
	uint64_t pkts[2], bytes[2], payload[2];	/* [0] a to b, [1] b to a */
	uint64_t first_ns, last_ns, first_no;
	uint64_t syn_ns, synack_ns;
	bool have_syn, have_synack;
	int fin_first, fin_second;	/* side, or -1 */
	int rst;			/* side, or -1 */
};

struct kcap_conv_table {
	struct conv *bucket[NBUCKETS];
	struct conv **list;
	size_t n, cap;
};

struct kcap_conv_table *kcap_conv_new(void)
{
	return calloc(1, sizeof(struct kcap_conv_table));
}

void kcap_conv_free(struct kcap_conv_table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++)
		free(t->list[i]);
	free(t->list);
	free(t);
}

static uint32_t hash_ep(const uint8_t *x, uint16_t px, const uint8_t *y,
			uint16_t py, int alen)
{
	uint32_t h = 2166136261u;
	int i;

	/* Symmetric: both directions of a connection land in one bucket. */
	for (i = 0; i < alen; i++)
		h = (h ^ (uint32_t)(x[i] + y[i])) * 16777619u;
	h = (h ^ (uint32_t)(px + py)) * 16777619u;
	return h & (NBUCKETS - 1);
}

static bool conv_ended(const struct conv *c)
{
	return c->rst >= 0 || c->fin_second >= 0;
}

static struct conv *conv_find(struct kcap_conv_table *t, const struct kcap_dec_info *I,
			      int *dir, uint32_t h)
{
	int alen = I->ipver == 4 ? 4 : 16;
	struct conv *c;

	for (c = t->bucket[h]; c; c = c->hnext) {
		if (c->ver != I->ipver)
			continue;
		if (c->pa == I->sport && c->pb == I->dport &&
		    !memcmp(c->a, I->src, (size_t)alen) && !memcmp(c->b, I->dst, (size_t)alen)) {
			*dir = 0;
			return c;
		}
		if (c->pb == I->sport && c->pa == I->dport &&
		    !memcmp(c->b, I->src, (size_t)alen) && !memcmp(c->a, I->dst, (size_t)alen)) {
			*dir = 1;
			return c;
		}
	}
	return NULL;
}

void kcap_conv_add(struct kcap_conv_table *t, const struct kcap_packet *pkt)
{
	struct kcap_dec_info I;
	struct conv *c;
	uint8_t f;
	uint32_t h;
	int dir = 0;

	kcap_decode_info(pkt, &I);
	if (!I.have_tcp || !I.ipver)
		return;
	f = I.tcp_flags;
	h = hash_ep(I.src, I.sport, I.dst, I.dport, I.ipver == 4 ? 4 : 16);
	c = conv_find(t, &I, &dir, h);
	/* A SYN on a finished connection's ports starts a new one. */
	if (c && conv_ended(c) && (f & (KCAP_TCP_SYN | KCAP_TCP_ACK)) == KCAP_TCP_SYN)
		c = NULL;
	if (!c) {
		if (t->n == t->cap) {
			size_t cap = t->cap ? t->cap * 2 : 64;
			struct conv **l = realloc(t->list, cap * sizeof(*l));

			if (!l)
				return;
			t->list = l;
			t->cap = cap;
		}
		c = calloc(1, sizeof(*c));
		if (!c)
			return;
		c->ver = I.ipver;
		/* A SYN-ACK seen first means its receiver is the client. */
		if ((f & (KCAP_TCP_SYN | KCAP_TCP_ACK)) == (KCAP_TCP_SYN | KCAP_TCP_ACK)) {
			memcpy(c->a, I.dst, 16);
			memcpy(c->b, I.src, 16);
			c->pa = I.dport;
			c->pb = I.sport;
			dir = 1;
		} else {
			memcpy(c->a, I.src, 16);
			memcpy(c->b, I.dst, 16);
			c->pa = I.sport;
			c->pb = I.dport;
			dir = 0;
		}
		c->first_ns = pkt->ts_ns;
		c->first_no = pkt->number;
		c->fin_first = c->fin_second = c->rst = -1;
		/* Newest first in the chain, so a reused 4-tuple finds the new one. */
		c->hnext = t->bucket[h];
		t->bucket[h] = c;
		t->list[t->n++] = c;
	}
	c->pkts[dir]++;
	c->bytes[dir] += pkt->wirelen;
	c->payload[dir] += I.paylen;
	c->last_ns = pkt->ts_ns;
	if ((f & (KCAP_TCP_SYN | KCAP_TCP_ACK)) == KCAP_TCP_SYN && !c->have_syn) {
		c->have_syn = true;
		c->syn_ns = pkt->ts_ns;
	}
	if ((f & (KCAP_TCP_SYN | KCAP_TCP_ACK)) == (KCAP_TCP_SYN | KCAP_TCP_ACK) &&
	    !c->have_synack) {
		c->have_synack = true;
		c->synack_ns = pkt->ts_ns;
	}
	if ((f & KCAP_TCP_FIN) && c->fin_first < 0)
		c->fin_first = dir;
	else if ((f & KCAP_TCP_FIN) && c->fin_first != dir && c->fin_second < 0)
		c->fin_second = dir;
	if ((f & KCAP_TCP_RST) && c->rst < 0)
		c->rst = dir;
}

static void endpoint(char *buf, size_t len, int ver, const uint8_t *a, uint16_t port)
{
	char s[48];

	if (ver == 4) {
		fmt_ip4(s, a);
		snprintf(buf, len, "%s:%u", s, port);
	} else {
		fmt_ip6(s, a);
		snprintf(buf, len, "[%s]:%u", s, port);
	}
}

static void print_dur(FILE *out, uint64_t ns)
{
	fprintf(out, "%llu.%09llu s", (unsigned long long)(ns / 1000000000u),
		(unsigned long long)(ns % 1000000000u));
}

void kcap_conv_print(const struct kcap_conv_table *t, FILE *out)
{
	static const char side[2] = { 'A', 'B' };
	size_t i;

	fprintf(out, "TCP conversations: %zu\n", t->n);
	for (i = 0; i < t->n; i++) {
		const struct conv *c = t->list[i];
		char a[64], b[64], ts[48];

		endpoint(a, sizeof(a), c->ver, c->a, c->pa);
		endpoint(b, sizeof(b), c->ver, c->b, c->pb);
		fmt_time(ts, sizeof(ts), c->first_ns, true);
		fprintf(out, "\nconversation %zu: A %s <-> B %s\n", i + 1, a, b);
		fprintf(out, "  A->B: %llu packets, %llu bytes, %llu payload bytes\n",
			(unsigned long long)c->pkts[0], (unsigned long long)c->bytes[0],
			(unsigned long long)c->payload[0]);
		fprintf(out, "  B->A: %llu packets, %llu bytes, %llu payload bytes\n",
			(unsigned long long)c->pkts[1], (unsigned long long)c->bytes[1],
			(unsigned long long)c->payload[1]);
		fprintf(out, "  start: %s (packet %llu), duration ", ts,
			(unsigned long long)c->first_no);
		print_dur(out, c->last_ns - c->first_ns);
		fputc('\n', out);
		fprintf(out, "  handshake: ");
		if (c->have_syn && c->have_synack && c->synack_ns >= c->syn_ns) {
			fprintf(out, "SYN->SYN-ACK ");
			print_dur(out, c->synack_ns - c->syn_ns);
			fputc('\n', out);
		} else if (c->have_syn) {
			fprintf(out, "SYN without SYN-ACK\n");
		} else {
			fprintf(out, "not seen\n");
		}
		fprintf(out, "  end: ");
		if (c->rst >= 0)
			fprintf(out, "RST by %c\n", side[c->rst]);
		else if (c->fin_second >= 0)
			fprintf(out, "FIN by %c, then FIN by %c\n", side[c->fin_first],
				side[c->fin_second]);
		else if (c->fin_first >= 0)
			fprintf(out, "FIN by %c only, still open\n", side[c->fin_first]);
		else
			fprintf(out, "still open\n");
	}
}

static int conv_cb(const struct kcap_packet *pkt, void *arg)
{
	kcap_conv_add(arg, pkt);
	return 0;
}

int kcap_conversations_file(const char *path, const char *filter, FILE *out,
			    char *err, size_t errlen)
{
	struct kcap_conv_table *t = kcap_conv_new();
	int ret;

	if (!t) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ret = kcap_decode_file_each(path, filter, 0, conv_cb, t, err, errlen);
	if (!ret)
		kcap_conv_print(t, out);
	kcap_conv_free(t);
	return ret;
}

struct kcap_follow {
	int ver;
	uint8_t a[16], b[16];
	uint16_t pa, pb;
	bool have_isn[2];
	uint32_t isn[2];
	int wscale[2];		/* -1 until that side's SYN; -2 SYN without it */
	bool have_first;
	uint64_t first_ns, first_no, last_no, last_ns, total, matched;
};

/* "1.2.3.4:80" or "[2001:db8::1]:80" (or "2001:db8::1:80", last colon). */
static int parse_ep(const char *s, size_t len, int *ver, uint8_t *addr, uint16_t *port)
{
	char buf[80];
	char *colon, *host, *end;
	unsigned long p;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	colon = strrchr(buf, ':');
	if (!colon)
		return -1;
	*colon = '\0';
	host = buf;
	if (host[0] == '[') {
		size_t hl = strlen(host);

		if (hl < 2 || host[hl - 1] != ']')
			return -1;
		host[hl - 1] = '\0';
		host++;
	}
	p = strtoul(colon + 1, &end, 10);
	if (!colon[1] || *end || p > 65535)
		return -1;
	*port = (uint16_t)p;
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, host, addr) == 1)
		*ver = 4;
	else if (inet_pton(AF_INET6, host, addr) == 1)
		*ver = 6;
	else
		return -1;
	return 0;
}

struct kcap_follow *kcap_follow_new(const char *spec, char *err, size_t errlen)
{
	struct kcap_follow *f;
	const char *dash = spec ? strchr(spec, '-') : NULL;
	int va, vb;

	f = calloc(1, sizeof(*f));
	if (!f) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (!dash || parse_ep(spec, (size_t)(dash - spec), &va, f->a, &f->pa) ||
	    parse_ep(dash + 1, strlen(dash + 1), &vb, f->b, &f->pb) || va != vb) {
		snprintf(err, errlen, "--follow: '%s' is not ADDR:PORT-ADDR:PORT", spec ? spec : "");
		free(f);
		return NULL;
	}
	f->ver = va;
	f->wscale[0] = f->wscale[1] = -1;
	return f;
}

void kcap_follow_free(struct kcap_follow *f)
{
	free(f);
}

static void flags_scapy(char *buf, uint8_t fl)
{
	/* scapy's order, which the blog prints: FSRPAUEC. */
	static const char letters[] = "FSRPAUEC";
	int i, k = 0;

	for (i = 0; i < 8; i++)
		if (fl & (1u << i))
			buf[k++] = letters[i];
	buf[k] = '\0';
}

void kcap_follow_add(struct kcap_follow *f, const struct kcap_packet *pkt, FILE *out)
{
	struct kcap_dec_info I;
	int alen = f->ver == 4 ? 4 : 16, dir, other;
	uint64_t rel, win;
	uint32_t rseq, rack;
	char fl[9];

	f->total++;
	kcap_decode_info(pkt, &I);
	if (!I.have_tcp || I.ipver != f->ver)
		return;
	if (I.sport == f->pa && I.dport == f->pb &&
	    !memcmp(I.src, f->a, (size_t)alen) && !memcmp(I.dst, f->b, (size_t)alen))
		dir = 0;
	else if (I.sport == f->pb && I.dport == f->pa &&
		 !memcmp(I.src, f->b, (size_t)alen) && !memcmp(I.dst, f->a, (size_t)alen))
		dir = 1;
	else
		return;
	other = !dir;
	f->matched++;
	if (!f->have_first) {
		f->have_first = true;
		f->first_ns = pkt->ts_ns;
		f->first_no = pkt->number;
	}
	f->last_no = pkt->number;
	f->last_ns = pkt->ts_ns;
	if (!f->have_isn[dir]) {
		f->have_isn[dir] = true;
		f->isn[dir] = I.seq;
	}
	if (I.tcp_flags & KCAP_TCP_SYN)
		f->wscale[dir] = I.wscale >= 0 ? (I.wscale > 14 ? 14 : I.wscale) : -2;
	rseq = I.seq - f->isn[dir];
	if (!(I.tcp_flags & KCAP_TCP_ACK))
		rack = 0;
	else if (f->have_isn[other])
		rack = I.ack - f->isn[other];
	else
		rack = I.ack;
	win = I.window;
	/* RFC 7323: never scaled in a SYN; only if both SYNs offered it. */
	if (!(I.tcp_flags & KCAP_TCP_SYN) && f->wscale[0] >= 0 && f->wscale[1] >= 0)
		win <<= f->wscale[dir];
	rel = pkt->ts_ns >= f->first_ns ? pkt->ts_ns - f->first_ns : 0;
	flags_scapy(fl, I.tcp_flags);
	fprintf(out, "%s[%5llu]%3llu.%06llus flag=%-3s seq=%-9u ack=%-9u len=%-6u win=%llu%s\n",
		dir == 0 ? "-->" : "                                                                  <--",
		(unsigned long long)pkt->number,
		(unsigned long long)(rel / 1000000000u),
		(unsigned long long)(rel % 1000000000u / 1000u),
		fl, rseq, rack, I.paylen, (unsigned long long)win,
		I.truncated ? " [truncated]" : "");
}

void kcap_follow_end(struct kcap_follow *f, const char *name, FILE *out)
{
	char ts[48];

	fprintf(out, "%s contains %llu packets (%llu interesting)\n", name ? name : "capture",
		(unsigned long long)f->total, (unsigned long long)f->matched);
	if (!f->matched)
		return;
	fmt_time(ts, sizeof(ts), f->first_ns, true);
	fprintf(out, "First packet in connection: Packet #%llu %s\n",
		(unsigned long long)f->first_no, ts);
	fmt_time(ts, sizeof(ts), f->last_ns, true);
	fprintf(out, " Last packet in connection: Packet #%llu %s\n",
		(unsigned long long)f->last_no, ts);
	fprintf(out, "Window scaling: %s\n",
		f->wscale[0] >= 0 && f->wscale[1] >= 0 ? "negotiated, windows scaled" :
		f->wscale[0] == -1 || f->wscale[1] == -1 ? "handshake not seen, windows as on the wire" :
		"not negotiated");
}

struct follow_arg {
	struct kcap_follow *f;
	FILE *out;
};

static int follow_cb(const struct kcap_packet *pkt, void *arg)
{
	struct follow_arg *a = arg;

	kcap_follow_add(a->f, pkt, a->out);
	return 0;
}

int kcap_follow_file(const char *path, const char *filter, const char *spec,
		     FILE *out, char *err, size_t errlen)
{
	struct follow_arg a = { kcap_follow_new(spec, err, errlen), out };
	const char *base;
	int ret;

	if (!a.f)
		return -1;
	ret = kcap_decode_file_each(path, filter, 0, follow_cb, &a, err, errlen);
	base = strrchr(path, '/');
	if (!ret)
		kcap_follow_end(a.f, base ? base + 1 : path, out);
	kcap_follow_free(a.f);
	return ret;
}
