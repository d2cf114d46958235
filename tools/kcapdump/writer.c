// SPDX-License-Identifier: GPL-2.0
/*
 * -w: the savefile, named and rotated as tcpdump does it (-C, -G, -W),
 * and flushed when the policy of flush.h says so.
 */
#include <errno.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>

#include "kcapdump.h"

/* FILE, FILE1, FILE2... as tcpdump names them (MakeFilename). */
void make_name(struct ctx *x, unsigned int cnt, int chars)
{
	char base[4096];
	size_t len;

	if (x->rotate_secs) {
		struct tm tm;

		localtime_r(&x->gtime, &tm);
		if (!strftime(base, sizeof(base), x->wfile, &tm))
			snprintf(base, sizeof(base), "%s", x->wfile);
	} else {
		snprintf(base, sizeof(base), "%s", x->wfile);
	}
	free(x->cur_name);
	len = strlen(base) + 16;
	x->cur_name = malloc(len);
	if (!x->cur_name) {
		kd_warn("out of memory");
		exit(EXIT_FAILURE);
	}
	if (!cnt && !chars)
		snprintf(x->cur_name, len, "%s", base);
	else
		snprintf(x->cur_name, len, "%s%0*u", base, chars, cnt);
}

int open_output(struct ctx *x)
{
	struct kd_out_spec spec = {
		.fmt = x->fmt,
		.dlt = x->dlt,
		.snaplen = x->snaplen,
		.ifindex = x->ifindex,
		.nifs = x->nifs,
	};
	char err[512];
	int ret;

	ret = kd_out_open_spec(&x->out, x->cur_name, &spec, err, sizeof(err));
	if (ret) {
		kd_warn("%s", err);
		return ret;
	}
	x->out_open = true;
	kd_flush_done(&x->flush);
	return 0;
}

static const char *out_name(const struct ctx *x)
{
	return strcmp(x->wfile, "-") ? x->cur_name : "stdout";
}

int close_output(struct ctx *x)
{
	int ret, said;

	if (!x->out_open)
		return 0;
	x->out_open = false;
	said = x->out.err;	/* an error before close was reported then */
	ret = kd_out_close(&x->out);
	if (ret && ret != -EPIPE && !said)
		kd_warn("%s: %s", out_name(x), strerror(-ret));
	if (x->out.unwritten) {
		x->captured -= x->out.unwritten;
		x->unwritten += x->out.unwritten;
		x->write_err = ret;
	}
	kd_flush_done(&x->flush);
	return ret;
}

/* Rotation before a packet is written, in tcpdump's order: -G, then -C. */
static int maybe_rotate(struct ctx *x)
{
	if (x->rotate_secs) {
		time_t now = time(NULL);

		if (now - x->gtime >= x->rotate_secs) {
			x->gtime = now;
			x->gfiles++;
			if (close_output(x))
				return -EIO;
			if (!x->file_size && x->file_count && x->gfiles >= x->file_count) {
				kd_warn("maximum file limit reached: %u", x->file_count);
				stop = 1;
				return 1;
			}
			x->cfile = 0;
			make_name(x, 0, x->file_size ? x->wchars : 0);
			if (open_output(x))
				return -EIO;
		}
	}
	if (x->file_size && kd_out_size(&x->out) > x->file_size) {
		if (close_output(x))
			return -EIO;
		x->cfile++;
		if (x->file_count && x->cfile >= x->file_count)
			x->cfile = 0;
		make_name(x, x->cfile, x->wchars);
		if (open_output(x))
			return -EIO;
	}
	return 0;
}

/* Bytes written by us but not yet by the kernel's write(). */
size_t output_pending(struct ctx *x)
{
	if (!x->wfile)
		return __fpending(stdout);
	return x->out_open ? x->out.buf.len : 0;
}

int flush_output(struct ctx *x)
{
	int ret;

	kd_flush_done(&x->flush);
	if (!x->wfile) {
		if (fflush(stdout) || ferror(stdout))
			return errno == EPIPE ? -EPIPE : -EIO;
		return 0;
	}
	if (!x->out_open)
		return 0;
	ret = kd_out_flush(&x->out);
	if (ret && ret != -EPIPE)
		kd_warn("%s: %s; stopping (the file holds every packet up to the last one written)",
			out_name(x), strerror(-ret));
	return ret;
}

int write_packet(struct ctx *x, const struct kcap_packet *p)
{
	int ret;

	ret = maybe_rotate(x);
	if (ret)
		return ret < 0 ? ret : 0;
	ret = kd_out_packet(&x->out, p);
	if (ret) {
		kd_warn("%s", strerror(-ret));
		return ret;
	}
	x->captured++;
	if (x->out.buf.len >= x->flush.max_bytes)
		return flush_output(x);
	return 0;
}
