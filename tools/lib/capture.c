// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Capture: attach to a session's ring, wait for records, and hand each one
 * out as a struct kcap_packet, the only place in the tools where a ring
 * record becomes a packet.
 */
#include <errno.h>
#include <net/if_arp.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "libkcap_int.h"

/* Longest wait in one poll(), so kcap_breakloop() is seen even if it
 * raced with the check before poll(). */
#define KCAP_POLL_SLICE_MS	200

int kcap_attach(struct kcap *k, const char *session, uint32_t flags)
{
	struct kcap_attach at;
	long page = sysconf(_SC_PAGESIZE);
	int err;

	if (k->attached)
		return kcap_err(k, -EALREADY, "already attached");
	memset(&at, 0, sizeof(at));
	err = kcap_copy_name(k, at.name, session);
	if (err)
		return err;
	at.flags = flags;
	err = kcap_do_ioctl(k, KCAP_IOC_ATTACH, &at, "attach", session);
	if (err)
		return err;

	k->cons_len = page;
	k->cons_map = mmap(NULL, k->cons_len, PROT_READ | PROT_WRITE, MAP_SHARED,
			   k->fd, at.cons_off);
	if (k->cons_map == MAP_FAILED) {
		err = kcap_err(k, -errno, "mmap consumer page: %s", strerror(errno));
		goto err_unmapped;
	}
	k->prod_len = at.prod_len;
	k->prod_map = mmap(NULL, k->prod_len, PROT_READ, MAP_SHARED, k->fd,
			   at.prod_off);
	if (k->prod_map == MAP_FAILED) {
		err = kcap_err(k, -errno, "mmap ring (%llu bytes): %s",
			       (unsigned long long)at.prod_len, strerror(errno));
		goto err_unmap_cons;
	}
	err = kcap_reader_init(&k->ring, k->prod_map, k->prod_len, at.data_off,
			       at.data_size, k->cons_map);
	if (err) {
		kcap_err(k, err, "attach: %s", k->ring.err);
		goto err_unmap_prod;
	}
	memcpy(k->session, at.name, sizeof(k->session));
	k->attached = true;
	k->pkt.number = 0;
	return 0;

err_unmap_prod:
	munmap(k->prod_map, k->prod_len);
err_unmap_cons:
	munmap(k->cons_map, k->cons_len);
err_unmapped:
	k->prod_map = k->cons_map = NULL;
	return err;
}

/* The kernel drops the reader when the descriptor closes; unmapping only
 * gives up our view of the ring. */
void kcap_detach(struct kcap *k)
{
	if (!k->attached)
		return;
	kcap_reader_release(&k->ring);
	munmap(k->prod_map, k->prod_len);
	munmap(k->cons_map, k->cons_len);
	k->prod_map = k->cons_map = NULL;
	k->attached = false;
	k->latency_ms = 0;
	k->session[0] = '\0';
}

void kcap_ring_flush(struct kcap *k)
{
	const struct kcap_pkthdr *h;
	const uint8_t *data;
	unsigned int busy = 0;
	int ret;

	if (!k->attached)
		return;
	/* A record still being filled in was matched before the change
	 * too: wait for it, briefly, rather than hand it out later. */
	for (;;) {
		ret = kcap_reader_next(&k->ring, &h, &data);
		if (ret == 1)
			continue;
		if (ret != -EAGAIN || ++busy >= 1000)
			break;
		sched_yield();
	}
	kcap_reader_release(&k->ring);
}

int kcap_set_wakeup(struct kcap *k, uint32_t bytes, int latency_ms)
{
	if (!k->attached)
		return kcap_err(k, -ENOTCONN, "not attached to a session");
	if (bytes > k->ring.size / 2)
		bytes = k->ring.size / 2;
	if (bytes && latency_ms <= 0)
		return kcap_err(k, -EINVAL, "a wakeup mark needs a latency bound");
	kcap_reader_set_wakeup(&k->ring, bytes);
	k->latency_ms = bytes ? latency_ms : 0;
	return 0;
}

void kcap_breakloop(struct kcap *k)
{
	k->brk = 1;
}

int kcap_wait(struct kcap *k, int timeout_ms)
{
	struct pollfd pfd = { .fd = k->fd, .events = POLLIN };
	int n, slice;

	for (;;) {
		if (k->brk) {
			k->brk = 0;
			return -EINTR;
		}
		slice = timeout_ms < 0 || timeout_ms > KCAP_POLL_SLICE_MS ?
			KCAP_POLL_SLICE_MS : timeout_ms;
		if (k->latency_ms && slice > k->latency_ms)
			slice = k->latency_ms;
		n = poll(&pfd, 1, slice);
		if (n < 0) {
			if (errno == EINTR)
				continue;	/* brk is checked above */
			return kcap_err(k, -errno, "poll: %s", strerror(errno));
		}
		if (n > 0)
			return 1;	/* POLLIN, or POLLHUP at the end */
		/* Short of the wakeup mark: the latency bound has passed. */
		if (k->latency_ms && kcap_reader_pending(&k->ring))
			return 1;
		if (timeout_ms >= 0) {
			timeout_ms -= slice;
			if (timeout_ms <= 0)
				return 0;
		}
	}
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

int kcap_linktype(unsigned int hatype)
{
	switch (hatype) {
	case ARPHRD_NONE:	/* tun, wireguard: the IP header comes first */
	case ARPHRD_RAWIP:
	case ARPHRD_TUNNEL:
	case ARPHRD_TUNNEL6:
	case ARPHRD_SIT:
		return KCAP_DLT_RAW;
	default:		/* lo's frames carry an Ethernet header too */
		return KCAP_DLT_EN10MB;
	}
}

static const char *kcap_ifname(struct kcap *k, int ifindex)
{
	unsigned int i;

	for (i = 0; i < k->nifc; i++)
		if (k->ifc[i].ifindex == ifindex)
			return k->ifc[i].name;
	/* More devices than slots: replace the oldest. */
	if (k->nifc < KCAP_IFCACHE)
		i = k->nifc++;
	else
		i = k->ifc_next++ % KCAP_IFCACHE;
	k->ifc[i].ifindex = ifindex;
	if (!if_indextoname(ifindex, k->ifc[i].name))
		snprintf(k->ifc[i].name, sizeof(k->ifc[i].name), "if%d", ifindex);
	return k->ifc[i].name;
}

static void kcap_packet_fill(struct kcap *k, const struct kcap_pkthdr *h,
			     const uint8_t *data)
{
	struct kcap_packet *p = &k->pkt;

	p->data = data;
	p->caplen = h->cap_len;
	p->wirelen = h->wire_len < h->cap_len ? h->cap_len : h->wire_len;
	p->ts_ns = h->tstamp_ns;
	p->ifindex = h->ifindex;
	p->ifname = kcap_ifname(k, h->ifindex);
	p->linktype = kcap_linktype(h->hatype);
	p->flags = (h->flags & KCAP_PKT_INGRESS ? KCAP_PACKET_INBOUND :
		    KCAP_PACKET_OUTBOUND) |
		   (h->flags & KCAP_PKT_TRUNCATED ? KCAP_PACKET_TRUNCATED : 0) |
		   (h->flags & KCAP_PKT_CSUM_PARTIAL ? KCAP_PACKET_CSUM_NOT_READY : 0) |
		   (h->flags & KCAP_PKT_VLAN_RESTORED ? KCAP_PACKET_VLAN_RESTORED : 0) |
		   (h->flags & KCAP_PKT_INJECTED ? KCAP_PACKET_INJECTED : 0);
	p->number++;
}

/* One record from the ring as a packet: 1, 0 (none yet), -EAGAIN, -errno. */
static int kcap_take(struct kcap *k)
{
	const struct kcap_pkthdr *h;
	const uint8_t *data;
	int ret = kcap_reader_next(&k->ring, &h, &data);

	if (ret == 1)
		kcap_packet_fill(k, h, data);
	return ret;
}

int kcap_next(struct kcap *k, const struct kcap_packet **pkt, int timeout_ms)
{
	struct timespec t0;
	bool timed = false;
	unsigned int busy = 0;
	int ret, left = timeout_ms;

	if (k->pcap)
		return kcap_offline_next(k, pkt);
	if (k->mode == KCAP_MODE_STAT)
		return kcap_stat_next(k, pkt, timeout_ms);
	if (!k->attached)
		return kcap_err(k, -ENOTCONN, "not attached to a session");
	for (;;) {
		ret = kcap_take(k);
		if (ret == 1) {
			*pkt = &k->pkt;
			return 1;
		}
		if (ret == -EBADMSG)
			return kcap_err(k, ret, "%s", k->ring.err);
		if (k->brk) {
			k->brk = 0;
			return -EINTR;
		}
		/*
		 * The clock only once we must wait: where the vDSO cannot
		 * read it (an HPET or acpi_pm clocksource) it is a system
		 * call, and a packet ready at once must not pay for one.
		 */
		if (timeout_ms > 0) {
			if (!timed) {
				clock_gettime(CLOCK_MONOTONIC, &t0);
				timed = true;
			}
			left = timeout_ms - (int)elapsed_ms(&t0);
		}
		if (timeout_ms >= 0 && left <= 0)
			return 0;
		if (ret == -EAGAIN) {
			/* The kernel is filling the record in: poll() would
			 * say readable at once, so back off instead. */
			if (++busy < 64) {
				sched_yield();
			} else {
				struct timespec ts = { 0, 100000 };

				nanosleep(&ts, NULL);
			}
			continue;
		}
		busy = 0;
		if (kcap_reader_ended(&k->ring)) {
			/* Records committed before the end flag are visible
			 * now (acquire on flags); read them first. */
			ret = kcap_take(k);
			if (ret == 1)
				*pkt = &k->pkt;
			if (ret)
				return ret == 1 ? 1 : kcap_err(k, ret, "%s", k->ring.err);
			return kcap_err(k, -ENODEV,
					"capture ended: the session's devices went away");
		}
		ret = kcap_wait(k, left);
		if (ret <= 0)
			return ret;
	}
}

int kcap_loop(struct kcap *k, int count, kcap_handler cb, void *user)
{
	const struct kcap_packet *pkt;
	int n = 0, ret;

	while (count <= 0 || n < count) {
		ret = kcap_next(k, &pkt, -1);
		if (ret < 0) {
			/* -ENODATA: a savefile's end. */
			if (n > 0 || ret == -EINTR || ret == -ENODATA)
				return n;
			return ret;
		}
		if (ret == 1) {
			cb(user, pkt);
			n++;
		}
	}
	return n;
}
