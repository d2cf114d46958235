// SPDX-License-Identifier: GPL-2.0
/*
 * kcapgen recv: counts the frames that arrive on a device and match a
 * filter, and those whose IPv4 header or TCP, UDP or ICMP checksum is
 * wrong, through a kcap session of its own capturing at ingress (on the
 * receiving side every checksum is on the wire, none left to offload).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "craft.h"
#include "kcap_args.h"
#include "kcapgen.h"

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct recv {
	const char *ifname;
	uint64_t count;		/* 0: until stopped */
	double limit;		/* seconds, 0: none */
	bool verbose;
	char dev[64], flt[1024];
	struct kcap_args a;	/* points into dev and flt */
};

/* -i DEV [-v] [-t SEC] [-c N] [FILTER], and the session's keys. */
static void parse_recv(struct recv *r, int argc, char **argv)
{
	const char *filter = NULL;
	char err[256];
	char *kv[4];
	int opt, n = 0;

	opterr = 0;
	while ((opt = getopt(argc, argv, ":i:c:t:vh")) != -1) {
		switch (opt) {
		case 'i': r->ifname = optarg; break;
		case 'c': r->count = cli_uint("-c", optarg, 0, UINT64_MAX); break;
		case 't': r->limit = cli_seconds("-t", optarg); break;
		case 'v': r->verbose = true; break;
		case 'h':
			printf("Usage: kcapgen recv -i DEV [-v] [-t SECONDS] [-c COUNT] [FILTER]\n");
			exit(0);
		default:
			cli_die_option(opt, argv);
		}
	}
	if (!r->ifname)
		cli_die_usage("recv: -i DEV is required");
	if (optind < argc)
		filter = argv[optind++];
	if (optind < argc)
		cli_die_usage("recv: one filter expression, quoted");

	snprintf(r->dev, sizeof(r->dev), "dev=%s", r->ifname);
	snprintf(r->flt, sizeof(r->flt), "filter=%s", filter ? filter : "");
	kv[n++] = r->dev;
	kv[n++] = "capture=ingress";
	kv[n++] = "ring=16M";
	if (filter)
		kv[n++] = r->flt;
	if (kcap_args_parse(&r->a, n, kv, err, sizeof(err)))
		cli_die_usage("%s", err);
}

/* The session of our own, configured and attached. */
static int setup(struct kcap *k, const char *session, const struct kcap_args *a)
{
	char err[256];
	struct kcap_cfg cfg;
	int ret;

	kcap_cfg_init(&cfg, session);
	if (kcap_args_apply(a, &cfg, err, sizeof(err))) {
		cli_warn("%s", err);
		kcap_cfg_free(&cfg);
		return -1;
	}
	ret = kcap_config_set(k, &cfg);
	kcap_cfg_free(&cfg);
	if (!ret)
		ret = kcap_attach(k, session, 0);
	if (ret) {
		cli_warn("%s", kcap_geterr(k));
		return -1;
	}
	return 0;
}

/* Counts until -c, -t or a signal; 0, or 1 if the ring failed. */
static int count_frames(const struct recv *r, struct kcap *k)
{
	unsigned long long received = 0, corrupted = 0;
	const struct kcap_packet *p;
	double t0, last;
	int ret, rc = 0;

	t0 = last = mono();
	for (;;) {
		ret = kcap_next(k, &p, 100);
		if (ret == 1) {
			received++;
			if (gen_check(p->data, p->caplen) == GEN_CORRUPT &&
			    !(p->flags & KCAP_PACKET_CSUM_NOT_READY))
				corrupted++;
			if (r->count && received >= r->count)
				break;
		} else if (ret < 0) {
			if (ret != -EINTR) {
				cli_warn("%s", kcap_geterr(k));
				rc = 1;
			}
			break;
		}
		if (r->limit && mono() - t0 >= r->limit)
			break;
		if (r->verbose && mono() - last >= 1) {
			last = mono();
			printf("received=%llu corrupted=%llu\n", received, corrupted);
			fflush(stdout);
		}
	}
	printf("received=%llu corrupted=%llu\n", received, corrupted);
	return rc;
}

int gen_recv_main(int argc, char **argv)
{
	struct recv r = { 0 };
	char session[KCAP_NAME_LEN];
	struct kcap *k;
	int rc;

	parse_recv(&r, argc, argv);
	k = cli_open_kcap();
	snprintf(session, sizeof(session), "kcapgen-%d", (int)getpid());
	if (kcap_session_add(k, session))
		cli_die_kcap(k);
	rc = setup(k, session, &r.a);
	if (!rc) {
		cli_catch_signals(k);
		cli_warn("listening on %s", r.ifname);
		rc = count_frames(&r, k);
	} else {
		rc = 1;
	}
	kcap_detach(k);
	if (kcap_session_del(k, session))
		cli_warn("%s", kcap_geterr(k));
	kcap_close(k);
	return rc;
}
