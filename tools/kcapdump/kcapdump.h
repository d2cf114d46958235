/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcapdump's one context: every setting and all the state of one run,
 * shared by the live reader (capture.c), the file reader (offline.c) and
 * the savefile rotation (writer.c).
 */
#ifndef KCAPDUMP_H
#define KCAPDUMP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "flush.h"
#include "kcap_args.h"
#include "output.h"
#include "show.h"

#define EXIT_USAGE	2

struct ctx {
	const char *session;
	const char *wfile;
	const char *rfile;		/* -r */
	const char *filter;		/* -r: the expression, or NULL */
	char *expr;			/* trailing words, joined */
	const char *follow;		/* --follow SPEC */
	bool conversations;
	enum kd_format fmt;
	uint64_t count;			/* -c: packets, or intervals */
	uint64_t file_size;		/* -C, bytes */
	unsigned int rotate_secs;	/* -G */
	unsigned int file_count;	/* -W */
	int wchars;			/* digits for -W numbering */
	bool stats_mode;
	unsigned int stats_secs;
	bool quiet;
	bool packet_buffered;		/* -U */
	bool status;			/* live line on stderr */
	struct kd_show show;		/* printing: -q, -x, -T json */

	struct kcap *k;
	uint32_t snaplen;
	int dlt;			/* of the files written */
	int *ifindex;			/* the session's devices, for pcapng */
	unsigned int nifs;
	struct kd_out out;
	bool out_open;
	char *cur_name;
	unsigned int cfile;		/* -C file number */
	unsigned int gfiles;		/* -G files opened */
	time_t gtime;
	struct kd_flush flush;
	uint64_t captured;		/* in the file, or printed */
	uint64_t unwritten;		/* lost to a failed write */
	int write_err;			/* the write's -errno */
	struct kcap_stat_snap start;
	bool have_start;
	uint64_t status_ns;
	uint64_t status_pkts;
	uint64_t drops;
};

extern volatile sig_atomic_t stop;

__attribute__((format(printf, 1, 2)))
void kd_warn(const char *fmt, ...);

/* writer.c: -w files, their names and rotation. */
void make_name(struct ctx *x, unsigned int cnt, int chars);
int open_output(struct ctx *x);
int close_output(struct ctx *x);
int flush_output(struct ctx *x);
size_t output_pending(struct ctx *x);
/* 0, or -errno with the reason already printed. */
int write_packet(struct ctx *x, const struct kcap_packet *p);

/* capture.c: the live reader; returns the exit status. */
int capture(struct ctx *x);
void report(struct ctx *x);

/* offline.c: -r; returns the exit status. */
int offline(struct ctx *x);

#endif /* KCAPDUMP_H */
