// SPDX-License-Identifier: GPL-2.0
/* Runs every host unit test and prints TAP. */
#include <stdarg.h>
#include <stdlib.h>

#include "unit.h"

static int test_failures, passed, failed;

void unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("# %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	test_failures++;
}

void unit_run(const char *name, void (*fn)(void))
{
	test_failures = 0;
	fflush(stdout);
	fn();
	if (test_failures) {
		failed++;
		printf("not ok %d %s\n", passed + failed, name);
	} else {
		passed++;
		printf("ok %d %s\n", passed + failed, name);
	}
	fflush(stdout);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	args_tests();
	ring_tests();
	output_tests();
	cli_tests();
	flush_tests();
	offline_tests();
	craft_tests();
	printf("1..%d\n", passed + failed);
	printf("# %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
