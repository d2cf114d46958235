// SPDX-License-Identifier: GPL-2.0
/*
 * Following devices and namespaces as they come and go: the netdevice
 * notifier and the pernet exit, which hand each event to the sessions
 * and to injection.
 */
#include <linux/netdevice.h>
#include <net/net_namespace.h>

#include "kcap_int.h"

static int kcap_notify_netdev_event(struct notifier_block *nb,
				    unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	switch (event) {
	case NETDEV_REGISTER:
		kcap_session_dev_added(dev);
		break;
	case NETDEV_UNREGISTER:
		/* Also sent when a device leaves for another namespace. */
		kcap_session_dev_removed(dev);
		kcap_xmit_dev_gone(dev);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block kcap_notify_netdev_nb = {
	.notifier_call = kcap_notify_netdev_event,
};

/*
 * A pernet subsystem's exit runs after the namespace's devices were
 * unregistered or sent home, so the sessions bound to it have no hooks
 * left there.
 */
static void __net_exit kcap_notify_net_exit(struct net *net)
{
	kcap_session_net_exit(net);
}

static struct pernet_operations kcap_notify_net_ops = {
	.exit = kcap_notify_net_exit,
};

int kcap_notify_init(void)
{
	int ret;

	ret = register_pernet_subsys(&kcap_notify_net_ops);
	if (ret)
		return ret;
	ret = register_netdevice_notifier(&kcap_notify_netdev_nb);
	if (ret)
		goto err_unregister_pernet;
	return 0;

err_unregister_pernet:
	unregister_pernet_subsys(&kcap_notify_net_ops);
	return ret;
}

/* After kcap_session_exit(): no session is left to detach. */
void kcap_notify_exit(void)
{
	unregister_netdevice_notifier(&kcap_notify_netdev_nb);
	unregister_pernet_subsys(&kcap_notify_net_ops);
}
