// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4 (options, fragments, header checksum) and IPv6 (extension headers:
 * hop-by-hop, routing, fragment, destination options, AH, ESP).
 */
#include <stdio.h>
#include <string.h>

#include "dec.h"

#define MAX_EXT		16	/* extension headers followed before giving up */

static const struct kdec_tok ip_proto_names[] = {
	{ 0, "IPv6 Hop-by-Hop" }, { 1, "ICMP" }, { 2, "IGMP" }, { 4, "IPIP" },
	{ 6, "TCP" }, { 17, "UDP" }, { 41, "IPv6" }, { 43, "IPv6 Routing" },
	{ 44, "IPv6 Fragment" }, { 47, "GRE" }, { 50, "ESP" }, { 51, "AH" },
	{ 58, "ICMPv6" }, { 59, "IPv6 No Next Header" },
	{ 60, "IPv6 Destination Options" }, { 89, "OSPF" }, { 103, "PIM" },
	{ 112, "VRRP" }, { 132, "SCTP" }, { 136, "UDPLite" }, { 0, NULL },
};

const char *kdec_ip_proto_name(uint8_t p)
{
	return kdec_tok(ip_proto_names, p);
}

/* Sum over pseudo header and segment; 0 means the checksum is correct. */
uint16_t kdec_l4_checksum(const struct l3info *l3, uint8_t proto, const uint8_t *p,
		     uint32_t len)
{
	uint32_t sum = kcap_csum_pseudo(l3->src, l3->dst, l3->ver == 4 ? 4 : 16,
					proto, len);

	return kcap_csum_fold(kcap_csum_add(sum, p, len));
}

static const char *const ecn_name[4] = { "Not-ECT", "ECT(1)", "ECT(0)", "CE" };

static const struct kdec_tok dscp_names[] = {
	{ 10, "AF11" }, { 12, "AF12" }, { 14, "AF13" }, { 18, "AF21" }, { 20, "AF22" },
	{ 22, "AF23" }, { 26, "AF31" }, { 28, "AF32" }, { 30, "AF33" }, { 34, "AF41" },
	{ 36, "AF42" }, { 38, "AF43" }, { 44, "VOICE-ADMIT" }, { 46, "EF" }, { 0, NULL },
};

static const char *dscp_name(unsigned int d)
{
	static const char *const cs[8] = {
		"CS0, default", "CS1", "CS2", "CS3", "CS4", "CS5", "CS6", "CS7",
	};

	if ((d & 7) == 0)
		return cs[d >> 3];
	return kdec_tok(dscp_names, d);
}

void kdec_dscp_ecn(struct emit *e, uint8_t tos)
{
	kdec_em_sub(e, "DSCP", "dscp", tos >> 2, dscp_name(tos >> 2), "dscp_name");
	kdec_em_sub(e, "ECN", "ecn", tos & 3, ecn_name[tos & 3], "ecn_name");
	kdec_em_group_end(e);
}

static const char *const bytes_str[16] = {
	"0 bytes", "4 bytes", "8 bytes", "12 bytes", "16 bytes", "20 bytes",
	"24 bytes", "28 bytes", "32 bytes", "36 bytes", "40 bytes", "44 bytes",
	"48 bytes", "52 bytes", "56 bytes", "60 bytes",
};

enum opt_step kdec_opt_next(struct cur *o, uint8_t *kind, uint8_t *len, struct cur *body)
{
	GET_U8(o, *kind);
	if (*kind == 0)
		return OPT_END;
	if (*kind == 1)
		return OPT_NOP;
	GET_U8(o, *len);
	if (*len < 2)
		return OPT_SHORT;
	if (!cur_have(o, *len - 2u))
		return OPT_CUT;
	*body = cur_take(o, *len - 2u);
	return OPT_BODY;
trunc:
	return OPT_CUT;
}

void kdec_opt_end(struct emit *e, const struct cur *o, uint32_t want)
{
	kdec_em_group_end(e);
	if (o->len < want)
		kdec_em_trunc(e);
}

static const struct kdec_tok ip4_opt_names[] = {
	{ 0, "End of Option List" }, { 1, "No-Operation" }, { 7, "Record Route" },
	{ 68, "Timestamp" }, { 130, "Security" }, { 131, "Loose Source Route" },
	{ 137, "Strict Source Route" }, { 136, "Stream ID" }, { 148, "Router Alert" },
	{ 0, NULL },
};

/* Options inside the header, bounded by IHL. */
static void ip4_options(struct emit *e, struct cur *o, uint32_t want)
{
	char tv[160], jv[200], name[40];

	kdec_em_list(e, "Options", "options", bytes_str[(want / 4) & 15]);
	while (cur_left(o)) {
		enum opt_step step;
		uint8_t t, len;
		const char *n;
		struct cur b;

		step = kdec_opt_next(o, &t, &len, &b);
		if (step == OPT_CUT)
			goto trunc;
		n = kdec_tok(ip4_opt_names, t);
		if (!n) {
			snprintf(name, sizeof(name), "Option %u", t);
			n = name;
		}
		if (step == OPT_END) {
			kdec_em_item(e, n, "eol", NULL, NULL);
			break;
		}
		if (step == OPT_NOP) {
			kdec_em_item(e, n, "nop", NULL, NULL);
			continue;
		}
		if (step == OPT_SHORT) {
			kdec_em_malformed(e, "IPv4 option length < 2");
			return;
		}
		tv[0] = jv[0] = '\0';
		if ((t == 7 || t == 131 || t == 137) && len >= 3) {
			uint8_t ptr, a[4];
			size_t tn, jn;
			char ab[16];

			GET_U8(&b, ptr);
			tn = (size_t)snprintf(tv, sizeof(tv), "length %u, pointer %u", len, ptr);
			jn = (size_t)snprintf(jv, sizeof(jv), "\"type\":%u,\"len\":%u,\"pointer\":%u,\"addrs\":[",
					      t, len, ptr);
			while (cur_have(&b, 4) && tn < sizeof(tv) - 20 && jn < sizeof(jv) - 20) {
				GET_BYTES(&b, a, 4);
				kdec_fmt_ip4(ab, a);
				tn += (size_t)snprintf(tv + tn, sizeof(tv) - tn, " %s", ab);
				jn += (size_t)snprintf(jv + jn, sizeof(jv) - jn, "%s\"%s\"",
						       jv[jn - 1] == '[' ? "" : ",", ab);
			}
			snprintf(jv + jn, sizeof(jv) - jn, "]");
		} else if (t == 148 && len == 4) {
			uint16_t v;

			GET_BE16(&b, v);
			snprintf(tv, sizeof(tv), "%u", v);
			snprintf(jv, sizeof(jv), "\"type\":%u,\"len\":4,\"value\":%u", t, v);
		} else {
			snprintf(tv, sizeof(tv), "type %u (copied %u, class %u, number %u), length %u",
				 t, t >> 7, (t >> 5) & 3, t & 31, len);
			snprintf(jv, sizeof(jv), "\"type\":%u,\"len\":%u", t, len);
		}
		kdec_em_item(e, n, "option", tv, jv);
	}
	kdec_opt_end(e, o, want);
	return;
trunc:
	kdec_em_trunc(e);
}

/*
 * An IP header inside a tunnel: what the outer layers said about ports and
 * transport is not this packet's; the innermost header is the one kept.
 */
static void inner_ip(struct kcap_dec_info *I)
{
	if (!I->ipver)
		return;
	if (I->encap < 255)
		I->encap++;
	I->have_l4 = I->fragment = I->have_ports = I->have_tcp = I->have_icmp = false;
	I->frag_off = I->paylen = I->payoff = I->paycap = 0;
	I->have_ipid = false;
	I->tcp_hlen = 0;
	I->tcp_short = I->l4_bogus = false;
	I->wscale = -1;
}

/*
 * The source and destination addresses, 4 or 16 bytes each by ver, into
 * src and dst and the packet's facts; false (the packet marked cut) if
 * they are not there.
 */
static bool ip_addrs(struct emit *e, struct cur *c, int ver, uint8_t *src, uint8_t *dst)
{
	struct kcap_dec_info *I = e->info;
	uint32_t n = ver == 4 ? 4 : 16;
	char buf[48];

	GET_BYTES(c, src, n);
	(ver == 4 ? kdec_fmt_ip4 : kdec_fmt_ip6)(buf, src);
	kdec_em_str(e, "Source Address", "src", buf);
	GET_BYTES(c, dst, n);
	(ver == 4 ? kdec_fmt_ip4 : kdec_fmt_ip6)(buf, dst);
	kdec_em_str(e, "Destination Address", "dst", buf);
	I->ipver = (uint8_t)ver;
	memcpy(I->src, src, n);
	memcpy(I->dst, dst, n);
	return true;
trunc:
	kdec_em_trunc(e);
	return false;
}

void kdec_ipv4(struct emit *e, struct cur *c)
{
	struct kcap_dec_info *I = e->info;
	uint8_t vihl, tos, ttl, proto;
	uint16_t tot, id, fo, sum;
	uint8_t src[4], dst[4];
	uint32_t hlen, start = c->off, tso;
	const char *fl;
	struct l3info l3;

	kdec_em_layer(e, "IPv4", "ipv4");
	inner_ip(I);
	GET_U8(c, vihl);
	kdec_em_uint(e, "Version", "version", vihl >> 4, NULL, NULL);
	if (vihl >> 4 != 4) {
		kdec_em_malformed(e, "IP version is not 4");
		return;
	}
	hlen = (vihl & 15) * 4u;
	kdec_em_uint(e, "Header Length", "ihl", vihl & 15, bytes_str[vihl & 15], NULL);
	if (hlen < 20) {
		kdec_em_malformed(e, "IHL < 5");
		return;
	}
	GET_U8(c, tos);
	kdec_em_group(e, "TOS", "tos", tos, 2, NULL);
	kdec_dscp_ecn(e, tos);
	GET_BE16(c, tot);
	if (tot == 0) {
		/*
		 * Segmentation offload (TSO, BIG TCP) hands the capture a
		 * datagram larger than the field: as Wireshark, take the
		 * length the frame gives it.
		 */
		uint32_t rep = reported_left(e, c) + 4;

		tso = rep > 0xffffffu ? 0xffffffu : rep;
		kdec_em_uint(e, "Total Length", "len", tso,
			"reported as 0, presumed segmentation offload (TSO)", "len_note");
	} else {
		tso = tot;
		kdec_em_uint(e, "Total Length", "len", tot, NULL, NULL);
	}
	GET_BE16(c, id);
	kdec_em_hex(e, "Identification", "id", id, 4, NULL, NULL);
	GET_BE16(c, fo);
	fl = (fo & 0x6000) == 0x6000 ? "DF, MF" : fo & 0x4000 ? "DF" :
	     fo & 0x2000 ? "MF" : NULL;
	kdec_em_group(e, "Flags", "flags", fo >> 13, 1, fl);
	kdec_em_sub(e, "rb", "rb", (fo >> 15) & 1, NULL, NULL);
	kdec_em_sub(e, "df", "df", (fo >> 14) & 1, NULL, NULL);
	kdec_em_sub(e, "mf", "mf", (fo >> 13) & 1, NULL, NULL);
	kdec_em_group_end(e);
	kdec_em_uint(e, "Fragment Offset", "frag_offset", (fo & 0x1fffu) * 8u,
		NULL, NULL);
	GET_U8(c, ttl);
	kdec_em_uint(e, "TTL", "ttl", ttl, NULL, NULL);
	GET_U8(c, proto);
	kdec_em_uint(e, "Protocol", "proto", proto, kdec_ip_proto_name(proto), "proto_name");
	GET_BE16(c, sum);
	if (e->mode != EM_NONE) {
		const char *v = "unverified, header not captured";

		if (hlen <= c->len - start)
			v = kcap_csum_fold(kcap_csum_add(0, c->p + start, hlen)) == 0 ?
			    "correct" : "incorrect";
		kdec_em_hex(e, "Header Checksum", "csum", sum, 4, v, "csum_status");
	}
	if (!ip_addrs(e, c, 4, src, dst))
		return;
	I->l4proto = proto;
	I->have_l4 = true;
	I->have_ipid = true;
	I->ipid = id;
	if (tso < hlen) {
		kdec_em_malformed(e, "total length < header length");
		return;
	}
	if (hlen > 20) {
		struct cur o = cur_take(c, hlen - 20);

		ip4_options(e, &o, hlen - 20);
		if (o.len < hlen - 20)
			return;
	}
	/* The IP length, not the frame, ends the datagram: Ethernet pads. */
	cur_limit(c, tso - hlen);
	l3.ver = 4;
	l3.src = src;
	l3.dst = dst;
	l3.l4len = tso - hlen;
	l3.whole = !(fo & 0x3fff);
	if (fo & 0x1fff) {
		I->fragment = true;
		I->frag_off = (fo & 0x1fffu) * 8u;
		I->paylen = tso - hlen;
		kdec_payload(e, c, tso - hlen, "Fragment Data");
		return;
	}
	if (fo & 0x2000)
		I->fragment = true;
	kdec_l4(e, c, proto, &l3);
	return;
trunc:
	kdec_em_trunc(e);
}

static const struct kdec_tok ip6_opt_names[] = {
	{ 0, "Pad1" }, { 1, "PadN" }, { 4, "Tunnel Encap Limit" }, { 5, "Router Alert" },
	{ 0xc2, "Jumbo Payload" }, { 0xc9, "Home Address" }, { 0, NULL },
};

/* The TLV options of hop-by-hop and destination options headers. */
static void ip6_tlv_options(struct emit *e, struct cur *o, uint32_t *jumbo)
{
	char tv[96], jv[96], name[24];

	kdec_em_list(e, "Options", "options", "");
	while (cur_left(o)) {
		uint8_t t, len;
		const char *n;

		GET_U8(o, t);
		n = kdec_tok(ip6_opt_names, t);
		if (!n) {
			snprintf(name, sizeof(name), "Option 0x%02x", t);
			n = name;
		}
		if (t == 0) {
			kdec_em_item(e, n, "pad1", NULL, NULL);
			continue;
		}
		GET_U8(o, len);
		if (!cur_have(o, len))
			goto trunc;
		if (t == 5 && len == 2) {
			uint16_t v;

			GET_BE16(o, v);
			snprintf(tv, sizeof(tv), "%u%s", v, v == 0 ? " (MLD)" : "");
			snprintf(jv, sizeof(jv), "\"type\":5,\"value\":%u", v);
		} else if (t == 0xc2 && len == 4) {
			uint32_t v;

			GET_BE32(o, v);
			snprintf(tv, sizeof(tv), "payload length %u", v);
			snprintf(jv, sizeof(jv), "\"type\":194,\"value\":%u", v);
			*jumbo = v;
		} else {
			SKIP(o, len);
			snprintf(tv, sizeof(tv), "type 0x%02x (action %u%s), length %u",
				 t, t >> 6, t & 0x20 ? ", may change" : "", len);
			snprintf(jv, sizeof(jv), "\"type\":%u,\"len\":%u", t, len);
		}
		kdec_em_item(e, n, t == 1 ? "padn" : "option", tv, jv);
	}
	kdec_em_group_end(e);
	return;
trunc:
	kdec_em_trunc(e);
}

/*
 * An extension header's next header and length, in 8-byte units past the
 * first 8 (AH's: 4-byte units past 8); 0 (the packet marked cut) if cut.
 */
static uint32_t ext_head(struct emit *e, struct cur *c, uint8_t *nh, bool ah)
{
	uint32_t hlen;
	uint8_t len;

	GET_U8(c, *nh);
	GET_U8(c, len);
	hlen = ah ? (len + 2u) * 4u : (len + 1u) * 8u;
	kdec_em_uint(e, "Next Header", "next_header", *nh, kdec_ip_proto_name(*nh),
		"next_header_name");
	kdec_em_uint(e, "Header Length", "hdr_len", hlen, "bytes", NULL);
	return hlen;
trunc:
	kdec_em_trunc(e);
	return 0;
}

/* An extension header's length, or -1 (the packet marked cut) if its body b was short of want. */
static int ext_end(struct emit *e, const struct cur *b, uint32_t want, uint32_t hlen)
{
	if (b->len < want) {
		kdec_em_trunc(e);
		return -1;
	}
	return (int)hlen;
}

static int ip6_routing(struct emit *e, struct cur *c, uint8_t *nh)
{
	uint8_t type, left, a[16];
	uint32_t hlen = ext_head(e, c, nh, false);
	struct cur b;
	char buf[48], jv[64];

	if (!hlen)
		return -1;
	GET_U8(c, type);
	kdec_em_uint(e, "Routing Type", "type", type, type == 0 ? "source route (deprecated)" :
		type == 2 ? "type 2 (mobility)" : type == 3 ? "RPL" :
		type == 4 ? "segment routing" : NULL, "type_name");
	GET_U8(c, left);
	kdec_em_uint(e, "Segments Left", "segments_left", left, NULL, NULL);
	b = cur_take(c, hlen - 4);
	if (type == 0 || type == 2 || type == 4) {
		SKIP(&b, 4);	/* reserved, or SRH last entry/flags/tag */
		kdec_em_list(e, "Addresses", "addresses", "");
		while (cur_left(&b) >= 16) {
			GET_BYTES(&b, a, 16);
			kdec_fmt_ip6(buf, a);
			snprintf(jv, sizeof(jv), "\"addr\":\"%s\"", buf);
			kdec_em_item(e, "Address", "addr", buf, jv);
		}
		kdec_em_group_end(e);
	}
	return ext_end(e, &b, hlen - 4, hlen);
trunc:
	kdec_em_trunc(e);
	return -1;
}

static int ip6_tlv_hdr(struct emit *e, struct cur *c, uint8_t *nh, uint32_t *jumbo)
{
	uint32_t hlen = ext_head(e, c, nh, false);
	struct cur o;

	if (!hlen)
		return -1;
	o = cur_take(c, hlen - 2);
	ip6_tlv_options(e, &o, jumbo);
	return ext_end(e, &o, hlen - 2, hlen);
}

static int ip6_ah(struct emit *e, struct cur *c, uint8_t *nh)
{
	uint32_t hlen = ext_head(e, c, nh, true), spi, seq;

	if (!hlen)
		return -1;
	SKIP(c, 2);
	GET_BE32(c, spi);
	kdec_em_hex(e, "SPI", "spi", spi, 8, NULL, NULL);
	GET_BE32(c, seq);
	kdec_em_uint(e, "Sequence Number", "seq", seq, NULL, NULL);
	if (hlen < 12) {
		kdec_em_malformed(e, "AH length < 12");
		return -1;
	}
	kdec_em_uint(e, "ICV Length", "icv_len", hlen - 12, NULL, NULL);
	SKIP(c, hlen - 12);
	return (int)hlen;
trunc:
	kdec_em_trunc(e);
	return -1;
}

/* The fixed header up to the addresses; false if the packet ends there. */
static bool ip6_fixed(struct emit *e, struct cur *c, uint16_t *plen, uint8_t *nh,
		      uint8_t *src, uint8_t *dst)
{
	uint8_t hlim;
	uint32_t w;

	GET_BE32(c, w);
	kdec_em_uint(e, "Version", "version", w >> 28, NULL, NULL);
	if (w >> 28 != 6) {
		kdec_em_malformed(e, "IP version is not 6");
		return false;
	}
	kdec_em_group(e, "Traffic Class", "tclass", (w >> 20) & 0xff, 2, NULL);
	kdec_dscp_ecn(e, (uint8_t)(w >> 20));
	kdec_em_hex(e, "Flow Label", "flow", w & 0xfffff, 5, NULL, NULL);
	GET_BE16(c, *plen);
	kdec_em_uint(e, "Payload Length", "plen", *plen, NULL, NULL);
	GET_U8(c, *nh);
	kdec_em_uint(e, "Next Header", "next_header", *nh, kdec_ip_proto_name(*nh),
		"next_header_name");
	GET_U8(c, hlim);
	kdec_em_uint(e, "Hop Limit", "hlim", hlim, NULL, NULL);
	return ip_addrs(e, c, 6, src, dst);
trunc:
	kdec_em_trunc(e);
	return false;
}

/*
 * The walk over the extension headers. RFC 2675: a zero payload length
 * and a hop-by-hop header may mean a jumbogram, whose length is in that
 * header's Jumbo Payload option: the limit waits until it has been read.
 */
struct ip6_walk {
	uint32_t rest;		/* bytes of the payload not yet walked */
	uint32_t jumbo;		/* the Jumbo Payload option's length, or 0 */
	bool jumbo_wait;
	struct l3info l3;
};

/* The Hop-by-Hop header, and a jumbogram's length if it is the first; -1 to stop. */
static int ip6_hbh(struct emit *e, struct cur *c, struct ip6_walk *w, uint8_t *next,
		   bool first)
{
	int n;

	kdec_em_layer(e, "IPv6 Hop-by-Hop Options", "ipv6_hbh");
	n = ip6_tlv_hdr(e, c, next, &w->jumbo);
	if (n < 0 || !w->jumbo_wait || !first)
		return n;
	if (!w->jumbo) {
		kdec_em_malformed(e, "payload length 0 without a Jumbo Payload option");
		return -1;
	}
	if (w->jumbo < (uint32_t)n) {
		kdec_em_malformed(e, "jumbo payload length shorter than its header");
		return -1;
	}
	w->rest = w->jumbo;
	cur_limit(c, w->jumbo - (uint32_t)n);
	return n;
}

/* The Fragment header: 8, or -1 once a later fragment's data is shown. */
static int ip6_frag(struct emit *e, struct cur *c, struct ip6_walk *w, uint8_t *next)
{
	struct kcap_dec_info *I = e->info;
	uint16_t off;
	uint32_t id;

	kdec_em_layer(e, "IPv6 Fragment", "ipv6_frag");
	GET_U8(c, *next);
	kdec_em_uint(e, "Next Header", "next_header", *next,
		kdec_ip_proto_name(*next), "next_header_name");
	SKIP(c, 1);
	GET_BE16(c, off);
	kdec_em_uint(e, "Fragment Offset", "frag_offset", (off >> 3) * 8u,
		NULL, NULL);
	kdec_em_uint(e, "More Fragments", "mf", off & 1, NULL, NULL);
	GET_BE32(c, id);
	kdec_em_hex(e, "Identification", "id", id, 8, NULL, NULL);
	if (off & 0xfff9) {
		I->fragment = true;
		w->l3.whole = false;
	}
	if (off >> 3) {
		I->frag_off = (off >> 3) * 8u;
		I->l4proto = *next;
		I->paylen = w->rest >= 8 ? w->rest - 8 : 0;
		kdec_payload(e, c, I->paylen, "Fragment Data");
		return -1;
	}
	return 8;
trunc:
	kdec_em_trunc(e);
	return -1;
}

/* ESP ends the walk: its SPI and sequence, and how much is encrypted. */
static void ip6_esp(struct emit *e, struct cur *c, uint32_t rest)
{
	struct kcap_dec_info *I = e->info;
	uint32_t spi, seq;

	kdec_em_layer(e, "ESP", "esp");
	GET_BE32(c, spi);
	kdec_em_hex(e, "SPI", "spi", spi, 8, NULL, NULL);
	GET_BE32(c, seq);
	kdec_em_uint(e, "Sequence Number", "seq", seq, NULL, NULL);
	I->paylen = rest >= 8 ? rest - 8 : 0;
	kdec_em_uint(e, "Encrypted Data", "data_len", I->paylen, "bytes", NULL);
	return;
trunc:
	kdec_em_trunc(e);
}

/*
 * The header nh at c (the i-th): its length, with the one after it in
 * *next; -1 when the walk ends, the rest decoded or not.
 */
static int ip6_ext(struct emit *e, struct cur *c, struct ip6_walk *w, uint8_t nh,
		   uint8_t *next, int i)
{
	switch (nh) {
	case 0:
		return ip6_hbh(e, c, w, next, i == 0);
	case 60:
		kdec_em_layer(e, "IPv6 Destination Options", "ipv6_dstopts");
		return ip6_tlv_hdr(e, c, next, &w->jumbo);
	case 43:
		kdec_em_layer(e, "IPv6 Routing", "ipv6_routing");
		return ip6_routing(e, c, next);
	case 51:
		kdec_em_layer(e, "Authentication Header", "ah");
		return ip6_ah(e, c, next);
	case 44:
		return ip6_frag(e, c, w, next);
	case 50:
		ip6_esp(e, c, w->rest);
		return -1;
	case 59:
		if (cur_left(c))
			kdec_payload(e, c, w->rest, "No Next Header Data");
		return -1;
	default:
		w->l3.l4len = w->rest;
		kdec_l4(e, c, nh, &w->l3);
		return -1;
	}
}

void kdec_ipv6(struct emit *e, struct cur *c)
{
	struct kcap_dec_info *I = e->info;
	struct ip6_walk w = { 0 };
	uint8_t nh, src[16], dst[16];
	uint16_t plen;
	int i;

	kdec_em_layer(e, "IPv6", "ipv6");
	inner_ip(I);
	if (!ip6_fixed(e, c, &plen, &nh, src, dst))
		return;
	I->l4proto = nh;
	I->have_l4 = true;
	w.jumbo_wait = plen == 0 && nh == 0;
	if (!w.jumbo_wait)
		cur_limit(c, plen);
	w.rest = plen;
	w.l3.ver = 6;
	w.l3.src = src;
	w.l3.dst = dst;
	w.l3.whole = true;

	for (i = 0; i < MAX_EXT; i++) {
		uint8_t next = 0;
		int n = ip6_ext(e, c, &w, nh, &next, i);

		if (n < 0)
			return;
		if ((uint32_t)n > w.rest) {
			kdec_em_malformed(e, "extension header beyond payload length");
			return;
		}
		w.rest -= (uint32_t)n;
		nh = next;
		I->l4proto = nh;
	}
	kdec_em_malformed(e, "too many extension headers");
}
