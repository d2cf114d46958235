/* SPDX-License-Identifier: GPL-2.0 */
/* Sending on a schedule: kcapdump --inject and kcapgen. */
#ifndef KCAP_PACE_H
#define KCAP_PACE_H

#include <signal.h>
#include <stdint.h>

#define NSEC	1000000000LL

/* CLOCK_MONOTONIC in nanoseconds. */
int64_t pace_now_ns(void);
/* Sleeps until pace_now_ns() reaches t, or *stop is set by a signal. */
void pace_sleep_until(int64_t t, const volatile sig_atomic_t *stop);

#endif /* KCAP_PACE_H */
