// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl argument checks and dispatch. Every field userspace hands in is
 * checked here before any other file sees it: reserved words must be zero
 * (-EINVAL), unknown flag bits are not supported (-EOPNOTSUPP).
 */
#include <linux/build_bug.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "kcap_int.h"

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
static_assert(sizeof(struct kcap_tx_bind) == 16);
static_assert(sizeof(struct kcap_tx_stats) == 64);

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

/*
 * A session name: NUL-terminated within its field, 1 to KCAP_NAME_LEN - 1
 * characters of [A-Za-z0-9_.-].
 */
static int kcap_check_name(const u8 *name)
{
	size_t i, len = strnlen(name, KCAP_NAME_LEN);

	if (!len || len == KCAP_NAME_LEN)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (!isalnum(name[i]) && name[i] != '_' && name[i] != '.' &&
		    name[i] != '-')
			return -EINVAL;
	}
	return 0;
}

static bool kcap_may(struct file *file, int cap)
{
	return file_ns_capable(file, &init_user_ns, cap);
}

/*
 * ADD takes a name and flags, DEL only a name; INFO's other fields are its
 * output.
 */
static long kcap_ioctl_session(struct file *file, unsigned int cmd,
			       void __user *uarg)
{
	struct kcap_session_req req;
	int ret;

	if (cmd != KCAP_IOC_SESSION_INFO && !kcap_may(file, CAP_NET_ADMIN))
		return -EPERM;
	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	if (!kcap_resv_zero(req.resv))
		return -EINVAL;
	if (req.flags & ~KCAP_SESSION_F_PRIVATE)
		return -EOPNOTSUPP;
	if (req.flags && cmd != KCAP_IOC_SESSION_ADD)
		return -EINVAL;
	ret = kcap_check_name(req.name);
	if (ret)
		return ret;

	switch (cmd) {
	case KCAP_IOC_SESSION_ADD:
		return kcap_session_create(file->private_data, req.name,
					   req.flags);
	case KCAP_IOC_SESSION_DEL:
		return kcap_session_remove(file->private_data, req.name);
	}
	ret = kcap_session_describe(&req);
	if (ret)
		return ret;
	return copy_to_user(uarg, &req, sizeof(req)) ? -EFAULT : 0;
}

static long kcap_ioctl_session_list(void __user *uarg)
{
	u8 *names = NULL;
	struct kcap_session_list sl;
	u32 n;
	int ret;

	if (copy_from_user(&sl, uarg, sizeof(sl)))
		return -EFAULT;
	if (!kcap_resv_zero(sl.resv))
		return -EINVAL;
	if (sl.flags)
		return -EOPNOTSUPP;
	if (sl.cap && !sl.names)
		return -EINVAL;

	n = min_t(u32, sl.cap, KCAP_MAX_SESSIONS);
	if (n) {
		names = kcalloc(n, KCAP_NAME_LEN, GFP_KERNEL);
		if (!names)
			return -ENOMEM;
	}
	ret = kcap_session_names(names, n, &sl.count);
	if (ret)
		goto out_free;
	n = min(n, sl.count);
	if (copy_to_user(u64_to_user_ptr(sl.names), names,
			 (size_t)n * KCAP_NAME_LEN) ||
	    copy_to_user(uarg, &sl, sizeof(sl)))
		ret = -EFAULT;
out_free:
	kfree(names);
	return ret;
}

static int kcap_check_prefix(const struct kcap_prefix *pfx, bool set)
{
	unsigned int bits, i;

	if (!kcap_resv_zero(pfx->pad))
		return -EINVAL;
	if (!set)
		return memchr_inv(pfx, 0, sizeof(*pfx)) ? -EINVAL : 0;

	switch (pfx->family) {
	case KCAP_FAMILY_INET:
		bits = 32;
		break;
	case KCAP_FAMILY_INET6:
		bits = 128;
		break;
	default:
		return -EINVAL;
	}
	if (pfx->len > bits)
		return -EINVAL;
	/* Host bits, and the bytes past an IPv4 address, are zero. */
	for (i = pfx->len; i < sizeof(pfx->addr) * 8; i++) {
		if (pfx->addr[i / 8] & (0x80 >> (i % 8)))
			return -EINVAL;
	}
	return 0;
}

static int kcap_check_config(const struct kcap_config *cfg)
{
	u32 i, j;
	int ret;

	ret = kcap_check_name(cfg->name);
	if (ret)
		return ret;
	if (!kcap_resv_zero(cfg->resv) || !kcap_resv_zero(cfg->pad) ||
	    cfg->pad2)
		return -EINVAL;
	if (cfg->flags & ~KCAP_CFG_ALL || cfg->match & ~KCAP_MATCH_ALL)
		return -EOPNOTSUPP;
	if (cfg->capture > KCAP_CAPTURE_BIDIRECTIONAL)
		return -EINVAL;

	ret = kcap_check_prefix(&cfg->src, cfg->match & KCAP_MATCH_SRC);
	if (ret)
		return ret;
	ret = kcap_check_prefix(&cfg->dst, cfg->match & KCAP_MATCH_DST);
	if (ret)
		return ret;
	/* Fields of matches not asked for are zero, for later use. */
	if ((!(cfg->match & KCAP_MATCH_SPORT) && cfg->sport) ||
	    (!(cfg->match & KCAP_MATCH_DPORT) && cfg->dport) ||
	    (!(cfg->match & KCAP_MATCH_L4PROTO) && cfg->l4proto))
		return -EINVAL;

	if (cfg->snaplen > KCAP_SNAPLEN_MAX)
		return -EINVAL;
	if (cfg->ring_size &&
	    (!is_power_of_2(cfg->ring_size) || cfg->ring_size < KCAP_RING_MIN ||
	     cfg->ring_size > KCAP_RING_MAX))
		return -EINVAL;

	if (cfg->bpf_len > KCAP_MAX_BPF_INSNS ||
	    !cfg->bpf_len != !cfg->bpf_insns)
		return -EINVAL;

	if (cfg->ndevs > KCAP_MAX_DEVS)
		return -EINVAL;
	if ((cfg->flags & KCAP_CFG_ANY_DEV) && cfg->ndevs)
		return -EINVAL;
	/* Capturing needs something to capture on. */
	if (cfg->capture != KCAP_CAPTURE_OFF &&
	    !(cfg->flags & KCAP_CFG_ANY_DEV) && !cfg->ndevs)
		return -EINVAL;
	for (i = 0; i < KCAP_MAX_DEVS; i++) {
		if (i >= cfg->ndevs) {
			if (cfg->ifindex[i])
				return -EINVAL;
			continue;
		}
		/* Whether it exists is checked under rtnl_lock. */
		if (cfg->ifindex[i] <= 0)
			return -ENODEV;
		for (j = 0; j < i; j++)
			if (cfg->ifindex[j] == cfg->ifindex[i])
				return -EINVAL;
	}
	return 0;
}

static long kcap_ioctl_set_config(struct file *file, void __user *uarg)
{
	struct kcap_filter *filter;
	struct kcap_config cfg;
	int ret;

	if (!kcap_may(file, CAP_NET_ADMIN))
		return -EPERM;
	if (copy_from_user(&cfg, uarg, sizeof(cfg)))
		return -EFAULT;
	ret = kcap_check_config(&cfg);
	if (ret)
		return ret;

	filter = kcap_filter_create(&cfg);
	if (IS_ERR(filter))
		return PTR_ERR(filter);
	ret = kcap_session_configure(file->private_data, &cfg, filter);
	if (ret)
		kcap_filter_free(filter);
	return ret;
}

/* In: name, and bpf_insns with room for bpf_len instructions. */
static long kcap_ioctl_get_config(void __user *uarg)
{
	struct sock_filter *insns = NULL;
	struct kcap_config in, out = {};
	size_t size;
	int ret;

	if (copy_from_user(&in, uarg, sizeof(in)))
		return -EFAULT;
	if (!kcap_resv_zero(in.resv) || !kcap_resv_zero(in.pad) || in.pad2)
		return -EINVAL;
	ret = kcap_check_name(in.name);
	if (ret)
		return ret;

	memcpy(out.name, in.name, sizeof(out.name));
	ret = kcap_session_get_config(&out, &insns);
	if (ret)
		return ret;
	out.bpf_insns = in.bpf_insns;
	size = (size_t)out.bpf_len * sizeof(*insns);
	if (in.bpf_insns && out.bpf_len && in.bpf_len >= out.bpf_len &&
	    copy_to_user(u64_to_user_ptr(in.bpf_insns), insns, size))
		ret = -EFAULT;
	else if (copy_to_user(uarg, &out, sizeof(out)))
		ret = -EFAULT;
	kfree(insns);
	return ret;
}

static long kcap_ioctl_attach(struct file *file, void __user *uarg)
{
	struct kcap_attach att;
	int ret;

	if (!kcap_may(file, CAP_NET_RAW))
		return -EPERM;
	if (copy_from_user(&att, uarg, sizeof(att)))
		return -EFAULT;
	if (!kcap_resv_zero(att.resv))
		return -EINVAL;
	if (att.flags & ~KCAP_ATTACH_KEEP)
		return -EOPNOTSUPP;
	ret = kcap_check_name(att.name);
	if (ret)
		return ret;

	ret = kcap_session_attach(file->private_data, &att);
	if (ret)
		return ret;
	/*
	 * The file stays attached even if this copy fails: the reader can
	 * learn the layout again only by closing it, as for any ioctl
	 * whose output is lost.
	 */
	return copy_to_user(uarg, &att, sizeof(att)) ? -EFAULT : 0;
}

static long kcap_ioctl_stats(void __user *uarg)
{
	struct kcap_dev_stats *devs = NULL;
	struct kcap_stats st;
	u32 room = 0, cap;
	int ret, tries;

	if (copy_from_user(&st, uarg, sizeof(st)))
		return -EFAULT;
	if (!kcap_resv_zero(st.resv) || st.pad)
		return -EINVAL;
	if (st.flags)
		return -EOPNOTSUPP;
	if (st.cap && !st.devs)
		return -EINVAL;
	ret = kcap_check_name(st.name);
	if (ret)
		return ret;
	cap = st.devs ? st.cap : 0;

	/*
	 * Size the buffer by what is attached, not by what userspace says
	 * it has room for; retry if devices appeared in between.
	 */
	for (tries = 0; ; tries++) {
		ret = kcap_session_stats(&st, devs, room);
		if (ret || min(cap, st.count) <= room || tries == 3)
			break;
		kvfree(devs);
		room = min(cap, st.count);
		devs = kvcalloc(room, sizeof(*devs), GFP_KERNEL);
		if (!devs) {
			ret = -ENOMEM;
			break;
		}
	}
	if (ret)
		goto out_free;
	if ((room && copy_to_user(u64_to_user_ptr(st.devs), devs,
				  (size_t)min(room, st.count) * sizeof(*devs))) ||
	    copy_to_user(uarg, &st, sizeof(st)))
		ret = -EFAULT;
out_free:
	kvfree(devs);
	return ret;
}

static long kcap_ioctl_tx_bind(struct file *file, void __user *uarg)
{
	struct kcap_tx_bind b;

	if (copy_from_user(&b, uarg, sizeof(b)))
		return -EFAULT;
	if (!kcap_resv_zero(b.resv))
		return -EINVAL;
	if (b.flags)
		return -EOPNOTSUPP;
	if (b.ifindex <= 0)
		return -ENODEV;
	return kcap_xmit_bind(file, &b);
}

static long kcap_ioctl_tx_stats(struct file *file, void __user *uarg)
{
	struct kcap_tx_stats st;
	int ret;

	if (copy_from_user(&st, uarg, sizeof(st)))
		return -EFAULT;
	if (!kcap_resv_zero(st.resv) || st.sent || st.sent_bytes ||
	    st.refused || st.dropped || st.ifindex < 0)
		return -EINVAL;
	if (st.flags)
		return -EOPNOTSUPP;
	ret = kcap_xmit_stats(file, &st);
	if (ret)
		return ret;
	return copy_to_user(uarg, &st, sizeof(st)) ? -EFAULT : 0;
}

/* SET: the reader's own file, the name ignored; GET: by name. */
static long kcap_ioctl_dump(struct file *file, unsigned int cmd,
			    void __user *uarg)
{
	struct kcap_dump d;
	int ret;

	if (copy_from_user(&d, uarg, sizeof(d)))
		return -EFAULT;
	if (!kcap_resv_zero(d.resv))
		return -EINVAL;
	if (d.flags)
		return -EOPNOTSUPP;
	if (cmd == KCAP_IOC_DUMP_SET) {
		if (d.kind > KCAP_DUMP_KIND_MAX || d.format > KCAP_DUMP_FMT_MAX ||
		    !memchr(d.where, 0, sizeof(d.where)))
			return -EINVAL;
		return kcap_session_set_dump(file->private_data, &d);
	}
	ret = kcap_check_name(d.name) ?: kcap_session_get_dump(&d);
	if (ret)
		return ret;
	return copy_to_user(uarg, &d, sizeof(d)) ? -EFAULT : 0;
}

long kcap_ioctl_dispatch(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case KCAP_IOC_VERSION:
		return kcap_ioctl_version(uarg);
	case KCAP_IOC_SESSION_ADD:
	case KCAP_IOC_SESSION_DEL:
	case KCAP_IOC_SESSION_INFO:
		return kcap_ioctl_session(file, cmd, uarg);
	case KCAP_IOC_SESSION_LIST:
		return kcap_ioctl_session_list(uarg);
	case KCAP_IOC_SET_CONFIG:
		return kcap_ioctl_set_config(file, uarg);
	case KCAP_IOC_GET_CONFIG:
		return kcap_ioctl_get_config(uarg);
	case KCAP_IOC_ATTACH:
		return kcap_ioctl_attach(file, uarg);
	case KCAP_IOC_STATS:
		return kcap_ioctl_stats(uarg);
	case KCAP_IOC_TX_BIND:
		return kcap_ioctl_tx_bind(file, uarg);
	case KCAP_IOC_TX_STATS:
		return kcap_ioctl_tx_stats(file, uarg);
	case KCAP_IOC_DUMP_SET:
	case KCAP_IOC_DUMP_GET:
		return kcap_ioctl_dump(file, cmd, uarg);
	default:
		return -ENOTTY;
	}
}
