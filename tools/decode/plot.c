// SPDX-License-Identifier: GPL-2.0
/*
 * Pictures of a capture with gnuplot: a TCP connection's window,
 * throughput, RTT and sequence (Stevens) graphs, as Wireshark's stream
 * graphs draw them, and the I/O graph (packets and bits per interval).
 *
 * The numbers are written first, as CSV, to OUT.dat; the gnuplot script
 * that draws them to OUT.gp; then gnuplot is run on the script. Both
 * files stay, so a picture can be restyled or its numbers checked.
 */
#include <errno.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "dec.h"

extern char **environ;

static const char *const kind_names[] = { "window", "throughput", "rtt", "seq" };

int kcap_plot_kind(const char *name)
{
	int i;

	for (i = 0; i < 4; i++)
		if (name && !strcmp(name, kind_names[i]))
			return i;
	return -1;
}

/* Binned sums: grown as time goes on, one slot per interval. */
struct bins {
	uint64_t *v;		/* [2 * i], [2 * i + 1]: the two series */
	uint64_t *pk;		/* packets (the I/O graph) */
	size_t n, cap, first;	/* first: lowest slot used */
	uint64_t base;		/* the interval slot 0 is, counted from the first packet */
	bool any;
};

#define MAX_BINS	((size_t)1 << 20)	/* intervals in one graph */

/*
 * The slot of the interval a packet falls in, intervals counted from the
 * file's first packet (as tshark's); one earlier than the first slot goes
 * in the first.
 */
static size_t bin_of(const struct bins *b, uint64_t ts, uint64_t t0, uint64_t interval)
{
	uint64_t i = ts > t0 ? (ts - t0) / interval : 0;

	i = i > b->base ? i - b->base : 0;
	return i < MAX_BINS ? (size_t)i : MAX_BINS;
}

static int bin_add(struct bins *b, size_t i, int series, uint64_t bytes)
{
	if (i >= MAX_BINS)
		return -1;	/* a million intervals: the interval is too small */
	if (i >= b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		uint64_t *v, *pk;

		while (cap <= i)
			cap *= 2;
		v = realloc(b->v, cap * 2 * sizeof(*v));
		if (!v)
			return -1;
		b->v = v;
		pk = realloc(b->pk, cap * sizeof(*pk));
		if (!pk)
			return -1;
		b->pk = pk;
		memset(b->v + 2 * b->cap, 0, (cap - b->cap) * 2 * sizeof(*v));
		memset(b->pk + b->cap, 0, (cap - b->cap) * sizeof(*pk));
		b->cap = cap;
	}
	b->v[2 * i + (size_t)series] += bytes;
	b->pk[i]++;
	if (!b->any || i < b->first)
		b->first = i;
	if (i + 1 > b->n)
		b->n = i + 1;
	b->any = true;
	return 0;
}

struct plot {
	int kind;
	struct tcp_sel sel;
	struct kcap_analysis *an;
	FILE *dat;
	const char *hdr;	/* '#' before the header line in a .dat file */
	uint64_t t0;		/* the file's first packet */
	bool have_t0, oom;
	uint64_t rows, first_ns, last_ns;
	uint64_t interval;	/* throughput; 0: decided at the end */
	uint64_t win[2];	/* window: each side's last */
	bool have_win[2];
	struct bins bins;
	/* throughput with no interval given: the rows wait in memory */
	struct { uint64_t t; uint32_t len; int dir; } *tp;
	size_t ntp, captp;
};

static void rel_secs(char *buf, size_t len, uint64_t ns, uint64_t t0)
{
	kdec_fmt_secs(buf, len, ns >= t0 ? ns - t0 : 0);
}

static int plot_cb(const struct kcap_packet *pkt, bool match, void *arg)
{
	struct plot *p = arg;
	struct kcap_dec_info I;
	struct kcap_tcp_ana r;
	char t[32];
	int dir;

	if (!p->have_t0) {
		p->have_t0 = true;
		p->t0 = pkt->ts_ns;
	}
	kcap_decode_info(pkt, &I);
	kcap_analysis_add_info(p->an, pkt, &I, &r);
	if (!match || !r.valid || !kdec_tcp_sel_match(&p->sel, &I, &r, &dir))
		return 0;
	if (!p->rows++)
		p->first_ns = pkt->ts_ns;
	p->last_ns = pkt->ts_ns;
	rel_secs(t, sizeof(t), pkt->ts_ns, p->t0);
	switch (p->kind) {
	case KCAP_PLOT_WINDOW:
		/*
		 * Each side's window holds until it advertises another: the
		 * last two columns carry it forward, for the steps of the plot.
		 */
		if (p->rows == 1)
			fprintf(p->dat, "%sframe,time,dir,window,window_a,window_b\n", p->hdr);
		if (r.bad_hlen)
			break;
		p->win[dir] = r.window;
		p->have_win[dir] = true;
		fprintf(p->dat, "%llu,%s,%d,%llu,", (unsigned long long)pkt->number, t, dir,
			(unsigned long long)r.window);
		for (int d = 0; d < 2; d++) {
			if (p->have_win[d])
				fprintf(p->dat, "%llu", (unsigned long long)p->win[d]);
			else
				fputs("NaN", p->dat);
			fputc(d ? '\n' : ',', p->dat);
		}
		break;
	case KCAP_PLOT_RTT:
		if (p->rows == 1)
			fprintf(p->dat, "%sframe,time,dir,acks_frame,rtt\n", p->hdr);
		if (r.have_rtt) {
			char rtt[48];

			kdec_fmt_ssecs(rtt, sizeof(rtt), r.ack_rtt_ns);
			fprintf(p->dat, "%llu,%s,%d,%llu,%s\n", (unsigned long long)pkt->number, t,
				dir, (unsigned long long)r.acks_frame, rtt);
		}
		break;
	case KCAP_PLOT_SEQ:
		if (p->rows == 1)
			fprintf(p->dat, "%sframe,time,dir,seq,len,nxtseq\n", p->hdr);
		fprintf(p->dat, "%llu,%s,%d,%u,%u,%u\n", (unsigned long long)pkt->number, t, dir,
			r.seq, r.seglen, r.nxtseq);
		break;
	case KCAP_PLOT_THROUGHPUT:
		if (p->interval) {
			if (p->rows == 1)
				p->bins.base = pkt->ts_ns > p->t0 ?
					       (pkt->ts_ns - p->t0) / p->interval : 0;
			if (bin_add(&p->bins, bin_of(&p->bins, pkt->ts_ns, p->t0, p->interval), dir,
				    r.seglen))
				p->oom = true;
			break;
		}
		if (p->ntp == p->captp) {
			size_t cap = p->captp ? p->captp * 2 : 256;
			void *v = realloc(p->tp, cap * sizeof(*p->tp));

			if (!v) {
				p->oom = true;
				return 1;
			}
			p->tp = v;
			p->captp = cap;
		}
		p->tp[p->ntp].t = pkt->ts_ns > p->t0 ? pkt->ts_ns - p->t0 : 0;
		p->tp[p->ntp].len = r.seglen;
		p->tp[p->ntp].dir = dir;
		p->ntp++;
		break;
	}
	return 0;
}

static void bins_write(const struct bins *b, uint64_t interval, bool io, FILE *dat,
		       const char *hdr)
{
	size_t i;
	char t[32];

	fprintf(dat, io ? "%sstart,packets,bytes,bps\n" : "%sstart,bytes_ab,bytes_ba,bps_ab,bps_ba\n",
		hdr);
	for (i = b->any ? b->first : 0; i < b->n; i++) {
		/* bits per second from bytes per interval, without overflow for sane sizes */
		double sec = (double)interval / 1e9;

		kdec_fmt_secs(t, sizeof(t), (b->base + i) * interval);
		if (io)
			fprintf(dat, "%s,%llu,%llu,%.3f\n", t, (unsigned long long)b->pk[i],
				(unsigned long long)b->v[2 * i], (double)b->v[2 * i] * 8 / sec);
		else
			fprintf(dat, "%s,%llu,%llu,%.3f,%.3f\n", t, (unsigned long long)b->v[2 * i],
				(unsigned long long)b->v[2 * i + 1], (double)b->v[2 * i] * 8 / sec,
				(double)b->v[2 * i + 1] * 8 / sec);
	}
}

/* A file name inside a gnuplot single-quoted string. */
static void gp_quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		fputc(*s, f);
	}
	fputc('\'', f);
}

static int run_gnuplot(const char *script, char *err, size_t errlen)
{
	char *argv[] = { "gnuplot", (char *)script, NULL };
	pid_t pid;
	int st, r;

	r = posix_spawnp(&pid, "gnuplot", NULL, NULL, argv, environ);
	if (r) {
		snprintf(err, errlen, "gnuplot: %s (it draws the pictures: install gnuplot-nox)",
			 strerror(r));
		return -1;
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			snprintf(err, errlen, "gnuplot: %s", strerror(errno));
			return -1;
		}
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		snprintf(err, errlen, "gnuplot failed on %s", script);
		return -1;
	}
	return 0;
}

static int write_script(const char *png, const char *dat, const char *gp, const char *title,
			const char *ylabel, const char *plots, char *err, size_t errlen)
{
	FILE *f = fopen(gp, "w");

	if (!f) {
		snprintf(err, errlen, "%s: %s", gp, strerror(errno));
		return -1;
	}
	fputs("# Written by kcapdecode; gnuplot this file to draw it again.\n"
	      "set terminal pngcairo size 1024,600 noenhanced\nset output ", f);
	gp_quoted(f, png);
	fputs("\nset datafile separator ','\ndat = ", f);
	gp_quoted(f, dat);
	fprintf(f, "\nset title \"%s\"\nset xlabel 'Time since the first packet (s)'\n"
		"set ylabel '%s'\nset grid\nset key below\nset autoscale\n%s\n",
		title, ylabel, plots);
	if (fclose(f)) {
		snprintf(err, errlen, "%s: %s", gp, strerror(errno));
		return -1;
	}
	return 0;
}

/* OUT.dat and OUT.gp next to OUT. */
static int side_names(const char *png, char **dat, char **gp)
{
	size_t n = strlen(png) + 5;

	*dat = malloc(n);
	*gp = malloc(n);
	if (!*dat || !*gp) {
		free(*dat);
		free(*gp);
		return -1;
	}
	snprintf(*dat, n, "%s.dat", png);
	snprintf(*gp, n, "%s.gp", png);
	return 0;
}

static uint64_t auto_interval(uint64_t span)
{
	uint64_t i = span / 100;

	return i < 1000000 ? 1000000 : i;	/* at least 1 ms */
}

/* What each kind of graph plots, and how its axis and title read. */
static const struct {
	const char *ylabel, *what, *plots;
} looks[] = {
	[KCAP_PLOT_WINDOW] = { "Window (bytes)", "Window size",
		"plot dat using 2:5 with steps lw 2 title 'advertised by A', \\\n"
		"     dat using 2:6 with steps lw 2 title 'advertised by B'" },
	[KCAP_PLOT_THROUGHPUT] = { "Throughput (bits/s)", NULL,	/* per its interval */
		"plot dat using 1:4 with steps lw 2 title 'A to B', \\\n"
		"     dat using 1:5 with steps lw 2 title 'B to A'" },
	[KCAP_PLOT_RTT] = { "RTT (s)", "Round trip time of ACKed segments",
		"plot dat using 2:($3==1?$5:1/0) with points pt 7 title 'A to B data, ACKed by B', \\\n"
		"     dat using 2:($3==0?$5:1/0) with points pt 7 title 'B to A data, ACKed by A'" },
	[KCAP_PLOT_SEQ] = { "Relative sequence number", "Sequence numbers (Stevens)",
		"plot dat using 2:($3==0&&$5>0?$6:1/0) with points pt 7 title 'A to B segments', \\\n"
		"     dat using 2:($3==1&&$5>0?$6:1/0) with points pt 7 title 'B to A segments'" },
};

/* The gnuplot script for p's graph, and the picture it draws. */
static int plot_script(const struct plot *p, const char *png, const char *dat,
		       const char *gp, char *err, size_t errlen)
{
	char what[64], title[200], a[64], b[64];
	int ret;

	kdec_fmt_endpoint(a, sizeof(a), p->sel.ver, p->sel.a, p->sel.pa);
	kdec_fmt_endpoint(b, sizeof(b), p->sel.ver, p->sel.b, p->sel.pb);
	if (p->kind == KCAP_PLOT_THROUGHPUT)
		snprintf(what, sizeof(what), "Throughput per %.3f s", (double)p->interval / 1e9);
	else
		snprintf(what, sizeof(what), "%s", looks[p->kind].what);
	snprintf(title, sizeof(title), "%s: A %s, B %s", what, a, b);
	ret = write_script(png, dat, gp, title, looks[p->kind].ylabel, looks[p->kind].plots,
			   err, errlen);
	return ret ? ret : run_gnuplot(gp, err, errlen);
}

int kcap_plot_file(const char *path, const char *filter, int kind, const char *spec,
		   uint64_t interval_ns, const char *png, FILE *csv, char *err, size_t errlen)
{
	struct plot p = { .kind = kind, .interval = interval_ns, .hdr = png ? "# " : "" };
	char *dat = NULL, *gp = NULL;
	bool opened;
	int ret;
	size_t i;

	if (kind < 0 || kind > KCAP_PLOT_SEQ) {
		snprintf(err, errlen, "--plot: unknown kind");
		return -1;
	}
	if (kdec_tcp_sel_parse(&p.sel, spec)) {
		snprintf(err, errlen, "--plot: '%s' is not ADDR:PORT-ADDR:PORT or a stream number",
			 spec ? spec : "");
		return -1;
	}
	p.an = kcap_analysis_new();
	if (!p.an) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p.dat = csv;
	if (png) {
		if (side_names(png, &dat, &gp)) {
			snprintf(err, errlen, "out of memory");
			ret = -1;
			goto out;
		}
		p.dat = fopen(dat, "w");
		if (!p.dat) {
			snprintf(err, errlen, "%s: %s", dat, strerror(errno));
			ret = -1;
			goto out;
		}
	}
	ret = kcap_decode_file_scan(path, filter, 0, plot_cb, &p, &opened, err, errlen);
	if (!opened)
		goto out;
	if (kind == KCAP_PLOT_THROUGHPUT) {
		if (!p.interval)
			p.interval = auto_interval(p.last_ns - p.first_ns);
		if (p.ntp)
			p.bins.base = p.tp[0].t / p.interval;
		for (i = 0; i < p.ntp; i++)
			if (bin_add(&p.bins, bin_of(&p.bins, p.tp[i].t, 0, p.interval), p.tp[i].dir,
				    p.tp[i].len))
				p.oom = true;
		if (p.rows)
			bins_write(&p.bins, p.interval, false, p.dat, p.hdr);
	}
	if (!ret && p.oom) {
		snprintf(err, errlen, "--interval too small for this connection's time span "
			 "(a million intervals at most), or out of memory");
		ret = -1;
	}
	if (!ret && !p.rows) {
		snprintf(err, errlen, "--plot: no packets of %s", spec);
		ret = -1;
	}
	if (ret || !png)
		goto out;
	if (fclose(p.dat)) {
		p.dat = NULL;
		snprintf(err, errlen, "%s: %s", dat, strerror(errno));
		ret = -1;
		goto out;
	}
	p.dat = NULL;
	ret = plot_script(&p, png, dat, gp, err, errlen);
out:
	if (png && p.dat)
		fclose(p.dat);
	free(dat);
	free(gp);
	free(p.tp);
	free(p.bins.v);
	free(p.bins.pk);
	kcap_analysis_free(p.an);
	return ret;
}

/* ---- the I/O graph ---- */

struct io {
	uint64_t interval, t0;
	bool have_t0, oom;
	struct bins bins;
};

static int io_cb(const struct kcap_packet *pkt, bool match, void *arg)
{
	struct io *x = arg;

	if (!x->have_t0) {
		x->have_t0 = true;
		x->t0 = pkt->ts_ns;
	}
	if (!match)
		return 0;
	if (bin_add(&x->bins, bin_of(&x->bins, pkt->ts_ns, x->t0, x->interval), 0,
		    pkt->wirelen)) {
		x->oom = true;
		return 1;
	}
	return 0;
}

int kcap_io_graph_file(const char *path, const char *filter, uint64_t interval_ns,
		       const char *png, FILE *csv, char *err, size_t errlen)
{
	struct io x = { .interval = interval_ns };
	char *dat = NULL, *gp = NULL, title[80];
	FILE *f = csv;
	bool opened;
	int ret;

	if (!interval_ns) {
		snprintf(err, errlen, "--io-graph: the interval must be positive");
		return -1;
	}
	ret = kcap_decode_file_scan(path, filter, 0, io_cb, &x, &opened, err, errlen);
	if (!ret && x.oom) {
		snprintf(err, errlen, "--io-graph: interval too small for this file's time span "
			 "(a million intervals at most), or out of memory");
		ret = -1;
	}
	if (!opened || (ret && !x.bins.any))
		goto out;
	x.bins.first = 0;	/* the I/O graph starts at the file's first packet */
	if (png) {
		if (side_names(png, &dat, &gp)) {
			snprintf(err, errlen, "out of memory");
			ret = -1;
			goto out;
		}
		f = fopen(dat, "w");
		if (!f) {
			snprintf(err, errlen, "%s: %s", dat, strerror(errno));
			ret = -1;
			goto out;
		}
	}
	bins_write(&x.bins, x.interval, true, f, png ? "# " : "");
	if (png) {
		if (fclose(f)) {
			snprintf(err, errlen, "%s: %s", dat, strerror(errno));
			ret = -1;
			goto out;
		}
		if (ret)
			goto out;
		snprintf(title, sizeof(title), "I/O graph, %.3f s intervals",
			 (double)interval_ns / 1e9);
		ret = write_script(png, dat, gp, title, "Packets per interval",
				   "set y2label 'Bits per second'\nset ytics nomirror\nset y2tics\n"
				   "plot dat using 1:2 with steps lw 2 title 'packets', \\\n"
				   "     dat using 1:4 axes x1y2 with steps lw 2 title 'bits/s'",
				   err, errlen);
		if (!ret)
			ret = run_gnuplot(gp, err, errlen);
	}
out:
	free(dat);
	free(gp);
	free(x.bins.v);
	free(x.bins.pk);
	return ret;
}
