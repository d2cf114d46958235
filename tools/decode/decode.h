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

#endif /* KCAP_DECODE_H */
