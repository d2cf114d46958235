/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcapdump's command line, parsed and checked once into struct kd_opts;
 * nothing changes it afterwards. Every mistake in it is found here: one
 * line naming the culprit, exit status 2, before /dev/kcap is opened.
 */
#ifndef KCAPDUMP_OPTIONS_H
#define KCAPDUMP_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"
#include "kcap_args.h"
#include "sink_file.h"

enum kd_mode {
	KD_LIVE,		/* a session's ring */
	KD_OFFLINE,		/* -r FILE */
	KD_STATS,		/* --stats: rates, no packets */
};

struct kd_opts {
	enum kd_mode mode;
	const char *session;
	uint64_t count;			/* -c: packets, or intervals; 0: no limit */
	bool quiet;			/* -q */
	bool packet_buffered;		/* -U */
	const char *wfile;		/* -w, or NULL: print */
	struct kd_file_opts file;	/* -w's format and rotation */
	struct kcap_dec_opts print;	/* -q, -x, -T json */
	struct kcap_args args;		/* live: KEY=VALUE and the expression */
	unsigned int stats_secs;	/* --stats */
	/* -r */
	const char *rfile;
	const char *filter;		/* the expression, or NULL */
	const char *follow;		/* --follow SPEC */
	bool conversations;
	/* owned: freed by kd_opts_free() */
	char *expr;			/* trailing words, joined */
	char *filter_kv;		/* live: "filter=" expr, args points into it */
};

/* Fills o from argv, or exits 2 naming the mistake. */
void kd_opts_parse(struct kd_opts *o, int argc, char **argv);
void kd_opts_free(struct kd_opts *o);

#endif /* KCAPDUMP_OPTIONS_H */
