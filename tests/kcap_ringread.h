/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small reader of kcap's ring for the in-VM tests, written from the
 * uapi header alone (libkcap is tools/' business): attach, map, and drain
 * records into a list, checking every record's framing on the way.
 */
#ifndef KCAP_RINGREAD_H
#define KCAP_RINGREAD_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/kcap.h>

struct kr {
	int fd;
	struct kcap_attach att;
	void *cons_map;
	void *prod_map;
	struct kcap_ring_cons *cons;
	const struct kcap_ring_prod *prod;
	const uint8_t *data;
	uint32_t size;
	char err[128];		/* why kr_drain() said -1 */
};

/* One captured packet, copied out of the ring. */
struct kpkt {
	uint32_t wire_len;
	uint32_t cap_len;
	uint16_t flags;
	uint16_t hatype;
	uint16_t protocol;
	int32_t ifindex;
	uint64_t tstamp_ns;
	uint8_t *data;
};

struct kpkts {
	struct kpkt *p;
	size_t n, cap;
	uint64_t bytes;		/* sum of wire_len */
};

static inline void kpkts_add(struct kpkts *l, const struct kpkt *k,
			     const uint8_t *data)
{
	struct kpkt *e;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->p = realloc(l->p, l->cap * sizeof(*l->p));
		if (!l->p)
			abort();
	}
	e = &l->p[l->n++];
	*e = *k;
	e->data = malloc(k->cap_len ? k->cap_len : 1);
	if (!e->data)
		abort();
	memcpy(e->data, data, k->cap_len);
	l->bytes += k->wire_len;
}

static inline void kpkts_free(struct kpkts *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->p[i].data);
	free(l->p);
	memset(l, 0, sizeof(*l));
}

static inline int kr_map(struct kr *r)
{
	long pg = sysconf(_SC_PAGESIZE);

	r->cons_map = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED,
			   r->fd, r->att.cons_off);
	if (r->cons_map == MAP_FAILED)
		return -errno;
	r->prod_map = mmap(NULL, r->att.prod_len, PROT_READ, MAP_SHARED,
			   r->fd, r->att.prod_off);
	if (r->prod_map == MAP_FAILED) {
		munmap(r->cons_map, pg);
		return -errno;
	}
	r->cons = r->cons_map;
	r->prod = r->prod_map;
	r->data = (const uint8_t *)r->prod_map + r->att.data_off;
	r->size = r->att.data_size;
	return 0;
}

/* Attach fd to session name and map its ring: 0 or -errno. */
static inline int kr_attach(struct kr *r, int fd, const char *name,
			    uint32_t flags)
{
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	snprintf((char *)r->att.name, sizeof(r->att.name), "%s", name);
	r->att.flags = flags;
	if (ioctl(fd, KCAP_IOC_ATTACH, &r->att))
		return -errno;
	return kr_map(r);
}

static inline void kr_unmap(struct kr *r)
{
	if (r->prod_map && r->prod_map != MAP_FAILED)
		munmap(r->prod_map, r->att.prod_len);
	if (r->cons_map && r->cons_map != MAP_FAILED)
		munmap(r->cons_map, sysconf(_SC_PAGESIZE));
	r->prod_map = r->cons_map = NULL;
}

static inline uint32_t kr_prod_flags(const struct kr *r)
{
	return __atomic_load_n(&r->prod->flags, __ATOMIC_ACQUIRE);
}

/*
 * Reads every complete record into l (if not NULL), releases them, and
 * returns how many packets it read, or -1 with r->err set if a record is
 * malformed: a length not aligned, zero, past the end of the area, or a
 * header that does not fit the record.
 */
static inline long kr_drain(struct kr *r, struct kpkts *l)
{
	uint32_t cons, prod, mask = r->size - 1;
	long n = 0;

	cons = __atomic_load_n(&r->cons->consumer_pos, __ATOMIC_RELAXED);
	prod = __atomic_load_n(&r->prod->producer_pos, __ATOMIC_ACQUIRE);
	while (cons != prod) {
		uint32_t off = cons & mask, len, rlen;
		const struct kcap_pkthdr *h = (const void *)(r->data + off);

		rlen = __atomic_load_n(&h->rec_len, __ATOMIC_ACQUIRE);
		if (rlen & KCAP_REC_BUSY)
			break;
		len = rlen & KCAP_REC_LEN_MASK;
		if (!len || len % KCAP_RECORD_ALIGN || off + len > r->size ||
		    prod - cons < len) {
			snprintf(r->err, sizeof(r->err),
				 "bad rec_len %#x at pos %u (prod %u)",
				 rlen, cons, prod);
			return -1;
		}
		if (!(rlen & KCAP_REC_PAD)) {
			struct kpkt k = {
				.wire_len = h->wire_len,
				.cap_len = h->cap_len,
				.flags = h->flags,
				.hatype = h->hatype,
				.protocol = h->protocol,
				.ifindex = h->ifindex,
				.tstamp_ns = h->tstamp_ns,
			};

			if (h->hdr_len != sizeof(*h) ||
			    h->hdr_len + h->cap_len > len ||
			    len - h->hdr_len - h->cap_len >= KCAP_RECORD_ALIGN ||
			    h->cap_len > h->wire_len) {
				snprintf(r->err, sizeof(r->err),
					 "bad record at %u: len %u hdr %u cap %u wire %u",
					 cons, len, h->hdr_len, h->cap_len,
					 h->wire_len);
				return -1;
			}
			if (l)
				kpkts_add(l, &k, (const uint8_t *)h + h->hdr_len);
			n++;
		}
		cons += len;
	}
	__atomic_store_n(&r->cons->consumer_pos, cons, __ATOMIC_RELEASE);
	return n;
}

#endif /* KCAP_RINGREAD_H */
