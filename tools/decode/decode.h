/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libkcapdecode: packet decoders, offline reading and TCP analysis.
 *
 * One call prints one packet in the form the options ask for:
 *
 *   tree (default)   a decoded tree in UMPA's manner, one protocol layer
 *                    after another, every field with its name, value and
 *                    (where useful) meaning, flag bits one per line;
 *   oneline          one line per packet, as tcpdump -q -nn;
 *   json             one JSON object per packet, one line each;
 *   hex              adds a hex dump (offset, 16 bytes, ASCII) of the
 *                    captured bytes to either of the text forms;
 *   lines            what tcpdump prints, with its flags (kcap_lines_*
 *                    below): a printer with state, set in the options.
 *
 * Every packet byte is read through the bounds-checked accessors of
 * cursor.h (tcpdump's lines through line.h's, which end a cut packet's
 * line as tcpdump does, with " [|proto]"). A packet cut anywhere (caplen < what its headers promise) is
 * printed up to where it ends followed by "[truncated]"; a header that
 * contradicts itself (IHL < 5, an option running past its header, ...) by
 * "[malformed: reason]". Nothing is read past data + caplen.
 *
 * Trees and JSON print times in UTC so output does not depend on the
 * reader's TZ; tcpdump's lines print local time, as tcpdump does.
 * The library is not thread-safe per FILE; it keeps no global state apart
 * from read-only tables.
 */
#ifndef KCAP_DECODE_H
#define KCAP_DECODE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kcap_packet.h"

struct kcap_lines;

struct kcap_dec_opts {
	int verbose_tree;	/* tree output (the default if nothing else) */
	int oneline;		/* one line per packet (-q) */
	int hex;		/* add a hex dump (-x) */
	int json;		/* one JSON object per packet (-T json) */
	int no_payload;		/* tree/json: leave out the payload preview */
	uint32_t preview;	/* payload preview bytes; 0 means 64 */
	struct kcap_lines *lines;	/* tcpdump's lines (the rest is ignored) */
	int analyze;		/* add the TCP analysis (kcap_decode_file) */
};

/* Print one packet to out as o asks (o may be NULL: a tree). */
void kcap_decode_print(FILE *out, const struct kcap_packet *pkt,
		       const struct kcap_dec_opts *o);

/*
 * tcpdump's lines: what tcpdump 4.99 prints for each packet, with its flags,
 * byte for byte (Ethernet, 802.1Q, Linux cooked v1 and v2, raw IP; ARP,
 * IPv4, IPv6 and their extension headers, TCP, UDP, ICMP, ICMPv6, IGMP,
 * and the first line of HTTP, FTP, SMTP, RTSP and SSH). A printer keeps
 * what tcpdump keeps between packets: each TCP connection's initial
 * sequence numbers (for relative ones), the previous packet's time (-ttt),
 * the names it looked up. Times are local time, as tcpdump prints them.
 */
struct kcap_lines_opts {
	uint8_t vflag;		/* -v, -vv, -vvv: 1, 2, 3 */
	uint8_t nflag;		/* -n: no host, port or MAC names (as -nn) */
	uint8_t Nflag;		/* -N: host names without their domain */
	uint8_t eflag;		/* -e: the link-layer header */
	uint8_t qflag;		/* -q: less protocol detail */
	uint8_t tflag;		/* -t 1 (none), -tt 2 (epoch), -ttt 3 (delta),
				 * -tttt 4 (date), -ttttt 5 (since first) */
	uint8_t xflag;		/* -x 1, -xx 2 (with the link header): hex */
	uint8_t Xflag;		/* -X 1, -XX 2: hex and ASCII */
	uint8_t Aflag;		/* -A 1, -AA 2: ASCII */
	uint8_t Sflag;		/* -S: absolute TCP sequence numbers */
	uint8_t Kflag;		/* -K: do not verify checksums */
	uint8_t nano;		/* --time-stamp-precision=nano */
	uint8_t number;		/* -#: packet numbers */
};

/* NULL when out of memory. Names are looked up only without -n. */
struct kcap_lines *kcap_lines_new(const struct kcap_lines_opts *o);
void kcap_lines_print(struct kcap_lines *l, FILE *out,
		      const struct kcap_packet *pkt);
void kcap_lines_free(struct kcap_lines *l);

/*
 * The facts the one-line printer and the TCP analysis work from, filled
 * by one decoding pass that prints nothing. Fields a packet does not have
 * (or did not capture) are left zero and their have_* flag false.
 */
#define KCAP_TCP_FIN	0x01
#define KCAP_TCP_SYN	0x02
#define KCAP_TCP_RST	0x04
#define KCAP_TCP_PSH	0x08
#define KCAP_TCP_ACK	0x10
#define KCAP_TCP_URG	0x20
#define KCAP_TCP_ECE	0x40
#define KCAP_TCP_CWR	0x80

struct kcap_dec_info {
	uint16_t vlan[2];	/* outermost first */
	uint8_t nvlan;
	uint16_t ethertype;	/* innermost */
	uint8_t ipver;		/* 0, 4 or 6 */
	uint8_t src[16], dst[16];	/* v4 in the first 4 bytes */
	uint8_t l4proto;	/* IP protocol of the (last) next header */
	bool have_l4;		/* l4proto is known */
	bool fragment;		/* not the first fragment, or a first with MF */
	uint32_t frag_off;	/* in bytes */
	bool have_ports;
	uint16_t sport, dport;
	bool have_tcp;		/* the fixed TCP header was captured */
	uint32_t seq, ack;
	uint8_t tcp_flags;	/* KCAP_TCP_* */
	uint16_t window;	/* unscaled, as on the wire */
	int wscale;		/* window scale option, -1 if absent */
	uint32_t paylen;	/* L4 payload length by the headers' lengths */
	bool have_icmp;
	uint8_t icmp_type, icmp_code;
	bool have_arp;
	uint16_t arp_op;
	uint8_t arp_sha[6], arp_spa[4], arp_tpa[4];
	bool truncated;		/* some header was cut short */
	const char *malformed;	/* reason, or NULL */
	/* Added for the analysis and the exports (see the end of this file). */
	uint8_t encap;		/* tunnels decoded through to reach ipver/l4 */
	bool have_ipid;
	uint32_t ipid;		/* IPv4 identification */
	uint32_t payoff;	/* L4 payload: its offset in pkt->data ... */
	uint32_t paycap;	/* ... and how much of it was captured */
	uint8_t tcp_hlen;	/* TCP data offset in bytes */
	bool tcp_short;		/* the data offset runs past the segment */
	bool l4_bogus;		/* TCP offset < 5, a UDP length that cannot be */
};

void kcap_decode_info(const struct kcap_packet *pkt, struct kcap_dec_info *info);

/*
 * Offline reading through libpcap (pcap and pcapng, nanosecond stamps).
 * filter is a pcap filter expression or NULL; count 0 means all packets.
 * Returns 0, or -1 with a message in err.
 */
int kcap_decode_file(const char *path, const char *filter, uint64_t count,
		     const struct kcap_dec_opts *o, FILE *out,
		     char *err, size_t errlen);

/* The callback form the others are built on; cb returns non-zero to stop. */
typedef int (*kcap_dec_cb)(const struct kcap_packet *pkt, void *arg);
int kcap_decode_file_each(const char *path, const char *filter, uint64_t count,
			  kcap_dec_cb cb, void *arg, char *err, size_t errlen);

/*
 * TCP conversations (IPv4 and IPv6): feed packets in capture order, then
 * print one block per connection in order of first appearance.
 */
struct kcap_conv_table;
struct kcap_conv_table *kcap_conv_new(void);
void kcap_conv_add(struct kcap_conv_table *t, const struct kcap_packet *pkt);
void kcap_conv_print(const struct kcap_conv_table *t, FILE *out);
void kcap_conv_free(struct kcap_conv_table *t);
int kcap_conversations_file(const char *path, const char *filter, FILE *out,
			    char *err, size_t errlen);

/*
 * Follow one connection, "A:PORT-B:PORT" (IPv6 as "[addr]:port"); lines
 * for packets from A start with "-->", from B with "<--" (right-aligned),
 * as the pcap-analysis blog prints them. Relative seq/ack are counted from
 * each side's first sequence number; the window is scaled only when both
 * SYNs carried the window scale option.
 */
struct kcap_follow;
struct kcap_follow *kcap_follow_new(const char *spec, char *err, size_t errlen);
void kcap_follow_add(struct kcap_follow *f, const struct kcap_packet *pkt,
		     FILE *out);
void kcap_follow_end(struct kcap_follow *f, const char *name, FILE *out);
void kcap_follow_free(struct kcap_follow *f);
int kcap_follow_file(const char *path, const char *filter, const char *spec,
		     FILE *out, char *err, size_t errlen);

/* ------------------------------------------------------------------------
 * Link types, TCP analysis, exports, plots, two-capture comparison.
 */

/*
 * Classic pcap's 32-bit seconds and sub-second fields as libpcap hands
 * them over (sign-extended) to nanoseconds since the epoch: see file.c.
 */
uint64_t kcap_pcap_ts_ns(int64_t sec, int64_t nsec);

/*
 * Every record of a file in order; match says whether it passed the
 * filter. count counts matches. *opened (may be NULL) tells a file that
 * could not be read at all from one that ended in a damaged record: the
 * return is -1 for both, with the message in err.
 */
typedef int (*kcap_dec_scan_cb)(const struct kcap_packet *pkt, bool match, void *arg);
int kcap_decode_file_scan(const char *path, const char *filter, uint64_t count,
			  kcap_dec_scan_cb cb, void *arg, bool *opened,
			  char *err, size_t errlen);

/*
 * TCP sequence analysis with Wireshark's rules (tcp.analysis.*): feed
 * every packet in capture order; each TCP segment gets its stream index
 * (tcp.stream), relative numbers, calculated window and expert flags.
 */
#define KCAP_TA_RETRANSMISSION	0x0001	/* tcp.analysis.retransmission */
#define KCAP_TA_FAST_RETRANS	0x0002	/* ...fast_retransmission */
#define KCAP_TA_SPURIOUS_RETRANS 0x0004	/* ...spurious_retransmission */
#define KCAP_TA_OUT_OF_ORDER	0x0008	/* ...out_of_order */
#define KCAP_TA_LOST_SEGMENT	0x0010	/* ...lost_segment */
#define KCAP_TA_ACK_LOST_SEGMENT 0x0020	/* ...ack_lost_segment */
#define KCAP_TA_DUPLICATE_ACK	0x0040	/* ...duplicate_ack */
#define KCAP_TA_ZERO_WINDOW	0x0080	/* ...zero_window */
#define KCAP_TA_ZERO_WINDOW_PROBE 0x0100	/* ...zero_window_probe */
#define KCAP_TA_ZERO_WINDOW_PROBE_ACK 0x0200	/* ...zero_window_probe_ack */
#define KCAP_TA_WINDOW_FULL	0x0400	/* ...window_full */
#define KCAP_TA_WINDOW_UPDATE	0x0800	/* ...window_update */
#define KCAP_TA_KEEP_ALIVE	0x1000	/* ...keep_alive */
#define KCAP_TA_KEEP_ALIVE_ACK	0x2000	/* ...keep_alive_ack */
#define KCAP_TA_REUSED_PORTS	0x4000	/* ...reused_ports */
#define KCAP_TA_NFLAGS		15

struct kcap_tcp_ana {
	bool valid;		/* a TCP segment that was analysed */
	uint32_t stream;	/* tcp.stream, from 0 */
	int dir;		/* 0: sent by the stream's first sender */
	uint32_t flags;		/* KCAP_TA_* */
	uint32_t seq, ack, nxtseq;	/* relative, as tcp.seq/ack/nxtseq */
	uint32_t seglen;	/* tcp.len */
	uint64_t window;	/* tcp.window_size (scaled when known) */
	int win_scale;		/* shift; -1 unknown, -2 not used */
	uint32_t dupack_num;	/* tcp.analysis.duplicate_ack_num, or 0 */
	uint64_t dupack_frame;
	uint64_t acks_frame;	/* tcp.analysis.acks_frame, or 0 */
	int64_t ack_rtt_ns;	/* tcp.analysis.ack_rtt, when have_rtt */
	bool have_rtt;
	int64_t irtt_ns;	/* tcp.analysis.initial_rtt where tshark shows it */
	int64_t rto_ns;		/* tcp.analysis.rto, for a retransmission */
	uint64_t rto_frame;
	bool bad_hlen;		/* data offset < 5: no ack, window or nxtseq */
};

struct kcap_analysis;
struct kcap_analysis *kcap_analysis_new(void);
void kcap_analysis_add(struct kcap_analysis *a, const struct kcap_packet *pkt,
		       struct kcap_tcp_ana *r);
/* The same from a kcap_decode_info() the caller already has. */
void kcap_analysis_add_info(struct kcap_analysis *a, const struct kcap_packet *pkt,
			    const struct kcap_dec_info *info, struct kcap_tcp_ana *r);
void kcap_analysis_free(struct kcap_analysis *a);
/* Short names (tshark's field suffixes) and tshark's Info column text. */
const char *kcap_ta_flag_name(uint32_t flag);
const char *kcap_ta_flag_text(uint32_t flag);
/* "[TCP Dup ACK 7#1] [TCP ZeroWindow]": tshark's Info prefix; "" if none. */
void kcap_ta_summary(char *buf, size_t len, const struct kcap_tcp_ana *r);

/* A packet as kcap_decode_print() prints it, with its analysis (r may be NULL). */
void kcap_decode_print_ana(FILE *out, const struct kcap_packet *pkt,
			   const struct kcap_dec_opts *o, const struct kcap_tcp_ana *r);

/* Output formats of the tables below. */
enum kcap_fmt { KCAP_FMT_TEXT = 0, KCAP_FMT_JSON, KCAP_FMT_CSV };

/*
 * Expert information (tshark -z expert): every analysis event, one per
 * line, then counts per kind.
 */
int kcap_expert_file(const char *path, const char *filter, int fmt, FILE *out,
		     char *err, size_t errlen);

/*
 * Conversations in any of the formats, TCP (one per tcp.stream) then UDP;
 * endpoints (IPv4, IPv6, TCP and UDP ports) from the same table. A table
 * fed with kcap_conv_add_scan() sees every packet (for tcp.stream) and
 * counts those that match.
 */
void kcap_conv_add_scan(struct kcap_conv_table *t, const struct kcap_packet *pkt,
			bool match);
void kcap_conv_print_fmt(const struct kcap_conv_table *t, int fmt, FILE *out);
void kcap_endpoints_print(const struct kcap_conv_table *t, int fmt, FILE *out);
int kcap_conversations_file_fmt(const char *path, const char *filter, int fmt, FILE *out,
				char *err, size_t errlen);
int kcap_endpoints_file(const char *path, const char *filter, int fmt, FILE *out,
			char *err, size_t errlen);

/*
 * --follow SPEC: SPEC is "A:PORT-B:PORT", tshark's "A:PORT,B:PORT", or a
 * tcp.stream number. payload TABLE is the packet table above; ASCII, HEX
 * and RAW are the reassembled stream as tshark -z follow,tcp,MODE prints
 * it (as JSON or CSV: chunks of hex). kcap_follow_scan() takes every
 * packet (the stream numbers need them) and follows those that match.
 */
enum kcap_follow_payload {
	KCAP_FOLLOW_TABLE = 0,
	KCAP_FOLLOW_ASCII,
	KCAP_FOLLOW_HEX,
	KCAP_FOLLOW_RAW,
};
struct kcap_follow *kcap_follow_new_fmt(const char *spec, int fmt, int payload,
					char *err, size_t errlen);
void kcap_follow_scan(struct kcap_follow *f, const struct kcap_packet *pkt, bool match,
		      FILE *out);
int kcap_follow_file_fmt(const char *path, const char *filter, const char *spec,
			 int fmt, int payload, FILE *out, char *err, size_t errlen);

/*
 * Pictures, drawn by gnuplot: a connection's graph (Wireshark's TCP stream
 * graphs) or the file's I/O graph. With png, PNG.dat (the numbers, CSV
 * with a '#' header) and PNG.gp (the gnuplot script) are written next to
 * it and gnuplot is run; without, the numbers go to csv as CSV.
 *
 *   window      frame,time,dir,window: tcp.window_size of each side's packets
 *   throughput  start,bytes_ab,bytes_ba,bps_ab,bps_ba: tcp.len per interval
 *   rtt         frame,time,dir,acks_frame,rtt: tcp.analysis.ack_rtt
 *   seq         frame,time,dir,seq,len,nxtseq: relative numbers (Stevens)
 *   io graph    start,packets,bytes,bps: per interval, from the first packet
 *
 * time is seconds since the file's first packet (frame.time_relative);
 * dir 0 is A to B (A: the connection's first sender, or SPEC's first).
 */
enum kcap_plot_kind {
	KCAP_PLOT_WINDOW = 0,
	KCAP_PLOT_THROUGHPUT,
	KCAP_PLOT_RTT,
	KCAP_PLOT_SEQ,
};
int kcap_plot_kind(const char *name);	/* KCAP_PLOT_*, or -1 */
int kcap_plot_file(const char *path, const char *filter, int kind, const char *spec,
		   uint64_t interval_ns, const char *png, FILE *csv, char *err, size_t errlen);
int kcap_io_graph_file(const char *path, const char *filter, uint64_t interval_ns,
		       const char *png, FILE *csv, char *err, size_t errlen);

/*
 * Two captures of the same traffic (a SPAN port and a server, say):
 * packets are matched by what no hop changes (addresses, ports, IPv4
 * identification, TCP sequence and ACK numbers, flags, lengths, the first
 * payload bytes), in order where several are alike. Reported: how many
 * matched, which are missing on either side, and the one-way delay B - A
 * (overall and by sender).
 */
int kcap_compare_files(const char *path_a, const char *path_b, const char *filter,
		       int fmt, FILE *out, char *err, size_t errlen);

#endif /* KCAP_DECODE_H */
