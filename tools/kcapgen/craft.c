// SPDX-License-Identifier: GPL-2.0
/*
 * Building ICMP echo, UDP and TCP frames over IPv4 or IPv6, and checking
 * the checksums of frames that arrive.
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <netinet/ip_icmp.h>
#include <netinet/icmp6.h>

#include "craft.h"
#include "csum.h"

#define ETH_HLEN	14
#define ETH_P_IP	0x0800
#define ETH_P_IPV6	0x86dd
#define ETH_P_8021Q	0x8100
#define ETH_P_8021AD	0x88a8

/* The pseudo-header's sum, for TCP, UDP and ICMPv6. */
static uint32_t csum_pseudo(int family, const uint8_t *src, const uint8_t *dst,
			    uint8_t proto, uint32_t len)
{
	return kcap_csum_pseudo(src, dst, family == AF_INET ? 4 : 16, proto, len);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static size_t l4_hdr_len(enum gen_proto proto)
{
	switch (proto) {
	case GEN_TCP:
		return 20;
	case GEN_UDP:
		return 8;
	default:
		return 8;	/* echo: type, code, sum, id, seq */
	}
}

static uint8_t l4_ipproto(const struct gen_stream *s)
{
	switch (s->proto) {
	case GEN_TCP:
		return IPPROTO_TCP;
	case GEN_UDP:
		return IPPROTO_UDP;
	default:
		return s->family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	}
}

size_t gen_build(const struct gen_stream *s, uint32_t n, uint8_t *buf)
{
	size_t plen = s->payload ? strlen(s->payload) : s->size;
	size_t iphl = s->family == AF_INET ? 20 : 40;
	size_t l4len = l4_hdr_len(s->proto) + plen;
	size_t total = ETH_HLEN + iphl + l4len, i;
	uint8_t *ip = buf + ETH_HLEN, *l4 = ip + iphl, *pl;
	uint8_t proto = l4_ipproto(s);
	bool frag = s->family == AF_INET && (s->mf || s->frag_off);
	uint32_t psum = 0;
	uint16_t sum;
	int sumoff = -1;

	if (total > GEN_MAX_FRAME - 4)
		return 0;
	memset(buf, 0, total);
	memcpy(buf, s->dst_mac, 6);
	memcpy(buf + 6, s->src_mac, 6);
	put16(buf + 12, s->family == AF_INET ? ETH_P_IP : ETH_P_IPV6);

	pl = l4 + l4_hdr_len(s->proto);
	if (s->payload) {
		memcpy(pl, s->payload, plen);
	} else {
		for (i = 0; i < plen; i++)
			pl[i] = (uint8_t)('a' + (i + n) % 26);
	}

	switch (s->proto) {
	case GEN_TCP:
		put16(l4, s->sport);
		put16(l4 + 2, s->dport);
		put16(l4 + 4, (uint16_t)((s->seq + n * plen) >> 16));
		put16(l4 + 6, (uint16_t)(s->seq + n * plen));
		put16(l4 + 8, (uint16_t)(s->ack >> 16));
		put16(l4 + 10, (uint16_t)s->ack);
		l4[12] = 5 << 4;
		l4[13] = s->tcp_flags;
		put16(l4 + 14, s->window);
		put16(l4 + 18, s->urgptr);
		sumoff = 16;
		break;
	case GEN_UDP:
		put16(l4, s->sport);
		put16(l4 + 2, s->dport);
		put16(l4 + 4, (uint16_t)l4len);
		sumoff = 6;
		break;
	case GEN_ICMP:
		l4[0] = s->family == AF_INET ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
		put16(l4 + 4, s->echo_id);
		put16(l4 + 6, (uint16_t)n);
		sumoff = 2;
		break;
	}
	/* ICMP over IPv4 alone has no pseudo-header. */
	if (s->proto != GEN_ICMP || s->family == AF_INET6)
		psum = csum_pseudo(s->family, s->src.s6_addr, s->dst.s6_addr, proto,
				   (uint32_t)l4len);
	sum = kcap_csum_fold(kcap_csum_add(psum, l4, l4len));
	if (s->proto == GEN_UDP && !sum)
		sum = 0xffff;
	if (s->bad_checksum && !frag)
		sum ^= 0x5a5a;
	put16(l4 + sumoff, sum);

	if (s->family == AF_INET) {
		uint16_t frag_field = s->frag_off & 0x1fff;

		if (s->df)
			frag_field |= IP_DF;
		if (s->mf)
			frag_field |= IP_MF;
		ip[0] = 0x45;
		ip[1] = s->tos;
		put16(ip + 2, (uint16_t)(iphl + l4len));
		put16(ip + 4, (uint16_t)(s->ip_id + n));
		put16(ip + 6, frag_field);
		ip[8] = s->ttl;
		ip[9] = proto;
		memcpy(ip + 12, s->src.s6_addr, 4);
		memcpy(ip + 16, s->dst.s6_addr, 4);
		sum = kcap_csum_fold(kcap_csum_add(0, ip, iphl));
		if (s->bad_checksum && frag)
			sum ^= 0x5a5a;
		put16(ip + 10, sum);
	} else {
		ip[0] = 0x60 | s->tos >> 4;
		ip[1] = (uint8_t)(s->tos << 4);
		put16(ip + 4, (uint16_t)l4len);
		ip[6] = proto;
		ip[7] = s->ttl;
		memcpy(ip + 8, s->src.s6_addr, 16);
		memcpy(ip + 24, s->dst.s6_addr, 16);
	}
	return total;
}

/* Whether the L4 checksum of proto over l4[0..len) is right. */
static bool l4_ok(int family, const uint8_t *src, const uint8_t *dst,
		  uint8_t proto, const uint8_t *l4, size_t len)
{
	uint32_t sum;

	switch (proto) {
	case IPPROTO_TCP:
		if (len < 20)
			return false;
		break;
	case IPPROTO_UDP:
		if (len < 8)
			return false;
		if (family == AF_INET && !get16(l4 + 6))
			return true;	/* no checksum */
		break;
	case IPPROTO_ICMP:
		return len >= 4 && kcap_csum_fold(kcap_csum_add(0, l4, len)) == 0;
	case IPPROTO_ICMPV6:
		if (len < 4)
			return false;
		break;
	default:
		return true;	/* nothing we can check */
	}
	sum = csum_pseudo(family, src, dst, proto, (uint32_t)len);
	return kcap_csum_fold(kcap_csum_add(sum, l4, len)) == 0;
}

enum gen_verdict gen_check(const uint8_t *f, size_t len)
{
	size_t off = 12, iphl, tot;
	uint16_t type;

	if (len < ETH_HLEN)
		return GEN_NOT_IP;
	type = get16(f + off);
	while ((type == ETH_P_8021Q || type == ETH_P_8021AD) && len >= off + 6) {
		off += 4;
		type = get16(f + off);
	}
	off += 2;
	f += off;
	len -= off;

	if (type == ETH_P_IP) {
		if (len < 20 || f[0] >> 4 != 4)
			return GEN_CORRUPT;
		iphl = (f[0] & 0xf) * 4u;
		tot = get16(f + 2);
		if (iphl < 20 || tot < iphl || tot > len)
			return GEN_CORRUPT;
		if (kcap_csum_fold(kcap_csum_add(0, f, iphl)))
			return GEN_CORRUPT;
		/* Only a whole datagram has a checksum to check. */
		if (get16(f + 6) & (IP_MF | IP_OFFMASK))
			return GEN_OK;
		return l4_ok(AF_INET, f + 12, f + 16, f[9], f + iphl,
			     tot - iphl) ? GEN_OK : GEN_CORRUPT;
	}
	if (type == ETH_P_IPV6) {
		if (len < 40 || f[0] >> 4 != 6)
			return GEN_CORRUPT;
		tot = get16(f + 4);
		if (tot > len - 40)
			return GEN_CORRUPT;
		/* Extension headers are not followed: their checksums pass. */
		return l4_ok(AF_INET6, f + 8, f + 24, f[6], f + 40, tot) ?
		       GEN_OK : GEN_CORRUPT;
	}
	return GEN_NOT_IP;
}

int gen_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char end;
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &end) != 6)
		return -1;
	for (i = 0; i < 6; i++) {
		if (b[i] > 0xff)
			return -1;
		mac[i] = (uint8_t)b[i];
	}
	return 0;
}

/* Letters as tcpdump prints them: S A P R F U E W (or "none"). */
int gen_parse_tcp_flags(const char *s, uint8_t *flags)
{
	static const char letters[] = "FSRPAUEW";
	const char *p;

	*flags = 0;
	if (!strcmp(s, "none"))
		return 0;
	for (; *s; s++) {
		p = strchr(letters, *s == '.' ? 'A' : *s);
		if (!p)
			return -1;
		*flags |= (uint8_t)(1u << (p - letters));
	}
	return 0;
}
