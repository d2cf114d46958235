// SPDX-License-Identifier: GPL-2.0
/*
 * Follow one TCP connection: packet by packet, as the pcap-analysis blog
 * prints it, or as the reassembled byte stream of both directions in
 * tshark's "-z follow,tcp,ascii|hex|raw" form; either as text, JSON or
 * CSV.
 *
 * The stream is named by its endpoints ("A:PORT-B:PORT", tshark's
 * "A:PORT,B:PORT") or by its tcp.stream index. Reassembly follows
 * tshark's rules so that the output is the same: data is placed in
 * sequence order, overlaps keep the bytes seen first, a gap the receiver
 * ACKs becomes "[N bytes missing in capture file]", and a gap nobody
 * ACKs holds back what comes after it.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "dec.h"

#define GT_SEQ(x, y)	((int32_t)((y) - (x)) < 0)
#define LT_SEQ(x, y)	((int32_t)((x) - (y)) < 0)
#define MAX_FRAGS	4096	/* out-of-order segments held per direction */

struct frag {
	struct frag *next;
	uint64_t frame;
	uint32_t seq, len;
	uint8_t data[];
};

struct kcap_follow {
	struct tcp_sel sel;	/* what to follow */
	/* How. */
	int fmt, payload;
	struct kcap_analysis *an;
	/* The packet table. */
	bool have_isn[2];
	uint32_t isn[2];
	int wscale[2];		/* -1 until that side's SYN; -2 SYN without it */
	bool have_first, started;
	uint64_t first_ns, first_no, last_no, last_ns, total, matched;
	/* The byte stream: node 0 sent the first packet followed. */
	bool have_node;
	int nver;
	uint8_t naddr[2][16];
	uint16_t nport[2];
	uint32_t seq[2];
	uint64_t written[2], pos[2], chunks;
	struct frag *frags[2];	/* in arrival order */
	unsigned int nfrags[2];
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

int kdec_tcp_sel_parse(struct tcp_sel *s, const char *spec)
{
	const char *sep;
	unsigned long long n;
	char *end;
	int va, vb;

	memset(s, 0, sizeof(*s));
	if (!spec || !*spec)
		return -1;
	if (spec[0] >= '0' && spec[0] <= '9' && !strpbrk(spec, ":.-,")) {
		n = strtoull(spec, &end, 10);
		if (*end || n > UINT32_MAX)
			return -1;
		s->by_stream = true;
		s->stream = (uint32_t)n;
		return 0;
	}
	sep = strchr(spec, ',');
	if (!sep)
		sep = strchr(spec, '-');
	if (!sep || parse_ep(spec, (size_t)(sep - spec), &va, s->a, &s->pa) ||
	    parse_ep(sep + 1, strlen(sep + 1), &vb, s->b, &s->pb) || va != vb)
		return -1;
	s->ver = va;
	s->have_ab = true;
	return 0;
}

static bool same_ep(int alen, const uint8_t *x, uint16_t px, const uint8_t *y, uint16_t py)
{
	return px == py && !memcmp(x, y, (size_t)alen);
}

/* Is this TCP packet the selected connection's, and from which side (0: A)? */
bool kdec_tcp_sel_match(struct tcp_sel *s, const struct kcap_dec_info *I,
		   const struct kcap_tcp_ana *r, int *dir)
{
	int alen;

	if (!I->have_tcp || !I->ipver)
		return false;
	if (s->by_stream) {
		if (!r->valid || r->stream != s->stream)
			return false;
		if (!s->have_ab) {
			/* A is the stream's first sender, as tcp.stream's node 0. */
			s->have_ab = true;
			s->ver = I->ipver;
			memcpy(s->a, I->src, 16);
			memcpy(s->b, I->dst, 16);
			s->pa = I->sport;
			s->pb = I->dport;
		}
	}
	if (I->ipver != s->ver)
		return false;
	alen = s->ver == 4 ? 4 : 16;
	if (same_ep(alen, I->src, I->sport, s->a, s->pa) &&
	    same_ep(alen, I->dst, I->dport, s->b, s->pb))
		*dir = 0;
	else if (same_ep(alen, I->src, I->sport, s->b, s->pb) &&
		 same_ep(alen, I->dst, I->dport, s->a, s->pa))
		*dir = 1;
	else
		return false;
	return true;
}

struct kcap_follow *kcap_follow_new_fmt(const char *spec, int fmt, int payload,
					char *err, size_t errlen)
{
	struct kcap_follow *f = calloc(1, sizeof(*f));

	if (!f) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (kdec_tcp_sel_parse(&f->sel, spec)) {
		snprintf(err, errlen,
			 "--follow: '%s' is not ADDR:PORT-ADDR:PORT or a stream number",
			 spec ? spec : "");
		free(f);
		return NULL;
	}
	f->an = kcap_analysis_new();
	if (!f->an) {
		snprintf(err, errlen, "out of memory");
		free(f);
		return NULL;
	}
	f->fmt = fmt;
	f->payload = payload;
	f->wscale[0] = f->wscale[1] = -1;
	return f;
}

struct kcap_follow *kcap_follow_new(const char *spec, char *err, size_t errlen)
{
	return kcap_follow_new_fmt(spec, KCAP_FMT_TEXT, KCAP_FOLLOW_TABLE, err, errlen);
}

void kcap_follow_free(struct kcap_follow *f)
{
	int d;

	if (!f)
		return;
	for (d = 0; d < 2; d++) {
		while (f->frags[d]) {
			struct frag *n = f->frags[d]->next;

			free(f->frags[d]);
			f->frags[d] = n;
		}
	}
	kcap_analysis_free(f->an);
	free(f);
}

/* ---- the packet table ---- */

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

static void table_start(struct kcap_follow *f, FILE *out)
{
	if (f->started)
		return;
	f->started = true;
	if (f->fmt == KCAP_FMT_CSV)
		fputs("frame,direction,time,flags,seq,ack,len,win,truncated\n", out);
	else if (f->fmt == KCAP_FMT_JSON)
		fputs("{\"packets\":[", out);
}

static void table_row(struct kcap_follow *f, const struct kcap_packet *pkt,
		      const struct kcap_dec_info *I, int dir, FILE *out)
{
	int other = !dir;
	uint64_t rel, win;
	uint32_t rseq, rack;
	char fl[9];

	if (!f->have_isn[dir]) {
		f->have_isn[dir] = true;
		f->isn[dir] = I->seq;
	}
	if (I->tcp_flags & KCAP_TCP_SYN)
		f->wscale[dir] = I->wscale >= 0 ? (I->wscale > 14 ? 14 : I->wscale) : -2;
	rseq = I->seq - f->isn[dir];
	if (!(I->tcp_flags & KCAP_TCP_ACK))
		rack = 0;
	else if (f->have_isn[other])
		rack = I->ack - f->isn[other];
	else
		rack = I->ack;
	win = I->window;
	/* RFC 7323: never scaled in a SYN; only if both SYNs offered it. */
	if (!(I->tcp_flags & KCAP_TCP_SYN) && f->wscale[0] >= 0 && f->wscale[1] >= 0)
		win <<= f->wscale[dir];
	rel = pkt->ts_ns >= f->first_ns ? pkt->ts_ns - f->first_ns : 0;
	flags_scapy(fl, I->tcp_flags);
	table_start(f, out);
	if (f->fmt == KCAP_FMT_CSV) {
		fprintf(out, "%llu,%s,%llu.%09llu,%s,%u,%u,%u,%llu,%d\n",
			(unsigned long long)pkt->number, dir ? "<--" : "-->",
			(unsigned long long)(rel / 1000000000u),
			(unsigned long long)(rel % 1000000000u), fl, rseq, rack, I->paylen,
			(unsigned long long)win, I->truncated);
	} else if (f->fmt == KCAP_FMT_JSON) {
		fprintf(out, "%s\n{\"frame\":%llu,\"direction\":\"%s\",\"time\":\"%llu.%09llu\","
			"\"flags\":\"%s\",\"seq\":%u,\"ack\":%u,\"len\":%u,\"win\":%llu,"
			"\"truncated\":%s}", f->matched > 1 ? "," : "",
			(unsigned long long)pkt->number, dir ? "<--" : "-->",
			(unsigned long long)(rel / 1000000000u),
			(unsigned long long)(rel % 1000000000u), fl, rseq, rack, I->paylen,
			(unsigned long long)win, I->truncated ? "true" : "false");
	} else {
		fprintf(out, "%s[%5llu]%3llu.%06llus flag=%-3s seq=%-9u ack=%-9u len=%-6u win=%llu%s\n",
			dir == 0 ? "-->" :
			"                                                                  <--",
			(unsigned long long)pkt->number,
			(unsigned long long)(rel / 1000000000u),
			(unsigned long long)(rel % 1000000000u / 1000u),
			fl, rseq, rack, I->paylen, (unsigned long long)win,
			I->truncated ? " [truncated]" : "");
	}
}

static const char *scaling_words(const struct kcap_follow *f)
{
	return f->wscale[0] >= 0 && f->wscale[1] >= 0 ? "negotiated, windows scaled" :
	       f->wscale[0] == -1 || f->wscale[1] == -1 ?
	       "handshake not seen, windows as on the wire" : "not negotiated";
}

static void table_end(struct kcap_follow *f, const char *name, FILE *out)
{
	char ts[48];

	if (f->fmt == KCAP_FMT_CSV) {
		table_start(f, out);
		return;
	}
	if (f->fmt == KCAP_FMT_JSON) {
		table_start(f, out);
		fprintf(out, "%s],\"file\":", f->matched ? "\n" : "");
		kdec_out_json_str(out, name ? name : "capture");
		fprintf(out, ",\"packets_total\":%llu,\"packets_matched\":%llu",
			(unsigned long long)f->total, (unsigned long long)f->matched);
		if (f->matched)
			fprintf(out, ",\"first_frame\":%llu,\"last_frame\":%llu,"
				"\"window_scaling\":\"%s\"", (unsigned long long)f->first_no,
				(unsigned long long)f->last_no, scaling_words(f));
		fputs("}\n", out);
		return;
	}
	fprintf(out, "%s contains %llu packets (%llu interesting)\n", name ? name : "capture",
		(unsigned long long)f->total, (unsigned long long)f->matched);
	if (!f->matched)
		return;
	kdec_fmt_time(ts, sizeof(ts), f->first_ns, true);
	fprintf(out, "First packet in connection: Packet #%llu %s\n",
		(unsigned long long)f->first_no, ts);
	kdec_fmt_time(ts, sizeof(ts), f->last_ns, true);
	fprintf(out, " Last packet in connection: Packet #%llu %s\n",
		(unsigned long long)f->last_no, ts);
	fprintf(out, "Window scaling: %s\n", scaling_words(f));
}

/* ---- the byte stream ---- */

static const char *mode_name(int payload)
{
	return payload == KCAP_FOLLOW_HEX ? "hex" : payload == KCAP_FOLLOW_RAW ? "raw" : "ascii";
}

static void node_name(char *buf, size_t len, const struct kcap_follow *f, int n)
{
	if (!f->have_node)
		snprintf(buf, len, ":0");
	else
		kdec_fmt_endpoint(buf, len, f->nver, f->naddr[n], f->nport[n]);
}

/* tshark's header: which stream, which filter selects it, which node is which. */
static void stream_header(struct kcap_follow *f, FILE *out)
{
	const struct tcp_sel *sl = &f->sel;
	char n0[64], n1[64], a[48], b[48];
	const char *ip = sl->ver == 6 ? "ipv6" : "ip";

	if (f->started)
		return;
	f->started = true;
	node_name(n0, sizeof(n0), f, 0);
	node_name(n1, sizeof(n1), f, 1);
	if (f->fmt == KCAP_FMT_CSV) {
		fputs("node,frame,len,data\n", out);
		return;
	}
	if (f->fmt == KCAP_FMT_JSON) {
		fprintf(out, "{\"follow\":\"tcp,%s\",\"node0\":", mode_name(f->payload));
		kdec_out_json_str(out, n0);
		fputs(",\"node1\":", out);
		kdec_out_json_str(out, n1);
		fputs(",\"chunks\":[", out);
		return;
	}
	fprintf(out, "\n===================================================================\n"
		"Follow: tcp,%s\n", mode_name(f->payload));
	if (sl->by_stream) {
		fprintf(out, "Filter: tcp.stream eq %u\n", sl->stream);
	} else {
		kdec_fmt_addr(a, sizeof(a), sl->ver, sl->a);
		kdec_fmt_addr(b, sizeof(b), sl->ver, sl->b);
		fprintf(out, "Filter: ((%s.src eq %s and tcp.srcport eq %u) and (%s.dst eq %s and "
			"tcp.dstport eq %u)) or ((%s.src eq %s and tcp.srcport eq %u) and "
			"(%s.dst eq %s and tcp.dstport eq %u))\n", ip, a, sl->pa, ip, b, sl->pb,
			ip, b, sl->pb, ip, a, sl->pa);
	}
	fprintf(out, "Node 0: %s\nNode 1: %s\n", n0, n1);
}

/* One placed piece of the stream, printed as tshark prints it. */
static void chunk(struct kcap_follow *f, int node, uint64_t frame, const uint8_t *d,
		  uint32_t len, FILE *out)
{
	static const char hx[] = "0123456789abcdef";
	uint32_t i, off;

	stream_header(f, out);
	if (f->fmt == KCAP_FMT_JSON || f->fmt == KCAP_FMT_CSV) {
		if (f->fmt == KCAP_FMT_JSON)
			fprintf(out, "%s\n{\"node\":%d,\"frame\":%llu,\"len\":%u,\"data\":\"",
				f->chunks ? "," : "", node, (unsigned long long)frame, len);
		else
			fprintf(out, "%d,%llu,%u,", node, (unsigned long long)frame, len);
		for (i = 0; i < len; i++) {
			fputc(hx[d[i] >> 4], out);
			fputc(hx[d[i] & 15], out);
		}
		fputs(f->fmt == KCAP_FMT_JSON ? "\"}" : "\n", out);
	} else if (f->payload == KCAP_FOLLOW_RAW) {
		if (node)
			fputc('\t', out);
		for (i = 0; i < len; i++) {
			fputc(hx[d[i] >> 4], out);
			fputc(hx[d[i] & 15], out);
		}
		fputc('\n', out);
	} else if (f->payload == KCAP_FOLLOW_HEX) {
		/* Offsets count each direction's bytes; the server's lines are indented. */
		for (off = 0; off < len; off += 16) {
			char line[100];
			int n = 0, k;

			if (node)
				line[n++] = '\t';
			n += snprintf(line + n, sizeof(line) - (size_t)n, "%08llX  ",
				      (unsigned long long)(f->pos[node] + off) & 0xffffffffu);
			for (k = 0; k < 16; k++) {
				if (off + (uint32_t)k < len) {
					line[n++] = hx[d[off + k] >> 4];
					line[n++] = hx[d[off + k] & 15];
					line[n++] = ' ';
				} else {
					memcpy(line + n, "   ", 3);
					n += 3;
				}
				if (k == 7)
					line[n++] = ' ';
			}
			line[n++] = ' ';
			for (k = 0; k < 16 && off + (uint32_t)k < len; k++) {
				uint8_t ch = d[off + k];

				if (k == 8)
					line[n++] = ' ';
				line[n++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '.';
			}
			line[n++] = '\n';
			fwrite(line, 1, (size_t)n, out);
		}
		f->pos[node] += len;
	} else {
		/* ASCII: the length, then the bytes, unprintable ones as '.'. */
		fprintf(out, "%s%u\n", node ? "\t" : "", len);
		for (i = 0; i < len; i++) {
			uint8_t ch = d[i];

			fputc(ch == '\n' || ch == '\r' || (ch >= 0x20 && ch < 0x7f) ?
			      (char)ch : '.', out);
		}
		fputc('\n', out);
	}
	f->chunks++;
}

static void frag_unlink(struct kcap_follow *f, int node, struct frag **link)
{
	struct frag *x = *link;

	*link = x->next;
	f->nfrags[node]--;
	free(x);
}

/*
 * Place the held segment that continues the stream, if any; or, when the
 * other side ACKed past the lowest held one, admit what was missed.
 */
static bool check_frags(struct kcap_follow *f, int node, uint32_t acked, uint64_t frame,
			bool use_ack, FILE *out)
{
	struct frag **link, *x;
	uint32_t lowest;
	char dummy[64];
	int n;

	if (!f->frags[node])
		return false;
	lowest = f->frags[node]->seq;
	for (link = &f->frags[node]; (x = *link); link = &x->next) {
		if (GT_SEQ(lowest, x->seq))
			lowest = x->seq;
		if (LT_SEQ(x->seq, f->seq[node])) {
			uint32_t newseq = x->seq + x->len;

			if (GT_SEQ(newseq, f->seq[node])) {
				uint32_t at = f->seq[node] - x->seq;

				if (x->len > at)
					chunk(f, node, x->frame, x->data + at, x->len - at, out);
				f->seq[node] += x->len - at;
			}
			frag_unlink(f, node, link);
			return true;
		}
		if (x->seq == f->seq[node]) {
			if (x->len)
				chunk(f, node, x->frame, x->data, x->len, out);
			f->seq[node] += x->len;
			frag_unlink(f, node, link);
			return true;
		}
	}
	if (use_ack && GT_SEQ(acked, lowest)) {
		/* tshark's words, and its terminating NUL as part of the chunk. */
		n = snprintf(dummy, sizeof(dummy), "[%d bytes missing in capture file]",
			     (int32_t)(lowest - f->seq[node]));
		chunk(f, node, frame, (const uint8_t *)dummy, (uint32_t)n + 1, out);
		f->seq[node] = lowest;
		return true;
	}
	return false;
}

static void stream_packet(struct kcap_follow *f, const struct kcap_packet *pkt,
			  const struct kcap_dec_info *I, const struct kcap_tcp_ana *r,
			  FILE *out)
{
	int alen = I->ipver == 4 ? 4 : 16, node;
	uint32_t seq = r->seq, length = r->seglen, dlen = I->paycap, off = 0;
	const uint8_t *d = pkt->data + I->payoff;

	if (!f->have_node) {
		f->have_node = true;
		f->nver = I->ipver;
		memcpy(f->naddr[0], I->src, 16);
		memcpy(f->naddr[1], I->dst, 16);
		f->nport[0] = I->sport;
		f->nport[1] = I->dport;
	}
	stream_header(f, out);
	if (I->tcp_short)
		return;
	node = same_ep(alen, I->src, I->sport, f->naddr[0], f->nport[0]) ? 0 : 1;
	if (I->payoff > pkt->caplen || dlen > pkt->caplen - I->payoff)
		dlen = 0;
	/* An ACK from this side may admit a gap in the other's stream. */
	while (check_frags(f, !node, r->ack, pkt->number, true, out))
		;
	if (f->written[node] == 0 && f->seq[node] == 0)
		f->seq[node] = seq;
	if (LT_SEQ(seq, f->seq[node])) {
		uint32_t nextseq = seq + length;

		/* Seen before, but perhaps with more now: keep only the new part. */
		if (GT_SEQ(nextseq, f->seq[node])) {
			off = f->seq[node] - seq;
			dlen = dlen <= off ? 0 : dlen - off;
			seq = f->seq[node];
			length = nextseq - f->seq[node];
		}
	}
	if (dlen == 0 || LT_SEQ(seq, f->seq[node]))
		return;
	if (seq == f->seq[node]) {
		f->seq[node] += length;
		f->written[node] += dlen;
		chunk(f, node, pkt->number, d + off, dlen, out);
		while (check_frags(f, node, 0, pkt->number, false, out))
			;
	} else if (f->nfrags[node] < MAX_FRAGS) {
		struct frag *x = malloc(sizeof(*x) + dlen), **link;

		if (!x)
			return;
		x->next = NULL;
		x->frame = pkt->number;
		x->seq = seq;
		x->len = dlen;
		memcpy(x->data, d + off, dlen);
		for (link = &f->frags[node]; *link; link = &(*link)->next)
			;
		*link = x;
		f->nfrags[node]++;
	}
}

void kcap_follow_scan(struct kcap_follow *f, const struct kcap_packet *pkt, bool match,
		      FILE *out)
{
	struct kcap_dec_info I;
	struct kcap_tcp_ana r;
	int dir;

	kcap_decode_info(pkt, &I);
	kcap_analysis_add_info(f->an, pkt, &I, &r);
	if (!match)
		return;
	f->total++;
	if (!kdec_tcp_sel_match(&f->sel, &I, &r, &dir))
		return;
	f->matched++;
	if (!f->have_first) {
		f->have_first = true;
		f->first_ns = pkt->ts_ns;
		f->first_no = pkt->number;
	}
	f->last_no = pkt->number;
	f->last_ns = pkt->ts_ns;
	if (f->payload == KCAP_FOLLOW_TABLE)
		table_row(f, pkt, &I, dir, out);
	else if (r.valid)
		stream_packet(f, pkt, &I, &r, out);
}

void kcap_follow_add(struct kcap_follow *f, const struct kcap_packet *pkt, FILE *out)
{
	kcap_follow_scan(f, pkt, true, out);
}

void kcap_follow_end(struct kcap_follow *f, const char *name, FILE *out)
{
	if (f->payload == KCAP_FOLLOW_TABLE) {
		table_end(f, name, out);
		return;
	}
	stream_header(f, out);
	if (f->fmt == KCAP_FMT_JSON)
		fprintf(out, "%s]}\n", f->chunks ? "\n" : "");
	else if (f->fmt == KCAP_FMT_TEXT)
		fputs("===================================================================\n", out);
}

struct follow_arg {
	struct kcap_follow *f;
	FILE *out;
};

static int follow_cb(const struct kcap_packet *pkt, bool match, void *arg)
{
	struct follow_arg *a = arg;

	kcap_follow_scan(a->f, pkt, match, a->out);
	return ferror(a->out) ? 1 : 0;
}

int kcap_follow_file_fmt(const char *path, const char *filter, const char *spec,
			 int fmt, int payload, FILE *out, char *err, size_t errlen)
{
	struct follow_arg a = { kcap_follow_new_fmt(spec, fmt, payload, err, errlen), out };
	const char *base;
	bool opened;
	int ret;

	if (!a.f)
		return -1;
	ret = kcap_decode_file_scan(path, filter, 0, follow_cb, &a, &opened, err, errlen);
	base = strrchr(path, '/');
	/* A file cut short still gets what was read, then the error. */
	if (opened)
		kcap_follow_end(a.f, base ? base + 1 : path, out);
	kcap_follow_free(a.f);
	return ret;
}

int kcap_follow_file(const char *path, const char *filter, const char *spec,
		     FILE *out, char *err, size_t errlen)
{
	return kcap_follow_file_fmt(path, filter, spec, KCAP_FMT_TEXT, KCAP_FOLLOW_TABLE,
				    out, err, errlen);
}
