// SPDX-License-Identifier: GPL-2.0
/*
 * The ring reader against a fake ring in ordinary memory, written the way
 * the uapi header says the kernel writes it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "reader.h"
#include "unit.h"

#define DATA_OFF	64
#define HDR		((uint32_t)sizeof(struct kcap_pkthdr))

struct fake {
	uint8_t *map;			/* prod page + data */
	struct kcap_ring_prod *prod;
	struct kcap_ring_cons cons;
	uint8_t *data;
	uint32_t size;
	uint32_t pos;			/* producer position */
	struct kcap_reader r;
};

static uint32_t rec_size(uint32_t caplen)
{
	return (HDR + caplen + KCAP_RECORD_ALIGN - 1) & ~(KCAP_RECORD_ALIGN - 1);
}

static void fake_init(struct fake *f, uint32_t size, uint32_t start)
{
	memset(f, 0, sizeof(*f));
	f->map = aligned_alloc(64, DATA_OFF + size);
	memset(f->map, 0xa5, DATA_OFF + size);
	f->prod = (struct kcap_ring_prod *)f->map;
	f->prod->producer_pos = start;
	f->prod->flags = 0;
	f->data = f->map + DATA_OFF;
	f->size = size;
	f->pos = start;
	f->cons.consumer_pos = start;
	CHECK_EQ(kcap_reader_init(&f->r, f->map, DATA_OFF + size, DATA_OFF, size,
				  &f->cons), 0);
}

static void fake_free(struct fake *f)
{
	free(f->map);
}

static uint32_t *word_at(struct fake *f, uint32_t pos)
{
	return (uint32_t *)(f->data + (pos & (f->size - 1)));
}

/* Reserves a record (BUSY), padding the end of the area as needed. */
static struct kcap_pkthdr *fake_reserve(struct fake *f, uint32_t caplen)
{
	uint32_t len = rec_size(caplen), off = f->pos & (f->size - 1);
	struct kcap_pkthdr *h;

	if (f->pos + len - f->cons.consumer_pos > f->size)
		return NULL;	/* full */
	if (len > f->size - off) {
		if (f->pos + (f->size - off) + len - f->cons.consumer_pos > f->size)
			return NULL;
		*word_at(f, f->pos) = (f->size - off) | KCAP_REC_PAD;
		f->pos += f->size - off;
	}
	h = (struct kcap_pkthdr *)word_at(f, f->pos);
	h->rec_len = len | KCAP_REC_BUSY;
	f->pos += len;
	f->prod->producer_pos = f->pos;
	return h;
}

static void fake_fill(struct kcap_pkthdr *h, uint32_t caplen, uint32_t seq)
{
	uint8_t *p = (uint8_t *)h + HDR;

	h->hdr_len = HDR;
	h->flags = KCAP_PKT_INGRESS;
	h->tstamp_ns = seq;
	h->ifindex = 1;
	h->wire_len = caplen + 10;
	h->cap_len = caplen;
	h->hatype = 1;
	h->protocol = 0x0008;
	for (uint32_t i = 0; i < caplen; i++)
		p[i] = (uint8_t)(seq + i);
}

static void fake_commit(struct kcap_pkthdr *h)
{
	h->rec_len &= ~KCAP_REC_BUSY;
}

static struct kcap_pkthdr *fake_put(struct fake *f, uint32_t caplen, uint32_t seq)
{
	struct kcap_pkthdr *h = fake_reserve(f, caplen);

	if (h) {
		fake_fill(h, caplen, seq);
		fake_commit(h);
	}
	return h;
}

static int check_rec(const struct kcap_pkthdr *h, const uint8_t *d,
		     uint32_t caplen, uint32_t seq)
{
	if (h->cap_len != caplen || h->tstamp_ns != seq || h->ifindex != 1 ||
	    h->wire_len != caplen + 10 || (h->rec_len & ~KCAP_REC_LEN_MASK))
		return 0;
	for (uint32_t i = 0; i < caplen; i++)
		if (d[i] != (uint8_t)(seq + i))
			return 0;
	return 1;
}

static void test_ring_empty_and_one(void)
{
	const struct kcap_pkthdr *h;
	const uint8_t *d;
	struct fake f;

	fake_init(&f, 4096, 0);
	CHECK_EQ(kcap_reader_next(&f.r, &h, &d), 0);
	fake_put(&f, 60, 7);
	CHECK_EQ(kcap_reader_next(&f.r, &h, &d), 1);
	CHECK(check_rec(h, d, 60, 7));
	CHECK_EQ(h->rec_len, rec_size(60));
	/* Held until the next call, then released. */
	CHECK_EQ(f.cons.consumer_pos, 0);
	CHECK_EQ(kcap_reader_next(&f.r, &h, &d), 0);
	CHECK_EQ(f.cons.consumer_pos, rec_size(60));
	CHECK(!kcap_reader_ended(&f.r));
	f.prod->flags = KCAP_RING_ENDED;
	CHECK(kcap_reader_ended(&f.r));
	fake_free(&f);
}

static void test_ring_busy(void)
{
	const struct kcap_pkthdr *h;
	const uint8_t *d;
	struct kcap_pkthdr *w1, *w2;
	struct fake f;

	fake_init(&f, 4096, 0);
	/* Two reservations; the first commits last: order is kept. */
	w1 = fake_reserve(&f, 10);
	w2 = fake_reserve(&f, 20);
	fake_fill(w1, 10, 1);
	fake_fill(w2, 20, 2);
	fake_commit(w2);
	CHECK_EQ(kcap_reader_next(&f.r, &h, &d), -EAGAIN);
	CHECK_EQ(f.cons.consumer_pos, 0);
	fake_commit(w1);
	CHECK_EQ(kcap_reader_next(&f.r, &h, &d), 1);
	CHECK(check_rec(h, d, 10, 1));
	CHECK_EQ(kcap_reader_next(&f.r, &h, &d), 1);
	CHECK(check_rec(h, d, 20, 2));
	CHECK_EQ(kcap_reader_next(&f.r, &h, &d), 0);
	CHECK_EQ(f.cons.consumer_pos, f.pos);
	fake_free(&f);
}

static void test_ring_pad_wrap(void)
{
	const struct kcap_pkthdr *h;
	const uint8_t *d;
	struct fake f;
	uint32_t seq = 0;

	/* Start just below 2^32 so the positions wrap too. */
	fake_init(&f, 1024, UINT32_MAX - 1024 + 1 + 512);
	CHECK(fake_put(&f, 300, ++seq) != NULL);	/* 336 at 512 */
	CHECK_EQ(kcap_reader_next(&f.r, &h, &d), 1);
	CHECK(check_rec(h, d, 300, seq));
	/* 336 more do not fit in the 176 left: PAD, then offset 0. */
	CHECK(fake_put(&f, 300, ++seq) != NULL);
	CHECK_EQ(*word_at(&f, UINT32_MAX - 1024 + 1 + 512 + 336),
		 176 | KCAP_REC_PAD);
	CHECK_EQ(kcap_reader_next(&f.r, &h, &d), 1);
	CHECK(check_rec(h, d, 300, seq));
	CHECK(d == f.data + HDR);
	CHECK_EQ(kcap_reader_next(&f.r, &h, &d), 0);
	CHECK_EQ(f.cons.consumer_pos, f.pos);
	CHECK(f.pos < 1024);	/* wrapped past 2^32 */
	fake_free(&f);
}

static void test_ring_stream(void)
{
	const struct kcap_pkthdr *h;
	const uint8_t *d;
	struct fake f;
	uint32_t wseq = 0, rseq = 0, caplen;
	unsigned int seed = 1;
	int ret, bad = 0;

	/* Many wraps with random sizes, the reader lagging a little. */
	fake_init(&f, 8192, 0U - 5000);
	while (rseq < 20000 && !bad) {
		for (int i = rand_r(&seed) % 8; i >= 0; i--) {
			caplen = rand_r(&seed) % 1500;
			if (!fake_put(&f, caplen, wseq + 1))
				break;
			wseq++;
		}
		for (int i = rand_r(&seed) % 8; i >= 0; i--) {
			ret = kcap_reader_next(&f.r, &h, &d);
			if (ret == 0)
				break;
			if (ret != 1 || h->tstamp_ns != rseq + 1 ||
			    !check_rec(h, d, h->cap_len, rseq + 1))
				bad = 1;
			rseq++;
		}
	}
	CHECK(!bad);
	CHECK(!f.r.broken);
	fake_free(&f);
}

/* Writes one record and lets the test break it; expects -EBADMSG. */
static void corrupt_case(const char *what, void (*breakit)(struct fake *, struct kcap_pkthdr *))
{
	const struct kcap_pkthdr *h;
	const uint8_t *d;
	struct kcap_pkthdr *w;
	struct fake f;

	fake_init(&f, 1024, 256);
	w = fake_put(&f, 64, 1);
	breakit(&f, w);
	if (kcap_reader_next(&f.r, &h, &d) != -EBADMSG)
		unit_fail(__FILE__, __LINE__, "%s: not reported", what);
	else if (!strstr(f.r.err, "ring corrupt"))
		unit_fail(__FILE__, __LINE__, "%s: message '%s'", what, f.r.err);
	/* Sticky: never read again. */
	if (kcap_reader_next(&f.r, &h, &d) != -EBADMSG)
		unit_fail(__FILE__, __LINE__, "%s: not sticky", what);
	fake_free(&f);
}

static void len_zero(struct fake *f, struct kcap_pkthdr *w) { (void)f; w->rec_len = 0; }
static void len_unaligned(struct fake *f, struct kcap_pkthdr *w) { (void)f; w->rec_len = 100; }
static void len_past_end(struct fake *f, struct kcap_pkthdr *w)
{
	w->rec_len = 1024 - 256 + 8;
	f->prod->producer_pos = 256 + 1024;
	f->cons.consumer_pos = 256;
}
static void len_past_prod(struct fake *f, struct kcap_pkthdr *w) { (void)f; w->rec_len = 256; }
static void len_short(struct fake *f, struct kcap_pkthdr *w) { (void)f; w->rec_len = 16; }
static void hdr_short(struct fake *f, struct kcap_pkthdr *w) { (void)f; w->hdr_len = 8; }
static void hdr_long(struct fake *f, struct kcap_pkthdr *w) { (void)f; w->hdr_len = 1000; }
static void cap_long(struct fake *f, struct kcap_pkthdr *w) { (void)f; w->cap_len = 65; }
static void cap_huge(struct fake *f, struct kcap_pkthdr *w) { (void)f; w->cap_len = UINT32_MAX; }
static void prod_ahead(struct fake *f, struct kcap_pkthdr *w) { (void)w; f->prod->producer_pos = 256 + 2048; }
static void pad_past_end(struct fake *f, struct kcap_pkthdr *w)
{
	w->rec_len = 2048 | KCAP_REC_PAD;
	f->prod->producer_pos = 256 + 1024;
}
static void pos_unaligned(struct fake *f, struct kcap_pkthdr *w)
{
	(void)w;
	f->r.pos = 260;
}

static void test_ring_corrupt(void)
{
	corrupt_case("rec_len 0", len_zero);
	corrupt_case("rec_len unaligned", len_unaligned);
	corrupt_case("rec_len past the end", len_past_end);
	corrupt_case("rec_len past the producer", len_past_prod);
	corrupt_case("rec_len below the header", len_short);
	corrupt_case("hdr_len below the header", hdr_short);
	corrupt_case("hdr_len past the record", hdr_long);
	corrupt_case("cap_len past the record", cap_long);
	corrupt_case("cap_len huge", cap_huge);
	corrupt_case("producer too far ahead", prod_ahead);
	corrupt_case("pad past the end", pad_past_end);
	corrupt_case("position unaligned", pos_unaligned);
}

static void test_ring_geometry(void)
{
	struct kcap_reader r;
	struct kcap_ring_cons cons = { 0, 0 };
	static uint64_t map[1024];

	CHECK_EQ(kcap_reader_init(&r, map, sizeof(map), 64, 4096, &cons), 0);
	CHECK_EQ(kcap_reader_init(&r, map, sizeof(map), 64, 3000, &cons), -EPROTO);
	CHECK_EQ(kcap_reader_init(&r, map, sizeof(map), 64, 8192, &cons), -EPROTO);
	CHECK_EQ(kcap_reader_init(&r, map, sizeof(map), 4, 4096, &cons), -EPROTO);
	CHECK_EQ(kcap_reader_init(&r, map, sizeof(map), 12, 4096, &cons), -EPROTO);
	CHECK_EQ(kcap_reader_init(&r, map, sizeof(map), 1ULL << 40, 4096, &cons), -EPROTO);
	CHECK_EQ(kcap_reader_init(&r, map, sizeof(map), 64, 0, &cons), -EPROTO);
	CHECK_STR(r.err, "bad ring geometry");
}

void ring_tests(void)
{
	RUN(test_ring_empty_and_one);
	RUN(test_ring_busy);
	RUN(test_ring_pad_wrap);
	RUN(test_ring_stream);
	RUN(test_ring_corrupt);
	RUN(test_ring_geometry);
}
