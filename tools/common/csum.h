/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Internet checksum (RFC 1071), written once for the decoders (which
 * check it) and kcapgen (which fills it in and checks what arrives).
 * Header-only, so that libkcapdecode needs no object of tools/common.
 */
#ifndef KCAP_CSUM_H
#define KCAP_CSUM_H

#include <stddef.h>
#include <stdint.h>

/* Adds len bytes at p, as big-endian 16-bit words, to a running sum. */
static inline uint32_t kcap_csum_add(uint32_t sum, const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	/* Fold now and then so 64 KiB of 0xffff cannot overflow. */
	return (sum & 0xffff) + (sum >> 16);
}

/* The checksum of a sum: 0 when the data summed held a right one. */
static inline uint16_t kcap_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * The pseudo-header of TCP, UDP and ICMPv6 over IPv4 (alen 4) or IPv6
 * (alen 16). IPv6's form (a 32-bit length, then the protocol) sums the
 * same as IPv4's (zero, protocol, 16-bit length) for any IPv4 length.
 */
static inline uint32_t kcap_csum_pseudo(const uint8_t *src, const uint8_t *dst,
					size_t alen, uint8_t proto, uint32_t len)
{
	uint8_t tail[8] = {
		(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
		(uint8_t)len, 0, 0, 0, proto,
	};
	uint32_t sum = kcap_csum_add(0, src, alen);

	sum = kcap_csum_add(sum, dst, alen);
	return kcap_csum_add(sum, tail, sizeof(tail));
}

#endif /* KCAP_CSUM_H */
