// SPDX-License-Identifier: GPL-2.0
/*
 * kcap: packet capture at the netfilter netdev hooks.
 *
 * This file only chains the subsystems' init calls and unwinds them in
 * reverse; each concern lives in its own file.
 */
#include <linux/module.h>

#include "kcap.h"

static int __init kcap_init(void)
{
	int ret;

	/* The device goes last: once it exists, userspace can reach us. */
	ret = kcap_dev_init();
	if (ret)
		return ret;

	pr_info("kcap: ABI %u loaded\n", KCAP_ABI_VERSION);
	return 0;
}

static void __exit kcap_exit(void)
{
	kcap_dev_exit();
}

module_init(kcap_init);
module_exit(kcap_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Packet capture at the netfilter netdev hooks");
MODULE_AUTHOR("The kcap developers");
