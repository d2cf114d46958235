// SPDX-License-Identifier: GPL-2.0
/*
 * Encapsulations decoded through to what they carry: VXLAN and Geneve
 * (UDP), GRE (with checksum, key and sequence number; ERSPAN; PPTP's
 * enhanced GRE), MPLS label stacks and IEEE 802.1AE MACsec. Each inner
 * packet is decoded by the decoder of its kind; kdec_enter() bounds how
 * deep tunnels may nest.
 */
#include <stdio.h>
#include <string.h>

#include "dec.h"

/* RFC 7348: 8 bytes, the I flag says the VNI is valid; Ethernet follows. */
void kdec_vxlan(struct emit *e, struct cur *c)
{
	uint8_t fl;
	uint32_t w;

	kdec_em_layer(e, "VXLAN", "vxlan");
	GET_U8(c, fl);
	kdec_em_group(e, "Flags", "flags", fl, 2, fl & 0x08 ? "VNI valid" : NULL);
	kdec_em_sub(e, "I (VNI valid)", "i", (fl >> 3) & 1, NULL, NULL);
	kdec_em_group_end(e);
	SKIP(c, 3);
	GET_BE32(c, w);
	kdec_em_uint(e, "VNI", "vni", w >> 8, NULL, NULL);
	if (kdec_enter(e, c))
		kdec_ether(e, c);
	return;
trunc:
	kdec_em_trunc(e);
}

/* RFC 8926: 8 bytes, options in 4-byte units, then a protocol by ethertype. */
void kdec_geneve(struct emit *e, struct cur *c)
{
	uint8_t vo, fl, optlen;
	uint16_t proto;
	uint32_t w;
	char tv[64], jv[96];

	kdec_em_layer(e, "Geneve", "geneve");
	GET_U8(c, vo);
	kdec_em_uint(e, "Version", "version", vo >> 6, NULL, NULL);
	optlen = (uint8_t)((vo & 0x3f) * 4);
	kdec_em_uint(e, "Options Length", "opt_len", optlen, "bytes", NULL);
	GET_U8(c, fl);
	kdec_em_group(e, "Flags", "flags", fl, 2, NULL);
	kdec_em_sub(e, "O (control)", "o", fl >> 7, NULL, NULL);
	kdec_em_sub(e, "C (critical options)", "c", (fl >> 6) & 1, NULL, NULL);
	kdec_em_group_end(e);
	GET_BE16(c, proto);
	kdec_em_hex(e, "Protocol Type", "proto", proto, 4,
	       proto == 0x6558 ? "Transparent Ethernet Bridging" :
	       proto == 0x0800 ? "IPv4" : proto == 0x86dd ? "IPv6" : NULL, "proto_name");
	GET_BE32(c, w);
	kdec_em_uint(e, "VNI", "vni", w >> 8, NULL, NULL);
	if (vo >> 6) {
		kdec_em_malformed(e, "Geneve version is not 0");
		return;
	}
	if (optlen) {
		struct cur o = cur_take(c, optlen);

		kdec_em_list(e, "Options", "options", "");
		while (cur_left(&o)) {
			uint16_t cls;
			uint8_t type, len;

			GET_BE16(&o, cls);
			GET_U8(&o, type);
			GET_U8(&o, len);
			len = (uint8_t)((len & 0x1f) * 4);
			snprintf(tv, sizeof(tv), "class 0x%04x, type 0x%02x, %u bytes",
				 cls, type, len);
			snprintf(jv, sizeof(jv), "\"class\":%u,\"type\":%u,\"len\":%u",
				 cls, type, len);
			kdec_em_item(e, "Option", "option", tv, jv);
			if (!cur_have(&o, len)) {
				kdec_em_group_end(e);
				if (o.len < optlen)
					goto trunc;
				kdec_em_malformed(e, "Geneve option beyond the options length");
				return;
			}
			SKIP(&o, len);
		}
		kdec_em_group_end(e);
		if (o.len < optlen)
			goto trunc;
	}
	if (!kdec_enter(e, c))
		return;
	if (proto == 0x6558)
		kdec_ether(e, c);
	else
		kdec_ethertype(e, c, proto, 0);
	return;
trunc:
	kdec_em_trunc(e);
}

static const struct kdec_tok gre_proto_names[] = {
	{ 0x0800, "IPv4" }, { 0x86dd, "IPv6" },
	{ 0x6558, "Transparent Ethernet Bridging" }, { 0x8847, "MPLS unicast" },
	{ 0x8848, "MPLS multicast" }, { 0x880b, "PPP" }, { 0x88be, "ERSPAN type II" },
	{ 0x22eb, "ERSPAN type III" }, { 0x8100, "802.1Q" }, { 0, NULL },
};

/* ERSPAN type II (8 bytes) and III (12, and 8 more with the O bit): a mirrored frame. */
static void dec_erspan(struct emit *e, struct cur *c, bool type3)
{
	uint16_t w0, w1;
	uint32_t w;

	kdec_em_layer(e, type3 ? "ERSPAN type III" : "ERSPAN type II", "erspan");
	GET_BE16(c, w0);
	kdec_em_uint(e, "Version", "version", w0 >> 12, NULL, NULL);
	kdec_em_uint(e, "VLAN", "vlan", w0 & 0xfff, NULL, NULL);
	GET_BE16(c, w1);
	kdec_em_uint(e, "Session ID", "session", w1 & 0x3ff, NULL, NULL);
	if (!type3) {
		GET_BE32(c, w);
		kdec_em_uint(e, "Index", "index", w & 0xfffff, NULL, NULL);
	} else {
		uint16_t fl;

		GET_BE32(c, w);
		kdec_em_uint(e, "Timestamp", "timestamp", w, NULL, NULL);
		SKIP(c, 2);	/* security group tag */
		GET_BE16(c, fl);
		kdec_em_uint(e, "Optional Subheader", "o", fl & 1, NULL, NULL);
		if (fl & 1)
			SKIP(c, 8);
	}
	if (kdec_enter(e, c))
		kdec_ether(e, c);
	return;
trunc:
	kdec_em_trunc(e);
}

/* RFC 2784/2890 GRE, and RFC 2637's enhanced GRE (version 1, PPTP). */
void kdec_gre(struct emit *e, struct cur *c, const struct l3info *l3)
{
	uint16_t fv, proto, sum, w;
	uint32_t key, seq, start = c->off;
	const char *st;
	char fl[40];
	int ver;

	kdec_em_layer(e, "GRE", "gre");
	e->info->paylen = l3->l4len;
	GET_BE16(c, fv);
	ver = fv & 7;
	snprintf(fl, sizeof(fl), "%s%s%s%s%s", fv & 0x8000 ? "C " : "", fv & 0x4000 ? "R " : "",
		 fv & 0x2000 ? "K " : "", fv & 0x1000 ? "S " : "", fv & 0x0080 ? "A " : "");
	if (*fl)
		fl[strlen(fl) - 1] = '\0';
	kdec_em_group(e, "Flags and Version", "flags", fv, 4, fl);
	kdec_em_sub(e, "Checksum Present", "c", fv >> 15, NULL, NULL);
	kdec_em_sub(e, "Routing Present", "r", (fv >> 14) & 1, NULL, NULL);
	kdec_em_sub(e, "Key Present", "k", (fv >> 13) & 1, NULL, NULL);
	kdec_em_sub(e, "Sequence Present", "s", (fv >> 12) & 1, NULL, NULL);
	if (ver == 1)
		kdec_em_sub(e, "Acknowledgment Present", "a", (fv >> 7) & 1, NULL, NULL);
	kdec_em_sub(e, "Version", "version", (uint64_t)ver, NULL, NULL);
	kdec_em_group_end(e);
	GET_BE16(c, proto);
	kdec_em_hex(e, "Protocol Type", "proto", proto, 4, kdec_tok(gre_proto_names, proto),
		    "proto_name");
	if (ver > 1) {
		kdec_em_malformed(e, "GRE version is not 0 or 1");
		return;
	}
	if (fv & 0xc000) {
		GET_BE16(c, sum);
		if (fv & 0x8000) {
			st = !l3->whole ? "unverified, fragment" :
			     c->len - start < l3->l4len ? "unverified, not captured" :
			     kcap_csum_fold(kcap_csum_add(0, c->p + start, l3->l4len)) == 0 ?
			     "correct" : "incorrect";
			kdec_em_hex(e, "Checksum", "csum", sum, 4, st, "csum_status");
		}
		GET_BE16(c, w);
		if (fv & 0x4000)
			kdec_em_uint(e, "Offset", "offset", w, NULL, NULL);
	}
	if (fv & 0x2000) {
		GET_BE32(c, key);
		if (ver == 1) {
			kdec_em_uint(e, "Payload Length", "payload_len", key >> 16, NULL, NULL);
			kdec_em_uint(e, "Call ID", "call_id", key & 0xffff, NULL, NULL);
		} else {
			kdec_em_hex(e, "Key", "key", key, 8, NULL, NULL);
		}
	}
	if (fv & 0x1000) {
		GET_BE32(c, seq);
		kdec_em_uint(e, "Sequence Number", "seq", seq, NULL, NULL);
	}
	if (ver == 1 && (fv & 0x0080)) {
		GET_BE32(c, seq);
		kdec_em_uint(e, "Acknowledgment Number", "ack", seq, NULL, NULL);
	}
	if (fv & 0x4000) {
		/* Source routes (RFC 1701) are long obsolete: not followed. */
		kdec_payload(e, c, reported_left(e, c), "Routing and Payload");
		return;
	}
	if (!kdec_enter(e, c))
		return;
	switch (proto) {
	case 0x6558:
		kdec_ether(e, c);
		return;
	case 0x880b:
		kdec_em_layer(e, "PPP", "ppp");
		GET_BE16(c, w);
		if (w == 0xff03)
			GET_BE16(c, w);
		kdec_em_hex(e, "Protocol", "proto", w, 4, NULL, NULL);
		kdec_ppp_proto(e, c, w);
		return;
	case 0x88be:
		dec_erspan(e, c, false);
		return;
	case 0x22eb:
		dec_erspan(e, c, true);
		return;
	default:
		kdec_ethertype(e, c, proto, 0);
		return;
	}
trunc:
	kdec_em_trunc(e);
}

/*
 * RFC 3032 label stack entries until the bottom-of-stack bit; what
 * follows is guessed as tcpdump and Wireshark guess it: explicit null
 * labels, then the first nibble (4 IPv4, 6 IPv6, 0 a pseudowire control
 * word before an Ethernet frame).
 */
void kdec_mpls(struct emit *e, struct cur *c)
{
	uint32_t w, label = 0;
	char tv[80], jv[96];
	uint8_t v;
	int n = 0;

	kdec_em_layer(e, "MPLS", "mpls");
	kdec_em_list(e, "Label Stack", "labels", "");
	do {
		if (n == 16) {
			kdec_em_group_end(e);
			kdec_em_malformed(e, "more than 16 MPLS labels");
			return;
		}
		GET_BE32(c, w);
		label = w >> 12;
		snprintf(tv, sizeof(tv), "label %u, tc %u, %sttl %u", label, (w >> 9) & 7,
			 w & 0x100 ? "bottom, " : "", w & 0xff);
		snprintf(jv, sizeof(jv), "\"label\":%u,\"tc\":%u,\"s\":%u,\"ttl\":%u",
			 label, (w >> 9) & 7, (w >> 8) & 1, w & 0xff);
		kdec_em_item(e, "Label", "label", tv, jv);
		n++;
	} while (!(w & 0x100));
	kdec_em_group_end(e);
	if (!reported_left(e, c))
		return;
	PEEK_U8(c, v);
	if (label == 0 || (label != 2 && v >> 4 == 4)) {
		e->info->ethertype = 0x0800;
		kdec_ipv4(e, c);
	} else if (label == 2 || v >> 4 == 6) {
		e->info->ethertype = 0x86dd;
		kdec_ipv6(e, c);
	} else if (v >> 4 == 0) {
		kdec_em_layer(e, "PW Ethernet Control Word", "pwcw");
		GET_BE32(c, w);
		kdec_em_uint(e, "Sequence Number", "seq", w & 0xffff, NULL, NULL);
		if (kdec_enter(e, c))
			kdec_ether(e, c);
	} else {
		kdec_payload(e, c, reported_left(e, c), "Payload");
	}
	return;
trunc:
	kdec_em_trunc(e);
}

/*
 * IEEE 802.1AE: the SecTAG (and the SCI if the SC bit says so), then
 * either an integrity-only payload (decoded: its ethertype follows) or
 * encrypted data, and a 16-byte ICV at the end of the frame.
 */
void kdec_macsec(struct emit *e, struct cur *c)
{
	uint8_t tci, sl, sci[8];
	uint32_t pn, left, data;
	char buf[24];
	uint16_t type;
	int i;

	kdec_em_layer(e, "MACsec", "macsec");
	GET_U8(c, tci);
	kdec_em_group(e, "TCI/AN", "tci", tci, 2, NULL);
	kdec_em_sub(e, "Version", "v", tci >> 7, NULL, NULL);
	kdec_em_sub(e, "End Station", "es", (tci >> 6) & 1, NULL, NULL);
	kdec_em_sub(e, "SCI Present", "sc", (tci >> 5) & 1, NULL, NULL);
	kdec_em_sub(e, "Single Copy Broadcast", "scb", (tci >> 4) & 1, NULL, NULL);
	kdec_em_sub(e, "Encrypted", "e", (tci >> 3) & 1, NULL, NULL);
	kdec_em_sub(e, "Changed Text", "c", (tci >> 2) & 1, NULL, NULL);
	kdec_em_group_end(e);
	kdec_em_uint(e, "Association Number", "an", tci & 3, NULL, NULL);
	GET_U8(c, sl);
	kdec_em_uint(e, "Short Length", "sl", sl & 0x3f, NULL, NULL);
	GET_BE32(c, pn);
	kdec_em_uint(e, "Packet Number", "pn", pn, NULL, NULL);
	if (tci & 0x20) {
		GET_BYTES(c, sci, 8);
		for (i = 0; i < 8; i++)
			snprintf(buf + 2 * i, sizeof(buf) - 2 * (size_t)i, "%02x", sci[i]);
		kdec_em_str(e, "SCI", "sci", buf);
	}
	if (tci & 0x80) {
		kdec_em_malformed(e, "MACsec version is not 0");
		return;
	}
	/* The secure data: SL bytes if set, else all but the ICV. */
	left = reported_left(e, c);
	if (left < 16) {
		if (cur_left(c) < left)
			goto trunc;
		kdec_em_malformed(e, "MACsec frame shorter than its ICV");
		return;
	}
	data = sl & 0x3f ? sl & 0x3fu : left - 16;
	if (data > left - 16) {
		kdec_em_malformed(e, "MACsec short length beyond the frame");
		return;
	}
	kdec_em_uint(e, "ICV Length", "icv_len", 16, NULL, NULL);
	cur_limit(c, data);
	if (tci & 0x0c) {
		kdec_payload(e, c, data, "Encrypted Data");
		return;
	}
	GET_BE16(c, type);
	kdec_em_hex(e, "Type", "type", type, 4, NULL, NULL);
	if (kdec_enter(e, c))
		kdec_ethertype(e, c, type, 0);
	return;
trunc:
	kdec_em_trunc(e);
}
