/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every kcap program does the same way: a bad argument is one line
 * naming it and exit status 2 before anything is changed; a failure is a
 * line and status 1; SIGINT, SIGTERM and SIGHUP ask the program to stop
 * (a second one ends it), and a poll() or sleep they interrupt returns.
 */
#ifndef KCAP_CLI_H
#define KCAP_CLI_H

#include <signal.h>
#include <stdint.h>

#define EXIT_USAGE	2

struct kcap;

/* Set once by main(); every message starts with it. */
extern const char *cli_prog;
/* Set by the signals; the programs' loops look at it. */
extern volatile sig_atomic_t cli_stop;

__attribute__((format(printf, 1, 2)))
void cli_warn(const char *fmt, ...);
__attribute__((format(printf, 1, 2), noreturn))
void cli_die(const char *fmt, ...);
__attribute__((format(printf, 1, 2), noreturn))
void cli_die_usage(const char *fmt, ...);
/* libkcap's message for its last failure, then exit 1. */
__attribute__((noreturn))
void cli_die_kcap(const struct kcap *k);
/* kcap_open(), or exit 1 saying why. */
struct kcap *cli_open_kcap(void);

/* The stop signals; with k, they also end a kcap_loop() or kcap_next(). */
void cli_catch_signals(struct kcap *k);
/* Sleeps secs, or less if a stop signal comes. */
void cli_sleep(unsigned int secs);

/*
 * getopt_long()'s ':' (an option without its value, with ":" leading the
 * option string and opterr 0) or '?' (an unknown option) as a usage error
 * naming it.
 */
__attribute__((noreturn))
void cli_die_option(int c, char **argv);

/* Option values: a usage error names opt and val unless they fit. */
uint64_t cli_uint(const char *opt, const char *val, uint64_t min, uint64_t max);
/* Seconds from 0 to a year, fractions allowed. */
double cli_seconds(const char *opt, const char *val);
/* A finite number above 0. */
double cli_positive(const char *opt, const char *val);

#endif /* KCAP_CLI_H */
