// SPDX-License-Identifier: GPL-2.0
/*
 * kcapgen's frames: every protocol over both families carries the
 * checksums that an independent computation (Python's, when these values
 * were taken) gives, gen_check() accepts them, and --bad-checksum spoils
 * exactly what it says.
 */
#include <arpa/inet.h>
#include <string.h>

#include "craft.h"
#include "unit.h"

static size_t frame(int family, enum gen_proto proto, bool bad, uint8_t *buf)
{
	struct gen_stream s;

	memset(&s, 0, sizeof(s));
	s.proto = proto;
	s.family = family;
	inet_pton(family, family == AF_INET ? "10.0.0.1" : "fd00::1", &s.src);
	inet_pton(family, family == AF_INET ? "10.0.0.2" : "fd00::2", &s.dst);
	s.ttl = 64;
	s.sport = 8000;
	s.dport = 80;
	s.tcp_flags = 0x02;
	s.window = 65535;
	s.echo_id = 7;
	s.ip_id = 1;
	s.size = 33;
	s.bad_checksum = bad;
	return gen_build(&s, 3, buf);
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void test_craft_checksums(void)
{
	static const struct {
		int family;
		enum gen_proto proto;
		unsigned int off;	/* of the L4 checksum */
		uint16_t l4sum, ipsum;
	} want[] = {
		{ AF_INET, GEN_ICMP, 14 + 20 + 2, 0xbf30, 0x66ba },
		{ AF_INET, GEN_UDP, 14 + 20 + 6, 0x9344, 0x66aa },
		{ AF_INET, GEN_TCP, 14 + 20 + 16, 0x4307, 0x66a9 },
		{ AF_INET6, GEN_ICMP, 14 + 40 + 2, 0x4cc8, 0 },
		{ AF_INET6, GEN_UDP, 14 + 40 + 6, 0xad42, 0 },
		{ AF_INET6, GEN_TCP, 14 + 40 + 16, 0x5d05, 0 },
	};
	uint8_t buf[GEN_MAX_FRAME];

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		size_t n = frame(want[i].family, want[i].proto, false, buf);

		CHECK(n > want[i].off);
		CHECK_EQ(be16(buf + want[i].off), want[i].l4sum);
		if (want[i].family == AF_INET)
			CHECK_EQ(be16(buf + 24), want[i].ipsum);
		CHECK_EQ(gen_check(buf, n), GEN_OK);
		n = frame(want[i].family, want[i].proto, true, buf);
		CHECK_EQ(gen_check(buf, n), GEN_CORRUPT);
		if (want[i].family == AF_INET)
			CHECK_EQ(be16(buf + 24), want[i].ipsum);
	}
}

void craft_tests(void)
{
	RUN(test_craft_checksums);
}
