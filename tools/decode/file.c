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

/*
 * A classic pcap record's seconds and sub-second fields are unsigned 32-bit
 * numbers, but libpcap copies them into the signed 32-bit members of its
 * on-disk header and from there into struct timeval: from 2038 to 2106
 * the seconds arrive negative, and a sub-second field with its top bit set
 * arrives negative too (times 1000 if the file counts microseconds).
 * pcapng's 64-bit stamps never arrive negative. So: seconds that went
 * negative are taken back modulo 2^32, and a sub-second value outside
 * 0..999999999 (which only a damaged file has) is held at the end of its
 * second, as tcpdump prints it within its second: it never moves a packet
 * into another second.
 */
uint64_t kcap_pcap_ts_ns(int64_t sec, int64_t nsec)
{
	uint64_t s;

	if (sec < 0 && sec >= INT32_MIN)
		s = (uint64_t)(sec + 4294967296LL);
	else if (sec < 0)
		s = 0;
	else
		s = (uint64_t)sec;
	if (nsec < 0 || nsec > 999999999)
		nsec = 999999999;
	return s * 1000000000u + (uint64_t)nsec;
}

int kcap_decode_file_scan(const char *path, const char *filter, uint64_t count,
			  kcap_dec_scan_cb cb, void *arg, bool *opened,
			  char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct bpf_program prog;
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t n = 0, seen = 0;
	bool have_prog = false;
	pcap_t *p;
	int ret = 0, r, lt;

	if (opened)
		*opened = false;
	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO,
						    ebuf);
	if (!p) {
		snprintf(err, errlen, "%s", ebuf);
		return -1;
	}
	if (filter && *filter) {
		if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
			snprintf(err, errlen, "filter: %s", pcap_geterr(p));
			pcap_close(p);
			return -1;
		}
		have_prog = true;
	}
	if (opened)
		*opened = true;
	lt = map_linktype(pcap_datalink(p));
	/*
	 * The filter is applied here rather than inside libpcap so that every
	 * record is seen: packet numbers are the file's ordinals, as tshark's
	 * frame.number, and the TCP analysis sees the packets a filter hides.
	 */
	while ((r = pcap_next_ex(p, &h, &data)) == 1) {
		struct kcap_packet pkt = {
			.data = data,
			.caplen = h->caplen,
			.wirelen = h->len < h->caplen ? h->caplen : h->len,
			.ts_ns = kcap_pcap_ts_ns(h->ts.tv_sec, h->ts.tv_usec),
			.number = ++seen,
			.linktype = lt,
		};
		bool match = !have_prog || pcap_offline_filter(&prog, h, data);

		/* Linux cooked captures say which way a packet went. */
		if (lt == KCAP_DLT_LINUX_SLL && h->caplen >= 2 && data[0] == 0)
			pkt.flags = data[1] == 4 ? KCAP_PACKET_OUTBOUND :
				    data[1] <= 3 ? KCAP_PACKET_INBOUND : 0;
		else if (lt == KCAP_DLT_LINUX_SLL2 && h->caplen >= 11)
			pkt.flags = data[10] == 4 ? KCAP_PACKET_OUTBOUND :
				    data[10] <= 3 ? KCAP_PACKET_INBOUND : 0;
		if (cb(&pkt, match, arg))
			break;
		if (match && count && ++n >= count)
			break;
	}
	if (r == -1) {
		snprintf(err, errlen, "%s: %s", path, pcap_geterr(p));
		ret = -1;
	}
	if (have_prog)
		pcap_freecode(&prog);
	pcap_close(p);
	return ret;
}

struct each_arg {
	kcap_dec_cb cb;
	void *arg;
};

static int each_cb(const struct kcap_packet *pkt, bool match, void *arg)
{
	struct each_arg *a = arg;

	return match ? a->cb(pkt, a->arg) : 0;
}

int kcap_decode_file_each(const char *path, const char *filter, uint64_t count,
			  kcap_dec_cb cb, void *arg, char *err, size_t errlen)
{
	struct each_arg a = { cb, arg };

	return kcap_decode_file_scan(path, filter, count, each_cb, &a, NULL,
				     err, errlen);
}

struct print_arg {
	const struct kcap_dec_opts *o;
	FILE *out;
	struct kcap_analysis *an;
};

static int print_cb(const struct kcap_packet *pkt, bool match, void *arg)
{
	struct print_arg *a = arg;
	struct kcap_tcp_ana r;

	if (a->an) {
		/* Analysis sees every packet, as tshark's with -Y. */
		kcap_analysis_add(a->an, pkt, &r);
		if (match)
			kcap_decode_print_ana(a->out, pkt, a->o, &r);
	} else if (match) {
		kcap_decode_print(a->out, pkt, a->o);
	}
	return ferror(a->out) ? 1 : 0;
}

int kcap_decode_file(const char *path, const char *filter, uint64_t count,
		     const struct kcap_dec_opts *o, FILE *out,
		     char *err, size_t errlen)
{
	struct print_arg a = { o, out, NULL };
	int ret;

	if (o && o->analyze) {
		a.an = kcap_analysis_new();
		if (!a.an) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	ret = kcap_decode_file_scan(path, filter, count, print_cb, &a, NULL,
				    err, errlen);
	kcap_analysis_free(a.an);
	return ret;
}
