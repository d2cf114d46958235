// SPDX-License-Identifier: GPL-2.0
/*
 * tcpdump's lines for IPv4 (options, fragments, header checksum) and IPv6
 * (hop-by-hop and destination options, routing, fragment headers), AH,
 * the ESP header, and the demultiplexer above them (print-ip.c,
 * print-ip6.c, print-ip6opts.c, print-rt6.c, print-frag6.c, print-ah.c,
 * print-ip-demux.c). The checksum helpers are the decoders' (dec_ip.c).
 */
#include <string.h>

#include "dec.h"
#include "line.h"

#define IPPROTO_HOPOPTS		0
#define IPPROTO_ICMP		1
#define IPPROTO_IGMP		2
#define IPPROTO_IPV4		4
#define IPPROTO_TCP		6
#define IPPROTO_DCCP		33
#define IPPROTO_UDP		17
#define IPPROTO_IPV6		41
#define IPPROTO_ROUTING		43
#define IPPROTO_FRAGMENT	44
#define IPPROTO_ESP		50
#define IPPROTO_AH		51
#define IPPROTO_ICMPV6		58
#define IPPROTO_NONE		59
#define IPPROTO_DSTOPTS		60
#define IPPROTO_MOBILITY_OLD	62
#define IPPROTO_ND		77
#define IPPROTO_SCTP		132
#define IPPROTO_MOBILITY	135

#define IP_MF		0x2000
#define IP_DF		0x4000
#define IP_RES		0x8000
#define IP_OFFMASK	0x1fff

uint16_t kdec_lp_in_cksum(const uint8_t *p, uint32_t len)
{
	return kcap_csum_fold(kcap_csum_add(0, p, len));
}

/* in_cksum_shouldbe(): what the checksum field should have held */
uint16_t kdec_lp_cksum_shouldbe(uint16_t sum, uint16_t computed)
{
	uint32_t s = (uint32_t)sum + computed;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* ip_finddst(): the final destination of a source route, for checksums */
static const uint8_t *ip_finddst(struct lp *lp, const uint8_t *ip)
{
	uint32_t length = (uint32_t)(ip[0] & 15) * 4, len;
	const uint8_t *cp = ip + 20;

	if (length < 20)
		return ip + 16;
	for (length -= 20; length != 0; cp += len, length -= len) {
		uint8_t tt = lp_u8(lp, cp);

		if (tt == 0)
			break;
		if (tt == 1) {
			len = 1;
		} else {
			len = lp_u8(lp, cp + 1);
			if (len < 2)
				break;
		}
		if (length < len || !lp_ttest(lp, cp, len))
			break;
		if ((tt == 137 || tt == 131) && len >= 7)
			return cp + len - 4;
	}
	return ip + 16;
}

uint16_t kdec_lp_nextproto4_cksum(struct lp *lp, const uint8_t *ip,
			     const uint8_t *data, uint32_t len, uint8_t proto)
{
	uint8_t ph[12];
	uint32_t sum;

	memcpy(ph, ip + 12, 4);
	if ((ip[0] & 15) == 5)
		memcpy(ph + 4, ip + 16, 4);
	else
		memcpy(ph + 4, ip_finddst(lp, ip), 4);
	ph[8] = 0;
	ph[9] = proto;
	ph[10] = (uint8_t)(len >> 8);
	ph[11] = (uint8_t)len;
	sum = kcap_csum_add(0, ph, sizeof(ph));
	return kcap_csum_fold(kcap_csum_add(sum, data, len));
}

/* ip6_finddst(): the last address of a routing header, for checksums */
static void ip6_finddst(struct lp *lp, uint8_t *dst, const uint8_t *ip6)
{
	const uint8_t *cp = ip6, *dst_addr = ip6 + 24, *p;
	uint32_t advance = 40, nh = lp_u8(lp, ip6 + 6), i, len;

	while ((uintptr_t)cp < (uintptr_t)lp->snapend) {
		cp += advance;
		switch (nh) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_DSTOPTS:
		case IPPROTO_MOBILITY_OLD:
		case IPPROTO_MOBILITY:
			advance = (uint32_t)(lp_u8(lp, cp + 1) + 1) << 3;
			nh = lp_u8(lp, cp);
			continue;
		case IPPROTO_FRAGMENT:
			advance = 8;
			nh = lp_u8(lp, cp);
			continue;
		case IPPROTO_ROUTING:
			if (!lp_ttest(lp, cp, 4))
				goto done;
			len = cp[1];
			switch (cp[2]) {
			case 0:
			case 2:
				if (len % 2 == 1)
					goto done;
				len >>= 1;
				p = cp + 8;
				for (i = 0; i < len; i++) {
					if (!lp_ttest(lp, p, 16))
						goto done;
					dst_addr = p;
					p += 16;
				}
				break;
			case 4:
				if (len % 2 == 1)
					goto done;
				if (!lp_ttest(lp, cp + 8, 16))
					goto done;
				dst_addr = cp + 8;
				break;
			}
			goto done;
		default:
			goto done;
		}
	}
done:
	lp_need(lp, dst_addr, 16);
	memcpy(dst, dst_addr, 16);
}

uint16_t kdec_lp_nextproto6_cksum(struct lp *lp, const uint8_t *ip6,
			     const uint8_t *data, uint32_t len, uint8_t proto)
{
	uint8_t ph[40] = { 0 };
	uint32_t sum;

	lp_need(lp, ip6 + 8, 16);
	memcpy(ph, ip6 + 8, 16);
	switch (lp_u8(lp, ip6 + 6)) {
	case IPPROTO_HOPOPTS:
	case IPPROTO_DSTOPTS:
	case IPPROTO_MOBILITY_OLD:
	case IPPROTO_MOBILITY:
	case IPPROTO_FRAGMENT:
	case IPPROTO_ROUTING:
		ip6_finddst(lp, ph + 16, ip6);
		break;
	default:
		lp_need(lp, ip6 + 24, 16);
		memcpy(ph + 16, ip6 + 24, 16);
		break;
	}
	ph[32] = (uint8_t)(len >> 24);
	ph[33] = (uint8_t)(len >> 16);
	ph[34] = (uint8_t)(len >> 8);
	ph[35] = (uint8_t)len;
	ph[39] = proto;
	sum = kcap_csum_add(0, ph, sizeof(ph));
	return kcap_csum_fold(kcap_csum_add(sum, data, len));
}

/* IPv4 options */
static const struct kdec_tok ip_option_values[] = {
	{ 0, "EOL" }, { 1, "NOP" }, { 68, "timestamp" }, { 130, "security" },
	{ 7, "RR" }, { 137, "SSRR" }, { 131, "LSRR" }, { 148, "RA" },
	{ 82, "traceroute" }, { 0, NULL },
};

static int ip_printroute(struct lp *lp, const uint8_t *cp, uint32_t length)
{
	uint32_t ptr, len;

	if (length < 3) {
		kdec_lp_printf(lp, " [bad length %u]", length);
		return 0;
	}
	if ((length + 1) & 3)
		kdec_lp_printf(lp, " [bad length %u]", length);
	ptr = (uint32_t)lp_u8(lp, cp + 2) - 1;
	if (ptr < 3 || ((ptr + 1) & 3) || ptr > length + 1)
		kdec_lp_printf(lp, " [bad ptr %u]", cp[2]);
	for (len = 3; len < length; len += 4) {
		if (!lp_ttest(lp, cp + len, 4))
			return -1;
		kdec_lp_printf(lp, " %s", kdec_lp_ipaddr(lp, cp + len));
		if (ptr > len)
			lp_putc(lp, ',');
	}
	return 0;
}

static int ip_printts(struct lp *lp, const uint8_t *cp, uint32_t length)
{
	uint32_t ptr, len = 0, hoplen;
	const char *type;

	if (length < 4) {
		kdec_lp_printf(lp, "[bad length %u]", length);
		return 0;
	}
	lp_puts(lp, " TS{");
	hoplen = (lp_u8(lp, cp + 3) & 0xf) != 0 ? 8 : 4;
	if ((length - 4) & (hoplen - 1))
		kdec_lp_printf(lp, "[bad length %u]", length);
	ptr = (uint32_t)lp_u8(lp, cp + 2) - 1;
	if (ptr < 4 || ((ptr - 4) & (hoplen - 1)) || ptr > length + 1)
		kdec_lp_printf(lp, "[bad ptr %u]", cp[2]);
	switch (cp[3] & 0xf) {
	case 0:
		lp_puts(lp, "TSONLY");
		break;
	case 1:
		lp_puts(lp, "TS+ADDR");
		break;
	case 3:
		lp_puts(lp, "PRESPEC");
		break;
	default:
		kdec_lp_printf(lp, "[bad ts type %u]", cp[3] & 0xf);
		goto done;
	}
	type = " ";
	for (len = 4; len < length; len += hoplen) {
		const char *a = "";
		uint32_t t;

		if (ptr == len)
			type = " ^ ";
		if (!lp_ttest(lp, cp + len, hoplen))
			return -1;
		t = lp_be32(lp, cp + len + hoplen - 4);
		if (hoplen == 8)
			a = kdec_lp_ipaddr(lp, cp + len);
		kdec_lp_printf(lp, "%s%u@%s", type, t, a);
		type = " ";
	}
done:
	lp_puts(lp, ptr == len ? " ^ " : "");
	if (cp[3] >> 4)
		kdec_lp_printf(lp, " [%u hops not recorded]} ", cp[3] >> 4);
	else
		lp_putc(lp, '}');
	return 0;
}

/* -1 if the options were cut short */
static int ip_optprint(struct lp *lp, const uint8_t *cp, uint32_t length)
{
	const char *sep = "";
	uint32_t option_len;

	for (; length > 0; cp += option_len, length -= option_len) {
		uint8_t code;
		const char *n;

		lp_puts(lp, sep);
		sep = ",";
		code = lp_u8(lp, cp);
		n = kdec_tok(ip_option_values, code);
		if (n)
			lp_puts(lp, n);
		else
			kdec_lp_printf(lp, "unknown %u", code);
		if (code == 0 || code == 1) {
			option_len = 1;
		} else {
			option_len = lp_u8(lp, cp + 1);
			if (option_len < 2) {
				kdec_lp_printf(lp, " [bad length %u]", option_len);
				return 0;
			}
		}
		if (option_len > length) {
			kdec_lp_printf(lp, " [bad length %u]", option_len);
			return 0;
		}
		if (!lp_ttest(lp, cp, option_len))
			return -1;
		switch (code) {
		case 0:
			return 0;
		case 68:
			if (ip_printts(lp, cp, option_len) == -1)
				return -1;
			break;
		case 7:
		case 137:
		case 131:
			if (ip_printroute(lp, cp, option_len) == -1)
				return -1;
			break;
		case 148:
			if (option_len < 4) {
				kdec_lp_printf(lp, " [bad length %u]", option_len);
				break;
			}
			if (!lp_ttest(lp, cp + 3, 1))
				return -1;
			if (be16_at(cp + 2))
				kdec_lp_printf(lp, " value %u", be16_at(cp + 2));
			break;
		}
	}
	return 0;
}

static const struct kdec_tok ip_frag_values[] = {
	{ IP_MF, "+" }, { IP_DF, "DF" }, { IP_RES, "rsvd" }, { 0, NULL },
};

/* The fixed header, need bytes, captured and within the length; if not, says so. */
static bool fixed_header_ok(struct lp *lp, const uint8_t *ip, uint32_t length, uint32_t need,
			    const char *name)
{
	if (!lp_ttest(lp, ip, need)) {
		kdec_lp_print_trunc(lp);
		return false;
	}
	if (length < need) {
		kdec_lp_printf(lp, "truncated-%s %u", name, length);
		return false;
	}
	return true;
}

/* " name" of an IP protocol (none with -n), or " ip-proto-N" */
static void proto_name_print(struct lp *lp, uint8_t proto)
{
	const char *pn = lp->o->nflag ? NULL : kdec_lp_netdb_protoname(lp, proto);

	if (pn)
		kdec_lp_printf(lp, " %s", pn);
	else
		kdec_lp_printf(lp, " ip-proto-%u", proto);
}

static void ip_addrs_print(struct lp *lp, const uint8_t *ip, const char *sep)
{
	const char *s = kdec_lp_ipaddr(lp, ip + 12), *d = kdec_lp_ipaddr(lp, ip + 16);

	kdec_lp_printf(lp, "%s > %s%s", s, d, sep);
}

static void ip_verbose_print(struct lp *lp, const uint8_t *ip, uint32_t hlen,
			     bool *truncated)
{
	static const char *const ecn[4] = { "", ",ECT(1)", ",ECT(0)", ",CE" };
	uint16_t off = be16_at(ip + 6);
	const char *pn = kdec_lp_ipproto_name(ip[9]);
	char flags[32];

	kdec_lp_printf(lp, "(tos 0x%x%s", ip[1], ecn[ip[1] & 3]);
	if (ip[8] >= 1)
		kdec_lp_printf(lp, ", ttl %u", ip[8]);
	kdec_lp_bittok(flags, sizeof(flags), ip_frag_values, "none",
		  off & (IP_RES | IP_DF | IP_MF), ", ");
	kdec_lp_printf(lp, ", id %u, offset %u, flags [%s], proto %s (%u)",
		  be16_at(ip + 4), (off & IP_OFFMASK) * 8, flags,
		  pn ? pn : "unknown", ip[9]);
	kdec_lp_printf(lp, ", length %u", be16_at(ip + 2));
	if (hlen > 20) {
		lp_puts(lp, ", options (");
		if (ip_optprint(lp, ip + 20, hlen - 20) == -1) {
			lp_puts(lp, " [truncated-option]");
			*truncated = true;
		}
		lp_putc(lp, ')');
	}
	if (!lp->o->Kflag && lp_ttest(lp, ip, hlen)) {
		uint16_t sum = kdec_lp_in_cksum(ip, hlen);

		if (sum)
			kdec_lp_printf(lp, ", bad cksum %x (->%x)!", be16_at(ip + 10),
				  kdec_lp_cksum_shouldbe(be16_at(ip + 10), sum));
	}
	lp_puts(lp, ")\n    ");
}

static void depth_check(struct lp *lp)
{
	if (++lp->depth > LP_MAX_DEPTH)
		kdec_lp_longjmp(lp);
}

void kdec_lp_ip_print(struct lp *lp, const uint8_t *ip, uint32_t length)
{
	uint32_t hlen, len, off;
	struct lp_snap snap;
	bool truncated = false;
	uint8_t ver, proto;

	lp->proto = "ip";
	depth_check(lp);
	ver = lp_u8(lp, ip) >> 4;
	if (ver != 4) {
		if (ver == 6)
			lp_puts(lp, "IP6, wrong link-layer encapsulation");
		else
			kdec_lp_printf(lp, "IP%u", ver);
		kdec_lp_print_invalid(lp);
		goto out;
	}
	if (!lp->o->eflag)
		lp_puts(lp, "IP ");
	if (!fixed_header_ok(lp, ip, length, 20, "ip"))
		goto out;
	hlen = (uint32_t)(ip[0] & 15) * 4;
	if (hlen < 20) {
		kdec_lp_printf(lp, "bad-hlen %u", hlen);
		goto out;
	}
	len = be16_at(ip + 2);
	if (length < len)
		kdec_lp_printf(lp, "truncated-ip - %u bytes missing! ", len - length);
	if (len < hlen) {
		kdec_lp_printf(lp, "bad-len %u", len);
		goto out;
	}
	/* the datagram ends where its length says, not with the frame */
	kdec_lp_push_snaplen(lp, &snap, ip, len);
	len -= hlen;
	off = be16_at(ip + 6);
	proto = ip[9];
	if (lp->o->vflag) {
		ip_verbose_print(lp, ip, hlen, &truncated);
		if (truncated) {
			ip_addrs_print(lp, ip, ": ");
			kdec_lp_print_trunc(lp);
			goto pop;
		}
	}
	if ((off & IP_OFFMASK) == 0) {
		if (proto != IPPROTO_TCP && proto != IPPROTO_UDP &&
		    proto != IPPROTO_SCTP && proto != IPPROTO_DCCP)
			ip_addrs_print(lp, ip, ": ");
		if (!lp_ttest(lp, ip, hlen)) {
			kdec_lp_printf(lp, " [remaining caplen(%u) < header length(%u)]",
				  lp_avail(lp, ip), hlen);
			kdec_lp_longjmp(lp);
		}
		kdec_lp_ip_demux(lp, ip + hlen, len, 4, off & IP_MF, ip[8], proto, ip);
	} else if (lp->o->qflag < 2) {
		/* a later fragment: no transport header to print */
		ip_addrs_print(lp, ip, ":");
		proto_name_print(lp, proto);
	}
pop:
	kdec_lp_pop_snaplen(lp);
out:
	lp->depth--;
}

/*
 * Whether the option at op has the need bytes it must (left are there)
 * and a length byte that is right for it (len_ok); if not, says which.
 */
static bool ip6_opt_fits(struct lp *lp, const uint8_t *op, int left, int need,
			 const char *name, bool len_ok)
{
	if (left < need) {
		kdec_lp_printf(lp, "(%s: trunc)", name);
		return false;
	}
	if (!len_ok) {
		kdec_lp_printf(lp, "(%s: invalid len %u)", name, op[1]);
		return false;
	}
	return true;
}

/* The Jumbo Payload option at op: the jumbogram's length, if it is the first valid one. */
static int ip6_opt_jumbo(struct lp *lp, const uint8_t *op, int left, int *found_jumbo,
			 int *found_jumbop, uint32_t *payload_len)
{
	bool v = lp->o->vflag;
	uint32_t jumbolen;

	if (!ip6_opt_fits(lp, op, left, 6, "jumbo", op[1] == 4))
		return -1;
	jumbolen = lp_be32(lp, op + 2);
	if (*found_jumbo) {
		if (v)
			kdec_lp_printf(lp, "(jumbo: %u - already seen) ", jumbolen);
		return 0;
	}
	*found_jumbo = 1;
	if (!payload_len) {
		if (v)
			kdec_lp_printf(lp, "(jumbo: %u - not a hop-by-hop option) ", jumbolen);
	} else if (*payload_len != 0) {
		if (v)
			kdec_lp_printf(lp, "(jumbo: %u - payload len != 0) ", jumbolen);
	} else if (jumbolen < 65536) {
		if (v)
			kdec_lp_printf(lp, "(jumbo: %u - < 65536) ", jumbolen);
	} else {
		*found_jumbop = 1;
		*payload_len = jumbolen;
		if (v)
			kdec_lp_printf(lp, "(jumbo: %u) ", jumbolen);
	}
	return 0;
}

/* An option's length (Pad1's one byte, or two more than its length byte); -1 past left. */
static int ip6_optlen(struct lp *lp, const uint8_t *p, int left)
{
	int n;

	if (lp_u8(lp, p) == 0)
		n = 1;
	else if (left > 1)
		n = lp_u8(lp, p + 1) + 2;
	else
		return -1;
	return n > left ? -1 : n;
}

/* ip6_sopt_print(): the sub-options after the Home Address option's address */
static int ip6_sopt_print(struct lp *lp, const uint8_t *op, int optlen)
{
	int k, ol;

	for (k = 18; op[1] > 16 && k < optlen; k += ol) {
		uint8_t st = lp_u8(lp, op + k);

		ol = ip6_optlen(lp, op + k, optlen - k);
		if (ol < 0)
			return -1;
		if (st == 0) {
			lp_puts(lp, ", pad1");
		} else if (st == 1) {
			if (optlen - k < 2) {
				lp_puts(lp, ", padn: trunc");
				return -1;
			}
			lp_puts(lp, ", padn");
		} else {
			if (optlen - k < 2) {
				kdec_lp_printf(lp, ", sopt_type %u: trunc)", st);
				return -1;
			}
			kdec_lp_printf(lp, ", sopt_type 0x%02x: len=%u", st,
				       lp_u8(lp, op + k + 1));
		}
	}
	return 0;
}

static int ip6_opt_homeaddr(struct lp *lp, const uint8_t *op, int left, int optlen)
{
	if (!ip6_opt_fits(lp, op, left, 18, "homeaddr", op[1] >= 16))
		return -1;
	if (!lp->o->vflag)
		return 0;
	kdec_lp_printf(lp, "(homeaddr: %s", kdec_lp_ip6addr(lp, op + 2));
	if (ip6_sopt_print(lp, op, optlen) == -1)
		return -1;
	lp_putc(lp, ')');
	return 0;
}

/* One option of left bytes from op, optlen of them its own; -1 if it is bad. */
static int ip6_opt_print(struct lp *lp, const uint8_t *op, int left, int optlen,
			 int *found_jumbo, int *found_jumbop, uint32_t *payload_len)
{
	bool v = lp->o->vflag;
	uint8_t t = op[0];

	switch (t) {
	case 0x00:
		if (v)
			lp_puts(lp, "(pad1)");
		break;
	case 0x01:
		if (!ip6_opt_fits(lp, op, left, 2, "padn", true))
			return -1;
		if (v)
			lp_puts(lp, "(padn)");
		break;
	case 0x05:
		if (!ip6_opt_fits(lp, op, left, 4, "rtalert", op[1] == 2))
			return -1;
		if (v)
			kdec_lp_printf(lp, "(rtalert: 0x%04x) ", lp_be16(lp, op + 2));
		break;
	case 0xc2:
		return ip6_opt_jumbo(lp, op, left, found_jumbo, found_jumbop, payload_len);
	case 0xc9:
		return ip6_opt_homeaddr(lp, op, left, optlen);
	default:
		if (left < 2) {
			kdec_lp_printf(lp, "(type %u: trunc)", t);
			return -1;
		}
		if (v)
			kdec_lp_printf(lp, "(opt_type 0x%02x: len=%u)", t, op[1]);
		break;
	}
	return 0;
}

/* IPv6 extension headers */
static int ip6_opt_process(struct lp *lp, const uint8_t *bp, int len,
			   int *found_jumbop, uint32_t *payload_len)
{
	int i, optlen = 0, found_jumbo = 0;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i += optlen) {
		optlen = ip6_optlen(lp, bp + i, len - i);
		if (optlen < 0)
			return -1;
		if (ip6_opt_print(lp, bp + i, len - i, optlen, &found_jumbo, found_jumbop,
				  payload_len) == -1)
			return -1;
	}
	if (lp->o->vflag)
		lp_putc(lp, ' ');
	return 0;
}

/*
 * Hop-by-Hop (hbh) or Destination Options: the header's length, or -1 if
 * cut short. Hop-by-Hop's are read always (a jumbogram's length is one),
 * the others only to be printed, with -v.
 */
static int opts_header_process(struct lp *lp, const uint8_t *bp, bool hbh, int *found_jumbo,
			       uint32_t *jumbolen)
{
	uint32_t hlen;

	lp->proto = hbh ? "hbhopt" : "dstopt";
	hlen = (uint32_t)(lp_u8(lp, bp + 1) + 1) << 3;
	if (!lp_ttest(lp, bp, hlen))
		goto trunc;
	lp_puts(lp, hbh ? "HBH " : "DSTOPT ");
	if ((hbh || lp->o->vflag) &&
	    ip6_opt_process(lp, bp + 2, (int)hlen - 2, found_jumbo, jumbolen) == -1)
		goto trunc;
	return (int)hlen;
trunc:
	kdec_lp_print_trunc(lp);
	return -1;
}

static int frag6_print(struct lp *lp, const uint8_t *bp, const uint8_t *ip6)
{
	uint16_t off;
	uint64_t rest;

	lp->proto = "frag6";
	if (lp->o->vflag)
		lp_need(lp, bp + 4, 4);
	lp_need(lp, bp + 2, 2);
	lp_need(lp, ip6 + 4, 2);
	off = be16_at(bp + 2) & 0xfff8;
	/* size_t arithmetic, as tcpdump's: a short datagram wraps */
	rest = (uint64_t)40 + be16_at(ip6 + 4) - (uint64_t)(bp - ip6) - 8;
	if (lp->o->vflag)
		kdec_lp_printf(lp, "frag (0x%08x:%u|%llu)", be32_at(bp + 4), off,
			  (unsigned long long)rest);
	else
		kdec_lp_printf(lp, "frag (%u|%llu)", off, (unsigned long long)rest);
	if (off != 0)
		return -1;
	lp_putc(lp, ' ');
	return 8;
}

static int rt6_print(struct lp *lp, const uint8_t *bp)
{
	uint32_t len, type, i;
	const uint8_t *p;

	lp->proto = "rt6";
	kdec_lp_print_proto_caps(lp);
	len = lp_u8(lp, bp + 1);
	kdec_lp_printf(lp, " (len=%u", len);
	type = lp_u8(lp, bp + 2);
	kdec_lp_printf(lp, ", type=%u", type);
	if (type == 0)
		lp_puts(lp, " [Deprecated]");
	kdec_lp_printf(lp, ", segleft=%u", lp_u8(lp, bp + 3));
	switch (type) {
	case 0:
	case 2: {
		uint32_t rsv = lp_be32(lp, bp + 4);

		if (rsv || lp->o->vflag)
			kdec_lp_printf(lp, ", rsv=0x%0x", rsv);
		break;
	}
	case 4: {
		uint8_t flags;

		kdec_lp_printf(lp, ", last-entry=%u", lp_u8(lp, bp + 4));
		flags = lp_u8(lp, bp + 5);
		if (flags || lp->o->vflag)
			kdec_lp_printf(lp, ", flags=0x%0x", flags);
		kdec_lp_printf(lp, ", tag=%x", lp_be16(lp, bp + 6));
		break;
	}
	default:
		lp_puts(lp, " (unknown type)");
		kdec_lp_print_invalid(lp);
		return -1;
	}
	if (len % 2 == 1) {
		kdec_lp_printf(lp, " (invalid length %u)", len);
		kdec_lp_print_invalid(lp);
		return -1;
	}
	len >>= 1;
	for (i = 0, p = bp + 8; i < len; i++, p += 16)
		kdec_lp_printf(lp, ", [%u]%s", i, kdec_lp_ip6addr(lp, p));
	lp_puts(lp, ") ");
	return (int)((uint32_t)(lp_u8(lp, bp + 1) + 1) << 3);
}

static int ah_print(struct lp *lp, const uint8_t *bp)
{
	uint32_t hdr_len;
	uint16_t reserved;
	const uint8_t *p;
	uint8_t ah_len;

	lp->proto = "ah";
	kdec_lp_print_proto_caps(lp);
	ah_len = lp_u8(lp, bp + 1);
	hdr_len = ((uint32_t)ah_len + 2) * 4;
	lp_putc(lp, '(');
	if (lp->o->vflag)
		kdec_lp_printf(lp, "length=%u(%u-bytes),", ah_len, hdr_len);
	reserved = lp_be16(lp, bp + 2);
	if (reserved)
		kdec_lp_printf(lp, "reserved=0x%x[MustBeZero],", reserved);
	kdec_lp_printf(lp, "spi=0x%08x,", lp_be32(lp, bp + 4));
	kdec_lp_printf(lp, "seq=0x%x,", lp_be32(lp, bp + 8));
	lp_puts(lp, "icv=0x");
	for (p = bp + 12; (uintptr_t)p < (uintptr_t)bp + hdr_len; p++)
		kdec_lp_printf(lp, "%02x", lp_u8(lp, p));
	lp_puts(lp, "): ");
	return (int)hdr_len;
}

static void esp_print(struct lp *lp, const uint8_t *bp, uint32_t length)
{
	lp->proto = "esp";
	if (!lp_ttest(lp, bp, 9)) {
		kdec_lp_print_trunc(lp);
		return;
	}
	kdec_lp_printf(lp, "ESP(spi=0x%08x", be32_at(bp));
	kdec_lp_printf(lp, ",seq=0x%x)", be32_at(bp + 4));
	kdec_lp_printf(lp, ", length %u", length);
}

/*
 * The fixed header's checks and, with -v, its fields; false if the line
 * ends there. *len: the datagram's length by the header.
 */
static bool ip6_head_print(struct lp *lp, const uint8_t *ip6, uint32_t length, uint32_t *len)
{
	uint32_t payload_len;
	uint8_t nh;

	if (!fixed_header_ok(lp, ip6, length, 40, "ip6"))
		return false;
	if (!lp->o->eflag)
		lp_puts(lp, "IP6 ");
	if (ip6[0] >> 4 != 6) {
		kdec_lp_printf(lp, "version error: %u != 6", ip6[0] >> 4);
		return false;
	}
	payload_len = be16_at(ip6 + 4);
	if (payload_len != 0) {
		*len = payload_len + 40;
		if (length < *len)
			kdec_lp_printf(lp, "truncated-ip6 - %u bytes missing!", *len - length);
	} else {
		*len = length + 40;
	}
	nh = ip6[6];
	if (lp->o->vflag) {
		uint32_t flow = be32_at(ip6);
		const char *pn = kdec_lp_ipproto_name(nh);

		lp_putc(lp, '(');
		if (flow & 0x0ff00000)
			kdec_lp_printf(lp, "class 0x%02x, ", (flow & 0x0ff00000) >> 20);
		if (flow & 0x000fffff)
			kdec_lp_printf(lp, "flowlabel 0x%05x, ", flow & 0x000fffff);
		kdec_lp_printf(lp, "hlim %u, next-header %s (%u) payload length: %u) ",
			       ip6[7], pn ? pn : "unknown", nh, payload_len);
	}
	return true;
}

/* Where the walk over the extension headers is. */
struct ip6_walk {
	const uint8_t *ip6;
	uint32_t length, len, total_advance, payload_len;
	int found_ext, found_jumbo, found_hbh, fragmented;
	uint8_t ph;
};

/* The Hop-by-Hop header, first and once only: its length, or -1. */
static int ip6_hbh(struct lp *lp, struct ip6_walk *w, const uint8_t *cp)
{
	int advance;

	if (w->found_hbh) {
		lp_puts(lp, "[The Hop-by-Hop Options header was already found]");
		kdec_lp_print_invalid(lp);
		return -1;
	}
	if (w->ph != 255) {
		lp_puts(lp, "[The Hop-by-Hop Options header don't follow the IPv6 header]");
		kdec_lp_print_invalid(lp);
		return -1;
	}
	advance = opts_header_process(lp, cp, true, &w->found_jumbo, &w->payload_len);
	if (w->payload_len == 0 && w->found_jumbo == 0) {
		lp_puts(lp, "[No valid Jumbo Payload Hop-by-Hop option found]");
		kdec_lp_print_invalid(lp);
		return -1;
	}
	if (advance >= 0)
		w->found_hbh = 1;
	return advance;
}

/* The transport at cp, bounded by a jumbogram's length or the header's; false if cut. */
static bool ip6_upper(struct lp *lp, struct ip6_walk *w, const uint8_t *cp, uint8_t nh)
{
	const uint8_t *ip6 = w->ip6;

	if (w->found_jumbo) {
		w->len = w->payload_len + 40;
		if (w->len < w->total_advance)
			return false;
		if (w->length < w->len)
			kdec_lp_printf(lp, "truncated-ip6 - %u bytes missing!", w->len - w->length);
		kdec_lp_change_snaplen(lp, ip6, w->len);
		w->len -= w->total_advance;
	} else if (w->payload_len == 0) {
		if (w->found_ext)
			return false;
		w->len = 40;
		kdec_lp_change_snaplen(lp, ip6, w->len);
		w->len -= w->total_advance;
	}
	kdec_lp_ip_demux(lp, cp, w->len, 6, w->fragmented, ip6[7], nh, ip6);
	return true;
}

/*
 * One extension header at cp: its length (the next one's offset), 0 when
 * the transport was printed, -1 when the line ends, -2 when it was cut.
 */
static int ip6_ext(struct lp *lp, struct ip6_walk *w, const uint8_t *cp, uint8_t nh)
{
	int advance;

	switch (nh) {
	case IPPROTO_HOPOPTS:
		return ip6_hbh(lp, w, cp);
	case IPPROTO_DSTOPTS:
		return opts_header_process(lp, cp, false, NULL, NULL);
	case IPPROTO_FRAGMENT:
		advance = frag6_print(lp, cp, w->ip6);
		if (advance < 0 || !lp_ttest(lp, cp + advance, 1))
			return -1;
		w->fragmented = 1;
		return advance;
	case IPPROTO_ROUTING:
		if (!lp_ttest(lp, cp, 1))
			return -2;
		return rt6_print(lp, cp);
	default:
		return ip6_upper(lp, w, cp, nh) ? 0 : -2;
	}
}

void kdec_lp_ip6_print(struct lp *lp, const uint8_t *ip6, uint32_t length)
{
	struct ip6_walk w = { .ip6 = ip6, .length = length, .ph = 255 };
	struct lp_snap snap;
	const uint8_t *cp;
	int advance;
	uint8_t nh;

	lp->proto = "ip6";
	depth_check(lp);
	if (!ip6_head_print(lp, ip6, length, &w.len))
		goto out;
	w.payload_len = be16_at(ip6 + 4);
	nh = ip6[6];
	kdec_lp_push_snaplen(lp, &snap, ip6, w.len);
	cp = ip6;
	advance = 40;
	while ((uintptr_t)cp < (uintptr_t)lp->snapend && advance > 0) {
		if (w.len < (uint32_t)advance)
			goto trunc;
		cp += advance;
		w.len -= (uint32_t)advance;
		w.total_advance += (uint32_t)advance;
		if (cp == ip6 + 40 && nh != IPPROTO_TCP && nh != IPPROTO_UDP &&
		    nh != IPPROTO_DCCP && nh != IPPROTO_SCTP) {
			const char *s = kdec_lp_ip6addr(lp, ip6 + 8), *d = kdec_lp_ip6addr(lp, ip6 + 24);

			kdec_lp_printf(lp, "%s > %s: ", s, d);
		}
		advance = ip6_ext(lp, &w, cp, nh);
		if (advance == -2)
			goto trunc;
		if (advance <= 0)
			goto pop;
		w.found_ext = 1;
		nh = lp_u8(lp, cp);
		w.ph = nh;
		lp->proto = "ip6";
	}
	goto pop;
trunc:
	kdec_lp_print_trunc(lp);
pop:
	kdec_lp_pop_snaplen(lp);
out:
	lp->depth--;
}

static void requires(struct lp *lp, uint8_t nh, const char *ver)
{
	const char *pn = kdec_lp_ipproto_name(nh);

	kdec_lp_printf(lp, "[%s requires %s]", pn ? pn : "unknown", ver);
	kdec_lp_print_invalid(lp);
}

void kdec_lp_ip_demux(struct lp *lp, const uint8_t *bp, uint32_t length, int ver,
		 int fragmented, uint8_t ttl_hl, uint8_t nh, const uint8_t *iph)
{
	int advance;

	(void)ttl_hl;
again:
	switch (nh) {
	case IPPROTO_AH:
		if (!lp_ttest(lp, bp, 1)) {
			lp->proto = "ah";
			kdec_lp_print_trunc(lp);
			break;
		}
		nh = bp[0];
		advance = ah_print(lp, bp);
		if (advance <= 0)
			break;
		bp += advance;
		length -= (uint32_t)advance;
		goto again;
	case IPPROTO_ESP:
		esp_print(lp, bp, length);
		break;
	case IPPROTO_TCP:
		kdec_lp_tcp_print(lp, bp, length, iph, fragmented);
		break;
	case IPPROTO_UDP:
		kdec_lp_udp_print(lp, bp, length, iph, fragmented);
		break;
	case IPPROTO_ICMP:
	case IPPROTO_IGMP:
	case IPPROTO_ICMPV6:
		/* each belongs to one version of IP */
		if (ver != (nh == IPPROTO_ICMPV6 ? 6 : 4))
			requires(lp, nh, ver == 4 ? "IPv6" : "IPv4");
		else if (nh == IPPROTO_ICMP)
			kdec_lp_icmp_print(lp, bp, length, iph, fragmented);
		else if (nh == IPPROTO_IGMP)
			kdec_lp_igmp_print(lp, bp, length);
		else
			kdec_lp_icmp6_print(lp, bp, length, iph, fragmented);
		break;
	case IPPROTO_ND:
		kdec_lp_printf(lp, " nd %u", length);
		break;
	case IPPROTO_IPV4:
		kdec_lp_ip_print(lp, bp, length);
		break;
	case IPPROTO_IPV6:
		kdec_lp_ip6_print(lp, bp, length);
		break;
	case IPPROTO_NONE:
		lp_puts(lp, "no next header");
		break;
	default:
		/* GRE, OSPF, SCTP, ... have printers in tcpdump, not here */
		proto_name_print(lp, nh);
		kdec_lp_printf(lp, " %u", length);
		break;
	}
}
