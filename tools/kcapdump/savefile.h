/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcapdump's savefile writers. Records collect in memory and reach the
 * file only whole, in one write() per batch, so a kill -9 leaves a file
 * that ends on a record boundary; a failed write (a full disk) is cut
 * back to the last record that made it whole.
 */
#ifndef KCAPDUMP_SAVEFILE_H
#define KCAPDUMP_SAVEFILE_H

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/kcap.h>

#include "kcap_packet.h"

enum kd_format {
	KD_PCAP,
	KD_PCAPNG,
};

struct kd_buf {
	uint8_t *p;
	size_t len;
	size_t cap;
};

struct kd_ng_if {
	int ifindex;
	char name[KCAP_IFNAME_LEN];
};

/* The interfaces a pcapng section has described, in block order. */
struct kd_ng_ifs {
	struct kd_ng_if *v;
	unsigned int n;
};

struct kd_out {
	enum kd_format fmt;
	int dlt;		/* DLT_*: EN10MB live, the input's for -r */
	int fd;
	bool is_stdout;
	bool regular;		/* a regular file: can be cut back */
	uint32_t snaplen;
	struct kd_buf buf;	/* whole records not yet written */
	size_t *ends;		/* where each record in buf ends */
	size_t nends;
	size_t ends_cap;
	uint64_t committed;	/* bytes in the file */
	uint64_t packets;
	uint64_t unwritten;	/* of packets: lost to a failed write */
	int err;		/* sticky -errno */
	/* KD_PCAP: libpcap writes into buf through a cookie FILE. */
	pcap_t *dead;
	pcap_dumper_t *dumper;
	/* KD_PCAPNG: one interface block per device seen. */
	struct kd_ng_ifs ifs;
};

/*
 * What a file is opened with. pcapng describes the devices in ifindex[]
 * in the header's own write, so that a file cut off before its first
 * packet is still one that libpcap reads; with none it describes one
 * unnamed interface. Devices first seen later get their block then.
 */
struct kd_out_spec {
	enum kd_format fmt;
	int dlt;		/* DLT_* */
	uint32_t snaplen;	/* 0: KCAP_SNAPLEN_MAX */
	const int *ifindex;
	unsigned int nifs;
};

/* path "-" is stdout; kd_out_open() writes DLT_EN10MB, no devices. */
int kd_out_open(struct kd_out *o, const char *path, enum kd_format fmt,
		uint32_t snaplen, char *err, size_t errlen);
int kd_out_open_spec(struct kd_out *o, const char *path,
		     const struct kd_out_spec *spec, char *err, size_t errlen);
/*
 * pcapng tells devices apart by ifindex, or by name for packets of a file
 * (ifindex 0); it records the direction when the packet's flags have one.
 */
int kd_out_packet(struct kd_out *o, const struct kcap_packet *p);
int kd_out_flush(struct kd_out *o);
int kd_out_close(struct kd_out *o);
uint64_t kd_out_size(const struct kd_out *o);

/* pcapng.c: blocks appended to a buffer, in host byte order. */
int kd_buf_put(struct kd_buf *b, const void *p, size_t len);
int kd_ng_shb(struct kd_buf *b, const char *appl);
int kd_ng_idb(struct kd_buf *b, const char *ifname, int dlt, uint32_t snaplen);
int kd_ng_epb(struct kd_buf *b, uint32_t ifid, const struct kcap_packet *p,
	      uint32_t caplen);
/*
 * The interface id of a device in t, its block appended to b first if it
 * is new (*added then true). Live devices are told apart by ifindex, a
 * file's (ifindex 0) by name; a block is named ifname, or after the
 * ifindex when that is NULL.
 */
int kd_ng_ifid(struct kd_ng_ifs *t, struct kd_buf *b, int ifindex,
	       const char *ifname, int dlt, uint32_t snaplen, uint32_t *id,
	       bool *added);

#endif /* KCAPDUMP_SAVEFILE_H */
