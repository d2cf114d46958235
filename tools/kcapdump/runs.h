/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcapdump's three runs, one of which main() picks: each returns the
 * exit status (0, 1 for a failure, 2 for a filter that does not compile).
 */
#ifndef KCAPDUMP_RUNS_H
#define KCAPDUMP_RUNS_H

#include "options.h"

int kd_live_run(const struct kd_opts *o);	/* live.c */
int kd_offline_run(const struct kd_opts *o);	/* offline.c */
int kd_stats_run(const struct kd_opts *o);	/* statsmode.c */

#endif /* KCAPDUMP_RUNS_H */
