// SPDX-License-Identifier: GPL-2.0
/*
 * Radiotap and IEEE 802.11: enough to show the radio header's common
 * fields, the frame control and addresses of every frame, and to reach
 * the IP inside unprotected data frames through LLC/SNAP.
 *
 * Radiotap is little-endian and aligns each field to its own size from
 * the start of the header; a field whose size is not known ends the
 * field walk (its header length still says where 802.11 starts).
 */
#include <stdio.h>
#include <string.h>

#include "dec.h"

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Alignment and size of the radiotap fields of the default namespace, by bit. */
static const struct { uint8_t align, size; } rt_field[28] = {
	[0] = { 8, 8 },		/* TSFT */
	[1] = { 1, 1 },		/* Flags */
	[2] = { 1, 1 },		/* Rate */
	[3] = { 2, 4 },		/* Channel: frequency, flags */
	[4] = { 1, 2 },		/* FHSS */
	[5] = { 1, 1 },		/* antenna signal, dBm */
	[6] = { 1, 1 },		/* antenna noise, dBm */
	[7] = { 2, 2 },		/* lock quality */
	[8] = { 2, 2 },		/* TX attenuation */
	[9] = { 2, 2 },		/* dB TX attenuation */
	[10] = { 1, 1 },	/* dBm TX power */
	[11] = { 1, 1 },	/* antenna */
	[12] = { 1, 1 },	/* dB antenna signal */
	[13] = { 1, 1 },	/* dB antenna noise */
	[14] = { 2, 2 },	/* RX flags */
	[15] = { 2, 2 },	/* TX flags */
	[16] = { 1, 1 },	/* RTS retries */
	[17] = { 1, 1 },	/* data retries */
	[18] = { 4, 8 },	/* XChannel */
	[19] = { 1, 3 },	/* MCS */
	[20] = { 4, 8 },	/* A-MPDU status */
	[21] = { 2, 12 },	/* VHT */
	[22] = { 8, 12 },	/* timestamp */
	[23] = { 2, 12 },	/* HE */
	[24] = { 2, 12 },	/* HE-MU */
	[25] = { 2, 6 },	/* HE-MU-other-user */
	[26] = { 1, 1 },	/* 0-length PSDU */
	[27] = { 2, 4 },	/* L-SIG */
};

static void rt_fields(struct emit *e, struct cur *h, uint32_t present, uint32_t off,
		      uint8_t *flags)
{
	char buf[48];
	int bit;

	for (bit = 0; bit < 28; bit++) {
		const uint8_t *p;
		uint32_t al;

		if (!(present & (1u << bit)))
			continue;
		al = rt_field[bit].align;
		off = (off + al - 1) & ~(al - 1);
		if (off > h->len || h->len - off < rt_field[bit].size)
			return;		/* not within the header: stop quietly */
		p = h->p + off;
		off += rt_field[bit].size;
		switch (bit) {
		case 0:
			kdec_em_uint(e, "TSFT", "tsft", (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32,
				"microseconds", NULL);
			break;
		case 1:
			*flags = p[0];
			kdec_em_group(e, "Flags", "flags", p[0], 2, NULL);
			kdec_em_sub(e, "Short Preamble", "short_preamble", (p[0] >> 1) & 1, NULL, NULL);
			kdec_em_sub(e, "WEP", "wep", (p[0] >> 2) & 1, NULL, NULL);
			kdec_em_sub(e, "Fragmentation", "frag", (p[0] >> 3) & 1, NULL, NULL);
			kdec_em_sub(e, "FCS at End", "fcs", (p[0] >> 4) & 1, NULL, NULL);
			kdec_em_sub(e, "Bad FCS", "bad_fcs", (p[0] >> 6) & 1, NULL, NULL);
			kdec_em_group_end(e);
			break;
		case 2:
			snprintf(buf, sizeof(buf), "%u.%u Mb/s", p[0] / 2, p[0] & 1 ? 5 : 0);
			kdec_em_uint(e, "Data Rate", "rate", p[0], buf, "rate_text");
			break;
		case 3:
			kdec_em_uint(e, "Channel Frequency", "freq", le16(p), "MHz", NULL);
			kdec_em_hex(e, "Channel Flags", "chan_flags", le16(p + 2), 4, NULL, NULL);
			break;
		case 5:
			snprintf(buf, sizeof(buf), "%d dBm", (int8_t)p[0]);
			kdec_em_str(e, "Antenna Signal", "dbm_antsignal", buf);
			break;
		case 6:
			snprintf(buf, sizeof(buf), "%d dBm", (int8_t)p[0]);
			kdec_em_str(e, "Antenna Noise", "dbm_antnoise", buf);
			break;
		case 11:
			kdec_em_uint(e, "Antenna", "antenna", p[0], NULL, NULL);
			break;
		case 19:
			kdec_em_uint(e, "MCS Index", "mcs", p[2], NULL, NULL);
			break;
		default:
			break;
		}
	}
}

void kdec_radiotap(struct emit *e, struct cur *c)
{
	uint8_t ver, flags = 0, b[4];
	uint16_t len;
	uint32_t present, off, start = c->off;
	struct cur h;

	kdec_em_layer(e, "Radiotap", "radiotap");
	GET_U8(c, ver);
	kdec_em_uint(e, "Version", "version", ver, NULL, NULL);
	SKIP(c, 1);
	GET_BYTES(c, b, 2);
	len = le16(b);
	kdec_em_uint(e, "Header Length", "len", len, NULL, NULL);
	if (ver != 0 || len < 8) {
		kdec_em_malformed(e, ver ? "radiotap version is not 0" : "radiotap length < 8");
		return;
	}
	GET_BYTES(c, b, 4);
	present = le32(b);
	kdec_em_hex(e, "Present Flags", "present", present, 8, NULL, NULL);
	/* Further present words while bit 31 is set; the fields follow them all. */
	off = 8;
	h = cur_make(c->p + start, 0);
	{
		uint32_t w = present;

		while (w & 0x80000000u) {
			if (off + 4 > len) {
				kdec_em_malformed(e, "radiotap present words beyond its length");
				return;
			}
			GET_BYTES(c, b, 4);
			w = le32(b);
			off += 4;
		}
	}
	if (!cur_have(c, len - off)) {
		kdec_em_trunc(e);
		return;
	}
	h.len = len;
	/* Fields of another namespace come first only if bits 29/30 say so. */
	rt_fields(e, &h, present & 0x0fffffffu, off, &flags);
	SKIP(c, len - off);
	kdec_80211(e, c, flags & 0x10);
	return;
trunc:
	kdec_em_trunc(e);
}

static const char *const type_name[4] = { "Management", "Control", "Data", "Extension" };

static const char *subtype_name(unsigned int type, unsigned int sub)
{
	static const char *const mgmt[16] = {
		"Association Request", "Association Response", "Reassociation Request",
		"Reassociation Response", "Probe Request", "Probe Response",
		"Timing Advertisement", NULL, "Beacon", "ATIM", "Disassociation",
		"Authentication", "Deauthentication", "Action", "Action No Ack", NULL,
	};
	static const char *const ctl[16] = {
		NULL, NULL, "Trigger", "TACK", "Beamforming Report Poll", "VHT NDP Announcement",
		"Control Frame Extension", "Control Wrapper", "Block Ack Request", "Block Ack",
		"PS-Poll", "RTS", "CTS", "ACK", "CF-End", "CF-End + CF-Ack",
	};
	static const char *const data[16] = {
		"Data", NULL, NULL, NULL, "Null", NULL, NULL, NULL, "QoS Data", NULL, NULL,
		NULL, "QoS Null", NULL, NULL, NULL,
	};

	return type == 0 ? mgmt[sub] : type == 1 ? ctl[sub] : type == 2 ? data[sub] : NULL;
}

static int addr_field(struct emit *e, struct cur *c, const char *name, const char *key)
{
	uint8_t a[6];
	char buf[18];

	GET_BYTES(c, a, 6);
	kdec_fmt_mac(buf, a);
	kdec_em_str(e, name, key, buf);
	return 0;
trunc:
	kdec_em_trunc(e);
	return -1;
}

/* LLC/SNAP with an ethertype (RFC 1042 and 802.1H), as data frames carry IP. */
static void dec_llc_snap(struct emit *e, struct cur *c)
{
	uint8_t h[6];
	uint16_t type;

	kdec_em_layer(e, "LLC/SNAP", "llc");
	GET_BYTES(c, h, 6);
	kdec_em_hex(e, "DSAP", "dsap", h[0], 2, NULL, NULL);
	kdec_em_hex(e, "SSAP", "ssap", h[1], 2, NULL, NULL);
	kdec_em_hex(e, "Control", "control", h[2], 2, NULL, NULL);
	if (h[0] != 0xaa || h[1] != 0xaa || h[2] != 0x03) {
		kdec_payload(e, c, reported_left(e, c), "Payload");
		return;
	}
	kdec_em_hex(e, "OUI", "oui", (uint64_t)(h[3] << 16 | h[4] << 8 | h[5]), 6, NULL, NULL);
	GET_BE16(c, type);
	kdec_em_hex(e, "Type", "type", type, 4, NULL, NULL);
	kdec_ethertype(e, c, type, 0);
	return;
trunc:
	kdec_em_trunc(e);
}

/* The Frame Control field and its flags; false if cut or not version 0. */
static bool wlan_fc(struct emit *e, struct cur *c, uint16_t *fcp)
{
	unsigned int type, sub;
	uint16_t fc;
	uint8_t fl;

	GET_AT(c, fc, 2, le16);
	type = (fc >> 2) & 3;
	sub = (fc >> 4) & 15;
	fl = (uint8_t)(fc >> 8);
	kdec_em_hex(e, "Frame Control", "fc", fc, 4, subtype_name(type, sub), "subtype_name");
	kdec_em_uint(e, "Type", "type", type, type_name[type], "type_name");
	kdec_em_uint(e, "Subtype", "subtype", sub, NULL, NULL);
	kdec_em_group(e, "Flags", "flags", fl, 2, NULL);
	kdec_em_sub(e, "To DS", "tods", fl & 1, NULL, NULL);
	kdec_em_sub(e, "From DS", "fromds", (fl >> 1) & 1, NULL, NULL);
	kdec_em_sub(e, "More Fragments", "morefrag", (fl >> 2) & 1, NULL, NULL);
	kdec_em_sub(e, "Retry", "retry", (fl >> 3) & 1, NULL, NULL);
	kdec_em_sub(e, "Protected", "protected", (fl >> 6) & 1, NULL, NULL);
	kdec_em_sub(e, "Order", "order", fl >> 7, NULL, NULL);
	kdec_em_group_end(e);
	if (fc & 3) {
		kdec_em_malformed(e, "802.11 protocol version is not 0");
		return false;
	}
	*fcp = fc;
	return true;
trunc:
	kdec_em_trunc(e);
	return false;
}

/* Control frames: the receiver, and for most the transmitter. */
static void wlan_control(struct emit *e, struct cur *c, unsigned int sub)
{
	if (addr_field(e, c, "Receiver", "ra"))
		return;
	if ((sub >= 8 && sub <= 11) || sub >= 14) {
		if (addr_field(e, c, "Transmitter", "ta"))
			return;
	}
	if (reported_left(e, c))
		kdec_payload(e, c, reported_left(e, c), "Control Data");
}

/* A beacon's or probe response's interval, and its SSID if it comes first; false if cut. */
static bool wlan_beacon(struct emit *e, struct cur *c)
{
	char ssid[32 + 1];
	uint32_t i, k = 0;
	uint8_t ts[12], len;

	GET_BYTES(c, ts, 12);
	kdec_em_uint(e, "Beacon Interval", "interval", le16(ts + 8), "TUs", NULL);
	if (cur_left(c) < 2 || cur_ptr(c)[0] != 0)
		return true;
	SKIP(c, 1);
	GET_U8(c, len);
	if (len > 32 || !cur_have(c, len))
		goto trunc;
	for (i = 0; i < len; i++) {
		uint8_t ch = cur_ptr(c)[i];

		ssid[k++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '.';
	}
	ssid[k] = '\0';
	SKIP(c, len);
	kdec_em_str(e, "SSID", "ssid", ssid);
	return true;
trunc:
	kdec_em_trunc(e);
	return false;
}

/* The addresses as the DS bits place them, the sequence, QoS and HT control; false if cut. */
static bool wlan_addrs_seq(struct emit *e, struct cur *c, uint16_t fc)
{
	static const char *const a_names[4][3] = {
		{ "Destination", "Source", "BSSID" },		/* IBSS */
		{ "BSSID", "Source", "Destination" },		/* to the AP */
		{ "Destination", "BSSID", "Source" },		/* from the AP */
		{ "Receiver", "Transmitter", "Destination" },	/* WDS */
	};
	static const char *const a_keys[4][3] = {
		{ "da", "sa", "bssid" }, { "bssid", "sa", "da" },
		{ "da", "bssid", "sa" }, { "ra", "ta", "da" },
	};
	unsigned int type = (fc >> 2) & 3, sub = (fc >> 4) & 15;
	unsigned int ds = type == 2 ? (fc >> 8) & 3 : 0;
	uint16_t sc;
	uint8_t b[2];

	if (addr_field(e, c, a_names[ds][0], a_keys[ds][0]) ||
	    addr_field(e, c, a_names[ds][1], a_keys[ds][1]) ||
	    addr_field(e, c, a_names[ds][2], a_keys[ds][2]))
		return false;
	GET_AT(c, sc, 2, le16);
	kdec_em_uint(e, "Sequence Number", "seq", sc >> 4, NULL, NULL);
	kdec_em_uint(e, "Fragment Number", "frag", sc & 15, NULL, NULL);
	if (ds == 3 && addr_field(e, c, "Source", "sa"))
		return false;
	if (type == 2 && (sub & 8)) {
		GET_BYTES(c, b, 2);
		kdec_em_hex(e, "QoS Control", "qos", (uint64_t)(b[0] | b[1] << 8), 4, NULL, NULL);
		kdec_em_uint(e, "TID", "tid", b[0] & 15, NULL, NULL);
	}
	if ((fc & 0x8000) && (type == 0 || (sub & 8)))
		SKIP(c, 4);	/* HT control */
	return true;
trunc:
	kdec_em_trunc(e);
	return false;
}

void kdec_80211(struct emit *e, struct cur *c, bool fcs)
{
	unsigned int type, sub;
	uint16_t fc, dur;

	/* The FCS is not part of the frame's body. */
	if (fcs) {
		if (reported_left(e, c) < 4) {
			kdec_em_layer(e, "IEEE 802.11", "wlan");
			kdec_em_malformed(e, "frame shorter than its FCS");
			return;
		}
		cur_limit(c, reported_left(e, c) - 4);
	}
	kdec_em_layer(e, "IEEE 802.11", "wlan");
	if (!wlan_fc(e, c, &fc))
		return;
	type = (fc >> 2) & 3;
	sub = (fc >> 4) & 15;
	GET_AT(c, dur, 2, le16);
	kdec_em_uint(e, "Duration/ID", "duration", dur, NULL, NULL);
	if (type == 1) {
		wlan_control(e, c, sub);
		return;
	}
	if (type == 3) {
		kdec_payload(e, c, reported_left(e, c), "Extension Data");
		return;
	}
	if (!wlan_addrs_seq(e, c, fc))
		return;
	if (type == 0) {
		if ((sub == 8 || sub == 5) && cur_left(c) >= 12 && !wlan_beacon(e, c))
			return;
		if (reported_left(e, c))
			kdec_payload(e, c, reported_left(e, c), "Management Data");
		return;
	}
	/* Data: nothing after a null frame; a protected body is not ours to read. */
	if (sub & 4)
		return;
	if (fc & 0x4000) {
		kdec_payload(e, c, reported_left(e, c), "Protected Data");
		return;
	}
	dec_llc_snap(e, c);
	return;
trunc:
	kdec_em_trunc(e);
}
