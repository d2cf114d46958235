// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libkcap: /dev/kcap's ioctls and the attached ring.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <limits.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <time.h>
#include <unistd.h>

#include "libkcap.h"
#include "ring.h"

/* The ABI's sizes: the same numbers as kmod/ioctl.c's static_asserts. */
_Static_assert(sizeof(struct kcap_version) == 40, "kcap_version");
_Static_assert(sizeof(struct kcap_session_req) == 80, "kcap_session_req");
_Static_assert(sizeof(struct kcap_session_list) == 32, "kcap_session_list");
_Static_assert(sizeof(struct kcap_prefix) == 24, "kcap_prefix");
_Static_assert(sizeof(struct kcap_config) == 224, "kcap_config");
_Static_assert(sizeof(struct kcap_attach) == 88, "kcap_attach");
_Static_assert(sizeof(struct kcap_ring_prod) == 8, "kcap_ring_prod");
_Static_assert(sizeof(struct kcap_ring_cons) == 8, "kcap_ring_cons");
_Static_assert(sizeof(struct kcap_pkthdr) == 32, "kcap_pkthdr");
_Static_assert(sizeof(struct kcap_counters) == 48, "kcap_counters");
_Static_assert(sizeof(struct kcap_dev_stats) == 120, "kcap_dev_stats");
_Static_assert(sizeof(struct kcap_stats) == 176, "kcap_stats");
_Static_assert(sizeof(struct kcap_tx_bind) == 16, "kcap_tx_bind");
_Static_assert(sizeof(struct kcap_tx_stats) == 64, "kcap_tx_stats");

/* Longest wait in one poll(), so kcap_breakloop() is seen even if it
 * raced with the check before poll(). */
#define KCAP_POLL_SLICE_MS	200
#define KCAP_IFCACHE		8

struct kcap {
	int fd;
	struct kcap_version ver;
	volatile sig_atomic_t brk;
	bool attached;
	int latency_ms;			/* with a wakeup mark; 0: none */
	void *cons_map;
	size_t cons_len;
	void *prod_map;
	size_t prod_len;
	struct kcap_ring ring;
	struct kcap_packet pkt;		/* the one kcap_next() handed out */
	/* if_indextoname() is a socket and an ioctl: once per device. */
	struct {
		int ifindex;
		char name[IF_NAMESIZE];
	} ifc[KCAP_IFCACHE];
	unsigned int nifc, ifc_next;
	char err[KCAP_ERRBUF_SIZE];
};

__attribute__((format(printf, 3, 4)))
static int kcap_fail(struct kcap *k, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(k->err, sizeof(k->err), fmt, ap);
	va_end(ap);
	return ret;
}

static int kcap_copy_name(struct kcap *k, __u8 *dst, const char *name)
{
	size_t n = strlen(name);

	if (!n || n >= KCAP_NAME_LEN)
		return kcap_fail(k, -EINVAL,
				 "session name '%s': must be 1-%d characters",
				 name, KCAP_NAME_LEN - 1);
	memcpy(dst, name, n + 1);
	return 0;
}

/* A failed ioctl's errno, as a message naming what failed. */
static int kcap_ioctl_fail(struct kcap *k, int err, const char *what,
			   const char *name)
{
	if (name && err == ENOENT)
		return kcap_fail(k, -err, "%s: no session named '%s'", what, name);
	if (name && err == EBUSY) {
		char who[128];

		kcap_describe_reader(k, name, who, sizeof(who));
		return kcap_fail(k, -err, "%s: %s", what, who);
	}
	if (name)
		return kcap_fail(k, -err, "%s '%s': %s", what, name, strerror(err));
	return kcap_fail(k, -err, "%s: %s", what, strerror(err));
}

static int kcap_ioctl(struct kcap *k, unsigned long req, void *arg,
		      const char *what, const char *name)
{
	if (ioctl(k->fd, req, arg) == 0)
		return 0;
	return kcap_ioctl_fail(k, errno, what, name);
}

int kcap_open(struct kcap **kp, const char *path)
{
	struct kcap *k;
	int err;

	*kp = NULL;
	k = calloc(1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	if (!path)
		path = KCAP_DEV_PATH;
	k->fd = open(path, O_RDWR | O_CLOEXEC);
	if (k->fd < 0) {
		err = errno;
		if (err == ENOENT)
			kcap_fail(k, -err, "%s: no such device (is kcap.ko loaded?)", path);
		else if (err == EPERM || err == EACCES)
			kcap_fail(k, -err, "%s: %s (needs CAP_NET_RAW or CAP_NET_ADMIN)",
				  path, strerror(err));
		else
			kcap_fail(k, -err, "%s: %s", path, strerror(err));
		*kp = k;	/* so the caller can read the message */
		return -err;
	}
	*kp = k;
	err = kcap_ioctl(k, KCAP_IOC_VERSION, &k->ver, "version", NULL);
	if (err)
		return err;
	if (k->ver.abi_version != KCAP_ABI_VERSION)
		return kcap_fail(k, -EPROTO,
				 "kcap ABI version %u, these tools speak %u",
				 k->ver.abi_version, KCAP_ABI_VERSION);
	return 0;
}

void kcap_close(struct kcap *k)
{
	if (!k)
		return;
	kcap_detach(k);
	if (k->fd >= 0)
		close(k->fd);
	free(k);
}

int kcap_fd(const struct kcap *k)
{
	return k->fd;
}

const char *kcap_geterr(const struct kcap *k)
{
	return k->err;
}

const struct kcap_version *kcap_version_info(const struct kcap *k)
{
	return &k->ver;
}

static int kcap_session_op(struct kcap *k, unsigned long req, const char *name,
			   struct kcap_session_req *sr, const char *what)
{
	int err;

	memset(sr, 0, sizeof(*sr));
	err = kcap_copy_name(k, sr->name, name);
	if (err)
		return err;
	if (req == KCAP_IOC_SESSION_ADD) {
		/* ENOENT/EBUSY mean other things here: no name decoration. */
		if (ioctl(k->fd, req, sr) == 0)
			return 0;
		if (errno == EEXIST)
			return kcap_fail(k, -EEXIST, "session '%s' already exists", name);
		return kcap_fail(k, -errno, "%s '%s': %s", what, name, strerror(errno));
	}
	return kcap_ioctl(k, req, sr, what, name);
}

int kcap_session_add(struct kcap *k, const char *name)
{
	struct kcap_session_req sr;

	return kcap_session_op(k, KCAP_IOC_SESSION_ADD, name, &sr, "add session");
}

int kcap_session_del(struct kcap *k, const char *name)
{
	struct kcap_session_req sr;

	return kcap_session_op(k, KCAP_IOC_SESSION_DEL, name, &sr, "delete session");
}

int kcap_session_info(struct kcap *k, const char *name,
		      struct kcap_session_req *info)
{
	return kcap_session_op(k, KCAP_IOC_SESSION_INFO, name, info, "session info");
}

void kcap_describe_reader(struct kcap *k, const char *name, char *buf,
			  size_t len)
{
	struct kcap_session_req sr;
	char comm[sizeof(sr.reader_comm) + 1];

	memset(&sr, 0, sizeof(sr));
	if (strlen(name) >= KCAP_NAME_LEN ||
	    (memcpy(sr.name, name, strlen(name) + 1),
	     ioctl(k->fd, KCAP_IOC_SESSION_INFO, &sr)) || !sr.reader_pid) {
		snprintf(buf, len, "session '%s' is busy", name);
		return;
	}
	memcpy(comm, sr.reader_comm, sizeof(sr.reader_comm));
	comm[sizeof(sr.reader_comm)] = '\0';
	snprintf(buf, len, "session '%s' is being read by pid %d (%s)",
		 name, sr.reader_pid, comm);
}

int kcap_session_list(struct kcap *k, char (**names)[KCAP_NAME_LEN],
		      unsigned int *count)
{
	struct kcap_session_list sl;
	char (*buf)[KCAP_NAME_LEN] = NULL, (*nbuf)[KCAP_NAME_LEN];
	unsigned int cap = KCAP_MAX_SESSIONS;
	int err;

	*names = NULL;
	*count = 0;
	for (;;) {
		nbuf = realloc(buf, (size_t)cap * KCAP_NAME_LEN);
		if (!nbuf) {
			free(buf);
			return kcap_fail(k, -ENOMEM, "out of memory");
		}
		buf = nbuf;
		memset(&sl, 0, sizeof(sl));
		sl.names = (uintptr_t)buf;
		sl.cap = cap;
		err = kcap_ioctl(k, KCAP_IOC_SESSION_LIST, &sl, "list sessions", NULL);
		if (err) {
			free(buf);
			return err;
		}
		if (sl.count <= cap)
			break;
		cap = sl.count;	/* sessions were added meanwhile */
	}
	for (unsigned int i = 0; i < sl.count; i++)
		buf[i][KCAP_NAME_LEN - 1] = '\0';
	*names = buf;
	*count = sl.count;
	return 0;
}

void kcap_cfg_init(struct kcap_cfg *cfg, const char *session)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf((char *)cfg->c.name, sizeof(cfg->c.name), "%s", session);
}

void kcap_cfg_free(struct kcap_cfg *cfg)
{
	free(cfg->prog);
	cfg->prog = NULL;
	cfg->prog_len = 0;
}

int kcap_config_get(struct kcap *k, const char *session, struct kcap_cfg *cfg)
{
	struct kcap_config c;
	struct sock_filter *prog = NULL;
	unsigned int cap = 0;
	int err;

	for (;;) {
		memset(&c, 0, sizeof(c));
		err = kcap_copy_name(k, c.name, session);
		if (err)
			goto err_free;
		if (prog) {
			c.bpf_insns = (uintptr_t)prog;
			c.bpf_len = cap;
		}
		err = kcap_ioctl(k, KCAP_IOC_GET_CONFIG, &c, "get config", session);
		if (err)
			goto err_free;
		if (!c.bpf_len || (prog && c.bpf_len <= cap))
			break;
		/* Ask again with room for the program; it may change between
		 * the two calls, hence the loop. */
		if (c.bpf_len > KCAP_MAX_BPF_INSNS) {
			err = kcap_fail(k, -EPROTO, "get config: %u BPF instructions",
					c.bpf_len);
			goto err_free;
		}
		free(prog);
		cap = c.bpf_len;
		prog = calloc(cap, sizeof(*prog));
		if (!prog)
			return kcap_fail(k, -ENOMEM, "out of memory");
	}
	if (!c.bpf_len) {
		free(prog);
		prog = NULL;
	}
	kcap_cfg_free(cfg);
	cfg->c = c;
	cfg->c.bpf_insns = 0;
	cfg->prog = prog;
	cfg->prog_len = c.bpf_len;
	return 0;

err_free:
	free(prog);
	return err;
}

int kcap_config_set(struct kcap *k, struct kcap_cfg *cfg)
{
	char name[KCAP_NAME_LEN];

	memcpy(name, cfg->c.name, sizeof(name));
	name[sizeof(name) - 1] = '\0';
	cfg->c.bpf_len = cfg->prog ? cfg->prog_len : 0;
	cfg->c.bpf_insns = cfg->prog ? (uintptr_t)cfg->prog : 0;
	if (!ioctl(k->fd, KCAP_IOC_SET_CONFIG, &cfg->c))
		return 0;
	if (errno == EBUSY) {
		char who[128];

		/* The only -EBUSY: a new ring size while the ring is mapped. */
		kcap_describe_reader(k, name, who, sizeof(who));
		return kcap_fail(k, -EBUSY, "set config: the ring size cannot change while %s",
				 who);
	}
	return kcap_ioctl_fail(k, errno, "set config", name);
}

int kcap_attach(struct kcap *k, const char *session, uint32_t flags)
{
	struct kcap_attach at;
	long page = sysconf(_SC_PAGESIZE);
	int err;

	if (k->attached)
		return kcap_fail(k, -EALREADY, "already attached");
	memset(&at, 0, sizeof(at));
	err = kcap_copy_name(k, at.name, session);
	if (err)
		return err;
	at.flags = flags;
	err = kcap_ioctl(k, KCAP_IOC_ATTACH, &at, "attach", session);
	if (err)
		return err;

	k->cons_len = page;
	k->cons_map = mmap(NULL, k->cons_len, PROT_READ | PROT_WRITE, MAP_SHARED,
			   k->fd, at.cons_off);
	if (k->cons_map == MAP_FAILED) {
		err = kcap_fail(k, -errno, "mmap consumer page: %s", strerror(errno));
		goto err_unmapped;
	}
	k->prod_len = at.prod_len;
	k->prod_map = mmap(NULL, k->prod_len, PROT_READ, MAP_SHARED, k->fd,
			   at.prod_off);
	if (k->prod_map == MAP_FAILED) {
		err = kcap_fail(k, -errno, "mmap ring (%llu bytes): %s",
				(unsigned long long)at.prod_len, strerror(errno));
		goto err_unmap_cons;
	}
	err = kcap_ring_init(&k->ring, k->prod_map, k->prod_len, at.data_off,
			     at.data_size, k->cons_map);
	if (err) {
		kcap_fail(k, err, "attach: %s", k->ring.err);
		goto err_unmap_prod;
	}
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
	kcap_ring_release(&k->ring);
	munmap(k->prod_map, k->prod_len);
	munmap(k->cons_map, k->cons_len);
	k->prod_map = k->cons_map = NULL;
	k->attached = false;
	k->latency_ms = 0;
}

int kcap_set_wakeup(struct kcap *k, uint32_t bytes, int latency_ms)
{
	if (!k->attached)
		return kcap_fail(k, -ENOTCONN, "not attached to a session");
	if (bytes > k->ring.size / 2)
		bytes = k->ring.size / 2;
	if (bytes && latency_ms <= 0)
		return kcap_fail(k, -EINVAL, "a wakeup mark needs a latency bound");
	kcap_ring_set_wakeup(&k->ring, bytes);
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
			return kcap_fail(k, -errno, "poll: %s", strerror(errno));
		}
		if (n > 0)
			return 1;	/* POLLIN, or POLLHUP at the end */
		/* Short of the wakeup mark: the latency bound has passed. */
		if (k->latency_ms && kcap_ring_pending(&k->ring))
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

/* The KCAP_DLT_* a device's frames decode as, from its ARPHRD_*. */
static int kcap_linktype(unsigned int hatype)
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
	int ret = kcap_ring_next(&k->ring, &h, &data);

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

	if (!k->attached)
		return kcap_fail(k, -ENOTCONN, "not attached to a session");
	for (;;) {
		ret = kcap_take(k);
		if (ret == 1) {
			*pkt = &k->pkt;
			return 1;
		}
		if (ret == -EBADMSG)
			return kcap_fail(k, ret, "%s", k->ring.err);
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
		if (kcap_ring_ended(&k->ring)) {
			/* Records committed before the end flag are visible
			 * now (acquire on flags); read them first. */
			ret = kcap_take(k);
			if (ret == 1)
				*pkt = &k->pkt;
			if (ret)
				return ret == 1 ? 1 : kcap_fail(k, ret, "%s", k->ring.err);
			return kcap_fail(k, -ENODEV,
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
			if (n > 0 || ret == -EINTR)
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

int kcap_stats_get(struct kcap *k, const char *session,
		   struct kcap_stat_snap *snap)
{
	struct kcap_dev_stats *devs = NULL, *nd;
	unsigned int cap = 4;
	int err;

	memset(snap, 0, sizeof(*snap));
	for (;;) {
		nd = realloc(devs, cap * sizeof(*devs));
		if (!nd) {
			free(devs);
			return kcap_fail(k, -ENOMEM, "out of memory");
		}
		devs = nd;
		memset(&snap->s, 0, sizeof(snap->s));
		err = kcap_copy_name(k, snap->s.name, session);
		if (!err) {
			snap->s.devs = (uintptr_t)devs;
			snap->s.cap = cap;
			err = kcap_ioctl(k, KCAP_IOC_STATS, &snap->s, "stats", session);
		}
		if (err) {
			free(devs);
			return err;
		}
		if (snap->s.count <= cap)
			break;
		cap = snap->s.count;
	}
	for (unsigned int i = 0; i < snap->s.count; i++)
		devs[i].ifname[KCAP_IFNAME_LEN - 1] = '\0';
	snap->devs = devs;
	snap->ndevs = snap->s.count;
	snap->s.devs = 0;
	return 0;
}

void kcap_stats_free(struct kcap_stat_snap *snap)
{
	free(snap->devs);
	snap->devs = NULL;
	snap->ndevs = 0;
}

/* Injection: write(2) is one frame, each iovec of writev(2) one more. */

int kcap_tx_bind_index(struct kcap *k, int ifindex)
{
	struct kcap_tx_bind b = { .ifindex = ifindex };

	return kcap_ioctl(k, KCAP_IOC_TX_BIND, &b, "bind for injection", NULL);
}

int kcap_tx_bind(struct kcap *k, const char *ifname)
{
	unsigned int idx = if_nametoindex(ifname);

	if (!idx)
		return kcap_fail(k, -ENODEV, "%s: no such device", ifname);
	return kcap_tx_bind_index(k, (int)idx);
}

static int kcap_inject_fail(struct kcap *k, int err, unsigned int frame)
{
	if (err == EDESTADDRREQ)
		return kcap_fail(k, -err, "inject: not bound to a device");
	if (err == EMSGSIZE)
		return kcap_fail(k, -err, "inject: frame %u longer than the MTU allows",
				 frame);
	return kcap_fail(k, -err, "inject: frame %u: %s", frame, strerror(err));
}

int kcap_inject(struct kcap *k, const void *frame, size_t len)
{
	ssize_t n = write(k->fd, frame, len);

	if (n < 0)
		return kcap_inject_fail(k, errno, 0);
	return 0;
}

int kcap_inject_batch(struct kcap *k, const struct iovec *iov, unsigned int n)
{
	unsigned int done = 0, chunk, i;
	size_t want;
	ssize_t got;

	while (done < n) {
		chunk = n - done < IOV_MAX ? n - done : IOV_MAX;
		got = writev(k->fd, iov + done, (int)chunk);
		if (got < 0) {
			if (done)
				break;
			return kcap_inject_fail(k, errno, done);
		}
		/* A short write ends at a frame boundary: count whole frames. */
		for (i = 0, want = 0; i < chunk; i++) {
			if (want + iov[done + i].iov_len > (size_t)got)
				break;
			want += iov[done + i].iov_len;
		}
		done += i;
		if (i < chunk)
			break;
	}
	if (done < n)
		kcap_fail(k, 0, "inject: frame %u not sent; send from it again for the reason",
			  done);
	return (int)done;
}

int kcap_tx_stats(struct kcap *k, int ifindex, struct kcap_tx_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->ifindex = ifindex;
	return kcap_ioctl(k, KCAP_IOC_TX_STATS, st, "injection counters", NULL);
}
