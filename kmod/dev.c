// SPDX-License-Identifier: GPL-2.0
/*
 * The misc device /dev/kcap: open, release and the ioctl entry point.
 *
 * /dev/kcap is one device for the whole machine, so root in a user
 * namespace is not enough to open it: the opener needs CAP_NET_RAW or
 * CAP_NET_ADMIN in the initial user namespace. Later checks use the
 * opener's credentials (file_ns_capable), so a descriptor passed to a less
 * privileged process carries only the opener's rights.
 */
#include <linux/capability.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "kcap.h"

static int kcap_dev_open(struct inode *inode, struct file *file)
{
	if (!capable(CAP_NET_RAW) && !capable(CAP_NET_ADMIN))
		return -EPERM;
	return 0;
}

static int kcap_dev_release(struct inode *inode, struct file *file)
{
	return 0;
}

static const struct file_operations kcap_dev_fops = {
	.owner		= THIS_MODULE,
	.open		= kcap_dev_open,
	.release	= kcap_dev_release,
	.unlocked_ioctl	= kcap_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice kcap_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= KCAP_DEVICE_NAME,
	.fops	= &kcap_dev_fops,
	.mode	= 0600,
};

int kcap_dev_init(void)
{
	return misc_register(&kcap_miscdev);
}

void kcap_dev_exit(void)
{
	misc_deregister(&kcap_miscdev);
}
