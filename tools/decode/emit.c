// SPDX-License-Identifier: GPL-2.0
/*
 * Tree and JSON writers behind the decoders. The tree keeps UMPA's
 * marks: "+-< Layer >" opens a protocol, "+-[ Field ]" is a field,
 * " -{ bit }" a flag bit or sub-field, and "\-< Layer >" closes with the
 * number of fields. Numbers are formatted by hand and output is written
 * in blocks: a tree has dozens of lines per packet and printf per line
 * would dominate the cost of decoding.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "emit.h"

#define NAMEW	24	/* width of a field name in the tree */
#define SUBW	22	/* sub-field names end in the same column */

void kdec_em_init(struct emit *e, FILE *f, int mode, struct kcap_dec_info *info)
{
	/* All but the buffer, which n says is empty: it is 16 KiB. */
	memset(e, 0, offsetof(struct emit, buf));
	e->f = f;
	e->mode = mode;
	e->info = info;
	e->preview = 64;
	e->json_first = true;
}

void kdec_em_flush(struct emit *e)
{
	if (e->n && e->f)
		fwrite(e->buf, 1, e->n, e->f);
	e->n = 0;
}

void kdec_em_put(struct emit *e, const char *s, size_t len)
{
	if (len > sizeof(e->buf) - e->n) {
		kdec_em_flush(e);
		if (len > sizeof(e->buf)) {
			if (e->f)
				fwrite(s, 1, len, e->f);
			return;
		}
	}
	memcpy(e->buf + e->n, s, len);
	e->n += len;
}

void kdec_em_puts(struct emit *e, const char *s)
{
	kdec_em_put(e, s, strlen(s));
}

void kdec_em_putc(struct emit *e, char c)
{
	if (e->n == sizeof(e->buf))
		kdec_em_flush(e);
	e->buf[e->n++] = c;
}

void kdec_em_u64(struct emit *e, uint64_t v)
{
	char tmp[24];
	int i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	kdec_em_put(e, tmp + i, sizeof(tmp) - i);
}

static void em_hexval(struct emit *e, uint64_t v, int digits)
{
	static const char hx[] = "0123456789abcdef";
	char tmp[20];
	int i = sizeof(tmp), n = 0;

	do {
		tmp[--i] = hx[v & 15];
		v >>= 4;
		n++;
	} while (v || n < digits);
	tmp[--i] = 'x';
	tmp[--i] = '0';
	kdec_em_put(e, tmp + i, sizeof(tmp) - i);
}

void kdec_em_vprintf(struct emit *e, bool whole, const char *fmt, va_list ap)
{
	char tmp[512], *big;
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	if (n < 0 || (size_t)n < sizeof(tmp) || !whole) {
		if (n >= 0)
			kdec_em_put(e, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
		va_end(again);
		return;
	}
	big = malloc((size_t)n + 1);
	if (big) {
		vsnprintf(big, (size_t)n + 1, fmt, again);
		kdec_em_put(e, big, (size_t)n);
		free(big);
	}
	va_end(again);
}

void kdec_em_printf(struct emit *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kdec_em_vprintf(e, false, fmt, ap);
	va_end(ap);
}

void kdec_em_json_str(struct emit *e, const char *s, size_t len)
{
	static const char hx[] = "0123456789abcdef";
	size_t i;

	kdec_em_putc(e, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			kdec_em_putc(e, '\\');
			kdec_em_putc(e, (char)c);
		} else if (c < 0x20 || c >= 0x7f) {
			char u[6] = { '\\', 'u', '0', '0', hx[c >> 4], hx[c & 15] };

			kdec_em_put(e, u, 6);
		} else {
			kdec_em_putc(e, (char)c);
		}
	}
	kdec_em_putc(e, '"');
}

/* Name padded to a column, so values line up. */
static void em_name(struct emit *e, const char *name, int width)
{
	size_t len = strlen(name);
	static const char sp[] = "                                ";

	kdec_em_put(e, name, len);
	if ((int)len < width)
		kdec_em_put(e, sp, (size_t)width - len);
}

static void json_key(struct emit *e, const char *key)
{
	if (!e->json_first)
		kdec_em_putc(e, ',');
	e->json_first = false;
	kdec_em_putc(e, '"');
	kdec_em_puts(e, key);
	kdec_em_put(e, "\":", 2);
}

static void close_group(struct emit *e)
{
	if (!e->group)
		return;
	if (e->mode == EM_JSON)
		kdec_em_putc(e, e->group);
	e->group = 0;
	e->json_first = false;
}

static void close_layer(struct emit *e)
{
	close_group(e);
	if (!e->in_layer)
		return;
	if (e->mode == EM_TREE) {
		kdec_em_put(e, "\\-< ", 4);
		em_name(e, e->layer_title, NAMEW);
		kdec_em_put(e, " > contains ", 12);
		kdec_em_u64(e, e->nfields);
		kdec_em_puts(e, e->nfields == 1 ? " field\n" : " fields\n");
	} else if (e->mode == EM_JSON) {
		kdec_em_putc(e, '}');
	}
	e->in_layer = false;
}

void kdec_em_packet_begin(struct emit *e, const struct kcap_packet *pkt)
{
	static const char *const dirs[] = { NULL, "in", "out", NULL };
	const char *dir = dirs[pkt->flags & KCAP_PACKET_DIRECTION];
	char ts[48];

	if (e->mode == EM_TREE) {
		kdec_fmt_time(ts, sizeof(ts), pkt->ts_ns, true);
		kdec_em_puts(e, "Packet ");
		kdec_em_u64(e, pkt->number);
		kdec_em_puts(e, ": ");
		kdec_em_u64(e, pkt->wirelen);
		kdec_em_puts(e, " bytes on wire, ");
		kdec_em_u64(e, pkt->caplen);
		kdec_em_puts(e, " captured, ");
		kdec_em_puts(e, ts);
		if (pkt->ifname) {
			kdec_em_puts(e, ", ");
			kdec_em_puts(e, pkt->ifname);
		}
		if (dir) {
			kdec_em_puts(e, ", ");
			kdec_em_puts(e, dir);
		}
		kdec_em_putc(e, '\n');
	} else if (e->mode == EM_JSON) {
		kdec_em_puts(e, "{\"number\":");
		kdec_em_u64(e, pkt->number);
		kdec_em_puts(e, ",\"ts\":\"");
		kdec_em_u64(e, pkt->ts_ns / 1000000000u);
		kdec_em_printf(e, ".%09u\"", (unsigned int)(pkt->ts_ns % 1000000000u));
		kdec_em_puts(e, ",\"caplen\":");
		kdec_em_u64(e, pkt->caplen);
		kdec_em_puts(e, ",\"wirelen\":");
		kdec_em_u64(e, pkt->wirelen);
		if (pkt->ifname) {
			kdec_em_puts(e, ",\"ifname\":");
			kdec_em_json_str(e, pkt->ifname, strlen(pkt->ifname));
		}
		if (dir) {
			kdec_em_puts(e, ",\"direction\":\"");
			kdec_em_puts(e, dir);
			kdec_em_putc(e, '"');
		}
		kdec_em_puts(e, ",\"layers\":[");
	}
	e->json_first = true;
	e->in_layer = false;
	e->group = 0;
}

void kdec_em_packet_end(struct emit *e, const struct kcap_packet *pkt, bool hex)
{
	static const char hx[] = "0123456789abcdef";

	close_layer(e);
	if (e->mode == EM_JSON) {
		kdec_em_putc(e, ']');
		if (e->info->truncated)
			kdec_em_puts(e, ",\"truncated\":true");
		if (e->info->malformed) {
			kdec_em_puts(e, ",\"malformed\":");
			kdec_em_json_str(e, e->info->malformed, strlen(e->info->malformed));
		}
		if (hex) {
			uint32_t i;

			kdec_em_puts(e, ",\"hex\":\"");
			for (i = 0; i < pkt->caplen; i++) {
				kdec_em_putc(e, hx[pkt->data[i] >> 4]);
				kdec_em_putc(e, hx[pkt->data[i] & 15]);
			}
			kdec_em_putc(e, '"');
		}
		kdec_em_puts(e, "}\n");
	} else if (e->mode == EM_TREE) {
		if (hex)
			kdec_hexdump(e, pkt->data, pkt->caplen);
		kdec_em_putc(e, '\n');
	}
}

void kdec_em_layer(struct emit *e, const char *title, const char *key)
{
	if (e->mode == EM_NONE)
		return;
	close_layer(e);
	e->in_layer = true;
	e->layer_title = title;
	e->nfields = 0;
	if (e->mode == EM_TREE) {
		char t[64];

		/* Layers of a datagram quoted by an ICMP error say so. */
		if (e->inner) {
			snprintf(t, sizeof(t), "%s (quoted)", title);
			title = t;
		}
		kdec_em_put(e, "+-< ", 4);
		em_name(e, title, NAMEW);
		kdec_em_put(e, " >\n", 3);
	} else {
		if (!e->json_first)
			kdec_em_putc(e, ',');
		kdec_em_puts(e, "{\"layer\":\"");
		kdec_em_puts(e, key);
		kdec_em_putc(e, '"');
		if (e->inner)
			kdec_em_puts(e, ",\"quoted\":true");
		e->json_first = false;
	}
}

/* "| +-[ Name ] " */
static void tree_field(struct emit *e, const char *name)
{
	close_group(e);
	e->nfields++;
	kdec_em_put(e, "| +-[ ", 6);
	em_name(e, name, NAMEW);
	kdec_em_put(e, " ]", 2);
}

static void tree_meaning(struct emit *e, const char *meaning)
{
	if (meaning) {
		kdec_em_put(e, " (", 2);
		kdec_em_puts(e, meaning);
		kdec_em_putc(e, ')');
	}
	kdec_em_putc(e, '\n');
}

static void json_meaning(struct emit *e, const char *meaning, const char *mkey)
{
	if (meaning && mkey) {
		json_key(e, mkey);
		kdec_em_json_str(e, meaning, strlen(meaning));
	}
}

/* "| |  -{ name } " */
static void tree_sub(struct emit *e, const char *name)
{
	kdec_em_put(e, "| |  -{ ", 8);
	em_name(e, name, SUBW);
	kdec_em_put(e, " }", 2);
}

/*
 * Where a field starts: in the tree its name (sub: a group's member's)
 * and a space, in JSON its key. False when nothing is printed.
 */
static bool field_start(struct emit *e, const char *name, const char *key, bool sub)
{
	if (e->mode == EM_TREE) {
		if (sub)
			tree_sub(e, name);
		else
			tree_field(e, name);
		kdec_em_putc(e, ' ');
		return true;
	}
	if (e->mode != EM_JSON)
		return false;
	if (!sub)
		close_group(e);
	json_key(e, key);
	return true;
}

static void field_meaning(struct emit *e, const char *meaning, const char *mkey)
{
	if (e->mode == EM_TREE)
		tree_meaning(e, meaning);
	else
		json_meaning(e, meaning, mkey);
}

/* A string value: as it is in the tree, quoted in JSON. */
static void field_str(struct emit *e, const char *s)
{
	if (e->mode == EM_TREE) {
		kdec_em_puts(e, s);
		kdec_em_putc(e, '\n');
	} else {
		kdec_em_json_str(e, s, strlen(s));
	}
}

/* A number and what it means, a field of its own or a group's (sub). */
static void num_field(struct emit *e, const char *name, const char *key, bool sub,
		      uint64_t v, const char *meaning, const char *mkey)
{
	if (!field_start(e, name, key, sub))
		return;
	kdec_em_u64(e, v);
	field_meaning(e, meaning, mkey);
}

void kdec_em_uint(struct emit *e, const char *name, const char *key, uint64_t v,
	     const char *meaning, const char *mkey)
{
	num_field(e, name, key, false, v, meaning, mkey);
}

/* In hex in the tree (JSON has only numbers). */
void kdec_em_hex(struct emit *e, const char *name, const char *key, uint64_t v,
	    int digits, const char *meaning, const char *mkey)
{
	if (!field_start(e, name, key, false))
		return;
	if (e->mode == EM_TREE)
		em_hexval(e, v, digits);
	else
		kdec_em_u64(e, v);
	field_meaning(e, meaning, mkey);
}

void kdec_em_str(struct emit *e, const char *name, const char *key, const char *s)
{
	if (field_start(e, name, key, false))
		field_str(e, s);
}

void kdec_em_bool(struct emit *e, const char *name, const char *key, bool v)
{
	if (!field_start(e, name, key, false))
		return;
	if (e->mode == EM_TREE)
		kdec_em_puts(e, v ? "yes\n" : "no\n");
	else
		kdec_em_puts(e, v ? "true" : "false");
}

void kdec_em_group(struct emit *e, const char *name, const char *key, uint64_t v,
	      int hexdigits, const char *summary)
{
	if (!field_start(e, name, key, false))
		return;
	if (e->mode == EM_TREE) {
		if (hexdigits)
			em_hexval(e, v, hexdigits);
		else
			kdec_em_u64(e, v);
		tree_meaning(e, summary && *summary ? summary : NULL);
	} else {
		kdec_em_puts(e, "{\"value\":");
		kdec_em_u64(e, v);
		e->group = '}';
		e->json_first = false;
	}
}

void kdec_em_sub(struct emit *e, const char *name, const char *key, uint64_t v,
	    const char *meaning, const char *mkey)
{
	num_field(e, name, key, true, v, meaning, mkey);
}

void kdec_em_sub_str(struct emit *e, const char *name, const char *key, const char *s)
{
	if (field_start(e, name, key, true))
		field_str(e, s);
}

/* A list's or an item's line in the tree: its name, then text if there is any. */
static void tree_line(struct emit *e, const char *name, bool sub, const char *text)
{
	if (sub)
		tree_sub(e, name);
	else
		tree_field(e, name);
	if (text && *text) {
		kdec_em_putc(e, ' ');
		kdec_em_puts(e, text);
	}
	kdec_em_putc(e, '\n');
}

void kdec_em_list(struct emit *e, const char *name, const char *key, const char *summary)
{
	if (e->mode == EM_TREE) {
		tree_line(e, name, false, summary);
	} else if (e->mode == EM_JSON) {
		close_group(e);
		json_key(e, key);
		kdec_em_putc(e, '[');
		e->group = ']';
		e->json_first = true;
	}
}

void kdec_em_item(struct emit *e, const char *name, const char *kind,
	     const char *treeval, const char *jsonmembers)
{
	if (e->mode == EM_TREE) {
		tree_line(e, name, true, treeval);
	} else if (e->mode == EM_JSON) {
		if (!e->json_first)
			kdec_em_putc(e, ',');
		e->json_first = false;
		kdec_em_puts(e, "{\"kind\":\"");
		kdec_em_puts(e, kind);
		kdec_em_putc(e, '"');
		if (jsonmembers && *jsonmembers) {
			kdec_em_putc(e, ',');
			kdec_em_puts(e, jsonmembers);
		}
		kdec_em_putc(e, '}');
	}
}

void kdec_em_group_end(struct emit *e)
{
	close_group(e);
}

/* A layer's mark: truncated (reason NULL), or malformed and why. */
static void layer_mark(struct emit *e, const char *key, const char *reason)
{
	if (e->mode == EM_TREE) {
		kdec_em_puts(e, reason ? "| [malformed: " : "| [truncated");
		if (reason)
			kdec_em_puts(e, reason);
		kdec_em_puts(e, "]\n");
	} else if (e->mode == EM_JSON && e->in_layer) {
		close_group(e);
		json_key(e, key);
		if (reason)
			kdec_em_json_str(e, reason, strlen(reason));
		else
			kdec_em_puts(e, "true");
	}
}

void kdec_em_trunc(struct emit *e)
{
	if (!e->inner)
		e->info->truncated = true;
	layer_mark(e, "truncated", NULL);
}

void kdec_em_malformed(struct emit *e, const char *reason)
{
	if (!e->inner && !e->info->malformed)
		e->info->malformed = reason;
	layer_mark(e, "malformed", reason);
}

const char *kdec_tok(const struct kdec_tok *t, uint32_t v)
{
	for (; t->s; t++)
		if (t->v == v)
			return t->s;
	return NULL;
}

void kdec_fmt_ip4(char *buf, const uint8_t *a)
{
	char *p = buf;
	int i;

	for (i = 0; i < 4; i++) {
		unsigned int v = a[i];

		if (v >= 100)
			*p++ = (char)('0' + v / 100);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
		*p++ = i < 3 ? '.' : '\0';
	}
}

/* RFC 5952: lower case, no leading zeros, the longest run of >= 2 zero groups as "::". */
void kdec_fmt_ip6(char *buf, const uint8_t *a)
{
	static const char hx[] = "0123456789abcdef";
	int best = -1, bestlen = 0, i, j;
	char *p = buf;

	for (i = 0; i < 8; i++) {
		for (j = i; j < 8 && !a[2 * j] && !a[2 * j + 1]; j++)
			;
		if (j - i > bestlen && j - i >= 2) {
			best = i;
			bestlen = j - i;
		}
		if (j > i)
			i = j;
	}
	for (i = 0; i < 8; i++) {
		unsigned int g = (unsigned int)(a[2 * i] << 8 | a[2 * i + 1]);
		int sh, started = 0;

		if (best >= 0 && i >= best && i < best + bestlen) {
			if (i == best)
				*p++ = ':';
			continue;
		}
		if (i)
			*p++ = ':';
		for (sh = 12; sh >= 0; sh -= 4) {
			unsigned int d = (g >> sh) & 15;

			if (d || started || !sh) {
				*p++ = hx[d];
				started = 1;
			}
		}
	}
	if (best >= 0 && best + bestlen == 8)
		*p++ = ':';
	*p = '\0';
}

void kdec_fmt_mac(char *buf, const uint8_t *a)
{
	static const char hx[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 6; i++) {
		buf[3 * i] = hx[a[i] >> 4];
		buf[3 * i + 1] = hx[a[i] & 15];
		buf[3 * i + 2] = i < 5 ? ':' : '\0';
	}
}

void kdec_fmt_time(char *buf, size_t len, uint64_t ts_ns, bool date)
{
	time_t sec = (time_t)(ts_ns / 1000000000u);
	unsigned int ns = (unsigned int)(ts_ns % 1000000000u);
	struct tm tm;

	gmtime_r(&sec, &tm);
	if (date)
		snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d.%09u UTC",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec, ns);
	else
		snprintf(buf, len, "%02d:%02d:%02d.%09u",
			 tm.tm_hour, tm.tm_min, tm.tm_sec, ns);
}

/* "0000  45 00 00 3c ... 00 00  E..<....": offset, 16 bytes, ASCII. */
void kdec_hexdump(struct emit *e, const uint8_t *p, uint32_t len)
{
	static const char hx[] = "0123456789abcdef";
	uint32_t off, i;

	for (off = 0; off < len; off += 16) {
		char line[84];
		int n = 0, sh;

		/* At least four digits, more past 64 KiB (as tcpdump's 0x10000). */
		for (sh = 28; sh > 12 && !(off >> sh); sh -= 4)
			;
		for (; sh >= 0; sh -= 4)
			line[n++] = hx[(off >> sh) & 15];
		line[n++] = ' ';
		for (i = 0; i < 16; i++) {
			line[n++] = ' ';
			if (off + i < len) {
				line[n++] = hx[p[off + i] >> 4];
				line[n++] = hx[p[off + i] & 15];
			} else {
				line[n++] = ' ';
				line[n++] = ' ';
			}
		}
		line[n++] = ' ';
		line[n++] = ' ';
		for (i = 0; i < 16 && off + i < len; i++) {
			uint8_t c = p[off + i];

			line[n++] = c >= 0x20 && c < 0x7f ? (char)c : '.';
		}
		line[n++] = '\n';
		kdec_em_put(e, line, (size_t)n);
	}
}
