/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KCAP_INT_H
#define _KCAP_INT_H

#include <linux/fs.h>
#include <linux/kcap.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/poll.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/u64_stats_sync.h>

struct kcap_filter;
struct kcap_ring;
struct kcap_session;
struct kcap_txdev;
struct sock_filter;

#define KCAP_HOOK_INGRESS	BIT(KCAP_DIR_INGRESS)
#define KCAP_HOOK_EGRESS	BIT(KCAP_DIR_EGRESS)

/* One CPU's counters of one tap and direction. */
struct kcap_pcpu_counters {
	u64_stats_t seen;
	u64_stats_t matched;
	u64_stats_t matched_bytes;
	u64_stats_t captured;
	u64_stats_t dropped;
	u64_stats_t truncated;
	struct u64_stats_sync syncp;
};

struct kcap_pcpu_stats {
	struct kcap_pcpu_counters dir[2];	/* KCAP_DIR_* */
};

/*
 * A tap: the hooks of one session on one device. The hook functions reach
 * the session through ops[].priv; the tap is freed only after its hooks
 * are unregistered and synchronize_net() has returned.
 */
struct kcap_tap {
	struct list_head node;		/* in kcap_session.taps */
	struct kcap_session *sess;
	struct net_device *dev;
	netdevice_tracker dev_tracker;
	unsigned int hooks;		/* KCAP_HOOK_* */
	struct nf_hook_ops ops[2];	/* KCAP_DIR_* */
	struct kcap_pcpu_stats __percpu *stats;
};

/*
 * A named session. Its configuration and taps change only with
 * rtnl_lock and kcap_mutex both held, so either lock is enough to read
 * them. The reader and the ring pointer are kcap_mutex's. The packet path
 * reads only the RCU-managed filter and ring pointers.
 */
struct kcap_session {
	struct list_head node;		/* in kcap_sessions */
	char name[KCAP_NAME_LEN];

	/*
	 * Not a reference: a session must not keep a network namespace
	 * alive. The pernet exit clears it before the namespace is freed.
	 */
	struct net *net;
	u32 cfg_flags;			/* KCAP_CFG_* */
	u32 capture;			/* KCAP_CAPTURE_* */
	u32 ring_size;			/* bytes of record space */
	u32 ndevs;
	s32 ifindex[KCAP_MAX_DEVS];
	bool ended;
	struct kcap_filter __rcu *filter;
	struct list_head taps;
	struct kcap_counters gone[2];	/* of taps gone */

	/*
	 * The file that added it with KCAP_SESSION_F_PRIVATE, or NULL for a
	 * shared session. Cleared only as the session is destroyed, when that
	 * file is released.
	 */
	struct kcap_file *owner;

	struct kcap_ring __rcu *ring;
	struct kcap_file *reader;
	struct kcap_dump dump;		/* what the reader said of its output */
	struct pid *reader_pid;
	char reader_comm[TASK_COMM_LEN];
};

/* Per open file of /dev/kcap. */
struct kcap_file {
	/* Set once, by KCAP_IOC_ATTACH, with smp_store_release(). */
	struct kcap_session *sess;
	/*
	 * Sessions it added with KCAP_SESSION_F_PRIVATE; changed under
	 * kcap_mutex by its own ioctls, read unlocked on release, when no
	 * ioctl of the file can run.
	 */
	unsigned int nr_owned;
	/* The device writes go to (KCAP_IOC_TX_BIND), and its counters. */
	struct mutex tx_lock;
	struct kcap_txdev *tx;
};

extern struct mutex kcap_mutex;

/* dev.c: the misc device /dev/kcap */
int kcap_dev_init(void);
void kcap_dev_exit(void);

/* ioctl.c: argument checks and dispatch */
long kcap_ioctl_dispatch(struct file *file, unsigned int cmd,
			 unsigned long arg);

/* session.c: named sessions, their configuration and their reader */
int kcap_session_init(void);
void kcap_session_exit(void);
int kcap_session_create(struct kcap_file *kf, const char *name, u32 flags);
int kcap_session_remove(struct kcap_file *kf, const char *name);
int kcap_session_describe(struct kcap_session_req *req);
int kcap_session_names(u8 *names, u32 cap, u32 *count);
int kcap_session_configure(struct kcap_file *kf, const struct kcap_config *cfg,
			   struct kcap_filter *filter);
int kcap_session_get_config(struct kcap_config *cfg,
			    struct sock_filter **insns);
int kcap_session_attach(struct kcap_file *kf, struct kcap_attach *att);
int kcap_session_set_dump(struct kcap_file *kf, const struct kcap_dump *dump);
int kcap_session_get_dump(struct kcap_dump *dump);
struct kcap_ring *kcap_session_reader_ring(struct kcap_file *kf);
void kcap_session_release(struct kcap_file *kf);
int kcap_session_stats(struct kcap_stats *st, struct kcap_dev_stats *devs,
		       u32 cap);
void kcap_session_dev_added(struct net_device *dev);
void kcap_session_dev_removed(struct net_device *dev);
void kcap_session_net_exit(struct net *net);

/* filter.c: structured match and classic BPF */
struct kcap_filter *kcap_filter_create(const struct kcap_config *cfg);
void kcap_filter_free(struct kcap_filter *f);
void kcap_filter_release(struct kcap_filter *f);
u32 kcap_filter_run(const struct kcap_filter *f, struct sk_buff *skb);
bool kcap_filter_stats_only(const struct kcap_filter *f);
void kcap_filter_get(const struct kcap_filter *f, struct kcap_config *cfg,
		     struct sock_filter **insns);

/* ring.c: the mmap ring */
struct kcap_ring *kcap_ring_alloc(u32 size);
void kcap_ring_free(struct kcap_ring *ring);
u32 kcap_ring_size(const struct kcap_ring *ring);
void kcap_ring_new_reader(struct kcap_ring *ring, bool keep);
void kcap_ring_set_ended(struct kcap_ring *ring, bool ended);
void kcap_ring_layout(const struct kcap_ring *ring, struct kcap_attach *att);
struct kcap_ring_rsv {
	u32 start;		/* position where the reservation begins */
	u32 len;		/* of the record, without padding before it */
};

struct kcap_pkthdr *kcap_ring_reserve(struct kcap_ring *ring, u32 caplen,
				      struct kcap_ring_rsv *rsv);
void kcap_ring_commit(struct kcap_ring *ring, struct kcap_pkthdr *hdr,
		      const struct kcap_ring_rsv *rsv);
int kcap_ring_mmap(struct kcap_ring *ring, struct vm_area_struct *vma);
__poll_t kcap_ring_poll(struct kcap_ring *ring, struct file *file,
			poll_table *wait);

/* hook.c: the packet path */
void kcap_hook_ops_init(struct nf_hook_ops *ops, struct kcap_tap *tap,
			int dir);

/* tap.c: a session's hooks on a device */
unsigned int kcap_tap_hooks(u32 capture, const struct net_device *dev);
struct kcap_tap *kcap_tap_create(struct kcap_session *sess,
				 struct net_device *dev, unsigned int hooks);
void kcap_tap_unregister(struct kcap_tap *tap);
void kcap_tap_free(struct kcap_tap *tap);
void kcap_tap_free_all(struct list_head *taps);

/* notify.c: devices and namespaces coming and going */
int kcap_notify_init(void);
void kcap_notify_exit(void);

/* xmit.c: frames written to /dev/kcap, sent on a device */
DECLARE_PER_CPU(const struct sk_buff *, kcap_xmit_skb);
int kcap_xmit_bind(struct file *file, const struct kcap_tx_bind *b);
int kcap_xmit_stats(struct file *file, struct kcap_tx_stats *st);
ssize_t kcap_xmit_write_iter(struct kiocb *iocb, struct iov_iter *from);
void kcap_xmit_release(struct kcap_file *kf);
void kcap_xmit_dev_gone(struct net_device *dev);
void kcap_xmit_exit(void);

/* Whether the egress hook sees a frame a writer of /dev/kcap sent. */
static inline bool kcap_xmit_injected(const struct sk_buff *skb)
{
	return __this_cpu_read(kcap_xmit_skb) == skb;
}

/* stats.c: per-cpu counters */
struct kcap_pcpu_stats __percpu *kcap_stats_pcpu_alloc(void);
void kcap_stats_pcpu_free(struct kcap_pcpu_stats __percpu *stats);
void kcap_stats_fold(const struct kcap_pcpu_stats __percpu *stats,
		     struct kcap_counters sum[2]);
void kcap_stats_report(struct kcap_session *sess, struct kcap_stats *st,
		       struct kcap_dev_stats *devs, u32 cap);

/* What happened to one packet, for kcap_stats_count(). */
enum kcap_verdict {
	KCAP_V_SEEN,		/* filtered out */
	KCAP_V_MATCHED,		/* statistics only */
	KCAP_V_CAPTURED,
	KCAP_V_TRUNCATED,	/* captured, cut short */
	KCAP_V_DROPPED,
};

/*
 * Called from the hooks with BH disabled, so the hooks of one CPU never
 * nest and this CPU's counters need no atomics. All of a packet's counters
 * change in one update section, so a reader never sees a packet matched
 * and not yet captured or dropped.
 */
static inline void kcap_stats_count(struct kcap_pcpu_stats __percpu *stats,
				    int dir, enum kcap_verdict v, u32 bytes)
{
	struct kcap_pcpu_counters *c = &this_cpu_ptr(stats)->dir[dir];

	u64_stats_update_begin(&c->syncp);
	u64_stats_inc(&c->seen);
	if (v != KCAP_V_SEEN) {
		u64_stats_inc(&c->matched);
		u64_stats_add(&c->matched_bytes, bytes);
	}
	if (v == KCAP_V_CAPTURED || v == KCAP_V_TRUNCATED)
		u64_stats_inc(&c->captured);
	if (v == KCAP_V_TRUNCATED)
		u64_stats_inc(&c->truncated);
	if (v == KCAP_V_DROPPED)
		u64_stats_inc(&c->dropped);
	u64_stats_update_end(&c->syncp);
}

#endif /* _KCAP_INT_H */
