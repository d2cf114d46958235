// SPDX-License-Identifier: GPL-2.0
/*
 * tcpdump's lines for ICMP (with -v, the quoted datagram and RFC 4884
 * extensions) and ICMPv6 (neighbour discovery with its options, MLD),
 * as print-icmp.c and print-icmp6.c print them.
 */
#include <stdio.h>
#include <string.h>

#include "line.h"

#define ICMP_ECHOREPLY		0
#define ICMP_UNREACH		3
#define ICMP_SOURCEQUENCH	4
#define ICMP_REDIRECT		5
#define ICMP_ECHO		8
#define ICMP_ROUTERADVERT	9
#define ICMP_TIMXCEED		11
#define ICMP_PARAMPROB		12
#define ICMP_TSTAMP		13
#define ICMP_TSTAMPREPLY	14
#define ICMP_MASKREPLY		18
#define ICMP_EXTD_MINLEN	136	/* 156 - sizeof(struct ip) */

static const struct kdec_tok icmp2str[] = {
	{ 0, "echo reply" }, { 4, "source quench" }, { 8, "echo request" },
	{ 10, "router solicitation" }, { 13, "time stamp request" },
	{ 14, "time stamp reply" }, { 15, "information request" },
	{ 16, "information reply" }, { 17, "address mask request" },
	{ 0, NULL },
};

/* Unreachable codes 0..15: whether the address leads ("net %s ...") */
static const char *const unreach_fmt[16] = {
	"net %s unreachable", "host %s unreachable", NULL, NULL, NULL,
	"%s unreachable - source route failed",
	"net %s unreachable - unknown", "host %s unreachable - unknown",
	"%s unreachable - source host isolated",
	"net %s unreachable - admin prohibited",
	"host %s unreachable - admin prohibited",
	"net %s unreachable - tos prohibited",
	"host %s unreachable - tos prohibited",
	"host %s unreachable - admin prohibited filter",
	"host %s unreachable - host precedence violation",
	"host %s unreachable - precedence cutoff",
};

static const char *const redirect_fmt[4] = {
	"redirect %s to net %s", "redirect %s to host %s",
	"redirect-tos %s to net %s", "redirect-tos %s to host %s",
};

static void tstamp(char *buf, size_t len, uint32_t t)
{
	uint32_t msec = t % 1000, sec = t / 1000, min = sec / 60, hrs;

	sec -= min * 60;
	hrs = min / 60;
	min -= hrs * 60;
	snprintf(buf, len, "%02u:%02u:%02u.%03u", hrs, min, sec, msec);
}

#define BUFLEN	1200	/* MAXHOSTNAMELEN + 100 and then some */

/* Destination unreachable: the quoted datagram says what was. */
static bool icmp_unreach_text(struct lp *lp, const uint8_t *dp, uint8_t code, char *buf)
{
	const uint8_t *oip = dp + 8;

	if (code == 2) {
		const char *a = kdec_lp_ipaddr(lp, oip + 16);

		snprintf(buf, BUFLEN, "%s protocol %u unreachable", a,
			 lp_u8(lp, oip + 9));
	} else if (code == 3) {
		const uint8_t *ouh;
		const char *a;
		uint16_t dport;
		uint8_t proto;

		if (!lp_ttest(lp, oip + 9, 1))
			return false;
		ouh = oip + (oip[0] & 15) * 4;
		dport = lp_be16(lp, ouh + 2);
		proto = oip[9];
		a = kdec_lp_ipaddr(lp, oip + 16);
		if (proto == 6)
			snprintf(buf, BUFLEN, "%s tcp port %s unreachable", a,
				 kdec_lp_tcpport(lp, dport));
		else if (proto == 17)
			snprintf(buf, BUFLEN, "%s udp port %s unreachable", a,
				 kdec_lp_udpport(lp, dport));
		else
			snprintf(buf, BUFLEN, "%s protocol %u port %u unreachable",
				 a, proto, dport);
	} else if (code == 4) {
		uint16_t mtu = lp_be16(lp, dp + 6);
		const char *a = kdec_lp_ipaddr(lp, oip + 16);

		if (mtu)
			snprintf(buf, BUFLEN, "%s unreachable - need to frag (mtu %u)",
				 a, mtu);
		else
			snprintf(buf, BUFLEN, "%s unreachable - need to frag", a);
	} else if (code < 16) {
		snprintf(buf, BUFLEN, unreach_fmt[code], kdec_lp_ipaddr(lp, oip + 16));
	} else {
		snprintf(buf, BUFLEN, "%s unreachable - #%u",
			 kdec_lp_ipaddr(lp, oip + 16), code);
	}
	return true;
}

/* A router advertisement: its lifetime and its addresses with their preferences. */
static bool icmp_routeradvert_text(struct lp *lp, const uint8_t *dp, char *buf)
{
	uint32_t lifetime, num, size;
	const uint8_t *idp;
	size_t n;

	snprintf(buf, BUFLEN, "router advertisement");
	if (!lp_ttest(lp, dp + 4, 4))
		return false;
	lifetime = be16_at(dp + 6);
	n = strlen(buf);
	if (lifetime < 60)
		snprintf(buf + n, BUFLEN - n, " lifetime %u", lifetime);
	else if (lifetime < 3600)
		snprintf(buf + n, BUFLEN - n, " lifetime %u:%02u",
			 lifetime / 60, lifetime % 60);
	else
		snprintf(buf + n, BUFLEN - n, " lifetime %u:%02u:%02u",
			 lifetime / 3600, lifetime % 3600 / 60, lifetime % 60);
	num = dp[4];
	n = strlen(buf);
	snprintf(buf + n, BUFLEN - n, " %u:", num);
	size = dp[5];
	if (size != 2) {
		n = strlen(buf);
		snprintf(buf + n, BUFLEN - n, " [size %u]", size);
		return true;
	}
	for (idp = dp + 8; num > 0; num--, idp += 8) {
		if (!lp_ttest(lp, idp, 8))
			return false;
		n = strlen(buf);
		snprintf(buf + n, BUFLEN - n, " {%s %u}", kdec_lp_ipaddr(lp, idp),
			 be32_at(idp + 4));
	}
	return true;
}

static bool icmp_tstampreply_text(struct lp *lp, const uint8_t *dp, char *buf)
{
	char o[20], r[20], t[20];

	if (!lp_ttest(lp, dp + 16, 4))
		return false;
	tstamp(o, sizeof(o), be32_at(dp + 8));
	tstamp(r, sizeof(r), be32_at(dp + 12));
	tstamp(t, sizeof(t), be32_at(dp + 16));
	snprintf(buf, BUFLEN, "time stamp reply id %u seq %u: org %s, recv %s, xmit %s",
		 be16_at(dp + 4), be16_at(dp + 6), o, r, t);
	return true;
}

/* Fills buf (or points *str elsewhere); false if cut short ("trunc"). */
static bool icmp_text(struct lp *lp, const uint8_t *dp, char *buf,
		      const char **str)
{
	uint8_t type = lp_u8(lp, dp), code = lp_u8(lp, dp + 1);
	const uint8_t *oip = dp + 8;

	*str = buf;
	switch (type) {
	case ICMP_ECHO:
	case ICMP_ECHOREPLY: {
		uint16_t id = lp_be16(lp, dp + 4), seq = lp_be16(lp, dp + 6);

		snprintf(buf, BUFLEN, "echo %s, id %u, seq %u",
			 type == ICMP_ECHO ? "request" : "reply", id, seq);
		break;
	}
	case ICMP_UNREACH:
		return icmp_unreach_text(lp, dp, code, buf);
	case ICMP_REDIRECT: {
		const char *a = kdec_lp_ipaddr(lp, oip + 16), *g = kdec_lp_ipaddr(lp, dp + 4);

		if (code < 4)
			snprintf(buf, BUFLEN, redirect_fmt[code], a, g);
		else
			snprintf(buf, BUFLEN, "redirect-#%u %s to %s", code, a, g);
		break;
	}
	case ICMP_ROUTERADVERT:
		return icmp_routeradvert_text(lp, dp, buf);
	case ICMP_TIMXCEED:
		if (!lp_ttest(lp, oip + 16, 4))
			return false;
		if (code == 0)
			*str = "time exceeded in-transit";
		else if (code == 1)
			*str = "ip reassembly time exceeded";
		else
			snprintf(buf, BUFLEN, "time exceeded-#%u", code);
		break;
	case ICMP_PARAMPROB:
		if (code)
			snprintf(buf, BUFLEN, "parameter problem - code %u", code);
		else
			snprintf(buf, BUFLEN, "parameter problem - octet %u",
				 lp_u8(lp, dp + 4));
		break;
	case ICMP_MASKREPLY:
		snprintf(buf, BUFLEN, "address mask is 0x%08x", lp_be32(lp, dp + 8));
		break;
	case ICMP_TSTAMP: {
		uint16_t id = lp_be16(lp, dp + 4), seq = lp_be16(lp, dp + 6);

		snprintf(buf, BUFLEN, "time stamp query id %u seq %u", id, seq);
		break;
	}
	case ICMP_TSTAMPREPLY:
		return icmp_tstampreply_text(lp, dp, buf);
	default: {
		const char *s = kdec_tok(icmp2str, type);

		if (s)
			*str = s;
		else
			snprintf(buf, BUFLEN, "type-#%u", type);
		break;
	}
	}
	return true;
}

static bool icmp_errtype(uint8_t t)
{
	return t == ICMP_UNREACH || t == ICMP_SOURCEQUENCH || t == ICMP_REDIRECT ||
	       t == ICMP_TIMXCEED || t == ICMP_PARAMPROB;
}

static const struct kdec_tok ext_obj_values[] = {
	{ 1, "MPLS Stack Entry" }, { 2, "Interface Identification" },
	{ 0, NULL },
};

/* RFC 4884 extensions after the quoted datagram. */
static void icmp_ext_print(struct lp *lp, const uint8_t *dp, uint32_t plen)
{
	const uint8_t *ext = dp + ICMP_EXTD_MINLEN, *obj;
	uint32_t hlen;
	uint8_t ver;

	if (!lp_ttest(lp, dp, 141))
		goto trunc;
	if (dp[5] == 0 && lp_ttest(lp, ext, plen - ICMP_EXTD_MINLEN) &&
	    kdec_lp_in_cksum(ext, plen - ICMP_EXTD_MINLEN))
		return;
	ver = ext[0] >> 4;
	kdec_lp_printf(lp, "\n\tICMP Multi-Part extension v%u", ver);
	if (ver != 2) {
		lp_puts(lp, " packet not supported");
		return;
	}
	hlen = plen - ICMP_EXTD_MINLEN;
	if (lp_ttest(lp, ext, hlen))
		kdec_lp_printf(lp, ", checksum 0x%04x (%scorrect), length %u",
			  lp_be16(lp, ext + 2), kdec_lp_in_cksum(ext, hlen) ? "in" : "", hlen);
	hlen -= 4;
	obj = ext + 4;
	while (hlen > 4) {
		uint32_t tlen, cls, ctype;
		const char *n;

		if (!lp_ttest(lp, obj, 4))
			goto trunc;
		tlen = be16_at(obj);
		cls = obj[2];
		ctype = obj[3];
		obj += 4;
		n = kdec_tok(ext_obj_values, cls);
		kdec_lp_printf(lp, "\n\t  %s Object (%u), Class-Type: %u, length %u",
			  n ? n : "unknown", cls, ctype, tlen);
		hlen -= 4;
		if (cls == 0 || tlen < 4)
			return;
		tlen -= 4;
		if (cls == 1 && ctype == 1) {
			uint32_t l = lp_be32(lp, obj);

			kdec_lp_printf(lp, "\n\t    label %u, tc %u", l >> 12, (l >> 9) & 7);
			if (l & 0x100)
				lp_puts(lp, ", [S]");
			kdec_lp_printf(lp, ", ttl %u", l & 0xff);
		} else {
			kdec_lp_unknown_data(lp, obj, "\n\t    ", tlen);
		}
		if (hlen < tlen)
			break;
		hlen -= tlen;
		obj += tlen;
	}
	return;
trunc:
	kdec_lp_print_trunc(lp);
}

void kdec_lp_icmp_print(struct lp *lp, const uint8_t *dp, uint32_t plen,
		   const uint8_t *iph, int fragmented)
{
	char buf[BUFLEN];
	const char *str;
	uint8_t type;

	(void)iph;
	lp->proto = "icmp";
	type = lp_u8(lp, dp);
	if (!icmp_text(lp, dp, buf, &str)) {
		kdec_lp_print_trunc(lp);
		return;
	}
	kdec_lp_printf(lp, "ICMP %s, length %u", str, plen);
	if (lp->o->vflag && !fragmented && lp_ttest(lp, dp, plen)) {
		uint16_t sum = kdec_lp_in_cksum(dp, plen);

		if (sum)
			kdec_lp_printf(lp, " (wrong icmp cksum %x (->%x)!)", be16_at(dp + 2),
				  kdec_lp_cksum_shouldbe(be16_at(dp + 2), sum));
	}
	if (lp->o->vflag && icmp_errtype(type)) {
		const uint8_t *ip = dp + 8, *save = lp->snapend;
		uint16_t len;

		lp_puts(lp, "\n\t");
		len = lp_be16(lp, ip + 2);
		/* the quoted datagram ends where it says, inside our capture */
		if ((uintptr_t)ip + len < (uintptr_t)lp->snapend)
			lp->snapend = ip + len;
		kdec_lp_ip_print(lp, ip, len);
		lp->snapend = save;
	}
	lp->proto = "icmp";
	if (lp->o->vflag && plen > ICMP_EXTD_MINLEN &&
	    (type == ICMP_UNREACH || type == ICMP_TIMXCEED || type == ICMP_PARAMPROB))
		icmp_ext_print(lp, dp, plen);
}

/* ICMPv6 */
static const struct kdec_tok icmp6_type_values[] = {
	{ 1, "destination unreachable" }, { 2, "packet too big" },
	{ 3, "time exceeded in-transit" }, { 4, "parameter problem" },
	{ 128, "echo request" }, { 129, "echo reply" },
	{ 130, "multicast listener query" }, { 131, "multicast listener report" },
	{ 132, "multicast listener done" }, { 133, "router solicitation" },
	{ 134, "router advertisement" }, { 135, "neighbor solicitation" },
	{ 136, "neighbor advertisement" }, { 137, "redirect" },
	{ 138, "router renumbering" }, { 141, "inverse neighbor solicitation" },
	{ 142, "inverse neighbor advertisement" },
	{ 143, "multicast listener report v2" }, { 144, "ha discovery request" },
	{ 145, "ha discovery reply" }, { 146, "mobile router solicitation" },
	{ 147, "mobile router advertisement" }, { 139, "who-are-you request" },
	{ 140, "who-are-you reply" }, { 201, "mtrace message" },
	{ 200, "mtrace response" }, { 155, "RPL" }, { 0, NULL },
};

static const struct kdec_tok unreach6_values[] = {
	{ 0, "unreachable route" }, { 1, " unreachable prohibited" },
	{ 2, "beyond scope" }, { 3, "unreachable address" },
	{ 4, "unreachable port" }, { 0, NULL },
};

static const struct kdec_tok pi_flag_values[] = {
	{ 0x80, "onlink" }, { 0x40, "auto" }, { 0x20, "router" }, { 0, NULL },
};

static const struct kdec_tok ra_flag_values[] = {
	{ 0x80, "managed" }, { 0x40, "other stateful" },
	{ 0x20, "home agent" }, { 0x02, "ipv6 only" }, { 0, NULL },
};

static const struct kdec_tok na_flag_values[] = {
	{ 0x80000000, "router" }, { 0x40000000, "solicited" },
	{ 0x20000000, "override" }, { 0, NULL },
};

static const struct kdec_tok nd_opt_values[] = {
	{ 1, "source link-address" }, { 2, "destination link-address" },
	{ 3, "prefix info" }, { 4, "redirected header" }, { 5, "mtu" },
	{ 25, "rdnss" }, { 31, "dnssl" }, { 7, "advertisement interval" },
	{ 8, "homeagent information" }, { 24, "route info" }, { 0, NULL },
};

static const char *rtpref(uint8_t v)
{
	static const char *const s[] = { "medium", "high", "rsv", "low" };

	return s[(v & 0x18) >> 3];
}

static const char *lifetime(char *buf, uint32_t v)
{
	if (v == 0xffffffffu)
		return "infinity";
	sprintf(buf, "%us", v);
	return buf;
}

/* get_upperlayer(): the transport header inside a quoted IPv6 packet */
static const uint8_t *get_upperlayer(struct lp *lp, const uint8_t *bp,
				     uint32_t *prot)
{
	const uint8_t *ip6 = bp;
	uint32_t nh, hlen = 40;

	if (!lp_ttest(lp, ip6 + 6, 1))
		return NULL;
	nh = ip6[6];
	while ((uintptr_t)bp < (uintptr_t)lp->snapend) {
		bp += hlen;
		switch (nh) {
		case 17:
		case 6:
			if (!lp_ttest(lp, bp + 2, 2))
				return NULL;
			*prot = nh;
			return bp;
		case 0:
		case 60:
		case 43:
		case 51:
			if (!lp_ttest(lp, bp + 1, 1))
				return NULL;
			/* AH counts 4-byte words less two, the others 8-byte ones less one */
			hlen = nh == 51 ? (uint32_t)(bp[1] + 2) << 2 : (uint32_t)(bp[1] + 1) << 3;
			nh = bp[0];
			break;
		case 44:
			if (!lp_ttest(lp, bp + 2, 2))
				return NULL;
			if (be16_at(bp + 2) & 0xfff8)
				return NULL;
			nh = bp[0];
			hlen = 8;
			break;
		default:
			*prot = nh;
			return NULL;
		}
	}
	return NULL;
}

static void print_lladdr(struct lp *lp, const uint8_t *p, size_t l)
{
	const uint8_t *q = p;

	for (; l > 0; l--, q++) {
		if (q > p)
			lp_putc(lp, ':');
		kdec_lp_printf(lp, "%02x", lp_u8(lp, q));
	}
}

/* -1 if an option was cut short */
static int icmp6_opt_print(struct lp *lp, const uint8_t *bp, int resid)
{
	const uint8_t *cp = bp;
	char lt1[16], lt2[16];

	while ((uintptr_t)cp < (uintptr_t)lp->snapend) {
		uint32_t opt_len, i, l;
		const char *name;
		uint8_t type;

		if (!lp_ttest(lp, cp + 1, 1))
			return -1;
		if (resid <= 0)
			return 0;
		type = cp[0];
		opt_len = cp[1];
		if (opt_len == 0)
			return -1;
		if ((uintptr_t)cp + (opt_len << 3) > (uintptr_t)lp->snapend)
			return -1;
		name = kdec_tok(nd_opt_values, type);
		kdec_lp_printf(lp, "\n\t  %s option (%u), length %u (%u): ",
			  name ? name : "unknown", type, opt_len << 3, opt_len);
		switch (type) {
		case 1:
		case 2:
			print_lladdr(lp, cp + 2, (opt_len << 3) - 2);
			break;
		case 3: {
			const char *pfx = kdec_lp_ip6addr(lp, cp + 16);
			uint8_t plen = lp_u8(lp, cp + 2), fl = lp_u8(lp, cp + 3);
			uint32_t valid = lp_be32(lp, cp + 4);
			char flags[48];

			kdec_lp_bittok(flags, sizeof(flags), pi_flag_values, "none", fl, ", ");
			kdec_lp_printf(lp, "%s/%u%s, Flags [%s], valid time %s", pfx, plen,
				  opt_len != 4 ? "badlen" : "", flags, lifetime(lt1, valid));
			kdec_lp_printf(lp, ", pref. time %s",
				  lifetime(lt2, lp_be32(lp, cp + 8)));
			break;
		}
		case 4:
			kdec_lp_unknown_data(lp, bp, "\n\t    ", opt_len << 3);
			break;
		case 5:
			kdec_lp_printf(lp, " %u%s", lp_be32(lp, cp + 4),
				  opt_len != 1 ? "bad option length" : "");
			break;
		case 25:
			l = (opt_len - 1) / 2;
			kdec_lp_printf(lp, " lifetime %us,", lp_be32(lp, cp + 4));
			for (i = 0; i < l; i++)
				kdec_lp_printf(lp, " addr: %s", kdec_lp_ip6addr(lp, cp + 8 + 16 * i));
			break;
		case 7:
			kdec_lp_printf(lp, " %ums", lp_be32(lp, cp + 4));
			break;
		case 8: {
			uint16_t pref = lp_be16(lp, cp + 4), life = lp_be16(lp, cp + 6);

			kdec_lp_printf(lp, " preference %u, lifetime %u", pref, life);
			break;
		}
		case 24: {
			uint8_t in6[16] = { 0 };
			char a[48];

			if (!lp_ttest(lp, cp + 4, 4))
				return -1;
			if (opt_len == 2) {
				lp_need(lp, cp + 8, 8);
				memcpy(in6, cp + 8, 8);
			} else if (opt_len == 3) {
				lp_need(lp, cp + 8, 16);
				memcpy(in6, cp + 8, 16);
			} else if (opt_len != 1) {
				return -1;
			}
			/* a local copy: always numeric, as tcpdump prints it */
			kdec_lp_fmt_ip6(a, in6);
			kdec_lp_printf(lp, " %s/%u", a, lp_u8(lp, cp + 2));
			kdec_lp_printf(lp, ", pref=%s", rtpref(lp_u8(lp, cp + 3)));
			kdec_lp_printf(lp, ", lifetime=%s", lifetime(lt1, lp_be32(lp, cp + 4)));
			break;
		}
		case 31: {
			const uint8_t *dom = cp + 8, *end = cp + (opt_len << 3);

			kdec_lp_printf(lp, " lifetime %us, domain(s):", lp_be32(lp, cp + 4));
			while ((uintptr_t)dom < (uintptr_t)end && lp_u8(lp, dom) != 0) {
				lp_putc(lp, ' ');
				if (!(dom = kdec_lp_fqdn_print(lp, dom, bp)))
					return -1;
			}
			break;
		}
		default:
			if (lp->o->vflag <= 1) {
				kdec_lp_unknown_data(lp, cp + 2, "\n\t  ", (opt_len << 3) - 2);
				return 0;
			}
			break;
		}
		if (lp->o->vflag > 1)
			kdec_lp_unknown_data(lp, cp + 2, "\n\t    ", (opt_len << 3) - 2);
		cp += opt_len << 3;
		resid -= (int)(opt_len << 3);
	}
	return 0;
}

static void mld6_print(struct lp *lp, const uint8_t *bp)
{
	if (!lp_ttest(lp, bp, 24))
		return;
	kdec_lp_printf(lp, "max resp delay: %u ", be16_at(bp + 4));
	kdec_lp_printf(lp, "addr: %s", kdec_lp_ip6addr(lp, bp + 8));
}

static void mldv2_query_print(struct lp *lp, const uint8_t *bp, uint32_t len)
{
	uint32_t mrc, mrt, qqi, nsrcs, i;

	if (len < 28) {
		kdec_lp_printf(lp, " [invalid len %u]", len);
		return;
	}
	mrc = lp_be16(lp, bp + 4);
	mrt = mrc < 32768 ? mrc :
	      ((mrc & 0x0fff) | 0x1000) << (((mrc & 0x7000) >> 12) + 3);
	if (lp->o->vflag)
		kdec_lp_printf(lp, " [max resp delay=%u]", mrt);
	kdec_lp_printf(lp, " [gaddr %s", kdec_lp_ip6addr(lp, bp + 8));
	if (lp->o->vflag) {
		uint8_t b24 = lp_u8(lp, bp + 24), b25;

		if (b24 & 0x08)
			lp_puts(lp, " sflag");
		if (b24 & 0x07)
			kdec_lp_printf(lp, " robustness=%u", b24 & 0x07);
		b25 = lp_u8(lp, bp + 25);
		qqi = b25 < 128 ? b25 : ((b25 & 0x0f) | 0x10) << (((b25 & 0x70) >> 4) + 3);
		kdec_lp_printf(lp, " qqi=%u", qqi);
	}
	nsrcs = lp_be16(lp, bp + 26);
	if (nsrcs > 0) {
		if ((uint64_t)len < 28 + (uint64_t)nsrcs * 16) {
			lp_puts(lp, " [invalid number of sources]");
		} else if (lp->o->vflag > 1) {
			lp_puts(lp, " {");
			for (i = 0; i < nsrcs; i++)
				kdec_lp_printf(lp, " %s", kdec_lp_ip6addr(lp, bp + 28 + i * 16));
			lp_puts(lp, " }");
		} else {
			kdec_lp_printf(lp, ", %u source(s)", nsrcs);
		}
	}
	lp_putc(lp, ']');
}

/* After a message's body: on to the length, done, or cut short. */
enum icmp6_body { BODY_LENGTH, BODY_DONE, BODY_TRUNC };

/* Destination unreachable: the code, and what the quoted packet says. */
static enum icmp6_body icmp6_unreach(struct lp *lp, const uint8_t *dp, uint8_t code,
				     uint32_t length)
{
	const uint8_t *oip = dp + 8;
	const char *t = kdec_tok(unreach6_values, code);

	if (t)
		kdec_lp_printf(lp, ", %s", t);
	else
		kdec_lp_printf(lp, ", unknown unreach code (%u)", code);
	switch (code) {
	case 0:
	case 1:
	case 3:
		kdec_lp_printf(lp, " %s", kdec_lp_ip6addr(lp, oip + 24));
		break;
	case 2: {
		const char *d = kdec_lp_ip6addr(lp, oip + 24), *s = kdec_lp_ip6addr(lp, oip + 8);

		kdec_lp_printf(lp, " %s, source address %s", d, s);
		break;
	}
	case 4: {
		const uint8_t *ouh;
		uint32_t prot = 0;
		uint16_t dport;
		const char *a;

		ouh = get_upperlayer(lp, oip, &prot);
		if (!ouh)
			return BODY_TRUNC;
		dport = lp_be16(lp, ouh + 2);
		a = kdec_lp_ip6addr(lp, oip + 24);
		if (prot == 6)
			kdec_lp_printf(lp, ", %s tcp port %s", a, kdec_lp_tcpport(lp, dport));
		else if (prot == 17)
			kdec_lp_printf(lp, ", %s udp port %s", a, kdec_lp_udpport(lp, dport));
		else
			kdec_lp_printf(lp, ", %s protocol %u port %u unreachable", a,
				       prot, dport);
		break;
	}
	default:
		if (lp->o->vflag <= 1) {
			kdec_lp_unknown_data(lp, dp, "\n\t", length);
			return BODY_DONE;
		}
		break;
	}
	return BODY_LENGTH;
}

/* The errors: unreachable, too big, time exceeded, parameter problem. */
static enum icmp6_body icmp6_error(struct lp *lp, const uint8_t *dp, uint8_t type,
				   uint8_t code, uint32_t length)
{
	static const char *const what[4] = {
		"erroneous", "next header", "option", "incomplete header chain",
	};
	const uint8_t *oip = dp + 8;

	switch (type) {
	case 1:
		return icmp6_unreach(lp, dp, code, length);
	case 2:
		kdec_lp_printf(lp, ", mtu %u", lp_be32(lp, dp + 4));
		break;
	case 3:
		if (code == 0)
			kdec_lp_printf(lp, " for %s", kdec_lp_ip6addr(lp, oip + 24));
		else if (code == 1)
			lp_puts(lp, " (reassembly)");
		else
			kdec_lp_printf(lp, ", unknown code (%u)", code);
		break;
	case 4:
		if (!lp_ttest(lp, oip + 24, 16))
			return BODY_TRUNC;
		if (code < 4)
			kdec_lp_printf(lp, ", %s - octet %u", what[code], lp_be32(lp, dp + 4));
		else
			kdec_lp_printf(lp, ", code-#%u", code);
		break;
	}
	return BODY_LENGTH;
}

/* The options after a neighbour discovery message's off bytes, with -v. */
static enum icmp6_body icmp6_nd_opts(struct lp *lp, const uint8_t *dp, uint32_t off,
				     uint32_t length)
{
	if (icmp6_opt_print(lp, dp + off, (int)length - (int)off) == -1)
		return BODY_TRUNC;
	return BODY_LENGTH;
}

/* Neighbour discovery: router and neighbour solicitations and advertisements, redirects. */
static enum icmp6_body icmp6_nd(struct lp *lp, const uint8_t *dp, uint8_t type,
				uint32_t length)
{
	bool v = lp->o->vflag;
	char flags[64];

	switch (type) {
	case 133:
		return v ? icmp6_nd_opts(lp, dp, 8, length) : BODY_LENGTH;
	case 134:
		if (v) {
			uint8_t hl = lp_u8(lp, dp + 4), fl = lp_u8(lp, dp + 5);
			uint16_t life = lp_be16(lp, dp + 6);
			uint32_t reach = lp_be32(lp, dp + 8), retr = lp_be32(lp, dp + 12);

			kdec_lp_bittok(flags, sizeof(flags), ra_flag_values, "none", fl, ", ");
			kdec_lp_printf(lp, "\n\thop limit %u, Flags [%s], pref %s, router lifetime %us, reachable time %ums, retrans timer %ums",
				       hl, flags, rtpref(fl), life, reach, retr);
			return icmp6_nd_opts(lp, dp, 16, length);
		}
		break;
	case 135:
		kdec_lp_printf(lp, ", who has %s", kdec_lp_ip6addr(lp, dp + 8));
		return v ? icmp6_nd_opts(lp, dp, 24, length) : BODY_LENGTH;
	case 136:
		kdec_lp_printf(lp, ", tgt is %s", kdec_lp_ip6addr(lp, dp + 8));
		if (v) {
			kdec_lp_bittok(flags, sizeof(flags), na_flag_values, "none",
				       lp_be32(lp, dp + 4), ", ");
			kdec_lp_printf(lp, ", Flags [%s]", flags);
			return icmp6_nd_opts(lp, dp, 24, length);
		}
		break;
	case 137:
		kdec_lp_printf(lp, ", %s", kdec_lp_ip6addr(lp, dp + 24));
		kdec_lp_printf(lp, " to %s", kdec_lp_ip6addr(lp, dp + 8));
		return v ? icmp6_nd_opts(lp, dp, 40, length) : BODY_LENGTH;
	}
	return BODY_LENGTH;
}

/* Mobile IPv6's home agent discovery and mobile prefix messages. */
static enum icmp6_body icmp6_mobile(struct lp *lp, const uint8_t *dp, uint8_t type,
				    uint32_t length)
{
	const uint8_t *p, *end = dp + length;
	uint16_t flags;

	switch (type) {
	case 146:
	case 144:
		kdec_lp_printf(lp, ", id 0x%04x", lp_be16(lp, dp + 4));
		break;
	case 145:
		if (!lp->o->vflag)
			break;
		kdec_lp_printf(lp, ", id 0x%04x", lp_be16(lp, dp + 4));
		for (p = dp + 8; (uintptr_t)p < (uintptr_t)end; p += 16)
			kdec_lp_printf(lp, ", %s", kdec_lp_ip6addr(lp, p));
		break;
	case 147:
		if (!lp->o->vflag)
			break;
		kdec_lp_printf(lp, ", id 0x%04x", lp_be16(lp, dp + 4));
		flags = lp_be16(lp, dp + 6);
		if (flags & 0xc000)
			lp_putc(lp, ' ');
		if (flags & 0x8000)
			lp_putc(lp, 'M');
		if (flags & 0x4000)
			lp_putc(lp, 'O');
		return icmp6_nd_opts(lp, dp, 8, length);
	}
	return BODY_LENGTH;
}

/* With -v, the checksum's verdict, before the type. */
static void icmp6_cksum(struct lp *lp, const uint8_t *dp, uint32_t length,
			const uint8_t *ip6)
{
	uint16_t sum_field = lp_be16(lp, dp + 2);
	uint16_t sum = kdec_lp_nextproto6_cksum(lp, ip6, dp, length, 58);

	if (sum)
		kdec_lp_printf(lp, "[bad icmp6 cksum 0x%04x -> 0x%04x!] ", sum_field,
			       kdec_lp_cksum_shouldbe(sum_field, sum));
	else
		lp_puts(lp, "[icmp6 sum ok] ");
}

/* The message's body by its type, and where the line goes after it. */
static enum icmp6_body icmp6_body(struct lp *lp, const uint8_t *dp, uint8_t type,
				  uint8_t code, uint32_t length)
{
	uint16_t id, seq;

	switch (type) {
	case 1: case 2: case 3: case 4:
		return icmp6_error(lp, dp, type, code, length);
	case 128:
	case 129:
		id = lp_be16(lp, dp + 4);
		seq = lp_be16(lp, dp + 6);
		kdec_lp_printf(lp, ", id %u, seq %u", id, seq);
		break;
	case 130:
		if (length == 24) {
			mld6_print(lp, dp);
		} else if (length >= 28) {
			lp_puts(lp, " v2");
			mldv2_query_print(lp, dp, length);
		} else {
			kdec_lp_printf(lp, " unknown-version (len %u) ", length);
		}
		break;
	case 131:
	case 132:
		mld6_print(lp, dp);
		break;
	case 133: case 134: case 135: case 136: case 137:
		return icmp6_nd(lp, dp, type, length);
	case 138:
	case 139:
	case 140:
	case 155:
		/* router renumbering, node information, RPL: not printed */
		break;
	case 141:
	case 142:
		break;
	case 143:
		if (length < 8)
			kdec_lp_printf(lp, " [invalid len %u]", length);
		else
			kdec_lp_group_records(lp, dp, length, 16);
		break;
	case 144: case 145: case 146: case 147:
		return icmp6_mobile(lp, dp, type, length);
	default:
		kdec_lp_printf(lp, ", length %u", length);
		if (lp->o->vflag <= 1)
			kdec_lp_unknown_data(lp, dp, "\n\t", length);
		return BODY_DONE;
	}
	return BODY_LENGTH;
}

void kdec_lp_icmp6_print(struct lp *lp, const uint8_t *dp, uint32_t length,
		    const uint8_t *ip6, int fragmented)
{
	uint8_t type, code;
	const char *t;

	lp->proto = "icmp6";
	if (length == 0) {
		lp_puts(lp, "ICMP6, length 0");
		kdec_lp_print_invalid(lp);
		return;
	}
	if (lp->o->vflag && !fragmented && lp_ttest(lp, dp, length))
		icmp6_cksum(lp, dp, length, ip6);
	type = lp_u8(lp, dp);
	t = kdec_tok(icmp6_type_values, type);
	if (t)
		kdec_lp_printf(lp, "ICMP6, %s", t);
	else
		kdec_lp_printf(lp, "ICMP6, unknown icmp6 type (%u)", type);
	if (lp->o->vflag && (type == 133 || type == 134 || type == 136 ||
			     type == 135 || type == 137 || type == 145 || type == 147))
		kdec_lp_printf(lp, ", length %u", length);
	code = lp_u8(lp, dp + 1);
	switch (icmp6_body(lp, dp, type, code, length)) {
	case BODY_LENGTH:
		if (!lp->o->vflag)
			kdec_lp_printf(lp, ", length %u", length);
		break;
	case BODY_DONE:
		break;
	case BODY_TRUNC:
		kdec_lp_print_trunc(lp);
		break;
	}
}
