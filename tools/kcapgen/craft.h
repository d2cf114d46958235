/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcapgen's packets: one stream's header fields, the frames built from
 * them, and the checks a receiver makes on what arrives.
 */
#ifndef KCAPGEN_CRAFT_H
#define KCAPGEN_CRAFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define GEN_MAX_FRAME	(1514 + 4)

enum gen_proto { GEN_ICMP, GEN_UDP, GEN_TCP };

/* The fields the traffic seed's stream.help() lists, and the links. */
struct gen_stream {
	enum gen_proto proto;
	int family;			/* AF_INET or AF_INET6 */
	struct in6_addr src, dst;	/* IPv4 in the first four bytes */
	uint8_t src_mac[6], dst_mac[6];
	uint8_t ttl, tos;
	uint16_t ip_id;
	bool df, mf;
	uint16_t frag_off;		/* in 8-byte units */
	uint16_t sport, dport;
	uint8_t tcp_flags;		/* TH_* */
	uint32_t seq, ack;
	uint16_t window, urgptr;
	uint16_t echo_id;
	const char *payload;		/* text, or NULL: size bytes */
	size_t size;
	bool bad_checksum;
};

/*
 * Frame number n of the stream into buf (GEN_MAX_FRAME bytes): the IP id,
 * ICMP sequence and TCP sequence advance with n. Returns its length, or 0
 * if it does not fit.
 */
size_t gen_build(const struct gen_stream *s, uint32_t n, uint8_t *buf);

/* A received frame's IPv4 header and TCP, UDP or ICMP checksums are right. */
enum gen_verdict { GEN_OK, GEN_CORRUPT, GEN_NOT_IP };
enum gen_verdict gen_check(const uint8_t *frame, size_t len);

int gen_parse_mac(const char *s, uint8_t mac[6]);
int gen_parse_tcp_flags(const char *s, uint8_t *flags);

#endif /* KCAPGEN_CRAFT_H */
