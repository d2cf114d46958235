// SPDX-License-Identifier: GPL-2.0
/*
 * The filter: structured match fields, an optional classic BPF program and
 * the snap length. A filter never changes once built; a new configuration
 * publishes a new one with rcu_replace_pointer(), so every packet is judged
 * by exactly one of them, and the old one is freed after a grace period.
 */
#include <linux/filter.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/slab.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "kcap_int.h"

struct kcap_filter {
	struct rcu_head rcu;
	u32 match;			/* KCAP_MATCH_* */
	u32 snaplen;			/* 0: whole frames */
	bool stats_only;
	u8 l4proto;
	__be16 sport;
	__be16 dport;
	struct kcap_prefix src;		/* as userspace gave them */
	struct kcap_prefix dst;
	struct bpf_prog *prog;
	u32 bpf_len;
	struct sock_filter *insns;	/* for KCAP_IOC_GET_CONFIG */
};

/* What the structured match needs to know of a packet. */
struct kcap_pkt {
	u8 family;			/* 0 if neither IPv4 nor IPv6 */
	u8 l4proto;
	bool has_l4proto;
	bool has_ports;
	__be16 sport;
	__be16 dport;
	const void *saddr;
	const void *daddr;
	union {
		struct iphdr ip4;
		struct ipv6hdr ip6;
	} l3;
};

struct kcap_filter *kcap_filter_create(const struct kcap_config *cfg)
{
	struct sock_fprog_kern fprog;
	struct kcap_filter *f;
	int ret;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return ERR_PTR(-ENOMEM);
	f->match = cfg->match;
	f->snaplen = cfg->snaplen;
	f->stats_only = cfg->flags & KCAP_CFG_STATS_ONLY;
	f->l4proto = cfg->l4proto;
	f->sport = htons(cfg->sport);
	f->dport = htons(cfg->dport);
	f->src = cfg->src;
	f->dst = cfg->dst;
	if (!cfg->bpf_len)
		return f;

	/*
	 * Copy the program once and build it from that copy, rather than
	 * have bpf_prog_create_from_user() read userspace a second time:
	 * what KCAP_IOC_GET_CONFIG reports is then what runs.
	 */
	f->insns = memdup_user(u64_to_user_ptr(cfg->bpf_insns),
			       array_size(cfg->bpf_len, sizeof(*f->insns)));
	if (IS_ERR(f->insns)) {
		ret = PTR_ERR(f->insns);
		goto err_free_filter;
	}
	f->bpf_len = cfg->bpf_len;

	fprog.len = cfg->bpf_len;
	fprog.filter = f->insns;
	/* bpf_prog_create() runs the classic BPF checker: -EINVAL if bad. */
	ret = bpf_prog_create(&f->prog, &fprog);
	/*
	 * With BPF_JIT_ALWAYS_ON (Debian's kernels) a JIT that cannot get
	 * its memory, or is over net.core.bpf_jit_limit, fails the program
	 * with the kernel-internal -ENOTSUPP, which userspace would read as
	 * "Unknown error 524". Found by the failslab sweep.
	 */
	if (ret == -ENOTSUPP)
		ret = -ENOMEM;
	if (ret)
		goto err_free_insns;
	return f;

err_free_insns:
	kfree(f->insns);
err_free_filter:
	kfree(f);
	return ERR_PTR(ret);
}

void kcap_filter_free(struct kcap_filter *f)
{
	if (!f)
		return;
	if (f->prog)
		bpf_prog_destroy(f->prog);
	kfree(f->insns);
	kfree(f);
}

static void kcap_filter_free_rcu(struct rcu_head *rcu)
{
	/* bpf_prog_destroy() may run here, as sk_filter_release_rcu() does. */
	kcap_filter_free(container_of(rcu, struct kcap_filter, rcu));
}

/* Frees a filter the hooks may still be using, after a grace period. */
void kcap_filter_release(struct kcap_filter *f)
{
	if (f)
		call_rcu(&f->rcu, kcap_filter_free_rcu);
}

bool kcap_filter_stats_only(const struct kcap_filter *f)
{
	return f->stats_only;
}

/* Copies the filter's part of the configuration, and its program. */
void kcap_filter_get(const struct kcap_filter *f, struct kcap_config *cfg,
		     struct sock_filter **insns)
{
	cfg->match = f->match;
	cfg->snaplen = f->snaplen;
	if (f->stats_only)
		cfg->flags |= KCAP_CFG_STATS_ONLY;
	cfg->l4proto = f->l4proto;
	cfg->sport = ntohs(f->sport);
	cfg->dport = ntohs(f->dport);
	cfg->src = f->src;
	cfg->dst = f->dst;
	cfg->bpf_len = f->bpf_len;
	*insns = NULL;
	if (f->bpf_len)
		*insns = kmemdup(f->insns, f->bpf_len * sizeof(*f->insns),
				 GFP_KERNEL);
}

/*
 * Finds the network header. A VLAN tag still in the frame (not taken out
 * by the driver or skb_vlan_untag()) is stepped over, one tag deep; it is
 * read from the Ethernet header rather than from the network header
 * offset, which callers set either before or after such a tag.
 */
static int kcap_filter_l3(const struct sk_buff *skb, __be16 *proto)
{
	struct vlan_hdr _vh;
	const struct vlan_hdr *vh;
	int off;

	*proto = skb->protocol;
	if (!eth_type_vlan(*proto))
		return skb_network_offset(skb);
	if (skb->dev->type != ARPHRD_ETHER || !skb_mac_header_was_set(skb))
		return -1;
	off = skb_mac_offset(skb) + ETH_HLEN;
	vh = skb_header_pointer(skb, off, sizeof(_vh), &_vh);
	if (!vh)
		return -1;
	*proto = vh->h_vlan_encapsulated_proto;
	return off + VLAN_HLEN;
}

static bool kcap_filter_has_ports(u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_UDPLITE || proto == IPPROTO_SCTP;
}

static void kcap_filter_ports(const struct sk_buff *skb, int off,
			      struct kcap_pkt *p)
{
	__be16 _ports[2];
	const __be16 *ports;

	if (!kcap_filter_has_ports(p->l4proto))
		return;
	ports = skb_header_pointer(skb, off, sizeof(_ports), _ports);
	if (!ports)
		return;
	p->sport = ports[0];
	p->dport = ports[1];
	p->has_ports = true;
}

static void kcap_filter_parse4(const struct sk_buff *skb, int off,
			       struct kcap_pkt *p)
{
	const struct iphdr *iph;

	iph = skb_header_pointer(skb, off, sizeof(p->l3.ip4), &p->l3.ip4);
	if (!iph || iph->version != 4 || iph->ihl < 5)
		return;
	p->family = KCAP_FAMILY_INET;
	p->saddr = &iph->saddr;
	p->daddr = &iph->daddr;
	p->l4proto = iph->protocol;
	p->has_l4proto = true;
	/* Only the first fragment carries the ports. */
	if (!(iph->frag_off & htons(IP_OFFSET)))
		kcap_filter_ports(skb, off + iph->ihl * 4, p);
}

static void kcap_filter_parse6(const struct sk_buff *skb, int off,
			       struct kcap_pkt *p)
{
	const struct ipv6hdr *ip6h;
	__be16 frag_off = 0;
	u8 nexthdr;
	int l4off;

	ip6h = skb_header_pointer(skb, off, sizeof(p->l3.ip6), &p->l3.ip6);
	if (!ip6h || ip6h->version != 6)
		return;
	p->family = KCAP_FAMILY_INET6;
	p->saddr = &ip6h->saddr;
	p->daddr = &ip6h->daddr;
	nexthdr = ip6h->nexthdr;
	l4off = ipv6_skip_exthdr(skb, off + sizeof(*ip6h), &nexthdr,
				 &frag_off);
	if (l4off < 0)
		return;
	p->l4proto = nexthdr;
	p->has_l4proto = true;
	/* ipv6_skip_exthdr() stops at a fragment other than the first. */
	if (!(ntohs(frag_off) & ~0x7))
		kcap_filter_ports(skb, l4off, p);
}

static bool kcap_filter_prefix(const struct kcap_prefix *pfx,
			       const struct kcap_pkt *p, const void *addr)
{
	if (pfx->family != p->family)
		return false;
	if (p->family == KCAP_FAMILY_INET) {
		__be32 a, mask;

		if (!pfx->len)
			return true;
		memcpy(&a, pfx->addr, sizeof(a));
		mask = htonl(~0U << (32 - pfx->len));
		return !((*(const __be32 *)addr ^ a) & mask);
	}
	return ipv6_prefix_equal(addr, (const struct in6_addr *)pfx->addr,
				 pfx->len);
}

static bool kcap_filter_match(const struct kcap_filter *f,
			      const struct sk_buff *skb)
{
	struct kcap_pkt p = {};
	__be16 proto;
	int off;

	off = kcap_filter_l3(skb, &proto);
	if (off < 0)
		return false;
	if (proto == htons(ETH_P_IP))
		kcap_filter_parse4(skb, off, &p);
	else if (proto == htons(ETH_P_IPV6))
		kcap_filter_parse6(skb, off, &p);

	/* A field the packet does not have does not match. */
	if ((f->match & KCAP_MATCH_SRC) &&
	    !kcap_filter_prefix(&f->src, &p, p.saddr))
		return false;
	if ((f->match & KCAP_MATCH_DST) &&
	    !kcap_filter_prefix(&f->dst, &p, p.daddr))
		return false;
	if ((f->match & KCAP_MATCH_L4PROTO) &&
	    (!p.has_l4proto || p.l4proto != f->l4proto))
		return false;
	if ((f->match & KCAP_MATCH_SPORT) &&
	    (!p.has_ports || p.sport != f->sport))
		return false;
	if ((f->match & KCAP_MATCH_DPORT) &&
	    (!p.has_ports || p.dport != f->dport))
		return false;
	return true;
}

/*
 * Judges a packet whose skb->data is at its link-layer header. Returns 0
 * if it does not match, else how many bytes of it to capture at most, as
 * a socket filter's return value limits what a packet socket receives.
 */
u32 kcap_filter_run(const struct kcap_filter *f, struct sk_buff *skb)
{
	u32 res = U32_MAX;

	if (f->match && !kcap_filter_match(f, skb))
		return 0;
	if (f->prog)
		res = bpf_prog_run(f->prog, skb);
	if (f->snaplen && res > f->snaplen)
		res = f->snaplen;
	return res;
}
