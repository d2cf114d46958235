// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The key=value grammar of kcapctl and kcapdump, parsed the iproute2 way:
 * one loop consumes the arguments, rejects unknown and duplicate keys and
 * range-checks every number through kcap_parse_u64(); nothing is applied
 * until everything parsed. Errors are one line naming the culprit.
 */
#include <errno.h>
#include <net/if.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "args_int.h"

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

/* The keys that set one of the optional matches: their KCAP_MATCH_* bits. */
static const uint32_t match_bit[KCAP_KEY_NR] = {
	[KCAP_KEY_SRC]		= KCAP_MATCH_SRC,
	[KCAP_KEY_DST]		= KCAP_MATCH_DST,
	[KCAP_KEY_SPORT]	= KCAP_MATCH_SPORT,
	[KCAP_KEY_DPORT]	= KCAP_MATCH_DPORT,
	[KCAP_KEY_L4PROTO]	= KCAP_MATCH_L4PROTO,
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
			return kcap_args_fail(err, errlen, "dev: empty device name in '%s'", val);
		if (n >= sizeof(name))
			return kcap_args_fail(err, errlen, "dev: no such device '%.*s'", (int)n, p);
		memcpy(name, p, n);
		name[n] = '\0';
		if (!strcmp(name, "any"))
			return kcap_args_fail(err, errlen, "dev: 'any' cannot be combined with devices");
		idx = if_nametoindex(name);
		if (!idx)
			return kcap_args_fail(err, errlen, "dev: no such device '%s'", name);
		for (i = 0; i < a->ndevs; i++)
			if (a->ifindex[i] == (int)idx)
				return kcap_args_fail(err, errlen, "dev: '%s' named twice", name);
		if (a->ndevs == KCAP_MAX_DEVS)
			return kcap_args_fail(err, errlen, "dev: more than %d devices", KCAP_MAX_DEVS);
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
		return kcap_args_fail(err, errlen, "%s: '%s' is not a port (0-65535)", key, val);
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
		return kcap_args_fail(err, errlen, "%s: '%s' is not on or off", key, val);
	return 0;
}

static int parse_l4proto(struct kcap_args *a, const char *val, char *err,
			 size_t errlen)
{
	uint64_t v;

	for (size_t i = 0; i < sizeof(l4protos) / sizeof(l4protos[0]); i++) {
		if (!strcmp(val, l4protos[i].name)) {
			a->l4proto = l4protos[i].proto;
			return 0;
		}
	}
	if (kcap_parse_u64(val, 255, &v))
		return kcap_args_fail(err, errlen,
				      "l4proto: '%s' is not tcp, udp, icmp, icmpv6, sctp or 0-255",
				      val);
	a->l4proto = v;
	return 0;
}

static int parse_one(struct kcap_args *a, enum kcap_key key, const char *val,
		     char *err, size_t errlen)
{
	const char *kn = key_names[key];
	char perr[128];
	uint64_t v;
	size_t i;

	if (!*val && key != KCAP_KEY_FILTER)
		return kcap_args_fail(err, errlen, "%s: missing value", kn);
	/* A match's "any" unsets it: the bit stays clear, the field zero. */
	if (match_bit[key]) {
		if (!strcmp(val, "any"))
			return 0;
		a->match |= match_bit[key];
	}

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
		return kcap_args_fail(err, errlen,
				      "capture: '%s' is not ingress, egress, bidirectional or off",
				      val);
	case KCAP_KEY_SRC:
	case KCAP_KEY_DST:
		if (kcap_parse_prefix(val, key == KCAP_KEY_SRC ? &a->src : &a->dst,
				      perr, sizeof(perr)))
			return kcap_args_fail(err, errlen, "%s: %s", kn, perr);
		return 0;
	case KCAP_KEY_SPORT:
		return parse_port(kn, val, &a->sport, err, errlen);
	case KCAP_KEY_DPORT:
		return parse_port(kn, val, &a->dport, err, errlen);
	case KCAP_KEY_L4PROTO:
		return parse_l4proto(a, val, err, errlen);
	case KCAP_KEY_SNAPLEN:
		if (kcap_parse_u64(val, KCAP_SNAPLEN_MAX, &v))
			return kcap_args_fail(err, errlen, "snaplen: '%s' is not 0-%d", val,
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
			return kcap_args_fail(err, errlen,
					      "ring: '%s' is not a power of two from 256K to 1G",
					      val);
		a->ring_size = v;
		return 0;
	case KCAP_KEY_STATS_ONLY:
		return parse_onoff(kn, val, &a->stats_only, err, errlen);
	default:
		return kcap_args_fail(err, errlen, "internal error: key %d", key);
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
			return kcap_args_fail(err, errlen, "'%s' is not key=value", arg);
		for (key = 0; key < KCAP_KEY_NR; key++)
			if (strlen(key_names[key]) == (size_t)(eq - arg) &&
			    !strncmp(arg, key_names[key], eq - arg))
				break;
		if (key == KCAP_KEY_NR)
			return kcap_args_fail(err, errlen, "unknown key '%.*s'", (int)(eq - arg), arg);
		if (a->given & (1U << key))
			return kcap_args_fail(err, errlen, "duplicate key '%s'", key_names[key]);
		a->given |= 1U << key;
		ret = parse_one(a, key, eq + 1, err, errlen);
		if (ret)
			return ret;
	}
	/* Checks that span arguments come after the loop. */
	if (a->filter && *a->filter) {
		ret = kcap_filter_compile(a->filter, a->snaplen, NULL, NULL, err, errlen);
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

static void set_flag(__u32 *flags, __u32 flag, bool on)
{
	*flags = on ? *flags | flag : *flags & ~flag;
}

/* 0; a compile error if a and b differ in size. */
#define SAME_SIZE(a, b)	(sizeof(char[sizeof(a) == sizeof(b) ? 1 : -1]) - 1)
#define CFG_FIELD(f)	(((struct kcap_config *)0)->f)
#define ARGS_FIELD(f)	(((struct kcap_args *)0)->f)

/* The keys whose value is copied as it is, from kcap_args to the same field of kcap_config. */
#define COPIED(k, f) { KCAP_KEY_##k, offsetof(struct kcap_config, f),			\
		       offsetof(struct kcap_args, f),					\
		       sizeof(CFG_FIELD(f)) + SAME_SIZE(CFG_FIELD(f), ARGS_FIELD(f)) }
static const struct {
	enum kcap_key key;
	size_t cfg_off, args_off, size;
} copied[] = {
	COPIED(CAPTURE, capture), COPIED(SRC, src), COPIED(DST, dst), COPIED(SPORT, sport),
	COPIED(DPORT, dport), COPIED(L4PROTO, l4proto), COPIED(RING, ring_size),
};

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
		ret = kcap_filter_compile(a->filter, c->snaplen, &prog, &prog_len, err, errlen);
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
		memset(c->ifindex, 0, sizeof(c->ifindex));
		c->ndevs = a->ndevs;
		memcpy(c->ifindex, a->ifindex, a->ndevs * sizeof(a->ifindex[0]));
		set_flag(&c->flags, KCAP_CFG_ANY_DEV, a->any_dev);
	}
	for (unsigned int key = 0; key < KCAP_KEY_NR; key++) {
		uint32_t bit = match_bit[key];

		if (bit && (g & (1U << key)))
			c->match = (c->match & ~bit) | (a->match & bit);
	}
	for (size_t i = 0; i < sizeof(copied) / sizeof(copied[0]); i++)
		if (g & (1U << copied[i].key))
			memcpy((char *)c + copied[i].cfg_off,
			       (const char *)a + copied[i].args_off, copied[i].size);
	if (GIVEN(STATS_ONLY))
		set_flag(&c->flags, KCAP_CFG_STATS_ONLY, a->stats_only);
#undef GIVEN
	return 0;
}
