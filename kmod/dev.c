// SPDX-License-Identifier: GPL-2.0
/*
 * The misc device /dev/kcap: open, release, mmap, poll and the ioctl entry
 * point, and the per-file state.
 *
 * /dev/kcap is one device for the whole machine, so root in a user
 * namespace is not enough to open it: the opener needs CAP_NET_RAW or
 * CAP_NET_ADMIN in the initial user namespace. Later checks use the
 * opener's credentials (file_ns_capable), so a descriptor passed to a less
 * privileged process carries only the opener's rights.
 *
 * Writes are frames to transmit (xmit.c).
 */
#include <linux/capability.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>

#include "kcap_int.h"

static int kcap_dev_open(struct inode *inode, struct file *file)
{
	struct kcap_file *kf;

	if (!capable(CAP_NET_RAW) && !capable(CAP_NET_ADMIN))
		return -EPERM;
	kf = kzalloc(sizeof(*kf), GFP_KERNEL);
	if (!kf)
		return -ENOMEM;
	mutex_init(&kf->tx_lock);
	file->private_data = kf;
	return 0;
}

/* A mapping holds the file, so no mapping of the ring is left by now. */
static int kcap_dev_release(struct inode *inode, struct file *file)
{
	struct kcap_file *kf = file->private_data;

	kcap_session_release(kf);
	kcap_xmit_release(kf);
	mutex_destroy(&kf->tx_lock);
	kfree(kf);
	return 0;
}

static int kcap_dev_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct kcap_ring *ring;

	if (!file_ns_capable(file, &init_user_ns, CAP_NET_RAW))
		return -EPERM;
	ring = kcap_session_reader_ring(file->private_data);
	if (!ring)
		return -ENXIO;
	return kcap_ring_mmap(ring, vma);
}

static __poll_t kcap_dev_poll(struct file *file, poll_table *wait)
{
	struct kcap_ring *ring;

	ring = kcap_session_reader_ring(file->private_data);
	if (!ring)
		return EPOLLERR;
	return kcap_ring_poll(ring, file, wait);
}

static const struct file_operations kcap_dev_fops = {
	.owner		= THIS_MODULE,
	.open		= kcap_dev_open,
	.release	= kcap_dev_release,
	.mmap		= kcap_dev_mmap,
	.write_iter	= kcap_xmit_write_iter,
	.poll		= kcap_dev_poll,
	.unlocked_ioctl	= kcap_ioctl_dispatch,
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
