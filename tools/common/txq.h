/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TX engine of kcapgen send and kcapgen replay: frames handed to a
 * handle bound with kcap_tx_bind() as send queues (one writev(2) per up
 * to IOV_MAX frames), and the one way to wait for a frame's time.
 *
 * Paced sending works from absolute deadlines on CLOCK_MONOTONIC, slept
 * to with clock_nanosleep(TIMER_ABSTIME), so that a late wakeup does not
 * push later frames back; how late each wakeup was is kept for the report.
 */
#ifndef KCAP_TXQ_H
#define KCAP_TXQ_H

#include <stdint.h>
#include <stdio.h>

#define NSEC	1000000000LL

struct iovec;
struct kcap;

struct txq {
	struct kcap *k;
	uint64_t sent, bytes;
	uint64_t refused;		/* frames the kernel would not send */
	double late_sum, late_max;	/* ns past each deadline waited for */
	uint64_t late_n;
};

void txq_init(struct txq *q, struct kcap *k);
/* CLOCK_MONOTONIC in nanoseconds. */
int64_t txq_now_ns(void);
/* Sleeps until txq_now_ns() reaches t, or a stop signal; notes the lateness. */
void txq_wait_until(struct txq *q, int64_t t);
/*
 * Sends n frames in order. A frame the qdisc or driver dropped (ENOBUFS)
 * is retried; one the kernel refuses (too short, too long) is reported,
 * counted in refused and skipped. Returns 0, or -1 with the reason printed
 * when sending cannot go on (the device went, or went down). Stops early,
 * returning 0, on a stop signal.
 */
int txq_send(struct txq *q, const struct iovec *iov, unsigned int n);
/* "pacing error: mean M ms, max X ms over N packets" */
void txq_print_pacing(const struct txq *q, FILE *fp);

#endif /* KCAP_TXQ_H */
