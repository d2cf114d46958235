/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcapdump's command line, parsed and checked once into struct kd_opts;
 * nothing changes it afterwards. Every mistake in it is found here: one
 * line naming the culprit, exit status 2, before /dev/kcap is opened.
 *
 * The flags are tcpdump's, with tcpdump's meanings. A live capture goes
 * through a private session of kcapdump's own (created on the device of
 * -i, gone when kcapdump ends) unless --session NAME names a shared one,
 * which kcapdump then changes only when told to (--configure, KEY=VALUE).
 */
#ifndef KCAPDUMP_OPTIONS_H
#define KCAPDUMP_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"
#include "kcap_args.h"
#include "libkcap.h"
#include "sink_file.h"
#include "sink_net.h"

enum kd_mode {
	KD_LIVE,		/* a session's ring */
	KD_OFFLINE,		/* -r FILE */
	KD_STATS,		/* --stats: rates, no packets */
	KD_LIST_DEVICES,	/* -D */
	KD_LIST_DLTS,		/* -L */
};

/* The most keys one live command line sets: the user's and -i, -Q, -s, -B's. */
#define KD_MAX_KV	64

struct kd_opts {
	enum kd_mode mode;
	const char *session;		/* the live session: --session NAME, or ours */
	bool private_session;		/* session is kcapdump.<pid>, made here */
	const char *device;		/* -i, or the first device; "any" */
	int dlt;			/* DLT_EN10MB, or DLT_LINUX_SLL2 for any */
	bool dlt_given;			/* -y */
	uint64_t count;			/* -c: packets, or intervals; 0: no limit */
	bool quiet;			/* -q: also no status line with -w */
	bool packet_buffered;		/* -U */
	bool line_buffered;		/* -l */
	bool count_only;		/* --count */
	bool also_print;		/* --print: with -w, print as well */
	bool verbose;			/* -v, -V or -T: no "verbose output suppressed" */
	const char *wfile;		/* -w, or NULL: print */
	struct kd_file_opts file;	/* -w's format and rotation, -z */
	struct kd_net_opts net;		/* --listen, --allow, --client-buffer */
	struct kcap_lines_opts lines;	/* tcpdump's print flags */
	struct kcap_dec_opts print;	/* -V, -x with -V, -T json; or the lines */
	struct kcap_args args;		/* live: the keys set on the session */
	unsigned int stats_secs;	/* --stats */
	uint32_t snaplen;		/* -s; 0: not given */
	const char *user;		/* -Z; NULL: "tcpdump" if there is one */
	bool user_given;
	/* -r */
	const char *rfile;
	const char *filter;		/* the expression, or NULL */
	const char *follow;		/* --follow SPEC */
	bool conversations;
	/* owned: freed by kd_opts_free() */
	char *expr;			/* trailing words (or -F's file), joined */
	char *kv_owned[12];		/* the keys -i, -Q, -s, -B and the expression set */
	unsigned int nkv_owned;
	char session_buf[KCAP_NAME_LEN];
};

/* Fills o from argv, or exits 2 naming the mistake. */
void kd_opts_parse(struct kd_opts *o, int argc, char **argv);
void kd_opts_free(struct kd_opts *o);

/* devices.c: -D and -L, and the device tcpdump would pick without -i. */
int kd_list_devices(void);
int kd_list_dlts(const char *device);
/* The first device tcpdump -D lists that kcap can capture on; NULL if none. */
char *kd_default_device(void);
/* -i N: the Nth device of -D's list, malloc'ed; NULL if there is none. */
char *kd_device_by_number(unsigned int n);

/* privs.c: -Z, after the session and the first file are open. */
void kd_drop_privileges(const struct kd_opts *o);

#endif /* KCAPDUMP_OPTIONS_H */
