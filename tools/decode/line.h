/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The internals of tcpdump's one-line form (decode.h: kcap_lines_*).
 *
 * The printers follow tcpdump 4.99's print-*.c field for field, so that
 * every line, truncated and malformed packets included, reads as tcpdump
 * prints it. Two kinds of bounds check exist, as in tcpdump:
 *
 *   lp_u8(), lp_be16(), lp_be32(), lp_need()   (tcpdump's GET_* macros)
 *       a read past the captured bytes abandons the whole packet: the line
 *       ends with " [|proto]" for the innermost protocol being printed and
 *       the hex dump (-x, -X) shows the packet from its first byte;
 *   lp_ttest()                                 (ND_TTEST / ND_TCHECK)
 *       the printer decides, usually printing " [|proto]" and returning,
 *       so its callers finish their part of the line.
 *
 * "Captured" means before lp->snapend, which each IP layer pulls in to the
 * end of its datagram (Ethernet padding is not part of a TCP segment) and
 * puts back when it returns (kdec_lp_push_snaplen/kdec_lp_pop_snaplen).
 */
#ifndef KCAP_DECODE_LINE_H
#define KCAP_DECODE_LINE_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include "cursor.h"
#include "decode.h"
#include "emit.h"

struct lp_names;
struct lp_tcpseq;

struct kcap_lines {
	struct kcap_lines_opts o;
	struct lp_names *names;		/* line_names.c */
	struct lp_tcpseq *tcpseq;	/* line_l4.c: relative sequence numbers */
	struct lp *lp;			/* the packet being printed */
	/* The local time's UTC offset, valid for seconds in [tz_lo, tz_hi). */
	int64_t tz_lo, tz_hi;
	long tz_off;
	/* -ttt and -ttttt: the previous (first) packet's time. */
	int64_t ref_sec;
	uint32_t ref_frac;
	struct emit em;
};

/* A saved snapshot end; they form a stack on the C stack. */
struct lp_snap {
	const uint8_t *end;
	struct lp_snap *prev;
};

/* One packet being printed. */
struct lp {
	struct kcap_lines *L;
	const struct kcap_lines_opts *o;
	struct emit *e;
	const uint8_t *snapend;
	struct lp_snap *saved;
	const char *proto;		/* for " [|proto]" */
	uint32_t ll_hdr_len;		/* what -x and -X leave out */
	unsigned int depth;		/* nested IP layers */
	jmp_buf trunc;
};

/* Deeper nesting of IP in IP (or in ICMP) is cut short. */
#define LP_MAX_DEPTH	64

/* Abandon the packet: " [|proto]", then the dumps from byte 0. */
__attribute__((noreturn)) void kdec_lp_longjmp(struct lp *lp);

/* Were n bytes at p captured? (ND_TTEST_LEN) */
static inline bool lp_ttest(const struct lp *lp, const uint8_t *p, uint64_t n)
{
	uintptr_t end = (uintptr_t)lp->snapend, q = (uintptr_t)p;

	return n <= end && end - n <= end && q <= end - n;
}

/* Bytes captured from p on (0 if p is past the end). */
static inline uint32_t lp_avail(const struct lp *lp, const uint8_t *p)
{
	return (uintptr_t)p < (uintptr_t)lp->snapend ?
	       (uint32_t)((uintptr_t)lp->snapend - (uintptr_t)p) : 0;
}

static inline void lp_need(struct lp *lp, const uint8_t *p, uint64_t n)
{
	if (!lp_ttest(lp, p, n))
		kdec_lp_longjmp(lp);
}

static inline uint8_t lp_u8(struct lp *lp, const uint8_t *p)
{
	lp_need(lp, p, 1);
	return *p;
}

static inline uint16_t lp_be16(struct lp *lp, const uint8_t *p)
{
	lp_need(lp, p, 2);
	return be16_at(p);
}

static inline uint32_t lp_be32(struct lp *lp, const uint8_t *p)
{
	lp_need(lp, p, 4);
	return be32_at(p);
}

static inline uint16_t lp_le16(struct lp *lp, const uint8_t *p)
{
	lp_need(lp, p, 2);
	return (uint16_t)(p[0] | p[1] << 8);
}

/* nd_push_snaplen / nd_change_snaplen / nd_pop_packet_info */
void kdec_lp_push_snaplen(struct lp *lp, struct lp_snap *s, const uint8_t *bp,
		     uint32_t len);
void kdec_lp_change_snaplen(struct lp *lp, const uint8_t *bp, uint32_t len);
void kdec_lp_pop_snaplen(struct lp *lp);

/* Output. */
static inline void lp_puts(struct lp *lp, const char *s)
{
	kdec_em_puts(lp->e, s);
}

static inline void lp_putc(struct lp *lp, char c)
{
	kdec_em_putc(lp->e, c);
}

static inline void lp_u(struct lp *lp, uint64_t v)
{
	kdec_em_u64(lp->e, v);
}

void kdec_lp_printf(struct lp *lp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void kdec_lp_print_trunc(struct lp *lp);		/* " [|proto]" */
void kdec_lp_print_invalid(struct lp *lp);		/* " (invalid)" */
void kdec_lp_print_proto_caps(struct lp *lp);	/* "TCP" from "tcp" */
void kdec_lp_print_char(struct lp *lp, uint8_t c);	/* "M-^A" for 0x81 */
void kdec_lp_relts_print(struct lp *lp, uint32_t secs);	/* "1h2m3s" */

/* Dumps, as print-ascii.c lays them out; they may abandon the packet. */
void kdec_lp_hex_print(struct lp *lp, const char *ident, const uint8_t *p,
		  uint32_t len);
void kdec_lp_hex_ascii_print(struct lp *lp, const char *ident, const uint8_t *p,
			uint32_t len);
void kdec_lp_ascii_print(struct lp *lp, const uint8_t *p, uint32_t len);
/* ND_DEFAULTPRINT: unknown payloads in hex and ASCII, unless -q/-x/-X. */
void kdec_lp_default_print(struct lp *lp, const uint8_t *p, uint32_t len);
/* print_unknown_data() */
void kdec_lp_unknown_data(struct lp *lp, const uint8_t *p, const char *ident,
		     uint32_t len);

/* Table lookups: the name, or NULL. */
/* bittok2str(): names of the set bits joined by sep, or none. */
void kdec_lp_bittok(char *buf, size_t len, const struct kdec_tok *t, const char *none,
	       uint32_t v, const char *sep);

/* line_names.c: names as tcpdump prints them (numbers with -n). */
struct lp_names *kdec_lp_names_new(const struct kcap_lines_opts *o);
void kdec_lp_names_free(struct lp_names *n);
const char *kdec_lp_ipaddr(struct lp *lp, const uint8_t *p);	/* reads 4 */
const char *kdec_lp_ip6addr(struct lp *lp, const uint8_t *p);	/* reads 16 */
const char *kdec_lp_etheraddr(struct lp *lp, const uint8_t *p);	/* reads 6 */
const char *kdec_lp_linkaddr(struct lp *lp, const uint8_t *p, unsigned int len);
const char *kdec_lp_tcpport(struct lp *lp, uint16_t port);
const char *kdec_lp_udpport(struct lp *lp, uint16_t port);
const char *kdec_lp_netdb_protoname(struct lp *lp, uint8_t proto);
const char *kdec_lp_ipproto_name(uint8_t proto);		/* ipproto_values */
const char *kdec_lp_ethertype_name(uint16_t type);		/* ethertype_values */
void kdec_lp_fmt_ip6(char *buf, const uint8_t *a);		/* addrtostr6 */

/* line.c: an Ethernet frame (also inside VXLAN); its header's length */
uint32_t kdec_lp_ether_print(struct lp *lp, const uint8_t *p, uint32_t length,
			uint32_t caplen);

/* line_ip.c */
void kdec_lp_ip_print(struct lp *lp, const uint8_t *bp, uint32_t length);
void kdec_lp_ip6_print(struct lp *lp, const uint8_t *bp, uint32_t length);
void kdec_lp_ipn_print(struct lp *lp, const uint8_t *bp, uint32_t length);
void kdec_lp_ip_demux(struct lp *lp, const uint8_t *bp, uint32_t length, int ver,
		 int fragmented, uint8_t ttl_hl, uint8_t nh, const uint8_t *iph);
/* The TCP/UDP/ICMPv6 checksum over a pseudo header, as in_cksum() sums. */
uint16_t kdec_lp_nextproto4_cksum(struct lp *lp, const uint8_t *ip,
			     const uint8_t *data, uint32_t len, uint8_t proto);
uint16_t kdec_lp_nextproto6_cksum(struct lp *lp, const uint8_t *ip6,
			     const uint8_t *data, uint32_t len, uint8_t proto);
uint16_t kdec_lp_in_cksum(const uint8_t *p, uint32_t len);
uint16_t kdec_lp_cksum_shouldbe(uint16_t sum, uint16_t computed);

/* line_l4.c */
void kdec_lp_tcp_print(struct lp *lp, const uint8_t *bp, uint32_t length,
		  const uint8_t *iph, int fragmented);
void kdec_lp_udp_print(struct lp *lp, const uint8_t *bp, uint32_t length,
		  const uint8_t *iph, int fragmented);
void kdec_lp_icmp_print(struct lp *lp, const uint8_t *bp, uint32_t length,
		   const uint8_t *iph, int fragmented);
void kdec_lp_icmp6_print(struct lp *lp, const uint8_t *bp, uint32_t length,
		    const uint8_t *iph, int fragmented);
void kdec_lp_igmp_print(struct lp *lp, const uint8_t *bp, uint32_t length);
void kdec_lp_group_records(struct lp *lp, const uint8_t *bp, uint32_t len,
		      unsigned int alen);
struct lp_tcpseq *kdec_lp_tcpseq_new(void);
void kdec_lp_tcpseq_free(struct lp_tcpseq *t);

/* line_dns.c */
void kdec_lp_domain_print(struct lp *lp, const uint8_t *bp, uint32_t length,
		     bool over_tcp, bool mdns);
const uint8_t *kdec_lp_fqdn_print(struct lp *lp, const uint8_t *cp,
			     const uint8_t *bp);

#endif /* KCAP_DECODE_LINE_H */
