/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --print: every packet to -w's file and printed as well. The file is
 * the capture: its counters are the tee's; a printer whose reader went
 * away does not stop the file.
 */
#ifndef KCAPDUMP_SINK_TEE_H
#define KCAPDUMP_SINK_TEE_H

#include "sink.h"

/* Takes both sinks (freed with it). NULL if out of memory. */
struct kd_sink *kd_sink_tee_open(struct kd_sink *file, struct kd_sink *print,
				 bool every_batch);

#endif /* KCAPDUMP_SINK_TEE_H */
