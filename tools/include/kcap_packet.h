/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * struct kcap_packet: one captured packet, whether it came from a kcap
 * ring (libkcap's kcap_next() and kcap_loop()) or from a savefile
 * (libkcapdecode's file reader). Every consumer in the tools takes this
 * type and no other: the decoders, the TCP analysis, kcapdump's sinks.
 *
 * Nothing in it is owned by the one who receives it: data, and ifname
 * from a ring, stay valid until the next packet is asked for.
 */
#ifndef KCAP_PACKET_H
#define KCAP_PACKET_H

#include <stdint.h>

/* Link types: the values are libpcap's DLT_*. */
#define KCAP_DLT_NULL		0	/* BSD loopback, host-order family */
#define KCAP_DLT_EN10MB		1
#define KCAP_DLT_PPP		9
#define KCAP_DLT_RAW		12	/* LINKTYPE_RAW (101) reads back as 12 */
#define KCAP_DLT_PPP_SERIAL	50
#define KCAP_DLT_IEEE802_11	105
#define KCAP_DLT_LOOP		108	/* BSD loopback, network-order family */
#define KCAP_DLT_LINUX_SLL	113
#define KCAP_DLT_IEEE802_11_RADIO 127	/* radiotap + 802.11 */
#define KCAP_DLT_IPV4		228
#define KCAP_DLT_IPV6		229
#define KCAP_DLT_LINUX_SLL2	276

/*
 * struct kcap_packet.flags. The two direction bits have pcapng's epb_flags
 * values (1 inbound, 2 outbound); neither set: the direction is unknown.
 */
#define KCAP_PACKET_INBOUND		(1U << 0)
#define KCAP_PACKET_OUTBOUND		(1U << 1)
#define KCAP_PACKET_DIRECTION		(KCAP_PACKET_INBOUND | KCAP_PACKET_OUTBOUND)
#define KCAP_PACKET_TRUNCATED		(1U << 2)	/* cut to the snaplen */
#define KCAP_PACKET_CSUM_NOT_READY	(1U << 3)	/* L4 checksum left to offload */
#define KCAP_PACKET_VLAN_RESTORED	(1U << 4)	/* offloaded tag put back */
#define KCAP_PACKET_INJECTED		(1U << 5)	/* sent through /dev/kcap */

struct kcap_packet {
	const uint8_t *data;
	uint32_t caplen;	/* bytes at data */
	uint32_t wirelen;	/* bytes on the wire, >= caplen */
	uint64_t ts_ns;		/* CLOCK_REALTIME, ns since the epoch */
	int ifindex;		/* 0: unknown (files) */
	const char *ifname;	/* NULL: unknown */
	int linktype;		/* KCAP_DLT_* */
	uint32_t flags;		/* KCAP_PACKET_* */
	uint64_t number;	/* 1-based ordinal in the capture */
};

#endif /* KCAP_PACKET_H */
