/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small TAP harness for the host unit tests: CHECK*() record a failure
 * and go on; each test function is one TAP line.
 */
#ifndef KCAP_UNIT_H
#define KCAP_UNIT_H

#include <stdio.h>
#include <string.h>

void unit_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void unit_run(const char *name, void (*fn)(void));

#define RUN(fn) unit_run(#fn, fn)

#define CHECK(cond) do {						\
	if (!(cond))							\
		unit_fail(__FILE__, __LINE__, "%s", #cond);		\
} while (0)

#define CHECK_EQ(a, b) do {						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	if (_a != _b)							\
		unit_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld",	\
			  #a, #b, _a, _b);				\
} while (0)

#define CHECK_STR(hay, needle) do {					\
	const char *_h = (hay), *_n = (needle);				\
	if (!_h || !strstr(_h, _n))					\
		unit_fail(__FILE__, __LINE__, "'%s' lacks '%s'",	\
			  _h ? _h : "(null)", _n);			\
} while (0)

void args_tests(void);
void ring_tests(void);
void output_tests(void);
void cli_tests(void);
void flush_tests(void);
void offline_tests(void);
void craft_tests(void);

#endif /* KCAP_UNIT_H */
