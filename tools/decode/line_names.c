// SPDX-License-Identifier: GPL-2.0
/*
 * Names in tcpdump's lines (addrtoname.c): without -n, host names by
 * reverse lookup, port names from the services database, MAC addresses
 * from the ethers database or with their OUI's owner; each looked up once
 * and kept. With -n (or -nn: tcpdump 4.99 treats them alike) only numbers.
 */
/* before <netinet/ether.h>, whose arp_op macro would rename a field */
#include "line.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/ether.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define NAME_BUCKETS	4096
#define RING		16	/* numeric names alive at once in one printf */

struct name {
	struct name *next;
	uint8_t len;		/* 4, 6 or 16 bytes of key */
	uint8_t key[16];
	char *s;
};

struct lp_names {
	bool lookup;		/* not -n */
	bool strip_domain;	/* -N */
	struct name *b[NAME_BUCKETS];
	char **tcp, **udp;	/* 65536 each, from the services database */
	unsigned int ring_i;
	char ring[RING][48];
	char longaddr[256 * 3];
	char protos[256][20];
};

static char *ring_next(struct lp_names *n)
{
	return n->ring[n->ring_i++ % RING];
}

static unsigned int name_hash(const uint8_t *k, unsigned int len)
{
	uint32_t h = 2166136261u;
	unsigned int i;

	for (i = 0; i < len; i++)
		h = (h ^ k[i]) * 16777619u;
	return (h ^ len) % NAME_BUCKETS;
}

static struct name *name_find(struct lp_names *n, const uint8_t *k,
			      unsigned int len)
{
	struct name *e;

	for (e = n->b[name_hash(k, len)]; e; e = e->next)
		if (e->len == len && !memcmp(e->key, k, len))
			return e;
	return NULL;
}

/* Keeps s (malloc'd); on no memory, gives it back unkept. */
static const char *name_add(struct lp_names *n, const uint8_t *k,
			    unsigned int len, char *s)
{
	struct name *e = malloc(sizeof(*e));
	unsigned int h = name_hash(k, len);

	if (!e || !s) {
		free(e);
		if (s) {
			char *r = ring_next(n);

			snprintf(r, sizeof(n->ring[0]), "%s", s);
			free(s);
			return r;
		}
		return "?";
	}
	e->len = (uint8_t)len;
	memcpy(e->key, k, len);
	e->s = s;
	e->next = n->b[h];
	n->b[h] = e;
	return s;
}

static void load_services(struct lp_names *n)
{
	struct servent *sv;

	n->tcp = calloc(65536, sizeof(*n->tcp));
	n->udp = calloc(65536, sizeof(*n->udp));
	if (!n->tcp || !n->udp)
		return;
	setservent(0);
	while ((sv = getservent())) {
		uint16_t port = ntohs((uint16_t)sv->s_port);
		char **t = !strcmp(sv->s_proto, "tcp") ? n->tcp :
			   !strcmp(sv->s_proto, "udp") ? n->udp : NULL;

		/* the first entry for a port is the one tcpdump prints */
		if (t && !t[port])
			t[port] = strdup(sv->s_name);
	}
	endservent();
}

struct lp_names *kdec_lp_names_new(const struct kcap_lines_opts *o)
{
	struct lp_names *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->lookup = !o->nflag;
	n->strip_domain = o->Nflag;
	if (n->lookup)
		load_services(n);
	return n;
}

void kdec_lp_names_free(struct lp_names *n)
{
	unsigned int i;

	if (!n)
		return;
	for (i = 0; i < NAME_BUCKETS; i++) {
		struct name *e;

		while ((e = n->b[i])) {
			n->b[i] = e->next;
			free(e->s);
			free(e);
		}
	}
	for (i = 0; n->tcp && i < 65536; i++)
		free(n->tcp[i]);
	for (i = 0; n->udp && i < 65536; i++)
		free(n->udp[i]);
	free(n->tcp);
	free(n->udp);
	free(n);
}

/* The reverse lookup tcpdump's gethostbyaddr() does, or NULL. */
static char *host_name(struct lp_names *n, int af, const uint8_t *a)
{
	struct sockaddr_in6 s6;
	struct sockaddr_in s4;
	char host[NI_MAXHOST];
	int r;

	if (af == AF_INET) {
		memset(&s4, 0, sizeof(s4));
		s4.sin_family = AF_INET;
		memcpy(&s4.sin_addr, a, 4);
		r = getnameinfo((struct sockaddr *)&s4, sizeof(s4), host,
				sizeof(host), NULL, 0, NI_NAMEREQD);
	} else {
		memset(&s6, 0, sizeof(s6));
		s6.sin6_family = AF_INET6;
		memcpy(&s6.sin6_addr, a, 16);
		r = getnameinfo((struct sockaddr *)&s6, sizeof(s6), host,
				sizeof(host), NULL, 0, NI_NAMEREQD);
	}
	if (r)
		return NULL;
	if (n->strip_domain) {
		char *dot = strchr(host, '.');

		if (dot)
			*dot = '\0';
	}
	return strdup(host);
}

/* addrtostr6(): inet_ntop's form, "::a.b.c.d" and "::ffff:a.b.c.d" too. */
void kdec_lp_fmt_ip6(char *buf, const uint8_t *a)
{
	int best = -1, bestlen = 0, cur = -1, curlen = 0, i;
	uint16_t w[8];
	char *p = buf;

	for (i = 0; i < 8; i++) {
		w[i] = (uint16_t)(a[2 * i] << 8 | a[2 * i + 1]);
		if (!w[i]) {
			if (cur < 0)
				cur = i, curlen = 1;
			else
				curlen++;
		} else if (cur >= 0) {
			if (best < 0 || curlen > bestlen)
				best = cur, bestlen = curlen;
			cur = -1;
		}
	}
	if (cur >= 0 && (best < 0 || curlen > bestlen))
		best = cur, bestlen = curlen;
	if (best >= 0 && bestlen < 2)
		best = -1;
	for (i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + bestlen) {
			if (i == best)
				*p++ = ':';
			continue;
		}
		if (i)
			*p++ = ':';
		if (i == 6 && best == 0 &&
		    (bestlen == 6 || (bestlen == 5 && w[5] == 0xffff))) {
			kdec_fmt_ip4(p, a + 12);
			return;
		}
		p += sprintf(p, "%x", w[i]);
	}
	if (best >= 0 && best + bestlen == 8)
		*p++ = ':';
	*p = '\0';
}

/* An IPv4 (alen 4) or IPv6 (16) address, by name unless -n. */
static const char *host_addr(struct lp *lp, const uint8_t *p, unsigned int alen)
{
	struct lp_names *n = lp->L->names;
	const struct name *e;
	char *s;

	lp_need(lp, p, alen);
	if (n->lookup) {
		e = name_find(n, p, alen);
		if (e)
			return e->s;
		s = host_name(n, alen == 4 ? AF_INET : AF_INET6, p);
		if (s)
			return name_add(n, p, alen, s);
		s = malloc(48);
	} else {
		s = ring_next(n);
	}
	if (s && alen == 4)
		kdec_fmt_ip4(s, p);
	else if (s)
		kdec_lp_fmt_ip6(s, p);
	return n->lookup ? name_add(n, p, alen, s) : s;
}

const char *kdec_lp_ipaddr(struct lp *lp, const uint8_t *p)
{
	return host_addr(lp, p, 4);
}

const char *kdec_lp_ip6addr(struct lp *lp, const uint8_t *p)
{
	return host_addr(lp, p, 16);
}

/* Owners of the OUIs tcpdump knows (its oui.c), for MACs without -n. */
static const struct kdec_tok ouis[] = {
	{ 0x000000, "Ethernet" }, { 0x00000c, "Cisco" }, { 0x00005e, "IANA" },
	{ 0x000081, "Nortel Networks SONMP" }, { 0x0000f8, "Cisco bridged" },
	{ 0x0080c2, "Ethernet bridged" }, { 0x00a03e, "ATM Forum" },
	{ 0x00e02f, "DOCSIS Spanning Tree" }, { 0x080007, "Appletalk" },
	{ 0x009069, "Juniper" }, { 0x080009, "Hewlett-Packard" },
	{ 0x00120f, "IEEE 802.3 Private" }, { 0x0012bb, "ANSI/TIA" },
	{ 0x001b21, "DCBX" }, { 0x002320, "Nicira Networks" },
	{ 0x5c16c7, "Big Switch Networks" }, { 0xb0d2f5, "Vello Systems" },
	{ 0x002481, "HP" }, { 0x0004ea, "HP-Labs" },
	{ 0x748771, "Infoblox Inc" }, { 0xa42305, "Open Networking Lab" },
	{ 0x00049f, "Freescale" }, { 0x0015ad, "Netronome" },
	{ 0x001018, "Broadcom" }, { 0x00e004, "PMC-Sierra" },
	{ 0xd0f0db, "Ericsson" }, { 0, NULL },
};

const char *kdec_lp_etheraddr(struct lp *lp, const uint8_t *p)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct lp_names *n = lp->L->names;
	struct ether_addr ea;
	const struct name *e;
	char host[1024], *s;
	const char *owner;

	lp_need(lp, p, 6);
	if (!n->lookup) {
		s = ring_next(n);
		kdec_fmt_mac(s, p);
		return s;
	}
	e = name_find(n, p, 6);
	if (e)
		return e->s;
	memcpy(&ea, p, 6);
	if (ether_ntohost(host, &ea) == 0)
		return name_add(n, p, 6, strdup(host));
	if (!memcmp(p, bcast, 6))
		return name_add(n, p, 6, strdup("Broadcast"));
	owner = kdec_tok(ouis, (uint32_t)(p[0] << 16 | p[1] << 8 | p[2]));
	s = malloc(18 + 8 + 32);
	if (s) {
		kdec_fmt_mac(s, p);
		sprintf(s + 17, " (oui %s)", owner ? owner : "Unknown");
	}
	return name_add(n, p, 6, s);
}

/* linkaddr_string() for Ethernet-like hardware */
const char *kdec_lp_linkaddr(struct lp *lp, const uint8_t *p, unsigned int len)
{
	struct lp_names *n = lp->L->names;
	unsigned int i;
	char *s;

	if (len == 0)
		return "<empty>";
	if (len == 6)
		return kdec_lp_etheraddr(lp, p);
	lp_need(lp, p, len);
	/* one long address per printf at most, as in tcpdump */
	s = len <= 16 ? ring_next(n) : n->longaddr;
	for (i = 0; i < len; i++)
		sprintf(s + (i ? 3 * i - 1 : 0), i ? ":%02x" : "%02x", p[i]);
	return s;
}

static const char *kdec_port_name(struct lp *lp, char **t, uint16_t port)
{
	struct lp_names *n = lp->L->names;
	char *s;

	if (t && t[port])
		return t[port];
	s = ring_next(n);
	snprintf(s, sizeof(n->ring[0]), "%u", port);
	return s;
}

const char *kdec_lp_tcpport(struct lp *lp, uint16_t port)
{
	return kdec_port_name(lp, lp->L->names->tcp, port);
}

const char *kdec_lp_udpport(struct lp *lp, uint16_t port)
{
	return kdec_port_name(lp, lp->L->names->udp, port);
}

/* IANA's protocol keywords as tcpdump spells them (its ipproto.c). */
static const char netdb_protos[] =
	"hopopt icmp igmp ggp ipencap st tcp cbt egp igp bbn-rcc-mon "
	"nvp-ii pup argus emcon xnet chaos udp mux dcn-meas hmp prm "
	"xns-idp trunk-1 trunk-2 leaf-1 leaf-2 rdp irtp iso-tp4 netblt "
	"mfe-nsp merit-inp dccp 3pc idpr xtp ddp idpr-cmtp tp++ il ipv6 "
	"sdrp ipv6-route ipv6-frag idrp rsvp gre dsr bna esp ah i-nlsp "
	"swipe narp mobile tlsp skip ipv6-icmp ipv6-nonxt ipv6-opts - "
	"cftp - sat-expak kryptolan rvd ippc - sat-mon visa ipcv cpnx "
	"rspf wsn pvp br-sat-mon sun-nd wb-mon wb-expak iso-ip vmtp "
	"secure-vmtp vines ttp nsfnet-igp dgp tcf eigrp ospf sprite-rpc "
	"larp mtp ax.25 ipip micp scc-sp etherip encap - gmtp ifmp pnni "
	"pim aris scps qnx a/n ipcomp snp compaq-peer ipx-in-ip vrrp pgm "
	"- l2tp ddx iatp stp srp uti smp sm ptp isis fire crtp crudp "
	"sscopmce iplt sps pipe sctp fc rsvp-e2e-ignore mobility-header "
	"udplite mpls-in-ip manet hip shim6 wesp rohc ";

const char *kdec_lp_netdb_protoname(struct lp *lp, uint8_t proto)
{
	char *one = lp->L->names->protos[proto];
	const char *p = netdb_protos, *sp;
	unsigned int i;

	switch (proto) {
	case 253: return "exptest-253";
	case 254: return "exptest-254";
	case 255: return "reserved";
	}
	for (i = 0; i < proto && p; i++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (!p || !*p || !(sp = strchr(p, ' ')) || (sp - p == 1 && *p == '-'))
		return NULL;
	memcpy(one, p, (size_t)(sp - p));
	one[sp - p] = '\0';
	return one;
}

static const struct kdec_tok ipproto_values[] = {
	{ 0, "Options" }, { 1, "ICMP" }, { 2, "IGMP" }, { 4, "IPIP" },
	{ 6, "TCP" }, { 8, "EGP" }, { 9, "IGRP" }, { 17, "UDP" },
	{ 33, "DCCP" }, { 41, "IPv6" }, { 43, "Routing" }, { 44, "Fragment" },
	{ 46, "RSVP" }, { 47, "GRE" }, { 50, "ESP" }, { 51, "AH" },
	{ 55, "Mobile IP" }, { 58, "ICMPv6" }, { 62, "Mobile IP (old)" },
	{ 88, "EIGRP" }, { 89, "OSPF" }, { 103, "PIM" },
	{ 108, "Compressed IP" }, { 112, "VRRP" }, { 113, "PGM" },
	{ 132, "SCTP" }, { 135, "Mobility" }, { 143, "Ethernet" },
	{ 0, NULL },
};

const char *kdec_lp_ipproto_name(uint8_t proto)
{
	return kdec_tok(ipproto_values, proto);
}

static const struct kdec_tok ethertypes[] = {
	{ 0x0800, "IPv4" }, { 0x8847, "MPLS unicast" },
	{ 0x8848, "MPLS multicast" }, { 0x86dd, "IPv6" }, { 0x8100, "802.1Q" },
	{ 0x9100, "802.1Q-9100" }, { 0x88a8, "802.1Q-QinQ" },
	{ 0x9200, "802.1Q-9200" }, { 0x88e5, "802.1AE MACsec" },
	{ 0x0200, "PUP" }, { 0x0806, "ARP" }, { 0x8035, "Reverse ARP" },
	{ 0x0600, "NS" }, { 0x0500, "Sprite" }, { 0x1000, "Trail" },
	{ 0x6001, "MOP DL" }, { 0x6002, "MOP RC" }, { 0x6003, "DN" },
	{ 0x6004, "LAT" }, { 0x6007, "SCA" }, { 0x6558, "TEB" },
	{ 0x8038, "Lanbridge" }, { 0x803c, "DEC DNS" }, { 0x803e, "DEC DTS" },
	{ 0x805b, "VEXP" }, { 0x805c, "VPROD" }, { 0x809b, "Appletalk" },
	{ 0x80f3, "Appletalk ARP" }, { 0x8137, "IPX" }, { 0x880b, "PPP" },
	{ 0x8808, "MPCP" }, { 0x8809, "Slow Protocols" },
	{ 0x8863, "PPPoE D" }, { 0x8864, "PPPoE S" }, { 0x888e, "EAPOL" },
	{ 0x8899, "Realtek protocols" }, { 0x886f, "MS NLB heartbeat" },
	{ 0x8870, "Jumbo" }, { 0x894f, "NSH" }, { 0x9000, "Loopback" },
	{ 0xfefe, "OSI" }, { 0x00fe, "GRE-OSI" }, { 0xabcd, "CFM (old)" },
	{ 0x8902, "CFM" }, { 0x893a, "IEEE1905.1" }, { 0x88cc, "LLDP" },
	{ 0x88ca, "TIPC" }, { 0x0707, "GeoNet (old)" }, { 0x8947, "GeoNet" },
	{ 0x1111, "CALM FAST" }, { 0x88a2, "AoE" }, { 0x88f7, "PTP" },
	{ 0xd28b, "Arista Vendor Specific Protocol" }, { 0, NULL },
};

const char *kdec_lp_ethertype_name(uint16_t type)
{
	return kdec_tok(ethertypes, type);
}
