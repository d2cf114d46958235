// SPDX-License-Identifier: BSD-2-Clause
/*
 * Lesson 8: send one packet, built by hand: a 100-byte frame carrying a
 * UDP datagram from 127.0.0.1 to 127.0.0.1:PORT (default 7777), with the
 * tutorial's MAC addresses 1:1:1:1:1:1 and 2:2:2:2:2:2 and its byte
 * pattern as the payload. Sent as it is: the program makes every header.
 *
 *   sendpacket DEV [PORT]
 */
#include <stdint.h>

#include "common.h"

static uint16_t ip_csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

int main(int argc, char **argv)
{
	char err[KCAP_ERRBUF_SIZE];
	uint8_t packet[100];
	struct kcap *k;
	int port = 7777;
	uint16_t c;

	if (argc < 2 || argc > 3)
		usage_error("sendpacket: usage: sendpacket DEV [PORT]");
	if (argc == 3) {
		port = parse_count("sendpacket", "PORT", argv[2]);
		if (port < 1 || port > 65535)
			usage_error("sendpacket: PORT '%s': not a port from 1 to 65535", argv[2]);
	}
	k = kcap_open_live(argv[1], 100, 1, 1000, err);
	if (!k) {
		fprintf(stderr, "sendpacket: %s\n", err);
		return 1;
	}

	/* Destination MAC 1:1:1:1:1:1, source 2:2:2:2:2:2, then IPv4. */
	memset(packet, 1, 6);
	memset(packet + 6, 2, 6);
	packet[12] = 0x08;
	packet[13] = 0x00;
	/* The rest of the packet, as the tutorial fills it... */
	for (int i = 14; i < 100; i++)
		packet[i] = (uint8_t)(i % 256);
	/* ...under an IPv4 and a UDP header, so that it is a real datagram. */
	uint8_t *ip = packet + 14, *udp = ip + 20;

	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[2] = 0;
	ip[3] = 86;			/* 100 - 14 */
	ip[8] = 64;			/* TTL */
	ip[9] = 17;			/* UDP */
	ip[12] = 127; ip[15] = 1;
	ip[16] = 127; ip[19] = 1;
	c = ip_csum(ip, 20);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	udp[0] = 0x9c; udp[1] = 0x40;	/* 40000 */
	udp[2] = (uint8_t)(port >> 8);
	udp[3] = (uint8_t)port;
	udp[4] = 0;
	udp[5] = 66;			/* 86 - 20 */
	udp[6] = udp[7] = 0;		/* no checksum */

	if (kcap_inject(k, packet, sizeof(packet))) {
		fprintf(stderr, "sendpacket: error sending the packet: %s\n", kcap_geterr(k));
		kcap_close(k);
		return 1;
	}
	printf("sent %zu bytes on %s\n", sizeof(packet), argv[1]);
	kcap_close(k);
	return 0;
}
