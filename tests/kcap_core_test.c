// SPDX-License-Identifier: GPL-2.0
/*
 * The capture core's control plane: sessions, configuration, attach and
 * mmap, statistics requests, permissions and unloading. Every bad input
 * gets its exact errno. Each test starts from a freshly loaded module.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <linux/filter.h>
#include <linux/kcap.h>

#include "kselftest_harness.h"
#include "kcap_mod.h"
#include "kcap_ringread.h"

#define RING_MIN KCAP_RING_MIN

static void cfg_init(struct kcap_config *c, const char *name)
{
	memset(c, 0, sizeof(*c));
	snprintf((char *)c->name, sizeof(c->name), "%s", name);
}

static void req_init(struct kcap_session_req *r, const char *name)
{
	memset(r, 0, sizeof(*r));
	snprintf((char *)r->name, sizeof(r->name), "%s", name);
}

static int sess_add(int fd, const char *name)
{
	struct kcap_session_req r;

	req_init(&r, name);
	return ioctl(fd, KCAP_IOC_SESSION_ADD, &r);
}

static int sess_del(int fd, const char *name)
{
	struct kcap_session_req r;

	req_init(&r, name);
	return ioctl(fd, KCAP_IOC_SESSION_DEL, &r);
}

static int sess_info(int fd, const char *name, struct kcap_session_req *r)
{
	req_init(r, name);
	return ioctl(fd, KCAP_IOC_SESSION_INFO, r);
}

static int lo_ifindex(void)
{
	return if_nametoindex("lo");
}

/* A configuration capturing on lo into a minimal ring. */
static void cfg_lo(struct kcap_config *c, const char *name)
{
	cfg_init(c, name);
	c->capture = KCAP_CAPTURE_BIDIRECTIONAL;
	c->ring_size = RING_MIN;
	c->ndevs = 1;
	c->ifindex[0] = lo_ifindex();
}

/* Runs fn(fd) in a child; its exit status, or -1. */
static int in_child(int (*fn)(int), int fd)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0)
		_exit(fn(fd));
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

FIXTURE(core) {
	int fd;
};

FIXTURE_SETUP(core)
{
	ASSERT_EQ(0, kcap_mod_reload());
	self->fd = kcap_dev_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(core)
{
	close(self->fd);
}

TEST_F(core, session_names)
{
	static const char * const good[] = {
		"a", "A-z_0.9", "0123456789012345678901234567890",
	};
	static const char * const bad[] = {
		"", "a b", "a/b", "x\n", "caf\xc3\xa9", "a:b", "*",
	};
	struct kcap_session_req r;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		EXPECT_EQ(0, sess_add(self->fd, good[i])) TH_LOG("good %zu", i);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-1, sess_add(self->fd, bad[i])) TH_LOG("bad %zu", i);
		EXPECT_EQ(EINVAL, errno);
	}
	/* 32 characters: no NUL within the field. */
	memset(&r, 0, sizeof(r));
	memset(r.name, 'a', sizeof(r.name));
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_SESSION_ADD, &r));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_SESSION_INFO, &r));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_SESSION_DEL, &r));
	EXPECT_EQ(EINVAL, errno);
	/* Bytes after the NUL are not looked at. */
	req_init(&r, "b");
	r.name[5] = 'x';
	EXPECT_EQ(0, ioctl(self->fd, KCAP_IOC_SESSION_ADD, &r));
	EXPECT_EQ(0, sess_info(self->fd, "b", &r));
}

TEST_F(core, session_add_del_limits)
{
	struct kcap_session_req r;
	char name[16];
	int i;

	EXPECT_EQ(0, sess_info(self->fd, "default", &r));
	EXPECT_EQ(0, r.reader_pid);
	EXPECT_EQ(0U, r.ring_size);
	EXPECT_EQ(0U, r.state);

	for (i = 1; i < KCAP_MAX_SESSIONS; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		ASSERT_EQ(0, sess_add(self->fd, name)) TH_LOG("%s", name);
	}
	EXPECT_EQ(-1, sess_add(self->fd, "one-too-many"));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(-1, sess_add(self->fd, "s1"));
	EXPECT_EQ(EEXIST, errno);
	EXPECT_EQ(-1, sess_add(self->fd, "default"));
	EXPECT_EQ(EEXIST, errno);

	EXPECT_EQ(-1, sess_del(self->fd, "default"));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, sess_del(self->fd, "nosuch"));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, sess_info(self->fd, "nosuch", &r));
	EXPECT_EQ(ENOENT, errno);

	EXPECT_EQ(0, sess_del(self->fd, "s3"));
	EXPECT_EQ(-1, sess_del(self->fd, "s3"));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(0, sess_add(self->fd, "again"));
	EXPECT_EQ(-1, sess_add(self->fd, "s3"));
	EXPECT_EQ(ENOSPC, errno);
}

TEST_F(core, session_req_checks)
{
	static const unsigned long cmds[] = {
		KCAP_IOC_SESSION_ADD, KCAP_IOC_SESSION_DEL,
		KCAP_IOC_SESSION_INFO,
	};
	struct kcap_session_req r;
	size_t i, j;

	for (i = 0; i < 3; i++) {
		for (j = 0; j < 4; j++) {
			req_init(&r, "default");
			r.resv[j] = 1;
			EXPECT_EQ(-1, ioctl(self->fd, cmds[i], &r));
			EXPECT_EQ(EINVAL, errno);
		}
		req_init(&r, "default");
		r.flags = 1U << 31;
		EXPECT_EQ(-1, ioctl(self->fd, cmds[i], &r));
		EXPECT_EQ(EOPNOTSUPP, errno);
		/* Only ADD takes a flag. */
		if (cmds[i] != KCAP_IOC_SESSION_ADD) {
			req_init(&r, "default");
			r.flags = KCAP_SESSION_F_PRIVATE;
			EXPECT_EQ(-1, ioctl(self->fd, cmds[i], &r));
			EXPECT_EQ(EINVAL, errno);
		}
		EXPECT_EQ(-1, ioctl(self->fd, cmds[i], (void *)8));
		EXPECT_EQ(EFAULT, errno);
	}
	/* INFO's output fields are not input. */
	req_init(&r, "default");
	r.reader_pid = 77;
	r.state = 9;
	r.ring_size = 5;
	EXPECT_EQ(0, ioctl(self->fd, KCAP_IOC_SESSION_INFO, &r));
	EXPECT_EQ(0, r.reader_pid);
	EXPECT_EQ(0U, r.state);
	EXPECT_EQ(0U, r.ring_size);
}

static int sess_add_private(int fd, const char *name)
{
	struct kcap_session_req r;

	req_init(&r, name);
	r.flags = KCAP_SESSION_F_PRIVATE;
	return ioctl(fd, KCAP_IOC_SESSION_ADD, &r);
}

/* In a child: adds a private session, says so on the pipe, then waits. */
static int own_private(int wfd)
{
	int fd = kcap_dev_open();

	if (fd < 0 || sess_add_private(fd, "mine"))
		return 1;
	if (write(wfd, "y", 1) != 1)
		return 1;
	pause();
	return 0;
}

TEST_F(core, session_private)
{
	struct kcap_session_req r;
	struct kcap_config c;
	struct kcap_attach a;
	int other, pipefd[2], st;
	char ch;
	pid_t pid;

	ASSERT_EQ(0, sess_add_private(self->fd, "mine"));
	ASSERT_EQ(0, sess_info(self->fd, "mine", &r));
	EXPECT_EQ(KCAP_SESSION_PRIVATE, r.state & KCAP_SESSION_PRIVATE);
	ASSERT_EQ(0, sess_info(self->fd, "default", &r));
	EXPECT_EQ(0U, r.state & KCAP_SESSION_PRIVATE);

	/* Another file sees it, and may not change, read or delete it. */
	other = kcap_dev_open();
	ASSERT_LE(0, other);
	ASSERT_EQ(0, sess_info(other, "mine", &r));
	cfg_lo(&c, "mine");
	EXPECT_EQ(-1, ioctl(other, KCAP_IOC_SET_CONFIG, &c));
	EXPECT_EQ(EPERM, errno);
	memset(&a, 0, sizeof(a));
	strcpy((char *)a.name, "mine");
	EXPECT_EQ(-1, ioctl(other, KCAP_IOC_ATTACH, &a));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, sess_del(other, "mine"));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, sess_add(other, "mine"));
	EXPECT_EQ(EEXIST, errno);

	/* Its owner configures and reads it; closing the owner ends it. */
	EXPECT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	EXPECT_EQ(0, ioctl(self->fd, KCAP_IOC_ATTACH, &a));
	close(self->fd);
	self->fd = other;
	EXPECT_EQ(-1, sess_info(other, "mine", &r));
	EXPECT_EQ(ENOENT, errno);

	/* The owner deletes it like any session. */
	ASSERT_EQ(0, sess_add_private(other, "mine"));
	EXPECT_EQ(0, sess_del(other, "mine"));
	EXPECT_EQ(-1, sess_info(other, "mine", &r));
	EXPECT_EQ(ENOENT, errno);

	/* kill -9 leaves nothing either. */
	ASSERT_EQ(0, pipe(pipefd));
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		_exit(own_private(pipefd[1]));
	ASSERT_LT(0, pid);
	ASSERT_EQ(1, read(pipefd[0], &ch, 1));
	EXPECT_EQ(0, sess_info(other, "mine", &r));
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_EQ(-1, sess_info(other, "mine", &r));
	EXPECT_EQ(ENOENT, errno);
	close(pipefd[0]);
	close(pipefd[1]);
}

TEST_F(core, session_list)
{
	struct kcap_session_list sl;
	__u8 names[4][KCAP_NAME_LEN];

	memset(&sl, 0, sizeof(sl));
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SESSION_LIST, &sl));
	EXPECT_EQ(1U, sl.count);

	ASSERT_EQ(0, sess_add(self->fd, "alpha"));
	ASSERT_EQ(0, sess_add(self->fd, "beta"));
	memset(names, 0xee, sizeof(names));
	memset(&sl, 0, sizeof(sl));
	sl.names = (uintptr_t)names;
	sl.cap = 2;
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SESSION_LIST, &sl));
	EXPECT_EQ(3U, sl.count);
	EXPECT_STREQ("default", (char *)names[0]);
	EXPECT_STREQ("alpha", (char *)names[1]);
	EXPECT_EQ(0xee, names[2][0]);
	/* Names are padded with zeros, not left with our 0xee. */
	EXPECT_EQ(0, names[1][KCAP_NAME_LEN - 1]);

	sl.cap = 4;
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SESSION_LIST, &sl));
	EXPECT_STREQ("beta", (char *)names[2]);
	EXPECT_EQ(0xee, names[3][0]);

	memset(&sl, 0, sizeof(sl));
	sl.cap = 1;
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_SESSION_LIST, &sl));
	EXPECT_EQ(EINVAL, errno);
	memset(&sl, 0, sizeof(sl));
	sl.resv[2] = 1;
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_SESSION_LIST, &sl));
	EXPECT_EQ(EINVAL, errno);
	memset(&sl, 0, sizeof(sl));
	sl.flags = 4;
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_SESSION_LIST, &sl));
	EXPECT_EQ(EOPNOTSUPP, errno);
	memset(&sl, 0, sizeof(sl));
	sl.cap = 1;
	sl.names = 8;
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_SESSION_LIST, &sl));
	EXPECT_EQ(EFAULT, errno);
}

/* One way to break a valid configuration, and what it must give. */
struct cfg_case {
	const char *what;
	void (*mutate)(struct kcap_config *c);
	int err;
};

static void m_resv(struct kcap_config *c) { c->resv[7] = 1; }
static void m_pad(struct kcap_config *c) { c->pad[1] = 1; }
static void m_pad2(struct kcap_config *c) { c->pad2 = 1; }
static void m_flags(struct kcap_config *c) { c->flags = 1U << 2; }
static void m_match(struct kcap_config *c) { c->match = 1U << 5; }
static void m_capture(struct kcap_config *c) { c->capture = 4; }
static void m_snaplen(struct kcap_config *c) { c->snaplen = KCAP_SNAPLEN_MAX + 1; }
static void m_ring3(struct kcap_config *c) { c->ring_size = 3 * RING_MIN; }
static void m_ringsmall(struct kcap_config *c) { c->ring_size = RING_MIN / 2; }
static void m_ringone(struct kcap_config *c) { c->ring_size = 1; }
static void m_ringbig(struct kcap_config *c) { c->ring_size = KCAP_RING_MAX * 2U; }
static void m_ringmax(struct kcap_config *c) { c->ring_size = 0xffffffffU; }
static void m_ndevs(struct kcap_config *c) { c->ndevs = KCAP_MAX_DEVS + 1; }
static void m_ndevs_huge(struct kcap_config *c) { c->ndevs = 0x80000000U; }
static void m_nodev(struct kcap_config *c) { c->ifindex[0] = 999999; }
static void m_negdev(struct kcap_config *c) { c->ifindex[0] = -1; }
static void m_dupdev(struct kcap_config *c) { c->ndevs = 2; c->ifindex[1] = c->ifindex[0]; }
static void m_stray(struct kcap_config *c) { c->ifindex[5] = 1; }
static void m_anyndevs(struct kcap_config *c) { c->flags = KCAP_CFG_ANY_DEV; }
static void m_nothing(struct kcap_config *c) { c->ndevs = 0; c->ifindex[0] = 0; }
static void m_bpflen(struct kcap_config *c) { c->bpf_len = KCAP_MAX_BPF_INSNS + 1; c->bpf_insns = 8; }
static void m_bpfnull(struct kcap_config *c) { c->bpf_len = 1; }
static void m_bpfnolen(struct kcap_config *c) { c->bpf_insns = 8; }
static void m_bpffault(struct kcap_config *c) { c->bpf_len = 1; c->bpf_insns = 8; }
static void m_sport(struct kcap_config *c) { c->sport = 1; }
static void m_dport(struct kcap_config *c) { c->dport = 1; }
static void m_l4(struct kcap_config *c) { c->l4proto = 17; }
static void m_srcunset(struct kcap_config *c) { c->src.addr[0] = 10; }
static void m_dstunset(struct kcap_config *c) { c->dst.family = 2; }
static void m_name(struct kcap_config *c) { c->name[0] = 0; }
static void m_nosess(struct kcap_config *c) { strcpy((char *)c->name, "nosuch"); }

static void pfx(struct kcap_prefix *p, int fam, int len, const char *a)
{
	memset(p, 0, sizeof(*p));
	p->family = fam;
	p->len = len;
	inet_pton(fam, a, p->addr);
}

static void m_v4len(struct kcap_config *c) { c->match = KCAP_MATCH_SRC; pfx(&c->src, 2, 33, "10.0.0.0"); }
static void m_v4host(struct kcap_config *c) { c->match = KCAP_MATCH_DST; pfx(&c->dst, 2, 24, "10.0.0.1"); }
static void m_v4tail(struct kcap_config *c) { c->match = KCAP_MATCH_SRC; pfx(&c->src, 2, 32, "10.0.0.1"); c->src.addr[4] = 1; }
static void m_v6len(struct kcap_config *c) { c->match = KCAP_MATCH_SRC; pfx(&c->src, 10, 129, "fd00::"); }
static void m_v6host(struct kcap_config *c) { c->match = KCAP_MATCH_DST; pfx(&c->dst, 10, 64, "fd00::1"); }
static void m_v6host2(struct kcap_config *c) { c->match = KCAP_MATCH_DST; pfx(&c->dst, 10, 63, "fd00:0:0:1::"); }
static void m_family(struct kcap_config *c) { c->match = KCAP_MATCH_SRC; pfx(&c->src, 2, 8, "10.0.0.0"); c->src.family = 3; }
static void m_pfxpad(struct kcap_config *c) { c->match = KCAP_MATCH_SRC; pfx(&c->src, 2, 8, "10.0.0.0"); c->src.pad[5] = 1; }

static const struct cfg_case cfg_cases[] = {
	{ "resv", m_resv, EINVAL },
	{ "pad", m_pad, EINVAL },
	{ "pad2", m_pad2, EINVAL },
	{ "unknown flag", m_flags, EOPNOTSUPP },
	{ "unknown match", m_match, EOPNOTSUPP },
	{ "capture mode 4", m_capture, EINVAL },
	{ "snaplen too big", m_snaplen, EINVAL },
	{ "ring 3*min", m_ring3, EINVAL },
	{ "ring min/2", m_ringsmall, EINVAL },
	{ "ring 1", m_ringone, EINVAL },
	{ "ring 2 GiB", m_ringbig, EINVAL },
	{ "ring 4 GiB - 1", m_ringmax, EINVAL },
	{ "17 devices", m_ndevs, EINVAL },
	{ "2^31 devices", m_ndevs_huge, EINVAL },
	{ "no such ifindex", m_nodev, ENODEV },
	{ "negative ifindex", m_negdev, ENODEV },
	{ "duplicate ifindex", m_dupdev, EINVAL },
	{ "ifindex past ndevs", m_stray, EINVAL },
	{ "any and a list", m_anyndevs, EINVAL },
	{ "capture without devices", m_nothing, EINVAL },
	{ "bpf too long", m_bpflen, EINVAL },
	{ "bpf len without program", m_bpfnull, EINVAL },
	{ "bpf program without len", m_bpfnolen, EINVAL },
	{ "bpf bad pointer", m_bpffault, EFAULT },
	{ "sport not asked for", m_sport, EINVAL },
	{ "dport not asked for", m_dport, EINVAL },
	{ "l4proto not asked for", m_l4, EINVAL },
	{ "src not asked for", m_srcunset, EINVAL },
	{ "dst not asked for", m_dstunset, EINVAL },
	{ "empty name", m_name, EINVAL },
	{ "no such session", m_nosess, ENOENT },
	{ "v4 /33", m_v4len, EINVAL },
	{ "v4 host bits", m_v4host, EINVAL },
	{ "v4 bytes past the address", m_v4tail, EINVAL },
	{ "v6 /129", m_v6len, EINVAL },
	{ "v6 host bits", m_v6host, EINVAL },
	{ "v6 host bit in a /63", m_v6host2, EINVAL },
	{ "family 3", m_family, EINVAL },
	{ "prefix pad", m_pfxpad, EINVAL },
};

TEST_F(core, config_rejects_bad_fields)
{
	struct kcap_config c, got;
	size_t i;

	cfg_lo(&c, "default");
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	for (i = 0; i < sizeof(cfg_cases) / sizeof(cfg_cases[0]); i++) {
		cfg_lo(&c, "default");
		c.capture = KCAP_CAPTURE_INGRESS;
		cfg_cases[i].mutate(&c);
		EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c))
			TH_LOG("%s", cfg_cases[i].what);
		EXPECT_EQ(cfg_cases[i].err, errno)
			TH_LOG("%s: %s", cfg_cases[i].what, strerror(errno));
	}
	/* None of them changed anything. */
	cfg_init(&got, "default");
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_GET_CONFIG, &got));
	EXPECT_EQ((__u32)KCAP_CAPTURE_BIDIRECTIONAL, got.capture);
	EXPECT_EQ(0U, got.match);
	EXPECT_EQ(RING_MIN, got.ring_size);
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_SET_CONFIG, (void *)8));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(core, config_accepts_edges)
{
	struct kcap_config c;

	cfg_lo(&c, "default");
	c.ring_size = 0;
	EXPECT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	c.ring_size = KCAP_RING_MAX;
	c.snaplen = KCAP_SNAPLEN_MAX;
	EXPECT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	c.match = KCAP_MATCH_ALL;
	pfx(&c.src, 2, 0, "0.0.0.0");
	pfx(&c.dst, 10, 128, "fd00::1");
	c.sport = 0;
	c.dport = 65535;
	c.l4proto = 255;
	EXPECT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	pfx(&c.src, 2, 32, "255.255.255.255");
	pfx(&c.dst, 10, 0, "::");
	EXPECT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	/* Off with a device list: kept, not captured on. */
	cfg_lo(&c, "default");
	c.capture = KCAP_CAPTURE_OFF;
	EXPECT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	cfg_init(&c, "default");
	EXPECT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	cfg_init(&c, "default");
	c.flags = KCAP_CFG_ANY_DEV | KCAP_CFG_STATS_ONLY;
	c.capture = KCAP_CAPTURE_EGRESS;
	EXPECT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
}

static struct sock_filter prog_ok[] = {
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x0800, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 0xffff),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

/* A program of KCAP_MAX_BPF_INSNS instructions. */
static int set_big_prog(int fd, struct kcap_config *c)
{
	struct sock_filter *big = calloc(KCAP_MAX_BPF_INSNS, sizeof(*big));
	int i, ret;

	if (!big)
		return -1;
	for (i = 0; i < KCAP_MAX_BPF_INSNS - 1; i++)
		big[i] = (struct sock_filter)BPF_STMT(BPF_LDX | BPF_IMM, i);
	big[i] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 64);
	c->bpf_insns = (uintptr_t)big;
	c->bpf_len = KCAP_MAX_BPF_INSNS;
	ret = ioctl(fd, KCAP_IOC_SET_CONFIG, c);
	free(big);
	return ret;
}

TEST_F(core, config_bpf)
{
	struct sock_filter bad_jump[] = {
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 5, 0),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_filter no_ret[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
	};
	struct sock_filter bad_op[] = {
		{ 0xffff, 0, 0, 0 },
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_filter bad_mem[] = {
		BPF_STMT(BPF_LD | BPF_MEM, 16),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	struct sock_filter out[8];
	struct kcap_config c, g;

	cfg_lo(&c, "default");
	c.bpf_insns = (uintptr_t)bad_jump;
	c.bpf_len = 2;
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	EXPECT_EQ(EINVAL, errno);
	c.bpf_insns = (uintptr_t)no_ret;
	c.bpf_len = 1;
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	EXPECT_EQ(EINVAL, errno);
	c.bpf_insns = (uintptr_t)bad_op;
	c.bpf_len = 2;
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	EXPECT_EQ(EINVAL, errno);
	c.bpf_insns = (uintptr_t)bad_mem;
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	EXPECT_EQ(EINVAL, errno);

	c.bpf_insns = (uintptr_t)prog_ok;
	c.bpf_len = 4;
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));

	/* No buffer: only the length. */
	cfg_init(&g, "default");
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_GET_CONFIG, &g));
	EXPECT_EQ(4U, g.bpf_len);
	/* Too small a buffer: the length, nothing copied. */
	memset(out, 0xab, sizeof(out));
	cfg_init(&g, "default");
	g.bpf_insns = (uintptr_t)out;
	g.bpf_len = 3;
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_GET_CONFIG, &g));
	EXPECT_EQ(4U, g.bpf_len);
	EXPECT_EQ(0xabab, out[0].code);
	g.bpf_len = 8;
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_GET_CONFIG, &g));
	EXPECT_EQ(4U, g.bpf_len);
	EXPECT_EQ(0, memcmp(out, prog_ok, sizeof(prog_ok)));
	EXPECT_EQ((uintptr_t)out, g.bpf_insns);
	g.bpf_insns = 8;
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_GET_CONFIG, &g));
	EXPECT_EQ(EFAULT, errno);

	/* A maximal program is accepted. */
	EXPECT_EQ(0, set_big_prog(self->fd, &c));
	/* Dropping the program. */
	c.bpf_insns = 0;
	c.bpf_len = 0;
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	cfg_init(&g, "default");
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_GET_CONFIG, &g));
	EXPECT_EQ(0U, g.bpf_len);
}

TEST_F(core, config_round_trip)
{
	struct sock_filter out[4];
	struct kcap_config c, g;

	ASSERT_EQ(0, sess_add(self->fd, "rt"));
	cfg_lo(&c, "rt");
	c.capture = KCAP_CAPTURE_EGRESS;
	c.flags = KCAP_CFG_STATS_ONLY;
	c.match = KCAP_MATCH_ALL;
	pfx(&c.src, 2, 16, "10.1.0.0");
	pfx(&c.dst, 10, 48, "2001:db8:1::");
	c.sport = 1234;
	c.dport = 80;
	c.l4proto = 6;
	c.snaplen = 96;
	c.ring_size = RING_MIN * 2;
	c.bpf_insns = (uintptr_t)prog_ok;
	c.bpf_len = 4;
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));

	cfg_init(&g, "rt");
	g.bpf_insns = (uintptr_t)out;
	g.bpf_len = 4;
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_GET_CONFIG, &g));
	c.bpf_insns = (uintptr_t)out;
	EXPECT_EQ(0, memcmp(&c, &g, sizeof(c)));
	EXPECT_EQ(0, memcmp(out, prog_ok, sizeof(prog_ok)));

	/* The default ring size reads back as what it is. */
	cfg_lo(&c, "rt");
	c.ring_size = 0;
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	cfg_init(&g, "rt");
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_GET_CONFIG, &g));
	EXPECT_EQ(KCAP_RING_DEFAULT, g.ring_size);
	/* Setting it back from what GET returned works. */
	EXPECT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &g));

	/* GET's checks. */
	cfg_init(&g, "rt");
	g.resv[0] = 1;
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_GET_CONFIG, &g));
	EXPECT_EQ(EINVAL, errno);
	cfg_init(&g, "rt");
	g.pad2 = 1;
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_GET_CONFIG, &g));
	EXPECT_EQ(EINVAL, errno);
	cfg_init(&g, "no such");
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_GET_CONFIG, &g));
	EXPECT_EQ(EINVAL, errno);
	cfg_init(&g, "nosuch");
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_GET_CONFIG, &g));
	EXPECT_EQ(ENOENT, errno);
}

TEST_F(core, attach_checks_and_layout)
{
	struct kcap_session_req r;
	struct kcap_attach a;
	struct kcap_config c;
	long pg = sysconf(_SC_PAGESIZE);
	int fd2;

	memset(&a, 0, sizeof(a));
	strcpy((char *)a.name, "default");
	a.resv[3] = 1;
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_ATTACH, &a));
	EXPECT_EQ(EINVAL, errno);
	a.resv[3] = 0;
	a.flags = 2;
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_ATTACH, &a));
	EXPECT_EQ(EOPNOTSUPP, errno);
	a.flags = 0;
	strcpy((char *)a.name, "nosuch");
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_ATTACH, &a));
	EXPECT_EQ(ENOENT, errno);
	strcpy((char *)a.name, "a b");
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_ATTACH, &a));
	EXPECT_EQ(EINVAL, errno);

	cfg_init(&c, "default");
	c.ring_size = RING_MIN * 4;
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	memset(&a, 0, sizeof(a));
	strcpy((char *)a.name, "default");
	a.data_size = 5;	/* output fields are not input */
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_ATTACH, &a));
	EXPECT_EQ(RING_MIN * 4, a.data_size);
	EXPECT_EQ(0U, a.cons_off);
	EXPECT_EQ((__u64)pg, a.prod_off);
	EXPECT_EQ((__u64)pg + RING_MIN * 4, a.prod_len);
	EXPECT_EQ((__u64)pg, a.data_off);
	ASSERT_EQ(0, sess_info(self->fd, "default", &r));
	EXPECT_EQ(RING_MIN * 4, r.ring_size);
	EXPECT_EQ(getpid(), r.reader_pid);

	/* Once per file, and one reader per session. */
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_ATTACH, &a));
	EXPECT_EQ(EBUSY, errno);
	ASSERT_EQ(0, sess_add(self->fd, "other"));
	strcpy((char *)a.name, "other");
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_ATTACH, &a));
	EXPECT_EQ(EBUSY, errno);
	fd2 = kcap_dev_open();
	ASSERT_LE(0, fd2);
	strcpy((char *)a.name, "default");
	EXPECT_EQ(-1, ioctl(fd2, KCAP_IOC_ATTACH, &a));
	EXPECT_EQ(EBUSY, errno);
	strcpy((char *)a.name, "other");
	EXPECT_EQ(0, ioctl(fd2, KCAP_IOC_ATTACH, &a));
	close(fd2);
}

/* Attaches fd to "default", names itself, and waits to be killed. */
static int hold_reader(int fd)
{
	struct kcap_attach a;

	prctl(PR_SET_NAME, "kcap-holder");
	memset(&a, 0, sizeof(a));
	strcpy((char *)a.name, "default");
	if (ioctl(fd, KCAP_IOC_ATTACH, &a))
		return 1;
	pause();
	return 0;
}

/* MemAvailable from /proc/meminfo, in bytes, or 0. */
static unsigned long long mem_available(void)
{
	unsigned long long kb = 0;
	char line[128];
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb << 10;
}

/*
 * A ring the machine cannot spare (over half the memory available) is
 * refused with ENOMEM before vmalloc tries, and fails, with a warning in
 * the log (the runner fails a run on that). Where it fits, it is made.
 */
TEST_F(core, attach_ring_larger_than_memory)
{
	unsigned long long avail = mem_available();
	struct kcap_attach a;
	struct kcap_config c;
	int ret;

	ASSERT_LT(0ULL, avail);
	cfg_init(&c, "default");
	c.ring_size = KCAP_RING_MAX;
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	memset(&a, 0, sizeof(a));
	strcpy((char *)a.name, "default");
	ret = ioctl(self->fd, KCAP_IOC_ATTACH, &a);
	TH_LOG("MemAvailable %llu MiB, ring %u MiB: %s", avail >> 20,
	       KCAP_RING_MAX >> 20, ret ? strerror(errno) : "attached");
	if (avail / 2 < KCAP_RING_MAX) {
		EXPECT_EQ(-1, ret);
		EXPECT_EQ(ENOMEM, errno);
	} else {
		EXPECT_EQ(0, ret);
		EXPECT_EQ(KCAP_RING_MAX, a.data_size);
	}
}

TEST_F(core, second_reader_busy_names_holder)
{
	struct kcap_session_req r;
	struct kcap_config c;
	struct kcap_attach a;
	int fd1, i, st;
	pid_t pid;

	cfg_init(&c, "default");
	c.ring_size = RING_MIN;
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	fd1 = kcap_dev_open();
	ASSERT_LE(0, fd1);
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		_exit(hold_reader(fd1));
	ASSERT_LT(0, pid);
	close(fd1);
	for (i = 0; i < 100; i++) {
		ASSERT_EQ(0, sess_info(self->fd, "default", &r));
		if (r.reader_pid)
			break;
		usleep(20000);
	}
	EXPECT_EQ(pid, r.reader_pid);
	EXPECT_STREQ("kcap-holder", (char *)r.reader_comm);

	memset(&a, 0, sizeof(a));
	strcpy((char *)a.name, "default");
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_ATTACH, &a));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(-1, sess_del(self->fd, "default"));
	EXPECT_EQ(EPERM, errno);

	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_EQ(0, sess_info(self->fd, "default", &r));
	EXPECT_EQ(0, r.reader_pid);
	EXPECT_EQ(0, r.reader_comm[0]);
	/* The ring stays with the session between readers. */
	EXPECT_EQ(RING_MIN, r.ring_size);
	EXPECT_EQ(0, ioctl(self->fd, KCAP_IOC_ATTACH, &a));
}

TEST_F(core, delete_and_resize_with_reader)
{
	struct kcap_session_req r;
	struct kcap_config c;
	struct kcap_attach a;
	int fd2;

	ASSERT_EQ(0, sess_add(self->fd, "s"));
	cfg_init(&c, "s");
	c.ring_size = RING_MIN;
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	fd2 = kcap_dev_open();
	ASSERT_LE(0, fd2);
	memset(&a, 0, sizeof(a));
	strcpy((char *)a.name, "s");
	ASSERT_EQ(0, ioctl(fd2, KCAP_IOC_ATTACH, &a));

	EXPECT_EQ(-1, sess_del(self->fd, "s"));
	EXPECT_EQ(EBUSY, errno);
	c.ring_size = RING_MIN * 2;
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	EXPECT_EQ(EBUSY, errno);
	/* 0 means the default size, which differs too. */
	c.ring_size = 0;
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	EXPECT_EQ(EBUSY, errno);
	/* The same size is no change. */
	c.ring_size = RING_MIN;
	c.snaplen = 64;
	EXPECT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));

	close(fd2);
	c.ring_size = RING_MIN * 2;
	EXPECT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	ASSERT_EQ(0, sess_info(self->fd, "s", &r));
	EXPECT_EQ(0U, r.ring_size);
	fd2 = kcap_dev_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, ioctl(fd2, KCAP_IOC_ATTACH, &a));
	EXPECT_EQ(RING_MIN * 2, a.data_size);
	close(fd2);
	EXPECT_EQ(0, sess_del(self->fd, "s"));
}

TEST_F(core, mmap_checks)
{
	long pg = sysconf(_SC_PAGESIZE);
	struct kcap_config c;
	struct pollfd pfd;
	struct kr r;
	void *p;

	/* Not attached: nothing to map, and poll says so. */
	p = mmap(NULL, pg, PROT_READ, MAP_SHARED, self->fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(ENXIO, errno);
	pfd.fd = self->fd;
	pfd.events = POLLIN;
	EXPECT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_TRUE(pfd.revents & POLLERR);

	cfg_init(&c, "default");
	c.ring_size = RING_MIN;
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	ASSERT_EQ(0, kr_attach(&r, self->fd, "default", 0));

	/* Wrong offsets and lengths. */
	p = mmap(NULL, pg, PROT_READ, MAP_SHARED, self->fd, 2 * pg);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	p = mmap(NULL, 2 * pg, PROT_READ, MAP_SHARED, self->fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	p = mmap(NULL, pg, PROT_READ, MAP_SHARED, self->fd, pg);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	p = mmap(NULL, r.att.prod_len + pg, PROT_READ, MAP_SHARED, self->fd,
		 pg);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	p = mmap(NULL, pg, PROT_READ, MAP_SHARED, self->fd, 1UL << 40);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	/* The producer side never becomes writable. */
	p = mmap(NULL, r.att.prod_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		 self->fd, r.att.prod_off);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, mprotect(r.prod_map, pg, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	/* A private copy of the ring would never change. */
	p = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, self->fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);

	/* The consumer page is ours to write; the ring is empty. */
	r.cons->consumer_pos = 0;
	EXPECT_EQ(0U, r.prod->producer_pos);
	EXPECT_EQ(0U, r.prod->flags);
	pfd.revents = 0;
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	/* A second mapping of the same regions is fine. */
	p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	EXPECT_NE(MAP_FAILED, p);
	munmap(p, pg);
	kr_unmap(&r);
}

TEST_F(core, stats_checks)
{
	struct kcap_dev_stats devs[2];
	struct kcap_stats st;
	struct kcap_config c;
	int i;

	memset(&st, 0, sizeof(st));
	strcpy((char *)st.name, "default");
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_STATS, &st));
	EXPECT_EQ(0U, st.count);
	EXPECT_NE(0ULL, st.tstamp_ns);
	for (i = 0; i < 2; i++)
		EXPECT_EQ(0ULL, st.total[i].seen);

	cfg_lo(&c, "default");
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	memset(devs, 0xee, sizeof(devs));
	st.devs = (uintptr_t)devs;
	st.cap = 2;
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_STATS, &st));
	EXPECT_EQ(1U, st.count);
	EXPECT_EQ(lo_ifindex(), devs[0].ifindex);
	EXPECT_STREQ("lo", (char *)devs[0].ifname);
	EXPECT_EQ(0U, devs[0].pad);
	EXPECT_EQ(0xeeeeeeeeU, (__u32)devs[1].ifindex);

	st.flags = 1;
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_STATS, &st));
	EXPECT_EQ(EOPNOTSUPP, errno);
	st.flags = 0;
	st.pad = 1;
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_STATS, &st));
	EXPECT_EQ(EINVAL, errno);
	st.pad = 0;
	st.resv[1] = 1;
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_STATS, &st));
	EXPECT_EQ(EINVAL, errno);
	st.resv[1] = 0;
	st.devs = 0;
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_STATS, &st));
	EXPECT_EQ(EINVAL, errno);
	st.devs = 8;
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_STATS, &st));
	EXPECT_EQ(EFAULT, errno);
	st.devs = 0;
	st.cap = 0;
	strcpy((char *)st.name, "nosuch");
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_STATS, &st));
	EXPECT_EQ(ENOENT, errno);
}

/* Children of the permission test: exit 0 if every check held. */
static int only_net_raw(int unused)
{
	struct kcap_config c;
	struct kcap_attach a;
	struct kcap_stats st;
	int fd;

	(void)unused;
	if (kcap_caps_drop(1U << CAP_NET_RAW))
		return 10;
	fd = kcap_dev_open();
	if (fd < 0)
		return 11;
	if (sess_add(fd, "x") != -1 || errno != EPERM)
		return 12;
	if (sess_del(fd, "x") != -1 || errno != EPERM)
		return 13;
	cfg_init(&c, "default");
	if (ioctl(fd, KCAP_IOC_SET_CONFIG, &c) != -1 || errno != EPERM)
		return 14;
	/* Reading is open to any opener. */
	if (ioctl(fd, KCAP_IOC_GET_CONFIG, &c))
		return 15;
	memset(&st, 0, sizeof(st));
	strcpy((char *)st.name, "default");
	if (ioctl(fd, KCAP_IOC_STATS, &st))
		return 16;
	memset(&a, 0, sizeof(a));
	strcpy((char *)a.name, "default");
	if (ioctl(fd, KCAP_IOC_ATTACH, &a))
		return 17;
	if (mmap(NULL, sysconf(_SC_PAGESIZE), PROT_READ, MAP_SHARED, fd, 0) ==
	    MAP_FAILED)
		return 18;
	return 0;
}

static int only_net_admin(int unused)
{
	struct kcap_config c;
	struct kcap_attach a;
	int fd;

	(void)unused;
	if (kcap_caps_drop(1U << CAP_NET_ADMIN))
		return 10;
	fd = kcap_dev_open();
	if (fd < 0)
		return 11;
	if (sess_add(fd, "y") || sess_del(fd, "y"))
		return 12;
	cfg_init(&c, "default");
	c.ring_size = RING_MIN;
	if (ioctl(fd, KCAP_IOC_SET_CONFIG, &c))
		return 13;
	memset(&a, 0, sizeof(a));
	strcpy((char *)a.name, "default");
	if (ioctl(fd, KCAP_IOC_ATTACH, &a) != -1 || errno != EPERM)
		return 14;
	return 0;
}

/* An inherited descriptor keeps the opener's rights, and only those. */
static int inherited_fd(int fd)
{
	struct kcap_config c;

	if (kcap_caps_drop(0))
		return 10;
	if (kcap_dev_open() != -1 || errno != EPERM)
		return 11;
	cfg_init(&c, "default");
	c.ring_size = RING_MIN;
	if (ioctl(fd, KCAP_IOC_SET_CONFIG, &c))
		return 12;
	return 0;
}

static int no_caps(int unused)
{
	(void)unused;
	if (kcap_caps_drop(0))
		return 10;
	return kcap_dev_open() == -1 && errno == EPERM ? 0 : 11;
}

/* With the node opened up to everyone, the module itself says no. */
static int as_nobody(int unused)
{
	(void)unused;
	if (setgid(65534) || setuid(65534))
		return 10;
	return kcap_dev_open() == -1 && errno == EPERM ? 0 : 11;
}

static int dump_get(int fd, const char *name, struct kcap_dump *d)
{
	memset(d, 0, sizeof(*d));
	snprintf((char *)d->name, sizeof(d->name), "%s", name);
	return ioctl(fd, KCAP_IOC_DUMP_GET, d);
}

TEST_F(core, dump_set_and_get)
{
	struct kcap_dump d, got;
	struct kcap_config c;
	struct kcap_attach a;
	int other;

	_Static_assert(sizeof(struct kcap_dump) == 336, "kcap_dump");
	other = kcap_dev_open();
	ASSERT_LE(0, other);
	ASSERT_EQ(0, dump_get(other, "default", &got));
	EXPECT_EQ((__u32)KCAP_DUMP_NONE, got.kind);
	EXPECT_EQ(-1, dump_get(other, "nosuch", &got));
	EXPECT_EQ(ENOENT, errno);

	memset(&d, 0, sizeof(d));
	d.kind = KCAP_DUMP_FILE;
	d.format = KCAP_DUMP_FMT_PCAPNG;
	d.file_size = 100ULL << 20;
	d.file_count = 5;
	strcpy((char *)d.where, "/tmp/ring.pcapng");
	/* Only a reader says where its packets go. */
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_DUMP_SET, &d));
	EXPECT_EQ(ENOTCONN, errno);

	cfg_lo(&c, "default");
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	memset(&a, 0, sizeof(a));
	strcpy((char *)a.name, "default");
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_ATTACH, &a));
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_DUMP_SET, &d));
	ASSERT_EQ(0, dump_get(other, "default", &got));
	EXPECT_STREQ("default", (char *)got.name);
	EXPECT_EQ((__u32)KCAP_DUMP_FILE, got.kind);
	EXPECT_EQ((__u32)KCAP_DUMP_FMT_PCAPNG, got.format);
	EXPECT_EQ(100ULL << 20, got.file_size);
	EXPECT_EQ(5U, got.file_count);
	EXPECT_STREQ("/tmp/ring.pcapng", (char *)got.where);

	/* Malformed: nothing changes. */
	got = d;
	got.kind = KCAP_DUMP_KIND_MAX + 1;
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_DUMP_SET, &got));
	EXPECT_EQ(EINVAL, errno);
	got = d;
	got.format = KCAP_DUMP_FMT_MAX + 1;
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_DUMP_SET, &got));
	EXPECT_EQ(EINVAL, errno);
	got = d;
	memset(got.where, 'x', sizeof(got.where));
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_DUMP_SET, &got));
	EXPECT_EQ(EINVAL, errno);
	got = d;
	got.resv[3] = 1;
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_DUMP_SET, &got));
	EXPECT_EQ(EINVAL, errno);
	got = d;
	got.flags = 1;
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_DUMP_SET, &got));
	EXPECT_EQ(EOPNOTSUPP, errno);
	EXPECT_EQ(-1, ioctl(self->fd, KCAP_IOC_DUMP_SET, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(0, dump_get(other, "default", &got));
	EXPECT_STREQ("/tmp/ring.pcapng", (char *)got.where);

	/* Forgotten with its reader. */
	close(self->fd);
	self->fd = other;
	ASSERT_EQ(0, dump_get(other, "default", &got));
	EXPECT_EQ((__u32)KCAP_DUMP_NONE, got.kind);
	EXPECT_EQ(0, got.where[0]);
}

TEST_F(core, permissions)
{
	struct kcap_config c;

	cfg_init(&c, "default");
	c.ring_size = RING_MIN;
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	EXPECT_EQ(0, in_child(only_net_raw, -1));
	EXPECT_EQ(0, in_child(only_net_admin, -1));
	EXPECT_EQ(0, in_child(inherited_fd, self->fd));
	EXPECT_EQ(0, in_child(no_caps, -1));
	ASSERT_EQ(0, chmod(KCAP_DEV_PATH, 0666));
	EXPECT_EQ(0, in_child(as_nobody, -1));
	ASSERT_EQ(0, chmod(KCAP_DEV_PATH, 0600));
}

TEST_F(core, rmmod_with_sessions_configured)
{
	struct kcap_config c;
	struct kr r;
	int fd2;

	ASSERT_EQ(0, sess_add(self->fd, "any"));
	cfg_init(&c, "any");
	c.flags = KCAP_CFG_ANY_DEV;
	c.capture = KCAP_CAPTURE_BIDIRECTIONAL;
	c.ring_size = RING_MIN;
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	cfg_lo(&c, "default");
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	fd2 = kcap_dev_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, kr_attach(&r, fd2, "any", 0));
	/* Traffic on lo while hooks and a ring exist. */
	ASSERT_EQ(0, system("ping -c 3 -i 0.2 -q 127.0.0.1 >/dev/null"));
	/* A mapping holds the file: still busy after the last close. */
	close(self->fd);
	self->fd = -1;
	close(fd2);
	EXPECT_EQ(-EWOULDBLOCK, kcap_mod_unload());
	kr_unmap(&r);
	/* Configured, capturing, no file open: it goes. */
	EXPECT_EQ(0, kcap_mod_unload());
	EXPECT_FALSE(kcap_mod_loaded());
	ASSERT_EQ(0, system("ping -c 2 -i 0.2 -q 127.0.0.1 >/dev/null"));
	ASSERT_EQ(0, kcap_mod_load());
	self->fd = kcap_dev_open();
	ASSERT_LE(0, self->fd);
}

TEST_HARNESS_MAIN
