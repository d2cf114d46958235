// SPDX-License-Identifier: GPL-2.0
/*
 * -r FILE: pcap or pcapng read through libkcapdecode (libpcap inside),
 * printed as live packets are, re-written with -w, or analysed
 * (--conversations, --follow).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kcapdump.h"

static int print_cb(const struct kcap_packet *pkt, void *arg)
{
	struct ctx *x = arg;

	kcap_decode_print(stdout, pkt, &x->show.o);
	x->captured++;
	return stop || ferror(stdout);
}

struct write_arg {
	struct ctx *x;
	int status;
};

static int write_cb(const struct kcap_packet *pkt, void *arg)
{
	struct write_arg *w = arg;
	struct ctx *x = w->x;
	int ret;

	/* The file takes the link type of what is read: open it now. */
	if (!x->out_open) {
		x->dlt = pkt->linktype;
		if (open_output(x)) {
			w->status = 1;
			return 1;
		}
	}
	ret = write_packet(x, pkt);
	if (ret) {
		w->status = ret == -EPIPE ? 0 : 1;
		return 1;
	}
	return stop;
}

static int write_file(struct ctx *x, char *err, size_t errlen)
{
	struct write_arg w = { x, 0 };
	int ret;

	x->gtime = time(NULL);
	make_name(x, 0, x->file_size ? x->wchars : 0);
	ret = kcap_decode_file_each(x->rfile, x->filter, x->count, write_cb, &w,
				    err, errlen);
	/* Nothing selected: still a valid (empty) file. */
	if (!ret && !w.status && !x->out_open && !stop && open_output(x))
		w.status = 1;
	if (close_output(x) && x->out.err != -EPIPE)
		w.status = 1;
	return ret ? ret : -w.status;
}

/* Returns 0, 1 (a runtime error) or EXIT_USAGE (a bad filter). */
int offline(struct ctx *x)
{
	char err[PCAP_ERRBUF_SIZE + 64] = "";
	int ret;

	if (x->conversations)
		ret = kcap_conversations_file(x->rfile, x->filter, stdout, err, sizeof(err));
	else if (x->follow)
		ret = kcap_follow_file(x->rfile, x->filter, x->follow, stdout, err, sizeof(err));
	else if (x->wfile)
		ret = write_file(x, err, sizeof(err));
	else
		ret = kcap_decode_file_each(x->rfile, x->filter, x->count, print_cb, x,
					    err, sizeof(err));
	if (fflush(stdout) || ferror(stdout)) {
		if (errno == EPIPE)
			return 0;
		kd_warn("stdout: %s", strerror(errno));
		return 1;
	}
	if (ret == -1 && *err) {
		/* The library's words for a filter that does not compile. */
		if (!strncmp(err, "filter: ", 8) && x->filter) {
			kd_warn("filter '%s': %s", x->filter, err + 8);
			return EXIT_USAGE;
		}
		if (strstr(err, x->rfile))
			kd_warn("%s", err);
		else
			kd_warn("%s: %s", x->rfile, err);
		return 1;
	}
	return ret ? 1 : 0;
}
