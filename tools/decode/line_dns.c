// SPDX-License-Identifier: GPL-2.0
/*
 * tcpdump's lines for DNS and mDNS (print-domain.c): the header's flags,
 * the question, and the answers (all sections with -vv, TTLs with -vvv),
 * names with compression pointers followed backwards only.
 */
#include <string.h>

#include "line.h"

#define TYPE_MASK	0xc0
#define TYPE_INDIR	0xc0
#define TYPE_RESERVED	0x80
#define TYPE_EDNS0	0x40
#define TYPE_LABEL	0x00
#define ELT_BITLABEL	0x01
#define MAXCDNAME	255

#define T_A	1
#define T_NS	2
#define T_CNAME	5
#define T_SOA	6
#define T_PTR	12
#define T_MX	15
#define T_TXT	16
#define T_AAAA	28
#define T_SRV	33
#define T_A6	38
#define T_DNAME	39
#define T_OPT	41
#define T_UNSPECA 104
#define T_TSIG	250
#define T_URI	256
#define C_IN	1

/* The record types 1 to 48 by number, and the few named above them. */
static const char *const ns_type_low[49] = {
	NULL, "A", "NS", "MD", "MF", "CNAME", "SOA", "MB", "MG", "MR", "NULL", "WKS", "PTR",
	"HINFO", "MINFO", "MX", "TXT", "RP", "AFSDB", "X25", "ISDN", "RT", "NSAP",
	"NSAP_PTR", "SIG", "KEY", "PX", "GPOS", "AAAA", "LOC", "NXT", "EID", "NIMLOC",
	"SRV", "ATMA", "NAPTR", "KX", "CERT", "A6", "DNAME", "SINK", "OPT", "APL", "DS",
	"SSHFP", "IPSECKEY", "RRSIG", "NSEC", "DNSKEY",
};

static const struct kdec_tok ns_type_high[] = {
	{ 99, "SPF" }, { 100, "UINFO" }, { 101, "UID" }, { 102, "GID" }, { 103, "UNSPEC" },
	{ 104, "UNSPECA" }, { 249, "TKEY" }, { 250, "TSIG" }, { 251, "IXFR" },
	{ 252, "AXFR" }, { 253, "MAILB" }, { 254, "MAILA" }, { 255, "ANY" }, { 256, "URI" },
	{ 0, NULL },
};

static const struct kdec_tok ns_class2str[] = {
	{ 1, "IN" }, { 3, "CHAOS" }, { 4, "HS" }, { 255, "ANY" }, { 0, NULL },
};

static const struct kdec_tok edns_opt2str[] = {
	{ 1, "LLQ" }, { 2, "UL" }, { 3, "NSID" }, { 5, "DAU" }, { 6, "DHU" },
	{ 7, "N3U" }, { 8, "ECS" }, { 9, "EXPIRE" }, { 10, "COOKIE" },
	{ 11, "KEEPALIVE" }, { 12, "PADDING" }, { 13, "CHAIN" },
	{ 14, "KEY-TAG" }, { 16, "CLIENT-TAG" }, { 17, "SERVER-TAG" },
	{ 0, NULL },
};

static const struct kdec_tok dau_alg2str[] = {
	{ 0, "DELETE" }, { 1, "RSAMD5" }, { 2, "DH" }, { 3, "DS" },
	{ 5, "RSASHA1" }, { 6, "DSA-NSEC3-SHA1" }, { 7, "RSASHA1-NSEC3-SHA1" },
	{ 8, "RSASHA256" }, { 10, "RSASHA512" }, { 12, "ECC-GOST" },
	{ 13, "ECDSAP256SHA256" }, { 14, "ECDSAP384SHA384" }, { 15, "ED25519" },
	{ 16, "ED448" }, { 252, "INDIRECT" }, { 253, "PRIVATEDNS" },
	{ 254, "PRIVATEOID" }, { 0, NULL },
};

static const struct kdec_tok dhu_alg2str[] = {
	{ 1, "SHA-1" }, { 2, "SHA-256" }, { 3, "GOST_R_34.11-94" },
	{ 4, "SHA-384" }, { 0, NULL },
};

static const struct kdec_tok n3u_alg2str[] = { { 1, "SHA-1" }, { 0, NULL } };

static const char *const ns_ops[16] = {
	"", " inv_q", " stat", " op3", " notify", " update", " op6", " op7",
	" op8", " updateA", " updateD", " updateDA", " updateM", " updateMA",
	" zoneInit", " zoneRef",
};

/* (sic: two lack their space, in tcpdump too) */
static const char *const ns_resp[24] = {
	"", " FormErr", " ServFail", " NXDomain", " NotImp", " Refused",
	" YXDomain", " YXRRSet", " NXRRSet", " NotAuth", " NotZone", " Resp11",
	" Resp12", " Resp13", " Resp14", " NoChange", " BadVers", "Resp17",
	" Resp18", " Resp19", " Resp20", "Resp21", " Resp22", " BadCookie",
};

static void tok_print(struct lp *lp, const struct kdec_tok *t, const char *fmt,
		      uint32_t v)
{
	const char *s = kdec_tok(t, v);

	if (s)
		lp_puts(lp, s);
	else
		kdec_lp_printf(lp, fmt, v);
}

/* A record type's name, or Type%u */
static void type_print(struct lp *lp, uint16_t type)
{
	if (type > 0 && type < 49)
		lp_puts(lp, ns_type_low[type]);
	else
		tok_print(lp, ns_type_high, "Type%u", type);
}

/* nd_printn(): true if cut short by the capture */
static bool printn(struct lp *lp, const uint8_t *s, uint32_t n)
{
	while (n > 0 && (uintptr_t)s < (uintptr_t)lp->snapend) {
		n--;
		kdec_lp_print_char(lp, *s++);
	}
	return n != 0;
}

static const uint8_t *ns_nskip(struct lp *lp, const uint8_t *cp)
{
	uint8_t i;

	if (!lp_ttest(lp, cp, 1))
		return NULL;
	i = *cp++;
	while (i) {
		switch (i & TYPE_MASK) {
		case TYPE_INDIR:
			return cp + 1;
		case TYPE_EDNS0: {
			uint32_t bitlen;

			if ((i & ~TYPE_MASK) != ELT_BITLABEL || !lp_ttest(lp, cp, 1))
				return NULL;
			bitlen = *cp ? *cp : 256;
			cp++;
			cp += (bitlen + 7) / 8;
			break;
		}
		case TYPE_RESERVED:
			return NULL;
		default:
			cp += i;
			break;
		}
		if (!lp_ttest(lp, cp, 1))
			return NULL;
		i = *cp++;
	}
	return cp;
}

static const uint8_t *blabel_print(struct lp *lp, const uint8_t *cp)
{
	const uint8_t *bitp, *lim;
	uint32_t bitlen, b;
	uint8_t tc;

	if (!lp_ttest(lp, cp, 1))
		return NULL;
	bitlen = *cp ? *cp : 256;
	lim = cp + 1 + (bitlen + 3) / 4;
	lp_puts(lp, "\\[x");
	for (bitp = cp + 1, b = bitlen; (uintptr_t)bitp < (uintptr_t)lim && b > 7;
	     b -= 8, bitp++)
		kdec_lp_printf(lp, "%02x", lp_u8(lp, bitp));
	if (b > 4) {
		tc = lp_u8(lp, bitp);
		kdec_lp_printf(lp, "%02x", tc & (0xff << (8 - b)));
	} else if (b > 0) {
		tc = lp_u8(lp, bitp);
		kdec_lp_printf(lp, "%1x", ((tc >> 4) & 0x0f) & (0x0f << (4 - b)));
	}
	kdec_lp_printf(lp, "/%u]", bitlen);
	return lim;
}

/* -1 (as an unsigned) for a label we cannot read */
static uint32_t labellen(struct lp *lp, const uint8_t *cp)
{
	uint32_t i, bitlen;

	if (!lp_ttest(lp, cp, 1))
		return (uint32_t)-1;
	i = *cp;
	switch (i & TYPE_MASK) {
	case TYPE_EDNS0:
		if ((i & ~TYPE_MASK) != ELT_BITLABEL) {
			kdec_lp_printf(lp, "<ELT %d>", (int)(i & ~TYPE_MASK));
			return (uint32_t)-1;
		}
		if (!lp_ttest(lp, cp + 1, 1))
			return (uint32_t)-1;
		bitlen = cp[1] ? cp[1] : 256;
		return (bitlen + 7) / 8 + 1;
	case TYPE_INDIR:
	case TYPE_LABEL:
		return i;
	default:
		lp_puts(lp, "<BAD LABEL TYPE>");
		return (uint32_t)-1;
	}
}

/* The label at cp: its first byte in *i, its length in *l; past that byte, or NULL. */
static const uint8_t *next_label(struct lp *lp, const uint8_t *cp, uint32_t *i, uint32_t *l)
{
	if ((*l = labellen(lp, cp)) == (uint32_t)-1)
		return NULL;
	*i = *cp;
	return cp + 1;
}

/* fqdn_print(): a domain name; what follows it, or NULL */
const uint8_t *kdec_lp_fqdn_print(struct lp *lp, const uint8_t *cp, const uint8_t *bp)
{
	uint32_t i, l, offset, max_offset, name_chars = 0;
	const uint8_t *rp = NULL;
	bool compress = false;

	if ((l = labellen(lp, cp)) == (uint32_t)-1)
		return NULL;
	if (!lp_ttest(lp, cp, 1))
		return NULL;
	max_offset = (uint32_t)(cp - bp);
	i = *cp++;
	if ((i & TYPE_MASK) != TYPE_INDIR)
		rp = cp + l;
	if (i == 0) {
		lp_putc(lp, '.');
		return rp;
	}
	while (i && (uintptr_t)cp < (uintptr_t)lp->snapend) {
		switch (i & TYPE_MASK) {
		case TYPE_INDIR:
			if (!compress) {
				rp = cp + 1;
				compress = true;
			}
			if (!lp_ttest(lp, cp, 1))
				return NULL;
			offset = ((i << 8) | *cp) & 0x3fff;
			/* only backwards: no loops */
			if (offset >= max_offset) {
				lp_puts(lp, "<BAD PTR>");
				return NULL;
			}
			max_offset = offset;
			if (!(cp = next_label(lp, bp + offset, &i, &l)))
				return NULL;
			continue;
		case TYPE_EDNS0:
			if ((i & ~TYPE_MASK) != ELT_BITLABEL) {
				kdec_lp_printf(lp, "<ELT %u>", i & ~TYPE_MASK);
				return NULL;
			}
			if (!blabel_print(lp, cp))
				return NULL;
			break;
		case TYPE_RESERVED:
			lp_puts(lp, "<BAD LABEL TYPE>");
			return NULL;
		default:
			if (name_chars + l <= MAXCDNAME) {
				if (printn(lp, cp, l))
					return NULL;
			} else if (name_chars < MAXCDNAME) {
				if (printn(lp, cp, MAXCDNAME - name_chars))
					return NULL;
			}
			name_chars += l;
			break;
		}
		cp += l;
		if (name_chars <= MAXCDNAME)
			lp_putc(lp, '.');
		name_chars++;
		if (!(cp = next_label(lp, cp, &i, &l)))
			return NULL;
		if (!compress)
			rp += l + 1;
	}
	if (name_chars > MAXCDNAME)
		lp_puts(lp, "<DOMAIN NAME TOO LONG>");
	return rp;
}

/* a <character-string> */
static const uint8_t *ns_cprint(struct lp *lp, const uint8_t *cp)
{
	uint32_t i;

	if (!lp_ttest(lp, cp, 1))
		return NULL;
	i = *cp++;
	if (printn(lp, cp, i))
		return NULL;
	return cp + i;
}

static void eopt_ecs_print(struct lp *lp, const uint8_t *cp, uint32_t data_len)
{
	uint32_t family, src_len, scope_len, bits;
	uint8_t padded[32] = { 0 };
	char addr[48];

	if (data_len < 4) {
		kdec_lp_print_invalid(lp);
		return;
	}
	family = lp_be16(lp, cp);
	src_len = lp_u8(lp, cp + 2);
	scope_len = lp_u8(lp, cp + 3);
	cp += 4;
	if (family != 1 && family != 2) {
		kdec_lp_print_invalid(lp);
		return;
	}
	bits = family == 1 ? 32 : 128;
	if (data_len - 4 > bits / 8 || src_len > bits || scope_len > bits ||
	    (src_len + 7) / 8 != data_len - 4) {
		kdec_lp_print_invalid(lp);
		return;
	}
	memcpy(padded, cp, data_len - 4);
	if (family == 1)
		kdec_fmt_ip4(addr, padded);
	else
		kdec_lp_fmt_ip6(addr, padded);
	kdec_lp_printf(lp, "%s/%d/%d", addr, (int)src_len, (int)scope_len);
}

/* an <EDNS-option>; what follows it, or NULL */
static const uint8_t *eopt_print(struct lp *lp, const uint8_t *cp)
{
	uint32_t opt, data_len, i;

	if (!lp_ttest(lp, cp, 2))
		return NULL;
	opt = be16_at(cp);
	cp += 2;
	tok_print(lp, edns_opt2str, "Opt%u", opt);
	if (!lp_ttest(lp, cp, 2))
		return NULL;
	data_len = be16_at(cp);
	cp += 2;
	if (!lp_ttest(lp, cp, data_len))
		return NULL;
	if (data_len == 0)
		return cp;
	lp_putc(lp, ' ');
	switch (opt) {
	case 8:
		eopt_ecs_print(lp, cp, data_len);
		break;
	case 10:
		if (data_len < 8 || (data_len > 8 && data_len < 16) || data_len > 40) {
			kdec_lp_print_invalid(lp);
			break;
		}
		for (i = 0; i < data_len; ++i) {
			if (i == 8)
				lp_putc(lp, ' ');
			kdec_lp_printf(lp, "%02x", cp[i]);
		}
		break;
	case 11:
		if (data_len != 2)
			kdec_lp_print_invalid(lp);
		else
			kdec_lp_printf(lp, "%0.1f sec", be16_at(cp) / 10.0);
		break;
	case 9:
		if (data_len != 4)
			kdec_lp_print_invalid(lp);
		else
			kdec_lp_printf(lp, "%u sec", be32_at(cp));
		break;
	case 12:
		kdec_lp_printf(lp, "(%u)", data_len);
		break;
	case 14:
		if (data_len % 2 != 0) {
			kdec_lp_print_invalid(lp);
			break;
		}
		for (i = 0; i < data_len; i += 2)
			kdec_lp_printf(lp, i ? " %u" : "%u", be16_at(cp + i));
		break;
	case 5:
	case 6:
	case 7:
		for (i = 0; i < data_len; ++i) {
			if (i > 0)
				lp_putc(lp, ' ');
			tok_print(lp, opt == 5 ? dau_alg2str : opt == 6 ? dhu_alg2str :
				  n3u_alg2str, "Alg_%u", cp[i]);
		}
		break;
	case 13:
		kdec_lp_fqdn_print(lp, cp, cp + data_len);
		break;
	default:
		for (i = 0; i < data_len; ++i)
			kdec_lp_printf(lp, "%02x", cp[i]);
		break;
	}
	return cp + data_len;
}

static void class_print(struct lp *lp, uint32_t class)
{
	lp_putc(lp, ' ');
	tok_print(lp, ns_class2str, "(Class %u)", class);
}

/* a question */
static const uint8_t *ns_qprint(struct lp *lp, const uint8_t *cp,
				const uint8_t *bp, bool mdns)
{
	const uint8_t *np = cp;
	uint32_t i, class;

	cp = ns_nskip(lp, cp);
	if (!cp || !lp_ttest(lp, cp, 4))
		return NULL;
	lp_putc(lp, ' ');
	type_print(lp, be16_at(cp));
	i = be16_at(cp + 2);
	class = mdns ? (i & ~0x8000u) : i;
	if (class != C_IN)
		class_print(lp, class);
	if (mdns)
		lp_puts(lp, (i & 0x8000) ? " (QU)" : " (QM)");
	lp_puts(lp, "? ");
	cp = kdec_lp_fqdn_print(lp, np, bp);
	return cp ? cp + 4 : NULL;
}

/* An A or AAAA record's address, n bytes; false if cut short. */
static bool rr_addr(struct lp *lp, const uint8_t *cp, uint32_t n)
{
	char a[48];

	if (!lp_ttest(lp, cp, n))
		return false;
	if (n == 4)
		kdec_fmt_ip4(a, cp);
	else
		kdec_lp_fmt_ip6(a, cp);
	kdec_lp_printf(lp, " %s", a);
	return true;
}

/* " name": what follows the name, or NULL if it was cut short */
static const uint8_t *name_print(struct lp *lp, const uint8_t *cp, const uint8_t *bp)
{
	lp_putc(lp, ' ');
	return kdec_lp_fqdn_print(lp, cp, bp);
}

/* An SOA record's two names and five numbers. */
static bool rr_soa(struct lp *lp, const uint8_t *cp, const uint8_t *bp)
{
	uint32_t i;

	if (!(cp = name_print(lp, cp, bp)) || !(cp = name_print(lp, cp, bp)))
		return false;
	if (!lp_ttest(lp, cp, 20))
		return false;
	for (i = 0; i < 5; i++)
		kdec_lp_printf(lp, " %u", be32_at(cp + 4 * i));
	return true;
}

/* An A6 record: prefix length, the address's suffix, the prefix's name. */
static bool rr_a6(struct lp *lp, const uint8_t *cp, const uint8_t *bp)
{
	uint8_t a[16] = { 0 };
	uint32_t pbit, pbyte;
	char s[48];

	if (!lp_ttest(lp, cp, 1))
		return false;
	pbit = cp[0];
	pbyte = (pbit & ~7u) / 8;
	if (pbit > 128) {
		kdec_lp_printf(lp, " %u(bad plen)", pbit);
		return true;
	}
	if (pbit < 128) {
		lp_need(lp, cp + 1, 16 - pbyte);
		memcpy(a + pbyte, cp + 1, 16 - pbyte);
		kdec_lp_fmt_ip6(s, a);
		kdec_lp_printf(lp, " %u %s", pbit, s);
	}
	return pbit == 0 || name_print(lp, cp + 1 + 16 - pbyte, bp);
}

/* EDNS's OPT pseudo-record: the UDP size (its class), DO, the options. */
static bool rr_opt(struct lp *lp, const uint8_t *cp, const uint8_t *rp, uint32_t class,
		   uint32_t opt_flags)
{
	kdec_lp_printf(lp, " UDPsize=%u", class);
	if (opt_flags & 0x8000)
		lp_puts(lp, " DO");
	if ((uintptr_t)cp < (uintptr_t)rp) {
		lp_puts(lp, " [");
		while ((uintptr_t)cp < (uintptr_t)rp) {
			if (!(cp = eopt_print(lp, cp)))
				return false;
			if ((uintptr_t)cp < (uintptr_t)rp)
				lp_putc(lp, ',');
		}
		lp_putc(lp, ']');
	}
	return true;
}

/* A TSIG record's algorithm and numbers. */
static bool rr_tsig(struct lp *lp, const uint8_t *cp, const uint8_t *bp)
{
	static const char *const what[4] = {
		" fudge=%u", " maclen=%u", " origid=%u", " error=%u",
	};
	uint32_t i;

	if (!(cp = name_print(lp, cp, bp)))
		return false;
	cp += 6;
	for (i = 0; i < 4; i++) {
		if (!lp_ttest(lp, cp, 2))
			return false;
		kdec_lp_printf(lp, what[i], be16_at(cp));
		cp += i == 1 ? 2 + (uint32_t)be16_at(cp) : 2;
	}
	if (!lp_ttest(lp, cp, 2))
		return false;
	kdec_lp_printf(lp, " otherlen=%u", be16_at(cp));
	return true;
}

/* A name, then a number at cp read before it is printed (MX, SRV). */
static bool rr_name_at(struct lp *lp, const uint8_t *cp, uint32_t off, const uint8_t *bp)
{
	lp_putc(lp, ' ');
	return lp_ttest(lp, cp, off) && kdec_lp_fqdn_print(lp, cp + off, bp);
}

/* A record's data, len bytes at cp up to rp; false if cut short. */
static bool rr_data(struct lp *lp, uint16_t typ, const uint8_t *cp, const uint8_t *rp,
		    uint16_t len, const uint8_t *bp, uint32_t class, uint32_t opt_flags)
{
	switch (typ) {
	case T_A:
		return rr_addr(lp, cp, 4);
	case T_AAAA:
		return rr_addr(lp, cp, 16);
	case T_NS:
	case T_CNAME:
	case T_PTR:
	case T_DNAME:
		return name_print(lp, cp, bp);
	case T_SOA:
		return !lp->o->vflag || rr_soa(lp, cp, bp);
	case T_MX:
		if (!rr_name_at(lp, cp, 2, bp))
			return false;
		kdec_lp_printf(lp, " %u", be16_at(cp));
		break;
	case T_TXT:
		while ((uintptr_t)cp < (uintptr_t)rp) {
			lp_puts(lp, " \"");
			if (!(cp = ns_cprint(lp, cp)))
				return false;
			lp_putc(lp, '"');
		}
		break;
	case T_SRV:
		if (!rr_name_at(lp, cp, 6, bp))
			return false;
		kdec_lp_printf(lp, ":%u %u %u", be16_at(cp + 4), be16_at(cp), be16_at(cp + 2));
		break;
	case T_A6:
		return rr_a6(lp, cp, bp);
	case T_URI:
		if (!lp_ttest(lp, cp, len))
			return false;
		kdec_lp_printf(lp, " %u %u ", lp_be16(lp, cp), lp_be16(lp, cp + 2));
		return !printn(lp, cp + 4, (uint32_t)len - 4);
	case T_OPT:
		return rr_opt(lp, cp, rp, class, opt_flags);
	case T_UNSPECA:
		if (!lp_ttest(lp, cp, len))
			return false;
		return !printn(lp, cp, len);
	case T_TSIG:
		return !lp->o->vflag || rr_tsig(lp, cp, bp);
	}
	return true;
}

/* a resource record; what follows it, the capture's end, or NULL */
static const uint8_t *ns_rprint(struct lp *lp, const uint8_t *cp,
				const uint8_t *bp, bool mdns)
{
	uint32_t i, class, opt_flags = 0;
	const uint8_t *rp;
	uint16_t typ, len;

	if (lp->o->vflag) {
		if (!(cp = name_print(lp, cp, bp)))
			return NULL;
	} else {
		cp = ns_nskip(lp, cp);
	}
	if (!cp || !lp_ttest(lp, cp, 10))
		return lp->snapend;
	typ = be16_at(cp);
	i = be16_at(cp + 2);
	cp += 4;
	class = mdns ? (i & ~0x8000u) : i;
	if (class != C_IN && typ != T_OPT)
		class_print(lp, class);
	if (mdns && (i & 0x8000))
		lp_puts(lp, " (Cache flush)");
	if (typ == T_OPT) {
		opt_flags = be16_at(cp + 2);
	} else if (lp->o->vflag > 2) {
		lp_puts(lp, " [");
		kdec_lp_relts_print(lp, be32_at(cp));
		lp_putc(lp, ']');
	}
	cp += 4;
	len = be16_at(cp);
	cp += 2;
	rp = cp + len;
	lp_putc(lp, ' ');
	type_print(lp, typ);
	if ((uintptr_t)rp > (uintptr_t)lp->snapend)
		return NULL;
	return rr_data(lp, typ, cp, rp, len, bp, class, opt_flags) ? rp : NULL;
}

/* The extended RCODE, from the OPT record's TTL when there is one. */
static uint32_t full_rcode(struct lp *lp, const uint8_t *cp, uint32_t rcode,
			   uint32_t qd, uint32_t an_ns, uint32_t ar)
{
	const uint8_t *end = lp->snapend;
	uint32_t i;

#define PAST(p)	((uintptr_t)(p) >= (uintptr_t)end)
	for (i = 0; i < qd; i++) {
		if (!(cp = ns_nskip(lp, cp)) || PAST(cp += 4))
			return rcode;
	}
	for (i = 0; i < an_ns; i++) {
		if (!(cp = ns_nskip(lp, cp)) || PAST((cp += 8) + 1))
			return rcode;
		cp += 2 + be16_at(cp);
		if (PAST(cp))
			return rcode;
	}
	for (i = 0; i < ar; i++) {
		uint16_t type;

		if (!(cp = ns_nskip(lp, cp)) || PAST(cp + 1))
			return rcode;
		type = be16_at(cp);
		if (PAST(cp += 4))
			return rcode;
		if (type == T_OPT)
			return rcode | (uint32_t)cp[0] << 4;
		if (PAST((cp += 4) + 1))
			return rcode;
		cp += 2 + be16_at(cp);
		if (PAST(cp))
			return rcode;
	}
#undef PAST
	return rcode;
}

/* count records of a section, "," between them; false if cut short */
static bool section_print(struct lp *lp, const uint8_t **cpp, const uint8_t *bp,
			  uint32_t count, const char *title, bool mdns)
{
	const uint8_t *cp = *cpp;

	if (count && (uintptr_t)cp < (uintptr_t)lp->snapend) {
		lp_puts(lp, title);
		if (!(cp = ns_rprint(lp, cp, bp, mdns)))
			return false;
		count--;
		while ((uintptr_t)cp < (uintptr_t)lp->snapend && count) {
			lp_putc(lp, ',');
			if (!(cp = ns_rprint(lp, cp, bp, mdns)))
				return false;
			count--;
		}
	}
	*cpp = cp;
	return count == 0;
}

/* The answers, the first printed even past the capture; false if cut short. */
static bool answers_print(struct lp *lp, const uint8_t **cpp, const uint8_t *bp,
			  uint32_t an, bool mdns)
{
	if (!an)
		return true;
	if (!(*cpp = ns_rprint(lp, *cpp, bp, mdns)))
		return false;
	return section_print(lp, cpp, bp, an - 1, ",", mdns);
}

/* The authority and additional sections, with -vv. */
static bool ns_ar_print(struct lp *lp, const uint8_t **cpp, const uint8_t *bp,
			uint32_t ns, uint32_t ar, bool mdns)
{
	return section_print(lp, cpp, bp, ns, " ns:", mdns) &&
	       section_print(lp, cpp, bp, ar, " ar:", mdns);
}

/* A response: id, opcode, rcode and flags, the questions, the records. */
static bool response_print(struct lp *lp, const uint8_t *bp, bool mdns)
{
	uint32_t flags = be16_at(bp + 2), qd = be16_at(bp + 4), an = be16_at(bp + 6);
	uint32_t ns = be16_at(bp + 8), ar = be16_at(bp + 10), rcode, i;
	const uint8_t *cp = bp + 12;

	rcode = full_rcode(lp, cp, flags & 0xf, qd, an + ns, ar);
	kdec_lp_printf(lp, "%u%s", be16_at(bp), ns_ops[(flags >> 11) & 0xf]);
	if (rcode < 24)
		lp_puts(lp, ns_resp[rcode]);
	else
		kdec_lp_printf(lp, " Resp%u", rcode & 0xfff);
	kdec_lp_printf(lp, "%s%s%s%s", (flags & 0x0400) ? "*" : "",
		       (flags & 0x0080) ? "" : "-", (flags & 0x0200) ? "|" : "",
		       (flags & 0x0020) ? "$" : "");
	if (qd != 1)
		kdec_lp_printf(lp, " [%uq]", qd);
	for (i = 0; i < qd; i++) {
		if (i != 0)
			lp_putc(lp, ',');
		if (lp->o->vflag > 1) {
			lp_puts(lp, " q:");
			if (!(cp = ns_qprint(lp, cp, bp, mdns)))
				return false;
		} else {
			if (!(cp = ns_nskip(lp, cp)))
				return false;
			cp += 4;
		}
	}
	kdec_lp_printf(lp, " %u/%u/%u", an, ns, ar);
	if (!answers_print(lp, &cp, bp, an, mdns))
		return false;
	return lp->o->vflag <= 1 || ns_ar_print(lp, &cp, bp, ns, ar, mdns);
}

/* A query: id, opcode and flags, the counts that are unusual, the questions. */
static bool query_print(struct lp *lp, const uint8_t *bp, bool mdns)
{
	uint32_t flags = be16_at(bp + 2), qd = be16_at(bp + 4), an = be16_at(bp + 6);
	uint32_t ns = be16_at(bp + 8), ar = be16_at(bp + 10), op = (flags >> 11) & 0xf;
	const uint8_t *cp = bp + 12;

	kdec_lp_printf(lp, "%u%s%s%s", be16_at(bp), ns_ops[op],
		       (flags & 0x0100) ? "+" : "", (flags & 0x0010) ? "%" : "");
	if (flags & 0x6cf)
		kdec_lp_printf(lp, " [b2&3=0x%x]", flags);
	if (op == 1) {
		if (qd)
			kdec_lp_printf(lp, " [%uq]", qd);
		if (an != 1)
			kdec_lp_printf(lp, " [%ua]", an);
	} else {
		if (an)
			kdec_lp_printf(lp, " [%ua]", an);
		if (qd != 1)
			kdec_lp_printf(lp, " [%uq]", qd);
	}
	if (ns)
		kdec_lp_printf(lp, " [%un]", ns);
	if (ar)
		kdec_lp_printf(lp, " [%uau]", ar);
	if (qd) {
		if (!(cp = ns_qprint(lp, cp, bp, mdns)))
			return false;
		qd--;
		while ((uintptr_t)cp < (uintptr_t)lp->snapend && qd) {
			if (!(cp = ns_qprint(lp, cp, bp, mdns)))
				return false;
			qd--;
		}
	}
	if (qd)
		return false;
	if (lp->o->vflag <= 1)
		return true;
	return answers_print(lp, &cp, bp, an, mdns) && ns_ar_print(lp, &cp, bp, ns, ar, mdns);
}

/* Over TCP, the length that leads the message must be the rest's. */
static bool tcp_prefix_ok(struct lp *lp, const uint8_t *bp, uint32_t length)
{
	if (length < 2) {
		kdec_lp_printf(lp, " [DNS over TCP: length %u < 2]", length);
		kdec_lp_print_invalid(lp);
		return false;
	}
	if (lp_be16(lp, bp) != length - 2) {
		kdec_lp_printf(lp, " [prefix length(%u) != length(%u)]", be16_at(bp), length - 2);
		kdec_lp_print_invalid(lp);
		return false;
	}
	lp_putc(lp, ' ');
	return true;
}

void kdec_lp_domain_print(struct lp *lp, const uint8_t *bp, uint32_t length,
		     bool over_tcp, bool mdns)
{
	bool whole;

	lp->proto = "domain";
	if (over_tcp) {
		if (!tcp_prefix_ok(lp, bp, length))
			return;
		length -= 2;
		bp += 2;
	}
	if (length < 12) {
		lp_puts(lp, lp->proto);
		kdec_lp_printf(lp, " [length %u < 12]", length);
		kdec_lp_print_invalid(lp);
		return;
	}
	if (!lp_ttest(lp, bp, 12))
		whole = false;
	else if (be16_at(bp + 2) & 0x8000)
		whole = response_print(lp, bp, mdns);
	else
		whole = query_print(lp, bp, mdns);
	if (whole)
		kdec_lp_printf(lp, " (%u)", length);
	else
		kdec_lp_print_trunc(lp);
}
