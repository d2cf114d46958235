// SPDX-License-Identifier: GPL-2.0
/*
 * Two captures of the same traffic, taken at two places (a SPAN port
 * and the server, say): which packets both saw, which only one saw, and
 * how long each took from the first place to the second.
 *
 * A packet is known by what the path between the two places does not
 * change: IP version, addresses, protocol, ports, the IPv4
 * identification, TCP sequence and ACK numbers, flags and window, the
 * lengths, and the first bytes of the transport payload. TTL, checksums
 * and the link layer are left out (hops and capture points change them),
 * so a file read on Ethernet matches one read from "any" (Linux cooked).
 * Packets alike in all of that are paired in their order in each file.
 *
 * File A is read into a hash table of keys, each with the queue of its
 * packets; file B is matched against it as it is read: O(n) and one
 * entry of memory per packet of A. The delays are sorted once for their
 * median and percentiles: O(n log n).
 */
#include <stdlib.h>
#include <string.h>

#include "dec.h"

#define PAYLOAD_KEY	16	/* payload bytes in the key */
#define LIST_MAX	20	/* missing packets listed in the text report */

struct key {
	uint8_t b[72];
};

struct occ {
	struct occ *next;
	uint64_t frame, ts;
	uint8_t src_ver;
	uint8_t src[16];
	bool used;
};

struct slot {
	struct slot *hnext;
	struct key k;
	struct occ *head, *tail;	/* A's packets with this key, in order */
	struct occ *next_free;		/* the first not yet paired */
};

struct sender {
	uint8_t ver, addr[16];
	uint64_t n;
	int64_t min, max;
	double sum;
};

struct cmp {
	struct slot **b;
	size_t nb, n;
	uint64_t pkts[2], keyless[2];
	struct occ **all;	/* A's packets in order, for the unmatched list */
	size_t nall, capall;
	uint64_t matched;
	int64_t *delay;
	size_t ndelay, capdelay;
	struct sender *snd;
	size_t nsnd;
	uint64_t *only_b;
	size_t nonly_b, caponly_b;
	int fmt;
	FILE *out;
	bool oom;
};

static uint32_t khash(const struct key *k)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < sizeof(k->b); i++)
		h = (h ^ k->b[i]) * 16777619u;
	return h ^ (h >> 15);
}

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

/* false: not an IP packet, or cut before what the key needs. */
static bool make_key(const struct kcap_packet *pkt, const struct kcap_dec_info *I,
		     struct key *k)
{
	uint32_t n;

	memset(k, 0, sizeof(*k));
	if (!I->ipver || !I->have_l4)
		return false;
	k->b[0] = I->ipver;
	k->b[1] = I->l4proto;
	k->b[2] = (uint8_t)(I->fragment | (I->have_tcp ? 2 : 0));
	memcpy(k->b + 3, I->src, 16);
	memcpy(k->b + 19, I->dst, 16);
	put16(k->b + 35, I->sport);
	put16(k->b + 37, I->dport);
	put32(k->b + 39, I->have_ipid ? I->ipid : 0);
	put32(k->b + 43, I->paylen);
	put32(k->b + 47, I->frag_off);
	if (I->have_tcp) {
		put32(k->b + 51, I->seq);
		put32(k->b + 55, I->ack);
		k->b[59] = I->tcp_flags;
		put16(k->b + 60, I->window);
	}
	/* For what has no sequence numbers (and IPv6 has no identification). */
	if (!I->have_tcp) {
		n = I->paylen < PAYLOAD_KEY ? I->paylen : PAYLOAD_KEY;
		if (I->paycap < n || I->payoff > pkt->caplen || pkt->caplen - I->payoff < n)
			return I->have_ipid;	/* the rest of the key must do */
		memcpy(k->b + 56, pkt->data + I->payoff, n);
	}
	return true;
}

/* A packet of side 0 (A) or 1 (B) to match: counted, decoded, keyed. */
static bool counted(struct cmp *c, int side, const struct kcap_packet *pkt, bool match,
		    struct kcap_dec_info *I, struct key *k)
{
	if (!match)
		return false;
	c->pkts[side]++;
	kcap_decode_info(pkt, I);
	/* Not IP, or cut too short: reported apart, never "missing". */
	if (!make_key(pkt, I, k)) {
		c->keyless[side]++;
		return false;
	}
	return true;
}

static struct slot **find_slot(struct cmp *c, const struct key *k)
{
	struct slot **s;

	for (s = &c->b[khash(k) & (c->nb - 1)]; *s; s = &(*s)->hnext)
		if (!memcmp((*s)->k.b, k->b, sizeof(k->b)))
			return s;
	return s;
}

static void grow(struct cmp *c)
{
	size_t nb = c->nb * 2, i;
	struct slot **b = calloc(nb, sizeof(*b));

	if (!b)
		return;
	for (i = 0; i < c->nb; i++) {
		struct slot *s;

		while ((s = c->b[i])) {
			size_t h = khash(&s->k) & (nb - 1);

			c->b[i] = s->hnext;
			s->hnext = b[h];
			b[h] = s;
		}
	}
	free(c->b);
	c->b = b;
	c->nb = nb;
}

static int a_cb(const struct kcap_packet *pkt, bool match, void *arg)
{
	struct cmp *c = arg;
	struct kcap_dec_info I;
	struct slot **sp, *s;
	struct occ *o;
	struct key k;

	if (!counted(c, 0, pkt, match, &I, &k))
		return 0;
	o = calloc(1, sizeof(*o));
	if (!o) {
		c->oom = true;
		return 1;
	}
	o->frame = pkt->number;
	o->ts = pkt->ts_ns;
	o->src_ver = I.ipver;
	memcpy(o->src, I.src, 16);
	if (c->nall == c->capall) {
		size_t cap = c->capall ? c->capall * 2 : 1024;
		struct occ **v = realloc(c->all, cap * sizeof(*v));

		if (!v) {
			free(o);
			c->oom = true;
			return 1;
		}
		c->all = v;
		c->capall = cap;
	}
	c->all[c->nall++] = o;
	if (c->n >= c->nb)
		grow(c);
	sp = find_slot(c, &k);
	s = *sp;
	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s) {
			c->oom = true;
			return 1;
		}
		s->k = k;
		*sp = s;
		c->n++;
	}
	if (s->tail)
		s->tail->next = o;
	else
		s->head = o;
	s->tail = o;
	if (!s->next_free)
		s->next_free = o;
	return 0;
}

static int push(void **v, size_t *n, size_t *cap, size_t size)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 1024;
		void *p = realloc(*v, nc * size);

		if (!p)
			return -1;
		*v = p;
		*cap = nc;
	}
	return 0;
}

static void by_sender(struct cmp *c, const struct occ *o, int64_t d)
{
	int alen = o->src_ver == 4 ? 4 : 16;
	struct sender *s = NULL, *v;
	size_t i;

	for (i = 0; i < c->nsnd; i++)
		if (c->snd[i].ver == o->src_ver && !memcmp(c->snd[i].addr, o->src, (size_t)alen)) {
			s = &c->snd[i];
			break;
		}
	if (!s) {
		/* A few hosts, in practice; past 256 the rest go unlisted. */
		if (c->nsnd == 256)
			return;
		v = realloc(c->snd, (c->nsnd + 1) * sizeof(*v));
		if (!v)
			return;
		c->snd = v;
		s = &c->snd[c->nsnd++];
		memset(s, 0, sizeof(*s));
		s->ver = o->src_ver;
		memcpy(s->addr, o->src, 16);
		s->min = s->max = d;
	}
	s->n++;
	s->sum += (double)d;
	if (d < s->min)
		s->min = d;
	if (d > s->max)
		s->max = d;
}

static int b_cb(const struct kcap_packet *pkt, bool match, void *arg)
{
	struct cmp *c = arg;
	struct kcap_dec_info I;
	struct slot *s = NULL;
	struct occ *o = NULL;
	struct key k;
	int64_t d;

	if (!counted(c, 1, pkt, match, &I, &k))
		return 0;
	s = *find_slot(c, &k);
	if (s && s->next_free) {
		o = s->next_free;
		s->next_free = o->next;
	}
	if (!o) {
		if (push((void **)&c->only_b, &c->nonly_b, &c->caponly_b, sizeof(*c->only_b))) {
			c->oom = true;
			return 1;
		}
		c->only_b[c->nonly_b++] = pkt->number;
		if (c->fmt == KCAP_FMT_CSV)
			fprintf(c->out, ",%llu,\n", (unsigned long long)pkt->number);
		return 0;
	}
	o->used = true;
	c->matched++;
	d = (int64_t)(pkt->ts_ns - o->ts);
	if (push((void **)&c->delay, &c->ndelay, &c->capdelay, sizeof(*c->delay))) {
		c->oom = true;
		return 1;
	}
	c->delay[c->ndelay++] = d;
	by_sender(c, o, d);
	if (c->fmt == KCAP_FMT_CSV) {
		char t[48];

		kdec_fmt_ssecs(t, sizeof(t), d);
		fprintf(c->out, "%llu,%llu,%s\n", (unsigned long long)o->frame,
			(unsigned long long)pkt->number, t);
	}
	return 0;
}

/* Without libm: the tools link the library with -lpcap alone. */
static int64_t round_ns(double x)
{
	return (int64_t)(x >= 0 ? x + 0.5 : x - 0.5);
}

static double sqrt_d(double x)
{
	double r = x > 1 ? x : 1;
	int i;

	if (x <= 0)
		return 0;
	for (i = 0; i < 200; i++) {
		double n = (r + x / r) / 2;

		if (n >= r)
			break;
		r = n;
	}
	return r;
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return a < b ? -1 : a > b;
}

/* The value below which pc percent of the sorted delays lie (nearest rank). */
static int64_t pct(const int64_t *v, size_t n, unsigned int pc)
{
	size_t i = (n * pc + 99) / 100;

	return v[i ? i - 1 : 0];
}

/* A sender's address and delays as text; each buffer holds 48 bytes. */
static void sender_words(const struct sender *s, char *addr, char *mn, char *mx, char *me)
{
	kdec_fmt_addr(addr, 48, s->ver, s->addr);
	kdec_fmt_ssecs(mn, 48, s->min);
	kdec_fmt_ssecs(mx, 48, s->max);
	kdec_fmt_ssecs(me, 48, round_ns(s->sum / (double)s->n));
}

static void report(struct cmp *c, const char *pa, const char *pb)
{
	char mn[48], mx[48], me[48], md[48], p95[48], p99[48], sd[48], addr[48];
	uint64_t only_a = 0;
	double mean = 0, var = 0;
	size_t i, k;
	FILE *out = c->out;

	for (i = 0; i < c->nall; i++)
		only_a += !c->all[i]->used;
	if (c->ndelay) {
		for (i = 0; i < c->ndelay; i++)
			mean += (double)c->delay[i];
		mean /= (double)c->ndelay;
		for (i = 0; i < c->ndelay; i++)
			var += ((double)c->delay[i] - mean) * ((double)c->delay[i] - mean);
		var /= (double)c->ndelay;
		qsort(c->delay, c->ndelay, sizeof(*c->delay), cmp_i64);
		kdec_fmt_ssecs(mn, sizeof(mn), c->delay[0]);
		kdec_fmt_ssecs(mx, sizeof(mx), c->delay[c->ndelay - 1]);
		kdec_fmt_ssecs(me, sizeof(me), round_ns(mean));
		kdec_fmt_ssecs(md, sizeof(md), pct(c->delay, c->ndelay, 50));
		kdec_fmt_ssecs(p95, sizeof(p95), pct(c->delay, c->ndelay, 95));
		kdec_fmt_ssecs(p99, sizeof(p99), pct(c->delay, c->ndelay, 99));
		kdec_fmt_ssecs(sd, sizeof(sd), round_ns(sqrt_d(var)));
	}
	if (c->fmt == KCAP_FMT_CSV) {
		for (i = 0; i < c->nall; i++)
			if (!c->all[i]->used)
				fprintf(out, "%llu,,\n", (unsigned long long)c->all[i]->frame);
		return;
	}
	if (c->fmt == KCAP_FMT_JSON) {
		fputs("{\"a\":{\"file\":", out);
		kdec_out_json_str(out, pa);
		fprintf(out, ",\"packets\":%llu},\"b\":{\"file\":", (unsigned long long)c->pkts[0]);
		kdec_out_json_str(out, pb);
		fprintf(out, ",\"packets\":%llu},\"matched\":%llu,\"only_a\":[",
			(unsigned long long)c->pkts[1], (unsigned long long)c->matched);
		for (i = 0, k = 0; i < c->nall; i++)
			if (!c->all[i]->used)
				fprintf(out, "%s%llu", k++ ? "," : "",
					(unsigned long long)c->all[i]->frame);
		fputs("],\"only_b\":[", out);
		for (i = 0; i < c->nonly_b; i++)
			fprintf(out, "%s%llu", i ? "," : "", (unsigned long long)c->only_b[i]);
		fputs("]", out);
		if (c->ndelay)
			fprintf(out, ",\"delay\":{\"min\":\"%s\",\"max\":\"%s\",\"mean\":\"%s\","
				"\"median\":\"%s\",\"p95\":\"%s\",\"p99\":\"%s\",\"stddev\":\"%s\"}",
				mn, mx, me, md, p95, p99, sd);
		fputs(",\"by_sender\":[", out);
		for (i = 0; i < c->nsnd; i++) {
			sender_words(&c->snd[i], addr, mn, mx, me);
			fprintf(out, "%s{\"sender\":\"%s\",\"matched\":%llu,\"min\":\"%s\","
				"\"max\":\"%s\",\"mean\":\"%s\"}", i ? "," : "", addr,
				(unsigned long long)c->snd[i].n, mn, mx, me);
		}
		fputs("]}\n", out);
		return;
	}
	fprintf(out, "A: %s, %llu packets\nB: %s, %llu packets\n", pa,
		(unsigned long long)c->pkts[0], pb, (unsigned long long)c->pkts[1]);
	fprintf(out, "matched: %llu\nonly in A: %llu\nonly in B: %llu\n",
		(unsigned long long)c->matched, (unsigned long long)only_a,
		(unsigned long long)c->nonly_b);
	if (c->keyless[0] || c->keyless[1])
		fprintf(out, "not IP or cut too short to match: %llu in A, %llu in B\n",
			(unsigned long long)c->keyless[0], (unsigned long long)c->keyless[1]);
	if (c->ndelay) {
		fprintf(out, "\none-way delay B - A (s): min %s  median %s  mean %s  max %s\n",
			mn, md, me, mx);
		fprintf(out, "                        p95 %s  p99 %s  stddev %s\n", p95, p99, sd);
		fputs("\nby sender:\n", out);
		for (i = 0; i < c->nsnd; i++) {
			sender_words(&c->snd[i], addr, mn, mx, me);
			fprintf(out, "  %-39s %8llu matched  min %s  mean %s  max %s\n", addr,
				(unsigned long long)c->snd[i].n, mn, me, mx);
		}
	}
	if (only_a) {
		fputs("\nonly in A (frames):", out);
		for (i = 0, k = 0; i < c->nall && k < LIST_MAX; i++)
			if (!c->all[i]->used)
				fprintf(out, "%s%llu", k++ ? ", " : " ",
					(unsigned long long)c->all[i]->frame);
		fputs(only_a > LIST_MAX ? ", ...\n" : "\n", out);
	}
	if (c->nonly_b) {
		fputs(only_a ? "only in B (frames):" : "\nonly in B (frames):", out);
		for (i = 0; i < c->nonly_b && i < LIST_MAX; i++)
			fprintf(out, "%s%llu", i ? ", " : " ", (unsigned long long)c->only_b[i]);
		fputs(c->nonly_b > LIST_MAX ? ", ...\n" : "\n", out);
	}
}

int kcap_compare_files(const char *path_a, const char *path_b, const char *filter,
		       int fmt, FILE *out, char *err, size_t errlen)
{
	struct cmp c = { .fmt = fmt, .out = out };
	bool opened = false;
	size_t i;
	int ret;

	c.nb = 1024;
	c.b = calloc(c.nb, sizeof(*c.b));
	if (!c.b) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ret = kcap_decode_file_scan(path_a, filter, 0, a_cb, &c, &opened, err, errlen);
	if (!ret) {
		if (fmt == KCAP_FMT_CSV)
			fputs("a_frame,b_frame,delay\n", out);
		ret = kcap_decode_file_scan(path_b, filter, 0, b_cb, &c, &opened, err, errlen);
		if (opened)
			report(&c, path_a, path_b);
	}
	if (!ret && c.oom) {
		snprintf(err, errlen, "out of memory: the comparison is incomplete");
		ret = -1;
	}
	for (i = 0; i < c.nb; i++) {
		struct slot *s = c.b[i];

		while (s) {
			struct slot *n = s->hnext;

			free(s);
			s = n;
		}
	}
	for (i = 0; i < c.nall; i++)
		free(c.all[i]);
	free(c.all);
	free(c.b);
	free(c.delay);
	free(c.snd);
	free(c.only_b);
	return ret;
}
