// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path: what the netfilter netdev hooks do with each packet.
 *
 * The hooks run in softirq (ingress) or with BH disabled (egress), under
 * rcu_read_lock(), on any CPU at once: they never sleep, never allocate,
 * and always let the packet through. Registering them is tap.c's.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/netfilter_netdev.h>
#include <linux/skbuff.h>

#include "kcap_int.h"

/*
 * Ingress: first, to see what arrived before other hooks drop it, as a
 * packet socket (which taps before netfilter) does. Egress: last, to see
 * what leaves after other hooks had their say, as a packet socket (which
 * taps at transmit) does.
 */
#define KCAP_PRIO_INGRESS	INT_MIN
#define KCAP_PRIO_EGRESS	INT_MAX

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

static enum kcap_verdict kcap_hook_capture(struct kcap_tap *tap,
					   struct sk_buff *skb, int dir,
					   u32 wire_len, u32 caplen, bool vlan)
{
	struct kcap_ring_rsv rsv;
	struct kcap_pkthdr *hdr;
	struct kcap_ring *ring;
	u16 flags = 0;

	ring = rcu_dereference(tap->sess->ring);
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
	hdr->ifindex = tap->dev->ifindex;
	hdr->wire_len = wire_len;
	hdr->cap_len = caplen;
	hdr->hatype = tap->dev->type;
	hdr->protocol = (__force u16)skb->protocol;
	kcap_hook_copy(skb, (u8 *)(hdr + 1), caplen, vlan);
	kcap_ring_commit(ring, hdr, &rsv);

	return caplen < wire_len ? KCAP_V_TRUNCATED : KCAP_V_CAPTURED;
}

static __always_inline unsigned int
kcap_hook_rcv(struct kcap_tap *tap, struct sk_buff *skb, int dir)
{
	const struct kcap_filter *f = rcu_dereference(tap->sess->filter);
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
	vlan = skb_vlan_tag_present(skb) && tap->dev->type == ARPHRD_ETHER &&
	       skb->len >= 2 * ETH_ALEN;
	wire_len = skb->len + (vlan ? VLAN_HLEN : 0);
	v = KCAP_V_MATCHED;
	if (kcap_filter_stats_only(f))
		goto out;
	v = kcap_hook_capture(tap, skb, dir, wire_len, min(wire_len, res), vlan);
out:
	kcap_stats_count(tap->stats, dir, v, wire_len);
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

/* The hook of tap in direction dir, ready for nf_register_net_hook(). */
void kcap_hook_ops_init(struct nf_hook_ops *ops, struct kcap_tap *tap,
			int dir)
{
	ops->pf = NFPROTO_NETDEV;
	ops->dev = tap->dev;
	ops->priv = tap;
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
