// SPDX-License-Identifier: GPL-2.0
/*
 * Taps: the hooks of one session on one device, registered and taken
 * down. The hook functions reach the session through the tap; a tap is
 * freed only after its hooks are unregistered and synchronize_net() has
 * returned.
 */
#include <linux/netfilter.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "kcap_int.h"

/*
 * Which hooks a capture mode needs on dev. On a loopback device every
 * packet sent comes back in, so a bidirectional capture there takes only
 * the ingress hook and shows each packet once, as tcpdump on lo does.
 */
unsigned int kcap_tap_hooks(u32 capture, const struct net_device *dev)
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

/* Registers the session's hooks on dev; the caller lists the result. */
struct kcap_tap *kcap_tap_create(struct kcap_session *sess,
				 struct net_device *dev, unsigned int hooks)
{
	struct kcap_tap *tap;
	int ret;

	ASSERT_RTNL();

	tap = kzalloc(sizeof(*tap), GFP_KERNEL);
	if (!tap)
		return ERR_PTR(-ENOMEM);
	tap->stats = kcap_stats_pcpu_alloc();
	if (!tap->stats) {
		ret = -ENOMEM;
		goto err_free_tap;
	}
	tap->sess = sess;
	tap->dev = dev;
	netdev_hold(dev, &tap->dev_tracker, GFP_KERNEL);

	if (hooks & KCAP_HOOK_INGRESS) {
		kcap_hook_ops_init(&tap->ops[KCAP_DIR_INGRESS], tap,
				   KCAP_DIR_INGRESS);
		ret = nf_register_net_hook(dev_net(dev),
					   &tap->ops[KCAP_DIR_INGRESS]);
		if (ret)
			goto err_put_dev;
		tap->hooks |= KCAP_HOOK_INGRESS;
	}
	if (hooks & KCAP_HOOK_EGRESS) {
		kcap_hook_ops_init(&tap->ops[KCAP_DIR_EGRESS], tap,
				   KCAP_DIR_EGRESS);
		ret = nf_register_net_hook(dev_net(dev),
					   &tap->ops[KCAP_DIR_EGRESS]);
		if (ret)
			goto err_unregister_ingress;
		tap->hooks |= KCAP_HOOK_EGRESS;
	}
	return tap;

err_unregister_ingress:
	if (tap->hooks & KCAP_HOOK_INGRESS) {
		nf_unregister_net_hook(dev_net(dev),
				       &tap->ops[KCAP_DIR_INGRESS]);
		synchronize_net();
	}
err_put_dev:
	netdev_put(dev, &tap->dev_tracker);
	kcap_stats_pcpu_free(tap->stats);
err_free_tap:
	kfree(tap);
	return ERR_PTR(ret);
}

/*
 * Stops the hooks of a tap. They may still be running on other CPUs
 * until synchronize_net(), after which kcap_tap_free() may run.
 */
void kcap_tap_unregister(struct kcap_tap *tap)
{
	struct net *net = dev_net(tap->dev);

	ASSERT_RTNL();

	if (tap->hooks & KCAP_HOOK_INGRESS)
		nf_unregister_net_hook(net, &tap->ops[KCAP_DIR_INGRESS]);
	if (tap->hooks & KCAP_HOOK_EGRESS)
		nf_unregister_net_hook(net, &tap->ops[KCAP_DIR_EGRESS]);
	tap->hooks = 0;
}

/*
 * Frees an unregistered tap, after a grace period, keeping its counts in
 * the session's totals. Unlinks it from whatever list holds it.
 */
void kcap_tap_free(struct kcap_tap *tap)
{
	lockdep_assert_held(&kcap_mutex);

	kcap_stats_fold(tap->stats, tap->sess->gone);
	list_del(&tap->node);
	netdev_put(tap->dev, &tap->dev_tracker);
	kcap_stats_pcpu_free(tap->stats);
	kfree(tap);
}

/* Unregisters and frees every tap on the list, waiting once. */
void kcap_tap_free_all(struct list_head *taps)
{
	struct kcap_tap *tap, *tmp;

	ASSERT_RTNL();
	lockdep_assert_held(&kcap_mutex);

	if (list_empty(taps))
		return;
	list_for_each_entry(tap, taps, node)
		kcap_tap_unregister(tap);
	synchronize_net();
	list_for_each_entry_safe(tap, tmp, taps, node)
		kcap_tap_free(tap);
}
