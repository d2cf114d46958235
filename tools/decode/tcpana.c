// SPDX-License-Identifier: GPL-2.0
/*
 * TCP sequence analysis as Wireshark's (tcp.analysis.*): stream indices,
 * relative sequence numbers, the calculated window and the expert flags
 * (retransmissions, duplicate ACKs, lost segments, zero windows, ...),
 * and the RTT of each ACKed segment.
 *
 * The rules are Wireshark's, so that a user sees in kcap what tshark
 * shows on the same file: they are applied in the same order, to the
 * same state, on absolute sequence numbers and unscaled windows. The
 * tests compare every packet's flags with tshark's.
 *
 * Cost: one hash lookup per packet (the table grows with the number of
 * streams, and holds one per 4-tuple), plus a walk over the segments the
 * other side has not ACKed yet, of which at most MAX_UNACKED are
 * remembered per direction.
 */
#include <stdlib.h>
#include <string.h>

#include "dec.h"

#define MAX_UNACKED	1000	/* segments remembered per direction */
#define FAST_RT_NS	20000000u	/* a fast retransmission follows the dup ACKs within 20 ms */
#define OOO_NS		3000000u	/* out-of-order window while the handshake's RTT is unknown */
#define DUPACK_LOST	UINT32_MAX	/* a dup-ACK count that says an unseen segment was ACKed */

#define GT_SEQ(x, y)	((int32_t)((y) - (x)) < 0)
#define LT_SEQ(x, y)	((int32_t)((x) - (y)) < 0)
#define LE_SEQ(x, y)	((int32_t)((x) - (y)) <= 0)

#define F_FIN	KCAP_TCP_FIN
#define F_SYN	KCAP_TCP_SYN
#define F_RST	KCAP_TCP_RST
#define F_ACK	KCAP_TCP_ACK

struct seg {
	struct seg *next;	/* older */
	uint64_t frame, ts;
	uint32_t seq, nextseq;
};

struct flow {
	bool base_set;
	uint32_t base_seq;
	uint32_t nextseq;		/* 0: not known yet */
	uint32_t lastack;
	uint32_t maxseqtobeacked;
	uint64_t nextseqframe, nextseqtime, lastacktime;
	uint32_t dupacknum;		/* DUPACK_LOST after an ACKed unseen segment */
	uint64_t lastnondupack;
	uint32_t window;		/* unscaled; UINT32_MAX until seen */
	int win_scale;			/* -1 unknown, -2 not used */
	bool is_first_ack;
	uint32_t lastsegflags;
	bool bif_invalid;		/* a segment was missed and not ACKed since */
	struct seg *segs;		/* newest first */
	unsigned int nsegs;
};

struct stream {
	struct stream *hnext;	/* same bucket (or the retired list) */
	uint32_t index;
	uint8_t ver;
	uint8_t addr[2][16];	/* [0]: the first packet's sender */
	uint16_t port[2];
	uint64_t ts_mru_syn, ts_first_rtt;	/* 0: not seen */
	struct flow flow[2];
};

struct kcap_analysis {
	struct stream **bucket;
	size_t nbuckets, n;
	struct stream *retired;	/* replaced by a newer stream of the same ports */
	struct seg *spare;	/* freed segments, reused */
	bool oom;
};

struct kcap_analysis *kcap_analysis_new(void)
{
	struct kcap_analysis *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->nbuckets = 1024;
	a->bucket = calloc(a->nbuckets, sizeof(*a->bucket));
	if (!a->bucket) {
		free(a);
		return NULL;
	}
	return a;
}

static void segs_free(struct seg *s)
{
	while (s) {
		struct seg *n = s->next;

		free(s);
		s = n;
	}
}

static void streams_free(struct stream *s)
{
	while (s) {
		struct stream *n = s->hnext;

		segs_free(s->flow[0].segs);
		segs_free(s->flow[1].segs);
		free(s);
		s = n;
	}
}

void kcap_analysis_free(struct kcap_analysis *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->nbuckets; i++)
		streams_free(a->bucket[i]);
	streams_free(a->retired);
	segs_free(a->spare);
	free(a->bucket);
	free(a);
}

/* The same for both directions: the endpoints are hashed in a fixed order. */
static uint32_t hash_tuple(int alen, const uint8_t *x, uint16_t px,
			   const uint8_t *y, uint16_t py)
{
	const uint8_t *lo = x, *hi = y;
	uint16_t plo = px, phi = py;
	uint32_t h = 2166136261u;
	int c = memcmp(x, y, (size_t)alen), i;

	if (c > 0 || (c == 0 && px > py)) {
		lo = y;
		hi = x;
		plo = py;
		phi = px;
	}
	for (i = 0; i < alen; i++)
		h = (h ^ lo[i]) * 16777619u;
	for (i = 0; i < alen; i++)
		h = (h ^ hi[i]) * 16777619u;
	h = (h ^ plo) * 16777619u;
	h = (h ^ phi) * 16777619u;
	return h ^ (h >> 15);
}

static uint32_t stream_hash(const struct stream *s)
{
	int alen = s->ver == 4 ? 4 : 16;

	return hash_tuple(alen, s->addr[0], s->port[0], s->addr[1], s->port[1]);
}

/* Twice the buckets when there are more streams than buckets: chains stay short. */
static void grow(struct kcap_analysis *a)
{
	size_t nb = a->nbuckets * 2, i;
	struct stream **b = calloc(nb, sizeof(*b));

	if (!b)
		return;		/* longer chains, still correct */
	for (i = 0; i < a->nbuckets; i++) {
		struct stream *s = a->bucket[i];

		while (s) {
			struct stream *n = s->hnext;
			size_t h = stream_hash(s) & (nb - 1);

			s->hnext = b[h];
			b[h] = s;
			s = n;
		}
	}
	free(a->bucket);
	a->bucket = b;
	a->nbuckets = nb;
}

static struct stream *find(struct kcap_analysis *a, const struct kcap_dec_info *I,
			   int *dir)
{
	int alen = I->ipver == 4 ? 4 : 16;
	uint32_t h = hash_tuple(alen, I->src, I->sport, I->dst, I->dport);
	struct stream *s;

	for (s = a->bucket[h & (a->nbuckets - 1)]; s; s = s->hnext) {
		if (s->ver != I->ipver)
			continue;
		if (s->port[0] == I->sport && s->port[1] == I->dport &&
		    !memcmp(s->addr[0], I->src, (size_t)alen) &&
		    !memcmp(s->addr[1], I->dst, (size_t)alen)) {
			*dir = 0;
			return s;
		}
		if (s->port[1] == I->sport && s->port[0] == I->dport &&
		    !memcmp(s->addr[1], I->src, (size_t)alen) &&
		    !memcmp(s->addr[0], I->dst, (size_t)alen)) {
			*dir = 1;
			return s;
		}
	}
	return NULL;
}

static struct stream *create(struct kcap_analysis *a, const struct kcap_dec_info *I)
{
	struct stream *s = calloc(1, sizeof(*s));
	size_t h;
	int i;

	if (!s) {
		a->oom = true;
		return NULL;
	}
	s->index = (uint32_t)a->n;
	s->ver = I->ipver;
	memcpy(s->addr[0], I->src, 16);
	memcpy(s->addr[1], I->dst, 16);
	s->port[0] = I->sport;
	s->port[1] = I->dport;
	for (i = 0; i < 2; i++) {
		s->flow[i].window = UINT32_MAX;
		s->flow[i].win_scale = -1;
	}
	if (a->n >= a->nbuckets)
		grow(a);
	h = stream_hash(s) & (a->nbuckets - 1);
	s->hnext = a->bucket[h];
	a->bucket[h] = s;
	a->n++;
	return s;
}

/*
 * Lookups find the newest stream of a 4-tuple, so an older one is never
 * found again: off its chain it goes, and chains stay one stream per
 * 4-tuple however often its ports are reused.
 */
static void retire(struct kcap_analysis *a, struct stream *st)
{
	struct stream **link = &a->bucket[stream_hash(st) & (a->nbuckets - 1)];

	for (; *link; link = &(*link)->hnext) {
		if (*link == st) {
			*link = st->hnext;
			segs_free(st->flow[0].segs);
			segs_free(st->flow[1].segs);
			st->flow[0].segs = st->flow[1].segs = NULL;
			st->hnext = a->retired;
			a->retired = st;
			return;
		}
	}
}

static struct seg *seg_get(struct kcap_analysis *a)
{
	struct seg *s = a->spare;

	if (s) {
		a->spare = s->next;
		return s;
	}
	return malloc(sizeof(*s));
}

static void seg_put(struct kcap_analysis *a, struct seg *s)
{
	s->next = a->spare;
	a->spare = s;
}

/* One segment as the analysis sees it. */
struct tseg {
	uint64_t frame, ts;
	uint32_t seq, ack, seglen, window;
	uint8_t flags;
};

#define NO_SFR(f)	(!((f) & (F_SYN | F_FIN | F_RST)))

/* A side's first segment fixes its base: relative numbers start at 1. */
static void set_bases(struct flow *fwd, struct flow *rev, const struct tseg *g)
{
	if (!fwd->base_set) {
		fwd->base_seq = g->flags & F_SYN ? g->seq : g->seq - 1;
		fwd->base_set = true;
	}
	/* The other side's base, from the first ACK if its SYN was not seen. */
	if (!rev->base_set && (g->flags & F_ACK)) {
		rev->base_seq = g->ack - 1;
		rev->base_set = true;
	}
	if (g->flags & F_ACK)
		rev->bif_invalid = false;
}

/* Whether the segment repeats the sender's window, sequence and ACK, with no data. */
static bool same_as_last(const struct flow *fwd, const struct tseg *g)
{
	return g->seglen == 0 && g->window == fwd->window && g->seq == fwd->nextseq &&
	       g->ack == fwd->lastack && NO_SFR(g->flags);
}

/* The sender's side of Wireshark's checks, up to its finished_fwd: flags into *ta. */
static void check_fwd(struct flow *fwd, struct flow *rev, const struct tseg *g,
		      uint32_t *ta, struct kcap_tcp_ana *r)
{
	uint32_t seq = g->seq, seglen = g->seglen, window = g->window;

	/* One byte at the next sequence number into a closed window. */
	if (seglen == 1 && seq == fwd->nextseq && rev->window == 0) {
		*ta |= KCAP_TA_ZERO_WINDOW_PROBE;
		return;
	}
	if (window == 0 && NO_SFR(g->flags))
		*ta |= KCAP_TA_ZERO_WINDOW;
	/* Beyond the highest sequence number seen: a segment was missed. */
	if (fwd->nextseq && GT_SEQ(seq, fwd->nextseq) && !(g->flags & F_RST)) {
		*ta |= KCAP_TA_LOST_SEGMENT;
		fwd->bif_invalid = true;
	}
	/* Zero or one byte starting one before the next sequence number. */
	if (seglen <= 1 && seq == fwd->nextseq - 1 && NO_SFR(g->flags))
		*ta |= KCAP_TA_KEEP_ALIVE;
	if (seglen == 0 && window && window != fwd->window && seq == fwd->nextseq &&
	    g->ack == fwd->lastack && NO_SFR(g->flags))
		*ta |= KCAP_TA_WINDOW_UPDATE;
	/* Up to the right edge of the window the receiver advertised. */
	if (seglen > 0 && rev->win_scale != -1 && NO_SFR(g->flags)) {
		int sh = rev->is_first_ack || rev->win_scale == -2 ? 0 : rev->win_scale;

		if (seq + seglen == rev->lastack + (uint32_t)(rev->window << sh))
			*ta |= KCAP_TA_WINDOW_FULL;
	}
	if (window && same_as_last(fwd, g) && (rev->lastsegflags & KCAP_TA_KEEP_ALIVE)) {
		*ta |= KCAP_TA_KEEP_ALIVE_ACK;
		return;
	}
	if (window == 0 && same_as_last(fwd, g) &&
	    (rev->lastsegflags & KCAP_TA_ZERO_WINDOW_PROBE)) {
		*ta |= KCAP_TA_ZERO_WINDOW_PROBE_ACK;
		return;
	}
	/* Same window, sequence and ACK as before, no data. */
	if (window && same_as_last(fwd, g)) {
		/* After an ACKed unseen segment the count starts again at 1. */
		fwd->dupacknum = fwd->dupacknum == DUPACK_LOST ? 1 : fwd->dupacknum + 1;
		*ta |= KCAP_TA_DUPLICATE_ACK;
		r->dupack_num = fwd->dupacknum;
		r->dupack_frame = fwd->lastnondupack;
	}
}

/* ACKs data the other side was not seen to send: true if so. */
static bool check_ack_lost(struct flow *rev, const struct tseg *g, uint32_t *ta)
{
	if (!rev->maxseqtobeacked || !GT_SEQ(g->ack, rev->maxseqtobeacked) ||
	    !(g->flags & F_ACK))
		return false;
	/*
	 * tshark 4.0's rule, as its output on the tests' captures shows
	 * it: a hole behind the other side's highest segment is said
	 * and closed; with no hole, once until that side ACKs again
	 * (its dup-ACK count then reads "many", which also lets the
	 * next segment it is asked for be a fast retransmission).
	 */
	if (rev->maxseqtobeacked < rev->nextseq) {
		rev->maxseqtobeacked = rev->nextseq;
		*ta |= KCAP_TA_ACK_LOST_SEGMENT;
	} else {
		if (rev->dupacknum == 0)
			*ta |= KCAP_TA_ACK_LOST_SEGMENT;
		rev->dupacknum = DUPACK_LOST;
	}
	return true;
}

/* Data (or SYN/FIN) that does not advance the sequence number: which kind. */
static void check_retrans(const struct stream *st, const struct flow *fwd,
			  const struct flow *rev, const struct tseg *g, uint32_t *ta,
			  struct kcap_tcp_ana *r)
{
	uint32_t seq = g->seq, seglen = g->seglen;
	bool not_adv = fwd->nextseq && LT_SEQ(seq, fwd->nextseq);
	const struct seg *u;
	uint64_t t, thres;

	if (*ta & KCAP_TA_KEEP_ALIVE)
		return;
	/* New data after a possible zero window probe is not a retransmission. */
	if (seglen > 1 && fwd->nextseq - 1 == seq)
		not_adv = false;
	/* Entirely below what the other side ACKed already. */
	if (seglen > 0 && rev->lastack && LE_SEQ(seq + seglen, rev->lastack)) {
		*ta |= KCAP_TA_SPURIOUS_RETRANS;
		return;
	}
	/* Two duplicate ACKs asked for exactly this, within 20 ms. */
	t = g->ts - rev->lastacktime;
	if (not_adv && rev->dupacknum >= 2 && rev->lastack == seq && t < FAST_RT_NS) {
		*ta |= KCAP_TA_FAST_RETRANS;
		return;
	}
	/* Soon (within the handshake's RTT) after the highest segment. */
	t = g->ts - fwd->nextseqtime;
	thres = st->ts_first_rtt ? st->ts_first_rtt : OOO_NS;
	if (not_adv && t < thres &&
	    fwd->nextseq != seq + seglen + (g->flags & (F_SYN | F_FIN) ? 1 : 0)) {
		*ta |= KCAP_TA_OUT_OF_ORDER;
		return;
	}
	if (!not_adv)
		return;
	*ta |= KCAP_TA_RETRANSMISSION;
	r->rto_ns = (int64_t)(g->ts - fwd->nextseqtime);
	r->rto_frame = fwd->nextseqframe;
	/* Better: the oldest segment still unacked. */
	for (u = fwd->segs; u; u = u->next) {
		r->rto_ns = (int64_t)(g->ts - u->ts);
		r->rto_frame = u->frame;
	}
}

/* The segment's end, kept until it is ACKed (if there is room), and the sender's state. */
static void record_fwd(struct kcap_analysis *a, struct flow *fwd, const struct tseg *g,
		       uint32_t ta)
{
	uint32_t nextseq = g->seq + g->seglen;
	struct seg *u;

	if ((g->seglen || (g->flags & (F_SYN | F_FIN))) && fwd->nsegs < MAX_UNACKED) {
		u = seg_get(a);
		if (u) {
			u->next = fwd->segs;
			fwd->segs = u;
			fwd->nsegs++;
			u->frame = g->frame;
			u->seq = g->seq;
			u->ts = g->ts;
			/* SYN and FIN count as one byte each. */
			if (g->flags & (F_SYN | F_FIN))
				nextseq += 1;
			u->nextseq = nextseq;
		} else {
			a->oom = true;
		}
	}
	/* A zero window probe does not advance what is expected next. */
	if ((GT_SEQ(nextseq, fwd->nextseq) || !fwd->nextseq) &&
	    !(ta & KCAP_TA_ZERO_WINDOW_PROBE)) {
		fwd->nextseq = nextseq;
		fwd->nextseqframe = g->frame;
		fwd->nextseqtime = g->ts;
	}
	/* The highest contiguous sequence number, for ACKs of unseen data. */
	if ((g->seq == fwd->maxseqtobeacked || !fwd->maxseqtobeacked) &&
	    !(ta & KCAP_TA_ZERO_WINDOW_PROBE))
		fwd->maxseqtobeacked = fwd->nextseq;

	fwd->window = g->window;
	fwd->lastack = g->ack;
	fwd->lastacktime = g->ts;
	fwd->lastsegflags = ta;
}

/* Forget what this ACKs of the other side's segments; an exact match gives the RTT. */
static void forget_acked(struct kcap_analysis *a, struct flow *rev, const struct tseg *g,
			 struct kcap_tcp_ana *r)
{
	struct seg *u, **link = &rev->segs;

	while ((u = *link)) {
		if (g->ack == u->nextseq) {
			r->acks_frame = u->frame;
			r->ack_rtt_ns = (int64_t)(g->ts - u->ts);
			r->have_rtt = r->ack_rtt_ns != 0;
		} else if (GT_SEQ(g->ack, u->seq) && LE_SEQ(g->ack, u->nextseq)) {
			u->seq = g->ack;	/* partly ACKed: look at it again */
			continue;
		} else if (GT_SEQ(u->nextseq, g->ack)) {
			link = &u->next;
			continue;
		}
		*link = u->next;
		rev->nsegs--;
		seg_put(a, u);
	}
}

/* Wireshark's tcp_analyze_sequence_number(), on absolute numbers. */
static bool analyze(struct kcap_analysis *a, struct stream *st, int dir,
		    uint64_t frame, uint64_t ts, uint32_t seq, uint32_t ack,
		    uint32_t seglen, uint8_t flags, uint32_t window,
		    struct kcap_tcp_ana *r)
{
	const struct tseg g = {
		.frame = frame, .ts = ts, .seq = seq, .ack = ack, .seglen = seglen,
		.window = window, .flags = flags,
	};
	struct flow *fwd = &st->flow[dir], *rev = &st->flow[!dir];
	uint32_t ta = r->flags;
	bool tree;	/* tshark made its analysis record for this packet */

	set_bases(fwd, rev, &g);
	check_fwd(fwd, rev, &g, &ta, r);
	if (ack != fwd->lastack) {
		fwd->lastnondupack = frame;
		fwd->dupacknum = 0;
	}
	tree = check_ack_lost(rev, &g, &ta);
	if (seglen > 0 || (flags & (F_SYN | F_FIN)))
		check_retrans(st, fwd, rev, &g, &ta, r);
	record_fwd(a, fwd, &g, ta);
	forget_acked(a, rev, &g, r);
	r->flags = ta;
	/*
	 * tshark shows its analysis subtree (and the initial RTT in it) for a
	 * packet with flags, one that ACKs a segment or beyond what was seen,
	 * or data whose bytes in flight it could count.
	 */
	return tree || ta || r->acks_frame || (seglen && fwd->segs && !fwd->bif_invalid);
}

/*
 * A SYN or SYN-ACK decides whether window scaling is in use: both SYNs
 * must offer it, or neither side's windows are scaled (-2).
 */
static void verify_scaling(struct stream *st, int dir, bool synack)
{
	struct flow *fwd = &st->flow[dir], *rev = &st->flow[!dir];

	if (fwd->win_scale == -1) {
		fwd->win_scale = -2;
		rev->win_scale = -2;
	} else if (synack && rev->win_scale == -2) {
		fwd->win_scale = -2;
	}
}

void kcap_analysis_add_info(struct kcap_analysis *a, const struct kcap_packet *pkt,
			    const struct kcap_dec_info *I, struct kcap_tcp_ana *r)
{
	uint8_t fl = I->tcp_flags;
	bool tree = false;
	struct stream *st;
	struct flow *fwd;
	int dir = 0;

	memset(r, 0, sizeof(*r));
	r->win_scale = -1;
	/* Fragments are not TCP segments to tshark until reassembled. */
	if (!a || !I->have_tcp || !I->ipver || I->fragment)
		return;
	st = find(a, I, &dir);
	if (!st) {
		st = create(a, I);
		if (!st)
			return;
	} else if ((fl & (F_SYN | F_ACK)) == F_SYN && st->flow[dir].base_set) {
		if (I->seq != st->flow[dir].base_seq) {
			/* A SYN with a new initial sequence number: the ports are reused. */
			retire(a, st);
			st = create(a, I);
			if (!st)
				return;
			dir = 0;
			r->flags |= KCAP_TA_REUSED_PORTS;
		} else {
			/*
			 * The SYN again: what is expected next goes back to the
			 * end of what was seen contiguously (a RST may have
			 * carried the sequence number it was ACKed with).
			 */
			st->flow[dir].nextseq = st->flow[dir].maxseqtobeacked;
		}
	} else if ((fl & (F_SYN | F_ACK)) == (F_SYN | F_ACK) && st->flow[dir].base_set &&
		   I->seq != st->flow[dir].base_seq) {
		st->flow[dir].base_seq = I->seq;
		r->flags |= KCAP_TA_REUSED_PORTS;
	}
	fwd = &st->flow[dir];
	r->valid = true;
	r->stream = st->index;
	r->dir = dir;
	r->seglen = I->paylen;
	if (!I->tcp_short)
		tree = analyze(a, st, dir, pkt->number, pkt->ts_ns, I->seq, I->ack,
			       I->paylen, fl, I->window, r);
	r->bad_hlen = I->tcp_hlen < 20;

	r->seq = I->seq - fwd->base_seq;
	r->ack = fl & F_ACK ? I->ack - st->flow[!dir].base_seq : I->ack;
	r->nxtseq = r->seq + r->seglen + (fl & (F_SYN | F_FIN) ? 1 : 0);
	r->window = I->window;
	r->win_scale = fwd->win_scale;
	/* A SYN's window is never scaled. */
	if (!(fl & F_SYN) && fwd->win_scale >= 0)
		r->window = (uint64_t)I->window << fwd->win_scale;

	/* What the rest of the header teaches, for the packets after this one. */
	if (fl & F_SYN) {
		if (!(fl & F_ACK))
			st->ts_mru_syn = pkt->ts_ns;
		fwd->is_first_ack = true;
	}
	if ((fl & (F_SYN | F_ACK)) == F_ACK) {
		/* The handshake's last ACK gives the initial RTT. */
		if (st->ts_mru_syn && !st->ts_first_rtt)
			st->ts_first_rtt = pkt->ts_ns - st->ts_mru_syn;
		fwd->is_first_ack = false;
	}
	if (I->wscale >= 0)
		fwd->win_scale = I->wscale > 14 ? 14 : I->wscale;
	if (fl & F_SYN)
		verify_scaling(st, dir, fl & F_ACK);
	if (tree)
		r->irtt_ns = (int64_t)st->ts_first_rtt;
}

void kcap_analysis_add(struct kcap_analysis *a, const struct kcap_packet *pkt,
		       struct kcap_tcp_ana *r)
{
	struct kcap_dec_info I;

	kcap_decode_info(pkt, &I);
	kcap_analysis_add_info(a, pkt, &I, r);
}

static const struct {
	uint32_t flag;
	const char *name, *text, *message;
} flag_tab[KCAP_TA_NFLAGS] = {
	/* In the order tshark prepends them to its Info column. */
	{ KCAP_TA_REUSED_PORTS, "reused_ports", "TCP Port numbers reused",
	  "A new tcp session is started with the same ports as an earlier session in this trace" },
	{ KCAP_TA_RETRANSMISSION, "retransmission", "TCP Retransmission",
	  "This frame is a (suspected) retransmission" },
	{ KCAP_TA_FAST_RETRANS, "fast_retransmission", "TCP Fast Retransmission",
	  "This frame is a (suspected) fast retransmission" },
	{ KCAP_TA_SPURIOUS_RETRANS, "spurious_retransmission", "TCP Spurious Retransmission",
	  "This frame is a (suspected) spurious retransmission" },
	{ KCAP_TA_OUT_OF_ORDER, "out_of_order", "TCP Out-Of-Order",
	  "This frame is a (suspected) out-of-order segment" },
	{ KCAP_TA_LOST_SEGMENT, "lost_segment", "TCP Previous segment not captured",
	  "Previous segment(s) not captured (common at capture start)" },
	{ KCAP_TA_ACK_LOST_SEGMENT, "ack_lost_segment", "TCP ACKed unseen segment",
	  "ACKed segment that wasn't captured (common at capture start)" },
	{ KCAP_TA_WINDOW_UPDATE, "window_update", "TCP Window Update",
	  "TCP window update" },
	{ KCAP_TA_WINDOW_FULL, "window_full", "TCP Window Full",
	  "TCP window specified by the receiver is now completely full" },
	{ KCAP_TA_KEEP_ALIVE, "keep_alive", "TCP Keep-Alive", "TCP keep-alive segment" },
	{ KCAP_TA_KEEP_ALIVE_ACK, "keep_alive_ack", "TCP Keep-Alive ACK",
	  "ACK to a TCP keep-alive segment" },
	{ KCAP_TA_DUPLICATE_ACK, "duplicate_ack", "TCP Dup ACK", "Duplicate ACK" },
	{ KCAP_TA_ZERO_WINDOW_PROBE, "zero_window_probe", "TCP ZeroWindowProbe",
	  "TCP Zero Window Probe" },
	{ KCAP_TA_ZERO_WINDOW, "zero_window", "TCP ZeroWindow", "TCP Zero Window segment" },
	{ KCAP_TA_ZERO_WINDOW_PROBE_ACK, "zero_window_probe_ack", "TCP ZeroWindowProbeAck",
	  "ACK to a TCP Zero Window Probe" },
};

static int flag_index(uint32_t flag)
{
	int i;

	for (i = 0; i < KCAP_TA_NFLAGS; i++)
		if (flag_tab[i].flag == flag)
			return i;
	return -1;
}

const char *kcap_ta_flag_name(uint32_t flag)
{
	int i = flag_index(flag);

	return i < 0 ? NULL : flag_tab[i].name;
}

const char *kcap_ta_flag_text(uint32_t flag)
{
	int i = flag_index(flag);

	return i < 0 ? NULL : flag_tab[i].text;
}

/* Each tshark prepends, so the last in the table's order comes first. */
void kcap_ta_summary(char *buf, size_t len, const struct kcap_tcp_ana *r)
{
	size_t n = 0;
	int i, k;

	if (!len)
		return;
	buf[0] = '\0';
	for (i = KCAP_TA_NFLAGS - 1; i >= 0 && n < len; i--) {
		if (!(r->flags & flag_tab[i].flag))
			continue;
		if (flag_tab[i].flag == KCAP_TA_DUPLICATE_ACK)
			k = snprintf(buf + n, len - n, "%s[TCP Dup ACK %llu#%u]", n ? " " : "",
				     (unsigned long long)r->dupack_frame, r->dupack_num);
		else
			k = snprintf(buf + n, len - n, "%s[%s]", n ? " " : "", flag_tab[i].text);
		if (k < 0)
			break;
		n += (size_t)k;
	}
	if (n >= len)
		buf[len - 1] = '\0';
}

/*
 * The expert items tshark adds: a fast or spurious retransmission is a
 * retransmission as well (tcp.analysis.retransmission matches it).
 */
static uint32_t expert_flags(uint32_t f)
{
	if (f & (KCAP_TA_FAST_RETRANS | KCAP_TA_SPURIOUS_RETRANS))
		f |= KCAP_TA_RETRANSMISSION;
	return f;
}

/* The analysis as one more layer of the tree or the JSON object. */
void kdec_ana_emit(struct emit *e, const struct kcap_tcp_ana *r)
{
	char buf[64], jv[160];
	int i;

	if (!r || !r->valid || e->mode == EM_NONE)
		return;
	kdec_em_layer(e, "TCP analysis", "tcp_analysis");
	kdec_em_uint(e, "Stream index", "stream", r->stream, NULL, NULL);
	kdec_em_uint(e, "Relative Sequence", "seq", r->seq, NULL, NULL);
	kdec_em_uint(e, "Segment Length", "len", r->seglen, NULL, NULL);
	if (!r->bad_hlen) {
		kdec_em_uint(e, "Next Sequence", "nxtseq", r->nxtseq, NULL, NULL);
		kdec_em_uint(e, "Relative Ack", "ack", r->ack, NULL, NULL);
		kdec_em_uint(e, "Calculated Window", "window_size", r->window,
			r->win_scale == -1 ? "scaling unknown" :
			r->win_scale == -2 ? "no window scaling used" : NULL,
			"window_scaling");
	}
	if (r->irtt_ns) {
		kdec_fmt_ssecs(buf, sizeof(buf), r->irtt_ns);
		kdec_em_str(e, "Initial RTT", "initial_rtt", buf);
	}
	if (r->acks_frame) {
		kdec_em_uint(e, "ACKs segment in frame", "acks_frame", r->acks_frame, NULL, NULL);
		if (r->have_rtt) {
			kdec_fmt_ssecs(buf, sizeof(buf), r->ack_rtt_ns);
			kdec_em_str(e, "RTT to ACK", "ack_rtt", buf);
		}
	}
	if (r->flags & KCAP_TA_RETRANSMISSION && r->rto_ns) {
		kdec_fmt_ssecs(buf, sizeof(buf), r->rto_ns);
		kdec_em_str(e, "RTO", "rto", buf);
		kdec_em_uint(e, "RTO based on delta from frame", "rto_frame", r->rto_frame,
			NULL, NULL);
	}
	if (r->dupack_num) {
		kdec_em_uint(e, "Duplicate ACK #", "duplicate_ack_num", r->dupack_num, NULL, NULL);
		kdec_em_uint(e, "Duplicate to the ACK in frame", "duplicate_ack_frame",
			r->dupack_frame, NULL, NULL);
	}
	if (!r->flags)
		return;
	kdec_em_list(e, "Expert flags", "flags", "");
	for (i = 0; i < KCAP_TA_NFLAGS; i++) {
		if (!(expert_flags(r->flags) & flag_tab[i].flag))
			continue;
		snprintf(jv, sizeof(jv), "\"text\":\"%s\"", flag_tab[i].text);
		kdec_em_item(e, flag_tab[i].message, flag_tab[i].name, NULL, jv);
	}
	kdec_em_group_end(e);
}

/* ---- tshark -z expert: every event, then the counts ---- */

struct expert_arg {
	struct kcap_analysis *an;
	int fmt;
	FILE *out;
	uint64_t count[KCAP_TA_NFLAGS];
	uint64_t events;
};

static const char *severity(uint32_t flag)
{
	switch (flag) {
	case KCAP_TA_WINDOW_UPDATE:
	case KCAP_TA_KEEP_ALIVE_ACK:
	case KCAP_TA_ZERO_WINDOW_PROBE_ACK:
		return "Chat";
	case KCAP_TA_RETRANSMISSION:
	case KCAP_TA_FAST_RETRANS:
	case KCAP_TA_SPURIOUS_RETRANS:
	case KCAP_TA_DUPLICATE_ACK:
	case KCAP_TA_ZERO_WINDOW_PROBE:
	case KCAP_TA_KEEP_ALIVE:
	case KCAP_TA_REUSED_PORTS:
		return "Note";
	default:
		return "Warning";
	}
}

static int expert_cb(const struct kcap_packet *pkt, bool match, void *arg)
{
	struct expert_arg *x = arg;
	struct kcap_tcp_ana r;
	int i;

	kcap_analysis_add(x->an, pkt, &r);
	if (!match || !r.flags)
		return 0;
	for (i = 0; i < KCAP_TA_NFLAGS; i++) {
		const char *msg = flag_tab[i].message;
		char dup[64];

		if (!(expert_flags(r.flags) & flag_tab[i].flag))
			continue;
		x->count[i]++;
		if (flag_tab[i].flag == KCAP_TA_DUPLICATE_ACK) {
			snprintf(dup, sizeof(dup), "Duplicate ACK (#%u)", r.dupack_num);
			msg = dup;
		}
		if (x->fmt == KCAP_FMT_JSON) {
			fprintf(x->out, "%s{\"frame\":%llu,\"stream\":%u,\"severity\":\"%s\","
				"\"flag\":\"%s\",\"summary\":\"%s\"}",
				x->events ? ",\n" : "[\n", (unsigned long long)pkt->number,
				r.stream, severity(flag_tab[i].flag), flag_tab[i].name, msg);
		} else if (x->fmt == KCAP_FMT_CSV) {
			if (!x->events)
				fputs("frame,stream,severity,flag,summary\n", x->out);
			fprintf(x->out, "%llu,%u,%s,%s,\"%s\"\n", (unsigned long long)pkt->number,
				r.stream, severity(flag_tab[i].flag), flag_tab[i].name, msg);
		} else {
			if (!x->events)
				fprintf(x->out, "%8s %7s  %-8s %s\n", "Frame", "Stream",
					"Severity", "Summary");
			fprintf(x->out, "%8llu %7u  %-8s %s\n", (unsigned long long)pkt->number,
				r.stream, severity(flag_tab[i].flag), msg);
		}
		x->events++;
	}
	return 0;
}

int kcap_expert_file(const char *path, const char *filter, int fmt, FILE *out,
		     char *err, size_t errlen)
{
	struct expert_arg x = { .fmt = fmt, .out = out };
	bool opened;
	int ret, i;

	x.an = kcap_analysis_new();
	if (!x.an) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ret = kcap_decode_file_scan(path, filter, 0, expert_cb, &x, &opened, err, errlen);
	if (opened) {
		if (fmt == KCAP_FMT_JSON) {
			fputs(x.events ? "\n]\n" : "[]\n", out);
		} else if (fmt == KCAP_FMT_TEXT) {
			fprintf(out, "%s%llu expert events\n", x.events ? "\n" : "",
				(unsigned long long)x.events);
			for (i = 0; i < KCAP_TA_NFLAGS; i++)
				if (x.count[i])
					fprintf(out, "%8llu  %-8s %s\n", (unsigned long long)x.count[i],
						severity(flag_tab[i].flag), flag_tab[i].text);
		}
	}
	if (!ret && x.an->oom) {
		snprintf(err, errlen, "out of memory: the analysis is incomplete");
		ret = -1;
	}
	kcap_analysis_free(x.an);
	return ret;
}
