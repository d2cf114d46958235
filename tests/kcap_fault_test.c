// SPDX-License-Identifier: GPL-2.0
/*
 * Faults kcap must survive, one test each: a captured device deleted or
 * moved to another namespace, the namespace destroyed, rmmod while open,
 * the ring resized while mapped and during a flood, a reader killed
 * mid-batch, and failslab on every allocation of session and ring setup.
 * Counters reconcile (matched == captured + dropped) after each.
 */
#include <dirent.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/filter.h>
#include <linux/kcap.h>

#include "kselftest_harness.h"
#include "kcap_mod.h"
#include "kcap_net.h"

#define RING_SMALL	KCAP_RING_MIN

static void name_set(uint8_t *dst, const char *name)
{
	memset(dst, 0, KCAP_NAME_LEN);
	snprintf((char *)dst, KCAP_NAME_LEN, "%s", name);
}

static void cfg_init(struct kcap_config *c, const char *name, __u32 capture,
		     __u32 ring)
{
	memset(c, 0, sizeof(*c));
	name_set(c->name, name);
	c->capture = capture;
	c->ring_size = ring;
}

static void cfg_dev(struct kcap_config *c, int ifindex)
{
	c->ifindex[c->ndevs++] = ifindex;
}

static int sess_add(int fd, const char *name)
{
	struct kcap_session_req r;

	memset(&r, 0, sizeof(r));
	name_set(r.name, name);
	return ioctl(fd, KCAP_IOC_SESSION_ADD, &r);
}

static int sess_info(int fd, const char *name, struct kcap_session_req *r)
{
	memset(r, 0, sizeof(*r));
	name_set(r->name, name);
	return ioctl(fd, KCAP_IOC_SESSION_INFO, r);
}

static int get_stats(int fd, const char *name, struct kcap_stats *st,
		     struct kcap_dev_stats *devs, __u32 cap)
{
	memset(st, 0, sizeof(*st));
	name_set(st->name, name);
	st->devs = (uintptr_t)devs;
	st->cap = devs ? cap : 0;
	return ioctl(fd, KCAP_IOC_STATS, st);
}

/* matched == captured + dropped both ways; the packets matched, or -1. */
static long reconciled(struct __test_metadata *_metadata, int fd,
		       const char *name)
{
	struct kcap_stats st;
	long n = 0;
	int d;

	if (get_stats(fd, name, &st, NULL, 0))
		return -1;
	for (d = 0; d < 2; d++) {
		struct kcap_counters *c = &st.total[d];

		TH_LOG("%s dir %d: matched %llu captured %llu dropped %llu",
		       name, d, (unsigned long long)c->matched,
		       (unsigned long long)c->captured,
		       (unsigned long long)c->dropped);
		if (c->matched != c->captured + c->dropped)
			return -1;
		n += c->matched;
	}
	return n;
}

FIXTURE(flt) {
	int fd;
	int a0, a1;
};

FIXTURE_SETUP(flt)
{
	ASSERT_EQ(0, kcap_mod_reload());
	ASSERT_EQ(0, net_enter_a(0, &self->a0, &self->a1));
	self->fd = kcap_dev_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(flt)
{
	close(self->fd);
	sh("ip netns del kcapC");
	net_teardown();
	/* The module unloads once every file is closed. */
	EXPECT_EQ(0, kcap_mod_unload());
}

static pid_t flood_a(const char *dst)
{
	return udp_sender(NS_A, dst, 5000, 7000, 1L << 30, 100, 0);
}

static void flood_stop(pid_t pid)
{
	kill(pid, SIGKILL);
	sender_wait(pid);
	msleep(200);
}

/*
 * The veth goes while a flood runs over it: the reader sees EPOLLHUP and
 * KCAP_RING_ENDED once its last device is gone; a session on another
 * device goes on capturing.
 */
TEST_F_TIMEOUT(flt, veth_deleted_while_capturing, 180)
{
	struct pollfd pfd = { .events = POLLIN };
	struct kcap_session_req q;
	struct kcap_config c;
	struct kr r, r2;
	long n, n2;
	int fd2;
	pid_t fl;

	cfg_init(&c, "default", KCAP_CAPTURE_BIDIRECTIONAL, RING_SMALL);
	cfg_dev(&c, self->a1);
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	ASSERT_EQ(0, sess_add(self->fd, "other"));
	cfg_init(&c, "other", KCAP_CAPTURE_BIDIRECTIONAL, RING_SMALL);
	cfg_dev(&c, self->a0);
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	ASSERT_EQ(0, kr_attach(&r, self->fd, "default", 0));
	fd2 = kcap_dev_open();
	ASSERT_EQ(0, kr_attach(&r2, fd2, "other", 0));

	fl = flood_a("10.0.1.2");
	msleep(1000);
	ASSERT_EQ(0, sh("ip -n " NS_A " link del a1"));
	pfd.fd = self->fd;
	ASSERT_EQ(1, poll(&pfd, 1, 10000));
	EXPECT_TRUE(pfd.revents & POLLHUP);
	EXPECT_EQ(KCAP_RING_ENDED, kr_prod_flags(&r));
	flood_stop(fl);
	EXPECT_EQ(0, sess_info(self->fd, "default", &q));
	EXPECT_EQ(KCAP_SESSION_ENDED, q.state);
	n = kr_drain(&r, NULL);
	EXPECT_LE(0, n) TH_LOG("%s", r.err);

	/* The other device still captures. */
	kr_drain(&r2, NULL);
	ASSERT_EQ(0, udp_send(NS_A, "10.0.0.2", 5000, 7000, 20, 100, 0));
	msleep(200);
	n2 = kr_drain(&r2, NULL);
	EXPECT_LE(20, n2) TH_LOG("%s", r2.err);
	EXPECT_EQ(0U, kr_prod_flags(&r2));
	EXPECT_LT(0, reconciled(_metadata, self->fd, "default"));
	EXPECT_LT(0, reconciled(_metadata, self->fd, "other"));
	kr_unmap(&r);
	kr_unmap(&r2);
	close(fd2);
}

/* Configures session name from namespace ns, on any device. */
static int config_any_in(int fd, const char *ns, const char *name)
{
	struct kcap_config c;
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		if (netns_enter(ns))
			_exit(10);
		cfg_init(&c, name, KCAP_CAPTURE_BIDIRECTIONAL, RING_SMALL);
		c.flags = KCAP_CFG_ANY_DEV;
		_exit(ioctl(fd, KCAP_IOC_SET_CONFIG, &c) ? 11 : 0);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int has_dev(int fd, const char *name, const char *ifname)
{
	struct kcap_dev_stats devs[16];
	struct kcap_stats st;
	__u32 i;

	if (get_stats(fd, name, &st, devs, 16))
		return -1;
	for (i = 0; i < st.count && i < 16; i++)
		if (!strcmp((char *)devs[i].ifname, ifname))
			return 1;
	return 0;
}

/*
 * A captured device moves to another namespace: its session stops
 * capturing it, and a session on any device there picks it up.
 */
TEST_F_TIMEOUT(flt, device_moved_to_other_netns, 180)
{
	struct kcap_config c, g;
	struct kr r;
	long before;

	cfg_init(&c, "default", KCAP_CAPTURE_BIDIRECTIONAL, RING_SMALL);
	cfg_dev(&c, self->a0);
	cfg_dev(&c, self->a1);
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	ASSERT_EQ(0, sess_add(self->fd, "inb"));
	ASSERT_EQ(0, config_any_in(self->fd, NS_B, "inb"));
	ASSERT_EQ(0, kr_attach(&r, self->fd, "inb", 0));
	EXPECT_EQ(0, has_dev(self->fd, "inb", "a1"));

	ASSERT_EQ(0, sh("ip -n " NS_A " link set a1 netns " NS_B));
	EXPECT_EQ(0, has_dev(self->fd, "default", "a1"));
	EXPECT_EQ(1, has_dev(self->fd, "default", "a0"));
	cfg_init(&g, "default", 0, 0);
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_GET_CONFIG, &g));
	EXPECT_EQ(1U, g.ndevs);
	EXPECT_EQ(self->a0, g.ifindex[0]);
	EXPECT_EQ(1, has_dev(self->fd, "inb", "a1"));

	/* Traffic out of a1, now in nsB, reaches "inb". */
	ASSERT_EQ(0, sh("ip -n " NS_B " addr add 10.0.5.1/24 dev a1 && "
			"ip -n " NS_B " link set a1 up && "
			"ip -n " NS_B " neigh replace 10.0.5.2 lladdr 02:00:00:00:0b:01 dev a1 nud permanent"));
	kr_drain(&r, NULL);
	before = reconciled(_metadata, self->fd, "inb");
	ASSERT_EQ(0, udp_send(NS_B, "10.0.5.2", 5000, 7000, 20, 100, 0));
	msleep(200);
	EXPECT_LE(20, kr_drain(&r, NULL)) TH_LOG("%s", r.err);
	EXPECT_LE(before + 20, reconciled(_metadata, self->fd, "inb"));
	EXPECT_LE(0, reconciled(_metadata, self->fd, "default"));
	kr_unmap(&r);
}

/*
 * A namespace with sessions in it is destroyed: they end (EPOLLHUP,
 * KCAP_RING_ENDED), and nothing is left of them (kmemleak judges).
 */
/*
 * The processes that hold the network namespace with inode ino, as a
 * member or through an open descriptor, listed into buf: what keeps a
 * deleted namespace alive, if anything in userspace does.
 */
static void netns_holders(ino_t ino, char *buf, size_t len)
{
	char path[600], link[64], want[32], comm[32];
	struct dirent *p, *f;
	size_t n = 0;
	DIR *proc, *fds;
	FILE *c;

	snprintf(want, sizeof(want), "net:[%lu]", (unsigned long)ino);
	buf[0] = 0;
	proc = opendir("/proc");
	while (proc && (p = readdir(proc)) && n + 64 < len) {
		bool held = false;
		ssize_t l;

		if (p->d_name[0] < '1' || p->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", p->d_name);
		l = readlink(path, link, sizeof(link) - 1);
		held = l > 0 && (link[l] = 0, !strcmp(link, want));
		snprintf(path, sizeof(path), "/proc/%s/fd", p->d_name);
		fds = opendir(path);
		while (!held && fds && (f = readdir(fds))) {
			snprintf(path, sizeof(path), "/proc/%s/fd/%s",
				 p->d_name, f->d_name);
			l = readlink(path, link, sizeof(link) - 1);
			held = l > 0 && (link[l] = 0, !strcmp(link, want));
		}
		if (fds)
			closedir(fds);
		if (!held)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", p->d_name);
		comm[0] = 0;
		c = fopen(path, "r");
		if (c) {
			if (fgets(comm, sizeof(comm), c))
				comm[strcspn(comm, "\n")] = 0;
			fclose(c);
		}
		n += snprintf(buf + n, len - n, " %s (%s)", p->d_name, comm);
	}
	if (proc)
		closedir(proc);
	if (!buf[0])
		snprintf(buf, len, " none in userspace");
}

TEST_F_TIMEOUT(flt, netns_destroyed, 180)
{
	struct pollfd pfd = { .events = POLLIN };
	long t0, waited, polls = 0, busy = 0, n, drained = 0;
	struct kcap_session_req q;
	char holders[512] = "";
	struct kcap_stats st;
	struct stat nsst;
	struct kr r;
	bool alive;
	pid_t fl;

	ASSERT_EQ(0, sh("ip netns add kcapC && ip -n kcapC link set lo up && "
			"ip -n kcapC link add c0 type veth peer c1 && "
			"ip -n kcapC link set c0 up && ip -n kcapC link set c1 up && "
			"ip -n kcapC addr add 10.0.7.1/24 dev c0"));
	ASSERT_EQ(0, sess_add(self->fd, "c"));
	ASSERT_EQ(0, config_any_in(self->fd, "kcapC", "c"));
	ASSERT_EQ(0, kr_attach(&r, self->fd, "c", 0));
	fl = udp_sender("kcapC", "10.0.7.2", 5000, 7000, 1L << 30, 100, 100);
	msleep(1000);
	flood_stop(fl);
	ASSERT_EQ(0, get_stats(self->fd, "c", &st, NULL, 0));
	EXPECT_LE(3U, st.count);

	ASSERT_LE(0, kr_drain(&r, NULL)) TH_LOG("%s", r.err);
	/*
	 * An id for kcapC in our namespace: the kernel drops it when it
	 * starts to dismantle kcapC, so while "ip netns list-id" shows it,
	 * something still holds the namespace.
	 */
	ASSERT_EQ(0, stat("/run/netns/kcapC", &nsst));
	ASSERT_EQ(0, sh("ip netns set kcapC 77"));
	ASSERT_EQ(0, sh("ip netns del kcapC"));
	/*
	 * The namespace is dismantled by a worker, later: wait for it, by
	 * the clock, however often poll() returns early.
	 */
	pfd.fd = self->fd;
	t0 = mono_ms();
	while (!(pfd.revents & POLLHUP) && mono_ms() - t0 < 60000) {
		ASSERT_LE(0, poll(&pfd, 1, 500));
		polls++;
		n = kr_drain(&r, NULL);
		ASSERT_LE(0, n) TH_LOG("%s", r.err);
		drained += n;
		busy += (pfd.revents & POLLIN) && !n;
	}
	waited = mono_ms() - t0;
	alive = !sh("ip netns list-id | grep -q 'nsid 77 '");
	if (alive)
		netns_holders(nsst.st_ino, holders, sizeof(holders));
	EXPECT_EQ(0, sess_info(self->fd, "c", &q));
	ASSERT_EQ(0, get_stats(self->fd, "c", &st, NULL, 0));
	TH_LOG("waited %ld ms, %ld polls (%ld readable with nothing to read), %ld records: POLLHUP %s, kcapC %s%s, session state %u, %u devices attached",
	       waited, polls, busy, drained,
	       pfd.revents & POLLHUP ? "seen" : "not seen",
	       alive ? "still referenced, held by" : "dismantled or going",
	       holders, q.state, st.count);
	EXPECT_TRUE(pfd.revents & POLLHUP);
	EXPECT_EQ(KCAP_RING_ENDED, kr_prod_flags(&r));
	EXPECT_EQ(KCAP_SESSION_ENDED, q.state);
	EXPECT_EQ(0U, st.count);
	EXPECT_LE(0, kr_drain(&r, NULL)) TH_LOG("%s", r.err);
	EXPECT_LT(0, reconciled(_metadata, self->fd, "c"));
	kr_unmap(&r);
}

/* rmmod is refused while a file or a mapping holds the module. */
TEST_F_TIMEOUT(flt, rmmod_while_open, 120)
{
	struct kcap_config c;
	struct kr r;
	int ret;

	cfg_init(&c, "default", KCAP_CAPTURE_BIDIRECTIONAL, RING_SMALL);
	cfg_dev(&c, self->a0);
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	ASSERT_EQ(0, kr_attach(&r, self->fd, "default", 0));
	ret = kcap_mod_unload();
	EXPECT_TRUE(ret == -EAGAIN || ret == -EBUSY) TH_LOG("%d", ret);
	/* The mappings hold the file, and the file the module. */
	close(self->fd);
	ret = kcap_mod_unload();
	EXPECT_TRUE(ret == -EAGAIN || ret == -EBUSY) TH_LOG("%d", ret);
	ASSERT_EQ(0, udp_send(NS_A, "10.0.0.2", 5000, 7000, 50, 100, 0));
	EXPECT_LE(50, kr_drain(&r, NULL));
	kr_unmap(&r);
	/* Configured, capturing, with a ring: unloads all the same. */
	EXPECT_EQ(0, kcap_mod_unload());
	EXPECT_EQ(0, kcap_mod_load());
	self->fd = kcap_dev_open();
}

/*
 * The ring cannot be resized while mapped (-EBUSY); everything else of a
 * configuration can change under a flood, and the records stay valid.
 */
TEST_F_TIMEOUT(flt, reconfigure_while_mapped_and_flooding, 240)
{
	static const __u32 caps[] = {
		KCAP_CAPTURE_INGRESS, KCAP_CAPTURE_EGRESS,
		KCAP_CAPTURE_BIDIRECTIONAL, KCAP_CAPTURE_OFF,
	};
	struct sock_filter prog[] = {
		BPF_STMT(BPF_RET | BPF_K, 64),
	};
	struct kcap_config c;
	long total = 0, n;
	struct kr r;
	pid_t fl;
	int i;

	cfg_init(&c, "default", KCAP_CAPTURE_BIDIRECTIONAL, RING_SMALL);
	cfg_dev(&c, self->a0);
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	ASSERT_EQ(0, kr_attach(&r, self->fd, "default", 0));
	fl = flood_a("10.0.0.2");
	for (i = 0; i < 60; i++) {
		cfg_init(&c, "default", caps[i % 4], RING_SMALL << (i % 3));
		cfg_dev(&c, self->a0);
		if (i % 2)
			cfg_dev(&c, self->a1);
		if (i % 5 == 0) {
			c.bpf_len = 1;
			c.bpf_insns = (uintptr_t)prog;
		}
		if (i % 3) {
			EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
			EXPECT_EQ(EBUSY, errno);
		} else {
			EXPECT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
		}
		n = kr_drain(&r, NULL);
		ASSERT_LE(0, n) TH_LOG("%s", r.err);
		total += n;
	}
	flood_stop(fl);
	n = kr_drain(&r, NULL);
	ASSERT_LE(0, n) TH_LOG("%s", r.err);
	total += n;
	EXPECT_LT(0, reconciled(_metadata, self->fd, "default"));
	kr_unmap(&r);

	/* Without a reader the ring resizes, and the next one gets it. */
	close(self->fd);
	self->fd = kcap_dev_open();
	cfg_init(&c, "default", KCAP_CAPTURE_BIDIRECTIONAL, 2 * RING_SMALL);
	cfg_dev(&c, self->a0);
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	ASSERT_EQ(0, kr_attach(&r, self->fd, "default", KCAP_ATTACH_KEEP));
	EXPECT_EQ(2 * RING_SMALL, r.size);
	TH_LOG("%ld records read during 60 reconfigurations", total);
	kr_unmap(&r);
}

/*
 * What readers have read, across readers that die: a reader records
 * where it is about to release to, and the total it will then have,
 * before it releases; whoever comes next finds out whether it did.
 */
struct progress {
	uint64_t total;
	uint64_t pend_total;
	uint32_t pend_cons;
	uint32_t pad;
};

/* Drains like kr_drain(), recording progress; -1 on a bad record. */
static long drain_logged(struct kr *r, volatile struct progress *p)
{
	uint32_t cons, prod, mask = r->size - 1;
	long n = 0;

	cons = __atomic_load_n(&r->cons->consumer_pos, __ATOMIC_RELAXED);
	prod = __atomic_load_n(&r->prod->producer_pos, __ATOMIC_ACQUIRE);
	while (cons != prod) {
		const struct kcap_pkthdr *h = (const void *)(r->data + (cons & mask));
		uint32_t rlen = __atomic_load_n(&h->rec_len, __ATOMIC_ACQUIRE);
		uint32_t len = rlen & KCAP_REC_LEN_MASK;

		if (rlen & KCAP_REC_BUSY)
			break;
		if (!len || len % KCAP_RECORD_ALIGN ||
		    (cons & mask) + len > r->size || prod - cons < len)
			return -1;
		if (!(rlen & KCAP_REC_PAD)) {
			if (h->hdr_len != sizeof(*h) ||
			    h->hdr_len + h->cap_len > len ||
			    h->cap_len > h->wire_len)
				return -1;
			n++;
		}
		cons += len;
	}
	p->pend_cons = cons;
	p->pend_total = p->total + n;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&r->cons->consumer_pos, cons, __ATOMIC_RELEASE);
	p->total = p->pend_total;
	return n;
}

/* The dead reader's release happened if the ring says so. */
static void progress_recover(struct kr *r, volatile struct progress *p)
{
	if (__atomic_load_n(&r->cons->consumer_pos, __ATOMIC_ACQUIRE) ==
	    p->pend_cons)
		p->total = p->pend_total;
}

/*
 * A reader is SIGKILLed while it drains under a flood; the next one
 * attaches with KCAP_ATTACH_KEEP and goes on from a consistent ring:
 * every record valid, and every packet captured read exactly once.
 */
TEST_F_TIMEOUT(flt, reader_killed_mid_batch, 240)
{
	volatile struct progress *p;
	struct kcap_config c;
	struct kcap_stats st;
	int i, status;
	struct kr r;
	pid_t fl, pid;
	long n;

	p = mmap(NULL, sizeof(*p), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	memset((void *)p, 0, sizeof(*p));
	cfg_init(&c, "default", KCAP_CAPTURE_BIDIRECTIONAL, RING_SMALL);
	cfg_dev(&c, self->a0);
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	close(self->fd);
	fl = flood_a("10.0.0.2");
	srand(getpid());
	for (i = 0; i < 8; i++) {
		fflush(NULL);
		pid = fork();
		if (pid == 0) {
			int fd = kcap_dev_open();

			if (kr_attach(&r, fd, "default", KCAP_ATTACH_KEEP))
				_exit(10);
			progress_recover(&r, p);
			for (;;) {
				struct pollfd pfd = { .fd = fd, .events = POLLIN };

				poll(&pfd, 1, 10);
				if (drain_logged(&r, p) < 0)
					_exit(11);
			}
		}
		msleep(200 + rand() % 800);
		kill(pid, SIGKILL);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFSIGNALED(status)) TH_LOG("reader %d exited %d",
						       i, WEXITSTATUS(status));
	}
	flood_stop(fl);
	self->fd = kcap_dev_open();
	ASSERT_EQ(0, kr_attach(&r, self->fd, "default", KCAP_ATTACH_KEEP));
	progress_recover(&r, p);
	n = drain_logged(&r, p);
	ASSERT_LE(0, n);
	ASSERT_EQ(0, get_stats(self->fd, "default", &st, NULL, 0));
	EXPECT_LT(0, reconciled(_metadata, self->fd, "default"));
	TH_LOG("%llu records read by 9 readers, %llu captured",
	       (unsigned long long)p->total,
	       (unsigned long long)(st.total[0].captured + st.total[1].captured));
	EXPECT_EQ(st.total[0].captured + st.total[1].captured, p->total);
	kr_unmap(&r);
}

/*
 * failslab. The Nth slab allocation of this thread fails through
 * /proc/self/task/TID/fail-nth (the kernel's exact "fail the Nth call"
 * knob; it reads back 0 once the fault was injected), with failslab set
 * so that nothing else fails: probability 0, task-filter Y,
 * ignore-gfp-wait N (GFP_KERNEL allocations are eligible), verbose 0.
 * N goes 1, 2, ... until the call succeeds without a fault injected.
 *
 * A failure injected inside vmalloc() is reported with warn_alloc()'s
 * stack dump (kcap_ring_alloc() uses vmalloc_user(), which takes no
 * __GFP_NOWARN). The VM runner counts a stack dump as a splat, so from a
 * call's first vmalloc() allocation on, the sweep tells the kernel log
 * (kmsg_mark()) that such dumps are expected; the runner then forgives
 * "Call Trace:" there, and nothing else.
 */
#define FAILSLAB "/sys/kernel/debug/failslab"

static int put(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok ? 0 : -1;
}

/* A line in the kernel's log; see tests/vm/run.sh, expected_dumps. */
static void kmsg_mark(const char *line)
{
	put("/dev/kmsg", line);
}

static int fail_nth_fd(void)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%ld/fail-nth",
		 (long)syscall(SYS_gettid));
	return open(path, O_RDWR | O_CLOEXEC);
}

static int failslab_setup(void)
{
	if (access(FAILSLAB, F_OK))
		sh("mount -t debugfs none /sys/kernel/debug");
	if (access(FAILSLAB, F_OK))
		return -1;
	return put(FAILSLAB "/probability", "0") ||
	       put(FAILSLAB "/interval", "1") ||
	       put(FAILSLAB "/times", "-1") ||
	       put(FAILSLAB "/space", "0") ||
	       put(FAILSLAB "/verbose", "0") ||
	       put(FAILSLAB "/task-filter", "Y") ||
	       put(FAILSLAB "/ignore-gfp-wait", "N") ||
	       put(FAILSLAB "/cache-filter", "N") ||
	       put("/proc/self/make-it-fail", "1");
}

static void failslab_restore(void)
{
	put(FAILSLAB "/ignore-gfp-wait", "Y");
	put(FAILSLAB "/task-filter", "N");
	put("/proc/self/make-it-fail", "0");
}

/*
 * Arms the Nth allocation, runs fn, disarms; 1 if the fault was
 * injected, 0 if fn made fewer than n allocations. *ret, *err: fn's.
 */
static int with_nth(int nfd, int n, long (*fn)(void *), void *arg,
		    long *ret, int *err)
{
	char buf[16];
	int len;

	len = snprintf(buf, sizeof(buf), "%d", n);
	if (pwrite(nfd, buf, len, 0) != len)
		return -1;
	*ret = fn(arg);
	*err = errno;
	len = pread(nfd, buf, sizeof(buf) - 1, 0);
	buf[len > 0 ? len : 0] = 0;
	pwrite(nfd, "0", 1, 0);
	return atoi(buf) == 0;
}

struct fcall {
	int fd;
	const char *what;
	unsigned long cmd;
	void *arg;
	/* undoes a success, checks a failure left nothing: 0 if so */
	int (*after)(struct fcall *c, int ok);
	int vmalloc_at;		/* first allocation that is vmalloc's, or 0 */
};

static long fcall_run(void *p)
{
	struct fcall *c = p;

	return ioctl(c->fd, c->cmd, c->arg);
}

static int after_add(struct fcall *c, int ok)
{
	struct kcap_session_req q;
	int there = !sess_info(c->fd, "fs", &q);

	if (there != ok)
		return -1;
	if (ok) {
		name_set(q.name, "fs");
		q.reader_pid = 0;
		memset(q.reader_comm, 0, sizeof(q.reader_comm));
		q.ring_size = q.state = 0;
		return ioctl(c->fd, KCAP_IOC_SESSION_DEL, &q);
	}
	return 0;
}

/* The old configuration (capture off) stays whole after a failure. */
static int after_set(struct fcall *c, int ok)
{
	struct kcap_config g, off;

	cfg_init(&g, "default", 0, 0);
	if (ioctl(c->fd, KCAP_IOC_GET_CONFIG, &g))
		return -1;
	if (!ok && (g.capture != KCAP_CAPTURE_OFF || g.ndevs || g.bpf_len))
		return -1;
	cfg_init(&off, "default", KCAP_CAPTURE_OFF, RING_SMALL);
	return ioctl(c->fd, KCAP_IOC_SET_CONFIG, &off);
}

/* A failed attach leaves the file no reader; a new file attaches. */
static int after_attach(struct fcall *c, int ok)
{
	struct kcap_session_req q;
	void *m;

	m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, c->fd, 0);
	if ((m != MAP_FAILED) != ok)
		return -1;
	if (m != MAP_FAILED)
		munmap(m, 4096);
	close(c->fd);
	c->fd = kcap_dev_open();
	if (c->fd < 0 || sess_info(c->fd, "default", &q) || q.reader_pid)
		return -1;
	return 0;
}

static int after_none(struct fcall *c, int ok)
{
	return 0;
}

TEST_F_TIMEOUT(flt, failslab_session_and_ring_setup, 400)
{
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
	};
	struct kcap_session_req add;
	struct kcap_config any, devs, bpf;
	struct kcap_attach att;
	struct kcap_stats st;
	__u8 names[KCAP_MAX_SESSIONS][KCAP_NAME_LEN];
	struct kcap_session_list sl = { .names = (uintptr_t)names,
					.cap = KCAP_MAX_SESSIONS };
	struct kcap_config getc;
	struct fcall calls[] = {
		{ self->fd, "SESSION_ADD", KCAP_IOC_SESSION_ADD, &add, after_add, 0 },
		{ self->fd, "SET_CONFIG devs", KCAP_IOC_SET_CONFIG, &devs, after_set, 0 },
		{ self->fd, "SET_CONFIG any", KCAP_IOC_SET_CONFIG, &any, after_set, 0 },
		{ self->fd, "SET_CONFIG bpf", KCAP_IOC_SET_CONFIG, &bpf, after_set, 3 },
		{ self->fd, "ATTACH", KCAP_IOC_ATTACH, &att, after_attach, 2 },
		{ self->fd, "STATS", KCAP_IOC_STATS, &st, after_none, 0 },
		{ self->fd, "SESSION_LIST", KCAP_IOC_SESSION_LIST, &sl, after_none, 0 },
		{ self->fd, "GET_CONFIG", KCAP_IOC_GET_CONFIG, &getc, after_none, 0 },
	};
	long ret, faults = 0;
	int nfd, n, inj, err;
	size_t i;

	if (failslab_setup())
		SKIP(return, "no " FAILSLAB " (needs CONFIG_FAILSLAB and debugfs)");
	nfd = fail_nth_fd();
	ASSERT_LE(0, nfd);
	if (access("/sys/kernel/debug/fail_page_alloc", F_OK))
		TH_LOG("no fail_page_alloc: ring pages (vmalloc) are not failed");

	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		struct fcall *c = &calls[i];

		c->fd = self->fd;
		for (n = 1; n < 400; n++) {
			memset(&add, 0, sizeof(add));
			name_set(add.name, "fs");
			cfg_init(&devs, "default", KCAP_CAPTURE_BIDIRECTIONAL, RING_SMALL);
			cfg_dev(&devs, self->a0);
			cfg_dev(&devs, self->a1);
			cfg_init(&any, "default", KCAP_CAPTURE_INGRESS, RING_SMALL);
			any.flags = KCAP_CFG_ANY_DEV;
			cfg_init(&bpf, "default", KCAP_CAPTURE_EGRESS, RING_SMALL);
			cfg_dev(&bpf, self->a0);
			bpf.bpf_len = 2;
			bpf.bpf_insns = (uintptr_t)prog;
			memset(&att, 0, sizeof(att));
			name_set(att.name, "default");
			memset(&st, 0, sizeof(st));
			name_set(st.name, "default");
			cfg_init(&getc, "default", 0, 0);

			if (c->vmalloc_at && n >= c->vmalloc_at)
				kmsg_mark("<3>kcap-test: allocation failure dumps expected");
			inj = with_nth(nfd, n, fcall_run, c, &ret, &err);
			if (c->vmalloc_at && n >= c->vmalloc_at)
				kmsg_mark("<3>kcap-test: allocation failure dumps end");
			ASSERT_LE(0, inj);
			faults += inj;
			if (ret)
				EXPECT_EQ(ENOMEM, err) TH_LOG("%s, allocation %d: %s",
							     c->what, n, strerror(err));
			EXPECT_EQ(0, c->after(c, !ret)) TH_LOG("%s, allocation %d: left behind",
							      c->what, n);
			if (!inj) {
				EXPECT_EQ(0, ret);
				break;
			}
		}
		TH_LOG("%s: %d allocations swept", c->what, n - 1);
		self->fd = c->fd;
	}
	failslab_restore();
	close(nfd);
	EXPECT_LE(0, reconciled(_metadata, self->fd, "default"));
	TH_LOG("%ld faults injected", faults);
}

TEST_HARNESS_MAIN
