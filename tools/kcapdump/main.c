// SPDX-License-Identifier: GPL-2.0
/*
 * kcapdump: tcpdump on kcap. Captures through a session of its own (or a
 * shared one, --session) into pcap or pcapng files, to a pipe, or as
 * tcpdump's lines; reads savefiles back (-r); lists devices (-D, -L); or
 * watches a session's rates (--stats). main() parses the options once
 * and hands them to one run.
 */
#include <signal.h>
#include <stdio.h>

#include "cli.h"
#include "runs.h"

/* Printed packets collect in one buffer that flush.h's policy empties. */
static char stdout_buf[KD_FLUSH_BYTES];

int main(int argc, char **argv)
{
	struct kd_opts o;
	int status;

	cli_prog = "kcapdump";
	kd_opts_parse(&o, argc, argv);
	if (o.line_buffered)
		setvbuf(stdout, NULL, _IOLBF, 0);
	else if (!o.wfile || o.also_print)
		setvbuf(stdout, stdout_buf, _IOFBF, sizeof(stdout_buf));
	cli_catch_signals(NULL);
	signal(SIGPIPE, SIG_IGN);	/* EPIPE ends a -w - capture */

	switch (o.mode) {
	case KD_LIST_DEVICES:
		status = kd_list_devices();
		break;
	case KD_LIST_DLTS:
		status = kd_list_dlts(o.device);
		break;
	case KD_OFFLINE:
		status = kd_offline_run(&o);
		break;
	case KD_STATS:
		status = kd_stats_run(&o);
		break;
	default:
		status = kd_live_run(&o);
		break;
	}
	kd_opts_free(&o);
	return status;
}
