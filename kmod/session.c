// SPDX-License-Identifier: GPL-2.0
/*
 * Named sessions: the list, their configuration, and their one reader.
 *
 * Locking: rtnl_lock, then kcap_mutex. Whatever the packet path or the
 * device notifier depends on (configuration, attachments) changes only
 * with both held; the reader and the ring pointer change with kcap_mutex.
 * Nothing here copies to or from userspace with a lock held: a fault on a
 * user buffer could otherwise wait on whatever holds mmap_lock.
 */
#include <linux/netdevice.h>
#include <linux/nsproxy.h>
#include <linux/pid.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "kcap.h"

DEFINE_MUTEX(kcap_mutex);
LIST_HEAD(kcap_sessions);
static unsigned int kcap_nr_sessions;

static const char kcap_default_name[] = "default";

static_assert(sizeof(((struct kcap_session_req *)0)->reader_comm) ==
	      TASK_COMM_LEN);

#define kcap_deref(p) \
	rcu_dereference_protected(p, lockdep_is_held(&kcap_mutex))

static struct kcap_session *kcap_session_lookup(const char *name)
{
	struct kcap_session *sess;

	lockdep_assert_held(&kcap_mutex);

	list_for_each_entry(sess, &kcap_sessions, node)
		if (!strcmp(sess->name, name))
			return sess;
	return NULL;
}

static struct kcap_session *kcap_session_create(const char *name)
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
	INIT_LIST_HEAD(&sess->attachments);
	return sess;
}

/* The session is off the list and has no reader. */
static void kcap_session_destroy(struct kcap_session *sess)
{
	ASSERT_RTNL();
	lockdep_assert_held(&kcap_mutex);

	/* Waits for the hooks, so the ring and filter are ours alone. */
	kcap_hook_detach_all(sess);
	kcap_ring_free(kcap_deref(sess->ring));
	kcap_filter_free(kcap_deref(sess->filter));
	put_pid(sess->reader_pid);
	kfree(sess);
}

int kcap_session_add(const char *name)
{
	struct kcap_session *sess;
	int ret;

	sess = kcap_session_create(name);
	if (IS_ERR(sess))
		return PTR_ERR(sess);

	rtnl_lock();
	mutex_lock(&kcap_mutex);
	if (kcap_session_lookup(name)) {
		ret = -EEXIST;
		goto err_unlock;
	}
	if (kcap_nr_sessions >= KCAP_MAX_SESSIONS) {
		ret = -ENOSPC;
		goto err_unlock;
	}
	list_add_tail(&sess->node, &kcap_sessions);
	kcap_nr_sessions++;
	mutex_unlock(&kcap_mutex);
	rtnl_unlock();
	return 0;

err_unlock:
	kcap_session_destroy(sess);
	mutex_unlock(&kcap_mutex);
	rtnl_unlock();
	return ret;
}

int kcap_session_del(const char *name)
{
	struct kcap_session *sess;
	int ret = 0;

	if (!strcmp(name, kcap_default_name))
		return -EPERM;

	rtnl_lock();
	mutex_lock(&kcap_mutex);
	sess = kcap_session_lookup(name);
	if (!sess) {
		ret = -ENOENT;
		goto out_unlock;
	}
	if (sess->reader) {
		ret = -EBUSY;
		goto out_unlock;
	}
	list_del(&sess->node);
	kcap_nr_sessions--;
	kcap_session_destroy(sess);
out_unlock:
	mutex_unlock(&kcap_mutex);
	rtnl_unlock();
	return ret;
}

int kcap_session_info(struct kcap_session_req *req)
{
	struct kcap_session *sess;
	struct kcap_ring *ring;
	int ret = 0;

	mutex_lock(&kcap_mutex);
	sess = kcap_session_lookup(req->name);
	if (!sess) {
		ret = -ENOENT;
		goto out_unlock;
	}
	/* In the caller's pid namespace: 0 if the reader is not visible. */
	req->reader_pid = sess->reader_pid ? pid_vnr(sess->reader_pid) : 0;
	memcpy(req->reader_comm, sess->reader_comm, sizeof(req->reader_comm));
	ring = kcap_deref(sess->ring);
	req->ring_size = ring ? kcap_ring_size(ring) : 0;
	req->state = 0;
	if (!list_empty(&sess->attachments))
		req->state |= KCAP_SESSION_CAPTURING;
	if (sess->ended)
		req->state |= KCAP_SESSION_ENDED;
out_unlock:
	mutex_unlock(&kcap_mutex);
	return ret;
}

/*
 * Copies up to cap names (KCAP_NAME_LEN bytes each), in creation order,
 * and counts them all.
 */
int kcap_session_list(u8 *names, u32 cap, u32 *count)
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
 * Moves the session's attachment to dev with these hooks to keep, or
 * attaches anew onto added.
 */
static int kcap_session_want(struct kcap_session *sess, struct net_device *dev,
			     u32 capture, struct list_head *keep,
			     struct list_head *added)
{
	unsigned int hooks = kcap_hook_mask(capture, dev);
	struct kcap_attachment *at;

	list_for_each_entry(at, &sess->attachments, node) {
		if (at->dev == dev && at->hooks == hooks) {
			list_move_tail(&at->node, keep);
			return 0;
		}
	}
	at = kcap_hook_attach(sess, dev, hooks);
	if (IS_ERR(at))
		return PTR_ERR(at);
	list_add_tail(&at->node, added);
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
 * packet may meet both the old and the new attachment meanwhile; each
 * counts it consistently.
 */
int kcap_session_configure(const struct kcap_config *cfg,
			   struct kcap_filter *filter)
{
	u32 ring_size = cfg->ring_size ?: KCAP_RING_DEFAULT;
	struct net *net = current->nsproxy->net_ns;
	struct kcap_ring *ring, *old_ring = NULL;
	struct kcap_attachment *at, *tmp;
	struct kcap_filter *old_filter;
	struct kcap_session *sess;
	LIST_HEAD(added);
	LIST_HEAD(keep);
	LIST_HEAD(gone);
	u32 i;
	int ret;

	rtnl_lock();
	mutex_lock(&kcap_mutex);
	sess = kcap_session_lookup(cfg->name);
	if (!sess) {
		ret = -ENOENT;
		goto out_unlock;
	}
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
		goto err_detach_added;

	/* From here on nothing fails. */
	old_filter = rcu_replace_pointer(sess->filter, filter,
					 lockdep_is_held(&kcap_mutex));
	list_splice_init(&sess->attachments, &gone);
	list_for_each_entry(at, &gone, node)
		kcap_hook_unregister(at);
	list_splice_tail(&keep, &sess->attachments);
	list_splice_tail(&added, &sess->attachments);
	if (old_ring)
		RCU_INIT_POINTER(sess->ring, NULL);
	/* One grace period for everything the hooks may still touch. */
	if (!list_empty(&gone) || old_ring)
		synchronize_net();
	list_for_each_entry_safe(at, tmp, &gone, node)
		kcap_hook_free(at);
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
	ret = 0;
	goto out_unlock;

err_detach_added:
	list_for_each_entry(at, &added, node)
		kcap_hook_unregister(at);
	list_splice_tail(&keep, &sess->attachments);
	if (!list_empty(&added))
		synchronize_net();
	list_for_each_entry_safe(at, tmp, &added, node)
		kcap_hook_free(at);
out_unlock:
	mutex_unlock(&kcap_mutex);
	rtnl_unlock();
	return ret;
}

/* On success *insns is the program (cfg->bpf_len entries) or NULL. */
int kcap_session_get_config(struct kcap_config *cfg,
			    struct sock_filter **insns)
{
	struct kcap_session *sess;
	int ret = 0;

	mutex_lock(&kcap_mutex);
	sess = kcap_session_lookup(cfg->name);
	if (!sess) {
		ret = -ENOENT;
		goto out_unlock;
	}
	cfg->flags = sess->cfg_flags;
	cfg->capture = sess->capture;
	cfg->ring_size = sess->ring_size;
	cfg->ndevs = sess->ndevs;
	memcpy(cfg->ifindex, sess->ifindex, sizeof(cfg->ifindex));
	kcap_filter_get(kcap_deref(sess->filter), cfg, insns);
	if (cfg->bpf_len && !*insns)
		ret = -ENOMEM;
out_unlock:
	mutex_unlock(&kcap_mutex);
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

	mutex_lock(&kcap_mutex);
	if (kf->sess) {
		ret = -EBUSY;
		goto out_unlock;
	}
	sess = kcap_session_lookup(att->name);
	if (!sess) {
		ret = -ENOENT;
		goto out_unlock;
	}
	if (sess->reader) {
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

	att->data_size = kcap_ring_size(ring);
	att->cons_off = 0;
	att->prod_off = PAGE_SIZE;
	att->prod_len = PAGE_SIZE + (u64)kcap_ring_size(ring);
	att->data_off = PAGE_SIZE;
out_unlock:
	mutex_unlock(&kcap_mutex);
	return ret;
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

/* The file is being released: its mappings are gone. */
void kcap_session_release(struct kcap_file *kf)
{
	struct kcap_session *sess = kf->sess;

	if (!sess)
		return;
	mutex_lock(&kcap_mutex);
	sess->reader = NULL;
	put_pid(sess->reader_pid);
	sess->reader_pid = NULL;
	memset(sess->reader_comm, 0, sizeof(sess->reader_comm));
	mutex_unlock(&kcap_mutex);
}

int kcap_session_stats(struct kcap_stats *st, struct kcap_dev_stats *devs,
		       u32 cap)
{
	struct kcap_session *sess;
	int ret = 0;

	/* rtnl keeps the device names still while we copy them. */
	rtnl_lock();
	mutex_lock(&kcap_mutex);
	sess = kcap_session_lookup(st->name);
	if (sess)
		kcap_stats_report(sess, st, devs, cap);
	else
		ret = -ENOENT;
	mutex_unlock(&kcap_mutex);
	rtnl_unlock();
	return ret;
}

/* Marks a session ended: its devices, or its namespace, went away. */
void kcap_session_end(struct kcap_session *sess)
{
	struct kcap_ring *ring;

	lockdep_assert_held(&kcap_mutex);

	sess->ended = true;
	ring = kcap_deref(sess->ring);
	if (ring)
		kcap_ring_set_ended(ring, true);
}

/*
 * A device of the session's namespace is going away (unregistered, or
 * moving to another namespace). The caller has detached it.
 */
void kcap_session_dev_gone(struct kcap_session *sess, int ifindex)
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

/* The session's namespace is being dismantled; its devices are gone. */
void kcap_session_net_gone(struct kcap_session *sess)
{
	ASSERT_RTNL();
	lockdep_assert_held(&kcap_mutex);

	kcap_hook_detach_all(sess);
	sess->net = NULL;
	sess->ndevs = 0;
	memset(sess->ifindex, 0, sizeof(sess->ifindex));
	if (sess->capture != KCAP_CAPTURE_OFF)
		kcap_session_end(sess);
}

int kcap_session_init(void)
{
	struct kcap_session *sess;

	sess = kcap_session_create(kcap_default_name);
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
	mutex_unlock(&kcap_mutex);
	rtnl_unlock();
}
