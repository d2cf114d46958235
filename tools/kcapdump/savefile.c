// SPDX-License-Identifier: GPL-2.0
/*
 * Savefiles: pcap through libpcap, pcapng through pcapng.c; both collect
 * whole records in a buffer that kd_out_flush() writes out.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "savefile.h"

/* libpcap's fwrite()s land here, in order, whole records at a time. */
static ssize_t cookie_write(void *cookie, const char *p, size_t len)
{
	struct kd_out *o = cookie;

	if (kd_buf_put(&o->buf, p, len)) {
		o->err = -ENOMEM;
		errno = ENOMEM;
		return -1;
	}
	return len;
}

static int cookie_close(void *cookie)
{
	(void)cookie;
	return 0;
}

/* Remembers that a record (or the file header) ends here in buf. */
static int mark_record_end(struct kd_out *o)
{
	if (o->nends == o->ends_cap) {
		size_t cap = o->ends_cap ? o->ends_cap * 2 : 256;
		size_t *ends = realloc(o->ends, cap * sizeof(*ends));

		if (!ends)
			return -ENOMEM;
		o->ends = ends;
		o->ends_cap = cap;
	}
	o->ends[o->nends++] = o->buf.len;
	return 0;
}

static int open_pcap(struct kd_out *o, char *err, size_t errlen)
{
	cookie_io_functions_t io = { .write = cookie_write, .close = cookie_close };
	FILE *fp;

	o->dead = pcap_open_dead_with_tstamp_precision(o->dlt, o->snaplen,
						       PCAP_TSTAMP_PRECISION_NANO);
	if (!o->dead) {
		snprintf(err, errlen, "pcap_open_dead: out of memory");
		return -ENOMEM;
	}
	fp = fopencookie(o, "w", io);
	if (!fp || setvbuf(fp, NULL, _IONBF, 0)) {
		snprintf(err, errlen, "fopencookie: %s", strerror(errno));
		if (fp)
			fclose(fp);
		goto err_close_dead;
	}
	o->dumper = pcap_dump_fopen(o->dead, fp);
	if (!o->dumper) {
		snprintf(err, errlen, "pcap_dump_fopen: %s", pcap_geterr(o->dead));
		fclose(fp);
		goto err_close_dead;
	}
	return 0;

err_close_dead:
	pcap_close(o->dead);
	o->dead = NULL;
	return -EIO;
}

static int ng_ifid(struct kd_out *o, int ifindex, const char *ifname, uint32_t *id)
{
	bool added;

	return kd_ng_ifid(&o->ifs, &o->buf, ifindex, ifname, o->dlt, o->snaplen,
			  id, &added);
}

/* The header and a block per known device: one record, one write. */
static int open_pcapng(struct kd_out *o, const struct kd_out_spec *spec)
{
	uint32_t id;
	int err;

	err = kd_ng_shb(&o->buf, "kcapdump");
	if (!err && !spec->nifs)
		err = ng_ifid(o, 0, "", &id);
	for (unsigned int i = 0; !err && i < spec->nifs; i++)
		err = ng_ifid(o, spec->ifindex[i], NULL, &id);
	return err;
}

int kd_out_open(struct kd_out *o, const char *path, enum kd_format fmt,
		uint32_t snaplen, char *err, size_t errlen)
{
	struct kd_out_spec spec = { .fmt = fmt, .dlt = DLT_EN10MB, .snaplen = snaplen };

	return kd_out_open_spec(o, path, &spec, err, errlen);
}

int kd_out_open_spec(struct kd_out *o, const char *path,
		     const struct kd_out_spec *spec, char *err, size_t errlen)
{
	struct stat st;
	int ret;

	memset(o, 0, sizeof(*o));
	o->fmt = spec->fmt;
	o->dlt = spec->dlt;
	o->snaplen = spec->snaplen ? spec->snaplen : KCAP_SNAPLEN_MAX;
	if (!strcmp(path, "-")) {
		o->fd = STDOUT_FILENO;
		o->is_stdout = true;
	} else {
		o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (o->fd < 0) {
			ret = -errno;
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return ret;
		}
	}
	o->regular = !fstat(o->fd, &st) && S_ISREG(st.st_mode);

	if (o->fmt == KD_PCAP)
		ret = open_pcap(o, err, errlen);
	else
		ret = open_pcapng(o, spec);
	if (!ret)
		ret = mark_record_end(o);
	if (ret) {
		if (ret == -ENOMEM)
			snprintf(err, errlen, "out of memory");
		goto err_close;
	}
	/* The header goes out now: even an empty capture is a valid file. */
	ret = kd_out_flush(o);
	if (ret) {
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		kd_out_close(o);
		return ret;
	}
	return 0;

err_close:
	if (!o->is_stdout)
		close(o->fd);
	free(o->buf.p);
	free(o->ifs.v);
	free(o->ends);
	return ret;
}

int kd_out_packet(struct kd_out *o, const struct kcap_packet *p)
{
	uint32_t caplen = p->caplen < o->snaplen ? p->caplen : o->snaplen;
	uint32_t ifid;
	int err;

	if (o->err)
		return o->err;
	if (o->fmt == KD_PCAP) {
		struct pcap_pkthdr ph = {
			.ts.tv_sec = p->ts_ns / 1000000000ULL,
			/* nanoseconds: the dumper is nanosecond precision */
			.ts.tv_usec = p->ts_ns % 1000000000ULL,
			.caplen = caplen,
			.len = p->wirelen,
		};

		pcap_dump((u_char *)o->dumper, &ph, p->data);
		err = o->err;
	} else {
		err = ng_ifid(o, p->ifindex, p->ifname, &ifid) ?:
		      kd_ng_epb(&o->buf, ifid, p, caplen);
	}
	if (!err)
		err = mark_record_end(o);
	if (err)
		return o->err = err;
	o->packets++;
	return 0;
}

/*
 * After a short write: the file keeps the records that made it whole.
 * Returns how many records that is.
 */
static size_t cut_to_last_record(struct kd_out *o, size_t done)
{
	size_t keep = 0, i;

	for (i = 0; i < o->nends && o->ends[i] <= done; i++)
		keep = o->ends[i];
	if (ftruncate(o->fd, o->committed + keep))
		return 0;
	o->committed += keep;
	lseek(o->fd, o->committed, SEEK_SET);
	return i;
}

int kd_out_flush(struct kd_out *o)
{
	size_t done = 0;
	ssize_t n;

	if (o->err)
		return o->err;
	while (done < o->buf.len) {
		n = write(o->fd, o->buf.p + done, o->buf.len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			size_t kept = 0;

			o->err = n < 0 ? -errno : -EIO;
			if (o->regular && done)
				kept = cut_to_last_record(o, done);
			/* After open, each record in buf is one packet. */
			o->unwritten = o->nends - kept;
			return o->err;
		}
		done += n;
	}
	o->committed += done;
	o->buf.len = 0;
	o->nends = 0;
	return 0;
}

uint64_t kd_out_size(const struct kd_out *o)
{
	return o->committed + o->buf.len;
}

int kd_out_close(struct kd_out *o)
{
	int err;

	if (o->dumper) {
		pcap_dump_close(o->dumper);	/* fclose()s the cookie */
		o->dumper = NULL;
	}
	if (o->dead) {
		pcap_close(o->dead);
		o->dead = NULL;
	}
	err = kd_out_flush(o);
	if (!o->is_stdout && close(o->fd) && !err)
		err = -errno;
	free(o->buf.p);
	free(o->ifs.v);
	free(o->ends);
	o->buf.p = NULL;
	o->ifs.v = NULL;
	o->ifs.n = 0;
	o->ends = NULL;
	return err;
}
