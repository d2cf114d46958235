// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libpcap's way in: kcap_open_live() makes a private session on one
 * device, configures it and attaches, so a program that knows
 * pcap_open_live() needs nothing of sessions; dispatch with a timeout,
 * direction, link type, and Npcap's statistics mode.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "libkcap_int.h"

/* Sessions of one process are told apart by this. */
static unsigned int kcap_live_seq;

int64_t kcap_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

__attribute__((format(printf, 2, 3)))
static void kcap_errbuf(char *errbuf, const char *fmt, ...)
{
	va_list ap;

	if (!errbuf)
		return;
	va_start(ap, fmt);
	vsnprintf(errbuf, KCAP_ERRBUF_SIZE, fmt, ap);
	va_end(ap);
}

/* The device's ARPHRD_*, for its link type; Ethernet if it cannot tell. */
static int kcap_dev_linktype(const char *dev)
{
	struct ifreq ifr;
	int s, lt = KCAP_DLT_EN10MB;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return lt;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (!ioctl(s, SIOCGIFHWADDR, &ifr))
		lt = kcap_linktype(ifr.ifr_hwaddr.sa_family);
	close(s);
	return lt;
}

/*
 * As libpcap does it: a packet socket's membership, which the kernel
 * counts and drops when the socket closes, so two programs asking for
 * promiscuous mode do not undo each other.
 */
static int kcap_promisc(struct kcap *k, int ifindex, const char *dev)
{
	struct packet_mreq mr = { .mr_ifindex = ifindex, .mr_type = PACKET_MR_PROMISC };
	int s, err;

	s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (s < 0)
		return kcap_err(k, -errno, "promiscuous mode on %s: %s", dev,
				strerror(errno));
	if (setsockopt(s, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr))) {
		err = errno;
		close(s);
		return kcap_err(k, -err, "promiscuous mode on %s: %s", dev, strerror(err));
	}
	k->promisc_fd = s;
	return 0;
}

/* libpcap's to_ms (0: forever, -1: at once) as kcap_next()'s timeout. */
static int kcap_to_ms(int timeout_ms)
{
	return timeout_ms == 0 ? -1 : timeout_ms < 0 ? 0 : timeout_ms;
}

struct kcap *kcap_open_live(const char *dev, int snaplen, int promisc,
			    int timeout_ms, char *errbuf)
{
	struct kcap *k = NULL;
	struct kcap_cfg cfg;
	char name[KCAP_NAME_LEN];
	unsigned int ifindex = 0;
	bool any;
	int err;

	if (!dev || !*dev) {
		kcap_errbuf(errbuf, "open: no device given");
		return NULL;
	}
	if (snaplen < 0 || snaplen > KCAP_SNAPLEN_MAX) {
		kcap_errbuf(errbuf, "open: snaplen %d: must be 0-%d", snaplen,
			    KCAP_SNAPLEN_MAX);
		return NULL;
	}
	if (timeout_ms < -1) {
		kcap_errbuf(errbuf, "open: timeout %d ms: must be -1 or more", timeout_ms);
		return NULL;
	}
	any = !strcmp(dev, "any");
	if (!any) {
		ifindex = if_nametoindex(dev);
		if (!ifindex) {
			kcap_errbuf(errbuf, "open: %s: no such device", dev);
			return NULL;
		}
	}

	err = kcap_open(&k, NULL);
	if (err)
		goto fail;
	snprintf(name, sizeof(name), "live-%d-%u", (int)getpid(),
		 __atomic_fetch_add(&kcap_live_seq, 1, __ATOMIC_RELAXED));
	err = kcap_session_add_private(k, name);
	if (err)
		goto fail;

	kcap_cfg_init(&cfg, name);
	cfg.c.capture = KCAP_CAPTURE_BIDIRECTIONAL;
	if (any) {
		cfg.c.flags = KCAP_CFG_ANY_DEV;
	} else {
		cfg.c.ndevs = 1;
		cfg.c.ifindex[0] = (int)ifindex;
	}
	cfg.c.snaplen = snaplen == KCAP_SNAPLEN_MAX ? 0 : (uint32_t)snaplen;
	cfg.c.ring_size = KCAP_LIVE_RING;
	err = kcap_config_set(k, &cfg);
	if (err)
		goto fail;
	err = kcap_attach(k, name, 0);
	if (err)
		goto fail;
	if (promisc && !any) {
		err = kcap_promisc(k, (int)ifindex, dev);
		if (err)
			goto fail;
	}
	k->snaplen = cfg.c.snaplen;
	k->timeout_ms = kcap_to_ms(timeout_ms);
	k->linktype = any ? KCAP_DLT_EN10MB : kcap_dev_linktype(dev);
	k->live_ifindex = (int)ifindex;
	return k;

fail:
	kcap_errbuf(errbuf, "%s", k ? kcap_geterr(k) : strerror(-err));
	kcap_close(k);
	return NULL;
}

const char *kcap_session_name(const struct kcap *k)
{
	return k->session;
}

int kcap_set_timeout(struct kcap *k, int timeout_ms)
{
	if (timeout_ms < -1)
		return kcap_err(k, -EINVAL, "timeout %d ms: must be -1 or more",
				timeout_ms);
	k->timeout_ms = kcap_to_ms(timeout_ms);
	return 0;
}

int kcap_dispatch(struct kcap *k, int cnt, kcap_handler cb, void *user)
{
	const struct kcap_packet *pkt;
	int64_t t0 = k->timeout_ms > 0 ? kcap_mono_ns() : 0;
	int n = 0, ret, left;

	if (!cb)
		return kcap_err(k, -EINVAL, "dispatch: no callback");
	for (;;) {
		left = k->timeout_ms;
		if (left > 0) {
			left -= (int)((kcap_mono_ns() - t0) / 1000000);
			if (left <= 0)
				left = 0;
		}
		ret = kcap_next(k, &pkt, left);
		if (ret == 1) {
			cb(user, pkt);
			if (++n == cnt)
				return n;
			continue;
		}
		if (ret == 0 || ret == -ENODATA)
			return n;
		return n ? n : ret;
	}
}

static int kcap_config_change(struct kcap *k, uint32_t capture, int stats_only)
{
	struct kcap_cfg cfg;
	int err;

	if (!k->session[0])
		return kcap_err(k, -ENOTCONN, "not attached to a session");
	kcap_cfg_init(&cfg, k->session);
	err = kcap_config_get(k, k->session, &cfg);
	if (!err) {
		if (capture)
			cfg.c.capture = capture;
		if (stats_only > 0)
			cfg.c.flags |= KCAP_CFG_STATS_ONLY;
		else if (!stats_only)
			cfg.c.flags &= ~KCAP_CFG_STATS_ONLY;
		err = kcap_config_set(k, &cfg);
	}
	kcap_cfg_free(&cfg);
	return err;
}

int kcap_setdirection(struct kcap *k, uint32_t capture)
{
	if (k->pcap)
		return kcap_err(k, -EOPNOTSUPP, "setdirection: not on a savefile");
	if (capture != KCAP_CAPTURE_INGRESS && capture != KCAP_CAPTURE_EGRESS &&
	    capture != KCAP_CAPTURE_BIDIRECTIONAL)
		return kcap_err(k, -EINVAL,
				"setdirection: %u is not KCAP_CAPTURE_INGRESS, _EGRESS or _BIDIRECTIONAL",
				capture);
	return kcap_config_change(k, capture, -1);
}

int kcap_datalink(const struct kcap *k)
{
	return k->linktype ? k->linktype : KCAP_DLT_EN10MB;
}

int kcap_snapshot(const struct kcap *k)
{
	return k->snaplen ? (int)k->snaplen : KCAP_SNAPLEN_MAX;
}

/* The matches of both directions, and the bytes of them. */
static int kcap_stat_totals(struct kcap *k, uint64_t *pkts, uint64_t *bytes)
{
	struct kcap_stat_snap snap;
	int err = kcap_stats_get(k, k->session, &snap);

	if (err)
		return err;
	*pkts = snap.s.total[0].matched + snap.s.total[1].matched;
	*bytes = snap.s.total[0].matched_bytes + snap.s.total[1].matched_bytes;
	kcap_stats_free(&snap);
	return 0;
}

int kcap_setmode(struct kcap *k, int mode)
{
	int err;

	if (mode != KCAP_MODE_CAPT && mode != KCAP_MODE_STAT)
		return kcap_err(k, -EINVAL,
				"setmode: %d is not KCAP_MODE_CAPT or KCAP_MODE_STAT", mode);
	if (k->pcap)
		return kcap_err(k, -EOPNOTSUPP, "setmode: not on a savefile");
	err = kcap_config_change(k, 0, mode == KCAP_MODE_STAT);
	if (err)
		return err;
	if (mode == KCAP_MODE_STAT) {
		err = kcap_stat_totals(k, &k->stat.pkts, &k->stat.bytes);
		if (err)
			return err;
		k->stat.mono_ns = kcap_mono_ns();
	}
	k->mode = mode;
	return 0;
}

/* Sleeps to the monotonic time t, in slices that see kcap_breakloop(). */
static int kcap_sleep_until(struct kcap *k, int64_t t)
{
	for (;;) {
		int64_t now = kcap_mono_ns(), d = t - now;
		struct timespec ts;

		if (k->brk) {
			k->brk = 0;
			return -EINTR;
		}
		if (d <= 0)
			return 0;
		if (d > 200000000)
			d = 200000000;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)d;
		nanosleep(&ts, NULL);
	}
}

int kcap_stat_next(struct kcap *k, const struct kcap_packet **pkt, int timeout_ms)
{
	int interval = k->timeout_ms > 0 ? k->timeout_ms : 1000;
	int64_t due = k->stat.mono_ns + (int64_t)interval * 1000000;
	int64_t now = kcap_mono_ns();
	uint64_t p, b, v[2];
	struct timespec rt;
	int err;

	if (timeout_ms >= 0 && due > now + (int64_t)timeout_ms * 1000000) {
		err = kcap_sleep_until(k, now + (int64_t)timeout_ms * 1000000);
		return err ? err : 0;
	}
	err = kcap_sleep_until(k, due);
	if (err)
		return err;
	err = kcap_stat_totals(k, &p, &b);
	if (err)
		return err;
	v[0] = p - k->stat.pkts;
	v[1] = b - k->stat.bytes;
	memcpy(k->stat.data, v, sizeof(v));
	k->stat.pkts = p;
	k->stat.bytes = b;
	k->stat.mono_ns = due;
	clock_gettime(CLOCK_REALTIME, &rt);
	p = k->pkt.number;
	memset(&k->pkt, 0, sizeof(k->pkt));
	k->pkt.number = p + 1;
	k->pkt.data = k->stat.data;
	k->pkt.caplen = k->pkt.wirelen = sizeof(k->stat.data);
	k->pkt.ts_ns = (uint64_t)rt.tv_sec * 1000000000 + (uint64_t)rt.tv_nsec;
	k->pkt.linktype = kcap_datalink(k);
	*pkt = &k->pkt;
	return 1;
}

int kcap_tx_autobind(struct kcap *k)
{
	int err;

	if (k->pcap)
		return kcap_err(k, -EBADF, "inject: a savefile's handle cannot send");
	if (!k->live_ifindex)
		return 0;
	err = kcap_tx_bind_index(k, k->live_ifindex);
	if (!err)
		k->live_ifindex = 0;
	return err;
}
