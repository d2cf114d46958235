/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A sink that prints each packet through libkcapdecode: tcpdump's lines
 * (the options' lines printer), a tree (-V, with -x a hex dump) or JSON
 * (-T json), into a stdio stream whose buffer flush.h's policy empties.
 */
#ifndef KCAPDUMP_SINK_PRINT_H
#define KCAPDUMP_SINK_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "decode.h"
#include "sink.h"

/* o must outlast the sink; out NULL only counts (--count). NULL if out of memory. */
struct kd_sink *kd_sink_print_open(FILE *out, const struct kcap_dec_opts *o,
				   bool every_batch);

#endif /* KCAPDUMP_SINK_PRINT_H */
