// SPDX-License-Identifier: GPL-2.0
/*
 * A short summary of each packet until the decoders arrive: time,
 * device, direction, addresses, ports and length. Every field is read
 * through a bounds check, so a packet cut anywhere prints what it has.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "print.h"

struct cur {
	const uint8_t *p;
	uint32_t len;
};

static bool have(const struct cur *c, uint32_t off, uint32_t n)
{
	return off <= c->len && n <= c->len - off;
}

static unsigned int be16(const struct cur *c, uint32_t off)
{
	return (c->p[off] << 8) | c->p[off + 1];
}

static const char *ifname_of(int ifindex, char *buf)
{
	static int last_index;
	static char last[IF_NAMESIZE];

	/* One lookup per change of device, not per packet. */
	if (ifindex != last_index || !last[0]) {
		if (!if_indextoname(ifindex, last))
			snprintf(last, sizeof(last), "if%d", ifindex);
		last_index = ifindex;
	}
	memcpy(buf, last, IF_NAMESIZE);
	return buf;
}

static void print_l4(FILE *fp, unsigned int proto, const struct cur *c,
		     uint32_t off, const char *src, const char *dst)
{
	const char *name = kcap_l4proto_name(proto);

	if ((proto == 6 || proto == 17 || proto == 132) && have(c, off, 4))
		fprintf(fp, "%s.%u > %s.%u: %s", src, be16(c, off), dst,
			be16(c, off + 2), name);
	else if (name)
		fprintf(fp, "%s > %s: %s", src, dst, name);
	else
		fprintf(fp, "%s > %s: ip-proto-%u", src, dst, proto);
}

void print_packet(FILE *fp, const struct kcap_pkthdr *h, const uint8_t *data)
{
	struct cur c = { data, h->cap_len };
	char ifname[IF_NAMESIZE], tbuf[16], src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	time_t sec = h->tstamp_ns / 1000000000ULL;
	struct tm tm;
	uint32_t off = 12;
	unsigned int type;

	localtime_r(&sec, &tm);
	strftime(tbuf, sizeof(tbuf), "%H:%M:%S", &tm);
	fprintf(fp, "%s.%06u %s %-3s ", tbuf,
		(unsigned int)(h->tstamp_ns % 1000000000ULL / 1000),
		ifname_of(h->ifindex, ifname),
		h->flags & KCAP_PKT_INGRESS ? "In" : "Out");

	if (!have(&c, off, 2)) {
		fprintf(fp, "[|ether]");
		goto out;
	}
	type = be16(&c, off);
	while ((type == 0x8100 || type == 0x88a8) && have(&c, off + 4, 2)) {
		off += 4;
		type = be16(&c, off);
	}
	off += 2;
	if (type == 0x0800) {
		unsigned int ihl;

		if (!have(&c, off, 20)) {
			fprintf(fp, "IP [|ip]");
			goto out;
		}
		ihl = (c.p[off] & 0x0f) * 4;
		inet_ntop(AF_INET, c.p + off + 12, src, sizeof(src));
		inet_ntop(AF_INET, c.p + off + 16, dst, sizeof(dst));
		fprintf(fp, "IP ");
		/* Only the first fragment carries the ports. */
		if (be16(&c, off + 6) & 0x1fff)
			fprintf(fp, "%s > %s: fragment", src, dst);
		else
			print_l4(fp, c.p[off + 9], &c, off + ihl, src, dst);
	} else if (type == 0x86dd) {
		if (!have(&c, off, 40)) {
			fprintf(fp, "IP6 [|ip6]");
			goto out;
		}
		inet_ntop(AF_INET6, c.p + off + 8, src, sizeof(src));
		inet_ntop(AF_INET6, c.p + off + 24, dst, sizeof(dst));
		fprintf(fp, "IP6 ");
		print_l4(fp, c.p[off + 6], &c, off + 40, src, dst);
	} else if (type == 0x0806) {
		fprintf(fp, "ARP");
	} else {
		fprintf(fp, "ethertype 0x%04x", type);
	}
out:
	fprintf(fp, ", length %u%s\n", h->wire_len,
		h->flags & KCAP_PKT_TRUNCATED ? " (truncated)" : "");
}
