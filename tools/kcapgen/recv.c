// SPDX-License-Identifier: GPL-2.0
/*
 * kcapgen recv: counts the frames that arrive on a device and match a
 * filter, and those whose IPv4 header or TCP, UDP or ICMP checksum is
 * wrong, through a kcap session of its own capturing at ingress (on the
 * receiving side every checksum is on the wire, none left to offload).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kcap_args.h"
#include "craft.h"

int gen_recv_main(int argc, char **argv);

static struct kcap *recv_k;

static void on_signal(int sig)
{
	(void)sig;
	if (recv_k)
		kcap_breakloop(recv_k);
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int setup(struct kcap *k, const char *session, const char *ifname,
		 const char *filter)
{
	char dev[64], flt[1024], err[256];
	char *kv[4];
	struct kcap_args a;
	struct kcap_cfg cfg;
	int n = 0, ret;

	snprintf(dev, sizeof(dev), "dev=%s", ifname);
	snprintf(flt, sizeof(flt), "filter=%s", filter ? filter : "");
	kv[n++] = dev;
	kv[n++] = "capture=ingress";
	kv[n++] = "ring=16M";
	if (filter)
		kv[n++] = flt;
	memset(&a, 0, sizeof(a));
	if (kcap_args_parse(&a, n, kv, err, sizeof(err))) {
		fprintf(stderr, "kcapgen: %s\n", err);
		return -1;
	}
	kcap_cfg_init(&cfg, session);
	if (kcap_args_apply(&a, &cfg, err, sizeof(err))) {
		fprintf(stderr, "kcapgen: %s\n", err);
		kcap_cfg_free(&cfg);
		return -1;
	}
	ret = kcap_config_set(k, &cfg);
	kcap_cfg_free(&cfg);
	if (!ret)
		ret = kcap_attach(k, session, 0);
	if (ret) {
		fprintf(stderr, "kcapgen: %s\n", kcap_geterr(k));
		return -1;
	}
	return 0;
}

int gen_recv_main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	const char *ifname = NULL, *filter = NULL;
	unsigned long long received = 0, corrupted = 0;
	uint64_t count = 0;
	double limit = 0, t0, last;
	bool verbose = false;
	char session[KCAP_NAME_LEN];
	const struct kcap_packet *p;
	struct kcap *k;
	int opt, ret, rc = 0;
	char *end;

	while ((opt = getopt(argc, argv, "i:c:t:vh")) != -1) {
		switch (opt) {
		case 'i': ifname = optarg; break;
		case 'c':
			if (kcap_parse_u64(optarg, UINT64_MAX, &count)) {
				fprintf(stderr, "kcapgen: -c: '%s' is not a count\n", optarg);
				return 2;
			}
			break;
		case 't':
			limit = strtod(optarg, &end);
			if (*end || end == optarg || limit < 0) {
				fprintf(stderr, "kcapgen: -t: '%s' is not seconds\n", optarg);
				return 2;
			}
			break;
		case 'v': verbose = true; break;
		case 'h':
			printf("Usage: kcapgen recv -i DEV [-v] [-t SECONDS] [-c COUNT] [FILTER]\n");
			return 0;
		default:
			return 2;
		}
	}
	if (!ifname) {
		fprintf(stderr, "kcapgen: recv: -i DEV is required\n");
		return 2;
	}
	if (optind < argc)
		filter = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "kcapgen: recv: one filter expression, quoted\n");
		return 2;
	}

	ret = kcap_open(&k, NULL);
	if (ret) {
		fprintf(stderr, "kcapgen: %s\n", k ? kcap_geterr(k) : strerror(-ret));
		kcap_close(k);
		return 1;
	}
	snprintf(session, sizeof(session), "kcapgen-%d", (int)getpid());
	if (kcap_session_add(k, session)) {
		fprintf(stderr, "kcapgen: %s\n", kcap_geterr(k));
		kcap_close(k);
		return 1;
	}
	if (setup(k, session, ifname, filter)) {
		rc = 1;
		goto out;
	}
	recv_k = k;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fprintf(stderr, "kcapgen: listening on %s\n", ifname);

	t0 = last = mono();
	for (;;) {
		ret = kcap_next(k, &p, 100);
		if (ret == 1) {
			received++;
			if (gen_check(p->data, p->caplen) == GEN_CORRUPT &&
			    !(p->flags & KCAP_PACKET_CSUM_NOT_READY))
				corrupted++;
			if (count && received >= count)
				break;
		} else if (ret < 0) {
			if (ret != -EINTR) {
				fprintf(stderr, "kcapgen: %s\n", kcap_geterr(k));
				rc = 1;
			}
			break;
		}
		if (limit && mono() - t0 >= limit)
			break;
		if (verbose && mono() - last >= 1) {
			last = mono();
			printf("received=%llu corrupted=%llu\n", received, corrupted);
			fflush(stdout);
		}
	}
	printf("received=%llu corrupted=%llu\n", received, corrupted);
out:
	kcap_detach(k);
	if (kcap_session_del(k, session))
		fprintf(stderr, "kcapgen: %s\n", kcap_geterr(k));
	kcap_close(k);
	return rc;
}
