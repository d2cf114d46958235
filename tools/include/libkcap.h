/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * libkcap: the userspace side of /dev/kcap.
 *
 * Functions return 0 (or a count) on success and a negative errno on
 * failure; kcap_geterr() then holds a one-line description. The ring
 * protocol lives in this library only: tools read packets through
 * kcap_next() and kcap_loop(), never from the mapping themselves.
 */
#ifndef LIBKCAP_H
#define LIBKCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>
#include <linux/kcap.h>

#include "kcap_packet.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * libkcap.so exports what this header declares and nothing else: it is
 * built with -fvisibility=hidden, and these declarations are the default.
 */
#pragma GCC visibility push(default)

#define KCAP_TOOLS_VERSION	"0.1.0"
#define KCAP_DEV_PATH		"/dev/kcap"
#define KCAP_DEFAULT_SESSION	"default"
#define KCAP_ERRBUF_SIZE	256

struct kcap;

/*
 * Opening: path NULL means KCAP_DEV_PATH. Checks the ABI version. On
 * failure *kp may still hold a handle, for kcap_geterr(); kcap_close() it.
 */
int kcap_open(struct kcap **kp, const char *path);
void kcap_close(struct kcap *k);
int kcap_fd(const struct kcap *k);
const char *kcap_geterr(const struct kcap *k);
const struct kcap_version *kcap_version_info(const struct kcap *k);

/* Sessions. */
int kcap_session_add(struct kcap *k, const char *name);
int kcap_session_del(struct kcap *k, const char *name);
/*
 * A session of this handle's own: the kernel deletes it when the handle's
 * file is closed, however the process ends (exit, kill -9), so a capture
 * leaves nothing behind. -EOPNOTSUPP from a module without private sessions.
 */
int kcap_session_add_private(struct kcap *k, const char *name);
int kcap_session_info(struct kcap *k, const char *name,
		      struct kcap_session_req *info);
/* *names is malloc'ed, *count entries; the caller frees it. */
int kcap_session_list(struct kcap *k, char (**names)[KCAP_NAME_LEN],
		      unsigned int *count);
/*
 * Where a session's packets go (struct kcap_dump in linux/kcap.h): its
 * reader says so once attached, and again when it changes; anyone asks.
 */
int kcap_dump_set(struct kcap *k, const struct kcap_dump *dump);
int kcap_dump_get(struct kcap *k, const char *session, struct kcap_dump *dump);
/* "file", "pipe", "print", "listen", "stats", or "-" for none. */
const char *kcap_dump_kind_name(uint32_t kind);
/* "session 'x' is being read by pid 123 (kcapdump)", for -EBUSY. */
void kcap_describe_reader(struct kcap *k, const char *name, char *buf,
			  size_t len);

/*
 * A configuration and its BPF program, in memory the library owns:
 * cfg.bpf_insns and cfg.bpf_len are filled in from prog when it is set.
 */
struct kcap_cfg {
	struct kcap_config c;
	struct sock_filter *prog;
	unsigned int prog_len;
};

/* The defaults (capture off, no filters); call it before any other use. */
void kcap_cfg_init(struct kcap_cfg *cfg, const char *session);
void kcap_cfg_free(struct kcap_cfg *cfg);
int kcap_config_get(struct kcap *k, const char *session, struct kcap_cfg *cfg);
int kcap_config_set(struct kcap *k, struct kcap_cfg *cfg);

/*
 * Reading. kcap_attach() makes this handle the session's reader
 * (-EBUSY if another one is). kcap_next() waits up to timeout_ms
 * (-1: forever, 0: not at all) and returns 1 with *pkt valid until the
 * next call, 0 on timeout, -EINTR after kcap_breakloop(), -ENODEV once
 * the session ended and its ring is empty, -EBADMSG if the ring is
 * corrupt. Packets are numbered from 1 from the attach on; ifname is the
 * device's name as the packet was read (if%d for one that went away).
 */
int kcap_attach(struct kcap *k, const char *session, uint32_t flags);
void kcap_detach(struct kcap *k);
int kcap_next(struct kcap *k, const struct kcap_packet **pkt, int timeout_ms);
/* Waits for records: 1 ready, 0 timeout, -EINTR, -errno. */
int kcap_wait(struct kcap *k, int timeout_ms);
/*
 * Batching, after kcap_attach(): the kernel wakes this reader only once
 * bytes of records are pending (at most half the ring), and kcap_next()
 * hands out what is pending after latency_ms at the latest, as libpcap's
 * buffer timeout does. bytes 0, the default, wakes at every record: one
 * wakeup per packet whenever the reader keeps up, which costs CPU at
 * moderate rates. Returns 0 or -errno.
 */
int kcap_set_wakeup(struct kcap *k, uint32_t bytes, int latency_ms);

typedef void (*kcap_handler)(void *user, const struct kcap_packet *pkt);
/*
 * Calls cb for each packet until count packets (count <= 0: no limit),
 * kcap_breakloop(), the session's end or an error. Returns the number
 * of packets handled, or a negative errno if none were and it failed.
 */
int kcap_loop(struct kcap *k, int count, kcap_handler cb, void *user);
/* Async-signal-safe: makes kcap_loop()/kcap_next() return soon. */
void kcap_breakloop(struct kcap *k);

/* Statistics: totals, and the per-device array (malloc'ed). */
struct kcap_stat_snap {
	struct kcap_stats s;
	struct kcap_dev_stats *devs;
	unsigned int ndevs;
};

int kcap_stats_get(struct kcap *k, const char *session,
		   struct kcap_stat_snap *snap);
void kcap_stats_free(struct kcap_stat_snap *snap);

/*
 * Injection (needs CAP_NET_RAW). Bind once to a device of this network
 * namespace, by name or index, then send. kcap_inject() sends one frame,
 * from its Ethernet header: 0 or -errno (-EINVAL too short, -EMSGSIZE too
 * long, -ENETDOWN, -ENODEV, -ENOBUFS dropped by the qdisc or driver).
 * kcap_inject_batch() is a send queue: every iovec is one frame, handed to
 * the kernel in as few writev(2) calls as IOV_MAX allows. It returns the
 * number of frames sent, which is n unless one failed: frames from the
 * failed one on are not sent, and sending from it again tells why. It
 * returns -errno if the first frame failed.
 */
struct iovec;

int kcap_tx_bind(struct kcap *k, const char *ifname);
int kcap_tx_bind_index(struct kcap *k, int ifindex);
int kcap_inject(struct kcap *k, const void *frame, size_t len);
int kcap_inject_batch(struct kcap *k, const struct iovec *iov, unsigned int n);
/* A device's counters; ifindex 0: the bound device. */
int kcap_tx_stats(struct kcap *k, int ifindex, struct kcap_tx_stats *st);

/*
 * In libpcap's and Npcap's vocabulary; kcap(3) has the whole story.
 *
 * kcap_open_live() is pcap_open_live(): a handle capturing on dev (a
 * device's name, or "any" for every device of this network namespace), in
 * both directions, in a private session of its own that the kernel deletes
 * when the handle closes. snaplen 0 (or KCAP_SNAPLEN_MAX) keeps whole
 * frames; promisc puts the device in promiscuous mode while the handle is
 * open; timeout_ms is kcap_dispatch()'s: 0 waits for packets without a
 * limit, as libpcap's, -1 returns at once, as Npcap's. The ring is
 * KCAP_LIVE_RING bytes. kcap_inject() and send queues on the handle go
 * out of dev, bound at the first frame. NULL on failure, with the reason
 * in errbuf (KCAP_ERRBUF_SIZE bytes; may be NULL).
 */
#define KCAP_LIVE_RING		(8U << 20)

struct kcap *kcap_open_live(const char *dev, int snaplen, int promisc,
			    int timeout_ms, char *errbuf);
/* The session this handle is attached to (kcap_open_live()'s name), or "". */
const char *kcap_session_name(const struct kcap *k);
/* kcap_dispatch()'s timeout, as kcap_open_live()'s timeout_ms. */
int kcap_set_timeout(struct kcap *k, int timeout_ms);
/*
 * Handles the packets that arrive until the handle's timeout has passed
 * since the call, at most cnt of them (cnt <= 0: no limit). Returns the
 * number handled (0: none came in time), or a negative errno if none
 * were: -EINTR after kcap_breakloop(), -ENODEV once the session ended.
 * On a savefile it returns at the file's end.
 */
int kcap_dispatch(struct kcap *k, int cnt, kcap_handler cb, void *user);
/*
 * pcap_compile() and pcap_setfilter() in one: expr, in pcap-filter(7),
 * compiled by libpcap and installed into the session's configuration,
 * where the kernel runs it; NULL or "" removes the filter. Packets the
 * ring held are discarded, so none of those the old filter took is handed
 * out after the new one is in place (nor is the last packet kcap_next()
 * returned still valid). On a savefile it filters what is read.
 */
int kcap_setfilter(struct kcap *k, const char *expr);
/* pcap_setdirection(): KCAP_CAPTURE_INGRESS, _EGRESS or _BIDIRECTIONAL. */
int kcap_setdirection(struct kcap *k, uint32_t capture);
/* pcap_datalink(): the KCAP_DLT_* of the device, or of the savefile. */
int kcap_datalink(const struct kcap *k);
/* pcap_snapshot(): bytes of each packet kept; KCAP_SNAPLEN_MAX for all. */
int kcap_snapshot(const struct kcap *k);

/*
 * Npcap's statistics mode: with KCAP_MODE_STAT the kernel counts what
 * matches (the filter too) and copies nothing, and kcap_next(),
 * kcap_loop() and kcap_dispatch() hand out one sample per timeout
 * (1000 ms when the timeout is 0 or -1): a 16-byte packet of two native
 * uint64_t, packets and bytes matched since the last sample, and the
 * sample's time in ts_ns. KCAP_MODE_CAPT goes back to capturing.
 */
#define KCAP_MODE_CAPT		0
#define KCAP_MODE_STAT		1

int kcap_setmode(struct kcap *k, int mode);

/*
 * pcap_findalldevs(): the network devices of this namespace, then "any".
 * Each has its addresses (the sockaddrs of getifaddrs(3)) and a
 * description: the device's alias if it has one, else its link type and
 * driver. 0, or -errno with the reason in errbuf.
 */
#define KCAP_IF_UP		(1U << 0)
#define KCAP_IF_RUNNING		(1U << 1)
#define KCAP_IF_LOOPBACK	(1U << 2)

struct sockaddr;

struct kcap_addr {
	struct kcap_addr *next;
	struct sockaddr *addr;
	struct sockaddr *netmask;	/* NULL: none */
	struct sockaddr *broadaddr;	/* NULL: none */
	struct sockaddr *dstaddr;	/* point-to-point peer; NULL: none */
};

struct kcap_if {
	struct kcap_if *next;
	char *name;
	char *description;
	int ifindex;			/* 0 for "any" */
	unsigned int flags;		/* KCAP_IF_* */
	struct kcap_addr *addresses;
};

int kcap_findalldevs(struct kcap_if **alldevs, char *errbuf);
void kcap_freealldevs(struct kcap_if *alldevs);

/*
 * Savefiles, through libpcap. kcap_open_offline() is pcap_open_offline():
 * a handle on a pcap or pcapng file ("-": standard input) that
 * kcap_next(), kcap_loop(), kcap_dispatch(), kcap_setfilter(),
 * kcap_datalink() and kcap_dump_open() take as they take a live one;
 * kcap_next() returns -ENODATA at the file's end. Time stamps keep their
 * nanoseconds.
 *
 * kcap_dump_open() is pcap_dump_open(): a pcap file (nanosecond time
 * stamps; "-": standard output) of the handle's link type and snapshot
 * length. NULL on failure, with the reason in kcap_geterr(k).
 * kcap_dump_close() returns 0, or -EIO if a write failed.
 */
struct kcap_dumper;

struct kcap *kcap_open_offline(const char *path, char *errbuf);
struct kcap_dumper *kcap_dump_open(struct kcap *k, const char *path);
void kcap_dump(struct kcap_dumper *d, const struct kcap_packet *pkt);
int kcap_dump_flush(struct kcap_dumper *d);
int kcap_dump_close(struct kcap_dumper *d);

/*
 * Npcap's send queues. A queue holds up to memsize bytes of frames, each
 * with its time stamp; kcap_sendqueue_queue() takes one from a packet
 * (its caplen bytes of data and its ts_ns), -ENOSPC when it is full.
 * kcap_sendqueue_transmit() sends them all in order, in as few writev(2)
 * calls as it may; with sync, each frame leaves when as much time has
 * passed since the first as between their time stamps (absolute
 * deadlines: a late wakeup does not delay the frames after it). It binds
 * nothing: the handle is kcap_open_live()'s, or bound with kcap_tx_bind().
 * Returns the number of frames sent, fewer than queued when one failed
 * (kcap_geterr() says why), or -errno if none was.
 */
struct kcap_sendqueue;

struct kcap_sendqueue *kcap_sendqueue_alloc(size_t memsize);
void kcap_sendqueue_destroy(struct kcap_sendqueue *q);
int kcap_sendqueue_queue(struct kcap_sendqueue *q, const struct kcap_packet *pkt);
/* Frames queued, and their bytes. */
unsigned int kcap_sendqueue_count(const struct kcap_sendqueue *q);
size_t kcap_sendqueue_len(const struct kcap_sendqueue *q);
int kcap_sendqueue_transmit(struct kcap *k, struct kcap_sendqueue *q, int sync);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* LIBKCAP_H */
