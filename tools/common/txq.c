// SPDX-License-Identifier: GPL-2.0
/* The TX engine; see txq.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "libkcap.h"
#include "txq.h"

/* A full qdisc drains in well under this many 100 us naps. */
#define TXQ_RETRIES	1000

void txq_init(struct txq *q, struct kcap *k)
{
	memset(q, 0, sizeof(*q));
	q->k = k;
}

int64_t txq_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC + ts.tv_nsec;
}

void txq_wait_until(struct txq *q, int64_t t)
{
	struct timespec ts = { t / NSEC, t % NSEC };
	double late;

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR &&
	       !cli_stop)
		;
	late = (double)llabs(txq_now_ns() - t);
	q->late_sum += late;
	if (late > q->late_max)
		q->late_max = late;
	q->late_n++;
}

int txq_send(struct txq *q, const struct iovec *iov, unsigned int n)
{
	unsigned int done = 0;
	int ret, tries = 0;

	while (done < n && !cli_stop) {
		ret = kcap_inject_batch(q->k, iov + done, n - done);
		if (ret > 0) {
			for (int j = 0; j < ret; j++)
				q->bytes += iov[done + j].iov_len;
			q->sent += (unsigned int)ret;
			done += (unsigned int)ret;
			tries = 0;
			continue;
		}
		if (ret == -ENOBUFS && tries++ < TXQ_RETRIES) {
			usleep(100);
			continue;
		}
		if (ret == -EINVAL || ret == -EMSGSIZE) {
			cli_warn("%s (%zu bytes), skipped", kcap_geterr(q->k),
				 iov[done].iov_len);
			q->refused++;
			done++;
			continue;
		}
		cli_warn("%s", kcap_geterr(q->k));
		return -1;
	}
	return 0;
}

void txq_print_pacing(const struct txq *q, FILE *fp)
{
	fprintf(fp, "pacing error: mean %.3f ms, max %.3f ms over %llu packets\n",
		q->late_n ? q->late_sum / (double)q->late_n / 1e6 : 0.0,
		q->late_max / 1e6, (unsigned long long)q->late_n);
}
