/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kcap: packet capture at the netfilter netdev hooks, delivered through an
 * mmap ring behind the misc device /dev/kcap.
 *
 * Every structure here is made of fixed-width types with explicit padding,
 * so 32-bit and 64-bit userspace see the same layout. Fields named resv or
 * pad are for later use: the kernel rejects non-zero values with -EINVAL.
 * Unknown bits in a flags word are rejected with -EOPNOTSUPP.
 *
 * Sessions
 * --------
 * The module keeps named capture sessions. "default" always exists; up to
 * KCAP_MAX_SESSIONS - 1 more are created by name. A session's configuration
 * outlives the process that set it. Each session has one ring and at most
 * one reader at a time.
 *
 * The ring
 * --------
 * A reader attaches to a session (KCAP_IOC_ATTACH) and maps two regions of
 * the file at the offsets the kernel reports in struct kcap_attach:
 *
 *   cons_off:  +---------------------------+  one page, read-write
 *              | struct kcap_ring_cons     |  written only by the reader
 *              +---------------------------+
 *   prod_off:  +---------------------------+  read-only: mapping it
 *              | struct kcap_ring_prod     |  writable fails with -EPERM
 *              +---------------------------+  data_off (from prod_off)
 *              | record | record | ... |pad|  data_size bytes, a power
 *              +---------------------------+  of two
 *
 * Positions are free-running __u32 byte counters; a position's offset in
 * the data area is (pos & (data_size - 1)). Records start on
 * KCAP_RECORD_ALIGN boundaries and never wrap the end of the area: when a
 * record does not fit, the kernel fills the rest with a KCAP_REC_PAD record
 * and starts again at offset 0.
 *
 * A record is a struct kcap_pkthdr followed by cap_len bytes of frame,
 * from its link-layer header as on the wire. Its first word, rec_len, is
 * the record's length (header, frame and alignment padding) with two flag
 * bits: KCAP_REC_BUSY while the kernel still fills it in, and KCAP_REC_PAD
 * for padding to skip.
 *
 * The reader:
 *   prod = load_acquire(&prod->producer_pos);   pairs with the kernel's
 *                                               store_release on reserve
 *   while (cons != prod) {
 *           len = load_acquire(&rec->rec_len);  pairs with the kernel's
 *                                               store_release on commit
 *           if (len & KCAP_REC_BUSY)
 *                   break;                      the kernel is still writing
 *           ...use the record unless KCAP_REC_PAD...
 *           cons += len & KCAP_REC_LEN_MASK;
 *   }
 *   store_release(&cons->consumer_pos, cons);   pairs with the kernel's
 *                                               load_acquire on reserve
 *
 * poll() reports EPOLLIN once cons->wakeup_bytes bytes of records are
 * pending (with 0, as soon as one is). Wakeups are batched: the kernel
 * wakes the reader only for the record that brings the pending bytes to
 * that mark, so a reader that is behind gets no wakeup per packet, and one
 * that asks for a mark gets one wakeup per that many bytes at any rate. A
 * reader with a mark bounds its latency with poll()'s timeout and reads
 * whatever is pending when it expires, as TPACKET_V3 retires a block.
 * When every device the session captured on has gone away, the kernel sets
 * KCAP_RING_ENDED in prod->flags and poll() adds EPOLLHUP.
 */
#ifndef _UAPI_LINUX_KCAP_H
#define _UAPI_LINUX_KCAP_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define KCAP_DEVICE_NAME	"kcap"
#define KCAP_ABI_VERSION	1

/* Feature bits reported by KCAP_IOC_VERSION. */
#define KCAP_FEAT_SESSIONS	(1ULL << 0)	/* named sessions */
#define KCAP_FEAT_RING		(1ULL << 1)	/* mmap ring */
#define KCAP_FEAT_FILTER	(1ULL << 2)	/* prefix, port, l4proto */
#define KCAP_FEAT_BPF		(1ULL << 3)	/* classic BPF programs */
#define KCAP_FEAT_STATS_ONLY	(1ULL << 4)	/* count without copying */
#define KCAP_FEAT_INJECT	(1ULL << 5)	/* write(2) transmits frames */
#define KCAP_FEAT_PRIVATE	(1ULL << 6)	/* KCAP_SESSION_F_PRIVATE */
#define KCAP_FEAT_DUMP		(1ULL << 7)	/* KCAP_IOC_DUMP_SET and _GET */
#define KCAP_FEAT_ALL		(KCAP_FEAT_SESSIONS | KCAP_FEAT_RING | \
				 KCAP_FEAT_FILTER | KCAP_FEAT_BPF | \
				 KCAP_FEAT_STATS_ONLY | KCAP_FEAT_INJECT | \
				 KCAP_FEAT_PRIVATE | KCAP_FEAT_DUMP)

#define KCAP_NAME_LEN		32	/* session names, NUL included */
#define KCAP_IFNAME_LEN		16	/* IFNAMSIZ */
#define KCAP_MAX_SESSIONS	16	/* "default" and 15 more */
#define KCAP_MAX_DEVS		16	/* devices named in one session */
#define KCAP_MAX_BPF_INSNS	4096	/* BPF_MAXINSNS */
#define KCAP_SNAPLEN_MAX	262144	/* libpcap's MAXIMUM_SNAPLEN */

#define KCAP_RING_MIN		(256U << 10)
#define KCAP_RING_MAX		(1U << 30)
#define KCAP_RING_DEFAULT	(128U << 20)	/* ~1 s of a busy 1 GbE link */

struct kcap_version {
	__u32 abi_version;	/* out: KCAP_ABI_VERSION */
	__u32 flags;		/* in: must be 0 */
	__u64 features;		/* out: KCAP_FEAT_* */
	__u32 max_sessions;	/* out */
	__u32 max_devs;		/* out */
	__u32 resv[4];		/* in: must be 0 */
};

/* Session management: KCAP_IOC_SESSION_ADD, _DEL, _INFO. */
struct kcap_session_req {
	__u8 name[KCAP_NAME_LEN];	/* in: NUL-terminated */
	__u32 flags;			/* in: KCAP_SESSION_F_*, ADD only */
	__s32 reader_pid;		/* out (INFO): 0 if none */
	__u8 reader_comm[16];		/* out (INFO) */
	__u32 ring_size;		/* out (INFO): 0 if not allocated */
	__u32 state;			/* out (INFO): KCAP_SESSION_* */
	__u32 resv[4];			/* in: must be 0 */
};

/*
 * ADD: the session belongs to the file that adds it and is deleted when that
 * file is released, whatever ends its process. Only that file may attach
 * to it, configure it or delete it; INFO and LIST see it from anywhere.
 */
#define KCAP_SESSION_F_PRIVATE	(1U << 0)

#define KCAP_SESSION_CAPTURING	(1U << 0)	/* hooks attached */
#define KCAP_SESSION_ENDED	(1U << 1)	/* its devices went away */
#define KCAP_SESSION_PRIVATE	(1U << 2)	/* added with F_PRIVATE */

/* KCAP_IOC_SESSION_LIST: names into a user array of __u8[KCAP_NAME_LEN]. */
struct kcap_session_list {
	__u64 names;		/* in: user pointer */
	__u32 cap;		/* in: entries the array holds */
	__u32 count;		/* out: sessions that exist */
	__u32 flags;		/* in: must be 0 */
	__u32 resv[3];		/* in: must be 0 */
};

/*
 * Capture directions, as polycube's packetcapture names them. On a
 * loopback device every packet sent comes back in, so there
 * KCAP_CAPTURE_BIDIRECTIONAL captures at ingress only and shows each packet
 * once, as tcpdump on lo does; KCAP_CAPTURE_EGRESS still captures there.
 */
#define KCAP_CAPTURE_OFF		0
#define KCAP_CAPTURE_INGRESS		1
#define KCAP_CAPTURE_EGRESS		2
#define KCAP_CAPTURE_BIDIRECTIONAL	3

/* Which of the optional match fields are set (struct kcap_config.match). */
#define KCAP_MATCH_SRC		(1U << 0)
#define KCAP_MATCH_DST		(1U << 1)
#define KCAP_MATCH_SPORT	(1U << 2)
#define KCAP_MATCH_DPORT	(1U << 3)
#define KCAP_MATCH_L4PROTO	(1U << 4)
#define KCAP_MATCH_ALL		(KCAP_MATCH_SRC | KCAP_MATCH_DST | \
				 KCAP_MATCH_SPORT | KCAP_MATCH_DPORT | \
				 KCAP_MATCH_L4PROTO)

/* struct kcap_config.flags */
#define KCAP_CFG_ANY_DEV	(1U << 0)	/* every device of the netns */
#define KCAP_CFG_STATS_ONLY	(1U << 1)	/* count matches, copy nothing */
#define KCAP_CFG_ALL		(KCAP_CFG_ANY_DEV | KCAP_CFG_STATS_ONLY)

#define KCAP_FAMILY_INET	2	/* AF_INET */
#define KCAP_FAMILY_INET6	10	/* AF_INET6 */

/* An address prefix; IPv4 addresses use the first four bytes of addr. */
struct kcap_prefix {
	__u8 addr[16];		/* network byte order, host bits zero */
	__u8 family;		/* KCAP_FAMILY_* */
	__u8 len;		/* prefix length: <= 32 or <= 128 */
	__u8 pad[6];
};

/*
 * KCAP_IOC_SET_CONFIG replaces a session's whole configuration at once: no
 * packet is judged by part of an old and part of a new one. Devices are
 * looked up in the caller's network namespace, which the session then
 * belongs to. KCAP_IOC_GET_CONFIG returns it; with bpf_insns non-zero and
 * bpf_len large enough it also returns the program, and it always sets
 * bpf_len to the program's length.
 *
 * The fields of a match not asked for in match (src, dst, sport, dport,
 * l4proto) must be zero, as must ifindex[] past ndevs. A capture other than
 * KCAP_CAPTURE_OFF needs KCAP_CFG_ANY_DEV or at least one device. A field
 * asked for that a packet does not have (a port on ICMP, or on a fragment
 * other than the first; a prefix of the other family) does not match.
 * Ports are those of TCP, UDP, UDP-Lite and SCTP. The program runs on the
 * frame from its link-layer header; its return value, like a socket
 * filter's, is how many bytes to capture at most (0: not at all).
 * A new ring_size takes effect at the next KCAP_IOC_ATTACH; it fails with
 * -EBUSY while a reader is attached. GET_CONFIG reports the ring size in
 * effect, never 0.
 */
struct kcap_config {
	__u8 name[KCAP_NAME_LEN];	/* session, NUL-terminated */
	__u32 flags;			/* KCAP_CFG_* */
	__u32 capture;			/* KCAP_CAPTURE_* */
	__u32 match;			/* KCAP_MATCH_* */
	__u32 snaplen;			/* 0: whole frames */
	__u32 ring_size;		/* bytes, power of two; 0: default */
	__u32 ndevs;			/* entries used in ifindex[] */
	__s32 ifindex[KCAP_MAX_DEVS];
	struct kcap_prefix src;
	struct kcap_prefix dst;
	__u16 sport;			/* host byte order */
	__u16 dport;			/* host byte order */
	__u8 l4proto;			/* IPPROTO_* */
	__u8 pad[3];
	__u32 bpf_len;			/* instructions, 0: no program */
	__u32 pad2;
	__u64 bpf_insns;		/* user pointer to struct sock_filter[] */
	__u32 resv[8];			/* must be 0 */
};

/*
 * KCAP_IOC_ATTACH: become the session's reader; the kernel fills the rest.
 * A file attaches once, and stays the reader until it is closed. Both
 * regions must be mapped MAP_SHARED and with their exact lengths; mmap()
 * fails with -ENXIO on a file that is not a reader. The ring is allocated
 * by the first reader and kept, filling up, between readers; without
 * KCAP_ATTACH_KEEP a new reader starts from an empty ring.
 */
#define KCAP_ATTACH_KEEP	(1U << 0)	/* keep records already queued */

struct kcap_attach {
	__u8 name[KCAP_NAME_LEN];	/* in */
	__u32 flags;			/* in: KCAP_ATTACH_* */
	__u32 data_size;		/* out: bytes of record space */
	__u64 cons_off;			/* out: mmap offset, one page, RW */
	__u64 prod_off;			/* out: mmap offset, read-only */
	__u64 prod_len;			/* out: length of that mapping */
	__u64 data_off;			/* out: records, from prod_off */
	__u32 resv[4];			/* in: must be 0 */
};

/* The kernel-owned page at prod_off. */
struct kcap_ring_prod {
	__u32 producer_pos;
	__u32 flags;			/* KCAP_RING_* */
};

#define KCAP_RING_ENDED		(1U << 0)

/* The reader-owned page at cons_off. */
struct kcap_ring_cons {
	__u32 consumer_pos;
	__u32 wakeup_bytes;	/* 0: at the first record; <= data_size / 2 */
};

#define KCAP_RECORD_ALIGN	8
#define KCAP_REC_BUSY		(1U << 31)
#define KCAP_REC_PAD		(1U << 30)
#define KCAP_REC_LEN_MASK	(KCAP_REC_PAD - 1)

/* struct kcap_pkthdr.flags */
#define KCAP_PKT_INGRESS	(1U << 0)	/* else egress */
#define KCAP_PKT_TRUNCATED	(1U << 1)	/* cut to snaplen */
#define KCAP_PKT_CSUM_PARTIAL	(1U << 2)	/* L4 checksum not yet filled */
#define KCAP_PKT_VLAN_RESTORED	(1U << 3)	/* offloaded tag put back */
#define KCAP_PKT_INJECTED	(1U << 4)	/* sent through /dev/kcap */

struct kcap_pkthdr {
	__u32 rec_len;		/* record length | KCAP_REC_* */
	__u16 hdr_len;		/* frame starts hdr_len bytes in */
	__u16 flags;		/* KCAP_PKT_* */
	__u64 tstamp_ns;	/* CLOCK_REALTIME */
	__s32 ifindex;
	__u32 wire_len;		/* length on the wire */
	__u32 cap_len;		/* bytes that follow */
	__u16 hatype;		/* ARPHRD_* of the device */
	__u16 protocol;		/* skb->protocol, network byte order */
};

/*
 * Counters of one device and direction, or of a whole session.
 * matched == captured + dropped whenever no packet is in flight; in a
 * statistics-only session captured and dropped stay zero.
 */
struct kcap_counters {
	__u64 seen;		/* packets through the hook */
	__u64 matched;		/* passed every filter */
	__u64 matched_bytes;	/* their lengths on the wire */
	__u64 captured;		/* copied into the ring */
	__u64 dropped;		/* ring full, or no ring yet */
	__u64 truncated;	/* captured, cut to snaplen */
};

struct kcap_dev_stats {
	__s32 ifindex;
	__u8 ifname[KCAP_IFNAME_LEN];
	__u32 pad;
	struct kcap_counters dir[2];	/* [0] ingress, [1] egress */
};

#define KCAP_DIR_INGRESS	0
#define KCAP_DIR_EGRESS		1

/* KCAP_IOC_STATS: session totals, and per-device counters into devs. */
struct kcap_stats {
	__u8 name[KCAP_NAME_LEN];	/* in */
	__u64 devs;			/* in: user pointer, or 0 */
	__u32 cap;			/* in: entries devs holds */
	__u32 count;			/* out: devices attached */
	__u32 flags;			/* in: must be 0 */
	__u32 pad;
	__u64 tstamp_ns;		/* out: CLOCK_MONOTONIC when sampled */
	struct kcap_counters total[2];	/* out: incl. devices gone */
	__u32 resv[4];			/* in: must be 0 */
};

/*
 * Injection
 * ---------
 * KCAP_IOC_TX_BIND binds a file to a device of the caller's network
 * namespace (an Ethernet or loopback device: -EOPNOTSUPP for others;
 * -ENODEV if there is none with that index); it needs CAP_NET_RAW (-EPERM)
 * and may be repeated to bind to another device. After it, each write(2)
 * is one frame, from its Ethernet header, and each iovec of a writev(2) is
 * one frame: a send queue in one call. Frames go out through the device's
 * normal transmit path (qdisc, netfilter egress), and a session capturing
 * egress on the device sees them with KCAP_PKT_INJECTED.
 *
 * A frame is refused, and nothing of it sent, when it is empty or shorter
 * than the link-layer header (-EINVAL), longer than the MTU plus that
 * header, plus 4 if it carries an 802.1Q or 802.1ad tag (-EMSGSIZE), when
 * the device is down (-ENETDOWN), gone (-ENODEV), or the file is not bound
 * (-EDESTADDRREQ). The device's qdisc or driver may still drop a frame it
 * was handed (-ENOBUFS). A batch stops at the first frame that fails and
 * returns the bytes of the frames before it, or that frame's error if it
 * was the first: a short write. A writev(2) whose iovecs are all empty
 * sends nothing and returns 0, as writev(2) does for any file.
 *
 * KCAP_IOC_TX_STATS reads the counters of a device of the caller's
 * namespace (ifindex 0: the file's bound device). They count the frames
 * of every file bound to it, from the first bind until the device goes.
 */
struct kcap_tx_bind {
	__s32 ifindex;		/* in */
	__u32 flags;		/* in: must be 0 */
	__u32 resv[2];		/* in: must be 0 */
};

struct kcap_tx_stats {
	__s32 ifindex;		/* in: 0 for the bound device; out */
	__u32 flags;		/* in: must be 0 */
	__u64 sent;		/* frames handed to the device */
	__u64 sent_bytes;	/* their lengths */
	__u64 refused;		/* frames refused, nothing sent */
	__u64 dropped;		/* dropped by the qdisc or driver */
	__u32 resv[6];		/* in: must be 0 */
};

/*
 * Where a session's packets go, as polycube's "show dump" says it: the
 * reader tells the kernel (KCAP_IOC_DUMP_SET, on its attached file, or
 * -ENOTCONN) and anyone asks (KCAP_IOC_DUMP_GET, by session name). The
 * kernel only keeps what it is told, checked for form, and forgets it
 * when the reader goes: kind is KCAP_DUMP_NONE for a session whose reader
 * said nothing, or that has none.
 */
enum kcap_dump_kind {
	KCAP_DUMP_NONE,
	KCAP_DUMP_FILE,		/* a savefile: where is its path */
	KCAP_DUMP_PIPE,		/* a savefile on stdout */
	KCAP_DUMP_PRINT,	/* decoded, on stdout */
	KCAP_DUMP_LISTEN,	/* network mode: where is ADDR:PORT */
	KCAP_DUMP_STATS,	/* counts only */
	KCAP_DUMP_KIND_MAX = KCAP_DUMP_STATS,
};

enum kcap_dump_format {
	KCAP_DUMP_FMT_NONE,
	KCAP_DUMP_FMT_PCAP,
	KCAP_DUMP_FMT_PCAPNG,
	KCAP_DUMP_FMT_TEXT,
	KCAP_DUMP_FMT_MAX = KCAP_DUMP_FMT_TEXT,
};

struct kcap_dump {
	__u8 name[KCAP_NAME_LEN];	/* GET in: the session; SET: ignored */
	__u32 kind;			/* KCAP_DUMP_* */
	__u32 flags;			/* in: must be 0 */
	__u64 file_size;		/* FILE: rotate past this size (-C) */
	__u32 rotate_secs;		/* FILE: rotate this often (-G) */
	__u32 file_count;		/* FILE: this many files (-W) */
	__u32 clients;			/* LISTEN: connected now */
	__u32 format;			/* KCAP_DUMP_FMT_* */
	__u8 where[256];		/* path or ADDR:PORT, NUL-terminated */
	__u32 resv[4];			/* must be 0 */
};

#define KCAP_IOC_MAGIC	0xC4

#define KCAP_IOC_VERSION	_IOWR(KCAP_IOC_MAGIC, 0x00, struct kcap_version)
#define KCAP_IOC_SESSION_ADD	_IOW(KCAP_IOC_MAGIC, 0x01, struct kcap_session_req)
#define KCAP_IOC_SESSION_DEL	_IOW(KCAP_IOC_MAGIC, 0x02, struct kcap_session_req)
#define KCAP_IOC_SESSION_INFO	_IOWR(KCAP_IOC_MAGIC, 0x03, struct kcap_session_req)
#define KCAP_IOC_SESSION_LIST	_IOWR(KCAP_IOC_MAGIC, 0x04, struct kcap_session_list)
#define KCAP_IOC_SET_CONFIG	_IOW(KCAP_IOC_MAGIC, 0x05, struct kcap_config)
#define KCAP_IOC_GET_CONFIG	_IOWR(KCAP_IOC_MAGIC, 0x06, struct kcap_config)
#define KCAP_IOC_ATTACH		_IOWR(KCAP_IOC_MAGIC, 0x07, struct kcap_attach)
#define KCAP_IOC_STATS		_IOWR(KCAP_IOC_MAGIC, 0x08, struct kcap_stats)
#define KCAP_IOC_TX_BIND	_IOW(KCAP_IOC_MAGIC, 0x09, struct kcap_tx_bind)
#define KCAP_IOC_TX_STATS	_IOWR(KCAP_IOC_MAGIC, 0x0a, struct kcap_tx_stats)
#define KCAP_IOC_DUMP_SET	_IOW(KCAP_IOC_MAGIC, 0x0b, struct kcap_dump)
#define KCAP_IOC_DUMP_GET	_IOWR(KCAP_IOC_MAGIC, 0x0c, struct kcap_dump)

#endif /* _UAPI_LINUX_KCAP_H */
