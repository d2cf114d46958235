// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Savefiles through libpcap: a handle that reads one as kcap_next() reads
 * a ring, and a dumper that writes packets as pcap_dump() does, with their
 * nanoseconds.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libkcap_int.h"

struct kcap_dumper {
	pcap_t *dead;
	pcap_dumper_t *d;
};

struct kcap *kcap_open_offline(const char *path, char *errbuf)
{
	char pe[PCAP_ERRBUF_SIZE];
	struct kcap *k;

	if (!path || !*path) {
		if (errbuf)
			snprintf(errbuf, KCAP_ERRBUF_SIZE, "open: no file given");
		return NULL;
	}
	k = kcap_new();
	if (!k) {
		if (errbuf)
			snprintf(errbuf, KCAP_ERRBUF_SIZE, "open: out of memory");
		return NULL;
	}
	k->pcap = pcap_open_offline_with_tstamp_precision(path,
							  PCAP_TSTAMP_PRECISION_NANO, pe);
	if (!k->pcap) {
		if (errbuf)
			snprintf(errbuf, KCAP_ERRBUF_SIZE, "%s", pe);
		kcap_close(k);
		return NULL;
	}
	k->linktype = pcap_datalink(k->pcap);
	k->snaplen = (uint32_t)pcap_snapshot(k->pcap);
	return k;
}

int kcap_offline_next(struct kcap *k, const struct kcap_packet **pkt)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int ret;

	if (k->brk) {
		k->brk = 0;
		return -EINTR;
	}
	ret = pcap_next_ex(k->pcap, &h, &data);
	if (ret == PCAP_ERROR_BREAK)
		return kcap_err(k, -ENODATA, "end of file");
	if (ret != 1)
		return kcap_err(k, -EBADMSG, "%s", pcap_geterr(k->pcap));
	k->pkt.data = data;
	k->pkt.caplen = h->caplen;
	k->pkt.wirelen = h->len < h->caplen ? h->caplen : h->len;
	k->pkt.ts_ns = (uint64_t)h->ts.tv_sec * 1000000000 + (uint64_t)h->ts.tv_usec;
	k->pkt.ifindex = 0;
	k->pkt.ifname = NULL;
	k->pkt.linktype = k->linktype;
	k->pkt.flags = h->caplen < h->len ? KCAP_PACKET_TRUNCATED : 0;
	k->pkt.number++;
	*pkt = &k->pkt;
	return 1;
}

struct kcap_dumper *kcap_dump_open(struct kcap *k, const char *path)
{
	struct kcap_dumper *d;

	if (!path || !*path) {
		kcap_err(k, -EINVAL, "dump: no file given");
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		kcap_err(k, -ENOMEM, "dump: out of memory");
		return NULL;
	}
	d->dead = pcap_open_dead_with_tstamp_precision(kcap_datalink(k), kcap_snapshot(k),
						       PCAP_TSTAMP_PRECISION_NANO);
	if (!d->dead) {
		kcap_err(k, -ENOMEM, "dump: out of memory");
		free(d);
		return NULL;
	}
	d->d = pcap_dump_open(d->dead, path);
	if (!d->d) {
		kcap_err(k, -EIO, "dump: %s", pcap_geterr(d->dead));
		pcap_close(d->dead);
		free(d);
		return NULL;
	}
	return d;
}

void kcap_dump(struct kcap_dumper *d, const struct kcap_packet *pkt)
{
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(pkt->ts_ns / 1000000000);
	h.ts.tv_usec = (suseconds_t)(pkt->ts_ns % 1000000000);	/* nanoseconds */
	h.caplen = pkt->caplen;
	h.len = pkt->wirelen < pkt->caplen ? pkt->caplen : pkt->wirelen;
	pcap_dump((u_char *)d->d, &h, pkt->data);
}

int kcap_dump_flush(struct kcap_dumper *d)
{
	return pcap_dump_flush(d->d) ? -EIO : 0;
}

int kcap_dump_close(struct kcap_dumper *d)
{
	int err;

	if (!d)
		return 0;
	err = kcap_dump_flush(d);
	if (ferror(pcap_dump_file(d->d)))
		err = -EIO;
	pcap_dump_close(d->d);
	pcap_close(d->dead);
	free(d);
	return err;
}
