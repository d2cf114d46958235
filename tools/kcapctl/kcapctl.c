// SPDX-License-Identifier: GPL-2.0
/*
 * kcapctl: configure kcap sessions, show them and their statistics.
 *
 * Errors in what the user typed print one line naming the culprit and
 * exit 2 before anything is changed; failures of the kernel exit 1.
 */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "cli.h"
#include "kcap_args.h"
#include "rates.h"


static void usage(FILE *fp)
{
	fprintf(fp,
"Usage: kcapctl set [SESSION] KEY=VALUE...   change a session's configuration\n"
"       kcapctl reset [SESSION]               back to defaults: capture off\n"
"       kcapctl show [SESSION]                print the configuration\n"
"       kcapctl add NAME | del NAME           create or delete a session\n"
"       kcapctl list                          sessions, their state and reader\n"
"       kcapctl stats [SESSION] [-i SECONDS] [-c COUNT]\n"
"                                             counters per device and direction\n"
"       kcapctl devices                       interfaces kcap can capture on\n"
"       kcapctl version | help\n"
"\n"
"KEY=VALUE (keys not given keep their values):\n"
"  dev=NAME[,NAME...]|any          devices, at most %d, or every one\n"
"  capture=ingress|egress|bidirectional|off\n"
"  src=PREFIX|any  dst=PREFIX|any  IPv4 or IPv6 ADDRESS[/LEN], host bits zero\n"
"  sport=PORT|any  dport=PORT|any  0-65535\n"
"  l4proto=PROTO|any               tcp, udp, icmp, icmpv6, sctp or 0-255\n"
"  snaplen=BYTES                   0 (whole frames) to %d\n"
"  filter=EXPRESSION               pcap-filter(7); filter= removes it\n"
"  ring=SIZE|default               power of two, 256K to 1G (K, M, G)\n"
"  stats-only=on|off               count matches, copy no packets\n"
"SESSION is \"" KCAP_DEFAULT_SESSION "\" when not given.\n",
		KCAP_MAX_DEVS, KCAP_SNAPLEN_MAX);
}

static void check_session_name(const char *cmd, const char *name)
{
	if (!*name || strlen(name) >= KCAP_NAME_LEN || name[0] == '-' ||
	    strchr(name, '='))
		cli_die_usage("%s: bad session name '%s' (1-%d characters, no '=' or leading '-')",
			  cmd, name, KCAP_NAME_LEN - 1);
}

/* [SESSION] as the first argument: anything that is not key=value. */
static const char *take_session(const char *cmd, int *argc, char ***argv)
{
	const char *name = KCAP_DEFAULT_SESSION;

	if (*argc > 0 && !kcap_arg_is_keyval((*argv)[0]) && (*argv)[0][0] != '-') {
		name = (*argv)[0];
		check_session_name(cmd, name);
		(*argc)--;
		(*argv)++;
	}
	return name;
}

static void no_more_args(const char *cmd, int argc, char **argv)
{
	if (argc > 0)
		cli_die_usage("%s: unexpected argument '%s'", cmd, argv[0]);
}

static int cmd_set(int argc, char **argv)
{
	const char *name = take_session("set", &argc, &argv);
	struct kcap_args a;
	struct kcap_cfg cfg;
	struct kcap *k;
	char err[KCAP_ERRBUF_SIZE];

	if (kcap_args_parse(&a, argc, argv, err, sizeof(err)))
		cli_die_usage("set: %s", err);
	if (!a.given)
		cli_die_usage("set: nothing to set (see %s --help)", cli_prog);

	k = cli_open_kcap();
	kcap_cfg_init(&cfg, name);
	if (kcap_config_get(k, name, &cfg))
		cli_die_kcap(k);
	if (kcap_args_apply(&a, &cfg, err, sizeof(err)))
		cli_die_usage("set: %s", err);
	if (kcap_config_set(k, &cfg))
		cli_die_kcap(k);
	kcap_cfg_free(&cfg);
	kcap_close(k);
	return 0;
}

static int cmd_reset(int argc, char **argv)
{
	const char *name = take_session("reset", &argc, &argv);
	struct kcap_cfg cfg;
	struct kcap *k;

	no_more_args("reset", argc, argv);
	k = cli_open_kcap();
	kcap_cfg_init(&cfg, name);
	if (kcap_config_set(k, &cfg))
		cli_die_kcap(k);
	kcap_close(k);
	return 0;
}

static void print_match(const char *key, bool set, const char *val)
{
	printf("  %-11s %s\n", key, set ? val : "any");
}

/*
 * Where the session's packets go, as its reader said: "file x.pcapng
 * (pcapng, 100M x 5)", "listen 127.0.0.1:5555 (2 clients)", "-" for none.
 */
static void describe_dump(struct kcap *k, const char *name, char *buf, size_t len)
{
	static const char *const fmt[] = { "", "pcap", "pcapng", "text" };
	struct kcap_dump d;
	char size[16];
	int n;

	if (kcap_dump_get(k, name, &d) || d.kind == KCAP_DUMP_NONE) {
		snprintf(buf, len, "-");
		return;
	}
	n = snprintf(buf, len, "%s", kcap_dump_kind_name(d.kind));
	if (d.where[0] && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " %.256s", (const char *)d.where);
	if (n < 0 || (size_t)n >= len)
		return;
	if (d.kind == KCAP_DUMP_LISTEN) {
		snprintf(buf + n, len - n, " (%u client%s)", d.clients,
			 d.clients == 1 ? "" : "s");
		return;
	}
	if (d.format <= KCAP_DUMP_FMT_MAX && d.format != KCAP_DUMP_FMT_NONE)
		n += snprintf(buf + n, len - n, " (%s", fmt[d.format]);
	else
		n += snprintf(buf + n, len - n, " (");
	if (n < 0 || (size_t)n >= len)
		return;
	if (d.file_size) {
		kcap_format_size(d.file_size, size, sizeof(size));
		n += snprintf(buf + n, len - n, ", new file past %s", size);
	}
	if (d.rotate_secs && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, ", new file every %u s", d.rotate_secs);
	if (d.file_count && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, ", %u files", d.file_count);
	if (n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - n, ")");
}

static int cmd_show(int argc, char **argv)
{
	const char *name = take_session("show", &argc, &argv);
	struct kcap_session_req info;
	struct kcap_config *c;
	struct kcap_cfg cfg;
	struct kcap *k;
	char buf[128], dump[384];

	no_more_args("show", argc, argv);
	k = cli_open_kcap();
	kcap_cfg_init(&cfg, name);
	if (kcap_config_get(k, name, &cfg) || kcap_session_info(k, name, &info))
		cli_die_kcap(k);
	c = &cfg.c;

	printf("session %s", name);
	if (info.state & KCAP_SESSION_PRIVATE)
		printf(" (private)");
	if (info.state & KCAP_SESSION_ENDED)
		printf(" (ended: its devices went away)");
	else if (info.state & KCAP_SESSION_CAPTURING)
		printf(" (capturing)");
	printf("\n  %-11s %s\n", "capture:", kcap_capture_name(c->capture));
	printf("  %-11s ", "dev:");
	if (c->flags & KCAP_CFG_ANY_DEV) {
		printf("any");
	} else if (!c->ndevs) {
		printf("none");
	} else {
		for (unsigned int i = 0; i < c->ndevs && i < KCAP_MAX_DEVS; i++) {
			char ifname[IF_NAMESIZE];

			if (if_indextoname(c->ifindex[i], ifname))
				printf("%s%s", i ? ", " : "", ifname);
			else
				printf("%sifindex %d (gone)", i ? ", " : "", c->ifindex[i]);
		}
	}
	printf("\n");
	kcap_format_prefix(&c->src, buf, sizeof(buf));
	print_match("src:", c->match & KCAP_MATCH_SRC, buf);
	kcap_format_prefix(&c->dst, buf, sizeof(buf));
	print_match("dst:", c->match & KCAP_MATCH_DST, buf);
	snprintf(buf, sizeof(buf), "%u", c->sport);
	print_match("sport:", c->match & KCAP_MATCH_SPORT, buf);
	snprintf(buf, sizeof(buf), "%u", c->dport);
	print_match("dport:", c->match & KCAP_MATCH_DPORT, buf);
	if (kcap_l4proto_name(c->l4proto))
		snprintf(buf, sizeof(buf), "%s", kcap_l4proto_name(c->l4proto));
	else
		snprintf(buf, sizeof(buf), "%u", c->l4proto);
	print_match("l4proto:", c->match & KCAP_MATCH_L4PROTO, buf);
	if (c->snaplen)
		printf("  %-11s %u\n", "snaplen:", c->snaplen);
	else
		printf("  %-11s 0 (whole frames)\n", "snaplen:");
	/* The kernel keeps only the program, not the expression. */
	if (cfg.prog_len)
		printf("  %-11s %u BPF instructions\n", "filter:", cfg.prog_len);
	else
		printf("  %-11s none\n", "filter:");
	kcap_format_size(c->ring_size ? c->ring_size : KCAP_RING_DEFAULT, buf, sizeof(buf));
	printf("  %-11s %s%s", "ring:", buf, c->ring_size ? "" : " (default)");
	if (info.ring_size && info.ring_size != c->ring_size) {
		kcap_format_size(info.ring_size, buf, sizeof(buf));
		printf(", %s allocated", buf);
	}
	printf("\n  %-11s %s\n", "stats-only:", c->flags & KCAP_CFG_STATS_ONLY ? "on" : "off");
	if (info.reader_pid)
		printf("  %-11s pid %d (%.16s)\n", "reader:", info.reader_pid,
		       (const char *)info.reader_comm);
	describe_dump(k, name, dump, sizeof(dump));
	printf("  %-11s %s\n", "dump:", dump);
	kcap_cfg_free(&cfg);
	kcap_close(k);
	return 0;
}

static int cmd_add_del(bool add, int argc, char **argv)
{
	const char *cmd = add ? "add" : "del";
	struct kcap *k;
	int err;

	if (argc < 1)
		cli_die_usage("%s: missing session NAME", cmd);
	check_session_name(cmd, argv[0]);
	no_more_args(cmd, argc - 1, argv + 1);
	if (!add && !strcmp(argv[0], KCAP_DEFAULT_SESSION))
		cli_die_usage("del: session '%s' cannot be deleted (try kcapctl reset)",
			  KCAP_DEFAULT_SESSION);
	k = cli_open_kcap();
	err = add ? kcap_session_add(k, argv[0]) : kcap_session_del(k, argv[0]);
	if (err)
		cli_die_kcap(k);
	kcap_close(k);
	return 0;
}

static const char *state_name(uint32_t state)
{
	if (state & KCAP_SESSION_ENDED)
		return "ended";
	return state & KCAP_SESSION_CAPTURING ? "capturing" : "idle";
}

static int cmd_list(int argc, char **argv)
{
	char (*names)[KCAP_NAME_LEN];
	struct kcap_session_req info;
	unsigned int n;
	struct kcap *k;
	char reader[64], ring[16], dump[384];

	no_more_args("list", argc, argv);
	k = cli_open_kcap();
	if (kcap_session_list(k, &names, &n))
		cli_die_kcap(k);
	printf("%-20s %-10s %-26s %-6s %s\n", "SESSION", "STATE", "READER", "RING",
	       "DUMP");
	for (unsigned int i = 0; i < n; i++) {
		int err = kcap_session_info(k, names[i], &info);

		if (err) {
			if (err == -ENOENT)
				continue;	/* deleted meanwhile */
			printf("%-20s %s\n", names[i], kcap_geterr(k));
			continue;
		}
		if (info.reader_pid)
			snprintf(reader, sizeof(reader), "%d (%.16s)", info.reader_pid,
				 (const char *)info.reader_comm);
		else
			snprintf(reader, sizeof(reader), "-");
		if (info.ring_size)
			kcap_format_size(info.ring_size, ring, sizeof(ring));
		else
			snprintf(ring, sizeof(ring), "-");
		describe_dump(k, names[i], dump, sizeof(dump));
		printf("%-20s %-10s %-26s %-6s %s\n", names[i], state_name(info.state),
		       reader, ring, dump);
	}
	free(names);
	kcap_close(k);
	return 0;
}

static const char *const dir_name[2] = { "in", "out" };

static void print_counters_row(const char *dev, int dir, const struct kcap_counters *c)
{
	printf("%-16s %-4s %12llu %12llu %12llu %12llu %12llu\n", dev, dir_name[dir],
	       (unsigned long long)c->seen, (unsigned long long)c->matched,
	       (unsigned long long)c->captured, (unsigned long long)c->dropped,
	       (unsigned long long)c->truncated);
}

static void print_stats_table(const char *name, const struct kcap_stat_snap *s)
{
	printf("session %s\n", name);
	printf("%-16s %-4s %12s %12s %12s %12s %12s\n", "DEVICE", "DIR", "SEEN",
	       "MATCHED", "CAPTURED", "DROPPED", "TRUNCATED");
	for (unsigned int i = 0; i < s->ndevs; i++)
		for (int d = 0; d < 2; d++)
			print_counters_row((const char *)s->devs[i].ifname, d,
					   &s->devs[i].dir[d]);
	for (int d = 0; d < 2; d++)
		print_counters_row("total", d, &s->s.total[d]);
}

static int cmd_stats(int argc, char **argv)
{
	const char *name = take_session("stats", &argc, &argv);
	struct kcap_stat_snap snap;
	uint64_t interval = 0, count = 0;
	struct kcap *k;
	int i;

	for (i = 0; i < argc; i++) {
		uint64_t *dst;

		if (!strcmp(argv[i], "-i"))
			dst = &interval;
		else if (!strcmp(argv[i], "-c"))
			dst = &count;
		else
			cli_die_usage("stats: unexpected argument '%s'", argv[i]);
		if (i + 1 >= argc)
			cli_die_usage("stats: %s needs a number", argv[i]);
		*dst = cli_uint(argv[i], argv[i + 1], 1, 86400);
		i++;
	}
	if (count && !interval)
		cli_die_usage("stats: -c needs -i");

	k = cli_open_kcap();
	if (!interval) {
		if (kcap_stats_get(k, name, &snap))
			cli_die_kcap(k);
		print_stats_table(name, &snap);
		kcap_stats_free(&snap);
		kcap_close(k);
		return 0;
	}
	cli_catch_signals(NULL);
	printf("session %s: matched packets per %llu s\n", name,
	       (unsigned long long)interval);
	if (rates_watch(stdout, k, name, (unsigned int)interval, count))
		cli_die_kcap(k);
	kcap_close(k);
	return 0;
}

static const char *arphrd_name(unsigned int type)
{
	switch (type) {
	case 1: return "ether";
	case 772: return "loopback";
	case 65534: return "none";
	case 768: return "ipip";
	case 769: return "ip6tnl";
	case 776: return "sit";
	case 778: return "gre";
	case 823: return "ip6gre";
	case 801: return "ieee80211";
	case 803: return "ieee80211-radiotap";
	case 280: return "can";
	default: return NULL;
	}
}

static bool read_sysfs(const char *dev, const char *attr, char *buf, size_t len)
{
	char path[128];
	FILE *fp;
	bool ok;

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", dev, attr);
	fp = fopen(path, "r");
	if (!fp)
		return false;
	ok = fgets(buf, len, fp) != NULL;
	fclose(fp);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

static int mask_len(const struct sockaddr *mask)
{
	const uint8_t *p;
	int n = 0, len;

	if (!mask)
		return -1;
	if (mask->sa_family == AF_INET) {
		p = (const uint8_t *)&((const struct sockaddr_in *)mask)->sin_addr;
		len = 4;
	} else if (mask->sa_family == AF_INET6) {
		p = ((const struct sockaddr_in6 *)mask)->sin6_addr.s6_addr;
		len = 16;
	} else {
		return -1;
	}
	for (int i = 0; i < len; i++)
		n += __builtin_popcount(p[i]);
	return n;
}

static int cmd_devices(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE], type[16], mac[32], link[48];
	pcap_if_t *all, *d;

	no_more_args("devices", argc, argv);
	if (pcap_findalldevs(&all, errbuf)) {
		cli_warn("%s", errbuf);
		return EXIT_FAILURE;
	}
	printf("%-5s %-16s %-5s %-28s %s\n", "INDEX", "NAME", "STATE", "LINK",
	       "ADDRESSES");
	for (d = all; d; d = d->next) {
		unsigned int idx = if_nametoindex(d->name);
		unsigned long t;
		const char *tn;

		if (!idx)
			continue;	/* not a network device: nflog, dbus... */
		link[0] = '\0';
		if (read_sysfs(d->name, "type", type, sizeof(type))) {
			t = strtoul(type, NULL, 10);
			tn = arphrd_name(t);
			if (tn)
				snprintf(link, sizeof(link), "%s", tn);
			else
				snprintf(link, sizeof(link), "arphrd %lu", t);
			if (t == 1 && read_sysfs(d->name, "address", mac, sizeof(mac))) {
				size_t l = strlen(link);

				snprintf(link + l, sizeof(link) - l, " %s", mac);
			}
		}
		printf("%-5u %-16s %-5s %-28s", idx, d->name,
		       d->flags & PCAP_IF_UP ? "up" : "down", link[0] ? link : "?");
		for (pcap_addr_t *a = d->addresses; a; a = a->next) {
			char abuf[INET6_ADDRSTRLEN];
			const void *src;
			int af;

			if (!a->addr)
				continue;
			af = a->addr->sa_family;
			if (af == AF_INET)
				src = &((struct sockaddr_in *)a->addr)->sin_addr;
			else if (af == AF_INET6)
				src = &((struct sockaddr_in6 *)a->addr)->sin6_addr;
			else
				continue;
			if (!inet_ntop(af, src, abuf, sizeof(abuf)))
				continue;
			if (mask_len(a->netmask) >= 0)
				printf(" %s/%d", abuf, mask_len(a->netmask));
			else
				printf(" %s", abuf);
		}
		printf("\n");
	}
	pcap_freealldevs(all);
	return 0;
}

static int cmd_version(int argc, char **argv)
{
	static const char *const feats[] = {
		"sessions", "ring", "filter", "bpf", "stats-only",
	};
	const struct kcap_version *v;
	struct kcap *k;

	no_more_args("version", argc, argv);
	printf("kcapctl %s (kcap ABI %d), %s\n", KCAP_TOOLS_VERSION,
	       KCAP_ABI_VERSION, pcap_lib_version());
	if (kcap_open(&k, NULL)) {
		printf("kernel: %s\n", k ? kcap_geterr(k) : "out of memory");
		kcap_close(k);
		return EXIT_FAILURE;
	}
	v = kcap_version_info(k);
	printf("kernel: kcap ABI %u, up to %u sessions and %u devices per session\n",
	       v->abi_version, v->max_sessions, v->max_devs);
	printf("features:");
	for (unsigned int i = 0; i < sizeof(feats) / sizeof(feats[0]); i++)
		if (v->features & (1ULL << i))
			printf(" %s", feats[i]);
	printf("\n");
	kcap_close(k);
	return 0;
}

static int cmd_add(int argc, char **argv)
{
	return cmd_add_del(true, argc, argv);
}

static int cmd_del(int argc, char **argv)
{
	return cmd_add_del(false, argc, argv);
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "set", cmd_set }, { "reset", cmd_reset }, { "show", cmd_show },
	{ "add", cmd_add }, { "del", cmd_del }, { "list", cmd_list },
	{ "stats", cmd_stats }, { "devices", cmd_devices },
	{ "version", cmd_version }, { "--version", cmd_version },
};

int main(int argc, char **argv)
{
	const char *cmd;

	cli_prog = "kcapctl";
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(cmd, commands[i].name))
			return commands[i].run(argc - 2, argv + 2);
	cli_die_usage("unknown command '%s' (try %s --help)", cmd, cli_prog);
}
