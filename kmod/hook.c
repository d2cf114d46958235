// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter netdev hooks, attaching them to devices, and following
 * devices and namespaces as they go and come.
 *
 * The hooks run in softirq (ingress) or with BH disabled (egress), under
 * rcu_read_lock(), on any CPU at once: they never sleep, never allocate,
 * and always let the packet through.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/netfilter_netdev.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/net_namespace.h>

#include "kcap.h"

/*
 * Ingress: first, to see what arrived before other hooks drop it, as a
 * packet socket (which taps before netfilter) does. Egress: last, to see
 * what leaves after other hooks had their say, as a packet socket (which
 * taps at transmit) does.
 */
#define KCAP_PRIO_INGRESS	INT_MIN
#define KCAP_PRIO_EGRESS	INT_MAX

/*
 * Which hooks a capture mode needs on dev. On a loopback device every
 * packet sent comes back in, so a bidirectional capture there takes only
 * the ingress hook and shows each packet once, as tcpdump on lo does.
 */
unsigned int kcap_hook_mask(u32 capture, const struct net_device *dev)
{
	switch (capture) {
	case KCAP_CAPTURE_INGRESS:
		return KCAP_HOOK_INGRESS;
	case KCAP_CAPTURE_EGRESS:
		return KCAP_HOOK_EGRESS;
	case KCAP_CAPTURE_BIDIRECTIONAL:
		if (dev->flags & IFF_LOOPBACK)
			return KCAP_HOOK_INGRESS;
		return KCAP_HOOK_INGRESS | KCAP_HOOK_EGRESS;
	default:
		return 0;
	}
}

/*
 * Copies caplen bytes of the frame at skb->data. A VLAN tag the driver
 * took out (or will put in) goes back after the two MAC addresses, where
 * it is on the wire.
 */
static void kcap_hook_copy(const struct sk_buff *skb, u8 *to, u32 caplen,
			   bool vlan)
{
	__be16 tag[2];
	u32 n;

	if (!vlan) {
		skb_copy_bits(skb, 0, to, caplen);
		return;
	}
	n = min_t(u32, caplen, 2 * ETH_ALEN);
	skb_copy_bits(skb, 0, to, n);
	if (caplen <= n)
		return;
	tag[0] = skb->vlan_proto;
	tag[1] = htons(skb_vlan_tag_get(skb));
	memcpy(to + n, tag, min_t(u32, caplen - n, VLAN_HLEN));
	if (caplen <= n + VLAN_HLEN)
		return;
	skb_copy_bits(skb, n, to + n + VLAN_HLEN, caplen - n - VLAN_HLEN);
}

static enum kcap_verdict kcap_hook_capture(struct kcap_attachment *at,
					   struct sk_buff *skb, int dir,
					   u32 wire_len, u32 caplen, bool vlan)
{
	struct kcap_ring_rsv rsv;
	struct kcap_pkthdr *hdr;
	struct kcap_ring *ring;
	u16 flags = 0;

	ring = rcu_dereference(at->sess->ring);
	if (!ring)
		return KCAP_V_DROPPED;
	hdr = kcap_ring_reserve(ring, caplen, &rsv);
	if (!hdr)
		return KCAP_V_DROPPED;

	if (dir == KCAP_DIR_INGRESS)
		flags |= KCAP_PKT_INGRESS;
	if (caplen < wire_len)
		flags |= KCAP_PKT_TRUNCATED;
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		flags |= KCAP_PKT_CSUM_PARTIAL;
	if (vlan)
		flags |= KCAP_PKT_VLAN_RESTORED;
	if (dir == KCAP_DIR_EGRESS && kcap_xmit_injected(skb))
		flags |= KCAP_PKT_INJECTED;
	hdr->hdr_len = sizeof(*hdr);
	hdr->flags = flags;
	hdr->tstamp_ns = ktime_get_real_ns();
	hdr->ifindex = at->dev->ifindex;
	hdr->wire_len = wire_len;
	hdr->cap_len = caplen;
	hdr->hatype = at->dev->type;
	hdr->protocol = (__force u16)skb->protocol;
	kcap_hook_copy(skb, (u8 *)(hdr + 1), caplen, vlan);
	kcap_ring_commit(ring, hdr, &rsv);

	return caplen < wire_len ? KCAP_V_TRUNCATED : KCAP_V_CAPTURED;
}

static __always_inline unsigned int
kcap_hook_rcv(struct kcap_attachment *at, struct sk_buff *skb, int dir)
{
	const struct kcap_filter *f = rcu_dereference(at->sess->filter);
	enum kcap_verdict v = KCAP_V_SEEN;
	unsigned char *data = skb->data;
	unsigned int len = skb->len;
	u32 wire_len = 0, res;
	bool vlan;

	/*
	 * Filters and copies see the frame from its link-layer header, as
	 * af_packet arranges for its socket filters. At ingress that header
	 * has been pulled; at egress skb->data is already there.
	 */
	if (skb_mac_header_was_set(skb) && skb_mac_header(skb) < skb->data)
		skb_push(skb, skb->data - skb_mac_header(skb));

	res = kcap_filter_run(f, skb);
	if (!res)
		goto out;
	vlan = skb_vlan_tag_present(skb) && at->dev->type == ARPHRD_ETHER &&
	       skb->len >= 2 * ETH_ALEN;
	wire_len = skb->len + (vlan ? VLAN_HLEN : 0);
	v = KCAP_V_MATCHED;
	if (kcap_filter_stats_only(f))
		goto out;
	v = kcap_hook_capture(at, skb, dir, wire_len, min(wire_len, res), vlan);
out:
	kcap_stats_count(at->stats, dir, v, wire_len);
	skb->data = data;
	skb->len = len;
	return NF_ACCEPT;
}

static unsigned int kcap_hook_ingress(void *priv, struct sk_buff *skb,
				      const struct nf_hook_state *state)
{
	return kcap_hook_rcv(priv, skb, KCAP_DIR_INGRESS);
}

static unsigned int kcap_hook_egress(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	return kcap_hook_rcv(priv, skb, KCAP_DIR_EGRESS);
}

static void kcap_hook_init_ops(struct kcap_attachment *at, int dir)
{
	struct nf_hook_ops *ops = &at->ops[dir];

	ops->pf = NFPROTO_NETDEV;
	ops->dev = at->dev;
	ops->priv = at;
	if (dir == KCAP_DIR_INGRESS) {
		ops->hook = kcap_hook_ingress;
		ops->hooknum = NF_NETDEV_INGRESS;
		ops->priority = KCAP_PRIO_INGRESS;
	} else {
		ops->hook = kcap_hook_egress;
		ops->hooknum = NF_NETDEV_EGRESS;
		ops->priority = KCAP_PRIO_EGRESS;
	}
}

/* Registers the session's hooks on dev; the caller lists the result. */
struct kcap_attachment *kcap_hook_attach(struct kcap_session *sess,
					 struct net_device *dev,
					 unsigned int hooks)
{
	struct kcap_attachment *at;
	int ret;

	ASSERT_RTNL();

	at = kzalloc(sizeof(*at), GFP_KERNEL);
	if (!at)
		return ERR_PTR(-ENOMEM);
	at->stats = kcap_stats_alloc();
	if (!at->stats) {
		ret = -ENOMEM;
		goto err_free_at;
	}
	at->sess = sess;
	at->dev = dev;
	netdev_hold(dev, &at->dev_tracker, GFP_KERNEL);

	if (hooks & KCAP_HOOK_INGRESS) {
		kcap_hook_init_ops(at, KCAP_DIR_INGRESS);
		ret = nf_register_net_hook(dev_net(dev),
					   &at->ops[KCAP_DIR_INGRESS]);
		if (ret)
			goto err_put_dev;
		at->hooks |= KCAP_HOOK_INGRESS;
	}
	if (hooks & KCAP_HOOK_EGRESS) {
		kcap_hook_init_ops(at, KCAP_DIR_EGRESS);
		ret = nf_register_net_hook(dev_net(dev),
					   &at->ops[KCAP_DIR_EGRESS]);
		if (ret)
			goto err_unregister_ingress;
		at->hooks |= KCAP_HOOK_EGRESS;
	}
	return at;

err_unregister_ingress:
	if (at->hooks & KCAP_HOOK_INGRESS) {
		nf_unregister_net_hook(dev_net(dev),
				       &at->ops[KCAP_DIR_INGRESS]);
		synchronize_net();
	}
err_put_dev:
	netdev_put(dev, &at->dev_tracker);
	kcap_stats_free(at->stats);
err_free_at:
	kfree(at);
	return ERR_PTR(ret);
}

/*
 * Stops the hooks of an attachment. They may still be running on other
 * CPUs until synchronize_net(), after which kcap_hook_free() may run.
 */
void kcap_hook_unregister(struct kcap_attachment *at)
{
	struct net *net = dev_net(at->dev);

	ASSERT_RTNL();

	if (at->hooks & KCAP_HOOK_INGRESS)
		nf_unregister_net_hook(net, &at->ops[KCAP_DIR_INGRESS]);
	if (at->hooks & KCAP_HOOK_EGRESS)
		nf_unregister_net_hook(net, &at->ops[KCAP_DIR_EGRESS]);
	at->hooks = 0;
}

/*
 * Frees an unregistered attachment, after a grace period, keeping its
 * counts in the session's totals. Unlinks it from whatever list holds it.
 */
void kcap_hook_free(struct kcap_attachment *at)
{
	lockdep_assert_held(&kcap_mutex);

	kcap_stats_fold(at->stats, at->sess->gone);
	list_del(&at->node);
	netdev_put(at->dev, &at->dev_tracker);
	kcap_stats_free(at->stats);
	kfree(at);
}

void kcap_hook_detach_all(struct kcap_session *sess)
{
	struct kcap_attachment *at, *tmp;

	ASSERT_RTNL();
	lockdep_assert_held(&kcap_mutex);

	if (list_empty(&sess->attachments))
		return;
	list_for_each_entry(at, &sess->attachments, node)
		kcap_hook_unregister(at);
	synchronize_net();
	list_for_each_entry_safe(at, tmp, &sess->attachments, node)
		kcap_hook_free(at);
}

/* A new device, or one moved in: sessions on any device take it. */
static void kcap_hook_dev_register(struct net_device *dev)
{
	struct kcap_attachment *at;
	struct kcap_session *sess;

	mutex_lock(&kcap_mutex);
	list_for_each_entry(sess, &kcap_sessions, node) {
		if (!(sess->cfg_flags & KCAP_CFG_ANY_DEV) ||
		    sess->capture == KCAP_CAPTURE_OFF ||
		    sess->net != dev_net(dev))
			continue;
		at = kcap_hook_attach(sess, dev,
				      kcap_hook_mask(sess->capture, dev));
		if (IS_ERR(at)) {
			pr_warn_ratelimited("kcap: session %s: cannot attach to %s: %ld\n",
					    sess->name, dev->name, PTR_ERR(at));
			continue;
		}
		list_add_tail(&at->node, &sess->attachments);
	}
	mutex_unlock(&kcap_mutex);
}

/*
 * A device goes away, or leaves for another namespace (which sends
 * NETDEV_UNREGISTER too): detach every session from it, waiting once.
 */
static void kcap_hook_dev_unregister(struct net_device *dev)
{
	struct kcap_attachment *at, *tmp;
	struct kcap_session *sess;
	LIST_HEAD(gone);

	mutex_lock(&kcap_mutex);
	list_for_each_entry(sess, &kcap_sessions, node) {
		list_for_each_entry_safe(at, tmp, &sess->attachments, node) {
			if (at->dev != dev)
				continue;
			kcap_hook_unregister(at);
			list_move_tail(&at->node, &gone);
		}
		if (sess->net == dev_net(dev))
			kcap_session_dev_gone(sess, dev->ifindex);
	}
	if (!list_empty(&gone)) {
		synchronize_net();
		list_for_each_entry_safe(at, tmp, &gone, node)
			kcap_hook_free(at);
	}
	mutex_unlock(&kcap_mutex);
}

static int kcap_hook_netdev_event(struct notifier_block *nb,
				  unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	switch (event) {
	case NETDEV_REGISTER:
		kcap_hook_dev_register(dev);
		break;
	case NETDEV_UNREGISTER:
		kcap_hook_dev_unregister(dev);
		kcap_xmit_dev_gone(dev);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block kcap_hook_netdev_nb = {
	.notifier_call = kcap_hook_netdev_event,
};

/*
 * A pernet subsystem's exit runs after the namespace's devices were
 * unregistered or sent home, so the sessions bound to it have no hooks
 * left: they only let go of the namespace, and end.
 */
static void __net_exit kcap_hook_net_exit(struct net *net)
{
	struct kcap_session *sess;

	rtnl_lock();
	mutex_lock(&kcap_mutex);
	list_for_each_entry(sess, &kcap_sessions, node) {
		if (sess->net != net)
			continue;
		WARN_ON_ONCE(!list_empty(&sess->attachments));
		kcap_session_net_gone(sess);
	}
	mutex_unlock(&kcap_mutex);
	rtnl_unlock();
}

static struct pernet_operations kcap_hook_net_ops = {
	.exit = kcap_hook_net_exit,
};

int kcap_hook_init(void)
{
	int ret;

	ret = register_pernet_subsys(&kcap_hook_net_ops);
	if (ret)
		return ret;
	ret = register_netdevice_notifier(&kcap_hook_netdev_nb);
	if (ret)
		goto err_unregister_pernet;
	return 0;

err_unregister_pernet:
	unregister_pernet_subsys(&kcap_hook_net_ops);
	return ret;
}

/* After kcap_session_exit(): no session is left to detach. */
void kcap_hook_exit(void)
{
	unregister_netdevice_notifier(&kcap_hook_netdev_nb);
	unregister_pernet_subsys(&kcap_hook_net_ops);
}
