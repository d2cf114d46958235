// SPDX-License-Identifier: BSD-2-Clause
/*
 * Lesson 7, continued: read a dump file back, with the same kcap_loop()
 * as a live capture, or with kcap_next() (-n); an optional filter.
 *
 *   readfile [-n] FILE [EXPRESSION]
 */
#include "common.h"

static void dispatcher_handler(void *user, const struct kcap_packet *p)
{
	(void)user;
	printf("%llu.%06u len:%u caplen:%u\n", (unsigned long long)(p->ts_ns / 1000000000),
	       (unsigned int)(p->ts_ns % 1000000000 / 1000), p->wirelen, p->caplen);
}

int main(int argc, char **argv)
{
	const struct kcap_packet *p;
	char err[KCAP_ERRBUF_SIZE];
	bool next = false;
	struct kcap *k;
	int res, a = 1;

	if (argc > 1 && !strcmp(argv[1], "-n")) {
		next = true;
		a++;
	}
	if (argc - a < 1 || argc - a > 2)
		usage_error("readfile: usage: readfile [-n] FILE [EXPRESSION]");
	k = kcap_open_offline(argv[a], err);
	if (!k) {
		fprintf(stderr, "readfile: %s\n", err);
		return 1;
	}
	if (argc - a == 2 && kcap_setfilter(k, argv[a + 1])) {
		fprintf(stderr, "readfile: %s\n", kcap_geterr(k));
		kcap_close(k);
		return 2;
	}
	if (!next) {
		res = kcap_loop(k, 0, dispatcher_handler, NULL);
	} else {
		while ((res = kcap_next(k, &p, -1)) == 1)
			dispatcher_handler(NULL, p);
		if (res == -ENODATA)
			res = 0;
	}
	if (res < 0) {
		fprintf(stderr, "readfile: error reading the packets: %s\n", kcap_geterr(k));
		kcap_close(k);
		return 1;
	}
	kcap_close(k);
	return 0;
}
