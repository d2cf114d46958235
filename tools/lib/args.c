// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The key=value grammar of kcapctl and kcapdump, parsed the iproute2 way:
 * one loop consumes the arguments, rejects unknown and duplicate keys and
 * range-checks every number through kcap_parse_u64(); nothing is applied
 * until everything parsed. Errors are one line naming the culprit.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libkcap.h"

_Static_assert(sizeof(struct sock_filter) == sizeof(struct bpf_insn),
	       "pcap's and the kernel's BPF instructions differ");

static const char *const key_names[KCAP_KEY_NR] = {
	[KCAP_KEY_DEV]		= "dev",
	[KCAP_KEY_CAPTURE]	= "capture",
	[KCAP_KEY_SRC]		= "src",
	[KCAP_KEY_DST]		= "dst",
	[KCAP_KEY_SPORT]	= "sport",
	[KCAP_KEY_DPORT]	= "dport",
	[KCAP_KEY_L4PROTO]	= "l4proto",
	[KCAP_KEY_SNAPLEN]	= "snaplen",
	[KCAP_KEY_FILTER]	= "filter",
	[KCAP_KEY_RING]		= "ring",
	[KCAP_KEY_STATS_ONLY]	= "stats-only",
};

static const char *const capture_names[] = {
	[KCAP_CAPTURE_OFF]		= "off",
	[KCAP_CAPTURE_INGRESS]		= "ingress",
	[KCAP_CAPTURE_EGRESS]		= "egress",
	[KCAP_CAPTURE_BIDIRECTIONAL]	= "bidirectional",
};

static const struct {
	const char *name;
	unsigned int proto;
} l4protos[] = {
	{ "icmp", 1 }, { "tcp", 6 }, { "udp", 17 }, { "icmpv6", 58 },
	{ "sctp", 132 },
};

const char *kcap_key_name(enum kcap_key key)
{
	return key < KCAP_KEY_NR ? key_names[key] : "?";
}

const char *kcap_capture_name(uint32_t capture)
{
	return capture < 4 ? capture_names[capture] : "?";
}

const char *kcap_l4proto_name(unsigned int proto)
{
	for (size_t i = 0; i < sizeof(l4protos) / sizeof(l4protos[0]); i++)
		if (l4protos[i].proto == proto)
			return l4protos[i].name;
	return NULL;
}

__attribute__((format(printf, 3, 4)))
static int args_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int kcap_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	/* strtoull() would take leading blanks and a minus sign. */
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int kcap_parse_size(const char *s, uint64_t max, uint64_t *out)
{
	char num[32];
	size_t n = strlen(s);
	unsigned int shift = 0;
	uint64_t v;
	int err;

	if (n && strchr("kKmMgG", s[n - 1])) {
		switch (s[n - 1]) {
		case 'k': case 'K': shift = 10; break;
		case 'm': case 'M': shift = 20; break;
		default: shift = 30; break;
		}
		n--;
	}
	if (!n || n >= sizeof(num))
		return n ? -ERANGE : -EINVAL;
	memcpy(num, s, n);
	num[n] = '\0';
	err = kcap_parse_u64(num, max >> shift, &v);
	if (err)
		return err;
	*out = v << shift;
	return 0;
}

int kcap_parse_prefix(const char *s, struct kcap_prefix *p, char *err,
		      size_t errlen)
{
	char addr[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned int bits, i;
	uint64_t len;

	memset(p, 0, sizeof(*p));
	if (!alen || alen >= sizeof(addr))
		return args_fail(err, errlen, "'%s' is not an address prefix", s);
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET, addr, p->addr) == 1) {
		p->family = KCAP_FAMILY_INET;
		bits = 32;
	} else if (inet_pton(AF_INET6, addr, p->addr) == 1) {
		p->family = KCAP_FAMILY_INET6;
		bits = 128;
	} else {
		return args_fail(err, errlen, "'%s' is not an IPv4 or IPv6 address", addr);
	}
	len = bits;
	if (slash && kcap_parse_u64(slash + 1, bits, &len))
		return args_fail(err, errlen, "bad prefix length in '%s' (0-%u)", s, bits);
	p->len = len;
	/* As tcpdump's "net": an address with host bits is a mistake. */
	for (i = len; i < bits; i++)
		if (p->addr[i / 8] & (0x80 >> (i % 8)))
			return args_fail(err, errlen, "non-network bits set in '%s'", s);
	return 0;
}

void kcap_format_prefix(const struct kcap_prefix *p, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	int af = p->family == KCAP_FAMILY_INET6 ? AF_INET6 : AF_INET;

	if (!inet_ntop(af, p->addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	snprintf(buf, len, "%s/%u", a, p->len);
}

void kcap_format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char suffix[] = "KMG";
	int i;

	for (i = 2; i >= 0; i--) {
		uint64_t unit = 1ULL << (10 * (i + 1));

		if (bytes >= unit && !(bytes % unit)) {
			snprintf(buf, len, "%llu%c",
				 (unsigned long long)(bytes / unit), suffix[i]);
			return;
		}
	}
	snprintf(buf, len, "%llu", (unsigned long long)bytes);
}

bool kcap_arg_is_keyval(const char *arg)
{
	const char *eq = strchr(arg, '=');

	return eq && eq != arg && arg[0] != '-';
}

static int parse_devs(struct kcap_args *a, const char *val, char *err,
		      size_t errlen)
{
	char name[KCAP_IFNAME_LEN];
	const char *p = val, *comma;
	size_t n;
	unsigned int idx, i;

	if (!strcmp(val, "any")) {
		a->any_dev = true;
		return 0;
	}
	for (;;) {
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		if (!n)
			return args_fail(err, errlen, "dev: empty device name in '%s'", val);
		if (n >= sizeof(name))
			return args_fail(err, errlen, "dev: no such device '%.*s'", (int)n, p);
		memcpy(name, p, n);
		name[n] = '\0';
		if (!strcmp(name, "any"))
			return args_fail(err, errlen, "dev: 'any' cannot be combined with devices");
		idx = if_nametoindex(name);
		if (!idx)
			return args_fail(err, errlen, "dev: no such device '%s'", name);
		for (i = 0; i < a->ndevs; i++)
			if (a->ifindex[i] == (int)idx)
				return args_fail(err, errlen, "dev: '%s' named twice", name);
		if (a->ndevs == KCAP_MAX_DEVS)
			return args_fail(err, errlen, "dev: more than %d devices", KCAP_MAX_DEVS);
		a->ifindex[a->ndevs++] = idx;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

static int parse_port(const char *key, const char *val, uint16_t *port,
		      char *err, size_t errlen)
{
	uint64_t v;

	if (kcap_parse_u64(val, 65535, &v))
		return args_fail(err, errlen, "%s: '%s' is not a port (0-65535)", key, val);
	*port = v;
	return 0;
}

static int parse_onoff(const char *key, const char *val, bool *on, char *err,
		       size_t errlen)
{
	if (!strcmp(val, "on"))
		*on = true;
	else if (!strcmp(val, "off"))
		*on = false;
	else
		return args_fail(err, errlen, "%s: '%s' is not on or off", key, val);
	return 0;
}

/* Compile expr as libpcap would for an Ethernet capture of snaplen. */
static int compile_filter(const char *expr, uint32_t snaplen,
			  struct sock_filter **prog, unsigned int *len,
			  char *err, size_t errlen)
{
	struct bpf_program bp;
	pcap_t *dead;
	int ret = 0;

	dead = pcap_open_dead(DLT_EN10MB, snaplen ? snaplen : KCAP_SNAPLEN_MAX);
	if (!dead)
		return args_fail(err, errlen, "filter: out of memory");
	if (pcap_compile(dead, &bp, expr, 1, PCAP_NETMASK_UNKNOWN)) {
		ret = args_fail(err, errlen, "filter '%s': %s", expr, pcap_geterr(dead));
		goto out_close;
	}
	if (bp.bf_len > KCAP_MAX_BPF_INSNS) {
		ret = args_fail(err, errlen, "filter '%s': %u BPF instructions, at most %d",
				expr, bp.bf_len, KCAP_MAX_BPF_INSNS);
		goto out_free;
	}
	if (prog) {
		*prog = calloc(bp.bf_len, sizeof(**prog));
		if (!*prog) {
			ret = args_fail(err, errlen, "filter: out of memory");
			goto out_free;
		}
		memcpy(*prog, bp.bf_insns, bp.bf_len * sizeof(**prog));
		*len = bp.bf_len;
	}
out_free:
	pcap_freecode(&bp);
out_close:
	pcap_close(dead);
	return ret;
}

static int parse_one(struct kcap_args *a, enum kcap_key key, const char *val,
		     char *err, size_t errlen)
{
	const char *kn = key_names[key];
	uint64_t v;
	size_t i;

	if (!*val && key != KCAP_KEY_FILTER)
		return args_fail(err, errlen, "%s: missing value", kn);

	switch (key) {
	case KCAP_KEY_DEV:
		return parse_devs(a, val, err, errlen);
	case KCAP_KEY_CAPTURE:
		for (i = 0; i < 4; i++) {
			if (!strcmp(val, capture_names[i])) {
				a->capture = i;
				return 0;
			}
		}
		return args_fail(err, errlen,
				 "capture: '%s' is not ingress, egress, bidirectional or off", val);
	case KCAP_KEY_SRC:
	case KCAP_KEY_DST: {
		struct kcap_prefix *p = key == KCAP_KEY_SRC ? &a->src : &a->dst;
		char perr[128];

		if (!strcmp(val, "any"))
			return 0;
		if (kcap_parse_prefix(val, p, perr, sizeof(perr)))
			return args_fail(err, errlen, "%s: %s", kn, perr);
		a->match |= key == KCAP_KEY_SRC ? KCAP_MATCH_SRC : KCAP_MATCH_DST;
		return 0;
	}
	case KCAP_KEY_SPORT:
		if (!strcmp(val, "any"))
			return 0;
		a->match |= KCAP_MATCH_SPORT;
		return parse_port(kn, val, &a->sport, err, errlen);
	case KCAP_KEY_DPORT:
		if (!strcmp(val, "any"))
			return 0;
		a->match |= KCAP_MATCH_DPORT;
		return parse_port(kn, val, &a->dport, err, errlen);
	case KCAP_KEY_L4PROTO:
		if (!strcmp(val, "any"))
			return 0;
		a->match |= KCAP_MATCH_L4PROTO;
		for (i = 0; i < sizeof(l4protos) / sizeof(l4protos[0]); i++) {
			if (!strcmp(val, l4protos[i].name)) {
				a->l4proto = l4protos[i].proto;
				return 0;
			}
		}
		if (kcap_parse_u64(val, 255, &v))
			return args_fail(err, errlen,
					 "l4proto: '%s' is not tcp, udp, icmp, icmpv6, sctp or 0-255", val);
		a->l4proto = v;
		return 0;
	case KCAP_KEY_SNAPLEN:
		if (kcap_parse_u64(val, KCAP_SNAPLEN_MAX, &v))
			return args_fail(err, errlen, "snaplen: '%s' is not 0-%d", val,
					 KCAP_SNAPLEN_MAX);
		a->snaplen = v;
		return 0;
	case KCAP_KEY_FILTER:
		a->filter = val;
		return 0;
	case KCAP_KEY_RING:
		if (!strcmp(val, "default")) {
			a->ring_size = 0;
			return 0;
		}
		if (kcap_parse_size(val, KCAP_RING_MAX, &v) || v < KCAP_RING_MIN ||
		    (v & (v - 1)))
			return args_fail(err, errlen,
					 "ring: '%s' is not a power of two from 256K to 1G", val);
		a->ring_size = v;
		return 0;
	case KCAP_KEY_STATS_ONLY:
		return parse_onoff(kn, val, &a->stats_only, err, errlen);
	default:
		return args_fail(err, errlen, "internal error: key %d", key);
	}
}

int kcap_args_parse(struct kcap_args *a, int argc, char *const argv[],
		    char *err, size_t errlen)
{
	unsigned int key;
	int i, ret;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < argc; i++) {
		const char *arg = argv[i], *eq = strchr(arg, '=');

		if (!kcap_arg_is_keyval(arg))
			return args_fail(err, errlen, "'%s' is not key=value", arg);
		for (key = 0; key < KCAP_KEY_NR; key++)
			if (strlen(key_names[key]) == (size_t)(eq - arg) &&
			    !strncmp(arg, key_names[key], eq - arg))
				break;
		if (key == KCAP_KEY_NR)
			return args_fail(err, errlen, "unknown key '%.*s'", (int)(eq - arg), arg);
		if (a->given & (1U << key))
			return args_fail(err, errlen, "duplicate key '%s'", key_names[key]);
		a->given |= 1U << key;
		ret = parse_one(a, key, eq + 1, err, errlen);
		if (ret)
			return ret;
	}
	/* Checks that span arguments come after the loop. */
	if (a->filter && *a->filter) {
		ret = compile_filter(a->filter, a->snaplen, NULL, NULL, err, errlen);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * pcap's programs return 0 to drop and the snaplen to accept. Keep an
 * existing program's accept value in step with a new snaplen, as if it
 * had been compiled for it.
 */
static void retarget_snaplen(struct kcap_cfg *cfg, uint32_t snaplen)
{
	for (unsigned int i = 0; i < cfg->prog_len; i++)
		if (cfg->prog[i].code == (BPF_RET | BPF_K) && cfg->prog[i].k)
			cfg->prog[i].k = snaplen ? snaplen : KCAP_SNAPLEN_MAX;
}

int kcap_args_apply(const struct kcap_args *a, struct kcap_cfg *cfg,
		    char *err, size_t errlen)
{
	struct kcap_config *c = &cfg->c;
	struct sock_filter *prog = NULL;
	unsigned int prog_len = 0;
	unsigned int g = a->given;
	int ret;

#define GIVEN(k) (g & (1U << KCAP_KEY_##k))
	if (GIVEN(SNAPLEN))
		c->snaplen = a->snaplen;
	/* Compile first: the only step that can fail. */
	if (GIVEN(FILTER) && *a->filter) {
		ret = compile_filter(a->filter, c->snaplen, &prog, &prog_len, err, errlen);
		if (ret)
			return ret;
	}
	if (GIVEN(FILTER)) {
		kcap_cfg_free(cfg);
		cfg->prog = prog;
		cfg->prog_len = prog_len;
	} else if (GIVEN(SNAPLEN)) {
		retarget_snaplen(cfg, c->snaplen);
	}
	if (GIVEN(DEV)) {
		c->flags &= ~KCAP_CFG_ANY_DEV;
		memset(c->ifindex, 0, sizeof(c->ifindex));
		c->ndevs = a->ndevs;
		memcpy(c->ifindex, a->ifindex, a->ndevs * sizeof(a->ifindex[0]));
		if (a->any_dev)
			c->flags |= KCAP_CFG_ANY_DEV;
	}
	if (GIVEN(CAPTURE))
		c->capture = a->capture;
	if (GIVEN(SRC)) {
		c->match = (c->match & ~KCAP_MATCH_SRC) | (a->match & KCAP_MATCH_SRC);
		c->src = a->src;
	}
	if (GIVEN(DST)) {
		c->match = (c->match & ~KCAP_MATCH_DST) | (a->match & KCAP_MATCH_DST);
		c->dst = a->dst;
	}
	if (GIVEN(SPORT)) {
		c->match = (c->match & ~KCAP_MATCH_SPORT) | (a->match & KCAP_MATCH_SPORT);
		c->sport = a->sport;
	}
	if (GIVEN(DPORT)) {
		c->match = (c->match & ~KCAP_MATCH_DPORT) | (a->match & KCAP_MATCH_DPORT);
		c->dport = a->dport;
	}
	if (GIVEN(L4PROTO)) {
		c->match = (c->match & ~KCAP_MATCH_L4PROTO) | (a->match & KCAP_MATCH_L4PROTO);
		c->l4proto = a->l4proto;
	}
	if (GIVEN(RING))
		c->ring_size = a->ring_size;
	if (GIVEN(STATS_ONLY)) {
		c->flags &= ~KCAP_CFG_STATS_ONLY;
		if (a->stats_only)
			c->flags |= KCAP_CFG_STATS_ONLY;
	}
#undef GIVEN
	return 0;
}
