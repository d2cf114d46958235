// SPDX-License-Identifier: GPL-2.0
/*
 * Offline reading through libpcap: pcap and pcapng, nanosecond stamps,
 * an optional filter and a count (UMPA's from_file()/from_file_loop()).
 */
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"

static int map_linktype(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
		return KCAP_DLT_EN10MB;
	case DLT_RAW:
	case 101:	/* LINKTYPE_RAW, if libpcap hands it through */
		return KCAP_DLT_RAW;
	case DLT_LINUX_SLL:
		return KCAP_DLT_LINUX_SLL;
	case 228:
		return KCAP_DLT_IPV4;
	case 229:
		return KCAP_DLT_IPV6;
	default:
		return dlt;
	}
}

int kcap_decode_file_each(const char *path, const char *filter, uint64_t count,
			  kcap_dec_cb cb, void *arg, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct bpf_program prog;
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t n = 0, seen = 0;
	pcap_t *p;
	int ret = 0, r, lt;

	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO,
						    ebuf);
	if (!p) {
		snprintf(err, errlen, "%s", ebuf);
		return -1;
	}
	if (filter && *filter) {
		if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
			snprintf(err, errlen, "filter: %s", pcap_geterr(p));
			goto err_close;
		}
		r = pcap_setfilter(p, &prog);
		pcap_freecode(&prog);
		if (r < 0) {
			snprintf(err, errlen, "filter: %s", pcap_geterr(p));
			goto err_close;
		}
	}
	lt = map_linktype(pcap_datalink(p));
	/*
	 * Packet numbers count what the filter passed, as tcpdump -r with
	 * a filter does; without a filter they are the file's ordinals.
	 */
	while ((r = pcap_next_ex(p, &h, &data)) == 1) {
		struct kcap_packet pkt = {
			.data = data,
			.caplen = h->caplen,
			.wirelen = h->len < h->caplen ? h->caplen : h->len,
			.ts_ns = (uint64_t)h->ts.tv_sec * 1000000000u +
				 (uint64_t)h->ts.tv_usec,	/* nanoseconds here */
			.number = ++seen,
			.linktype = lt,
		};

		/* Linux cooked captures say which way a packet went. */
		if (lt == KCAP_DLT_LINUX_SLL && h->caplen >= 2 && data[0] == 0)
			pkt.flags = data[1] == 4 ? KCAP_PACKET_OUTBOUND :
				    data[1] <= 3 ? KCAP_PACKET_INBOUND : 0;
		if (cb(&pkt, arg))
			break;
		if (count && ++n >= count)
			break;
	}
	if (r == -1) {
		snprintf(err, errlen, "%s: %s", path, pcap_geterr(p));
		ret = -1;
	}
	pcap_close(p);
	return ret;

err_close:
	pcap_close(p);
	return -1;
}

struct print_arg {
	const struct kcap_dec_opts *o;
	FILE *out;
};

static int print_cb(const struct kcap_packet *pkt, void *arg)
{
	struct print_arg *a = arg;

	kcap_decode_print(a->out, pkt, a->o);
	return ferror(a->out) ? 1 : 0;
}

int kcap_decode_file(const char *path, const char *filter, uint64_t count,
		     const struct kcap_dec_opts *o, FILE *out,
		     char *err, size_t errlen)
{
	struct print_arg a = { o, out };

	return kcap_decode_file_each(path, filter, count, print_cb, &a, err, errlen);
}
