// SPDX-License-Identifier: GPL-2.0
/* The programs' shared command-line habits; see cli.h. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "kcap_args.h"

const char *cli_prog = "kcap";
volatile sig_atomic_t cli_stop;
static struct kcap *cli_kcap;

static void cli_vsay(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", cli_prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vsay(fmt, ap);
	va_end(ap);
}

void cli_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vsay(fmt, ap);
	va_end(ap);
	exit(EXIT_FAILURE);
}

void cli_die_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vsay(fmt, ap);
	va_end(ap);
	exit(EXIT_USAGE);
}

void cli_die_kcap(const struct kcap *k)
{
	cli_die("%s", kcap_geterr(k));
}

struct kcap *cli_open_kcap(void)
{
	struct kcap *k;
	int ret = kcap_open(&k, NULL);

	if (!ret)
		return k;
	if (!k)
		cli_die("%s", strerror(-ret));
	cli_die_kcap(k);
}

static void cli_on_signal(int sig)
{
	(void)sig;
	cli_stop = 1;
	if (cli_kcap)
		kcap_breakloop(cli_kcap);
}

void cli_catch_signals(struct kcap *k)
{
	struct sigaction sa;

	cli_kcap = k;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = cli_on_signal;	/* no SA_RESTART: poll() returns */
	sa.sa_flags = SA_RESETHAND;	/* a second one ends a stuck write */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

void cli_sleep(unsigned int secs)
{
	struct timespec ts = { (time_t)secs, 0 };

	while (nanosleep(&ts, &ts) && !cli_stop)
		;
}

void cli_die_option(int c, char **argv)
{
	if (c == ':')
		cli_die_usage("option '%s' needs a value", argv[optind - 1]);
	if (optopt)
		cli_die_usage("unknown option '-%c' (try %s --help)", optopt, cli_prog);
	cli_die_usage("unknown option '%s' (try %s --help)", argv[optind - 1], cli_prog);
}

uint64_t cli_uint(const char *opt, const char *val, uint64_t min, uint64_t max)
{
	uint64_t v;

	if (kcap_parse_u64(val, max, &v) || v < min)
		cli_die_usage("%s: '%s' is not a number from %llu to %llu", opt, val,
			      (unsigned long long)min, (unsigned long long)max);
	return v;
}

/* A number up to max: from 0 with zero_ok, else above 0. */
static double cli_double(const char *opt, const char *val, double max,
			 bool zero_ok, const char *what)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(val, &end);
	if (errno || end == val || *end || !isfinite(v) || v > max ||
	    (zero_ok ? v < 0 : !(v > 0)))
		cli_die_usage("%s: '%s' is not %s", opt, val, what);
	return v;
}

double cli_seconds(const char *opt, const char *val)
{
	return cli_double(opt, val, 86400.0 * 366, true, "a number of seconds");
}

double cli_positive(const char *opt, const char *val)
{
	return cli_double(opt, val, HUGE_VAL, false, "a number above 0");
}
