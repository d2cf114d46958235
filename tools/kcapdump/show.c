// SPDX-License-Identifier: GPL-2.0
/* Live packets printed by libkcapdecode; see show.h. */
#include <net/if_arp.h>
#include <string.h>

#include "show.h"

int kd_linktype(unsigned int hatype)
{
	switch (hatype) {
	case ARPHRD_ETHER:
	case ARPHRD_LOOPBACK:	/* lo's frames carry an Ethernet header */
		return KCAP_DLT_EN10MB;
	case ARPHRD_NONE:	/* tun, wireguard: the IP header comes first */
	case ARPHRD_RAWIP:
	case ARPHRD_TUNNEL:
	case ARPHRD_TUNNEL6:
	case ARPHRD_SIT:
		return KCAP_DLT_RAW;
	default:
		return KCAP_DLT_EN10MB;
	}
}

const char *kd_ifname(struct kd_show *s, int ifindex)
{
	unsigned int i;

	for (i = 0; i < s->nifc; i++)
		if (s->ifc[i].ifindex == ifindex)
			return s->ifc[i].name;
	/* More devices than slots: replace the oldest. */
	if (s->nifc < KD_IFCACHE)
		i = s->nifc++;
	else
		i = s->next++ % KD_IFCACHE;
	s->ifc[i].ifindex = ifindex;
	if (!if_indextoname(ifindex, s->ifc[i].name))
		snprintf(s->ifc[i].name, sizeof(s->ifc[i].name), "if%d", ifindex);
	return s->ifc[i].name;
}

void kd_show_packet(struct kd_show *s, FILE *out, const struct kcap_pkthdr *h,
		    const uint8_t *data)
{
	struct kcap_dec_pkt pkt = {
		.data = data,
		.caplen = h->cap_len,
		.wirelen = h->wire_len < h->cap_len ? h->cap_len : h->wire_len,
		.ts_ns = h->tstamp_ns,
		.ifname = kd_ifname(s, h->ifindex),
		.direction = h->flags & KCAP_PKT_INGRESS ? KCAP_DIR_IN : KCAP_DIR_OUT,
		.number = ++s->number,
		.linktype = kd_linktype(h->hatype),
	};

	kcap_decode_print(out, &pkt, &s->o);
}
