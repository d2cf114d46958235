// SPDX-License-Identifier: GPL-2.0
/*
 * kcap: packet capture at the netfilter netdev hooks.
 *
 * This file only chains the subsystems' init calls and unwinds them in
 * reverse; each concern lives in its own file.
 */
#include <linux/module.h>
#include <linux/rcupdate.h>

#include "kcap_int.h"

static int __init kcap_init(void)
{
	int ret;

	ret = kcap_session_init();
	if (ret)
		return ret;
	ret = kcap_notify_init();
	if (ret)
		goto err_session_exit;
	/* The device goes last: once it exists, userspace can reach us. */
	ret = kcap_dev_init();
	if (ret)
		goto err_notify_exit;

	pr_info("kcap: ABI %u loaded\n", KCAP_ABI_VERSION);
	return 0;

err_notify_exit:
	kcap_notify_exit();
err_session_exit:
	kcap_session_exit();
	return ret;
}

static void __exit kcap_exit(void)
{
	/* The device goes first: no ioctl can start after this. */
	kcap_dev_exit();
	kcap_xmit_exit();
	kcap_session_exit();
	kcap_notify_exit();
	/* Filters replaced while capturing are freed by call_rcu(). */
	rcu_barrier();
}

module_init(kcap_init);
module_exit(kcap_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Packet capture at the netfilter netdev hooks");
MODULE_AUTHOR("The kcap developers");
