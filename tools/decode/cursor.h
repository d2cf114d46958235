/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bounds-checked packet accessors, in the manner of tcpdump's GET_U_1 and
 * GET_BE_U_2: a decoder reads packet bytes only through these. Each GET_*
 * either yields the value and advances, or jumps to the decoder's "trunc"
 * label, which prints the "[truncated]" marker and gives up. The invariant
 * is off <= len; nothing reads at p + len or beyond.
 */
#ifndef KCAP_DECODE_CURSOR_H
#define KCAP_DECODE_CURSOR_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct cur {
	const uint8_t *p;
	uint32_t len;
	uint32_t off;
};

static inline struct cur cur_make(const uint8_t *p, uint32_t len)
{
	struct cur c = { p, len, 0 };

	return c;
}

static inline uint32_t cur_left(const struct cur *c)
{
	return c->len - c->off;
}

static inline bool cur_have(const struct cur *c, uint32_t n)
{
	return n <= c->len - c->off;
}

static inline const uint8_t *cur_ptr(const struct cur *c)
{
	return c->p + c->off;
}

/*
 * The next n bytes (or as many as there are) as a cursor of their own;
 * the parent skips them. Used to bound a header's options by its length
 * field, and a payload by the IP total length rather than the frame.
 */
static inline struct cur cur_take(struct cur *c, uint32_t n)
{
	uint32_t k = n < cur_left(c) ? n : cur_left(c);
	struct cur s = { c->p + c->off, k, 0 };

	c->off += k;
	return s;
}

/* Shorten c to at most n more bytes (IP length vs Ethernet padding). */
static inline void cur_limit(struct cur *c, uint32_t n)
{
	if (n < cur_left(c))
		c->len = c->off + n;
}

static inline uint16_t be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline uint8_t u8_at(const uint8_t *p)
{
	return p[0];
}

/* To the decoder's trunc label unless n more bytes are there. */
#define NEED(c, n) do {							\
	if (!cur_have((c), (n)))					\
		goto trunc;						\
} while (0)

/* The value at(p) makes of the next n bytes, and past them. */
#define GET_AT(c, v, n, at) do {					\
	NEED(c, n);							\
	(v) = at((c)->p + (c)->off);					\
	(c)->off += (n);						\
} while (0)

#define GET_U8(c, v)	GET_AT(c, v, 1, u8_at)
#define GET_BE16(c, v)	GET_AT(c, v, 2, be16_at)
#define GET_BE32(c, v)	GET_AT(c, v, 4, be32_at)

#define GET_BYTES(c, dst, n) do {					\
	NEED(c, n);							\
	memcpy((dst), (c)->p + (c)->off, (n));				\
	(c)->off += (n);						\
} while (0)

#define SKIP(c, n) do {							\
	NEED(c, n);							\
	(c)->off += (n);						\
} while (0)

/* Reads that do not advance: for a peek at a type byte. */
#define PEEK_U8(c, v) do {						\
	NEED(c, 1);							\
	(v) = u8_at(cur_ptr(c));					\
} while (0)

#endif /* KCAP_DECODE_CURSOR_H */
