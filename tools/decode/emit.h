/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The decoders describe a packet to an emitter, which writes it as a tree
 * or as JSON (or nowhere, when only struct kcap_dec_info is wanted). The
 * decoders therefore never format output themselves, and a new protocol
 * appears in both forms at once.
 *
 * Shape: a packet is a list of layers; a layer has fields; a field may be
 * a group (flag bits, sub-fields) or a list (options), whose children are
 * one level deeper. Output is buffered per emitter and written in blocks.
 */
#ifndef KCAP_DECODE_EMIT_H
#define KCAP_DECODE_EMIT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "decode.h"

enum em_mode { EM_NONE, EM_TREE, EM_JSON };

struct emit {
	FILE *f;
	int mode;
	struct kcap_dec_info *info;
	int inner;		/* > 0 while decoding a packet quoted in ICMP */
	uint32_t preview;
	bool no_payload;
	bool json_first;	/* next JSON member is the first in its object */
	char group;		/* open JSON group: '}' or ']', or 0 */
	bool in_layer;
	const char *layer_title;
	unsigned int nfields;
	int depth;		/* encapsulations entered (tunnels, MPLS, ...) */
	const uint8_t *pkt_data;	/* the packet's first byte, for offsets */
	const uint8_t *pkt_end;	/* and the end of what was captured */
	uint32_t wire_extra;	/* wirelen - caplen: bytes not captured */
	size_t n;
	char buf[16384];
};

void kdec_em_init(struct emit *e, FILE *f, int mode, struct kcap_dec_info *info);
void kdec_em_flush(struct emit *e);

/* Raw output, for the frame line, -q and the hex dump. */
void kdec_em_put(struct emit *e, const char *s, size_t len);
void kdec_em_puts(struct emit *e, const char *s);
void kdec_em_putc(struct emit *e, char c);
void kdec_em_u64(struct emit *e, uint64_t v);
/* whole: all of it, however long; else at most 511 bytes. */
void kdec_em_vprintf(struct emit *e, bool whole, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
void kdec_em_printf(struct emit *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void kdec_em_json_str(struct emit *e, const char *s, size_t len);

void kdec_em_packet_begin(struct emit *e, const struct kcap_packet *pkt);
void kdec_em_packet_end(struct emit *e, const struct kcap_packet *pkt, bool hex);

void kdec_em_layer(struct emit *e, const char *title, const char *key);
void kdec_em_uint(struct emit *e, const char *name, const char *key, uint64_t v,
	     const char *meaning, const char *mkey);
void kdec_em_hex(struct emit *e, const char *name, const char *key, uint64_t v,
	    int digits, const char *meaning, const char *mkey);
void kdec_em_str(struct emit *e, const char *name, const char *key, const char *s);
void kdec_em_bool(struct emit *e, const char *name, const char *key, bool v);

/* A group of sub-fields: kdec_em_sub()/em_bit() until kdec_em_group_end(). */
void kdec_em_group(struct emit *e, const char *name, const char *key, uint64_t v,
	      int hexdigits, const char *summary);
void kdec_em_sub(struct emit *e, const char *name, const char *key, uint64_t v,
	    const char *meaning, const char *mkey);
void kdec_em_sub_str(struct emit *e, const char *name, const char *key, const char *s);
/* A list of items, each shown as one line in the tree and an object in JSON. */
void kdec_em_list(struct emit *e, const char *name, const char *key, const char *summary);
void kdec_em_item(struct emit *e, const char *name, const char *kind,
	     const char *treeval, const char *jsonmembers);
void kdec_em_group_end(struct emit *e);

void kdec_em_trunc(struct emit *e);
void kdec_em_malformed(struct emit *e, const char *reason);

/* Formatting helpers for callers. */
/* Names of numbers, in tables that end with { 0, NULL } (tok2str()'s). */
struct kdec_tok {
	uint32_t v;
	const char *s;
};

/* v's name in t, or NULL. */
const char *kdec_tok(const struct kdec_tok *t, uint32_t v);

void kdec_fmt_ip4(char *buf, const uint8_t *a);		/* buf >= 16 */
void kdec_fmt_ip6(char *buf, const uint8_t *a);		/* buf >= 46 */
void kdec_fmt_mac(char *buf, const uint8_t *a);		/* buf >= 18 */
void kdec_fmt_time(char *buf, size_t len, uint64_t ts_ns, bool date);
void kdec_hexdump(struct emit *e, const uint8_t *p, uint32_t len);

#endif /* KCAP_DECODE_EMIT_H */
