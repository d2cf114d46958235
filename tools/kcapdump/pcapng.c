// SPDX-License-Identifier: GPL-2.0
/*
 * A pcapng writer (libpcap reads pcapng but cannot write it): a Section
 * Header Block, an Interface Description Block per device with if_name
 * and nanosecond timestamps (if_tsresol 9), and Enhanced Packet Blocks
 * carrying the direction in epb_flags.
 * See https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "savefile.h"

#define NG_SHB		0x0A0D0D0AU
#define NG_IDB		0x00000001U
#define NG_EPB		0x00000006U
#define NG_BOM		0x1A2B3C4DU

#define OPT_ENDOFOPT	0
#define OPT_SHB_USERAPPL 4
#define OPT_IF_NAME	2
#define OPT_IF_TSRESOL	9
#define OPT_EPB_FLAGS	2

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

int kd_buf_put(struct kd_buf *b, const void *p, size_t len)
{
	if (len > b->cap - b->len) {
		size_t cap = b->cap ? b->cap : 65536;
		uint8_t *np;

		while (cap - b->len < len)
			cap *= 2;
		np = realloc(b->p, cap);
		if (!np)
			return -ENOMEM;
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, len);
	b->len += len;
	return 0;
}

static int put32(struct kd_buf *b, uint32_t v)
{
	return kd_buf_put(b, &v, sizeof(v));
}

static int put_opt(struct kd_buf *b, uint16_t code, const void *val,
		   uint16_t len)
{
	static const uint8_t zero[4];
	uint16_t hdr[2] = { code, len };
	int err;

	err = kd_buf_put(b, hdr, sizeof(hdr));
	if (!err && len)
		err = kd_buf_put(b, val, len);
	if (!err)
		err = kd_buf_put(b, zero, pad4(len) - len);
	return err;
}

/* Block total length goes at both ends; fill in the front once known. */
static int block_end(struct kd_buf *b, size_t start)
{
	uint32_t total = b->len - start + 4;
	int err = put32(b, total);

	if (!err)
		memcpy(b->p + start + 4, &total, sizeof(total));
	return err;
}

int kd_ng_shb(struct kd_buf *b, const char *appl)
{
	size_t start = b->len;
	uint16_t ver[2] = { 1, 0 };
	uint64_t section_len = UINT64_MAX;	/* not given */
	int err;

	err = put32(b, NG_SHB) ?: put32(b, 0) ?: put32(b, NG_BOM) ?:
	      kd_buf_put(b, ver, sizeof(ver)) ?:
	      kd_buf_put(b, &section_len, sizeof(section_len)) ?:
	      put_opt(b, OPT_SHB_USERAPPL, appl, strlen(appl)) ?:
	      put_opt(b, OPT_ENDOFOPT, NULL, 0);
	return err ?: block_end(b, start);
}

/* pcapng holds LINKTYPE_* values; they differ from DLT_* for raw IP. */
static uint16_t dlt_to_linktype(int dlt)
{
	return dlt == DLT_RAW ? 101 /* LINKTYPE_RAW */ : (uint16_t)dlt;
}

int kd_ng_idb(struct kd_buf *b, const char *ifname, int dlt, uint32_t snaplen)
{
	size_t start = b->len;
	uint16_t lt[2] = { dlt_to_linktype(dlt), 0 };
	uint8_t tsresol = 9;	/* 10^-9 s */
	int err;

	err = put32(b, NG_IDB) ?: put32(b, 0) ?:
	      kd_buf_put(b, lt, sizeof(lt)) ?: put32(b, snaplen) ?:
	      (ifname && *ifname ?
	       put_opt(b, OPT_IF_NAME, ifname, strlen(ifname)) : 0) ?:
	      put_opt(b, OPT_IF_TSRESOL, &tsresol, 1) ?:
	      put_opt(b, OPT_ENDOFOPT, NULL, 0);
	return err ?: block_end(b, start);
}

int kd_ng_epb(struct kd_buf *b, uint32_t ifid, const struct kcap_packet *p,
	      uint32_t caplen)
{
	static const uint8_t zero[4];
	size_t start = b->len;
	/* KCAP_PACKET_INBOUND and _OUTBOUND are epb_flags' direction bits. */
	uint32_t flags = p->flags & KCAP_PACKET_DIRECTION;
	int err;

	err = put32(b, NG_EPB) ?: put32(b, 0) ?: put32(b, ifid) ?:
	      put32(b, p->ts_ns >> 32) ?: put32(b, (uint32_t)p->ts_ns) ?:
	      put32(b, caplen) ?: put32(b, p->wirelen) ?:
	      kd_buf_put(b, p->data, caplen) ?:
	      kd_buf_put(b, zero, pad4(caplen) - caplen) ?:
	      (flags ? put_opt(b, OPT_EPB_FLAGS, &flags, sizeof(flags)) : 0) ?:
	      put_opt(b, OPT_ENDOFOPT, NULL, 0);
	return err ?: block_end(b, start);
}

int kd_ng_ifid(struct kd_ng_ifs *t, struct kd_buf *b, int ifindex,
	       const char *ifname, int dlt, uint32_t snaplen, uint32_t *id,
	       bool *added)
{
	char name[KCAP_IFNAME_LEN];
	struct kd_ng_if *v;
	unsigned int i;
	int err;

	*added = false;
	if (!ifindex && !ifname)
		ifname = "";
	if (ifname)
		snprintf(name, sizeof(name), "%s", ifname);
	for (i = 0; i < t->n; i++) {
		if (ifindex ? t->v[i].ifindex == ifindex : !strcmp(t->v[i].name, name)) {
			*id = i;
			return 0;
		}
	}
	v = realloc(t->v, (t->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	t->v = v;
	if (!ifname && !if_indextoname(ifindex, name))
		snprintf(name, sizeof(name), "if%d", ifindex);
	err = kd_ng_idb(b, name, dlt, snaplen);
	if (err)
		return err;
	v[t->n].ifindex = ifindex;
	snprintf(v[t->n].name, sizeof(v[t->n].name), "%s", name);
	*id = t->n++;
	*added = true;
	return 0;
}
