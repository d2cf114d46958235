// SPDX-License-Identifier: GPL-2.0
/*
 * kcap-extcap: kcap as Wireshark's extcap interfaces (extcap(4)), as
 * sshdump and udpdump are. Wireshark runs it to list interfaces, their
 * link types and options, to check a capture filter, and to capture into
 * a fifo; the capture itself is kcapdump's, which this program becomes
 * (exec), so that Wireshark's stop signal reaches kcapdump and its
 * closing counts go to Wireshark's log.
 *
 * Interfaces: kcap-DEV for every network device, kcap-any, and
 * kcap-session-NAME for every shared session kcapctl made. A device
 * interface captures through a private session of kcapdump's own, so
 * tshark -i kcap-lo needs no other option, as tshark -i lo does.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "libkcap.h"

#define EXTCAP_VERSION	"1.0"
#define IF_PREFIX	"kcap-"
#define SESSION_PREFIX	"kcap-session-"

#ifndef KCAP_SBINDIR
#define KCAP_SBINDIR	"/usr/local/sbin"
#endif

enum {
	OPT_INTERFACES = 256,
	OPT_VERSION,
	OPT_INTERFACE,
	OPT_DLTS,
	OPT_CONFIG,
	OPT_CAPTURE,
	OPT_FILTER,
	OPT_FIFO,
	OPT_DIRECTION,
	OPT_SNAPLEN,
	OPT_BUFFER,
	OPT_HELP,
};

struct xopts {
	int action;		/* OPT_INTERFACES, _DLTS, _CONFIG, _CAPTURE */
	const char *iface;	/* --extcap-interface */
	const char *filter;	/* --extcap-capture-filter */
	const char *fifo;
	const char *direction;
	unsigned long snaplen;
	unsigned long buffer_kib;
};

static const struct option longopts[] = {
	{ "extcap-interfaces", no_argument, NULL, OPT_INTERFACES },
	{ "extcap-version", optional_argument, NULL, OPT_VERSION },
	{ "extcap-interface", required_argument, NULL, OPT_INTERFACE },
	{ "extcap-dlts", no_argument, NULL, OPT_DLTS },
	{ "extcap-config", no_argument, NULL, OPT_CONFIG },
	{ "capture", no_argument, NULL, OPT_CAPTURE },
	{ "extcap-capture-filter", required_argument, NULL, OPT_FILTER },
	{ "fifo", required_argument, NULL, OPT_FIFO },
	{ "direction", required_argument, NULL, OPT_DIRECTION },
	{ "snaplen", required_argument, NULL, OPT_SNAPLEN },
	{ "buffer", required_argument, NULL, OPT_BUFFER },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static void usage(void)
{
	printf("Usage: kcap-extcap --extcap-interfaces\n"
	       "       kcap-extcap --extcap-interface IF --extcap-dlts | --extcap-config\n"
	       "       kcap-extcap --extcap-interface IF --extcap-capture-filter EXPR\n"
	       "       kcap-extcap --capture --extcap-interface IF --fifo PATH\n"
	       "                   [--direction inout|in|out] [--snaplen N] [--buffer KiB]\n"
	       "                   [--extcap-capture-filter EXPR]\n"
	       "Wireshark's extcap interface to kcap; see kcap-extcap(8).\n");
}

static void list_interfaces(void)
{
	char (*names)[KCAP_NAME_LEN] = NULL;
	struct if_nameindex *ifs, *i;
	struct kcap *k = NULL;
	unsigned int n = 0;

	printf("extcap {version=%s}\n",
	       EXTCAP_VERSION);
	ifs = if_nameindex();
	for (i = ifs; i && i->if_index; i++)
		printf("interface {value=%s%s}{display=kcap: %s}\n",
		       IF_PREFIX, i->if_name, i->if_name);
	if (ifs)
		if_freenameindex(ifs);
	printf("interface {value=%sany}{display=kcap: every device}\n", IF_PREFIX);

	/* Without the module, the devices are still worth listing. */
	if (kcap_open(&k, NULL) || kcap_session_list(k, &names, &n)) {
		kcap_close(k);
		return;
	}
	for (unsigned int j = 0; j < n; j++) {
		struct kcap_session_req info;

		if (kcap_session_info(k, names[j], &info) ||
		    (info.state & KCAP_SESSION_PRIVATE))
			continue;
		printf("interface {value=%s%s}{display=kcap: session %s}\n",
		       SESSION_PREFIX, names[j], names[j]);
	}
	free(names);
	kcap_close(k);
}

static void list_config(void)
{
	printf("arg {number=0}{call=--direction}{display=Direction}{type=selector}"
	       "{tooltip=Which packets of the device: received, sent or both}\n"
	       "value {arg=0}{value=inout}{display=Both}{default=true}\n"
	       "value {arg=0}{value=in}{display=Received}{default=false}\n"
	       "value {arg=0}{value=out}{display=Sent}{default=false}\n"
	       "arg {number=1}{call=--snaplen}{display=Snapshot length}{type=unsigned}"
	       "{range=1,%u}{default=%u}{tooltip=Bytes kept of each packet}\n"
	       "arg {number=2}{call=--buffer}{display=Ring size (KiB)}{type=unsigned}"
	       "{range=%u,%u}{default=%u}"
	       "{tooltip=Kernel ring of the capture, as tcpdump -B}\n",
	       KCAP_SNAPLEN_MAX, KCAP_SNAPLEN_MAX,
	       KCAP_RING_MIN >> 10, KCAP_RING_MAX >> 10, KCAP_RING_DEFAULT >> 10);
}

/*
 * Wireshark's check of the capture filter: nothing on stdout if libpcap
 * compiles it for Ethernet (what kcap captures), else the error on one
 * line. Exit 0 either way: the output is the answer.
 */
static void check_filter(const char *expr)
{
	struct bpf_program prog;
	pcap_t *p = pcap_open_dead(DLT_EN10MB, KCAP_SNAPLEN_MAX);

	if (!p) {
		printf("libpcap could not check the filter\n");
		return;
	}
	if (pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN))
		printf("%s\n", pcap_geterr(p));
	else
		pcap_freecode(&prog);
	pcap_close(p);
}

/* kcapdump beside this program (in the tree), else the installed one. */
static const char *kcapdump_path(char *buf, size_t len)
{
	const char *env = getenv("KCAPDUMP");
	ssize_t n;
	char *slash;

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", buf, len - 1);
	if (n > 0) {
		buf[n] = 0;
		slash = strrchr(buf, '/');
		if (slash && (size_t)(slash - buf) + sizeof("/kcapdump") <= len) {
			strcpy(slash, "/kcapdump");
			if (access(buf, X_OK) == 0)
				return buf;
		}
	}
	return KCAP_SBINDIR "/kcapdump";
}

/* Becomes kcapdump writing pcapng, packet by packet, into the fifo. */
static void capture(const struct xopts *o)
{
	char path[PATH_MAX], snap[24], kib[24];
	const char *argv[24];
	const char *dev, *prog;
	int n = 0;

	if (!o->fifo)
		cli_die_usage("--capture needs --fifo");
	argv[n++] = "kcapdump";
	if (!strncmp(o->iface, SESSION_PREFIX, strlen(SESSION_PREFIX))) {
		argv[n++] = "--session";
		argv[n++] = o->iface + strlen(SESSION_PREFIX);
	} else {
		dev = o->iface + strlen(IF_PREFIX);
		argv[n++] = "-i";
		argv[n++] = dev;
		argv[n++] = "-Q";
		argv[n++] = o->direction;
		snprintf(snap, sizeof(snap), "%lu", o->snaplen);
		argv[n++] = "-s";
		argv[n++] = snap;
		if (o->buffer_kib) {
			snprintf(kib, sizeof(kib), "%lu", o->buffer_kib);
			argv[n++] = "-B";
			argv[n++] = kib;
		}
	}
	argv[n++] = "--pcapng";
	argv[n++] = "-U";
	argv[n++] = "-w";
	argv[n++] = o->fifo;
	if (o->filter && *o->filter) {
		argv[n++] = "--";
		argv[n++] = o->filter;
	}
	argv[n] = NULL;
	prog = kcapdump_path(path, sizeof(path));
	execv(prog, (char **)argv);
	cli_die("cannot run %s: %s", prog, strerror(errno));
}

static void parse(int argc, char **argv, struct xopts *o)
{
	int c;

	o->direction = "inout";
	o->snaplen = KCAP_SNAPLEN_MAX;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_INTERFACES:
		case OPT_DLTS:
		case OPT_CONFIG:
		case OPT_CAPTURE:
			o->action = c;
			break;
		case OPT_VERSION:
			/* Wireshark says its version; ours is in the listing. */
			break;
		case OPT_INTERFACE:
			o->iface = optarg;
			break;
		case OPT_FILTER:
			o->filter = optarg;
			break;
		case OPT_FIFO:
			o->fifo = optarg;
			break;
		case OPT_DIRECTION:
			if (strcmp(optarg, "inout") && strcmp(optarg, "in") &&
			    strcmp(optarg, "out"))
				cli_die_usage("--direction: '%s' is not inout, in or out",
					      optarg);
			o->direction = optarg;
			break;
		case OPT_SNAPLEN:
			o->snaplen = cli_uint("--snaplen", optarg, 1, KCAP_SNAPLEN_MAX);
			break;
		case OPT_BUFFER:
			o->buffer_kib = cli_uint("--buffer", optarg, KCAP_RING_MIN >> 10,
						 KCAP_RING_MAX >> 10);
			break;
		case OPT_HELP:
			usage();
			exit(0);
		default:
			cli_die_option(c, argv);
		}
	}
	if (optind < argc)
		cli_die_usage("unexpected argument '%s'", argv[optind]);
	if (o->action != OPT_INTERFACES && o->iface &&
	    strncmp(o->iface, IF_PREFIX, strlen(IF_PREFIX)))
		cli_die_usage("--extcap-interface: '%s' is not one of kcap's", o->iface);
}

int main(int argc, char **argv)
{
	struct xopts o = { 0 };

	cli_prog = "kcap-extcap";
	parse(argc, argv, &o);
	if (o.action == OPT_INTERFACES) {
		list_interfaces();
		return 0;
	}
	if (!o.iface) {
		if (o.action)
			cli_die_usage("this needs --extcap-interface");
		usage();
		return EXIT_USAGE;
	}
	switch (o.action) {
	case OPT_DLTS:
		/* As kcapdump writes them: "any" in Linux cooked v2, as tcpdump. */
		if (!strcmp(o.iface, IF_PREFIX "any"))
			printf("dlt {number=%d}{name=LINUX_SLL2}{display=Linux cooked v2}\n",
			       DLT_LINUX_SLL2);
		else
			printf("dlt {number=%d}{name=EN10MB}{display=Ethernet}\n", DLT_EN10MB);
		return 0;
	case OPT_CONFIG:
		list_config();
		return 0;
	case OPT_CAPTURE:
		capture(&o);
		break;
	}
	if (o.filter) {
		check_filter(o.filter);
		return 0;
	}
	cli_die_usage("--extcap-interface %s: nothing to do (try --help)", o.iface);
}
