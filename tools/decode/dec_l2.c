// SPDX-License-Identifier: GPL-2.0
/*
 * Link layers (Ethernet, 802.1Q/802.1ad, Linux cooked v1 and v2, raw IP,
 * BSD loopback, PPP and PPPoE), ARP, and the entry points: the tree/JSON
 * printer, the -q line and the facts-only pass that the TCP analysis uses.
 * 802.11 and radiotap are dec_wlan.c's, tunnels dec_tunnel.c's.
 */
#include <string.h>

#include "dec.h"

#define MAX_VLAN	8	/* deeper stacks are printed as payload */

static const struct kdec_tok ethertype_names[] = {
	{ 0x0800, "IPv4" }, { 0x0806, "ARP" }, { 0x8035, "RARP" }, { 0x8100, "802.1Q" },
	{ 0x88a8, "802.1ad" }, { 0x9100, "802.1Q (QinQ)" }, { 0x86dd, "IPv6" },
	{ 0x8847, "MPLS unicast" }, { 0x8848, "MPLS multicast" },
	{ 0x8863, "PPPoE discovery" }, { 0x8864, "PPPoE session" }, { 0x888e, "802.1X" },
	{ 0x88cc, "LLDP" }, { 0x88f7, "PTP" }, { 0x8809, "Slow protocols (LACP)" },
	{ 0x88e5, "MACsec" }, { 0x6558, "Transparent Ethernet Bridging" },
	{ 0x88be, "ERSPAN" }, { 0x880b, "PPP" }, { 0, NULL },
};

static void dec_pppoe(struct emit *e, struct cur *c);
static void fmt_hw(char *buf, const uint8_t *a, unsigned int n);

static const char *const pcp_name[8] = {
	"BE, best effort", "BK, background", "EE, excellent effort",
	"CA, critical applications", "VI, video", "VO, voice",
	"IC, internetwork control", "NC, network control",
};

static void dec_vlan(struct emit *e, struct cur *c, uint16_t tpid, int depth)
{
	uint16_t tci, type;
	struct kcap_dec_info *I = e->info;

	kdec_em_layer(e, tpid == 0x88a8 ? "802.1ad VLAN" : "802.1Q VLAN", "vlan");
	GET_BE16(c, tci);
	kdec_em_group(e, "TCI", "tci", tci, 4, NULL);
	kdec_em_sub(e, "Priority (PCP)", "pcp", tci >> 13, pcp_name[tci >> 13], NULL);
	kdec_em_sub(e, "DEI", "dei", (tci >> 12) & 1, NULL, NULL);
	kdec_em_sub(e, "VLAN ID", "vid", tci & 0xfff, NULL, NULL);
	kdec_em_group_end(e);
	if (I->nvlan < 2)
		I->vlan[I->nvlan] = tci & 0xfff;
	if (I->nvlan < 255)
		I->nvlan++;
	GET_BE16(c, type);
	kdec_em_hex(e, "Type", "type", type, 4, kdec_tok(ethertype_names, type), "type_name");
	kdec_ethertype(e, c, type, depth + 1);
	return;
trunc:
	kdec_em_trunc(e);
}

static const struct kdec_tok arp_op_names[] = {
	{ 1, "request" }, { 2, "reply" }, { 3, "RARP request" }, { 4, "RARP reply" },
	{ 8, "InARP request" }, { 9, "InARP reply" }, { 0, NULL },
};

static void fmt_hw(char *buf, const uint8_t *a, unsigned int n)
{
	static const char hx[] = "0123456789abcdef";
	unsigned int i;

	if (n == 0) {
		strcpy(buf, "(none)");
		return;
	}
	for (i = 0; i < n; i++) {
		buf[3 * i] = hx[a[i] >> 4];
		buf[3 * i + 1] = hx[a[i] & 15];
		buf[3 * i + 2] = i + 1 < n ? ':' : '\0';
	}
}

static void dec_arp(struct emit *e, struct cur *c)
{
	static const char *const names[4] = {
		"Sender Hardware Address", "Sender Protocol Address",
		"Target Hardware Address", "Target Protocol Address",
	};
	static const char *const keys[4] = { "sha", "spa", "tha", "tpa" };
	struct kcap_dec_info *I = e->info;
	uint16_t htype, ptype, op;
	uint8_t hlen, plen, addr[255];
	char buf[3 * 255 + 1];
	int i;

	kdec_em_layer(e, "ARP", "arp");
	GET_BE16(c, htype);
	kdec_em_uint(e, "Hardware Type", "htype", htype, htype == 1 ? "Ethernet" : NULL,
		"htype_name");
	GET_BE16(c, ptype);
	kdec_em_hex(e, "Protocol Type", "ptype", ptype, 4, kdec_tok(ethertype_names, ptype),
	       "ptype_name");
	GET_U8(c, hlen);
	kdec_em_uint(e, "Hardware Size", "hlen", hlen, NULL, NULL);
	GET_U8(c, plen);
	kdec_em_uint(e, "Protocol Size", "plen", plen, NULL, NULL);
	GET_BE16(c, op);
	kdec_em_uint(e, "Opcode", "op", op, kdec_tok(arp_op_names, op), "op_name");
	I->have_arp = true;
	I->arp_op = op;
	for (i = 0; i < 4; i++) {
		unsigned int n = i & 1 ? plen : hlen;

		GET_BYTES(c, addr, n);
		if (n == 4 && (i & 1))
			kdec_fmt_ip4(buf, addr);
		else
			fmt_hw(buf, addr, n);
		kdec_em_str(e, names[i], keys[i], buf);
		if (i == 0 && n == 6)
			memcpy(I->arp_sha, addr, 6);
		if (i == 1 && n == 4)
			memcpy(I->arp_spa, addr, 4);
		if (i == 3 && n == 4)
			memcpy(I->arp_tpa, addr, 4);
	}
	return;
trunc:
	kdec_em_trunc(e);
}

static void dec_llc(struct emit *e, struct cur *c, uint16_t len)
{
	uint8_t dsap, ssap, ctl;

	cur_limit(c, len);
	kdec_em_layer(e, "802.2 LLC", "llc");
	GET_U8(c, dsap);
	kdec_em_hex(e, "DSAP", "dsap", dsap, 2, dsap == 0x42 ? "STP" :
	       dsap == 0xaa ? "SNAP" : NULL, "dsap_name");
	GET_U8(c, ssap);
	kdec_em_hex(e, "SSAP", "ssap", ssap, 2, NULL, NULL);
	GET_U8(c, ctl);
	kdec_em_hex(e, "Control", "control", ctl, 2, NULL, NULL);
	kdec_payload(e, c, len >= 3 ? len - 3u : 0, "Payload");
	return;
trunc:
	kdec_em_trunc(e);
}

void kdec_ethertype(struct emit *e, struct cur *c, uint16_t type, int depth)
{
	e->info->ethertype = type;
	switch (type) {
	case 0x0800:
		kdec_ipv4(e, c);
		return;
	case 0x86dd:
		kdec_ipv6(e, c);
		return;
	case 0x0806:
	case 0x8035:
		dec_arp(e, c);
		return;
	case 0x8100:
	case 0x88a8:
	case 0x9100:
		if (depth < MAX_VLAN) {
			dec_vlan(e, c, type, depth);
			return;
		}
		break;
	case 0x8847:
	case 0x8848:
		if (kdec_enter(e, c))
			kdec_mpls(e, c);
		return;
	case 0x88e5:
		kdec_macsec(e, c);
		return;
	case 0x8864:
		dec_pppoe(e, c);
		return;
	case 0x6558:
		if (kdec_enter(e, c))
			kdec_ether(e, c);
		return;
	}
	kdec_payload(e, c, cur_left(c), "Payload");
}

bool kdec_enter(struct emit *e, struct cur *c)
{
	if (e->depth < MAX_ENCAP) {
		e->depth++;
		return true;
	}
	kdec_em_layer(e, "Encapsulated", "encapsulated");
	kdec_em_malformed(e, "too many nested encapsulations");
	kdec_payload(e, c, reported_left(e, c), "Payload");
	return false;
}

void kdec_ether(struct emit *e, struct cur *c)
{
	uint8_t mac[6];
	uint16_t type;
	char buf[18];

	kdec_em_layer(e, "Ethernet", "eth");
	GET_BYTES(c, mac, 6);
	kdec_fmt_mac(buf, mac);
	kdec_em_str(e, "Destination", "dst", buf);
	GET_BYTES(c, mac, 6);
	kdec_fmt_mac(buf, mac);
	kdec_em_str(e, "Source", "src", buf);
	GET_BE16(c, type);
	if (type <= 1500) {
		kdec_em_uint(e, "Length", "length", type, NULL, NULL);
		dec_llc(e, c, type);
		return;
	}
	kdec_em_hex(e, "Type", "type", type, 4, kdec_tok(ethertype_names, type), "type_name");
	kdec_ethertype(e, c, type, 0);
	return;
trunc:
	kdec_em_trunc(e);
}

static const struct kdec_tok sll_pkttype_names[] = {
	{ 0, "to us" }, { 1, "broadcast" }, { 2, "multicast" }, { 3, "to another host" },
	{ 4, "sent by us" }, { 0, NULL },
};

static void dec_sll(struct emit *e, struct cur *c)
{
	uint16_t pkttype, hatype, halen, proto;
	uint8_t addr[8];
	char buf[3 * 8 + 1];

	kdec_em_layer(e, "Linux cooked capture", "sll");
	GET_BE16(c, pkttype);
	kdec_em_uint(e, "Packet Type", "pkttype", pkttype, kdec_tok(sll_pkttype_names, pkttype),
		"pkttype_name");
	GET_BE16(c, hatype);
	kdec_em_uint(e, "Address Type", "hatype", hatype, NULL, NULL);
	GET_BE16(c, halen);
	kdec_em_uint(e, "Address Length", "halen", halen, NULL, NULL);
	GET_BYTES(c, addr, 8);
	fmt_hw(buf, addr, halen < 8 ? halen : 8);
	kdec_em_str(e, "Source", "src", buf);
	GET_BE16(c, proto);
	kdec_em_hex(e, "Protocol", "proto", proto, 4,
		    kdec_tok(ethertype_names, proto), "proto_name");
	kdec_ethertype(e, c, proto, 0);
	return;
trunc:
	kdec_em_trunc(e);
}

static const struct kdec_tok ppp_proto_names[] = {
	{ 0x0021, "IPv4" }, { 0x0057, "IPv6" }, { 0x0281, "MPLS unicast" },
	{ 0x0283, "MPLS multicast" }, { 0x8021, "IPCP" }, { 0x8057, "IPv6CP" },
	{ 0xc021, "LCP" }, { 0xc023, "PAP" }, { 0xc223, "CHAP" }, { 0x80fd, "CCP" },
	{ 0, NULL },
};

static const char *ppp_code_name(uint8_t code)
{
	static const char *const n[12] = {
		NULL, "Configure-Request", "Configure-Ack", "Configure-Nak",
		"Configure-Reject", "Terminate-Request", "Terminate-Ack",
		"Code-Reject", "Protocol-Reject", "Echo-Request", "Echo-Reply",
		"Discard-Request",
	};

	return code < 12 ? n[code] : NULL;
}

/* What a PPP protocol number carries: IP, MPLS, or a control protocol. */
void kdec_ppp_proto(struct emit *e, struct cur *c, uint16_t proto)
{
	uint8_t code, id;
	uint16_t len;

	switch (proto) {
	case 0x0021:
		e->info->ethertype = 0x0800;
		kdec_ipv4(e, c);
		return;
	case 0x0057:
		e->info->ethertype = 0x86dd;
		kdec_ipv6(e, c);
		return;
	case 0x0281:
	case 0x0283:
		if (kdec_enter(e, c))
			kdec_mpls(e, c);
		return;
	case 0xc021: case 0x8021: case 0x8057: case 0xc023: case 0xc223: case 0x80fd:
		kdec_em_layer(e, kdec_tok(ppp_proto_names, proto), "ppp_control");
		GET_U8(c, code);
		kdec_em_uint(e, "Code", "code", code, ppp_code_name(code), "code_name");
		GET_U8(c, id);
		kdec_em_uint(e, "Identifier", "id", id, NULL, NULL);
		GET_BE16(c, len);
		kdec_em_uint(e, "Length", "len", len, NULL, NULL);
		if (len < 4) {
			kdec_em_malformed(e, "PPP control packet length < 4");
			return;
		}
		cur_limit(c, len - 4u);
		kdec_payload(e, c, len - 4u, "Data");
		return;
	}
	kdec_payload(e, c, reported_left(e, c), "Payload");
	return;
trunc:
	kdec_em_trunc(e);
}

/* RFC 1661 framing, with or without address/control, with a 1- or 2-byte protocol. */
static void dec_ppp(struct emit *e, struct cur *c)
{
	uint8_t b0, b1;
	uint16_t proto;

	kdec_em_layer(e, "PPP", "ppp");
	PEEK_U8(c, b0);
	if (b0 == 0xff) {
		SKIP(c, 1);
		GET_U8(c, b1);
		kdec_em_hex(e, "Address", "address", 0xff, 2, NULL, NULL);
		kdec_em_hex(e, "Control", "control", b1, 2, NULL, NULL);
	}
	GET_U8(c, b0);
	proto = b0;
	/* An odd first byte is a compressed (one-byte) protocol field. */
	if (!(b0 & 1)) {
		GET_U8(c, b1);
		proto = (uint16_t)(b0 << 8 | b1);
	}
	kdec_em_hex(e, "Protocol", "proto", proto, 4,
		    kdec_tok(ppp_proto_names, proto), "proto_name");
	kdec_ppp_proto(e, c, proto);
	return;
trunc:
	kdec_em_trunc(e);
}

/* RFC 2516 session stage: PPP inside an Ethernet frame. */
static void dec_pppoe(struct emit *e, struct cur *c)
{
	uint8_t vt, code;
	uint16_t sid, len, proto;

	kdec_em_layer(e, "PPPoE session", "pppoe");
	GET_U8(c, vt);
	kdec_em_uint(e, "Version", "version", vt >> 4, NULL, NULL);
	kdec_em_uint(e, "Type", "type", vt & 15, NULL, NULL);
	GET_U8(c, code);
	kdec_em_hex(e, "Code", "code", code, 2, NULL, NULL);
	GET_BE16(c, sid);
	kdec_em_hex(e, "Session ID", "session", sid, 4, NULL, NULL);
	GET_BE16(c, len);
	kdec_em_uint(e, "Payload Length", "len", len, NULL, NULL);
	cur_limit(c, len);
	if (len < 2) {
		kdec_em_malformed(e, "PPPoE payload shorter than a PPP protocol");
		return;
	}
	GET_BE16(c, proto);
	kdec_em_hex(e, "PPP Protocol", "ppp_proto", proto, 4, kdec_tok(ppp_proto_names, proto),
	       "ppp_proto_name");
	kdec_ppp_proto(e, c, proto);
	return;
trunc:
	kdec_em_trunc(e);
}

/*
 * BSD loopback: a 4-byte address family, in the capturing host's byte
 * order (NULL) or in network order (LOOP). IPv6 has several numbers,
 * as tcpdump and Wireshark know them: NetBSD/OpenBSD 24, FreeBSD 28, Darwin 30.
 */
static void dec_loopback(struct emit *e, struct cur *c, bool net_order)
{
	uint8_t b[4];
	uint32_t fam;
	const char *n;

	kdec_em_layer(e, "Loopback", "loopback");
	GET_BYTES(c, b, 4);
	fam = be32_at(b);
	/* Host order unknown: the family is small, so its high half is zero. */
	if (!net_order && (fam & 0xffff0000u))
		fam = (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 |
		      (uint32_t)b[1] << 8 | b[0];
	n = fam == 2 ? "IPv4" : fam == 10 || fam == 24 || fam == 28 || fam == 30 ? "IPv6" :
	    fam == 7 ? "OSI" : fam == 23 ? "IPX" : NULL;
	kdec_em_uint(e, "Family", "family", fam, n, "family_name");
	if (fam == 2) {
		e->info->ethertype = 0x0800;
		kdec_ipv4(e, c);
	} else if (n && n[2] == 'v') {
		e->info->ethertype = 0x86dd;
		kdec_ipv6(e, c);
	} else {
		kdec_payload(e, c, reported_left(e, c), "Payload");
	}
	return;
trunc:
	kdec_em_trunc(e);
}

/* What libpcap 1.10 writes for "any": interface index, then as SLL. */
static void dec_sll2(struct emit *e, struct cur *c)
{
	uint16_t proto, hatype;
	uint32_t ifindex;
	uint8_t pkttype, halen, addr[8];
	char buf[3 * 8 + 1];

	kdec_em_layer(e, "Linux cooked capture v2", "sll2");
	GET_BE16(c, proto);
	kdec_em_hex(e, "Protocol", "proto", proto, 4,
		    kdec_tok(ethertype_names, proto), "proto_name");
	SKIP(c, 2);
	GET_BE32(c, ifindex);
	kdec_em_uint(e, "Interface Index", "ifindex", ifindex, NULL, NULL);
	GET_BE16(c, hatype);
	kdec_em_uint(e, "Address Type", "hatype", hatype, NULL, NULL);
	GET_U8(c, pkttype);
	kdec_em_uint(e, "Packet Type", "pkttype", pkttype, kdec_tok(sll_pkttype_names, pkttype),
		"pkttype_name");
	GET_U8(c, halen);
	kdec_em_uint(e, "Address Length", "halen", halen, NULL, NULL);
	GET_BYTES(c, addr, 8);
	fmt_hw(buf, addr, halen < 8 ? halen : 8);
	kdec_em_str(e, "Source", "src", buf);
	kdec_ethertype(e, c, proto, 0);
	return;
trunc:
	kdec_em_trunc(e);
}

static void dec_raw(struct emit *e, struct cur *c, int linktype)
{
	uint8_t v;

	PEEK_U8(c, v);
	if (linktype == KCAP_DLT_IPV6 || (linktype != KCAP_DLT_IPV4 && v >> 4 == 6))
		kdec_ipv6(e, c);
	else if (linktype == KCAP_DLT_IPV4 || v >> 4 == 4)
		kdec_ipv4(e, c);
	else
		kdec_payload(e, c, cur_left(c), "Payload");
	return;
trunc:
	kdec_em_layer(e, "Raw IP", "raw");
	kdec_em_trunc(e);
}

void kdec_link(struct emit *e, const struct kcap_packet *pkt)
{
	struct cur c = cur_make(pkt->data, pkt->data ? pkt->caplen : 0);

	e->pkt_data = c.p;
	e->pkt_end = c.p ? c.p + c.len : NULL;
	e->wire_extra = pkt->wirelen > pkt->caplen ? pkt->wirelen - pkt->caplen : 0;
	switch (pkt->linktype) {
	case KCAP_DLT_EN10MB:
		kdec_ether(e, &c);
		break;
	case KCAP_DLT_LINUX_SLL:
		dec_sll(e, &c);
		break;
	case KCAP_DLT_LINUX_SLL2:
		dec_sll2(e, &c);
		break;
	case KCAP_DLT_NULL:
	case KCAP_DLT_LOOP:
		dec_loopback(e, &c, pkt->linktype == KCAP_DLT_LOOP);
		break;
	case KCAP_DLT_PPP:
	case KCAP_DLT_PPP_SERIAL:
		dec_ppp(e, &c);
		break;
	case KCAP_DLT_IEEE802_11:
		kdec_80211(e, &c, false);
		break;
	case KCAP_DLT_IEEE802_11_RADIO:
		kdec_radiotap(e, &c);
		break;
	case KCAP_DLT_RAW:
	case KCAP_DLT_IPV4:
	case KCAP_DLT_IPV6:
	case 101:
		dec_raw(e, &c, pkt->linktype);
		break;
	default:
		kdec_em_layer(e, "Unknown link type", "unknown");
		kdec_em_uint(e, "Link Type", "linktype", (uint64_t)(unsigned int)pkt->linktype,
			NULL, NULL);
		kdec_payload(e, &c, cur_left(&c), "Payload");
		break;
	}
}

static void info_init(struct kcap_dec_info *info)
{
	memset(info, 0, sizeof(*info));
	info->wscale = -1;
}

void kcap_decode_info(const struct kcap_packet *pkt, struct kcap_dec_info *info)
{
	struct emit *e;
	struct emit em;

	/* EM_NONE writes nothing, so the big buffer is never touched. */
	e = &em;
	info_init(info);
	kdec_em_init(e, NULL, EM_NONE, info);
	kdec_link(e, pkt);
}

static void tcp_flags_short(struct emit *e, uint8_t f)
{
	/* tcpdump's letters: '.' is ACK, 'W' CWR, 'E' ECE. */
	kdec_em_putc(e, '[');
	if (f & KCAP_TCP_SYN)
		kdec_em_putc(e, 'S');
	if (f & KCAP_TCP_FIN)
		kdec_em_putc(e, 'F');
	if (f & KCAP_TCP_PSH)
		kdec_em_putc(e, 'P');
	if (f & KCAP_TCP_RST)
		kdec_em_putc(e, 'R');
	if (f & KCAP_TCP_URG)
		kdec_em_putc(e, 'U');
	if (f & KCAP_TCP_ECE)
		kdec_em_putc(e, 'E');
	if (f & KCAP_TCP_CWR)
		kdec_em_putc(e, 'W');
	if (f & KCAP_TCP_ACK)
		kdec_em_putc(e, '.');
	if (!f)
		kdec_em_puts(e, "none");
	kdec_em_putc(e, ']');
}

static void addr_port(struct emit *e, const struct kcap_dec_info *I,
		      const uint8_t *a, uint16_t port)
{
	char buf[48];

	if (I->ipver == 4)
		kdec_fmt_ip4(buf, a);
	else
		kdec_fmt_ip6(buf, a);
	kdec_em_puts(e, buf);
	if (I->have_ports) {
		kdec_em_putc(e, '.');
		kdec_em_u64(e, port);
	}
}

static const char *icmp_short(const struct kcap_dec_info *I)
{
	if (I->ipver == 4) {
		switch (I->icmp_type) {
		case 0: return "echo reply";
		case 3: return "unreachable";
		case 5: return "redirect";
		case 8: return "echo request";
		case 11: return "time exceeded";
		case 12: return "parameter problem";
		}
	} else {
		switch (I->icmp_type) {
		case 1: return "unreachable";
		case 2: return "packet too big";
		case 3: return "time exceeded";
		case 128: return "echo request";
		case 129: return "echo reply";
		case 133: return "router solicitation";
		case 134: return "router advertisement";
		case 135: return "neighbor solicitation";
		case 136: return "neighbor advertisement";
		}
	}
	return NULL;
}

/* One line in the manner of tcpdump -q -nn, with TCP flags added. */
static void print_oneline(struct emit *e, const struct kcap_packet *pkt,
			  const struct kcap_dec_info *I, const struct kcap_tcp_ana *r)
{
	char ts[32], a[16], b[16];
	unsigned int i;

	kdec_fmt_time(ts, sizeof(ts), pkt->ts_ns, false);
	kdec_em_puts(e, ts);
	if (pkt->ifname) {
		kdec_em_putc(e, ' ');
		kdec_em_puts(e, pkt->ifname);
	}
	if ((pkt->flags & KCAP_PACKET_DIRECTION) == KCAP_PACKET_INBOUND)
		kdec_em_puts(e, " In ");
	else if ((pkt->flags & KCAP_PACKET_DIRECTION) == KCAP_PACKET_OUTBOUND)
		kdec_em_puts(e, " Out");
	kdec_em_putc(e, ' ');
	for (i = 0; i < I->nvlan && i < 2; i++) {
		kdec_em_puts(e, "vlan ");
		kdec_em_u64(e, I->vlan[i]);
		kdec_em_puts(e, ", ");
	}
	if (I->ipver) {
		kdec_em_puts(e, I->ipver == 4 ? "IP " : "IP6 ");
		addr_port(e, I, I->src, I->sport);
		kdec_em_puts(e, " > ");
		addr_port(e, I, I->dst, I->dport);
		kdec_em_puts(e, ": ");
		if (I->fragment && I->frag_off) {
			kdec_em_puts(e, "ip-proto-");
			kdec_em_u64(e, I->l4proto);
			kdec_em_puts(e, " fragment (offset ");
			kdec_em_u64(e, I->frag_off);
			kdec_em_puts(e, ")");
		} else if (I->have_tcp) {
			kdec_em_puts(e, "tcp ");
			tcp_flags_short(e, I->tcp_flags);
		} else if (I->have_icmp) {
			const char *n = icmp_short(I);

			kdec_em_puts(e, I->ipver == 4 ? "icmp " : "icmp6 ");
			if (n) {
				kdec_em_puts(e, n);
			} else {
				kdec_em_puts(e, "type ");
				kdec_em_u64(e, I->icmp_type);
				kdec_em_puts(e, " code ");
				kdec_em_u64(e, I->icmp_code);
			}
		} else if (I->have_l4) {
			const char *n = kdec_ip_proto_name(I->l4proto);

			if (n && I->l4proto != 0) {
				for (; *n; n++)
					kdec_em_putc(e, (char)(*n >= 'A' && *n <= 'Z' ? *n + 32 : *n));
			} else {
				kdec_em_puts(e, "ip-proto-");
				kdec_em_u64(e, I->l4proto);
			}
		}
		kdec_em_puts(e, ", length ");
		kdec_em_u64(e, I->paylen);
		if (r && r->flags) {
			char sum[256];

			kcap_ta_summary(sum, sizeof(sum), r);
			kdec_em_putc(e, ' ');
			kdec_em_puts(e, sum);
		}
	} else if (I->have_arp) {
		kdec_fmt_ip4(a, I->arp_spa);
		kdec_fmt_ip4(b, I->arp_tpa);
		if (I->arp_op == 1) {
			kdec_em_puts(e, "ARP, Request who-has ");
			kdec_em_puts(e, b);
			kdec_em_puts(e, " tell ");
			kdec_em_puts(e, a);
		} else if (I->arp_op == 2) {
			char mac[18];

			kdec_fmt_mac(mac, I->arp_sha);
			kdec_em_puts(e, "ARP, Reply ");
			kdec_em_puts(e, a);
			kdec_em_puts(e, " is-at ");
			kdec_em_puts(e, mac);
		} else {
			kdec_em_puts(e, "ARP, op ");
			kdec_em_u64(e, I->arp_op);
		}
		kdec_em_puts(e, ", length ");
		kdec_em_u64(e, pkt->wirelen);
	} else {
		if (I->ethertype) {
			kdec_em_puts(e, "ethertype ");
			kdec_em_printf(e, "0x%04x", I->ethertype);
			kdec_em_puts(e, ", ");
		}
		kdec_em_puts(e, "length ");
		kdec_em_u64(e, pkt->wirelen);
	}
	if (I->truncated)
		kdec_em_puts(e, " [truncated]");
	if (I->malformed) {
		kdec_em_puts(e, " [malformed: ");
		kdec_em_puts(e, I->malformed);
		kdec_em_putc(e, ']');
	}
	kdec_em_putc(e, '\n');
}

void kcap_decode_print(FILE *out, const struct kcap_packet *pkt,
		       const struct kcap_dec_opts *o)
{
	kcap_decode_print_ana(out, pkt, o, NULL);
}

void kcap_decode_print_ana(FILE *out, const struct kcap_packet *pkt,
			   const struct kcap_dec_opts *o, const struct kcap_tcp_ana *r)
{
	static const struct kcap_dec_opts dflt = { .verbose_tree = 1 };
	struct kcap_dec_info info;
	struct emit em;
	int mode;

	if (!o)
		o = &dflt;
	if (o->lines) {
		kcap_lines_print(o->lines, out, pkt);
		return;
	}
	mode = o->json ? EM_JSON : o->oneline ? EM_NONE : EM_TREE;
	info_init(&info);
	kdec_em_init(&em, out, mode, &info);
	if (o->preview)
		em.preview = o->preview;
	em.no_payload = o->no_payload;
	if (mode == EM_NONE) {
		kdec_link(&em, pkt);
		print_oneline(&em, pkt, &info, r);
		if (o->hex)
			kdec_hexdump(&em, pkt->data, pkt->data ? pkt->caplen : 0);
	} else {
		kdec_em_packet_begin(&em, pkt);
		kdec_link(&em, pkt);
		kdec_ana_emit(&em, r);
		kdec_em_packet_end(&em, pkt, o->hex && pkt->data);
	}
	kdec_em_flush(&em);
}
