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

#ifdef __cplusplus
}
#endif

#endif /* LIBKCAP_H */
