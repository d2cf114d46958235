// SPDX-License-Identifier: GPL-2.0
/*
 * Conversations and endpoints of a capture (tshark's -z conv,tcp,
 * -z conv,udp and -z endpoints,ip|ipv6|tcp|udp), as text, JSON or CSV.
 *
 * A TCP conversation is a tcp.stream of the analysis (tcpana.c), so a
 * port number reused with a new initial sequence number starts a new
 * one; a UDP conversation is a 5-tuple. The roles follow the blog's
 * reading: A sent the first SYN (or received the first SYN-ACK), else
 * the first packet. Everything is counted from struct kcap_dec_info, so
 * what the printers decode is what is counted: the innermost IP header
 * of a tunnelled packet.
 *
 * Tables grow with what they hold (hash buckets double with the number
 * of entries), so millions of conversations cost O(1) a packet.
 */
#include <stdlib.h>
#include <string.h>

#include "dec.h"

/* ---- helpers shared with follow.c and the other tables ---- */

void kdec_fmt_addr(char *buf, size_t len, int ver, const uint8_t *a)
{
	char s[48];

	if (ver == 4)
		kdec_fmt_ip4(s, a);
	else
		kdec_fmt_ip6(s, a);
	snprintf(buf, len, "%s", s);
}

void kdec_fmt_endpoint(char *buf, size_t len, int ver, const uint8_t *a, uint16_t port)
{
	char s[48];

	kdec_fmt_addr(s, sizeof(s), ver, a);
	snprintf(buf, len, ver == 4 ? "%s:%u" : "[%s]:%u", s, port);
}

void kdec_out_json_str(FILE *out, const char *s)
{
	static const char hx[] = "0123456789abcdef";

	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			fputc('\\', out);
			fputc(c, out);
		} else if (c < 0x20 || c >= 0x7f) {
			fprintf(out, "\\u00%c%c", hx[c >> 4], hx[c & 15]);
		} else {
			fputc(c, out);
		}
	}
	fputc('"', out);
}

/* Seconds with nine decimals, as tshark prints relative times. */
void kdec_fmt_secs(char *buf, size_t len, uint64_t ns)
{
	snprintf(buf, len, "%llu.%09llu", (unsigned long long)(ns / 1000000000u),
		 (unsigned long long)(ns % 1000000000u));
}

/* The same for a difference, which may be negative. */
void kdec_fmt_ssecs(char *buf, size_t len, int64_t ns)
{
	uint64_t a = ns < 0 ? (uint64_t)-(ns + 1) + 1 : (uint64_t)ns;

	snprintf(buf, len, "%s%llu.%09llu", ns < 0 ? "-" : "",
		 (unsigned long long)(a / 1000000000u), (unsigned long long)(a % 1000000000u));
}

/* ---- a hash of fixed-size keys to pointers, growing ---- */

#define KEYLEN	40

struct hent {
	struct hent *next;
	void *val;
	uint8_t key[KEYLEN];
};

struct htab {
	struct hent **b;
	size_t nb, n;
};

static uint32_t key_hash(const uint8_t *k)
{
	uint32_t h = 2166136261u;
	int i;

	for (i = 0; i < KEYLEN; i++)
		h = (h ^ k[i]) * 16777619u;
	return h ^ (h >> 15);
}

static void *ht_get(const struct htab *t, const uint8_t *key)
{
	struct hent *e;

	if (!t->nb)
		return NULL;
	for (e = t->b[key_hash(key) & (t->nb - 1)]; e; e = e->next)
		if (!memcmp(e->key, key, KEYLEN))
			return e->val;
	return NULL;
}

static int ht_put(struct htab *t, const uint8_t *key, void *val)
{
	struct hent *e;
	size_t h, i;

	if (t->n >= t->nb) {
		size_t nb = t->nb ? t->nb * 2 : 1024;
		struct hent **b = calloc(nb, sizeof(*b));

		if (!b && !t->nb)
			return -1;
		if (b) {
			for (i = 0; i < t->nb; i++) {
				while ((e = t->b[i])) {
					t->b[i] = e->next;
					h = key_hash(e->key) & (nb - 1);
					e->next = b[h];
					b[h] = e;
				}
			}
			free(t->b);
			t->b = b;
			t->nb = nb;
		}
	}
	e = malloc(sizeof(*e));
	if (!e)
		return -1;
	memcpy(e->key, key, KEYLEN);
	e->val = val;
	h = key_hash(key) & (t->nb - 1);
	e->next = t->b[h];
	t->b[h] = e;
	t->n++;
	return 0;
}

static void ht_free(struct htab *t, bool free_vals)
{
	size_t i;

	for (i = 0; i < t->nb; i++) {
		struct hent *e = t->b[i];

		while (e) {
			struct hent *n = e->next;

			if (free_vals)
				free(e->val);
			free(e);
			e = n;
		}
	}
	free(t->b);
}

/* A growing array of pointers, in the order things were first counted. */
struct plist {
	void **v;
	size_t n, cap;
};

static int pl_add(struct plist *l, void *p)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		void **v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = p;
	return 0;
}

/* ---- conversations ---- */

struct conv {
	uint8_t proto;		/* 6 or 17 */
	uint8_t ver;
	uint32_t stream;	/* tcp.stream or udp.stream */
	uint8_t a[16], b[16];	/* a: sent the first SYN, else the first packet */
	uint16_t pa, pb;
	bool listed;
	uint64_t pkts[2], bytes[2], payload[2];	/* [0] a to b, [1] b to a */
	uint64_t first_ns, last_ns, first_no;
	uint64_t syn_ns, synack_ns;
	bool have_syn, have_synack;
	int fin_first, fin_second;	/* side, or -1 */
	int rst;			/* side, or -1 */
};

struct ep {
	uint8_t kind;		/* 4, 6: IP address; 6 + 100, 17 + 100: with a port */
	uint8_t ver;
	uint8_t addr[16];
	uint16_t port;
	uint64_t pkts[2], bytes[2];	/* [0] sent, [1] received */
};

struct kcap_conv_table {
	struct kcap_analysis *an;
	struct plist tcp_by_stream;	/* struct conv *, by tcp.stream */
	struct plist tcp, udp;		/* listed conversations */
	struct htab udp_tab;
	uint32_t udp_streams;
	struct htab ep_tab;
	struct plist eps[4];		/* IPv4, IPv6, TCP, UDP */
	bool have_first, oom;
	uint64_t first_ns;
};

struct kcap_conv_table *kcap_conv_new(void)
{
	struct kcap_conv_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->an = kcap_analysis_new();
	if (!t->an) {
		free(t);
		return NULL;
	}
	return t;
}

void kcap_conv_free(struct kcap_conv_table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->tcp_by_stream.n; i++)
		free(t->tcp_by_stream.v[i]);
	free(t->tcp_by_stream.v);
	free(t->tcp.v);
	free(t->udp.v);
	ht_free(&t->udp_tab, true);
	ht_free(&t->ep_tab, true);
	for (i = 0; i < 4; i++)
		free(t->eps[i].v);
	kcap_analysis_free(t->an);
	free(t);
}

static struct conv *conv_make(uint8_t proto, uint32_t stream, const struct kcap_dec_info *I)
{
	struct conv *c = calloc(1, sizeof(*c));
	uint8_t f = I->tcp_flags;

	if (!c)
		return NULL;
	c->proto = proto;
	c->stream = stream;
	c->ver = I->ipver;
	/* A SYN-ACK seen first means its receiver is the client. */
	if (proto == 6 &&
	    (f & (KCAP_TCP_SYN | KCAP_TCP_ACK)) == (KCAP_TCP_SYN | KCAP_TCP_ACK)) {
		memcpy(c->a, I->dst, 16);
		memcpy(c->b, I->src, 16);
		c->pa = I->dport;
		c->pb = I->sport;
	} else {
		memcpy(c->a, I->src, 16);
		memcpy(c->b, I->dst, 16);
		c->pa = I->sport;
		c->pb = I->dport;
	}
	c->fin_first = c->fin_second = c->rst = -1;
	return c;
}

static int conv_dir(const struct conv *c, const struct kcap_dec_info *I)
{
	int alen = c->ver == 4 ? 4 : 16;

	return c->pa == I->sport && !memcmp(c->a, I->src, (size_t)alen) ? 0 : 1;
}

static void conv_count(struct kcap_conv_table *t, struct plist *list, struct conv *c,
		       const struct kcap_packet *pkt, const struct kcap_dec_info *I)
{
	uint8_t f = I->tcp_flags;
	int dir;

	/* The roles are set by the first packet counted. */
	if (!c->listed) {
		struct conv *n = conv_make(c->proto, c->stream, I);

		if (!n || pl_add(list, c)) {
			free(n);
			t->oom = true;
			return;
		}
		memcpy(c->a, n->a, 16);
		memcpy(c->b, n->b, 16);
		c->pa = n->pa;
		c->pb = n->pb;
		c->ver = n->ver;
		free(n);
		c->listed = true;
		c->first_ns = pkt->ts_ns;
		c->first_no = pkt->number;
	}
	dir = conv_dir(c, I);
	c->pkts[dir]++;
	c->bytes[dir] += pkt->wirelen;
	c->payload[dir] += I->paylen;
	c->last_ns = pkt->ts_ns;
	if (c->proto != 6)
		return;
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

static void tcp_add(struct kcap_conv_table *t, const struct kcap_packet *pkt,
		    const struct kcap_dec_info *I, const struct kcap_tcp_ana *r, bool match)
{
	struct conv *c;

	if (!r->valid)
		return;
	while (t->tcp_by_stream.n <= r->stream) {
		c = conv_make(6, (uint32_t)t->tcp_by_stream.n, I);
		if (!c || pl_add(&t->tcp_by_stream, c)) {
			free(c);
			t->oom = true;
			return;
		}
	}
	if (match)
		conv_count(t, &t->tcp, t->tcp_by_stream.v[r->stream], pkt, I);
}

static void tuple_key(uint8_t *k, uint8_t proto, const struct kcap_dec_info *I)
{
	int alen = I->ipver == 4 ? 4 : 16;
	int c = memcmp(I->src, I->dst, (size_t)alen);
	bool swap = c > 0 || (c == 0 && I->sport > I->dport);

	memset(k, 0, KEYLEN);
	k[0] = proto;
	k[1] = I->ipver;
	memcpy(k + 2, swap ? I->dst : I->src, (size_t)alen);
	memcpy(k + 18, swap ? I->src : I->dst, (size_t)alen);
	k[34] = (uint8_t)((swap ? I->dport : I->sport) >> 8);
	k[35] = (uint8_t)(swap ? I->dport : I->sport);
	k[36] = (uint8_t)((swap ? I->sport : I->dport) >> 8);
	k[37] = (uint8_t)(swap ? I->sport : I->dport);
}

static void udp_add(struct kcap_conv_table *t, const struct kcap_packet *pkt,
		    const struct kcap_dec_info *I, bool match)
{
	uint8_t k[KEYLEN];
	struct conv *c;

	tuple_key(k, 17, I);
	c = ht_get(&t->udp_tab, k);
	if (!c) {
		c = conv_make(17, t->udp_streams, I);
		if (!c || ht_put(&t->udp_tab, k, c)) {
			free(c);
			t->oom = true;
			return;
		}
		t->udp_streams++;
	}
	if (match)
		conv_count(t, &t->udp, c, pkt, I);
}

static void ep_count(struct kcap_conv_table *t, int list, uint8_t kind, int ver,
		     const uint8_t *addr, uint16_t port, int side, uint64_t bytes)
{
	uint8_t k[KEYLEN] = { 0 };
	struct ep *e;

	k[0] = kind;
	k[1] = (uint8_t)ver;
	memcpy(k + 2, addr, ver == 4 ? 4 : 16);
	k[18] = (uint8_t)(port >> 8);
	k[19] = (uint8_t)port;
	e = ht_get(&t->ep_tab, k);
	if (!e) {
		e = calloc(1, sizeof(*e));
		if (!e || ht_put(&t->ep_tab, k, e)) {
			free(e);
			t->oom = true;
			return;
		}
		if (pl_add(&t->eps[list], e)) {
			t->oom = true;	/* counted, but not listed */
			return;
		}
		e->kind = kind;
		e->ver = (uint8_t)ver;
		memcpy(e->addr, addr, 16);
		e->port = port;
	}
	e->pkts[side]++;
	e->bytes[side] += bytes;
}

static void endpoints_add(struct kcap_conv_table *t, const struct kcap_packet *pkt,
			  const struct kcap_dec_info *I)
{
	int v = I->ipver == 4 ? 0 : 1, list;

	ep_count(t, v, I->ipver, I->ipver, I->src, 0, 0, pkt->wirelen);
	ep_count(t, v, I->ipver, I->ipver, I->dst, 0, 1, pkt->wirelen);
	/* A first fragment has the ports; the others do not. */
	if (!I->have_ports || I->frag_off || I->l4_bogus ||
	    (I->l4proto != 6 && I->l4proto != 17))
		return;
	list = I->l4proto == 6 ? 2 : 3;
	ep_count(t, list, (uint8_t)(I->l4proto + 100), I->ipver, I->src, I->sport, 0,
		 pkt->wirelen);
	ep_count(t, list, (uint8_t)(I->l4proto + 100), I->ipver, I->dst, I->dport, 1,
		 pkt->wirelen);
}

void kcap_conv_add_scan(struct kcap_conv_table *t, const struct kcap_packet *pkt,
			bool match)
{
	struct kcap_dec_info I;
	struct kcap_tcp_ana r;

	if (!t->have_first) {
		t->have_first = true;
		t->first_ns = pkt->ts_ns;
	}
	kcap_decode_info(pkt, &I);
	kcap_analysis_add_info(t->an, pkt, &I, &r);
	if (!I.ipver)
		return;
	/* As tshark: a transport header that contradicts itself counts no ports. */
	if (match)
		endpoints_add(t, pkt, &I);
	if (I.have_tcp)
		tcp_add(t, pkt, &I, &r, match && !I.l4_bogus);
	else if (I.have_ports && I.l4proto == 17 && !I.frag_off)
		udp_add(t, pkt, &I, match && !I.l4_bogus);
}

void kcap_conv_add(struct kcap_conv_table *t, const struct kcap_packet *pkt)
{
	kcap_conv_add_scan(t, pkt, true);
}

static void print_dur(FILE *out, uint64_t ns)
{
	fprintf(out, "%llu.%09llu s", (unsigned long long)(ns / 1000000000u),
		(unsigned long long)(ns % 1000000000u));
}

static void conv_text(const struct conv *c, size_t i, FILE *out)
{
	static const char side[2] = { 'A', 'B' };
	char a[64], b[64], ts[48];

	kdec_fmt_endpoint(a, sizeof(a), c->ver, c->a, c->pa);
	kdec_fmt_endpoint(b, sizeof(b), c->ver, c->b, c->pb);
	kdec_fmt_time(ts, sizeof(ts), c->first_ns, true);
	fprintf(out, "\n%sconversation %zu: A %s <-> B %s\n", c->proto == 17 ? "UDP " : "",
		i + 1, a, b);
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
	if (c->proto != 6)
		return;
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

static const char *conv_end(const struct conv *c)
{
	if (c->rst >= 0)
		return c->rst ? "rst_by_b" : "rst_by_a";
	if (c->fin_second >= 0)
		return "fin_both";
	if (c->fin_first >= 0)
		return c->fin_first ? "fin_by_b" : "fin_by_a";
	return "open";
}

static void conv_row(const struct kcap_conv_table *t, const struct conv *c, int fmt,
		     bool first, FILE *out)
{
	char a[48], b[48], start[32], rel[32], dur[32], hs[32] = "";

	kdec_fmt_addr(a, sizeof(a), c->ver, c->a);
	kdec_fmt_addr(b, sizeof(b), c->ver, c->b);
	kdec_fmt_secs(start, sizeof(start), c->first_ns);
	kdec_fmt_secs(rel, sizeof(rel), c->first_ns - t->first_ns);
	kdec_fmt_secs(dur, sizeof(dur), c->last_ns - c->first_ns);
	if (c->have_syn && c->have_synack && c->synack_ns >= c->syn_ns)
		kdec_fmt_secs(hs, sizeof(hs), c->synack_ns - c->syn_ns);
	if (fmt == KCAP_FMT_CSV) {
		fprintf(out, "%s,%u,%s,%u,%s,%u,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%s,%s,%s,%s,%s\n",
			c->proto == 6 ? "tcp" : "udp", c->stream, a, c->pa, b, c->pb,
			(unsigned long long)c->pkts[0], (unsigned long long)c->bytes[0],
			(unsigned long long)c->payload[0], (unsigned long long)c->pkts[1],
			(unsigned long long)c->bytes[1], (unsigned long long)c->payload[1],
			(unsigned long long)c->first_no, start, rel, dur, hs,
			c->proto == 6 ? conv_end(c) : "");
		return;
	}
	fprintf(out, "%s\n{\"stream\":%u,\"addr_a\":\"%s\",\"port_a\":%u,\"addr_b\":\"%s\","
		"\"port_b\":%u,\"frames_ab\":%llu,\"bytes_ab\":%llu,\"payload_ab\":%llu,"
		"\"frames_ba\":%llu,\"bytes_ba\":%llu,\"payload_ba\":%llu,\"first_frame\":%llu,"
		"\"start\":\"%s\",\"rel_start\":\"%s\",\"duration\":\"%s\"", first ? "" : ",",
		c->stream, a, c->pa, b, c->pb,
		(unsigned long long)c->pkts[0], (unsigned long long)c->bytes[0],
		(unsigned long long)c->payload[0], (unsigned long long)c->pkts[1],
		(unsigned long long)c->bytes[1], (unsigned long long)c->payload[1],
		(unsigned long long)c->first_no, start, rel, dur);
	if (c->proto == 6) {
		if (*hs)
			fprintf(out, ",\"handshake\":\"%s\"", hs);
		else
			fputs(",\"handshake\":null", out);
		fprintf(out, ",\"syn\":%s,\"end\":\"%s\"", c->have_syn ? "true" : "false",
			conv_end(c));
	}
	fputc('}', out);
}

void kcap_conv_print_fmt(const struct kcap_conv_table *t, int fmt, FILE *out)
{
	size_t i;

	if (fmt == KCAP_FMT_TEXT) {
		fprintf(out, "TCP conversations: %zu\n", t->tcp.n);
		for (i = 0; i < t->tcp.n; i++)
			conv_text(t->tcp.v[i], i, out);
		if (t->udp.n) {
			fprintf(out, "\nUDP conversations: %zu\n", t->udp.n);
			for (i = 0; i < t->udp.n; i++)
				conv_text(t->udp.v[i], i, out);
		}
		return;
	}
	if (fmt == KCAP_FMT_CSV) {
		fputs("proto,stream,addr_a,port_a,addr_b,port_b,frames_ab,bytes_ab,payload_ab,"
		      "frames_ba,bytes_ba,payload_ba,first_frame,start,rel_start,duration,"
		      "handshake,end\n", out);
		for (i = 0; i < t->tcp.n; i++)
			conv_row(t, t->tcp.v[i], fmt, false, out);
		for (i = 0; i < t->udp.n; i++)
			conv_row(t, t->udp.v[i], fmt, false, out);
		return;
	}
	fputs("{\"tcp\":[", out);
	for (i = 0; i < t->tcp.n; i++)
		conv_row(t, t->tcp.v[i], fmt, i == 0, out);
	fputs(t->tcp.n ? "\n],\"udp\":[" : "],\"udp\":[", out);
	for (i = 0; i < t->udp.n; i++)
		conv_row(t, t->udp.v[i], fmt, i == 0, out);
	fputs(t->udp.n ? "\n]}\n" : "]}\n", out);
}

void kcap_conv_print(const struct kcap_conv_table *t, FILE *out)
{
	kcap_conv_print_fmt(t, KCAP_FMT_TEXT, out);
}

void kcap_endpoints_print(const struct kcap_conv_table *t, int fmt, FILE *out)
{
	static const char *const title[4] = { "IPv4", "IPv6", "TCP", "UDP" };
	static const char *const key[4] = { "ipv4", "ipv6", "tcp", "udp" };
	size_t i;
	int l;

	if (fmt == KCAP_FMT_CSV)
		fputs("type,address,port,packets,bytes,tx_packets,tx_bytes,rx_packets,rx_bytes\n",
		      out);
	else if (fmt == KCAP_FMT_JSON)
		fputc('{', out);
	for (l = 0; l < 4; l++) {
		const struct plist *pl = &t->eps[l];

		if (fmt == KCAP_FMT_TEXT) {
			fprintf(out, "%s%s endpoints: %zu\n", l ? "\n" : "", title[l], pl->n);
			if (pl->n)
				fprintf(out, "%-40s %6s %10s %10s %10s %10s %10s %10s\n", "Address",
					l >= 2 ? "Port" : "", "Packets", "Bytes", "Tx Packets",
					"Tx Bytes", "Rx Packets", "Rx Bytes");
		} else if (fmt == KCAP_FMT_JSON) {
			fprintf(out, "%s\"%s\":[", l ? "," : "", key[l]);
		}
		for (i = 0; i < pl->n; i++) {
			const struct ep *e = pl->v[i];
			char a[48], port[8] = "";

			kdec_fmt_addr(a, sizeof(a), e->ver, e->addr);
			if (l >= 2)
				snprintf(port, sizeof(port), "%u", e->port);
			if (fmt == KCAP_FMT_TEXT)
				fprintf(out, "%-40s %6s %10llu %10llu %10llu %10llu %10llu %10llu\n",
					a, port, (unsigned long long)(e->pkts[0] + e->pkts[1]),
					(unsigned long long)(e->bytes[0] + e->bytes[1]),
					(unsigned long long)e->pkts[0], (unsigned long long)e->bytes[0],
					(unsigned long long)e->pkts[1], (unsigned long long)e->bytes[1]);
			else if (fmt == KCAP_FMT_CSV)
				fprintf(out, "%s,%s,%s,%llu,%llu,%llu,%llu,%llu,%llu\n", key[l], a, port,
					(unsigned long long)(e->pkts[0] + e->pkts[1]),
					(unsigned long long)(e->bytes[0] + e->bytes[1]),
					(unsigned long long)e->pkts[0], (unsigned long long)e->bytes[0],
					(unsigned long long)e->pkts[1], (unsigned long long)e->bytes[1]);
			else
				fprintf(out, "%s\n{\"address\":\"%s\",%s%s%s\"packets\":%llu,"
					"\"bytes\":%llu,\"tx_packets\":%llu,\"tx_bytes\":%llu,"
					"\"rx_packets\":%llu,\"rx_bytes\":%llu}", i ? "," : "", a,
					l >= 2 ? "\"port\":" : "", port, l >= 2 ? "," : "",
					(unsigned long long)(e->pkts[0] + e->pkts[1]),
					(unsigned long long)(e->bytes[0] + e->bytes[1]),
					(unsigned long long)e->pkts[0], (unsigned long long)e->bytes[0],
					(unsigned long long)e->pkts[1], (unsigned long long)e->bytes[1]);
		}
		if (fmt == KCAP_FMT_JSON)
			fputs(pl->n ? "\n]" : "]", out);
	}
	if (fmt == KCAP_FMT_JSON)
		fputs("}\n", out);
}

static int conv_cb(const struct kcap_packet *pkt, bool match, void *arg)
{
	kcap_conv_add_scan(arg, pkt, match);
	return 0;
}

/* Reads the whole file; prints what was counted even when it ends badly. */
static int table_file(const char *path, const char *filter, int fmt, bool endpoints,
		      FILE *out, char *err, size_t errlen)
{
	struct kcap_conv_table *t = kcap_conv_new();
	bool opened;
	int ret;

	if (!t) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ret = kcap_decode_file_scan(path, filter, 0, conv_cb, t, &opened, err, errlen);
	if (opened) {
		if (endpoints)
			kcap_endpoints_print(t, fmt, out);
		else
			kcap_conv_print_fmt(t, fmt, out);
	}
	if (!ret && t->oom) {
		snprintf(err, errlen, "out of memory: the tables are incomplete");
		ret = -1;
	}
	kcap_conv_free(t);
	return ret;
}

int kcap_conversations_file_fmt(const char *path, const char *filter, int fmt, FILE *out,
				char *err, size_t errlen)
{
	return table_file(path, filter, fmt, false, out, err, errlen);
}

int kcap_conversations_file(const char *path, const char *filter, FILE *out,
			    char *err, size_t errlen)
{
	return table_file(path, filter, KCAP_FMT_TEXT, false, out, err, errlen);
}

int kcap_endpoints_file(const char *path, const char *filter, int fmt, FILE *out,
			char *err, size_t errlen)
{
	return table_file(path, filter, fmt, true, out, err, errlen);
}
