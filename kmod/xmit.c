// SPDX-License-Identifier: GPL-2.0
/*
 * Injection: frames written to /dev/kcap leave through a device's normal
 * transmit path, as af_packet's packet_snd() sends them.
 *
 * A file binds to a device (KCAP_IOC_TX_BIND) and then holds a reference
 * on that device's kcap_txdev, which owns the device's counters and a
 * tracked reference to the device itself. The txdevs are listed under
 * rtnl_lock, so binding cannot race with the device going away: the
 * netdevice notifier (notify.c) drops the device here, under the same lock,
 * and writers find the device gone.
 */
#include <linux/capability.h>
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <net/net_namespace.h>

#include "kcap_int.h"

/* Before 6.4 an iov_iter's vector was its iov field. */
#ifndef KCAP_HAVE_ITER_IOV
#define iter_iov(iter) ((iter)->iov)
#endif

struct kcap_txdev {
	struct list_head node;		/* in kcap_txdevs, under rtnl_lock */
	struct net_device __rcu *dev;	/* NULL once the device went */
	netdevice_tracker dev_tracker;
	refcount_t refs;		/* the list's and each bound file's */
	atomic64_t sent;
	atomic64_t sent_bytes;
	atomic64_t refused;
	atomic64_t dropped;
};

static LIST_HEAD(kcap_txdevs);

/*
 * The skb this CPU is transmitting for a writer, for the egress hook, which
 * runs synchronously inside dev_queue_xmit() on the same CPU: BH stays
 * disabled around the call, so nothing else on this CPU transmits
 * meanwhile. A mark in the skb itself would be visible to other hooks.
 */
DEFINE_PER_CPU(const struct sk_buff *, kcap_xmit_skb);

static void kcap_txdev_put(struct kcap_txdev *td)
{
	/* The list's reference goes last, after the device's. */
	if (refcount_dec_and_test(&td->refs))
		kfree(td);
}

static struct kcap_txdev *kcap_txdev_find(const struct net_device *dev)
{
	struct kcap_txdev *td;

	ASSERT_RTNL();

	list_for_each_entry(td, &kcap_txdevs, node)
		if (rtnl_dereference(td->dev) == dev)
			return td;
	return NULL;
}

static struct kcap_txdev *kcap_txdev_get(struct net_device *dev)
{
	struct kcap_txdev *td;

	ASSERT_RTNL();

	td = kcap_txdev_find(dev);
	if (td) {
		refcount_inc(&td->refs);
		return td;
	}
	td = kzalloc(sizeof(*td), GFP_KERNEL);
	if (!td)
		return NULL;
	netdev_hold(dev, &td->dev_tracker, GFP_KERNEL);
	rcu_assign_pointer(td->dev, dev);
	refcount_set(&td->refs, 2);
	list_add_tail(&td->node, &kcap_txdevs);
	return td;
}

/* Ethernet and loopback devices: frames start with an Ethernet header. */
static bool kcap_xmit_dev_ok(const struct net_device *dev)
{
	return (dev->type == ARPHRD_ETHER || dev->type == ARPHRD_LOOPBACK) &&
	       dev->hard_header_len == ETH_HLEN;
}

int kcap_xmit_bind(struct file *file, const struct kcap_tx_bind *b)
{
	struct kcap_file *kf = file->private_data;
	struct kcap_txdev *td, *old = NULL;
	struct net_device *dev;
	int ret = 0;

	if (!file_ns_capable(file, &init_user_ns, CAP_NET_RAW))
		return -EPERM;

	mutex_lock(&kf->tx_lock);
	rtnl_lock();
	dev = __dev_get_by_index(current->nsproxy->net_ns, b->ifindex);
	if (!dev) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (!kcap_xmit_dev_ok(dev)) {
		ret = -EOPNOTSUPP;
		goto out_unlock;
	}
	td = kcap_txdev_get(dev);
	if (!td) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	old = kf->tx;
	kf->tx = td;
out_unlock:
	rtnl_unlock();
	mutex_unlock(&kf->tx_lock);
	if (!ret && old)
		kcap_txdev_put(old);
	return ret;
}

static void kcap_txdev_report(struct kcap_txdev *td, struct kcap_tx_stats *st)
{
	st->sent = atomic64_read(&td->sent);
	st->sent_bytes = atomic64_read(&td->sent_bytes);
	st->refused = atomic64_read(&td->refused);
	st->dropped = atomic64_read(&td->dropped);
}

int kcap_xmit_stats(struct file *file, struct kcap_tx_stats *st)
{
	struct kcap_file *kf = file->private_data;
	struct net_device *dev;
	struct kcap_txdev *td;
	int ret = 0;

	if (!st->ifindex) {
		mutex_lock(&kf->tx_lock);
		td = kf->tx;
		if (td) {
			rcu_read_lock();
			dev = rcu_dereference(td->dev);
			st->ifindex = dev ? dev->ifindex : 0;
			rcu_read_unlock();
			kcap_txdev_report(td, st);
		}
		mutex_unlock(&kf->tx_lock);
		return td ? 0 : -EDESTADDRREQ;
	}

	rtnl_lock();
	dev = __dev_get_by_index(current->nsproxy->net_ns, st->ifindex);
	if (!dev) {
		ret = -ENODEV;
		goto out_unlock;
	}
	/* A device nothing was ever bound to has sent nothing. */
	td = kcap_txdev_find(dev);
	if (td)
		kcap_txdev_report(td, st);
out_unlock:
	rtnl_unlock();
	return ret;
}

/* Called by the netdevice notifier, under rtnl_lock. */
void kcap_xmit_dev_gone(struct net_device *dev)
{
	struct kcap_txdev *td;

	ASSERT_RTNL();

	td = kcap_txdev_find(dev);
	if (!td)
		return;
	list_del(&td->node);
	RCU_INIT_POINTER(td->dev, NULL);
	/* Writers take their own reference under rcu_read_lock(). */
	synchronize_net();
	netdev_put(dev, &td->dev_tracker);
	kcap_txdev_put(td);
}

/* At module exit, after the last file closed. */
void kcap_xmit_exit(void)
{
	struct kcap_txdev *td, *tmp;

	rtnl_lock();
	list_for_each_entry_safe(td, tmp, &kcap_txdevs, node)
		kcap_xmit_dev_gone(rtnl_dereference(td->dev));
	rtnl_unlock();
}

void kcap_xmit_release(struct kcap_file *kf)
{
	if (kf->tx)
		kcap_txdev_put(kf->tx);
	kf->tx = NULL;
}

/* The longest frame dev takes; @tagged: with an 802.1Q or 802.1ad tag. */
static u32 kcap_xmit_max_len(const struct net_device *dev, bool tagged)
{
	return dev->mtu + dev->hard_header_len + (tagged ? VLAN_HLEN : 0);
}

/*
 * Sends the next len bytes of from as one frame. Returns 0 when the frame
 * was handed to the device, or an error with nothing sent.
 */
static int kcap_xmit_one(struct kcap_txdev *td, struct net_device *dev,
			 struct iov_iter *from, size_t len)
{
	int hlen = LL_RESERVED_SPACE(dev), tlen = dev->needed_tailroom;
	const struct ethhdr *eth;
	struct sk_buff *skb;
	int ret;

	if (!len || len < dev->hard_header_len || len > iov_iter_count(from))
		return -EINVAL;
	/* The bound on what a frame may allocate. */
	if (len > kcap_xmit_max_len(dev, true))
		return -EMSGSIZE;
	if (!(dev->flags & IFF_UP))
		return -ENETDOWN;

	skb = alloc_skb(hlen + len + tlen, GFP_KERNEL | __GFP_NOWARN);
	if (!skb)
		return -ENOMEM;
	skb_reserve(skb, hlen);
	if (!copy_from_iter_full(skb_put(skb, len), len, from)) {
		ret = -EFAULT;
		goto err_free;
	}
	skb_reset_mac_header(skb);
	eth = eth_hdr(skb);
	if (len > kcap_xmit_max_len(dev, eth_type_vlan(eth->h_proto))) {
		ret = -EMSGSIZE;
		goto err_free;
	}
	/* As eth_type_trans() decides, for a frame going the other way. */
	if (eth_proto_is_802_3(eth->h_proto))
		skb->protocol = eth->h_proto;
	else
		skb->protocol = htons(ETH_P_802_3);
	skb_set_network_header(skb, dev->hard_header_len);
	skb_probe_transport_header(skb);
	skb->dev = dev;
	skb->priority = 0;
	skb->mark = 0;

	local_bh_disable();
	__this_cpu_write(kcap_xmit_skb, skb);
	ret = dev_queue_xmit(skb);
	__this_cpu_write(kcap_xmit_skb, NULL);
	local_bh_enable();
	/* As af_packet: congestion is success, a drop is -ENOBUFS. */
	if (ret > 0)
		ret = net_xmit_errno(ret);
	if (ret) {
		atomic64_inc(&td->dropped);
		return ret;
	}
	atomic64_inc(&td->sent);
	atomic64_add(len, &td->sent_bytes);
	return 0;

err_free:
	kfree_skb(skb);
	return ret;
}

/*
 * write(2) is one frame, each iovec of writev(2) one more. Stops at the
 * first frame that fails, and says how many bytes went before it.
 */
ssize_t kcap_xmit_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct kcap_file *kf = iocb->ki_filp->private_data;
	const struct iovec *iov = NULL;
	unsigned long i, nsegs = 1;
	struct net_device *dev;
	struct kcap_txdev *td;
	ssize_t sent = 0;
	size_t len;
	int ret = 0;

	if (iter_is_iovec(from)) {
		iov = iter_iov(from);
		nsegs = from->nr_segs;
	}

	mutex_lock(&kf->tx_lock);
	td = kf->tx;
	if (!td) {
		ret = -EDESTADDRREQ;
		goto out_unlock;
	}
	rcu_read_lock();
	dev = rcu_dereference(td->dev);
	if (dev)
		dev_hold(dev);
	rcu_read_unlock();
	if (!dev) {
		ret = -ENODEV;
		goto out_unlock;
	}

	for (i = 0; i < nsegs; i++) {
		len = iov ? iov[i].iov_len : iov_iter_count(from);
		ret = kcap_xmit_one(td, dev, from, len);
		if (ret) {
			/* A drop was handed over: it is not a refusal. */
			if (ret != -ENOBUFS)
				atomic64_inc(&td->refused);
			break;
		}
		sent += len;
		cond_resched();
	}
	dev_put(dev);
out_unlock:
	mutex_unlock(&kf->tx_lock);
	return sent ? sent : ret;
}
