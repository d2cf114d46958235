// SPDX-License-Identifier: GPL-2.0
/* kcapdump's flush policy (kcapdump/flush.c), with a made-up clock. */
#include "flush.h"
#include "unit.h"

#define MS	1000000ULL

static void test_flush_by_age(void)
{
	struct kd_flush f;
	uint64_t t0 = 5000 * MS;

	kd_flush_init(&f, false);
	CHECK(!kd_flush_due(&f, 0, t0));
	CHECK_EQ(kd_flush_timeout(&f, t0, 1000), 1000);	/* nothing waits */
	/* The first check that sees data dates it. */
	CHECK(!kd_flush_due(&f, 100, t0));
	CHECK_EQ(kd_flush_timeout(&f, t0, 1000), KD_FLUSH_AGE_MS);
	CHECK(!kd_flush_due(&f, 5000, t0 + 150 * MS));
	CHECK_EQ(kd_flush_timeout(&f, t0 + 150 * MS, 1000), KD_FLUSH_AGE_MS - 150);
	CHECK_EQ(kd_flush_timeout(&f, t0 + 150 * MS + 1, 1000), KD_FLUSH_AGE_MS - 150);
	CHECK_EQ(kd_flush_timeout(&f, t0 + 150 * MS, 20), 20);
	CHECK(kd_flush_due(&f, 5000, t0 + KD_FLUSH_AGE_MS * MS));
	CHECK_EQ(kd_flush_timeout(&f, t0 + KD_FLUSH_AGE_MS * MS, 1000), 0);
	kd_flush_done(&f);
	/* After a flush the clock starts again with the next data. */
	CHECK(!kd_flush_due(&f, 10, t0 + 300 * MS));
	CHECK(!kd_flush_due(&f, 10, t0 + 499 * MS));
	CHECK(kd_flush_due(&f, 10, t0 + 500 * MS));
	/* Data gone (written by a rotation): no deadline. */
	CHECK(!kd_flush_due(&f, 0, t0 + 600 * MS));
	CHECK_EQ(kd_flush_timeout(&f, t0 + 600 * MS, 1000), 1000);
}

static void test_flush_by_size(void)
{
	struct kd_flush f;

	kd_flush_init(&f, false);
	CHECK(!kd_flush_due(&f, KD_FLUSH_BYTES - 1, 1 * MS));
	CHECK(kd_flush_due(&f, KD_FLUSH_BYTES, 2 * MS));
}

static void test_flush_every_batch(void)
{
	struct kd_flush f;

	kd_flush_init(&f, true);	/* -U */
	CHECK(!kd_flush_due(&f, 0, 1 * MS));
	CHECK(kd_flush_due(&f, 1, 1 * MS));
}

void flush_tests(void)
{
	RUN(test_flush_by_age);
	RUN(test_flush_by_size);
	RUN(test_flush_every_batch);
}
