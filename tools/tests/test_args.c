// SPDX-License-Identifier: GPL-2.0
/* The key=value grammar and the number parsers. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdint.h>
#include <stdlib.h>

#include "kcap_args.h"
#include "unit.h"

static char err[256];

/* Parses one space-separated argument string (no quoting needed here). */
static int parse(struct kcap_args *a, const char *line)
{
	static char buf[512];	/* a.filter points into it */
	char *argv[16], *tok, *save;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (tok = strtok_r(buf, " ", &save); tok && argc < 16;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	err[0] = '\0';
	return kcap_args_parse(a, argc, argv, err, sizeof(err));
}

/* An argument that fails, and a word its one-line error must name. */
static void expect_error(const char *line, const char *culprit)
{
	struct kcap_args a;

	if (parse(&a, line) != -EINVAL)
		unit_fail(__FILE__, __LINE__, "'%s' parsed", line);
	else if (!strstr(err, culprit) || strchr(err, '\n'))
		unit_fail(__FILE__, __LINE__, "'%s': error '%s' lacks '%s'",
			  line, err, culprit);
}

static void test_parse_errors(void)
{
	expect_error("foo=1", "unknown key 'foo'");
	expect_error("dport=1 dport=2", "duplicate key 'dport'");
	expect_error("capture=ingress capture=ingress", "duplicate key 'capture'");
	expect_error("dport", "'dport' is not key=value");
	expect_error("=5", "'=5' is not key=value");
	expect_error("-c", "'-c' is not key=value");
	expect_error("dport=", "dport: missing value");
	expect_error("dport=65536", "dport: '65536'");
	expect_error("dport=-1", "dport: '-1'");
	expect_error("sport=99999999999999999999999", "sport:");
	expect_error("sport= 80", "sport:");
	expect_error("sport=80x", "sport: '80x'");
	expect_error("sport=0x50", "sport: '0x50'");
	expect_error("src=10.0.0.1/8", "non-network bits set in '10.0.0.1/8'");
	expect_error("dst=2001:db8::1/32", "non-network bits set in '2001:db8::1/32'");
	expect_error("src=10.0.0.0/33", "src: bad prefix length in '10.0.0.0/33'");
	expect_error("src=::/129", "src: bad prefix length");
	expect_error("src=10.0.0.0/", "src: bad prefix length");
	expect_error("src=10.0.0.0/-1", "src: bad prefix length");
	expect_error("src=10.0.0/8", "src: '10.0.0' is not an IPv4 or IPv6");
	expect_error("dst=example.com", "dst: 'example.com'");
	expect_error("dst=/8", "dst: '/8' is not an address prefix");
	expect_error("capture=both", "capture: 'both'");
	expect_error("l4proto=gre", "l4proto: 'gre'");
	expect_error("l4proto=256", "l4proto: '256'");
	expect_error("snaplen=262145", "snaplen: '262145'");
	expect_error("ring=3M", "ring: '3M'");
	expect_error("ring=128K", "ring: '128K'");
	expect_error("ring=2G", "ring: '2G'");
	expect_error("ring=1T", "ring: '1T'");
	expect_error("ring=M", "ring: 'M'");
	expect_error("stats-only=yes", "stats-only: 'yes'");
	expect_error("dev=kcap-nosuch0", "dev: no such device 'kcap-nosuch0'");
	expect_error("dev=lo,,lo", "dev: empty device name");
	expect_error("dev=lo,lo", "dev: 'lo' named twice");
	expect_error("dev=lo,any", "'any' cannot be combined");
	expect_error("dev=aaaaaaaaaaaaaaaaaaaaaaaaa", "dev: no such device");
	expect_error("dev=,", "dev: empty device name");
	expect_error("filter=tcp&&&", "filter 'tcp&&&'");
}

static void test_parse_filter_spaces(void)
{
	struct kcap_args a;
	char *argv[] = { "filter=tcp port 80 and host 127.0.0.1", "snaplen=96" };
	char *bad[] = { "filter=tcp prot 80" };
	char *range[] = { "filter=port 99999" };

	CHECK_EQ(kcap_args_parse(&a, 2, argv, err, sizeof(err)), 0);
	CHECK_STR(a.filter, "tcp port 80");
	CHECK_EQ(kcap_args_parse(&a, 1, bad, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "filter 'tcp prot 80'");
	CHECK_EQ(kcap_args_parse(&a, 1, range, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "filter 'port 99999'");
}

static void test_parse_good(void)
{
	struct kcap_args a;
	uint8_t v6[16];

	CHECK_EQ(parse(&a, "dev=lo capture=ingress dport=80"), 0);
	CHECK_EQ(a.ndevs, 1);
	CHECK_EQ(a.ifindex[0], if_nametoindex("lo"));
	CHECK_EQ(a.capture, KCAP_CAPTURE_INGRESS);
	CHECK_EQ(a.dport, 80);
	CHECK_EQ(a.match, KCAP_MATCH_DPORT);
	CHECK_EQ(a.given, (1U << KCAP_KEY_DEV) | (1U << KCAP_KEY_CAPTURE) |
		 (1U << KCAP_KEY_DPORT));

	CHECK_EQ(parse(&a, "src=10.0.0.0/8 dst=192.168.1.7"), 0);
	CHECK_EQ(a.src.family, KCAP_FAMILY_INET);
	CHECK_EQ(a.src.len, 8);
	CHECK_EQ(a.src.addr[0], 10);
	CHECK_EQ(a.dst.len, 32);
	CHECK_EQ(a.dst.addr[3], 7);
	CHECK_EQ(a.match, KCAP_MATCH_SRC | KCAP_MATCH_DST);

	CHECK_EQ(parse(&a, "src=2001:db8::/32 dst=fe80::1"), 0);
	CHECK_EQ(a.src.family, KCAP_FAMILY_INET6);
	CHECK_EQ(a.src.len, 32);
	inet_pton(AF_INET6, "2001:db8::", v6);
	CHECK(!memcmp(a.src.addr, v6, 16));
	CHECK_EQ(a.dst.len, 128);
	CHECK_EQ(parse(&a, "src=0.0.0.0/0 dst=::/0"), 0);
	CHECK_EQ(a.src.len, 0);

	CHECK_EQ(parse(&a, "sport=0 dport=65535 l4proto=sctp"), 0);
	CHECK_EQ(a.sport, 0);
	CHECK_EQ(a.dport, 65535);
	CHECK_EQ(a.l4proto, 132);
	CHECK_EQ(parse(&a, "l4proto=icmpv6"), 0);
	CHECK_EQ(a.l4proto, 58);
	CHECK_EQ(parse(&a, "l4proto=0"), 0);
	CHECK_EQ(a.l4proto, 0);
	CHECK_EQ(a.match, KCAP_MATCH_L4PROTO);
	CHECK_EQ(parse(&a, "l4proto=255"), 0);
	CHECK_EQ(a.l4proto, 255);

	CHECK_EQ(parse(&a, "ring=1M snaplen=262144 stats-only=on"), 0);
	CHECK_EQ(a.ring_size, 1U << 20);
	CHECK_EQ(a.snaplen, 262144);
	CHECK(a.stats_only);
	CHECK_EQ(parse(&a, "ring=256k"), 0);
	CHECK_EQ(a.ring_size, 256U << 10);
	CHECK_EQ(parse(&a, "ring=1G"), 0);
	CHECK_EQ(a.ring_size, 1U << 30);
	CHECK_EQ(parse(&a, "ring=1048576"), 0);
	CHECK_EQ(a.ring_size, 1U << 20);
	CHECK_EQ(parse(&a, "ring=default"), 0);
	CHECK_EQ(a.ring_size, 0);

	CHECK_EQ(parse(&a, "dev=any"), 0);
	CHECK(a.any_dev);
	CHECK_EQ(a.ndevs, 0);

	CHECK_EQ(parse(&a, "src=any dst=any sport=any dport=any l4proto=any"), 0);
	CHECK_EQ(a.match, 0);
	CHECK_EQ(__builtin_popcount(a.given), 5);

	CHECK_EQ(parse(&a, "capture=off"), 0);
	CHECK_EQ(parse(&a, "capture=egress"), 0);
	CHECK_EQ(a.capture, KCAP_CAPTURE_EGRESS);
	CHECK_EQ(parse(&a, "capture=bidirectional"), 0);
	CHECK_EQ(a.capture, KCAP_CAPTURE_BIDIRECTIONAL);

	CHECK_EQ(parse(&a, "filter="), 0);
	CHECK_EQ(a.given, 1U << KCAP_KEY_FILTER);
	CHECK_STR(a.filter, "");
	CHECK_EQ(parse(&a, ""), 0);
	CHECK_EQ(a.given, 0);
}

static void test_dev_list(void)
{
	struct kcap_args a;
	char list[KCAP_MAX_DEVS * 3 + 8] = "";
	char *argv[1];
	char arg[sizeof(list) + 8];

	/* lo is the only device every host has: a list of distinct devices
	 * needs more, so check the list limit with the error path. */
	for (int i = 0; i <= KCAP_MAX_DEVS; i++)
		strcat(list, i ? ",lo" : "lo");
	snprintf(arg, sizeof(arg), "dev=%s", list);
	argv[0] = arg;
	CHECK_EQ(kcap_args_parse(&a, 1, argv, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "named twice");
}

static void test_apply_merges(void)
{
	struct kcap_cfg cfg;
	struct kcap_args a;

	kcap_cfg_init(&cfg, "default");
	CHECK_EQ(parse(&a, "dev=lo capture=ingress dport=80 snaplen=128 filter=tcp"), 0);
	CHECK_EQ(kcap_args_apply(&a, &cfg, err, sizeof(err)), 0);
	CHECK_EQ(cfg.c.capture, KCAP_CAPTURE_INGRESS);
	CHECK_EQ(cfg.c.ndevs, 1);
	CHECK_EQ(cfg.c.match, KCAP_MATCH_DPORT);
	CHECK_EQ(cfg.c.dport, 80);
	CHECK(cfg.prog && cfg.prog_len > 1);
	/* The accept return is the snaplen, as for a live pcap capture. */
	CHECK_EQ(cfg.prog[cfg.prog_len - 2].k, 128);

	/* Keys not given keep their values. */
	CHECK_EQ(parse(&a, "sport=1234"), 0);
	CHECK_EQ(kcap_args_apply(&a, &cfg, err, sizeof(err)), 0);
	CHECK_EQ(cfg.c.match, KCAP_MATCH_DPORT | KCAP_MATCH_SPORT);
	CHECK_EQ(cfg.c.dport, 80);
	CHECK_EQ(cfg.c.sport, 1234);
	CHECK_EQ(cfg.c.capture, KCAP_CAPTURE_INGRESS);
	CHECK(cfg.prog != NULL);

	/* A new snaplen retargets the kept program's accept value. */
	CHECK_EQ(parse(&a, "snaplen=0"), 0);
	CHECK_EQ(kcap_args_apply(&a, &cfg, err, sizeof(err)), 0);
	CHECK_EQ(cfg.prog[cfg.prog_len - 2].k, KCAP_SNAPLEN_MAX);
	CHECK_EQ(cfg.prog[cfg.prog_len - 1].k, 0);

	CHECK_EQ(parse(&a, "dport=any filter= dev=any stats-only=on ring=1M"), 0);
	CHECK_EQ(kcap_args_apply(&a, &cfg, err, sizeof(err)), 0);
	CHECK_EQ(cfg.c.match, KCAP_MATCH_SPORT);
	CHECK(cfg.prog == NULL);
	CHECK_EQ(cfg.prog_len, 0);
	CHECK_EQ(cfg.c.flags, KCAP_CFG_ANY_DEV | KCAP_CFG_STATS_ONLY);
	CHECK_EQ(cfg.c.ndevs, 0);
	CHECK_EQ(cfg.c.ring_size, 1U << 20);

	CHECK_EQ(parse(&a, "dev=lo stats-only=off"), 0);
	CHECK_EQ(kcap_args_apply(&a, &cfg, err, sizeof(err)), 0);
	CHECK_EQ(cfg.c.flags, 0);
	CHECK_EQ(cfg.c.ndevs, 1);
	kcap_cfg_free(&cfg);
}

static void test_parse_u64(void)
{
	uint64_t v = 7;

	CHECK_EQ(kcap_parse_u64("0", 10, &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(kcap_parse_u64("10", 10, &v), 0);
	CHECK_EQ(kcap_parse_u64("11", 10, &v), -ERANGE);
	CHECK_EQ(kcap_parse_u64("18446744073709551615", UINT64_MAX, &v), 0);
	CHECK(v == UINT64_MAX);
	CHECK_EQ(kcap_parse_u64("18446744073709551616", UINT64_MAX, &v), -ERANGE);
	CHECK_EQ(kcap_parse_u64("", 10, &v), -EINVAL);
	CHECK_EQ(kcap_parse_u64("+1", 10, &v), -EINVAL);
	CHECK_EQ(kcap_parse_u64("-1", 10, &v), -EINVAL);
	CHECK_EQ(kcap_parse_u64(" 1", 10, &v), -EINVAL);
	CHECK_EQ(kcap_parse_u64("1 ", 10, &v), -EINVAL);
	CHECK_EQ(kcap_parse_u64("1.5", 10, &v), -EINVAL);
}

static void test_parse_size(void)
{
	uint64_t v;

	CHECK_EQ(kcap_parse_size("1K", UINT64_MAX, &v), 0);
	CHECK_EQ(v, 1024);
	CHECK_EQ(kcap_parse_size("3m", UINT64_MAX, &v), 0);
	CHECK_EQ(v, 3 << 20);
	CHECK_EQ(kcap_parse_size("2G", UINT64_MAX, &v), 0);
	CHECK_EQ(v, 2ULL << 30);
	CHECK_EQ(kcap_parse_size("17", UINT64_MAX, &v), 0);
	CHECK_EQ(v, 17);
	CHECK_EQ(kcap_parse_size("1G", (1ULL << 30) - 1, &v), -ERANGE);
	CHECK_EQ(kcap_parse_size("17179869184G", UINT64_MAX, &v), -ERANGE);
	CHECK_EQ(kcap_parse_size("K", UINT64_MAX, &v), -EINVAL);
	CHECK_EQ(kcap_parse_size("", UINT64_MAX, &v), -EINVAL);
	CHECK_EQ(kcap_parse_size("1KB", UINT64_MAX, &v), -EINVAL);
}

static void test_format(void)
{
	struct kcap_prefix p;
	char buf[64];

	CHECK_EQ(kcap_parse_prefix("10.1.0.0/16", &p, err, sizeof(err)), 0);
	kcap_format_prefix(&p, buf, sizeof(buf));
	CHECK_STR(buf, "10.1.0.0/16");
	CHECK_EQ(kcap_parse_prefix("2001:db8::/48", &p, err, sizeof(err)), 0);
	kcap_format_prefix(&p, buf, sizeof(buf));
	CHECK_STR(buf, "2001:db8::/48");
	kcap_format_size(128U << 20, buf, sizeof(buf));
	CHECK_STR(buf, "128M");
	kcap_format_size(1U << 30, buf, sizeof(buf));
	CHECK_STR(buf, "1G");
	kcap_format_size(1000, buf, sizeof(buf));
	CHECK_STR(buf, "1000");
	CHECK_STR(kcap_capture_name(KCAP_CAPTURE_BIDIRECTIONAL), "bidirectional");
	CHECK_STR(kcap_l4proto_name(17), "udp");
	CHECK(kcap_l4proto_name(200) == NULL);
	CHECK(kcap_arg_is_keyval("a=b"));
	CHECK(!kcap_arg_is_keyval("-w=x"));
	CHECK(!kcap_arg_is_keyval("out.pcap"));
}

void args_tests(void)
{
	RUN(test_parse_errors);
	RUN(test_parse_filter_spaces);
	RUN(test_parse_good);
	RUN(test_dev_list);
	RUN(test_apply_merges);
	RUN(test_parse_u64);
	RUN(test_parse_size);
	RUN(test_format);
}
