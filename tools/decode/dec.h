/* SPDX-License-Identifier: GPL-2.0 */
/* The decoders' internal interface: one function per protocol. */
#ifndef KCAP_DECODE_DEC_H
#define KCAP_DECODE_DEC_H

#include "csum.h"
#include "cursor.h"
#include "emit.h"

/* What the network layer tells the transport layer. */
struct l3info {
	int ver;			/* 4 or 6 */
	const uint8_t *src, *dst;	/* 4 or 16 bytes, copies we own */
	uint32_t l4len;			/* L4 bytes by the IP length fields */
	bool whole;			/* not a fragment: checksums can be verified */
};

void kdec_link(struct emit *e, const struct kcap_packet *pkt);
void kdec_ethertype(struct emit *e, struct cur *c, uint16_t type, int depth);
void kdec_ipv4(struct emit *e, struct cur *c);
void kdec_ipv6(struct emit *e, struct cur *c);
void kdec_l4(struct emit *e, struct cur *c, uint8_t proto, const struct l3info *l3);
void kdec_payload(struct emit *e, struct cur *c, uint32_t len, const char *title);

/*
 * IPv4's and TCP's options, one at a time: kind 0 ends the list, kind 1
 * is one byte, any other has a length byte counting both and a body.
 */
enum opt_step {
	OPT_END,	/* kind 0 */
	OPT_NOP,	/* kind 1 */
	OPT_BODY,	/* *len and *body are the option's */
	OPT_SHORT,	/* a length below 2 */
	OPT_CUT,	/* the list ends inside the option */
};
enum opt_step kdec_opt_next(struct cur *o, uint8_t *kind, uint8_t *len, struct cur *body);
/* After the last option: the list closed, and marked cut if o is shorter than want. */
void kdec_opt_end(struct emit *e, const struct cur *o, uint32_t want);

const char *kdec_ip_proto_name(uint8_t proto);
const char *kdec_port_name(uint16_t port);
void kdec_dscp_ecn(struct emit *e, uint8_t tos);
uint16_t kdec_l4_checksum(const struct l3info *l3, uint8_t proto, const uint8_t *p,
		     uint32_t len);

/* ---- Link types and encapsulations decoded through ---- */

#define MAX_ENCAP	16	/* tunnels inside tunnels followed before giving up */

void kdec_ether(struct emit *e, struct cur *c);
void kdec_ppp_proto(struct emit *e, struct cur *c, uint16_t proto);	/* dec_l2.c */
void kdec_radiotap(struct emit *e, struct cur *c);	/* dec_wlan.c */
void kdec_80211(struct emit *e, struct cur *c, bool fcs);
void kdec_vxlan(struct emit *e, struct cur *c);		/* dec_tunnel.c */
void kdec_geneve(struct emit *e, struct cur *c);
void kdec_gre(struct emit *e, struct cur *c, const struct l3info *l3);
void kdec_mpls(struct emit *e, struct cur *c);
void kdec_macsec(struct emit *e, struct cur *c);

/*
 * One more encapsulation: false (and the rest shown as payload) when
 * too many are nested, so a crafted packet cannot recurse without end.
 */
bool kdec_enter(struct emit *e, struct cur *c);

/*
 * Bytes the packet had on the wire from c's position on: what is left
 * plus what was not captured, when c still ends where the capture does.
 */
static inline uint32_t reported_left(const struct emit *e, const struct cur *c)
{
	uint32_t n = cur_left(c);

	if (e->pkt_end && c->p + c->len == e->pkt_end && n <= UINT32_MAX - e->wire_extra)
		return n + e->wire_extra;
	return n;
}

/* Formatting for the tables (tcpconv.c). */
void kdec_fmt_addr(char *buf, size_t len, int ver, const uint8_t *a);
void kdec_fmt_endpoint(char *buf, size_t len, int ver, const uint8_t *a, uint16_t port);
void kdec_fmt_secs(char *buf, size_t len, uint64_t ns);
void kdec_fmt_ssecs(char *buf, size_t len, int64_t ns);
void kdec_out_json_str(FILE *out, const char *s);

/*
 * One TCP connection named on the command line (follow.c): by its two
 * endpoints, or by its tcp.stream index (then A is its first sender).
 */
struct tcp_sel {
	bool by_stream, have_ab;
	uint32_t stream;
	int ver;
	uint8_t a[16], b[16];
	uint16_t pa, pb;
};
int kdec_tcp_sel_parse(struct tcp_sel *s, const char *spec);
bool kdec_tcp_sel_match(struct tcp_sel *s, const struct kcap_dec_info *I,
		   const struct kcap_tcp_ana *r, int *dir);

/* The TCP analysis of a packet as a layer of its own (tcpana.c). */
void kdec_ana_emit(struct emit *e, const struct kcap_tcp_ana *r);

#endif /* KCAP_DECODE_DEC_H */
