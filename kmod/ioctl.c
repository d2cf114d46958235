// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl argument checks and dispatch. Every field userspace hands in is
 * checked here before any other file sees it: reserved words must be zero
 * (-EINVAL), unknown flag bits are not supported (-EOPNOTSUPP).
 */
#include <linux/build_bug.h>
#include <linux/uaccess.h>

#include "kcap.h"

/* The ABI's sizes; tools/lib asserts the same numbers. */
static_assert(sizeof(struct kcap_version) == 40);
static_assert(sizeof(struct kcap_session_req) == 80);
static_assert(sizeof(struct kcap_session_list) == 32);
static_assert(sizeof(struct kcap_prefix) == 24);
static_assert(sizeof(struct kcap_config) == 224);
static_assert(sizeof(struct kcap_attach) == 88);
static_assert(sizeof(struct kcap_ring_prod) == 8);
static_assert(sizeof(struct kcap_ring_cons) == 8);
static_assert(sizeof(struct kcap_pkthdr) == 32);
static_assert(sizeof(struct kcap_counters) == 48);
static_assert(sizeof(struct kcap_dev_stats) == 120);
static_assert(sizeof(struct kcap_stats) == 176);

#define kcap_resv_zero(arr) (!memchr_inv((arr), 0, sizeof(arr)))

static long kcap_ioctl_version(void __user *uarg)
{
	struct kcap_version v;

	if (copy_from_user(&v, uarg, sizeof(v)))
		return -EFAULT;
	if (!kcap_resv_zero(v.resv) || v.abi_version || v.features ||
	    v.max_sessions || v.max_devs)
		return -EINVAL;
	if (v.flags)
		return -EOPNOTSUPP;

	v.abi_version = KCAP_ABI_VERSION;
	v.features = KCAP_FEAT_ALL;
	v.max_sessions = KCAP_MAX_SESSIONS;
	v.max_devs = KCAP_MAX_DEVS;
	return copy_to_user(uarg, &v, sizeof(v)) ? -EFAULT : 0;
}

long kcap_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case KCAP_IOC_VERSION:
		return kcap_ioctl_version(uarg);
	default:
		return -ENOTTY;
	}
}
