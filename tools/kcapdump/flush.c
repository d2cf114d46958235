// SPDX-License-Identifier: GPL-2.0
/* kcapdump's flush policy; see flush.h. */
#include "flush.h"

#define NSEC_PER_MSEC	1000000ULL

void kd_flush_init(struct kd_flush *f, bool every_batch)
{
	f->max_bytes = KD_FLUSH_BYTES;
	f->max_age_ns = KD_FLUSH_AGE_MS * NSEC_PER_MSEC;
	f->every_batch = every_batch;
	f->since_ns = 0;
}

bool kd_flush_due(struct kd_flush *f, size_t buffered, uint64_t now_ns)
{
	if (!buffered) {
		f->since_ns = 0;
		return false;
	}
	if (!f->since_ns)
		f->since_ns = now_ns ? now_ns : 1;
	return f->every_batch || buffered >= f->max_bytes ||
	       now_ns - f->since_ns >= f->max_age_ns;
}

void kd_flush_done(struct kd_flush *f)
{
	f->since_ns = 0;
}

int kd_flush_timeout(const struct kd_flush *f, uint64_t now_ns, int cap_ms)
{
	uint64_t left, deadline;

	if (!f->since_ns)
		return cap_ms;
	deadline = f->since_ns + f->max_age_ns;
	if (now_ns >= deadline)
		return 0;
	/* Round up: waking a little early would only mean another poll. */
	left = (deadline - now_ns + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC;
	return left < (uint64_t)cap_ms ? (int)left : cap_ms;
}
