// SPDX-License-Identifier: GPL-2.0
/*
 * -w: the savefile sink. Files are named and rotated as tcpdump does it
 * (-C, -G, -W) and flushed when the runs' flush policy says so, or when
 * the buffer reaches its size limit.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "sink_file.h"

struct file_sink {
	struct kd_sink s;
	struct kd_file_opts fo;
	struct kd_out_spec spec;
	struct kd_out out;
	bool open;		/* out is a file */
	bool opened;		/* a file was opened once */
	bool done;		/* -G -W: the last file is written */
	char *name;		/* the file being written */
	int wchars;		/* digits of -W numbering */
	unsigned int cfile;	/* -C file number */
	unsigned int gfiles;	/* -G files written */
	time_t gtime;		/* -G: when the file began */
};

/* FILE, FILE1, FILE2... as tcpdump names them (MakeFilename). */
static int make_name(struct file_sink *fs, unsigned int cnt, int chars)
{
	char base[4096];
	size_t len;

	if (fs->fo.rotate_secs) {
		struct tm tm;

		localtime_r(&fs->gtime, &tm);
		if (!strftime(base, sizeof(base), fs->fo.path, &tm))
			snprintf(base, sizeof(base), "%s", fs->fo.path);
	} else {
		snprintf(base, sizeof(base), "%s", fs->fo.path);
	}
	free(fs->name);
	len = strlen(base) + 16;
	fs->name = malloc(len);
	if (!fs->name) {
		cli_warn("out of memory");
		return -ENOMEM;
	}
	if (!cnt && !chars)
		snprintf(fs->name, len, "%s", base);
	else
		snprintf(fs->name, len, "%s%0*u", base, chars, cnt);
	return 0;
}

static const char *out_name(const struct file_sink *fs)
{
	return strcmp(fs->fo.path, "-") ? fs->name : "stdout";
}

static int open_file(struct file_sink *fs)
{
	char err[512];
	int ret;

	ret = kd_out_open_spec(&fs->out, fs->name, &fs->spec, err, sizeof(err));
	if (ret) {
		cli_warn("%s", err);
		return ret;
	}
	fs->open = fs->opened = true;
	fs->s.bytes = kd_out_size(&fs->out);
	kd_flush_done(&fs->s.flush);
	return 0;
}

static int close_file(struct file_sink *fs)
{
	int ret, said;

	if (!fs->open)
		return 0;
	fs->open = false;
	said = fs->out.err;	/* an error before close was reported then */
	ret = kd_out_close(&fs->out);
	if (ret && ret != -EPIPE && !said)
		cli_warn("%s: %s", out_name(fs), strerror(-ret));
	if (fs->out.unwritten) {
		fs->s.packets -= fs->out.unwritten;
		fs->s.unwritten += fs->out.unwritten;
		fs->s.write_err = ret;
	}
	fs->s.err = fs->out.err;
	fs->s.bytes = 0;
	kd_flush_done(&fs->s.flush);
	return ret;
}

/*
 * -z: "CMD FILE" for a file rotation closed, as tcpdump runs it: in a
 * child not waited for (SIGCHLD ignored reaps it), which gets the default
 * disposition back for its own children.
 */
static void postrotate(const struct file_sink *fs)
{
	pid_t pid;

	if (!fs->fo.postrotate)
		return;
	pid = fork();
	if (pid < 0) {
		cli_warn("-z: fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		signal(SIGCHLD, SIG_DFL);
		execlp(fs->fo.postrotate, fs->fo.postrotate, fs->name, (char *)NULL);
		cli_warn("-z: %s: %s", fs->fo.postrotate, strerror(errno));
		_exit(1);
	}
}

/* The next file: closes this one, names and opens that one. */
static int next_file(struct file_sink *fs, unsigned int cnt, int chars)
{
	if (close_file(fs))
		return -EIO;
	postrotate(fs);
	if (make_name(fs, cnt, chars) || open_file(fs))
		return -EIO;
	return 0;
}

/* Rotation before a packet is written, in tcpdump's order: -G, then -C. */
static int maybe_rotate(struct file_sink *fs)
{
	if (fs->fo.rotate_secs) {
		time_t now = time(NULL);

		if (now - fs->gtime >= fs->fo.rotate_secs) {
			fs->gtime = now;
			fs->gfiles++;
			if (!fs->fo.file_size && fs->fo.file_count &&
			    fs->gfiles >= fs->fo.file_count) {
				if (close_file(fs))
					return -EIO;
				postrotate(fs);
				cli_warn("maximum file limit reached: %u", fs->fo.file_count);
				fs->done = true;
				return KD_SINK_DONE;
			}
			fs->cfile = 0;
			if (next_file(fs, 0, fs->fo.file_size ? fs->wchars : 0))
				return -EIO;
		}
	}
	if (fs->fo.file_size && kd_out_size(&fs->out) > fs->fo.file_size) {
		fs->cfile++;
		if (fs->fo.file_count && fs->cfile >= fs->fo.file_count)
			fs->cfile = 0;
		if (next_file(fs, fs->cfile, fs->wchars))
			return -EIO;
	}
	return 0;
}

static int file_flush(struct kd_sink *s)
{
	struct file_sink *fs = (struct file_sink *)s;
	int ret;

	/* Nothing came for a file left to its first packet: still a valid,
	 * empty file, of Ethernet as a live capture's. */
	if (!fs->open) {
		if (fs->opened || fs->done)
			return 0;
		fs->spec.dlt = DLT_EN10MB;
		return open_file(fs);
	}
	ret = kd_out_flush(&fs->out);
	if (ret && ret != -EPIPE)
		cli_warn("%s: %s; stopping (the file holds every packet up to the last one written)",
			 out_name(fs), strerror(-ret));
	s->err = fs->out.err;
	return ret;
}

static int file_put(struct kd_sink *s, const struct kcap_packet *p)
{
	struct file_sink *fs = (struct file_sink *)s;
	int ret;

	if (fs->done)
		return KD_SINK_DONE;
	if (!fs->opened) {
		/* The file takes the link type of what is read: open it now. */
		fs->spec.dlt = p->linktype;
		if (open_file(fs))
			return -EIO;
	}
	ret = maybe_rotate(fs);
	if (ret)
		return ret;
	ret = kd_out_packet(&fs->out, p);
	if (ret) {
		cli_warn("%s", strerror(-ret));
		return ret;
	}
	s->packets++;
	if (fs->out.buf.len >= s->flush.max_bytes)
		ret = kd_sink_flush(s);
	s->bytes = kd_out_size(&fs->out);
	return ret;
}

/* Bytes written by us but not yet by the kernel's write(). */
static size_t file_pending(const struct kd_sink *s)
{
	const struct file_sink *fs = (const struct file_sink *)s;

	return fs->open ? fs->out.buf.len : 0;
}

static int file_close(struct kd_sink *s)
{
	struct file_sink *fs = (struct file_sink *)s;
	int ret = close_file(fs);

	free(fs->name);
	fs->name = NULL;
	return ret;
}

static const struct kd_sink_ops file_ops = {
	.put = file_put,
	.pending = file_pending,
	.flush = file_flush,
	.close = file_close,
};

struct kd_sink *kd_sink_file_open(const struct kd_file_opts *fo,
				  const struct kd_out_spec *spec, bool every_batch)
{
	struct file_sink *fs = calloc(1, sizeof(*fs));

	if (!fs) {
		cli_warn("out of memory");
		return NULL;
	}
	fs->s.ops = &file_ops;
	if (fo->postrotate)
		signal(SIGCHLD, SIG_IGN);
	kd_flush_init(&fs->s.flush, every_batch);
	fs->fo = *fo;
	fs->spec = *spec;
	fs->spec.fmt = fo->fmt;
	/* As tcpdump: enough digits for the largest file number. */
	for (unsigned int n = fo->file_count ? fo->file_count - 1 : 0; n; n /= 10)
		fs->wchars++;
	fs->gtime = time(NULL);
	if (make_name(fs, 0, fo->file_size ? fs->wchars : 0) ||
	    (spec->dlt >= 0 && open_file(fs))) {
		free(fs->name);
		free(fs);
		return NULL;
	}
	return &fs->s;
}
