// SPDX-License-Identifier: GPL-2.0
/*
 * tcpdump's lines for TCP (flags, relative sequence numbers, options, the
 * first line of text protocols), UDP and IGMP (print-tcp.c, print-udp.c,
 * print-igmp.c, util-print.c's txtproto_print). ICMP and ICMPv6 are in
 * line_icmp.c.
 */
#include <stdlib.h>
#include <string.h>

#include "line.h"

#define TH_FIN	0x01
#define TH_SYN	0x02
#define TH_RST	0x04
#define TH_PUSH	0x08
#define TH_ACK	0x10
#define TH_URG	0x20

/*
 * Relative sequence numbers, as tcpdump keeps them: one entry per
 * connection (either direction), made by the first packet with ACK set
 * and made again by each SYN; that packet prints absolute numbers.
 */
#define SEQ_BUCKETS	919

struct seq_entry {
	struct seq_entry *next;
	uint8_t ver;
	uint8_t src[16], dst[16];
	uint32_t port;
	uint32_t seq, ack;
};

struct lp_tcpseq {
	struct seq_entry *b[SEQ_BUCKETS];
};

struct lp_tcpseq *kdec_lp_tcpseq_new(void)
{
	return calloc(1, sizeof(struct lp_tcpseq));
}

void kdec_lp_tcpseq_free(struct lp_tcpseq *t)
{
	unsigned int i;

	if (!t)
		return;
	for (i = 0; i < SEQ_BUCKETS; i++) {
		struct seq_entry *e;

		while ((e = t->b[i])) {
			t->b[i] = e->next;
			free(e);
		}
	}
	free(t);
}

/*
 * Returns the connection's entry, new or reset for a SYN (*fresh), or
 * NULL when out of memory (then the numbers stay absolute).
 */
static struct seq_entry *seq_lookup(struct lp_tcpseq *t, int ver,
				    const uint8_t *src, const uint8_t *dst,
				    uint16_t sport, uint16_t dport, bool syn,
				    bool *rev, bool *fresh)
{
	unsigned int alen = ver == 6 ? 16 : 4;
	struct seq_entry key, *e;

	memset(&key, 0, sizeof(key));
	*rev = sport > dport || (sport == dport && memcmp(src, dst, alen) > 0);
	key.ver = (uint8_t)ver;
	if (*rev) {
		memcpy(key.src, dst, alen);
		memcpy(key.dst, src, alen);
		key.port = (uint32_t)dport << 16 | sport;
	} else {
		memcpy(key.src, src, alen);
		memcpy(key.dst, dst, alen);
		key.port = (uint32_t)sport << 16 | dport;
	}
	for (e = t->b[key.port % SEQ_BUCKETS]; e; e = e->next)
		if (e->ver == key.ver && e->port == key.port &&
		    !memcmp(e->src, key.src, 16) && !memcmp(e->dst, key.dst, 16))
			break;
	*fresh = !e || syn;
	if (!e) {
		e = malloc(sizeof(*e));
		if (!e)
			return NULL;
		*e = key;
		e->next = t->b[key.port % SEQ_BUCKETS];
		t->b[key.port % SEQ_BUCKETS] = e;
	}
	return e;
}

static const struct kdec_tok tcp_flag_values[] = {
	{ 0x01, "F" }, { 0x02, "S" }, { 0x04, "R" }, { 0x08, "P" },
	{ 0x10, "." }, { 0x20, "U" }, { 0x40, "E" }, { 0x80, "W" },
	{ 0, NULL },
};

static const struct kdec_tok tcp_option_values[] = {
	{ 0, "eol" }, { 1, "nop" }, { 2, "mss" }, { 3, "wscale" },
	{ 4, "sackOK" }, { 5, "sack" }, { 6, "echo" }, { 7, "echoreply" },
	{ 8, "TS" }, { 11, "cc" }, { 12, "ccnew" }, { 13, "" },
	{ 19, "md5" }, { 20, "scps" }, { 28, "uto" }, { 29, "tcp-ao" },
	{ 30, "mptcp" }, { 34, "tfo" }, { 254, "exp" }, { 0, NULL },
};

static void print_tcp_rst_data(struct lp *lp, const uint8_t *sp, uint32_t length)
{
	lp_puts(lp, lp_ttest(lp, sp, length) ? " [RST" : " [!RST");
	if (length > 30) {
		length = 30;
		lp_putc(lp, '+');
	}
	lp_putc(lp, ' ');
	while (length && (uintptr_t)sp < (uintptr_t)lp->snapend) {
		kdec_lp_print_char(lp, lp_u8(lp, sp));
		sp++;
		length--;
	}
	lp_putc(lp, ']');
}

static void print_tcp_fastopen(struct lp *lp, const uint8_t *cp,
			       uint32_t datalen, bool exp)
{
	uint32_t i;

	if (exp)
		lp_puts(lp, "tfo");
	if (datalen == 0) {
		lp_puts(lp, " cookiereq");
	} else if (datalen % 2 != 0 || datalen < 4 || datalen > 16) {
		kdec_lp_print_invalid(lp);
	} else {
		lp_puts(lp, " cookie ");
		for (i = 0; i < datalen; ++i)
			kdec_lp_printf(lp, "%02x", lp_u8(lp, cp + i));
	}
}

/* Text protocols: txtproto_print() and its helpers (util-print.c). */
#define MAX_TOKEN	128
#define RESP_CODE_SECOND_TOKEN	1

static bool is_print(uint8_t c)
{
	return c >= 0x20 && c <= 0x7e;
}

static uint32_t fetch_token(struct lp *lp, const uint8_t *pp, uint32_t idx,
			    uint32_t len, char *tbuf, size_t tbuflen)
{
	size_t toklen = 0;
	uint8_t c;

	for (; idx < len; idx++) {
		if (!lp_ttest(lp, pp + idx, 1))
			return 0;
		c = pp[idx];
		if (c >= 0x80)
			return 0;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			break;
		if (!is_print(c))
			return 0;
		if (toklen + 2 > tbuflen)
			return 0;
		tbuf[toklen++] = (char)c;
	}
	if (toklen == 0)
		return 0;
	tbuf[toklen] = '\0';
	for (; idx < len; idx++) {
		if (!lp_ttest(lp, pp + idx, 1))
			break;
		c = pp[idx];
		if (c == '\r' || c == '\n' || !is_print(c))
			break;
		if (c != ' ' && c != '\t')
			break;
	}
	return idx;
}

static void print_span(struct lp *lp, const char *prefix, const uint8_t *p,
		       uint32_t n)
{
	lp_puts(lp, prefix);
	kdec_em_put(lp->e, (const char *)p, n);
}

static uint32_t print_txt_line(struct lp *lp, const char *prefix,
			       const uint8_t *pp, uint32_t idx, uint32_t len)
{
	uint32_t start = idx;
	uint8_t c;

	while (idx < len) {
		c = lp_u8(lp, pp + idx);
		if (c == '\n') {
			print_span(lp, prefix, pp + start, idx - start);
			return idx + 1;
		}
		if (c == '\r') {
			if (idx + 1 >= len)
				return 0;
			if (lp_u8(lp, pp + idx + 1) == '\n') {
				print_span(lp, prefix, pp + start, idx - start);
				return idx + 2;
			}
			return 0;
		}
		if (!is_print(c) && c != '\t')
			return 0;
		idx++;
	}
	/* printable to the end, but no line end: as if cut short */
	print_span(lp, prefix, pp + start, idx - start);
	kdec_lp_print_trunc(lp);
	return 0;
}

static int ascii_strcasecmp(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		int x = *a >= 'A' && *a <= 'Z' ? *a + 32 : *a;
		int y = *b >= 'A' && *b <= 'Z' ? *b + 32 : *b;

		if (x != y)
			return x - y;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

static void txtproto_print(struct lp *lp, const uint8_t *pp, uint32_t len,
			   const char *const *cmds, unsigned int flags)
{
	char token[MAX_TOKEN + 1];
	bool print_this = false;
	uint32_t idx, eol;

	if (cmds) {
		idx = fetch_token(lp, pp, 0, len, token, sizeof(token));
		if (idx != 0) {
			for (; *cmds; cmds++) {
				if (!ascii_strcasecmp(token, *cmds)) {
					print_this = true;
					break;
				}
			}
			if (flags & RESP_CODE_SECOND_TOKEN)
				idx = fetch_token(lp, pp, idx, len, token, sizeof(token));
			if (idx != 0 && token[0] >= '0' && token[0] <= '9' &&
			    token[1] >= '0' && token[1] <= '9' &&
			    token[2] >= '0' && token[2] <= '9' && token[3] == '\0')
				print_this = true;
		}
	} else {
		print_this = true;
	}
	kdec_lp_print_proto_caps(lp);
	if (!print_this)
		return;
	if (lp->o->vflag) {
		kdec_lp_printf(lp, ", length: %u", len);
		for (idx = 0; idx < len &&
		     (eol = print_txt_line(lp, "\n\t", pp, idx, len)) != 0; idx = eol)
			;
	} else {
		print_txt_line(lp, ": ", pp, 0, len);
	}
}

static const char *const httpcmds[] = {
	"GET", "PUT", "COPY", "HEAD", "LOCK", "MOVE", "POLL", "POST", "BCOPY",
	"BMOVE", "MKCOL", "TRACE", "LABEL", "MERGE", "DELETE", "SEARCH",
	"UNLOCK", "REPORT", "UPDATE", "NOTIFY", "BDELETE", "CONNECT",
	"OPTIONS", "CHECKIN", "PROPFIND", "CHECKOUT", "CCM_POST", "SUBSCRIBE",
	"PROPPATCH", "BPROPFIND", "BPROPPATCH", "UNCHECKOUT", "MKACTIVITY",
	"MKWORKSPACE", "UNSUBSCRIBE", "RPC_CONNECT", "VERSION-CONTROL",
	"BASELINE-CONTROL", NULL,
};

static const char *const rtspcmds[] = {
	"DESCRIBE", "ANNOUNCE", "GET_PARAMETER", "OPTIONS", "PAUSE", "PLAY",
	"RECORD", "REDIRECT", "SETUP", "SET_PARAMETER", "TEARDOWN", NULL,
};

/* ssh_print(): the version line, if this is one */
static void ssh_print(struct lp *lp, const uint8_t *pp, uint32_t len)
{
	uint32_t idx;

	lp->proto = "ssh";
	for (idx = 0; idx < 4; idx++)
		if (lp_u8(lp, pp + idx) != (uint8_t)"SSH-"[idx])
			return;
	for (; idx < len; idx++) {
		uint8_t c = lp_u8(lp, pp + idx);

		if (c == '\n')
			break;
		if (c == '\r') {
			if (idx + 1 >= len || lp_u8(lp, pp + idx + 1) != '\n')
				return;
			break;
		}
		if (!is_print(c))
			return;
	}
	if (idx >= len)
		return;
	lp_puts(lp, ": ");
	kdec_lp_print_proto_caps(lp);
	print_span(lp, ": ", pp, idx);
}

/*
 * The payload printers tcpdump picks by port, in its order; those it has
 * and we do not (Telnet, BGP, SMB, NFS, ...) print nothing here.
 */
enum { TXT_NONE, TXT_SMTP, TXT_WHOIS, TXT_SSH, TXT_FTP, TXT_HTTP, TXT_RTSP,
       TXT_DNS };

static void tcp_payload_print(struct lp *lp, const uint8_t *bp, uint32_t length,
			      uint16_t sport, uint16_t dport)
{
	static const struct { uint16_t a, b; uint8_t what; } by_port[] = {
		{ 23, 23, TXT_NONE }, { 25, 25, TXT_SMTP }, { 43, 43, TXT_WHOIS },
		{ 179, 179, TXT_NONE }, { 1723, 1723, TXT_NONE },
		{ 6379, 6379, TXT_NONE }, { 22, 22, TXT_SSH }, { 139, 139, TXT_NONE },
		{ 445, 445, TXT_NONE }, { 10288, 10288, TXT_NONE },
		{ 6633, 6653, TXT_NONE }, { 21, 21, TXT_FTP }, { 80, 8080, TXT_HTTP },
		{ 554, 8554, TXT_RTSP }, { 53, 53, TXT_DNS },
	};
	unsigned int i;

	for (i = 0; i < sizeof(by_port) / sizeof(by_port[0]); i++)
		if (sport == by_port[i].a || dport == by_port[i].a ||
		    sport == by_port[i].b || dport == by_port[i].b)
			break;
	if (i == sizeof(by_port) / sizeof(by_port[0]))
		return;
	switch (by_port[i].what) {
	case TXT_SMTP:
	case TXT_WHOIS:
	case TXT_FTP:
		lp_puts(lp, ": ");
		lp->proto = by_port[i].what == TXT_SMTP ? "smtp" :
			    by_port[i].what == TXT_WHOIS ? "whois" : "ftp";
		txtproto_print(lp, bp, length, NULL, 0);
		break;
	case TXT_SSH:
		ssh_print(lp, bp, length);
		break;
	case TXT_HTTP:
	case TXT_RTSP:
		lp_puts(lp, ": ");
		lp->proto = by_port[i].what == TXT_HTTP ? "http" : "rtsp";
		txtproto_print(lp, bp, length,
			       by_port[i].what == TXT_HTTP ? httpcmds : rtspcmds,
			       RESP_CODE_SECOND_TOKEN);
		break;
	case TXT_DNS:
		kdec_lp_domain_print(lp, bp, length, true, false);
		break;
	}
}

/* The datagram's source and destination, named or numeric as -n says. */
static void ip_src_dst(struct lp *lp, const uint8_t *iph, bool v6, const char **s,
		       const char **d)
{
	if (v6) {
		*s = kdec_lp_ip6addr(lp, iph + 8);
		*d = kdec_lp_ip6addr(lp, iph + 24);
	} else {
		*s = kdec_lp_ipaddr(lp, iph + 12);
		*d = kdec_lp_ipaddr(lp, iph + 16);
	}
}

static void tcp_addrs_print(struct lp *lp, const uint8_t *iph, bool v6,
			    const char *sp, const char *dp)
{
	const char *s, *d;

	ip_src_dst(lp, iph, v6, &s, &d);
	if (sp)
		kdec_lp_printf(lp, "%s.%s > %s.%s: ", s, sp, d, dp);
	else
		kdec_lp_printf(lp, "%s > %s:", s, d);
}

/* What an option's printer needs of its segment. */
struct tcp_optctx {
	const uint8_t *tp;	/* the TCP header */
	uint32_t length;	/* the segment's payload */
	bool rev;		/* the reverse direction of its connection */
	uint32_t thseq, thack;	/* the connection's initial numbers */
};

/*
 * The option's data, l bytes at cp, must be inside the header (hlen
 * left) and captured: else "[bad opt]" (0) or truncated (-1).
 */
#define LENCHECK(l) do {						\
	if ((l) > hlen)							\
		return 0;						\
	if (!lp_ttest(lp, cp, (l)))					\
		return -1;						\
} while (0)

/* SACK blocks relative to the connection's start; as tcp_option_print() returns. */
static int tcp_sack_print(struct lp *lp, const struct tcp_optctx *x, const uint8_t *cp,
			  uint32_t hlen, uint32_t datalen)
{
	uint32_t i;

	if (datalen % 8 != 0) {
		lp_puts(lp, " invalid sack");
		return 1;
	}
	kdec_lp_printf(lp, " %u ", datalen / 8);
	for (i = 0; i < datalen; i += 8) {
		uint32_t s, e;

		LENCHECK(i + 4);
		s = be32_at(cp + i);
		LENCHECK(i + 8);
		e = be32_at(cp + i + 4);
		if (x->rev) {
			s -= x->thseq;
			e -= x->thseq;
		} else {
			s -= x->thack;
			e -= x->thack;
		}
		kdec_lp_printf(lp, "{%u:%u}", s, e);
	}
	return 1;
}

/* TCP-AO: the key ids and the MAC; as tcp_option_print() returns. */
static int tcp_ao_print(struct lp *lp, const uint8_t *cp, uint32_t hlen, uint32_t datalen)
{
	uint32_t i;

	if (datalen < 2) {
		kdec_lp_print_invalid(lp);
		return 1;
	}
	LENCHECK(1);
	kdec_lp_printf(lp, " keyid %u", cp[0]);
	LENCHECK(2);
	kdec_lp_printf(lp, " rnextkeyid %u", cp[1]);
	if (datalen > 2) {
		lp_puts(lp, " mac 0x");
		for (i = 2; i < datalen; i++) {
			LENCHECK(i + 1);
			kdec_lp_printf(lp, "%02x", cp[i]);
		}
	}
	return 1;
}

/* datalen bytes as hex, after " 0x"; as tcp_option_print() returns. */
static int tcp_opt_hex(struct lp *lp, const uint8_t *cp, uint32_t hlen, uint32_t datalen)
{
	uint32_t i;

	if (datalen)
		lp_puts(lp, " 0x");
	for (i = 0; i < datalen; ++i) {
		LENCHECK(i + 1);
		kdec_lp_printf(lp, "%02x", cp[i]);
	}
	return 1;
}

/* The TCP MD5 signature, which tcpdump checks only with -M. */
static int tcp_md5_print(struct lp *lp, const struct tcp_optctx *x, const uint8_t *cp,
			 uint32_t hlen)
{
	const uint8_t *data = x->tp + (x->tp[12] >> 4) * 4;
	uint32_t i;

	LENCHECK(16);
	lp_putc(lp, ' ');
	if (!lp_ttest(lp, data, x->length))
		lp_puts(lp, "snaplen too short, ");
	else
		lp_puts(lp, "shared secret not supplied with -M, ");
	lp_puts(lp, "can't check - ");
	for (i = 0; i < 16; ++i)
		kdec_lp_printf(lp, "%02x", cp[i]);
	return 1;
}

/* The experimental option: TCP Fast Open by its magic, or the magic in hex. */
static int tcp_exp_print(struct lp *lp, const uint8_t *cp, uint32_t hlen, uint32_t datalen)
{
	uint16_t magic;

	LENCHECK(datalen);
	if (datalen < 2)
		return 0;
	magic = be16_at(cp);
	lp_putc(lp, '-');
	if (magic == 0xf989)
		print_tcp_fastopen(lp, cp + 2, datalen - 2, true);
	else
		kdec_lp_printf(lp, "%04x", magic);
	return 1;
}

/* How many bytes of data option opt, len bytes long, has. */
static uint32_t tcp_opt_datalen(uint8_t opt, uint32_t len)
{
	switch (opt) {
	case 0: case 1: case 4:		/* EOL, NOP, SACK permitted */
		return 0;
	case 3:				/* window scale */
		return 1;
	case 2: case 20: case 28:	/* MSS, SCPS, user timeout */
		return 2;
	case 6: case 7: case 11: case 12: case 13:	/* echo, echo reply, CC */
		return 4;
	case 8:				/* timestamps */
		return 8;
	case 19:			/* MD5 */
		return 16;
	default:
		return len - 2;
	}
}

/*
 * The datalen bytes of option opt's data at cp, with hlen bytes of the
 * header left: 1, 0 for "[bad opt]", -1 if it was cut short.
 */
static int tcp_option_print(struct lp *lp, const struct tcp_optctx *x, uint8_t opt,
			    const uint8_t *cp, uint32_t hlen, uint32_t datalen)
{
	uint32_t uto;

	switch (opt) {
	case 2: case 3: case 6: case 7: case 11: case 12: case 13:
		LENCHECK(datalen);
		kdec_lp_printf(lp, " %u", datalen == 1 ? cp[0] :
			       datalen == 2 ? be16_at(cp) : be32_at(cp));
		return 1;
	case 5:
		return tcp_sack_print(lp, x, cp, hlen, datalen);
	case 8:
		LENCHECK(datalen);
		kdec_lp_printf(lp, " val %u ecr %u", be32_at(cp), be32_at(cp + 4));
		return 1;
	case 19:
		return tcp_md5_print(lp, x, cp, hlen);
	case 20:
		LENCHECK(datalen);
		kdec_lp_printf(lp, " cap %02x id %u", cp[0], cp[1]);
		return 1;
	case 29:
		return tcp_ao_print(lp, cp, hlen, datalen);
	case 0:
	case 1:
	case 4:
		return 1;
	case 28:
		LENCHECK(datalen);
		uto = be16_at(cp);
		kdec_lp_printf(lp, " 0x%x", uto);
		uto = (uto & 1) ? (uto >> 1) * 60 : uto >> 1;
		kdec_lp_printf(lp, " %u", uto);
		return 1;
	case 34:
		LENCHECK(datalen);
		lp_putc(lp, ' ');
		print_tcp_fastopen(lp, cp, datalen, false);
		return 1;
	case 254:
		return tcp_exp_print(lp, cp, hlen, datalen);
	default:
		/* MPTCP (30) is shown as its bytes here */
		return tcp_opt_hex(lp, cp, hlen, datalen);
	}
}
#undef LENCHECK

/* 1 if the option list ended normally, 0 for "[bad opt]", -1 truncated */
static int tcp_options_print(struct lp *lp, const struct tcp_optctx *x, uint32_t hlen,
			     char *ch)
{
	const uint8_t *cp = x->tp + 20;
	uint32_t len, datalen;
	int r;

	hlen -= 20;
	lp_puts(lp, ", options [");
	while (hlen > 0) {
		const char *name;
		uint8_t opt;

		if (*ch)
			lp_putc(lp, *ch);
		opt = lp_u8(lp, cp);
		cp++;
		if (opt == 0 || opt == 1) {
			len = 1;
		} else {
			len = lp_u8(lp, cp);
			cp++;
			if (len < 2 || len > hlen)
				return 0;
			--hlen;
		}
		--hlen;
		name = kdec_tok(tcp_option_values, opt);
		if (name)
			lp_puts(lp, name);
		else
			kdec_lp_printf(lp, "unknown-%u", opt);
		datalen = tcp_opt_datalen(opt, len);
		r = tcp_option_print(lp, x, opt, cp, hlen, datalen);
		if (r <= 0)
			return r;
		cp += datalen;
		hlen -= datalen;
		++datalen;
		if (opt != 0 && opt != 1)
			++datalen;
		if (datalen != len)
			kdec_lp_printf(lp, "[len %u]", len);
		*ch = ',';
		if (opt == 0)
			break;
	}
	lp_putc(lp, ']');
	return 1;
}

/*
 * Without -S, seq and ack relative to the connection's first numbers,
 * which are kept when its first ACK is seen; x gets them for SACK.
 */
static void tcp_relative(struct lp *lp, const uint8_t *tp, const uint8_t *iph, bool v6,
			 uint32_t *seq, uint32_t *ack, struct tcp_optctx *x)
{
	const uint8_t *src = iph + (v6 ? 8 : 12), *dst = iph + (v6 ? 24 : 16);
	uint16_t sport = be16_at(tp), dport = be16_at(tp + 2);
	uint8_t flags = tp[13];
	struct seq_entry *th;
	bool fresh;

	th = seq_lookup(lp->L->tcpseq, v6 ? 6 : 4, src, dst, sport, dport,
			flags & TH_SYN, &x->rev, &fresh);
	if (!th)
		return;
	if (fresh) {
		if (x->rev) {
			th->ack = *seq;
			th->seq = *ack - 1;
		} else {
			th->seq = *seq;
			th->ack = *ack - 1;
		}
	} else if (x->rev) {
		*seq -= th->ack;
		*ack -= th->seq;
	} else {
		*seq -= th->seq;
		*ack -= th->ack;
	}
	x->thseq = th->seq;
	x->thack = th->ack;
}

/* With -v, the checksum's value and verdict. */
static void tcp_cksum_print(struct lp *lp, const uint8_t *tp, uint32_t length,
			    const uint8_t *iph, bool v6)
{
	uint16_t sum = v6 ? kdec_lp_nextproto6_cksum(lp, iph, tp, length, 6) :
			    kdec_lp_nextproto4_cksum(lp, iph, tp, length, 6);
	uint16_t tcp_sum = be16_at(tp + 16);

	kdec_lp_printf(lp, ", cksum 0x%04x", tcp_sum);
	if (sum)
		kdec_lp_printf(lp, " (incorrect -> 0x%04x)",
			       kdec_lp_cksum_shouldbe(tcp_sum, sum));
	else
		lp_puts(lp, " (correct)");
}

/* The ports, after the addresses unless TCP is inside another protocol. */
static void tcp_ports_print(struct lp *lp, const uint8_t *tp, const uint8_t *iph, bool v6)
{
	const char *sp = kdec_lp_tcpport(lp, be16_at(tp));
	const char *dp = kdec_lp_tcpport(lp, be16_at(tp + 2));

	if (lp_u8(lp, iph + (v6 ? 6 : 9)) == 6)
		tcp_addrs_print(lp, iph, v6, sp, dp);
	else
		kdec_lp_printf(lp, "%s > %s: ", sp, dp);
}

/* After the header: the RST's data with -v, or the payload's first line. */
static void tcp_data_print(struct lp *lp, const uint8_t *tp, uint32_t length)
{
	uint32_t hlen = (uint32_t)(tp[12] >> 4) * 4;

	if (!lp_ttest(lp, tp, hlen)) {
		kdec_lp_printf(lp, " [remaining caplen(%u) < header length(%u)]",
			       lp_avail(lp, tp), hlen);
		kdec_lp_longjmp(lp);
	}
	if ((tp[13] & TH_RST) && lp->o->vflag) {
		print_tcp_rst_data(lp, tp + hlen, length);
		return;
	}
	tcp_payload_print(lp, tp + hlen, length, be16_at(tp), be16_at(tp + 2));
}

void kdec_lp_tcp_print(struct lp *lp, const uint8_t *tp, uint32_t length,
		  const uint8_t *iph, int fragmented)
{
	bool v6 = (lp_u8(lp, iph) >> 4) == 6;
	struct tcp_optctx x = { .tp = tp };
	uint32_t hlen, seq, ack;
	uint16_t win, urp;
	char flagbuf[16], ch = '\0';
	uint8_t flags;
	int r;

	lp->proto = "tcp";
	if (!lp_ttest(lp, tp + 2, 2)) {
		tcp_addrs_print(lp, iph, v6, NULL, NULL);
		kdec_lp_print_trunc(lp);
		return;
	}
	tcp_ports_print(lp, tp, iph, v6);
	if (!lp_ttest(lp, tp, 20))
		goto trunc;
	hlen = (uint32_t)(tp[12] >> 4) * 4;
	if (hlen < 20) {
		kdec_lp_printf(lp, " tcp %u [bad hdr length %u - too short, < 20]",
			  length - hlen, hlen);
		return;
	}
	seq = be32_at(tp + 4);
	ack = be32_at(tp + 8);
	win = be16_at(tp + 14);
	urp = be16_at(tp + 18);
	if (lp->o->qflag) {
		kdec_lp_printf(lp, "tcp %u", length - hlen);
		if (hlen > length)
			kdec_lp_printf(lp, " [bad hdr length %u - too long, > %u]", hlen, length);
		return;
	}
	flags = tp[13];
	kdec_lp_bittok(flagbuf, sizeof(flagbuf), tcp_flag_values, "none", flags, "");
	kdec_lp_printf(lp, "Flags [%s]", flagbuf);
	if (!lp->o->Sflag && (flags & TH_ACK))
		tcp_relative(lp, tp, iph, v6, &seq, &ack, &x);
	if (hlen > length) {
		kdec_lp_printf(lp, " [bad hdr length %u - too long, > %u]", hlen, length);
		return;
	}
	if (lp->o->vflag && !lp->o->Kflag && !fragmented && lp_ttest(lp, tp, length))
		tcp_cksum_print(lp, tp, length, iph, v6);
	length -= hlen;
	x.length = length;
	if (lp->o->vflag > 1 || length > 0 || (flags & (TH_SYN | TH_FIN | TH_RST))) {
		kdec_lp_printf(lp, ", seq %u", seq);
		if (length > 0)
			kdec_lp_printf(lp, ":%u", seq + length);
	}
	if (flags & TH_ACK)
		kdec_lp_printf(lp, ", ack %u", ack);
	kdec_lp_printf(lp, ", win %u", win);
	if (flags & TH_URG)
		kdec_lp_printf(lp, ", urg %u", urp);
	r = hlen > 20 ? tcp_options_print(lp, &x, hlen, &ch) : 1;
	if (r == 0) {
		lp_puts(lp, "[bad opt]");
		if (ch)
			lp_putc(lp, ']');
		return;
	}
	if (r < 0)
		goto trunc;
	kdec_lp_printf(lp, ", length %u", length);
	if (length)
		tcp_data_print(lp, tp, length);
	return;
trunc:
	kdec_lp_print_trunc(lp);
	if (ch)
		lp_putc(lp, '>');
}

/* UDP */
static void vxlan_print(struct lp *lp, const uint8_t *bp, uint32_t len)
{
	uint8_t flags;
	uint32_t vni;

	lp->proto = "vxlan";
	kdec_lp_print_proto_caps(lp);
	if (len < 8) {
		kdec_lp_print_invalid(lp);
		return;
	}
	flags = lp_u8(lp, bp);
	kdec_lp_printf(lp, ", flags [%s] (0x%02x), ", (flags & 0x08) ? "I" : "invalid", flags);
	lp_need(lp, bp + 4, 3);
	vni = (uint32_t)bp[4] << 16 | bp[5] << 8 | bp[6];
	kdec_lp_printf(lp, "vni %u\n", vni);
	lp_need(lp, bp + 7, 1);
	kdec_lp_ether_print(lp, bp + 8, len - 8, lp_avail(lp, bp + 8));
}

static void udpipaddr_print(struct lp *lp, const uint8_t *iph, int sport,
			    int dport)
{
	bool v6 = (lp_u8(lp, iph) >> 4) == 6;
	const char *s, *d, *sp, *dp;

	if (lp_u8(lp, iph + (v6 ? 6 : 9)) == 17) {
		ip_src_dst(lp, iph, v6, &s, &d);
		if (sport == -1) {
			kdec_lp_printf(lp, "%s > %s: ", s, d);
			return;
		}
		sp = kdec_lp_udpport(lp, (uint16_t)sport);
		dp = kdec_lp_udpport(lp, (uint16_t)dport);
		kdec_lp_printf(lp, "%s.%s > %s.%s: ", s, sp, d, dp);
	} else if (sport != -1) {
		sp = kdec_lp_udpport(lp, (uint16_t)sport);
		dp = kdec_lp_udpport(lp, (uint16_t)dport);
		kdec_lp_printf(lp, "%s > %s: ", sp, dp);
	}
}

void kdec_lp_udp_print(struct lp *lp, const uint8_t *up, uint32_t length,
		  const uint8_t *iph, int fragmented)
{
	bool v6 = (lp_u8(lp, iph) >> 4) == 6;
	uint16_t sport, dport;
	const uint8_t *cp;
	uint32_t ulen;

	lp->proto = "udp";
	if (!lp_ttest(lp, up + 2, 2)) {
		udpipaddr_print(lp, iph, -1, -1);
		goto trunc;
	}
	sport = be16_at(up);
	dport = be16_at(up + 2);
	if (length < 8) {
		udpipaddr_print(lp, iph, sport, dport);
		kdec_lp_printf(lp, "truncated-udp %u", length);
		return;
	}
	if (!lp_ttest(lp, up + 4, 2)) {
		udpipaddr_print(lp, iph, sport, dport);
		goto trunc;
	}
	ulen = be16_at(up + 4);
	if (ulen == 0 && length > 65535)
		ulen = length;
	if (ulen < 8) {
		udpipaddr_print(lp, iph, sport, dport);
		kdec_lp_printf(lp, "truncated-udplength %u", ulen);
		return;
	}
	ulen -= 8;
	length -= 8;
	if (ulen < length)
		length = ulen;
	cp = up + 8;
	if ((uintptr_t)cp > (uintptr_t)lp->snapend) {
		udpipaddr_print(lp, iph, sport, dport);
		goto trunc;
	}
	udpipaddr_print(lp, iph, sport, dport);
	/*
	 * tcpdump prints NFS here, and below DNS, NTP, DHCP, SNMP, ... on
	 * their ports; we print DNS, mDNS, VXLAN and what it prints for
	 * ports without a printer.
	 */
	if (lp->o->vflag && !lp->o->Kflag && !fragmented) {
		if (!v6 && lp->o->vflag > 1) {
			uint16_t udp_sum = lp_be16(lp, up + 6);

			if (udp_sum == 0) {
				lp_puts(lp, "[no cksum] ");
			} else if (lp_ttest(lp, cp, length)) {
				uint16_t sum = kdec_lp_nextproto4_cksum(lp, iph, up, length + 8, 17);

				if (sum)
					kdec_lp_printf(lp, "[bad udp cksum 0x%04x -> 0x%04x!] ",
						  udp_sum, kdec_lp_cksum_shouldbe(udp_sum, sum));
				else
					lp_puts(lp, "[udp sum ok] ");
			}
		} else if (v6 && lp_ttest(lp, cp, length)) {
			uint16_t sum = kdec_lp_nextproto6_cksum(lp, iph, up, length + 8, 17);
			uint16_t udp_sum = lp_be16(lp, up + 6);

			if (sum)
				kdec_lp_printf(lp, "[bad udp cksum 0x%04x -> 0x%04x!] ",
					  udp_sum, kdec_lp_cksum_shouldbe(udp_sum, sum));
			else
				lp_puts(lp, "[udp sum ok] ");
		}
	}
	if (!lp->o->qflag && (sport == 53 || dport == 53))
		kdec_lp_domain_print(lp, cp, length, false, false);
	else if (!lp->o->qflag && (sport == 5353 || dport == 5353))
		kdec_lp_domain_print(lp, cp, length, false, true);
	else if (!lp->o->qflag && (sport == 4789 || dport == 4789))
		vxlan_print(lp, cp, length);
	else if (ulen > length && !fragmented)
		kdec_lp_printf(lp, "UDP, bad length %u > %u", ulen, length);
	else
		kdec_lp_printf(lp, "UDP, length %u", ulen);
	return;
trunc:
	kdec_lp_print_trunc(lp);
}

/* IGMP */
/* IGMPv3's record types; MLDv2 has the same names for the same numbers */
static const struct kdec_tok igmpv3report2str[] = {
	{ 1, "is_in" }, { 2, "is_ex" }, { 3, "to_in" }, { 4, "to_ex" },
	{ 5, "allow" }, { 6, "block" }, { 0, NULL },
};
#define mldv2report2str igmpv3report2str

static void igmpv3_query_print(struct lp *lp, const uint8_t *bp, uint32_t len)
{
	uint32_t mrc, mrt, nsrcs, i;

	lp_puts(lp, " v3");
	if (len < 12 || (len & 3)) {
		kdec_lp_printf(lp, " [invalid len %u]", len);
		return;
	}
	mrc = lp_u8(lp, bp + 1);
	mrt = mrc < 128 ? mrc : ((mrc & 0x0f) | 0x10) << (((mrc & 0x70) >> 4) + 3);
	if (mrc != 100) {
		lp_puts(lp, " [max resp time ");
		if (mrt < 600)
			kdec_lp_printf(lp, "%.1fs", mrt * 0.1);
		else
			kdec_lp_relts_print(lp, mrt / 10);
		lp_putc(lp, ']');
	}
	if (lp_be32(lp, bp + 4) == 0)
		return;
	kdec_lp_printf(lp, " [gaddr %s", kdec_lp_ipaddr(lp, bp + 4));
	nsrcs = lp_be16(lp, bp + 10);
	if (nsrcs > 0) {
		if (len < 12 + (nsrcs << 2)) {
			lp_puts(lp, " [invalid number of sources]");
		} else if (lp->o->vflag > 1) {
			lp_puts(lp, " {");
			for (i = 0; i < nsrcs; i++)
				kdec_lp_printf(lp, " %s", kdec_lp_ipaddr(lp, bp + 12 + (i << 2)));
			lp_puts(lp, " }");
		} else {
			kdec_lp_printf(lp, ", %u source(s)", nsrcs);
		}
	}
	lp_putc(lp, ']');
}

/*
 * The group records of IGMPv3 and MLDv2 reports: a type, the number of
 * sources, a group address, the sources; alen is 4 (IGMP) or 16 (MLD).
 */
void kdec_lp_group_records(struct lp *lp, const uint8_t *bp, uint32_t len,
		      unsigned int alen)
{
	const struct kdec_tok *names = alen == 4 ? igmpv3report2str : mldv2report2str;
	uint32_t rec = 4 + alen, group, nsrcs, ngroups, i, j;

	ngroups = lp_be16(lp, bp + 6);
	kdec_lp_printf(lp, ", %u group record(s)", ngroups);
	if (!lp->o->vflag)
		return;
	for (i = 0, group = 8; i < ngroups; i++) {
		const char *t;

		if (len < group + rec) {
			lp_puts(lp, " [invalid number of groups]");
			return;
		}
		kdec_lp_printf(lp, " [gaddr %s", alen == 4 ? kdec_lp_ipaddr(lp, bp + group + 4) :
						      kdec_lp_ip6addr(lp, bp + group + 4));
		t = kdec_tok(names, lp_u8(lp, bp + group));
		if (t)
			kdec_lp_printf(lp, " %s", t);
		else
			kdec_lp_printf(lp, "  [v%u-report-#%u]", alen == 4 ? 3 : 2, bp[group]);
		nsrcs = lp_be16(lp, bp + group + 2);
		if ((uint64_t)len < group + rec + (uint64_t)nsrcs * alen) {
			kdec_lp_printf(lp, " [invalid number of sources %u]", nsrcs);
			return;
		}
		if (lp->o->vflag == 1) {
			kdec_lp_printf(lp, ", %u source(s)", nsrcs);
		} else {
			lp_puts(lp, " {");
			for (j = 0; j < nsrcs; j++) {
				const uint8_t *a = bp + group + rec + j * alen;

				kdec_lp_printf(lp, " %s", alen == 4 ? kdec_lp_ipaddr(lp, a) : kdec_lp_ip6addr(lp, a));
			}
			lp_puts(lp, " }");
		}
		group += rec + nsrcs * alen;
		lp_putc(lp, ']');
	}
}

void kdec_lp_igmp_print(struct lp *lp, const uint8_t *bp, uint32_t len)
{
	uint8_t type;

	lp->proto = "igmp";
	if (lp->o->qflag) {
		lp_puts(lp, "igmp");
		return;
	}
	type = lp_u8(lp, bp);
	switch (type) {
	case 0x11:
		lp_puts(lp, "igmp query");
		if (len >= 12) {
			igmpv3_query_print(lp, bp, len);
			break;
		}
		if (lp_u8(lp, bp + 1)) {
			lp_puts(lp, " v2");
			if (bp[1] != 100)
				kdec_lp_printf(lp, " [max resp time %u]", bp[1]);
		} else {
			lp_puts(lp, " v1");
		}
		if (lp_be32(lp, bp + 4))
			kdec_lp_printf(lp, " [gaddr %s]", kdec_lp_ipaddr(lp, bp + 4));
		if (len != 8)
			kdec_lp_printf(lp, " [len %u]", len);
		break;
	case 0x12:
		kdec_lp_printf(lp, "igmp v1 report %s", kdec_lp_ipaddr(lp, bp + 4));
		if (len != 8)
			kdec_lp_printf(lp, " [len %u]", len);
		break;
	case 0x16:
		kdec_lp_printf(lp, "igmp v2 report %s", kdec_lp_ipaddr(lp, bp + 4));
		break;
	case 0x22:
		lp_puts(lp, "igmp v3 report");
		if (len < 16 || (len & 3))
			kdec_lp_printf(lp, " [invalid len %u]", len);
		else
			kdec_lp_group_records(lp, bp, len, 4);
		break;
	case 0x17:
		kdec_lp_printf(lp, "igmp leave %s", kdec_lp_ipaddr(lp, bp + 4));
		break;
	default:
		/* DVMRP, PIMv1 and mtrace have printers in tcpdump */
		kdec_lp_printf(lp, "igmp-%u", type);
		break;
	}
	if (lp->o->vflag && len >= 4 && lp_ttest(lp, bp, len) && kdec_lp_in_cksum(bp, len))
		kdec_lp_printf(lp, " bad igmp cksum %x!", be16_at(bp + 2));
}
