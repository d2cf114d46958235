/* SPDX-License-Identifier: GPL-2.0 */
/*
 * -w: a savefile sink, named and rotated as tcpdump does it (-C, -G, -W,
 * -z),
 * over savefile.c's records: whole records in one write() per flush, a
 * file cut back to its last whole record when a write fails.
 */
#ifndef KCAPDUMP_SINK_FILE_H
#define KCAPDUMP_SINK_FILE_H

#include <stdbool.h>
#include <stdint.h>

#include "savefile.h"
#include "sink.h"

struct kd_file_opts {
	const char *path;		/* "-": stdout; may hold strftime(3) with -G */
	enum kd_format fmt;
	uint64_t file_size;		/* -C, bytes; 0: no limit */
	unsigned int rotate_secs;	/* -G; 0: none */
	unsigned int file_count;	/* -W; 0: none */
	const char *postrotate;		/* -z: run as CMD FILE after each rotation */
};

/*
 * Opens the first file now, described by spec (its ifindex array must
 * outlast the sink); spec->dlt < 0 leaves the link type to the first
 * packet, and the file unopened until that packet (or a flush) comes.
 * every_batch: -U. NULL, with the reason printed, on failure.
 */
struct kd_sink *kd_sink_file_open(const struct kd_file_opts *fo,
				  const struct kd_out_spec *spec, bool every_batch);

#endif /* KCAPDUMP_SINK_FILE_H */
