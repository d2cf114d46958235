// SPDX-License-Identifier: GPL-2.0
/*
 * Named sessions: the list, their configuration, their one reader, and
 * what happens to them when their devices or namespace go. A private
 * session belongs to the file that added it: only that file changes or
 * reads it, and it goes when that file is released.
 *
 * Locking: rtnl_lock, then kcap_mutex. Whatever the packet path or the
 * device notifier depends on (configuration, taps) changes only with both
 * held; the reader and the ring pointer change with kcap_mutex. Nothing
 * here copies to or from userspace with a lock held: a fault on a user
 * buffer could otherwise wait on whatever holds mmap_lock.
 */
#include <linux/netdevice.h>
#include <linux/nsproxy.h>
#include <linux/pid.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "kcap_int.h"

DEFINE_MUTEX(kcap_mutex);
static LIST_HEAD(kcap_sessions);
static unsigned int kcap_nr_sessions;

static const char kcap_default_name[] = "default";

static_assert(sizeof(((struct kcap_session_req *)0)->reader_comm) ==
	      TASK_COMM_LEN);
static_assert(sizeof(struct kcap_dump) == 336);

#define kcap_deref(p) \
	rcu_dereference_protected(p, lockdep_is_held(&kcap_mutex))

/* Which locks kcap_session_lock() takes: kcap_mutex, and maybe rtnl. */
enum kcap_locks {
	KCAP_LOCK_MUTEX,
	KCAP_LOCK_RTNL,
};

static struct kcap_session *kcap_session_lookup(const char *name)
{
	struct kcap_session *sess;

	lockdep_assert_held(&kcap_mutex);

	list_for_each_entry(sess, &kcap_sessions, node)
		if (!strcmp(sess->name, name))
			return sess;
	return NULL;
}

static void kcap_session_unlock(enum kcap_locks locks)
{
	mutex_unlock(&kcap_mutex);
	if (locks == KCAP_LOCK_RTNL)
		rtnl_unlock();
}

/*
 * The session called name with the locks held, or ERR_PTR(-ENOENT) with
 * none: release them with kcap_session_unlock().
 */
static struct kcap_session *kcap_session_lock(const char *name,
					      enum kcap_locks locks)
{
	struct kcap_session *sess;

	if (locks == KCAP_LOCK_RTNL)
		rtnl_lock();
	mutex_lock(&kcap_mutex);
	sess = kcap_session_lookup(name);
	if (!sess) {
		kcap_session_unlock(locks);
		return ERR_PTR(-ENOENT);
	}
	return sess;
}

/*
 * As kcap_session_lock(), for a change that only kf may make if the
 * session is private: ERR_PTR(-EPERM), with no lock held, for another file.
 */
static struct kcap_session *kcap_session_lock_for(struct kcap_file *kf,
						  const char *name,
						  enum kcap_locks locks)
{
	struct kcap_session *sess = kcap_session_lock(name, locks);

	if (!IS_ERR(sess) && sess->owner && sess->owner != kf) {
		kcap_session_unlock(locks);
		return ERR_PTR(-EPERM);
	}
	return sess;
}

static struct kcap_session *kcap_session_alloc(const char *name)
{
	struct kcap_config empty = {};
	struct kcap_session *sess;
	struct kcap_filter *filter;

	sess = kzalloc(sizeof(*sess), GFP_KERNEL);
	if (!sess)
		return ERR_PTR(-ENOMEM);
	/* Hooks always find a filter: this one lets every packet through. */
	filter = kcap_filter_create(&empty);
	if (IS_ERR(filter)) {
		kfree(sess);
		return ERR_CAST(filter);
	}
	strscpy(sess->name, name, sizeof(sess->name));
	sess->capture = KCAP_CAPTURE_OFF;
	sess->ring_size = KCAP_RING_DEFAULT;
	RCU_INIT_POINTER(sess->filter, filter);
	INIT_LIST_HEAD(&sess->taps);
	return sess;
}

/* The session is off the list and has no reader. */
static void kcap_session_destroy(struct kcap_session *sess)
{
	ASSERT_RTNL();
	lockdep_assert_held(&kcap_mutex);

	/* Waits for the hooks, so the ring and filter are ours alone. */
	kcap_tap_free_all(&sess->taps);
	kcap_ring_free(kcap_deref(sess->ring));
	kcap_filter_free(kcap_deref(sess->filter));
	put_pid(sess->reader_pid);
	kfree(sess);
}

int kcap_session_create(struct kcap_file *kf, const char *name, u32 flags)
{
	struct kcap_session *sess;
	int ret;

	sess = kcap_session_alloc(name);
	if (IS_ERR(sess))
		return PTR_ERR(sess);
	if (flags & KCAP_SESSION_F_PRIVATE)
		sess->owner = kf;

	rtnl_lock();
	mutex_lock(&kcap_mutex);
	if (kcap_session_lookup(name)) {
		ret = -EEXIST;
		goto err_destroy;
	}
	if (kcap_nr_sessions >= KCAP_MAX_SESSIONS) {
		ret = -ENOSPC;
		goto err_destroy;
	}
	list_add_tail(&sess->node, &kcap_sessions);
	kcap_nr_sessions++;
	if (sess->owner)
		kf->nr_owned++;
	kcap_session_unlock(KCAP_LOCK_RTNL);
	return 0;

err_destroy:
	kcap_session_destroy(sess);
	kcap_session_unlock(KCAP_LOCK_RTNL);
	return ret;
}

int kcap_session_remove(struct kcap_file *kf, const char *name)
{
	struct kcap_session *sess;
	int ret = 0;

	if (!strcmp(name, kcap_default_name))
		return -EPERM;

	sess = kcap_session_lock_for(kf, name, KCAP_LOCK_RTNL);
	if (IS_ERR(sess))
		return PTR_ERR(sess);
	if (sess->reader) {
		ret = -EBUSY;
		goto out_unlock;
	}
	list_del(&sess->node);
	kcap_nr_sessions--;
	if (sess->owner)
		kf->nr_owned--;
	kcap_session_destroy(sess);
out_unlock:
	kcap_session_unlock(KCAP_LOCK_RTNL);
	return ret;
}

int kcap_session_describe(struct kcap_session_req *req)
{
	struct kcap_session *sess;
	struct kcap_ring *ring;

	sess = kcap_session_lock(req->name, KCAP_LOCK_MUTEX);
	if (IS_ERR(sess))
		return PTR_ERR(sess);
	/* In the caller's pid namespace: 0 if the reader is not visible. */
	req->reader_pid = sess->reader_pid ? pid_vnr(sess->reader_pid) : 0;
	memcpy(req->reader_comm, sess->reader_comm, sizeof(req->reader_comm));
	ring = kcap_deref(sess->ring);
	req->ring_size = ring ? kcap_ring_size(ring) : 0;
	req->state = 0;
	if (!list_empty(&sess->taps))
		req->state |= KCAP_SESSION_CAPTURING;
	if (sess->ended)
		req->state |= KCAP_SESSION_ENDED;
	if (sess->owner)
		req->state |= KCAP_SESSION_PRIVATE;
	kcap_session_unlock(KCAP_LOCK_MUTEX);
	return 0;
}

/*
 * Copies up to cap names (KCAP_NAME_LEN bytes each), in creation order,
 * and counts them all.
 */
int kcap_session_names(u8 *names, u32 cap, u32 *count)
{
	struct kcap_session *sess;
	u32 n = 0;

	mutex_lock(&kcap_mutex);
	list_for_each_entry(sess, &kcap_sessions, node) {
		if (n < cap)
			strscpy_pad(names + n * KCAP_NAME_LEN, sess->name,
				    KCAP_NAME_LEN);
		n++;
	}
	mutex_unlock(&kcap_mutex);
	*count = n;
	return 0;
}

/*
 * Moves the session's tap on dev with these hooks to keep, or taps anew
 * onto added.
 */
static int kcap_session_want(struct kcap_session *sess, struct net_device *dev,
			     u32 capture, struct list_head *keep,
			     struct list_head *added)
{
	unsigned int hooks = kcap_tap_hooks(capture, dev);
	struct kcap_tap *tap;

	list_for_each_entry(tap, &sess->taps, node) {
		if (tap->dev == dev && tap->hooks == hooks) {
			list_move_tail(&tap->node, keep);
			return 0;
		}
	}
	tap = kcap_tap_create(sess, dev, hooks);
	if (IS_ERR(tap))
		return PTR_ERR(tap);
	list_add_tail(&tap->node, added);
	return 0;
}

static int kcap_session_want_all(struct kcap_session *sess, struct net *net,
				 const struct kcap_config *cfg,
				 struct list_head *keep,
				 struct list_head *added)
{
	struct net_device *dev;
	u32 i;
	int ret;

	if (cfg->capture == KCAP_CAPTURE_OFF)
		return 0;
	if (cfg->flags & KCAP_CFG_ANY_DEV) {
		for_each_netdev(net, dev) {
			ret = kcap_session_want(sess, dev, cfg->capture, keep,
						added);
			if (ret)
				return ret;
		}
		return 0;
	}
	for (i = 0; i < cfg->ndevs; i++) {
		dev = __dev_get_by_index(net, cfg->ifindex[i]);
		ret = kcap_session_want(sess, dev, cfg->capture, keep, added);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Replaces a session's configuration; filter was built from cfg, which
 * ioctl.c has checked, and is the session's on success. The session
 * binds to the caller's network namespace.
 *
 * New hooks are registered before the old ones go, so that a failure
 * leaves the old configuration whole. On a device whose hooks change, a
 * packet may meet both the old and the new tap meanwhile; each counts it
 * consistently.
 */
int kcap_session_configure(struct kcap_file *kf, const struct kcap_config *cfg,
			   struct kcap_filter *filter)
{
	u32 ring_size = cfg->ring_size ?: KCAP_RING_DEFAULT;
	struct net *net = current->nsproxy->net_ns;
	struct kcap_ring *ring, *old_ring = NULL;
	struct kcap_filter *old_filter;
	struct kcap_session *sess;
	struct kcap_tap *tap, *tmp;
	LIST_HEAD(added);
	LIST_HEAD(keep);
	LIST_HEAD(gone);
	u32 i;
	int ret;

	sess = kcap_session_lock_for(kf, cfg->name, KCAP_LOCK_RTNL);
	if (IS_ERR(sess))
		return PTR_ERR(sess);
	ring = kcap_deref(sess->ring);
	if (ring && kcap_ring_size(ring) != ring_size) {
		/* The reader has the ring mapped. */
		if (sess->reader) {
			ret = -EBUSY;
			goto out_unlock;
		}
		old_ring = ring;
	}
	for (i = 0; i < cfg->ndevs; i++) {
		if (!__dev_get_by_index(net, cfg->ifindex[i])) {
			ret = -ENODEV;
			goto out_unlock;
		}
	}

	ret = kcap_session_want_all(sess, net, cfg, &keep, &added);
	if (ret)
		goto err_free_added;

	/* From here on nothing fails. */
	old_filter = rcu_replace_pointer(sess->filter, filter,
					 lockdep_is_held(&kcap_mutex));
	list_splice_init(&sess->taps, &gone);
	list_for_each_entry(tap, &gone, node)
		kcap_tap_unregister(tap);
	list_splice_tail(&keep, &sess->taps);
	list_splice_tail(&added, &sess->taps);
	if (old_ring)
		RCU_INIT_POINTER(sess->ring, NULL);
	/* One grace period for everything the hooks may still touch. */
	if (!list_empty(&gone) || old_ring)
		synchronize_net();
	list_for_each_entry_safe(tap, tmp, &gone, node)
		kcap_tap_free(tap);
	kcap_ring_free(old_ring);
	kcap_filter_release(old_filter);

	sess->net = net;
	sess->cfg_flags = cfg->flags;
	sess->capture = cfg->capture;
	sess->ring_size = ring_size;
	sess->ndevs = cfg->ndevs;
	memcpy(sess->ifindex, cfg->ifindex, sizeof(sess->ifindex));
	sess->ended = false;
	ring = kcap_deref(sess->ring);
	if (ring)
		kcap_ring_set_ended(ring, false);
	goto out_unlock;

err_free_added:
	list_splice_tail(&keep, &sess->taps);
	kcap_tap_free_all(&added);
out_unlock:
	kcap_session_unlock(KCAP_LOCK_RTNL);
	return ret;
}

/* On success *insns is the program (cfg->bpf_len entries) or NULL. */
int kcap_session_get_config(struct kcap_config *cfg,
			    struct sock_filter **insns)
{
	struct kcap_session *sess;
	int ret = 0;

	sess = kcap_session_lock(cfg->name, KCAP_LOCK_MUTEX);
	if (IS_ERR(sess))
		return PTR_ERR(sess);
	cfg->flags = sess->cfg_flags;
	cfg->capture = sess->capture;
	cfg->ring_size = sess->ring_size;
	cfg->ndevs = sess->ndevs;
	memcpy(cfg->ifindex, sess->ifindex, sizeof(cfg->ifindex));
	kcap_filter_get(kcap_deref(sess->filter), cfg, insns);
	if (cfg->bpf_len && !*insns)
		ret = -ENOMEM;
	kcap_session_unlock(KCAP_LOCK_MUTEX);
	return ret;
}

/*
 * Makes kf the session's reader. The ring is allocated for the first
 * reader and stays with the session, filling up, between readers.
 */
int kcap_session_attach(struct kcap_file *kf, struct kcap_attach *att)
{
	struct kcap_session *sess;
	struct kcap_ring *ring;
	int ret = 0;

	sess = kcap_session_lock_for(kf, att->name, KCAP_LOCK_MUTEX);
	if (IS_ERR(sess))
		return PTR_ERR(sess);
	if (kf->sess || sess->reader) {
		ret = -EBUSY;
		goto out_unlock;
	}
	ring = kcap_deref(sess->ring);
	if (!ring) {
		ring = kcap_ring_alloc(sess->ring_size);
		if (!ring) {
			ret = -ENOMEM;
			goto out_unlock;
		}
		kcap_ring_set_ended(ring, sess->ended);
		/* The hooks see the ring only once it is initialised. */
		rcu_assign_pointer(sess->ring, ring);
	} else {
		kcap_ring_new_reader(ring, att->flags & KCAP_ATTACH_KEEP);
	}

	sess->reader = kf;
	sess->reader_pid = get_pid(task_tgid(current));
	get_task_comm(sess->reader_comm, current);
	/* Pairs with smp_load_acquire() in kcap_session_reader_ring(). */
	smp_store_release(&kf->sess, sess);
	kcap_ring_layout(ring, att);
out_unlock:
	kcap_session_unlock(KCAP_LOCK_MUTEX);
	return ret;
}

/* The reader describes its output; see KCAP_IOC_DUMP_SET. */
int kcap_session_set_dump(struct kcap_file *kf, const struct kcap_dump *dump)
{
	struct kcap_session *sess;

	mutex_lock(&kcap_mutex);
	sess = kf->sess;
	if (!sess) {
		mutex_unlock(&kcap_mutex);
		return -ENOTCONN;
	}
	sess->dump = *dump;
	memcpy(sess->dump.name, sess->name, sizeof(sess->dump.name));
	mutex_unlock(&kcap_mutex);
	return 0;
}

int kcap_session_get_dump(struct kcap_dump *dump)
{
	struct kcap_session *sess;

	sess = kcap_session_lock(dump->name, KCAP_LOCK_MUTEX);
	if (IS_ERR(sess))
		return PTR_ERR(sess);
	*dump = sess->dump;
	memcpy(dump->name, sess->name, sizeof(dump->name));
	kcap_session_unlock(KCAP_LOCK_MUTEX);
	return 0;
}

/*
 * The ring of the session kf reads, or NULL if kf is not a reader. It
 * stays while kf is the reader: the ring is freed or replaced only when a
 * session has none, and a file stops being one only on release.
 */
struct kcap_ring *kcap_session_reader_ring(struct kcap_file *kf)
{
	/* Pairs with smp_store_release() in kcap_session_attach(). */
	struct kcap_session *sess = smp_load_acquire(&kf->sess);

	if (!sess)
		return NULL;
	return rcu_dereference_protected(sess->ring, sess->reader == kf);
}

/*
 * The file is being released: its mappings are gone. It stops reading, and
 * the sessions it owns go with it (it was their only possible reader).
 */
void kcap_session_release(struct kcap_file *kf)
{
	struct kcap_session *sess = kf->sess, *tmp;

	/* Most files (kcapctl's) neither read nor own: no lock for them. */
	if (!sess && !kf->nr_owned)
		return;
	rtnl_lock();
	mutex_lock(&kcap_mutex);
	if (sess) {
		sess->reader = NULL;
		put_pid(sess->reader_pid);
		sess->reader_pid = NULL;
		memset(sess->reader_comm, 0, sizeof(sess->reader_comm));
		memset(&sess->dump, 0, sizeof(sess->dump));
	}
	list_for_each_entry_safe(sess, tmp, &kcap_sessions, node) {
		if (sess->owner != kf)
			continue;
		list_del(&sess->node);
		kcap_nr_sessions--;
		kcap_session_destroy(sess);
	}
	kcap_session_unlock(KCAP_LOCK_RTNL);
}

int kcap_session_stats(struct kcap_stats *st, struct kcap_dev_stats *devs,
		       u32 cap)
{
	struct kcap_session *sess;

	/* rtnl keeps the device names still while we copy them. */
	sess = kcap_session_lock(st->name, KCAP_LOCK_RTNL);
	if (IS_ERR(sess))
		return PTR_ERR(sess);
	kcap_stats_report(sess, st, devs, cap);
	kcap_session_unlock(KCAP_LOCK_RTNL);
	return 0;
}

/* Marks a session ended: its devices, or its namespace, went away. */
static void kcap_session_end(struct kcap_session *sess)
{
	struct kcap_ring *ring;

	lockdep_assert_held(&kcap_mutex);

	sess->ended = true;
	ring = kcap_deref(sess->ring);
	if (ring)
		kcap_ring_set_ended(ring, true);
}

/* A device of the session's namespace has gone (or left); its tap too. */
static void kcap_session_dev_gone(struct kcap_session *sess, int ifindex)
{
	u32 i;

	ASSERT_RTNL();
	lockdep_assert_held(&kcap_mutex);

	for (i = 0; i < sess->ndevs; i++)
		if (sess->ifindex[i] == ifindex)
			break;
	if (i == sess->ndevs)
		return;
	memmove(&sess->ifindex[i], &sess->ifindex[i + 1],
		(sess->ndevs - i - 1) * sizeof(sess->ifindex[0]));
	sess->ifindex[--sess->ndevs] = 0;
	if (!sess->ndevs && sess->capture != KCAP_CAPTURE_OFF)
		kcap_session_end(sess);
}

/* A new device, or one moved in: sessions on any device tap it. */
void kcap_session_dev_added(struct net_device *dev)
{
	struct kcap_session *sess;
	struct kcap_tap *tap;

	ASSERT_RTNL();

	mutex_lock(&kcap_mutex);
	list_for_each_entry(sess, &kcap_sessions, node) {
		if (!(sess->cfg_flags & KCAP_CFG_ANY_DEV) ||
		    sess->capture == KCAP_CAPTURE_OFF ||
		    sess->net != dev_net(dev))
			continue;
		tap = kcap_tap_create(sess, dev,
				      kcap_tap_hooks(sess->capture, dev));
		if (IS_ERR(tap)) {
			pr_warn_ratelimited("kcap: session %s: cannot tap %s: %ld\n",
					    sess->name, dev->name, PTR_ERR(tap));
			continue;
		}
		list_add_tail(&tap->node, &sess->taps);
	}
	mutex_unlock(&kcap_mutex);
}

/*
 * A device goes away, or leaves for another namespace: every session lets
 * go of it, with one grace period for all.
 */
void kcap_session_dev_removed(struct net_device *dev)
{
	struct kcap_session *sess;
	struct kcap_tap *tap, *tmp;
	LIST_HEAD(gone);

	ASSERT_RTNL();

	mutex_lock(&kcap_mutex);
	list_for_each_entry(sess, &kcap_sessions, node) {
		list_for_each_entry_safe(tap, tmp, &sess->taps, node)
			if (tap->dev == dev)
				list_move_tail(&tap->node, &gone);
		if (sess->net == dev_net(dev))
			kcap_session_dev_gone(sess, dev->ifindex);
	}
	kcap_tap_free_all(&gone);
	mutex_unlock(&kcap_mutex);
}

/*
 * The namespace is being dismantled; its devices are gone already, so
 * the sessions bound to it only let go of it, and end.
 */
void kcap_session_net_exit(struct net *net)
{
	struct kcap_session *sess;

	rtnl_lock();
	mutex_lock(&kcap_mutex);
	list_for_each_entry(sess, &kcap_sessions, node) {
		if (sess->net != net)
			continue;
		WARN_ON_ONCE(!list_empty(&sess->taps));
		kcap_tap_free_all(&sess->taps);
		sess->net = NULL;
		sess->ndevs = 0;
		memset(sess->ifindex, 0, sizeof(sess->ifindex));
		if (sess->capture != KCAP_CAPTURE_OFF)
			kcap_session_end(sess);
	}
	kcap_session_unlock(KCAP_LOCK_RTNL);
}

int kcap_session_init(void)
{
	struct kcap_session *sess;

	sess = kcap_session_alloc(kcap_default_name);
	if (IS_ERR(sess))
		return PTR_ERR(sess);
	list_add_tail(&sess->node, &kcap_sessions);
	kcap_nr_sessions = 1;
	return 0;
}

/* No file is open, so no session has a reader. */
void kcap_session_exit(void)
{
	struct kcap_session *sess, *tmp;

	rtnl_lock();
	mutex_lock(&kcap_mutex);
	list_for_each_entry_safe(sess, tmp, &kcap_sessions, node) {
		list_del(&sess->node);
		kcap_session_destroy(sess);
	}
	kcap_nr_sessions = 0;
	kcap_session_unlock(KCAP_LOCK_RTNL);
}
