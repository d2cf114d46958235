// SPDX-License-Identifier: BSD-2-Clause
/*
 * Lesson 9: send queues. Every packet of a dump file goes into a queue,
 * and the queue out of DEV in as few system calls as possible; with "s",
 * synchronised: each packet leaves as long after the first as it was
 * captured after it.
 *
 *   sendqueue FILE DEV [s]
 */
#include <sys/stat.h>

#include "common.h"

int main(int argc, char **argv)
{
	const struct kcap_packet *p;
	char err[KCAP_ERRBUF_SIZE];
	struct kcap *in, *out;
	struct kcap_sendqueue *q;
	struct timespec t0, t1;
	struct stat st;
	unsigned int npacks = 0;
	int res, sync = 0;
	double elapsed;

	if (argc < 3 || argc > 4)
		usage_error("sendqueue: usage: sendqueue FILE DEV [s]");
	if (argc == 4) {
		if (strcmp(argv[3], "s"))
			usage_error("sendqueue: '%s': the third argument can only be s", argv[3]);
		sync = 1;
	}
	if (stat(argv[1], &st)) {
		fprintf(stderr, "sendqueue: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	in = kcap_open_offline(argv[1], err);
	if (!in) {
		fprintf(stderr, "sendqueue: %s\n", err);
		return 1;
	}
	out = kcap_open_live(argv[2], 100, 0, 1000, err);
	if (!out) {
		fprintf(stderr, "sendqueue: %s\n", err);
		kcap_close(in);
		return 1;
	}
	if (kcap_datalink(in) != kcap_datalink(out))
		printf("Warning: the datalink of the capture differs from the one of the selected interface.\n");

	/* The file's size is more than its packets' bytes. */
	q = kcap_sendqueue_alloc((size_t)st.st_size);
	if (!q) {
		fprintf(stderr, "sendqueue: out of memory\n");
		return 1;
	}
	while ((res = kcap_next(in, &p, -1)) == 1) {
		if (kcap_sendqueue_queue(q, p)) {
			printf("Warning: packet buffer too small, not all the packets will be sent.\n");
			break;
		}
		npacks++;
	}
	if (res < 0 && res != -ENODATA) {
		printf("Corrupted input file: %s\n", kcap_geterr(in));
		return 1;
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	res = kcap_sendqueue_transmit(out, q, sync);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (res < 0 || (unsigned int)res < kcap_sendqueue_count(q))
		printf("An error occurred sending the packets: %s. Only %d packets were sent\n",
		       kcap_geterr(out), res < 0 ? 0 : res);
	elapsed = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("Elapsed time: %5.3f\n", elapsed);
	printf("Total packets generated = %u\n", npacks);
	printf("Total packets sent = %d\n", res < 0 ? 0 : res);
	if (elapsed > 0)
		printf("Average packets per second = %d\n", (int)(npacks / elapsed));

	kcap_sendqueue_destroy(q);
	kcap_close(in);
	kcap_close(out);
	return res < 0 || (unsigned int)res < npacks;
}
