// SPDX-License-Identifier: GPL-2.0
/*
 * -r FILE: pcap or pcapng read through libkcapdecode (libpcap inside)
 * into the same sinks as live packets, printed or re-written with -w; or
 * analysed (--conversations, --follow).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "runs.h"
#include "sink_file.h"
#include "sink_net.h"
#include "sink_print.h"
#include "sink_tee.h"

struct feed {
	struct kd_sink *sink;
	int ret;		/* the last put()'s */
};

static int feed_cb(const struct kcap_packet *p, void *arg)
{
	struct feed *f = arg;

	f->ret = kd_sink_put(f->sink, p);
	return f->ret || cli_stop;
}

/* The file's packets into the sink; *status 1 if the sink failed. */
static int feed_sink(const struct kd_opts *o, const char *path, int *status,
		     char *err, size_t errlen)
{
	/* The file takes the link type of the first packet read. */
	struct kd_out_spec spec = { .dlt = -1 };
	struct feed f = { NULL, 0 };
	int ret;

	if (!o->wfile) {
		f.sink = kd_sink_print_open(o->count_only ? NULL : stdout, &o->print,
					    o->line_buffered);
	} else {
		f.sink = kd_sink_file_open(&o->file, &spec, false);
		if (f.sink && o->also_print) {
			struct kd_sink *p = kd_sink_print_open(stdout, &o->print,
							       o->line_buffered);

			f.sink = p ? kd_sink_tee_open(f.sink, p, false) : NULL;
		}
	}
	if (!f.sink) {
		*status = 1;
		return 0;
	}
	ret = kcap_decode_file_each(path, o->filter, o->count, feed_cb, &f,
				    err, errlen);
	if (f.ret < 0 && f.ret != -EPIPE)
		*status = 1;
	/* Nothing selected: -w's file is still made, valid and empty. */
	if (!ret && !f.ret && !cli_stop && kd_sink_flush(f.sink))
		*status = 1;
	if (kd_sink_close(f.sink) && f.sink->err != -EPIPE)
		*status = 1;
	/* --count: what tcpdump --count prints, when the file was read. */
	if (o->count_only && ret == 0)
		printf("%llu packet%s\n", (unsigned long long)f.sink->packets,
		       f.sink->packets == 1 ? "" : "s");
	kd_sink_free(f.sink);
	return ret;
}

/* Returns 0, 1 (a runtime error) or EXIT_USAGE (a bad filter). */
int kd_offline_run(const struct kd_opts *o)
{
	char err[PCAP_ERRBUF_SIZE + 64] = "";
	const char *path = o->rfile;
	int ret, status = 0, fd;

	/* A kcapdump --listen elsewhere: its stream is read as stdin is. */
	if (!strncmp(path, "tcp://", 6)) {
		fd = kd_net_connect(path, err, sizeof(err));
		if (fd < 0 || dup2(fd, STDIN_FILENO) < 0) {
			cli_warn("%s", fd < 0 ? err : strerror(errno));
			return 1;
		}
		close(fd);
		path = "-";
	}
	if (o->conversations)
		ret = kcap_conversations_file(path, o->filter, stdout, err, sizeof(err));
	else if (o->follow)
		ret = kcap_follow_file(path, o->filter, o->follow, stdout, err, sizeof(err));
	else
		ret = feed_sink(o, path, &status, err, sizeof(err));
	if (fflush(stdout) || ferror(stdout)) {
		if (errno == EPIPE)
			return 0;
		cli_warn("stdout: %s", strerror(errno));
		return 1;
	}
	if (ret == -1 && *err) {
		/* The library's words for a filter that does not compile. */
		if (!strncmp(err, "filter: ", 8) && o->filter) {
			cli_warn("filter '%s': %s", o->filter, err + 8);
			return EXIT_USAGE;
		}
		if (strstr(err, o->rfile))
			cli_warn("%s", err);
		else
			cli_warn("%s: %s", o->rfile, err);
		return 1;
	}
	return ret || status ? 1 : 0;
}
