// SPDX-License-Identifier: GPL-2.0
/*
 * tcpdump's lines: the packet loop (print.c's pretty_print_packet), time
 * stamps, the hex and ASCII dumps, and the link layers (Ethernet and
 * 802.1Q, Linux cooked v1 and v2, raw IP) with ARP. IP and above are in
 * line_ip.c and line_l4.c, names in line_names.c.
 */
#include <net/if.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "line.h"

#define MAXIMUM_SNAPLEN	262144	/* tcpdump refuses records past this */

void kdec_lp_longjmp(struct lp *lp)
{
	longjmp(lp->trunc, 1);
}

void kdec_lp_push_snaplen(struct lp *lp, struct lp_snap *s, const uint8_t *bp,
		     uint32_t len)
{
	s->end = lp->snapend;
	s->prev = lp->saved;
	lp->saved = s;
	if (len <= lp_avail(lp, bp) && (uintptr_t)bp <= (uintptr_t)lp->snapend)
		lp->snapend = bp + len;
}

/*
 * tcpdump measures against the end saved by the push before the current
 * one (or the current end if there is only one); so do we.
 */
void kdec_lp_change_snaplen(struct lp *lp, const uint8_t *bp, uint32_t len)
{
	const uint8_t *prev = lp->saved && lp->saved->prev ?
			      lp->saved->prev->end : lp->snapend;

	if ((uintptr_t)bp <= (uintptr_t)prev &&
	    len <= (uintptr_t)prev - (uintptr_t)bp)
		lp->snapend = bp + len;
}

void kdec_lp_pop_snaplen(struct lp *lp)
{
	lp->snapend = lp->saved->end;
	lp->saved = lp->saved->prev;
}

/* As kdec_em_printf(), without its limit: two host names can be long. */
void kdec_lp_printf(struct lp *lp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kdec_em_vprintf(lp->e, true, fmt, ap);
	va_end(ap);
}

void kdec_lp_print_trunc(struct lp *lp)
{
	lp_puts(lp, " [|");
	lp_puts(lp, lp->proto);
	lp_putc(lp, ']');
}

void kdec_lp_print_invalid(struct lp *lp)
{
	lp_puts(lp, " (invalid)");
}

void kdec_lp_print_proto_caps(struct lp *lp)
{
	const char *p;

	for (p = lp->proto; *p; p++)
		lp_putc(lp, (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p));
}

void kdec_lp_bittok(char *buf, size_t len, const struct kdec_tok *t, const char *none,
	       uint32_t v, const char *sep)
{
	size_t n = 0;

	buf[0] = '\0';
	for (; t->s; t++) {
		if (!t->v || (v & t->v) != t->v)
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? sep : "", t->s);
		if (n >= len)
			return;
	}
	if (!n)
		snprintf(buf, len, "%s", none);
}

/* fn_print_char(): M- for the high bit, ^ for control characters */
void kdec_lp_print_char(struct lp *lp, uint8_t c)
{
	if (c >= 0x80) {
		c &= 0x7f;
		lp_puts(lp, "M-");
	}
	if (c < 0x20 || c > 0x7e) {
		c ^= 0x40;
		lp_putc(lp, '^');
	}
	lp_putc(lp, (char)c);
}

/* unsigned_relts_print(): 1d2h3m4s */
void kdec_lp_relts_print(struct lp *lp, uint32_t secs)
{
	static const char *const units[] = { "y", "w", "d", "h", "m", "s" };
	static const uint32_t size[] = { 31536000, 604800, 86400, 3600, 60, 1 };
	unsigned int i;

	if (secs == 0) {
		lp_puts(lp, "0s");
		return;
	}
	for (i = 0; secs > 0 && i < 6; i++) {
		if (secs >= size[i]) {
			kdec_lp_printf(lp, "%u%s", secs / size[i], units[i]);
			secs -= secs / size[i] * size[i];
		}
	}
}

/* ND_ASCII_ISGRAPH and ND_ASCII_ISPRINT: no locale. */
static bool is_graph(uint8_t c)
{
	return c > 0x20 && c < 0x7f;
}

void kdec_lp_hex_print(struct lp *lp, const char *ident, const uint8_t *p,
		  uint32_t len)
{
	static const char hx[] = "0123456789abcdef";
	uint32_t avail = lp_avail(lp, p), oset = 0, i = 0, k;
	bool truncated = false;

	if (len > avail) {
		len = avail;
		truncated = true;
	}
	for (k = 0; k + 1 < len; k += 2) {
		char w[5] = { ' ', hx[p[k] >> 4], hx[p[k] & 15],
			      hx[p[k + 1] >> 4], hx[p[k + 1] & 15] };

		if (i++ % 8 == 0) {
			kdec_lp_printf(lp, "%s0x%04x: ", ident, oset);
			oset += 16;
		}
		kdec_em_put(lp->e, w, sizeof(w));
	}
	if (len & 1) {
		if (i % 8 == 0)
			kdec_lp_printf(lp, "%s0x%04x: ", ident, oset);
		kdec_lp_printf(lp, " %02x", p[len - 1]);
	}
	if (truncated)
		kdec_lp_longjmp(lp);
}

void kdec_lp_hex_ascii_print(struct lp *lp, const char *ident, const uint8_t *p,
			uint32_t len)
{
	static const char hx[] = "0123456789abcdef";
	uint32_t avail = lp_avail(lp, p), oset = 0, k;
	bool truncated = false;
	char hex[41], asc[17];
	int hn = 0, an = 0;

	if (len > avail) {
		len = avail;
		truncated = true;
	}
	for (k = 0; k < len; k++) {
		if (!(k & 1))
			hex[hn++] = ' ';
		hex[hn++] = hx[p[k] >> 4];
		hex[hn++] = hx[p[k] & 15];
		asc[an++] = is_graph(p[k]) ? (char)p[k] : '.';
		if (an == 16 || k + 1 == len) {
			hex[hn] = asc[an] = '\0';
			kdec_lp_printf(lp, "%s0x%04x: %-40s  %s", ident, oset, hex, asc);
			oset += 16;
			hn = an = 0;
		}
	}
	if (truncated)
		kdec_lp_longjmp(lp);
}

void kdec_lp_ascii_print(struct lp *lp, const uint8_t *p, uint32_t len)
{
	uint32_t avail = lp_avail(lp, p);
	bool truncated = false;

	lp->proto = "ascii";
	if (len > avail) {
		len = avail;
		truncated = true;
	}
	lp_putc(lp, '\n');
	while (len > 0) {
		uint8_t s = *p++;

		len--;
		if (s == '\r') {
			/* a CR is shown only inside a line */
			if (len > 1 && *p != '\n')
				lp_putc(lp, '.');
		} else if (!is_graph(s) && s != '\t' && s != ' ' && s != '\n') {
			lp_putc(lp, '.');
		} else {
			lp_putc(lp, (char)s);
		}
	}
	if (truncated)
		kdec_lp_longjmp(lp);
}

void kdec_lp_default_print(struct lp *lp, const uint8_t *p, uint32_t len)
{
	if (!lp->o->qflag && !lp->o->xflag && !lp->o->Xflag)
		kdec_lp_hex_ascii_print(lp, "\n\t", p, len);
}

void kdec_lp_unknown_data(struct lp *lp, const uint8_t *p, const char *ident,
		     uint32_t len)
{
	if (!lp_ttest(lp, p, 0)) {
		lp_puts(lp, ident);
		lp_puts(lp, "Dissector error: print_unknown_data called with pointer past end of packet");
		return;
	}
	if (lp_avail(lp, p) < len)
		len = lp_avail(lp, p);
	kdec_lp_hex_print(lp, ident, p, len);
}

/*
 * Time stamps. The local time's offset from UTC is looked up once per
 * hour of capture (or per second around a change of offset), not per
 * packet: with TZ unset glibc reads /etc/localtime on every localtime().
 */
static bool utc_offset(struct kcap_lines *L, int64_t t, long *off)
{
	struct tm a, b, c;
	time_t tt = (time_t)t, h, h1;

	if (t >= L->tz_lo && t < L->tz_hi) {
		*off = L->tz_off;
		return true;
	}
	if (!localtime_r(&tt, &a))
		return false;
	h = (time_t)(t - ((t % 3600) + 3600) % 3600);
	h1 = h + 3599;
	L->tz_off = a.tm_gmtoff;
	if (localtime_r(&h, &b) && localtime_r(&h1, &c) &&
	    b.tm_gmtoff == a.tm_gmtoff && c.tm_gmtoff == a.tm_gmtoff) {
		L->tz_lo = h;
		L->tz_hi = (int64_t)h + 3600;
	} else {
		L->tz_lo = t;
		L->tz_hi = t + 1;
	}
	*off = L->tz_off;
	return true;
}

/* Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm). */
static void civil(int64_t days, int64_t *y, unsigned int *m, unsigned int *d)
{
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned int doe = (unsigned int)(z - era * 146097);
	unsigned int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned int mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static void ts_frac(struct lp *lp, uint32_t frac)
{
	kdec_lp_printf(lp, lp->o->nano ? ".%09u" : ".%06u", frac);
}

/* ts_date_hmsfrac_print(): local (or UTC) time, with the date or not. */
static void ts_hms(struct lp *lp, int64_t sec, uint32_t frac, bool date,
		   bool local)
{
	int64_t t = sec, days, s;
	long off = 0;

	if ((uint32_t)sec & 0x80000000u) {
		lp_puts(lp, "[Error converting time]");
		return;
	}
	if (local && !utc_offset(lp->L, t, &off)) {
		lp_puts(lp, "[Error converting time]");
		return;
	}
	t += off;
	days = (t >= 0 ? t : t - 86399) / 86400;
	s = t - days * 86400;
	if (date) {
		unsigned int m, d;
		int64_t y;

		civil(days, &y, &m, &d);
		kdec_lp_printf(lp, "%04lld-%02u-%02u ", (long long)y, m, d);
	}
	kdec_lp_printf(lp, "%02u:%02u:%02u", (unsigned int)(s / 3600),
		  (unsigned int)(s / 60 % 60), (unsigned int)(s % 60));
	ts_frac(lp, frac);
}

/*
 * libpcap hands a 32-bit capture's seconds over signed, so ts_ns may hold
 * a time before 1970: read it as signed, and round towards the past.
 */
static void ts_print(struct lp *lp, uint64_t ts_ns)
{
	struct kcap_lines *L = lp->L;
	int64_t t = (int64_t)ts_ns, sec = t / 1000000000;
	int64_t frac = t % 1000000000;
	uint32_t unit = lp->o->nano ? 1000000000u : 1000000u;

	if (frac < 0) {
		frac += 1000000000;
		sec--;
	}
	if (!lp->o->nano)
		frac /= 1000;
	switch (lp->o->tflag) {
	case 0:
		ts_hms(lp, sec, (uint32_t)frac, false, true);
		lp_putc(lp, ' ');
		break;
	case 1:
		break;
	case 2:
		if ((uint32_t)sec & 0x80000000u) {
			lp_puts(lp, "[Error converting time]");
		} else {
			lp_u(lp, (uint32_t)sec);
			ts_frac(lp, (uint32_t)frac);
		}
		lp_putc(lp, ' ');
		break;
	case 3:
	case 5: {
		int64_t ds, df;
		bool neg;

		/* a reference of 0.0 counts as none, as in tcpdump */
		if (!L->ref_sec && !L->ref_frac) {
			L->ref_sec = sec;
			L->ref_frac = (uint32_t)frac;
		}
		neg = sec < L->ref_sec || (sec == L->ref_sec && frac < L->ref_frac);
		if (neg) {
			ds = L->ref_sec - sec;
			df = (int64_t)L->ref_frac - frac;
		} else {
			ds = sec - L->ref_sec;
			df = frac - (int64_t)L->ref_frac;
		}
		if (df < 0) {
			ds--;
			df += unit;
		}
		lp_putc(lp, neg ? '-' : ' ');
		ts_hms(lp, ds, (uint32_t)df, false, false);
		lp_putc(lp, ' ');
		if (lp->o->tflag == 3) {
			L->ref_sec = sec;
			L->ref_frac = (uint32_t)frac;
		}
		break;
	}
	case 4:
	default:
		ts_hms(lp, sec, (uint32_t)frac, true, true);
		lp_putc(lp, ' ');
		break;
	}
}

/* Link layers. */
#define ETHERTYPE_IP		0x0800
#define ETHERTYPE_ARP		0x0806
#define ETHERTYPE_REVARP	0x8035
#define ETHERTYPE_IPV6		0x86dd
#define ETHERTYPE_8021Q		0x8100
#define ETHERTYPE_8021Q9100	0x9100
#define ETHERTYPE_8021Q9200	0x9200
#define ETHERTYPE_8021QinQ	0x88a8
#define MAX_ETHERNET_LENGTH_VAL	1500

static void arp_print(struct lp *lp, const uint8_t *bp, uint32_t length);

/* ieee8021q_tci_string() */
static void tci_print(struct lp *lp, uint16_t tci)
{
	kdec_lp_printf(lp, "vlan %u, p %u%s, ", tci & 0xfff, tci >> 13,
		  (tci & 0x1000) ? ", DEI" : "");
}

static void ether_type_print(struct lp *lp, uint16_t type)
{
	const char *n = kdec_lp_ethertype_name(type);

	if (!lp->o->qflag)
		kdec_lp_printf(lp, "ethertype %s (0x%04x)", n ? n : "Unknown", type);
	else if (n)
		lp_puts(lp, n);
	else
		kdec_lp_printf(lp, "Unknown Ethertype (0x%04x)", type);
}

/* 1 if the type is one we print, 0 to have the caller dump it. */
static int ethertype_print(struct lp *lp, uint16_t type, const uint8_t *p,
			   uint32_t length)
{
	switch (type) {
	case ETHERTYPE_IP:
		kdec_lp_ip_print(lp, p, length);
		return 1;
	case ETHERTYPE_IPV6:
		kdec_lp_ip6_print(lp, p, length);
		return 1;
	case ETHERTYPE_ARP:
	case ETHERTYPE_REVARP:
		arp_print(lp, p, length);
		return 1;
	default:
		return 0;
	}
}

static void ether_addresses_print(struct lp *lp, const uint8_t *src,
				  const uint8_t *dst)
{
	const char *s = kdec_lp_etheraddr(lp, src), *d = kdec_lp_etheraddr(lp, dst);

	kdec_lp_printf(lp, "%s > %s, ", s, d);
}

static bool is_vlan_tpid(uint16_t t)
{
	return t == ETHERTYPE_8021Q || t == ETHERTYPE_8021Q9100 ||
	       t == ETHERTYPE_8021Q9200 || t == ETHERTYPE_8021QinQ;
}

/* ether_common_print(): returns the link-layer header length. */
uint32_t kdec_lp_ether_print(struct lp *lp, const uint8_t *p, uint32_t length,
			uint32_t caplen)
{
	const uint8_t *src, *dst;
	uint32_t orig_length, hdrlen;
	uint16_t length_type;
	bool printed_length = false;

	lp->proto = "ether";
	if (length < caplen) {
		kdec_lp_printf(lp, "[length %u < caplen %u]", length, caplen);
		kdec_lp_print_invalid(lp);
		return length;
	}
	if (caplen < 14) {
		kdec_lp_print_trunc(lp);
		return caplen;
	}
	orig_length = length;
	dst = p;
	src = p + 6;
	length -= 12;
	caplen -= 12;
	p += 12;
	hdrlen = 12;
	if (lp->o->eflag)
		ether_addresses_print(lp, src, dst);
	length_type = lp_be16(lp, p);
	length -= 2;
	caplen -= 2;
	p += 2;
	hdrlen += 2;

	while (is_vlan_tpid(length_type)) {
		if (caplen < 4 || length < 4) {
			lp->proto = "vlan";
			kdec_lp_print_trunc(lp);
			return hdrlen + (caplen < 4 ? caplen : length);
		}
		if (lp->o->eflag) {
			uint16_t tag = lp_be16(lp, p);

			ether_type_print(lp, length_type);
			if (!printed_length) {
				kdec_lp_printf(lp, ", length %u: ", orig_length);
				printed_length = true;
			} else {
				lp_puts(lp, ", ");
			}
			tci_print(lp, tag);
		}
		length_type = lp_be16(lp, p + 2);
		p += 4;
		length -= 4;
		caplen -= 4;
		hdrlen += 4;
	}

	if (length_type <= MAX_ETHERNET_LENGTH_VAL) {
		struct lp_snap s;

		/* 802.3: an LLC header we do not print follows */
		if (length_type < length) {
			length = length_type;
			if (caplen > length)
				caplen = length;
		}
		kdec_lp_push_snaplen(lp, &s, p, length);
		if (lp->o->eflag) {
			lp_puts(lp, "802.3");
			if (!printed_length)
				kdec_lp_printf(lp, ", length %u: ", length);
		}
		lp->proto = "llc";
		if (caplen < 3 || length < 3) {
			/* what llc_print() says of a header cut short */
			kdec_lp_print_trunc(lp);
			kdec_lp_hex_ascii_print(lp, "\n\t", p, caplen);
			hdrlen += caplen < 3 ? caplen : length;
		} else {
			kdec_lp_default_print(lp, p, caplen);
		}
		kdec_lp_pop_snaplen(lp);
		return hdrlen;
	}
	if (lp->o->eflag) {
		ether_type_print(lp, length_type);
		if (!printed_length)
			kdec_lp_printf(lp, ", length %u: ", orig_length);
		else
			lp_puts(lp, ", ");
	}
	if (!ethertype_print(lp, length_type, p, length)) {
		if (!lp->o->eflag) {
			ether_addresses_print(lp, src, dst);
			ether_type_print(lp, length_type);
			kdec_lp_printf(lp, ", length %u: ", orig_length);
		}
		kdec_lp_default_print(lp, p, caplen);
	}
	return hdrlen;
}

static const struct kdec_tok sll_pkttypes[] = {
	{ 0, "In" }, { 1, "B" }, { 2, "M" }, { 3, "P" }, { 4, "Out" },
	{ 0, NULL },
};

/* The protocol part of sll_print() and sll2_print(). */
static void sll_proto_print(struct lp *lp, uint16_t type, uint32_t length)
{
	if (lp->o->qflag)
		return;
	if (type <= MAX_ETHERNET_LENGTH_VAL) {
		if (type == 1)
			lp_puts(lp, "802.3");
		else if (type == 4)
			lp_puts(lp, "802.2");
		else
			kdec_lp_printf(lp, "ethertype Unknown (0x%04x)", type);
	} else {
		const char *n = kdec_lp_ethertype_name(type);

		kdec_lp_printf(lp, "ethertype %s (0x%04x)", n ? n : "Unknown", type);
	}
	kdec_lp_printf(lp, ", length %u: ", length);
}

static void sll_print(struct lp *lp, const uint8_t *h, uint32_t length)
{
	const char *t;

	lp->proto = "sll";
	t = kdec_tok(sll_pkttypes, lp_be16(lp, h));
	kdec_lp_printf(lp, "%3s ", t ? t : "?");
	if (lp_be16(lp, h + 4) == 6)
		kdec_lp_printf(lp, "%s ", kdec_lp_etheraddr(lp, h + 6));
	sll_proto_print(lp, lp_be16(lp, h + 14), length);
}

static void sll2_print(struct lp *lp, const uint8_t *h, uint32_t length)
{
	lp->proto = "sll2";
	kdec_lp_printf(lp, "ifindex %u ", lp_be32(lp, h + 4));
	if (lp_u8(lp, h + 11) == 6)
		kdec_lp_printf(lp, "%s ", kdec_lp_etheraddr(lp, h + 12));
	sll_proto_print(lp, lp_be16(lp, h), length);
}

/*
 * sll_if_print() and sll2_if_print(): the two differ in the header's
 * layout and in what is printed before it, not in what follows.
 */
static void sll_common_print(struct lp *lp, const uint8_t *h, uint32_t length,
			     uint32_t caplen, bool v2)
{
	uint32_t hl = v2 ? 20 : 16, hdrlen = hl;
	const uint8_t *p = h + hl;
	uint16_t type;

	if (lp->o->eflag) {
		if (v2)
			sll2_print(lp, h, length);
		else
			sll_print(lp, h, length);
	}
	length -= hl;
	caplen -= hl;
	type = lp_be16(lp, v2 ? h : h + 14);
	for (;;) {
		if (type <= MAX_ETHERNET_LENGTH_VAL) {
			/* IPX and LLC are not printed */
			kdec_lp_default_print(lp, p, caplen);
			break;
		}
		if (type != ETHERTYPE_8021Q) {
			if (!ethertype_print(lp, type, p, length)) {
				if (!lp->o->eflag) {
					if (v2)
						sll2_print(lp, h, length + hl);
					else
						sll_print(lp, h, length + hl);
				}
				kdec_lp_default_print(lp, p, caplen);
			}
			break;
		}
		if (caplen < 4) {
			lp->proto = "vlan";
			kdec_lp_print_trunc(lp);
			lp->ll_hdr_len += hdrlen + caplen;
			return;
		}
		if (lp->o->eflag)
			tci_print(lp, lp_be16(lp, p));
		type = lp_be16(lp, p + 2);
		if (type <= MAX_ETHERNET_LENGTH_VAL)
			type = 4;
		if (!lp->o->qflag) {
			const char *n = kdec_lp_ethertype_name(type);

			kdec_lp_printf(lp, "ethertype %s, ", n ? n : "Unknown");
		}
		p += 4;
		length -= 4;
		caplen -= 4;
		hdrlen += 4;
	}
	lp->ll_hdr_len += hdrlen;
}

static void sll_if_print(struct lp *lp, const uint8_t *p, uint32_t length,
			 uint32_t caplen)
{
	lp->proto = "sll";
	lp_need(lp, p, 16);
	sll_common_print(lp, p, length, caplen, false);
}

static void sll2_if_print(struct lp *lp, const uint8_t *p, uint32_t length,
			  uint32_t caplen)
{
	char ifname[IF_NAMESIZE];
	const char *t;

	lp->proto = "sll2";
	lp_need(lp, p, 20);
	if (!if_indextoname(be32_at(p + 4), ifname))
		strcpy(ifname, "?");
	kdec_lp_printf(lp, "%-5s ", ifname);
	t = kdec_tok(sll_pkttypes, p[10]);
	kdec_lp_printf(lp, "%-3s ", t ? t : "?");
	sll_common_print(lp, p, length, caplen, true);
}

void kdec_lp_ipn_print(struct lp *lp, const uint8_t *bp, uint32_t length)
{
	lp->proto = "ipn";
	if (length < 1) {
		kdec_lp_printf(lp, "truncated-ip %u", length);
		return;
	}
	switch (lp_u8(lp, bp) & 0xf0) {
	case 0x40:
		kdec_lp_ip_print(lp, bp, length);
		break;
	case 0x60:
		kdec_lp_ip6_print(lp, bp, length);
		break;
	default:
		kdec_lp_printf(lp, "unknown ip %u", (bp[0] & 0xf0) >> 4);
		break;
	}
}

/* ARP (print-arp.c); the ATM and Frame Relay forms are not printed. */
static const struct kdec_tok arpop_values[] = {
	{ 1, "Request" }, { 2, "Reply" }, { 3, "Reverse Request" },
	{ 4, "Reverse Reply" }, { 8, "Inverse Request" },
	{ 9, "Inverse Reply" }, { 10, "NACK Reply" }, { 0, NULL },
};

static const struct kdec_tok arphrd_values[] = {
	{ 1, "Ethernet" }, { 6, "TokenRing" }, { 7, "ArcNet" },
	{ 15, "FrameRelay" }, { 23, "Strip" }, { 24, "IEEE 1394" },
	{ 19, "ATM" }, { 32, "InfiniBand" }, { 0, NULL },
};

static void arp_paddr_print(struct lp *lp, const uint8_t *a, uint16_t pro,
			    uint8_t pln)
{
	if (pro != ETHERTYPE_IP && pro != 0x1000)
		lp_puts(lp, "<wrong proto type>");
	else if (pln != 4)
		lp_puts(lp, "<wrong len>");
	else
		lp_puts(lp, kdec_lp_ipaddr(lp, a));
}

static void arp_print(struct lp *lp, const uint8_t *bp, uint32_t length)
{
	const uint8_t *sha, *spa, *tha, *tpa;
	uint16_t hrd, pro, op;
	uint8_t hln, pln;
	const char *s;

	lp->proto = "arp";
	lp_need(lp, bp, 8);
	hrd = be16_at(bp);
	pro = be16_at(bp + 2);
	hln = bp[4];
	pln = bp[5];
	op = be16_at(bp + 6);
	sha = bp + 8;
	spa = sha + hln;
	tha = spa + pln;
	tpa = tha + hln;
	lp_need(lp, tpa, pln);
	if (!lp->o->eflag)
		lp_puts(lp, "ARP, ");
	if ((pro != ETHERTYPE_IP && pro != 0x1000) || pln != 4 || hln == 0 ||
	    lp->o->vflag) {
		const char *h = kdec_tok(arphrd_values, hrd), *p = kdec_lp_ethertype_name(pro);

		if (h)
			kdec_lp_printf(lp, "%s (len %u), ", h, hln);
		else
			kdec_lp_printf(lp, "Unknown Hardware (%u) (len %u), ", hrd, hln);
		if (p)
			kdec_lp_printf(lp, "%s (len %u)", p, pln);
		else
			kdec_lp_printf(lp, "Unknown Protocol (0x%04x) (len %u)", pro, pln);
		if (!lp->o->vflag)
			goto out;
	}
	s = kdec_tok(arpop_values, op);
	if (lp->o->vflag)
		lp_puts(lp, ", ");
	if (s)
		kdec_lp_printf(lp, "%s ", s);
	else
		kdec_lp_printf(lp, "Unknown (%u) ", op);
	switch (op) {
	case 1: {
		uint8_t i, nz = 0;

		lp_puts(lp, "who-has ");
		arp_paddr_print(lp, tpa, pro, pln);
		for (i = 0; i < hln; i++)
			nz |= tha[i];
		if (nz)
			kdec_lp_printf(lp, " (%s)", kdec_lp_linkaddr(lp, tha, hln));
		lp_puts(lp, " tell ");
		arp_paddr_print(lp, spa, pro, pln);
		break;
	}
	case 2:
		arp_paddr_print(lp, spa, pro, pln);
		kdec_lp_printf(lp, " is-at %s", kdec_lp_linkaddr(lp, sha, hln));
		break;
	case 3:
	case 8:
		kdec_lp_printf(lp, "who-is %s", kdec_lp_linkaddr(lp, tha, hln));
		kdec_lp_printf(lp, " tell %s", kdec_lp_linkaddr(lp, sha, hln));
		break;
	case 4:
		kdec_lp_printf(lp, "%s at ", kdec_lp_linkaddr(lp, tha, hln));
		arp_paddr_print(lp, tpa, pro, pln);
		break;
	case 9:
		kdec_lp_printf(lp, "%s at ", kdec_lp_linkaddr(lp, sha, hln));
		arp_paddr_print(lp, spa, pro, pln);
		break;
	default:
		kdec_lp_hex_ascii_print(lp, "\n\t", bp, lp_avail(lp, bp));
		return;
	}
out:
	kdec_lp_printf(lp, ", length %u", length);
}

static void link_print(struct lp *lp, const struct kcap_packet *pkt)
{
	const uint8_t *p = pkt->data;

	switch (pkt->linktype) {
	case KCAP_DLT_EN10MB:
		lp->ll_hdr_len += kdec_lp_ether_print(lp, p, pkt->wirelen, pkt->caplen);
		break;
	case KCAP_DLT_LINUX_SLL:
		sll_if_print(lp, p, pkt->wirelen, pkt->caplen);
		break;
	case KCAP_DLT_LINUX_SLL2:
		sll2_if_print(lp, p, pkt->wirelen, pkt->caplen);
		break;
	case KCAP_DLT_RAW:
	case KCAP_DLT_IPV4:
	case KCAP_DLT_IPV6:
	case 101:
		lp->proto = "raw";
		if (lp->o->eflag)
			lp_puts(lp, "ip: ");
		kdec_lp_ipn_print(lp, p, pkt->wirelen);
		break;
	default:
		/* tcpdump would not open such a capture; show the bytes */
		kdec_lp_hex_ascii_print(lp, "\n\t", p, pkt->caplen);
		break;
	}
}

static bool invalid_header(struct lp *lp, const struct kcap_packet *pkt)
{
	const char *sep = "[Invalid header:";

	if (pkt->caplen == 0) {
		lp_puts(lp, "[Invalid header: caplen==0");
		sep = ",";
	}
	if (pkt->wirelen == 0) {
		kdec_lp_printf(lp, "%s len==0", sep);
		sep = ",";
	} else if (pkt->wirelen < pkt->caplen) {
		kdec_lp_printf(lp, "%s len(%u) < caplen(%u)", sep, pkt->wirelen, pkt->caplen);
		sep = ",";
	}
	if (pkt->caplen > MAXIMUM_SNAPLEN) {
		kdec_lp_printf(lp, "%s caplen(%u) > %u", sep, pkt->caplen, MAXIMUM_SNAPLEN);
		sep = ",";
	}
	if (pkt->wirelen > MAXIMUM_SNAPLEN) {
		kdec_lp_printf(lp, "%s len(%u) > %u", sep, pkt->wirelen, MAXIMUM_SNAPLEN);
		sep = ",";
	}
	if (sep[0] != ',')
		return false;
	lp_puts(lp, "]\n");
	return true;
}

/* pretty_print_packet() */
void kcap_lines_print(struct kcap_lines *L, FILE *out,
		      const struct kcap_packet *pkt)
{
	struct lp *lp = L->lp;
	const struct kcap_lines_opts *o = &L->o;
	const uint8_t *sp = pkt->data;
	uint32_t caplen = sp ? pkt->caplen : 0, hdrlen;

	L->em.f = out;
	memset(lp, 0, sizeof(*lp));
	lp->L = L;
	lp->o = o;
	lp->e = &L->em;
	lp->proto = "";
	if (o->number)
		kdec_lp_printf(lp, "%5u  ", (unsigned int)pkt->number);
	if (!sp && pkt->caplen) {
		lp_puts(lp, "[Invalid header: no data]\n");
		goto out;
	}
	if (invalid_header(lp, pkt))
		goto out;
	ts_print(lp, pkt->ts_ns);
	lp->snapend = sp + caplen;
	if (setjmp(lp->trunc) == 0) {
		link_print(lp, pkt);
	} else {
		kdec_lp_print_trunc(lp);
		lp->ll_hdr_len = 0;
	}
	hdrlen = lp->ll_hdr_len;
	lp->saved = NULL;
	lp->snapend = sp + caplen;
	/* The dumps below stay within the capture: they cannot jump. */
	if (o->Xflag) {
		if (o->Xflag > 1)
			kdec_lp_hex_ascii_print(lp, "\n\t", sp, caplen);
		else if (caplen > hdrlen)
			kdec_lp_hex_ascii_print(lp, "\n\t", sp + hdrlen, caplen - hdrlen);
	} else if (o->xflag) {
		if (o->xflag > 1)
			kdec_lp_hex_print(lp, "\n\t", sp, caplen);
		else if (caplen > hdrlen)
			kdec_lp_hex_print(lp, "\n\t", sp + hdrlen, caplen - hdrlen);
	} else if (o->Aflag) {
		if (o->Aflag > 1)
			kdec_lp_ascii_print(lp, sp, caplen);
		else if (caplen > hdrlen)
			kdec_lp_ascii_print(lp, sp + hdrlen, caplen - hdrlen);
	}
	lp_putc(lp, '\n');
out:
	kdec_em_flush(&L->em);
}

struct kcap_lines *kcap_lines_new(const struct kcap_lines_opts *o)
{
	struct kcap_lines *L = calloc(1, sizeof(*L));

	if (!L)
		return NULL;
	L->o = *o;
	L->lp = malloc(sizeof(*L->lp));
	L->names = kdec_lp_names_new(o);
	L->tcpseq = kdec_lp_tcpseq_new();
	if (!L->lp || !L->names || !L->tcpseq) {
		kcap_lines_free(L);
		return NULL;
	}
	kdec_em_init(&L->em, NULL, EM_NONE, NULL);
	L->tz_lo = L->tz_hi = 0;
	return L;
}

void kcap_lines_free(struct kcap_lines *L)
{
	if (!L)
		return;
	kdec_lp_names_free(L->names);
	kdec_lp_tcpseq_free(L->tcpseq);
	free(L->lp);
	free(L);
}
