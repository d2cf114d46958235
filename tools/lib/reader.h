/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * The consumer side of the kcap ring, on plain memory: capture.c points it
 * at the mmap'ed regions, the unit tests at a fake ring.
 */
#ifndef KCAP_READER_H
#define KCAP_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/kcap.h>

struct kcap_reader {
	const struct kcap_ring_prod *prod;
	struct kcap_ring_cons *cons;
	const uint8_t *data;
	uint32_t size;			/* power of two */
	uint32_t pos;			/* consumer position released so far */
	uint32_t held;			/* length of the record handed out */
	bool broken;			/* corruption seen: stop reading */
	struct kcap_pkthdr hdr;		/* copy of the record handed out */
	char err[160];
};

int kcap_reader_init(struct kcap_reader *r, const void *prod_map, size_t prod_len,
		     uint64_t data_off, uint32_t data_size,
		     struct kcap_ring_cons *cons);
/* 1: a record; 0: none; -EAGAIN: the next one is still BUSY; -EBADMSG. */
int kcap_reader_next(struct kcap_reader *r, const struct kcap_pkthdr **hdr,
		     const uint8_t **data);
void kcap_reader_release(struct kcap_reader *r);
/* Bytes of records (and padding) past the one handed out. */
uint32_t kcap_reader_pending(const struct kcap_reader *r);
/* Ask the kernel to wake us only once this many bytes are pending. */
void kcap_reader_set_wakeup(struct kcap_reader *r, uint32_t bytes);
bool kcap_reader_ended(const struct kcap_reader *r);

#endif /* KCAP_READER_H */
