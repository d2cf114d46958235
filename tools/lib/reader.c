// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Reading the kcap ring. Everything found in the ring is checked before
 * it is used: a record must lie inside the data area and before the
 * producer position, and its header must describe bytes inside the
 * record. A ring that fails a check is reported as corrupt and not read
 * any further, rather than read out of bounds.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "reader.h"

static bool is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

int kcap_reader_init(struct kcap_reader *r, const void *prod_map, size_t prod_len,
		     uint64_t data_off, uint32_t data_size,
		     struct kcap_ring_cons *cons)
{
	memset(r, 0, sizeof(*r));
	if (!is_pow2(data_size) || data_size < KCAP_RECORD_ALIGN ||
	    data_off < sizeof(struct kcap_ring_prod) ||
	    data_off % KCAP_RECORD_ALIGN || data_off > prod_len ||
	    data_size > prod_len - data_off) {
		snprintf(r->err, sizeof(r->err),
			 "bad ring geometry: data_off %llu data_size %u in a %zu-byte mapping",
			 (unsigned long long)data_off, data_size, prod_len);
		return -EPROTO;
	}
	r->prod = prod_map;
	r->data = (const uint8_t *)prod_map + data_off;
	r->size = data_size;
	r->cons = cons;
	/* The kernel set the start position when we attached. */
	r->pos = __atomic_load_n(&cons->consumer_pos, __ATOMIC_RELAXED);
	return 0;
}

static int reader_corrupt(struct kcap_reader *r, const char *what, uint32_t val)
{
	r->broken = true;
	snprintf(r->err, sizeof(r->err),
		 "ring corrupt at position %u: %s (%u)", r->pos, what, val);
	return -EBADMSG;
}

static void reader_advance(struct kcap_reader *r, uint32_t len)
{
	r->pos += len;
	/* Pairs with the kernel's load_acquire of consumer_pos on reserve:
	 * it may reuse the space only after we are done reading it. */
	__atomic_store_n(&r->cons->consumer_pos, r->pos, __ATOMIC_RELEASE);
}

void kcap_reader_release(struct kcap_reader *r)
{
	if (r->held) {
		reader_advance(r, r->held);
		r->held = 0;
	}
}

uint32_t kcap_reader_pending(const struct kcap_reader *r)
{
	/* Pairs with the kernel's store_release of producer_pos on reserve. */
	return __atomic_load_n(&r->prod->producer_pos, __ATOMIC_ACQUIRE) -
	       r->pos - r->held;
}

void kcap_reader_set_wakeup(struct kcap_reader *r, uint32_t bytes)
{
	/* The kernel reads it with READ_ONCE() on every commit and poll;
	 * nothing else is published with it. */
	__atomic_store_n(&r->cons->wakeup_bytes, bytes, __ATOMIC_RELAXED);
}

bool kcap_reader_ended(const struct kcap_reader *r)
{
	return __atomic_load_n(&r->prod->flags, __ATOMIC_ACQUIRE) &
	       KCAP_RING_ENDED;
}

int kcap_reader_next(struct kcap_reader *r, const struct kcap_pkthdr **hdr,
		     const uint8_t **data)
{
	const struct kcap_pkthdr *rec;
	uint32_t prod, avail, off, word, len;

	if (r->broken)
		return -EBADMSG;
	kcap_reader_release(r);

	for (;;) {
		/* Pairs with the kernel's store_release of producer_pos on
		 * reserve: a reserved record's rec_len (BUSY) is visible. */
		prod = __atomic_load_n(&r->prod->producer_pos, __ATOMIC_ACQUIRE);
		avail = prod - r->pos;
		if (!avail)
			return 0;
		if (avail > r->size)
			return reader_corrupt(r, "producer ahead by more than the ring", avail);
		off = r->pos & (r->size - 1);
		if (off % KCAP_RECORD_ALIGN)
			return reader_corrupt(r, "misaligned position", off);

		rec = (const struct kcap_pkthdr *)(r->data + off);
		/* Pairs with the kernel's store_release of rec_len on commit:
		 * the record's header and frame are complete once BUSY clears. */
		word = __atomic_load_n(&rec->rec_len, __ATOMIC_ACQUIRE);
		if (word & KCAP_REC_BUSY)
			return -EAGAIN;
		len = word & KCAP_REC_LEN_MASK;
		if (!len || len % KCAP_RECORD_ALIGN)
			return reader_corrupt(r, "bad record length", len);
		if (len > r->size - off)
			return reader_corrupt(r, "record runs past the end of the ring", len);
		if (len > avail)
			return reader_corrupt(r, "record runs past the producer", len);
		if (word & KCAP_REC_PAD) {
			reader_advance(r, len);
			continue;
		}
		if (len < sizeof(*rec))
			return reader_corrupt(r, "record shorter than its header", len);

		memcpy(&r->hdr, rec, sizeof(r->hdr));
		r->hdr.rec_len = len;
		if (r->hdr.hdr_len < sizeof(*rec) || r->hdr.hdr_len > len)
			return reader_corrupt(r, "bad hdr_len", r->hdr.hdr_len);
		if (r->hdr.cap_len > len - r->hdr.hdr_len)
			return reader_corrupt(r, "cap_len larger than the record", r->hdr.cap_len);

		r->held = len;
		*hdr = &r->hdr;
		*data = r->data + off + r->hdr.hdr_len;
		return 1;
	}
}
