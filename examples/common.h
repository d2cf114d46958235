/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What every example parses the same way: a count, and the one-line
 * message and exit status 2 for a bad argument.
 */
#ifndef EXAMPLES_COMMON_H
#define EXAMPLES_COMMON_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libkcap.h>

__attribute__((noreturn, format(printf, 1, 2)))
static inline void usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* A count of 0 to 1000000 named what, or exit 2. */
static inline int parse_count(const char *prog, const char *what, const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 1000000)
		usage_error("%s: %s '%s': not a number from 0 to 1000000", prog, what, s);
	return (int)v;
}

/* The tutorial's "sec.usec len:N", in local time as it prints it. */
static inline void print_ts_len(const struct kcap_packet *p)
{
	time_t sec = (time_t)(p->ts_ns / 1000000000);
	struct tm tm;
	char buf[16];

	localtime_r(&sec, &tm);
	strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
	printf("%s.%06u len:%u\n", buf, (unsigned int)(p->ts_ns % 1000000000 / 1000),
	       p->wirelen);
}

#endif
