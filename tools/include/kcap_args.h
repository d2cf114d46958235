/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * libkcapargs: the command-line grammar of kcapctl, kcapdump and kcapgen,
 * turned into a libkcap configuration, and the number, size and prefix
 * parsers the programs share. It links libpcap (for filter=); libkcap
 * does not.
 *
 * Functions that can fail return 0 or a negative errno and leave a one-line
 * message naming the culprit in err.
 */
#ifndef KCAP_ARGS_H
#define KCAP_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libkcap.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The key=value grammar kcapctl and kcapdump share:
 *   dev=NAME[,NAME...]|any  capture=ingress|egress|bidirectional|off
 *   src=PREFIX|any  dst=PREFIX|any  sport=PORT|any  dport=PORT|any
 *   l4proto=tcp|udp|icmp|icmpv6|sctp|0-255|any  snaplen=0-262144
 *   filter=EXPRESSION (empty: none)  ring=SIZE[K|M|G]|default
 *   stats-only=on|off
 */
enum kcap_key {
	KCAP_KEY_DEV,
	KCAP_KEY_CAPTURE,
	KCAP_KEY_SRC,
	KCAP_KEY_DST,
	KCAP_KEY_SPORT,
	KCAP_KEY_DPORT,
	KCAP_KEY_L4PROTO,
	KCAP_KEY_SNAPLEN,
	KCAP_KEY_FILTER,
	KCAP_KEY_RING,
	KCAP_KEY_STATS_ONLY,
	KCAP_KEY_NR,
};

struct kcap_args {
	unsigned int given;		/* 1U << KCAP_KEY_*: keys present */
	unsigned int match;		/* KCAP_MATCH_*: set to a value, not any */
	bool any_dev;
	unsigned int ndevs;
	int ifindex[KCAP_MAX_DEVS];
	uint32_t capture;
	struct kcap_prefix src;
	struct kcap_prefix dst;
	uint16_t sport;
	uint16_t dport;
	uint8_t l4proto;
	bool stats_only;
	uint32_t snaplen;
	uint32_t ring_size;
	const char *filter;		/* points into argv; "" removes */
};

bool kcap_arg_is_keyval(const char *arg);
int kcap_args_parse(struct kcap_args *a, int argc, char *const argv[],
		    char *err, size_t errlen);
/* Merges the keys given into cfg; compiles the filter. */
int kcap_args_apply(const struct kcap_args *a, struct kcap_cfg *cfg,
		    char *err, size_t errlen);
const char *kcap_key_name(enum kcap_key key);

/* The one number parser: decimal, no sign, checked against max. */
int kcap_parse_u64(const char *s, uint64_t max, uint64_t *out);
/* A size with an optional K, M or G suffix (powers of 1024). */
int kcap_parse_size(const char *s, uint64_t max, uint64_t *out);
int kcap_parse_prefix(const char *s, struct kcap_prefix *p,
		      char *err, size_t errlen);
void kcap_format_prefix(const struct kcap_prefix *p, char *buf, size_t len);
void kcap_format_size(uint64_t bytes, char *buf, size_t len);
const char *kcap_capture_name(uint32_t capture);
const char *kcap_l4proto_name(unsigned int proto);

/*
 * Compiles a pcap-filter(7) expression as libpcap would for an Ethernet
 * capture of snaplen (0: KCAP_SNAPLEN_MAX); with prog NULL it only checks
 * it. *prog is malloc'ed, *len instructions.
 */
int kcap_filter_compile(const char *expr, uint32_t snaplen,
			struct sock_filter **prog, unsigned int *len,
			char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif /* KCAP_ARGS_H */
