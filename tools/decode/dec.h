/* SPDX-License-Identifier: GPL-2.0 */
/* The decoders' internal interface: one function per protocol. */
#ifndef KCAP_DECODE_DEC_H
#define KCAP_DECODE_DEC_H

#include "cursor.h"
#include "emit.h"

/* What the network layer tells the transport layer. */
struct l3info {
	int ver;			/* 4 or 6 */
	const uint8_t *src, *dst;	/* 4 or 16 bytes, copies we own */
	uint32_t l4len;			/* L4 bytes by the IP length fields */
	bool whole;			/* not a fragment: checksums can be verified */
};

void dec_link(struct emit *e, const struct kcap_dec_pkt *pkt);
void dec_ethertype(struct emit *e, struct cur *c, uint16_t type, int depth);
void dec_ipv4(struct emit *e, struct cur *c);
void dec_ipv6(struct emit *e, struct cur *c);
void dec_l4(struct emit *e, struct cur *c, uint8_t proto, const struct l3info *l3);
void dec_payload(struct emit *e, struct cur *c, uint32_t len, const char *title);

const char *ip_proto_name(uint8_t proto);
const char *port_name(uint16_t port);
void dscp_ecn(struct emit *e, uint8_t tos);
uint16_t l4_checksum(const struct l3info *l3, uint8_t proto, const uint8_t *p,
		     uint32_t len);
uint32_t csum_add(uint32_t sum, const uint8_t *p, uint32_t len);
uint16_t csum_fold(uint32_t sum);

/* The TCP analysis of a packet as a layer of its own (tcpana.c). */
void ana_emit(struct emit *e, const struct kcap_tcp_ana *r);

#endif /* KCAP_DECODE_DEC_H */
