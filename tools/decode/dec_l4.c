// SPDX-License-Identifier: GPL-2.0
/*
 * Transport layers: TCP (every flag bit, options), UDP, ICMP, ICMPv6
 * (with neighbour discovery), and the payload preview.
 */
#include <stdio.h>
#include <string.h>

#include "dec.h"

static const struct kdec_tok port_names[] = {
	{ 7, "echo" }, { 20, "ftp-data" }, { 21, "ftp" }, { 22, "ssh" }, { 23, "telnet" },
	{ 25, "smtp" }, { 53, "domain" }, { 67, "bootps" }, { 68, "bootpc" },
	{ 69, "tftp" }, { 80, "http" }, { 88, "kerberos" }, { 110, "pop3" },
	{ 111, "sunrpc" }, { 119, "nntp" }, { 123, "ntp" }, { 137, "netbios-ns" },
	{ 138, "netbios-dgm" }, { 139, "netbios-ssn" }, { 143, "imap" }, { 161, "snmp" },
	{ 162, "snmp-trap" }, { 179, "bgp" }, { 389, "ldap" }, { 443, "https" },
	{ 445, "microsoft-ds" }, { 465, "submissions" }, { 500, "isakmp" },
	{ 514, "syslog" }, { 546, "dhcpv6-client" }, { 547, "dhcpv6-server" },
	{ 587, "submission" }, { 636, "ldaps" }, { 853, "domain-s" }, { 873, "rsync" },
	{ 993, "imaps" }, { 995, "pop3s" }, { 1194, "openvpn" }, { 1812, "radius" },
	{ 1883, "mqtt" }, { 2049, "nfs" }, { 3306, "mysql" }, { 3389, "ms-wbt-server" },
	{ 4789, "vxlan" }, { 5060, "sip" }, { 5353, "mdns" }, { 5432, "postgresql" },
	{ 6379, "redis" }, { 6443, "kubernetes" }, { 8080, "http-alt" },
	{ 8443, "https-alt" }, { 9200, "elasticsearch" }, { 11211, "memcache" },
	{ 0, NULL },
};

const char *kdec_port_name(uint16_t port)
{
	return kdec_tok(port_names, port);
}

/* "correct", "incorrect", or why it was not checked. */
static const char *l4_csum_status(const struct l3info *l3, uint8_t proto,
				  const struct cur *c, uint32_t start)
{
	const uint8_t *p = c->p + start;
	uint16_t sum;

	if (!l3->whole)
		return "unverified, fragment";
	if (c->len - start < l3->l4len)
		return "unverified, not captured";
	/* ICMP's (for IPv4) is the one without a pseudo-header. */
	if (proto == 1)
		sum = kcap_csum_fold(kcap_csum_add(0, p, l3->l4len));
	else
		sum = kdec_l4_checksum(l3, proto, p, l3->l4len);
	return sum == 0 ? "correct" : "incorrect";
}

static void tcp_flag_names(char *buf, uint16_t f)
{
	static const char *const n[9] = {
		"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE",
	};
	size_t k = 0;
	int i;

	buf[0] = '\0';
	for (i = 8; i >= 0; i--) {
		if (!(f & (1u << i)))
			continue;
		if (k) {
			memcpy(buf + k, ", ", 2);
			k += 2;
		}
		memcpy(buf + k, n[i], strlen(n[i]) + 1);
		k += strlen(n[i]);
	}
}

/* The SACK option's blocks, "L-R L-R ..." and [[L,R],...]. */
static void tcp_opt_sack(struct emit *e, struct cur *b)
{
	char tv[200], jv[240];
	size_t tn = 0, jn;

	tv[0] = '\0';
	jn = (size_t)snprintf(jv, sizeof(jv), "\"blocks\":[");
	while (cur_left(b) >= 8) {
		uint32_t l, r;

		GET_BE32(b, l);
		GET_BE32(b, r);
		tn += (size_t)snprintf(tv + tn, sizeof(tv) - tn,
				       "%s%u-%u", tn ? " " : "", l, r);
		jn += (size_t)snprintf(jv + jn, sizeof(jv) - jn,
				       "%s[%u,%u]", jv[jn - 1] == '[' ? "" : ",", l, r);
		if (tn >= sizeof(tv) || jn >= sizeof(jv) - 2)
			break;
	}
trunc:	/* not reached: the loop reads only whole blocks */
	if (jn < sizeof(jv) - 2)
		snprintf(jv + jn, sizeof(jv) - jn, "]");
	kdec_em_item(e, "SACK", "sack", tv, jv);
}

static const char *tcp_opt_name(uint8_t kind)
{
	return kind == 19 ? "TCP MD5 Signature" :
	       kind == 28 ? "User Timeout" :
	       kind == 29 ? "TCP-AO" :
	       kind == 30 ? "Multipath TCP" :
	       kind == 34 ? "TCP Fast Open" : "Unknown";
}

/*
 * One TCP option whose length is len, body b: false if len is wrong for
 * its kind. The bodies are whole (tcp_options checked), so no read fails.
 */
static bool tcp_option(struct emit *e, uint8_t kind, uint8_t len, struct cur *b)
{
	char tv[64], jv[64];
	uint32_t val, ecr;
	uint16_t mss;
	uint8_t sh;

	switch (kind) {
	case 2:
		if (len != 4)
			return false;
		GET_BE16(b, mss);
		snprintf(tv, sizeof(tv), "%u", mss);
		snprintf(jv, sizeof(jv), "\"mss\":%u", mss);
		kdec_em_item(e, "Maximum Segment Size", "mss", tv, jv);
		break;
	case 3:
		if (len != 3)
			return false;
		GET_U8(b, sh);
		e->info->wscale = sh;
		snprintf(tv, sizeof(tv), "%u (multiply by %u)", sh,
			 sh <= 14 ? 1u << sh : 1u << 14);
		snprintf(jv, sizeof(jv), "\"shift\":%u", sh);
		kdec_em_item(e, "Window Scale", "wscale", tv, jv);
		break;
	case 4:
		if (len != 2)
			return false;
		kdec_em_item(e, "SACK Permitted", "sackok", NULL, NULL);
		break;
	case 5:
		if ((len - 2) % 8)
			return false;
		tcp_opt_sack(e, b);
		break;
	case 8:
		if (len != 10)
			return false;
		GET_BE32(b, val);
		GET_BE32(b, ecr);
		snprintf(tv, sizeof(tv), "val %u ecr %u", val, ecr);
		snprintf(jv, sizeof(jv), "\"val\":%u,\"ecr\":%u", val, ecr);
		kdec_em_item(e, "Timestamps", "ts", tv, jv);
		break;
	default:
		snprintf(tv, sizeof(tv), "kind %u, length %u", kind, len);
		snprintf(jv, sizeof(jv), "\"kind_num\":%u,\"len\":%u", kind, len);
		kdec_em_item(e, tcp_opt_name(kind), "other", tv, jv);
		break;
	}
trunc:
	return true;
}

static void tcp_options(struct emit *e, struct cur *o, uint32_t want)
{
	char tv[64], jv[64], sz[16];
	uint8_t kind, len;
	struct cur b;

	snprintf(sz, sizeof(sz), "%u bytes", want);
	kdec_em_list(e, "Options", "options", sz);
	while (cur_left(o)) {
		switch (kdec_opt_next(o, &kind, &len, &b)) {
		case OPT_END:
			kdec_em_item(e, "End of Option List", "eol", NULL, NULL);
			goto end;
		case OPT_NOP:
			kdec_em_item(e, "No-Operation", "nop", NULL, NULL);
			continue;
		case OPT_SHORT:
			kdec_em_malformed(e, "TCP option length < 2");
			return;
		case OPT_CUT:
			goto trunc;
		case OPT_BODY:
			break;
		}
		/* Only the window scale matters when nothing is printed. */
		if (e->mode == EM_NONE && kind != 3)
			continue;
		if (tcp_option(e, kind, len, &b))
			continue;
		snprintf(tv, sizeof(tv), "kind %u, bad length %u", kind, len);
		snprintf(jv, sizeof(jv), "\"kind_num\":%u,\"len\":%u", kind, len);
		kdec_em_item(e, "Malformed option", "bad", tv, jv);
		kdec_em_malformed(e, "TCP option with a bad length");
		return;
	}
end:
	kdec_opt_end(e, o, want);
	return;
trunc:
	kdec_em_trunc(e);
}

/* TCP's and UDP's ports, printed and kept; false (the packet marked cut) if cut. */
static bool l4_ports(struct emit *e, struct cur *c, uint16_t *sport, uint16_t *dport)
{
	struct kcap_dec_info *I = e->info;

	GET_BE16(c, *sport);
	kdec_em_uint(e, "Source Port", "sport", *sport, kdec_port_name(*sport), "sport_name");
	GET_BE16(c, *dport);
	kdec_em_uint(e, "Destination Port", "dport", *dport, kdec_port_name(*dport),
		     "dport_name");
	I->have_ports = true;
	I->sport = *sport;
	I->dport = *dport;
	return true;
trunc:
	kdec_em_trunc(e);
	return false;
}

static void dec_tcp(struct emit *e, struct cur *c, const struct l3info *l3)
{
	struct kcap_dec_info *I = e->info;
	uint16_t sport, dport, offfl, win, sum, urp;
	uint32_t seq, ack, start = c->off, hlen;
	char fl[48];
	struct cur o;

	kdec_em_layer(e, "TCP", "tcp");
	if (!l4_ports(e, c, &sport, &dport))
		return;
	GET_BE32(c, seq);
	kdec_em_uint(e, "Sequence Number", "seq", seq, NULL, NULL);
	GET_BE32(c, ack);
	kdec_em_uint(e, "Acknowledgment Number", "ack", ack, NULL, NULL);
	GET_BE16(c, offfl);
	hlen = (offfl >> 12) * 4u;
	kdec_em_uint(e, "Data Offset", "doff", offfl >> 12, NULL, NULL);
	if (e->mode != EM_NONE) {
		tcp_flag_names(fl, offfl & 0x1ff);
		kdec_em_group(e, "Flags", "flags", offfl & 0xfff, 3, fl);
		kdec_em_sub(e, "Reserved", "reserved", (offfl >> 9) & 7, NULL, NULL);
		kdec_em_sub(e, "AE (Accurate ECN)", "ae", (offfl >> 8) & 1, NULL, NULL);
		kdec_em_sub(e, "CWR", "cwr", (offfl >> 7) & 1, NULL, NULL);
		kdec_em_sub(e, "ECE", "ece", (offfl >> 6) & 1, NULL, NULL);
		kdec_em_sub(e, "URG", "urg", (offfl >> 5) & 1, NULL, NULL);
		kdec_em_sub(e, "ACK", "ack", (offfl >> 4) & 1, NULL, NULL);
		kdec_em_sub(e, "PSH", "psh", (offfl >> 3) & 1, NULL, NULL);
		kdec_em_sub(e, "RST", "rst", (offfl >> 2) & 1, NULL, NULL);
		kdec_em_sub(e, "SYN", "syn", (offfl >> 1) & 1, NULL, NULL);
		kdec_em_sub(e, "FIN", "fin", offfl & 1, NULL, NULL);
		kdec_em_group_end(e);
	}
	GET_BE16(c, win);
	kdec_em_uint(e, "Window", "window", win, NULL, NULL);
	I->have_tcp = true;
	I->seq = seq;
	I->ack = ack;
	I->tcp_flags = (uint8_t)offfl;
	I->window = win;
	I->paylen = l3->l4len >= hlen ? l3->l4len - hlen : 0;
	I->tcp_hlen = (uint8_t)hlen;
	I->tcp_short = hlen > l3->l4len;
	GET_BE16(c, sum);
	if (e->mode != EM_NONE)
		kdec_em_hex(e, "Checksum", "csum", sum, 4,
		       l4_csum_status(l3, 6, c, start), "csum_status");
	GET_BE16(c, urp);
	kdec_em_uint(e, "Urgent Pointer", "urg_ptr", urp, NULL, NULL);
	if (hlen < 20) {
		I->l4_bogus = true;
		kdec_em_malformed(e, "data offset < 5");
		return;
	}
	if (hlen > l3->l4len) {
		kdec_em_malformed(e, "data offset beyond the segment");
		return;
	}
	if (hlen > 20) {
		o = cur_take(c, hlen - 20);
		tcp_options(e, &o, hlen - 20);
		if (o.len < hlen - 20)
			return;
	}
	I->payoff = (uint32_t)(cur_ptr(c) - e->pkt_data);
	I->paycap = cur_left(c) < l3->l4len - hlen ? cur_left(c) : l3->l4len - hlen;
	kdec_payload(e, c, l3->l4len - hlen, "Payload");
	return;
trunc:
	kdec_em_trunc(e);
}

static void dec_udp(struct emit *e, struct cur *c, const struct l3info *l3)
{
	struct kcap_dec_info *I = e->info;
	uint16_t sport, dport, ulen, sum;
	uint32_t start = c->off, len;

	kdec_em_layer(e, "UDP", "udp");
	if (!l4_ports(e, c, &sport, &dport))
		return;
	GET_BE16(c, ulen);
	/* RFC 2675: a jumbogram's UDP length is 0; the IPv6 length rules. */
	len = ulen == 0 && l3->ver == 6 && l3->l4len > 0xffff ? l3->l4len : ulen;
	kdec_em_uint(e, "Length", "len", ulen, ulen != len ? "0: jumbogram" : NULL, "len_note");
	I->paylen = len >= 8 ? len - 8u : 0;
	GET_BE16(c, sum);
	if (e->mode != EM_NONE) {
		const char *st;

		if (sum == 0 && l3->ver == 4)
			st = "none";
		else if (len != l3->l4len)
			st = "unverified, length mismatch";
		else
			st = l4_csum_status(l3, 17, c, start);
		kdec_em_hex(e, "Checksum", "csum", sum, 4, st, "csum_status");
	}
	if (len < 8) {
		I->l4_bogus = true;
		kdec_em_malformed(e, "UDP length < 8");
		return;
	}
	if (len > l3->l4len && l3->whole) {
		I->l4_bogus = true;
		kdec_em_malformed(e, "UDP length beyond the IP payload");
		return;
	}
	cur_limit(c, len - 8u);
	I->payoff = (uint32_t)(cur_ptr(c) - e->pkt_data);
	I->paycap = cur_left(c);
	/* Encapsulations by their registered ports (either one, as tcpdump). */
	if (l3->whole && !e->inner) {
		if (dport == 4789 || sport == 4789) {
			kdec_vxlan(e, c);
			return;
		}
		if (dport == 6081 || sport == 6081) {
			kdec_geneve(e, c);
			return;
		}
		if ((dport == 6635 || sport == 6635) && kdec_enter(e, c)) {
			kdec_mpls(e, c);
			return;
		}
	}
	/* A first fragment carries only part of the datagram. */
	kdec_payload(e, c, l3->whole || len <= l3->l4len ? len - 8u : l3->l4len - 8u,
		    "Payload");
	return;
trunc:
	kdec_em_trunc(e);
}

static const struct kdec_tok icmp_type_names[] = {
	{ 0, "Echo Reply" }, { 3, "Destination Unreachable" }, { 4, "Source Quench" },
	{ 5, "Redirect" }, { 8, "Echo Request" }, { 9, "Router Advertisement" },
	{ 10, "Router Solicitation" }, { 11, "Time Exceeded" },
	{ 12, "Parameter Problem" }, { 13, "Timestamp" }, { 14, "Timestamp Reply" },
	{ 17, "Address Mask Request" }, { 18, "Address Mask Reply" },
	{ 42, "Extended Echo Request" }, { 43, "Extended Echo Reply" }, { 0, NULL },
};

static const struct kdec_tok icmp6_type_names[] = {
	{ 1, "Destination Unreachable" }, { 2, "Packet Too Big" }, { 3, "Time Exceeded" },
	{ 4, "Parameter Problem" }, { 128, "Echo Request" }, { 129, "Echo Reply" },
	{ 130, "Multicast Listener Query" }, { 131, "Multicast Listener Report" },
	{ 132, "Multicast Listener Done" }, { 133, "Router Solicitation" },
	{ 134, "Router Advertisement" }, { 135, "Neighbor Solicitation" },
	{ 136, "Neighbor Advertisement" }, { 137, "Redirect" },
	{ 143, "Multicast Listener Report v2" }, { 0, NULL },
};

/* The codes' names of the types that have them, by code. */
struct icmp_codes {
	uint8_t type, n;
	const char *const *names;
};

#define CODES(t, names)	{ t, sizeof(names) / sizeof(names[0]), names }

static const char *const unreach[16] = {
	"net unreachable", "host unreachable", "protocol unreachable",
	"port unreachable", "fragmentation needed and DF set",
	"source route failed", "destination network unknown",
	"destination host unknown", "source host isolated",
	"network administratively prohibited",
	"host administratively prohibited", "network unreachable for TOS",
	"host unreachable for TOS", "communication administratively prohibited",
	"host precedence violation", "precedence cutoff in effect",
};
static const char *const redirect[4] = {
	"for network", "for host", "for TOS and network", "for TOS and host",
};
static const char *const timxceed[2] = {
	"TTL exceeded in transit", "fragment reassembly time exceeded",
};
static const char *const paramprob[3] = {
	"pointer indicates the error", "missing a required option", "bad length",
};
static const struct icmp_codes icmp_codes[] = {
	CODES(3, unreach), CODES(5, redirect), CODES(11, timxceed), CODES(12, paramprob),
};

static const char *const unreach6[9] = {
	"no route to destination", "administratively prohibited",
	"beyond scope of source address", "address unreachable",
	"port unreachable", "source address failed ingress/egress policy",
	"reject route to destination", "error in source routing header",
	"headers too long",
};
static const char *const timxceed6[2] = {
	"hop limit exceeded in transit", "fragment reassembly time exceeded",
};
static const char *const paramprob6[3] = {
	"erroneous header field", "unrecognized next header", "unrecognized IPv6 option",
};
static const struct icmp_codes icmp6_codes[] = {
	CODES(1, unreach6), CODES(3, timxceed6), CODES(4, paramprob6),
};

/* The name of code for a type of ICMP (v6: ICMPv6), or NULL. */
static const char *icmp_code_name(bool v6, uint8_t type, uint8_t code)
{
	const struct icmp_codes *t = v6 ? icmp6_codes : icmp_codes;
	size_t i, n = v6 ? sizeof(icmp6_codes) / sizeof(icmp6_codes[0]) :
			   sizeof(icmp_codes) / sizeof(icmp_codes[0]);

	for (i = 0; i < n; i++)
		if (t[i].type == type)
			return code < t[i].n ? t[i].names[code] : NULL;
	return NULL;
}

/*
 * Type, code and checksum, where ICMP and ICMPv6 both start; false (and
 * the packet marked cut) if they are not all there.
 */
static bool icmp_head(struct emit *e, struct cur *c, const struct l3info *l3, bool v6,
		      uint8_t *type, uint8_t *code)
{
	struct kcap_dec_info *I = e->info;
	uint32_t start = c->off;
	uint16_t sum;

	kdec_em_layer(e, v6 ? "ICMPv6" : "ICMP", v6 ? "icmp6" : "icmp");
	I->paylen = l3->l4len;
	GET_U8(c, *type);
	kdec_em_uint(e, "Type", "type", *type,
		     kdec_tok(v6 ? icmp6_type_names : icmp_type_names, *type), "type_name");
	GET_U8(c, *code);
	kdec_em_uint(e, "Code", "code", *code,
		     icmp_code_name(v6, *type, *code), "code_name");
	I->have_icmp = true;
	I->icmp_type = *type;
	I->icmp_code = *code;
	GET_BE16(c, sum);
	if (e->mode != EM_NONE)
		kdec_em_hex(e, "Checksum", "csum", sum, 4,
			    l4_csum_status(l3, v6 ? 58 : 1, c, start), "csum_status");
	return true;
trunc:
	kdec_em_trunc(e);
	return false;
}

/* The data after a message's first hdr bytes. */
static void icmp_data(struct emit *e, struct cur *c, const struct l3info *l3, uint32_t hdr)
{
	kdec_payload(e, c, l3->l4len >= hdr ? l3->l4len - hdr : 0, "Data");
}

/* An echo request or reply (and ICMP's timestamps and masks): id, sequence, data. */
static void icmp_echo(struct emit *e, struct cur *c, const struct l3info *l3)
{
	uint16_t id, seq;

	GET_BE16(c, id);
	kdec_em_uint(e, "Identifier", "id", id, NULL, NULL);
	GET_BE16(c, seq);
	kdec_em_uint(e, "Sequence Number", "seq", seq, NULL, NULL);
	icmp_data(e, c, l3, 8);
	return;
trunc:
	kdec_em_trunc(e);
}

/* An ICMP error quotes the datagram that caused it: decode that too. */
static void dec_quoted(struct emit *e, struct cur *c, int ver, uint32_t l4len)
{
	struct kcap_dec_info scratch, *save = e->info;
	uint32_t want = l4len >= 8 ? l4len - 8 : 0;

	/* The quote's own markers are its; the packet is cut if it is. */
	if (cur_left(c) < want) {
		if (!cur_left(c)) {
			kdec_em_trunc(e);
			return;
		}
		e->info->truncated = true;
	}
	if (!cur_left(c))
		return;
	if (e->inner >= 2) {
		kdec_payload(e, c, want, "Quoted Data");
		return;
	}
	memset(&scratch, 0, sizeof(scratch));
	scratch.wscale = -1;
	e->info = &scratch;
	e->inner++;
	if (ver == 4)
		kdec_ipv4(e, c);
	else
		kdec_ipv6(e, c);
	e->inner--;
	e->info = save;
}

static void dec_icmp(struct emit *e, struct cur *c, const struct l3info *l3)
{
	uint8_t type, code;
	uint16_t mtu;
	uint32_t w;
	char buf[16];
	uint8_t gw[4];

	if (!icmp_head(e, c, l3, false, &type, &code))
		return;
	switch (type) {
	case 0: case 8: case 13: case 14: case 17: case 18:
		icmp_echo(e, c, l3);
		return;
	case 3:
		SKIP(c, 2);
		GET_BE16(c, mtu);
		if (code == 4)
			kdec_em_uint(e, "Next-hop MTU", "mtu", mtu, NULL, NULL);
		break;
	case 5:
		GET_BYTES(c, gw, 4);
		kdec_fmt_ip4(buf, gw);
		kdec_em_str(e, "Gateway", "gateway", buf);
		break;
	case 4: case 11: case 12:
		GET_BE32(c, w);
		if (type == 12)
			kdec_em_uint(e, "Pointer", "pointer", w >> 24, NULL, NULL);
		break;
	default:
		icmp_data(e, c, l3, 4);
		return;
	}
	/* The errors quote the datagram that caused them. */
	dec_quoted(e, c, 4, l3->l4len);
	return;
trunc:
	kdec_em_trunc(e);
}

/* Neighbour discovery options: type, length in units of 8 bytes. */
static void nd_options(struct emit *e, struct cur *c, uint32_t want)
{
	char tv[96], jv[128], buf[48];
	uint32_t avail = cur_left(c);

	if (avail < want && !avail)
		goto trunc;
	if (!cur_left(c))
		return;
	kdec_em_list(e, "ND Options", "nd_options", "");
	while (cur_left(c)) {
		uint8_t type, len, a[16];
		struct cur b;

		GET_U8(c, type);
		GET_U8(c, len);
		if (len == 0) {
			kdec_em_malformed(e, "ND option length 0");
			return;
		}
		if (!cur_have(c, len * 8u - 2))
			goto trunc;
		b = cur_take(c, len * 8u - 2);
		if ((type == 1 || type == 2) && len == 1) {
			GET_BYTES(&b, a, 6);
			kdec_fmt_mac(buf, a);
			snprintf(jv, sizeof(jv), "\"addr\":\"%s\"", buf);
			kdec_em_item(e, type == 1 ? "Source LL Address" :
				"Target LL Address", type == 1 ? "slla" : "tlla",
				buf, jv);
		} else if (type == 3 && len == 4) {
			uint8_t plen, fl;
			uint32_t valid, pref;

			GET_U8(&b, plen);
			GET_U8(&b, fl);
			GET_BE32(&b, valid);
			GET_BE32(&b, pref);
			SKIP(&b, 4);
			GET_BYTES(&b, a, 16);
			kdec_fmt_ip6(buf, a);
			snprintf(tv, sizeof(tv), "%s/%u, flags%s%s, valid %u, preferred %u",
				 buf, plen, fl & 0x80 ? " L" : "", fl & 0x40 ? " A" : "",
				 valid, pref);
			snprintf(jv, sizeof(jv), "\"prefix\":\"%s\",\"plen\":%u,\"flags\":%u,"
				 "\"valid\":%u,\"preferred\":%u", buf, plen, fl, valid, pref);
			kdec_em_item(e, "Prefix Information", "prefix", tv, jv);
		} else if (type == 5 && len == 1) {
			uint32_t mtu;

			SKIP(&b, 2);
			GET_BE32(&b, mtu);
			snprintf(tv, sizeof(tv), "%u", mtu);
			snprintf(jv, sizeof(jv), "\"mtu\":%u", mtu);
			kdec_em_item(e, "MTU", "mtu", tv, jv);
		} else {
			snprintf(tv, sizeof(tv), "type %u, length %u", type, len * 8u);
			snprintf(jv, sizeof(jv), "\"type\":%u,\"len\":%u", type, len * 8u);
			kdec_em_item(e, type == 25 ? "Recursive DNS Server" :
				type == 31 ? "DNS Search List" : "Unknown", "other", tv, jv);
		}
	}
	kdec_em_group_end(e);
	if (avail < want)
		goto trunc;
	return;
trunc:
	kdec_em_trunc(e);
}

/* L4 bytes the headers promise beyond what was read so far. */
static uint32_t rest_of(const struct l3info *l3, const struct cur *c, uint32_t start)
{
	uint32_t used = c->off - start;

	return l3->l4len > used ? l3->l4len - used : 0;
}

/* Neighbour discovery: the message's fixed part, then its options. */
static void icmp6_nd(struct emit *e, struct cur *c, const struct l3info *l3, uint8_t type,
		     uint32_t start)
{
	uint32_t w, reach, retrans;
	uint8_t a[16], hl, fl;
	uint16_t life;
	char buf[48];

	switch (type) {
	case 133:
		SKIP(c, 4);
		break;
	case 134:
		GET_U8(c, hl);
		kdec_em_uint(e, "Cur Hop Limit", "cur_hlim", hl, NULL, NULL);
		GET_U8(c, fl);
		kdec_em_group(e, "Flags", "flags", fl, 2, NULL);
		kdec_em_sub(e, "Managed (M)", "m", fl >> 7, NULL, NULL);
		kdec_em_sub(e, "Other (O)", "o", (fl >> 6) & 1, NULL, NULL);
		kdec_em_group_end(e);
		GET_BE16(c, life);
		kdec_em_uint(e, "Router Lifetime", "lifetime", life, NULL, NULL);
		GET_BE32(c, reach);
		kdec_em_uint(e, "Reachable Time", "reachable", reach, NULL, NULL);
		GET_BE32(c, retrans);
		kdec_em_uint(e, "Retrans Timer", "retrans", retrans, NULL, NULL);
		break;
	default:	/* 135, 136, 137: a target, and for a redirect its destination */
		GET_BE32(c, w);
		if (type == 136) {
			kdec_em_group(e, "Flags", "flags", w >> 29, 1, NULL);
			kdec_em_sub(e, "Router (R)", "r", w >> 31, NULL, NULL);
			kdec_em_sub(e, "Solicited (S)", "s", (w >> 30) & 1, NULL, NULL);
			kdec_em_sub(e, "Override (O)", "o", (w >> 29) & 1, NULL, NULL);
			kdec_em_group_end(e);
		}
		GET_BYTES(c, a, 16);
		kdec_fmt_ip6(buf, a);
		kdec_em_str(e, "Target Address", "target", buf);
		if (type == 137) {
			GET_BYTES(c, a, 16);
			kdec_fmt_ip6(buf, a);
			kdec_em_str(e, "Destination Address", "dest", buf);
		}
		break;
	}
	nd_options(e, c, rest_of(l3, c, start));
	return;
trunc:
	kdec_em_trunc(e);
}

static void dec_icmp6(struct emit *e, struct cur *c, const struct l3info *l3)
{
	uint32_t start = c->off, w;
	uint8_t type, code, a[16];
	uint16_t delay;
	char buf[48];

	if (!icmp_head(e, c, l3, true, &type, &code))
		return;
	switch (type) {
	case 1: case 3:
		SKIP(c, 4);
		break;
	case 2: case 4:
		GET_BE32(c, w);
		kdec_em_uint(e, type == 2 ? "MTU" : "Pointer", type == 2 ? "mtu" : "pointer",
			w, NULL, NULL);
		break;
	case 128: case 129:
		icmp_echo(e, c, l3);
		return;
	case 130: case 131: case 132:
		GET_BE16(c, delay);
		kdec_em_uint(e, "Maximum Response Delay", "max_delay", delay, NULL, NULL);
		SKIP(c, 2);
		GET_BYTES(c, a, 16);
		kdec_fmt_ip6(buf, a);
		kdec_em_str(e, "Multicast Address", "group", buf);
		return;
	case 133: case 134: case 135: case 136: case 137:
		icmp6_nd(e, c, l3, type, start);
		return;
	default:
		icmp_data(e, c, l3, 4);
		return;
	}
	/* The errors quote the packet that caused them. */
	dec_quoted(e, c, 6, l3->l4len);
	return;
trunc:
	kdec_em_trunc(e);
}

void kdec_l4(struct emit *e, struct cur *c, uint8_t proto, const struct l3info *l3)
{
	/* Tunnels: only a whole datagram's payload is a packet of its own. */
	if (l3->whole && (proto == 4 || proto == 41 || proto == 47 || proto == 137)) {
		e->info->paylen = l3->l4len;
		if (proto == 47) {
			kdec_gre(e, c, l3);
			return;
		}
		if (!kdec_enter(e, c))
			return;
		if (proto == 4)
			kdec_ipv4(e, c);
		else if (proto == 41)
			kdec_ipv6(e, c);
		else
			kdec_mpls(e, c);
		return;
	}
	switch (proto) {
	case 6:
		dec_tcp(e, c, l3);
		return;
	case 17:
		dec_udp(e, c, l3);
		return;
	case 1:
		if (l3->ver == 4) {
			dec_icmp(e, c, l3);
			return;
		}
		break;
	case 58:
		dec_icmp6(e, c, l3);
		return;
	}
	e->info->paylen = l3->l4len;
	kdec_payload(e, c, l3->l4len, "Payload");
}

/* Length by the headers, and a printable preview of what was captured. */
void kdec_payload(struct emit *e, struct cur *c, uint32_t len, const char *title)
{
	char pv[260];
	uint32_t n, i;

	if (!len && !cur_left(c))
		return;
	if (e->mode == EM_NONE) {
		if (cur_left(c) < len)
			kdec_em_trunc(e);
		return;
	}
	kdec_em_layer(e, title, "payload");
	kdec_em_uint(e, "Length", "len", len, NULL, NULL);
	n = cur_left(c) < e->preview ? cur_left(c) : e->preview;
	if (n > sizeof(pv) - 4)
		n = sizeof(pv) - 4;
	if (!e->no_payload && n) {
		const uint8_t *p = cur_ptr(c);

		for (i = 0; i < n; i++)
			pv[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.';
		if (n < cur_left(c))
			memcpy(pv + n, "...", 4);
		else
			pv[n] = '\0';
		kdec_em_str(e, "Data", "preview", pv);
	}
	if (cur_left(c) < len)
		kdec_em_trunc(e);
}
