/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * libkcap's inside, shared by its files and nothing else: the handle, and
 * the helpers that turn a failure into kcap_geterr()'s message.
 */
#ifndef LIBKCAP_INT_H
#define LIBKCAP_INT_H

#include <net/if.h>
#include <signal.h>

#include "libkcap.h"
#include "reader.h"

#define KCAP_IFCACHE		8

struct kcap {
	int fd;
	struct kcap_version ver;
	volatile sig_atomic_t brk;
	bool attached;
	int latency_ms;			/* with a wakeup mark; 0: none */
	void *cons_map;
	size_t cons_len;
	void *prod_map;
	size_t prod_len;
	struct kcap_reader ring;
	struct kcap_packet pkt;		/* the one kcap_next() handed out */
	/* if_indextoname() is a socket and an ioctl: once per device. */
	struct {
		int ifindex;
		char name[IF_NAMESIZE];
	} ifc[KCAP_IFCACHE];
	unsigned int nifc, ifc_next;
	char err[KCAP_ERRBUF_SIZE];

	/* What kcap_open_live() and the calls in libpcap's vocabulary keep. */
	char session[KCAP_NAME_LEN];	/* attached to; "" none */
	int timeout_ms;			/* kcap_dispatch()'s, as kcap_next()'s */
	int linktype;			/* kcap_datalink(); 0: Ethernet */
	uint32_t snaplen;		/* 0: whole frames */
	int live_ifindex;		/* kcap_open_live()'s device, bound for
					 * injection at the first frame */
	int promisc_fd;			/* holds the device promiscuous; -1 */
	int mode;			/* KCAP_MODE_* */
	struct kcap_stat_mode {
		uint64_t pkts, bytes;	/* the last sample's totals */
		int64_t mono_ns;	/* when it was taken */
		uint8_t data[16];	/* the sample kcap_next() hands out */
	} stat;
	void *pcap;			/* a savefile's pcap_t: offline */
};


/* Sets kcap_geterr()'s message; returns ret. */
__attribute__((format(printf, 3, 4)))
int kcap_err(struct kcap *k, int ret, const char *fmt, ...);
/* A failed ioctl's errno as a message naming what failed (and the session). */
int kcap_ioctl_err(struct kcap *k, int err, const char *what, const char *name);
int kcap_do_ioctl(struct kcap *k, unsigned long req, void *arg,
		  const char *what, const char *name);
/* A zeroed handle with no file: kcap_open() and kcap_open_offline(). */
struct kcap *kcap_new(void);
/* The KCAP_DLT_* a device's frames decode as, from its ARPHRD_*. */
int kcap_linktype(unsigned int hatype);
/* Discards what the ring holds: kcap_setfilter() after the fact. */
void kcap_ring_flush(struct kcap *k);
/* Binds kcap_open_live()'s device for injection on first use. */
int kcap_tx_autobind(struct kcap *k);
/* The next packet of a savefile, and of statistics mode. */
int kcap_offline_next(struct kcap *k, const struct kcap_packet **pkt);
int kcap_stat_next(struct kcap *k, const struct kcap_packet **pkt, int timeout_ms);
/* CLOCK_MONOTONIC in nanoseconds. */
int64_t kcap_mono_ns(void);

/* A session name into an ABI name field: 0, or -EINVAL with the message. */
int kcap_copy_name(struct kcap *k, __u8 *dst, const char *name);

#endif /* LIBKCAP_INT_H */
