// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <time.h>

#include "pace.h"

int64_t pace_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC + ts.tv_nsec;
}

/* Absolute deadlines: a late wakeup does not push later ones back. */
void pace_sleep_until(int64_t t, const volatile sig_atomic_t *stop)
{
	struct timespec ts = { t / NSEC, t % NSEC };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR &&
	       !*stop)
		;
}
