// SPDX-License-Identifier: GPL-2.0
/*
 * A deterministic fuzzer of /dev/kcap: every ioctl of uapi/linux/kcap.h
 * with random and boundary values in every field, bad user pointers,
 * ioctl numbers with wrong sizes and directions, mmap with random
 * offsets, lengths, protections and flags, read/write/poll on attached
 * and unattached files; then the same with threads at once: one changing
 * configurations, one attaching, draining and closing, one flooding a
 * veth pair. Every call must succeed or fail with an errno its ioctl
 * documents (the allowed sets are spelled out below); anything else is
 * printed with its arguments and fails the test. At the end every session
 * that was never statistics-only reconciles (matched == captured +
 * dropped) and the module unloads.
 *
 * KCAP_FUZZ_SEED picks the seed (printed either way), KCAP_FUZZ_COUNT the
 * number of sequential calls, KCAP_FUZZ_SECS how long the threads run.
 * The sequential part is reproducible from its seed; the threaded part
 * depends on timing, but each thread's choices come from the seed.
 *
 * Rings stay small (4 MiB at most) so the guest's memory holds them all:
 * configurations with the default or a larger ring go to sessions that
 * are never attached ("big", "t0".."t3").
 */
#include <poll.h>
#include <stddef.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <linux/filter.h>
#include <linux/kcap.h>

#include "kselftest_harness.h"
#include "kcap_mod.h"
#include "kcap_net.h"

#define SMALL_RING_MAX	(4U << 20)
#define NPOOL		(sizeof(pool) / sizeof(pool[0]))
#define NATT		5	/* pool[0..NATT-1] may get a reader */
#define NSTRICT		3	/* pool[0..NSTRICT-1] never stats-only */

/* Sessions the fuzzer names; the first NATT exist throughout. */
static const char * const pool[] = {
	"default", "f0", "f1", "f2", "f3", "big", "t0", "t1", "t2", "t3",
};

static const char * const bad_names[] = {
	"", "a b", "a/b", "\xff", "nosuch", "zz", ".", "-",
	"0123456789012345678901234567890",
};

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	/* xorshift64* */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545F4914F6CDD1DULL;
}

static uint32_t rn(struct rng *r, uint32_t n)
{
	return n ? rnd(r) % n : 0;
}

static int one_in(struct rng *r, uint32_t n)
{
	return rn(r, n) == 0;
}

#define PICK(r, arr) ((arr)[rn((r), sizeof(arr) / sizeof((arr)[0]))])

static const uint32_t u32_edges[] = {
	0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 32, 33, 255, 256, 4095, 4096, 4097,
	65535, 65536, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe,
	0xffffffff, 0x40000000, 0x20000000, 0x1fffffff, 0x10000001,
};

static const uint32_t ring_edges[] = {
	0, 1, 4096, KCAP_RING_MIN / 2, KCAP_RING_MIN - 1, KCAP_RING_MIN,
	KCAP_RING_MIN + 1, KCAP_RING_MIN + 4096, 2 * KCAP_RING_MIN,
	3 * KCAP_RING_MIN, 1U << 20, (1U << 20) - 1, 4U << 20, 8U << 20,
	KCAP_RING_DEFAULT, KCAP_RING_MAX - 1, KCAP_RING_MAX,
	KCAP_RING_MAX + 1, 2 * KCAP_RING_MAX, 0x80000000, 0xffffffff,
	0xfffff000,
};

/* State shared by every thread. */
static struct {
	int a0, a1, lo, b0;		/* ifindexes, in NS_A (b0 in NS_B) */
	uint64_t seed;
	atomic_long calls;
	atomic_long bad;		/* calls answered out of contract */
	atomic_long records;		/* records drained and checked */
	atomic_int stop;
	atomic_int stats_only_ever[16];	/* by pool index */
	struct sock_filter insns[KCAP_MAX_BPF_INSNS + 1];
	uint8_t *guard;			/* page RW, then a PROT_NONE page */
	uint8_t *ropage;		/* a read-only page */
	long pg;
	pthread_mutex_t log_lock;
} G;

/* Errno sets, each ending in 0. */
static const int E_VERSION[] = { EFAULT, EINVAL, EOPNOTSUPP, 0 };
static const int E_ADD[] = { EPERM, EFAULT, EINVAL, EOPNOTSUPP, EEXIST,
			     ENOSPC, ENOMEM, 0 };
static const int E_DEL[] = { EPERM, EFAULT, EINVAL, EOPNOTSUPP, ENOENT,
			     EBUSY, 0 };
static const int E_INFO[] = { EFAULT, EINVAL, EOPNOTSUPP, ENOENT, 0 };
static const int E_LIST[] = { EFAULT, EINVAL, EOPNOTSUPP, ENOMEM, 0 };
static const int E_SET[] = { EPERM, EFAULT, EINVAL, EOPNOTSUPP, ENOENT,
			     ENODEV, EBUSY, ENOMEM, 0 };
static const int E_GET[] = { EFAULT, EINVAL, ENOENT, ENOMEM, 0 };
static const int E_ATTACH[] = { EPERM, EFAULT, EINVAL, EOPNOTSUPP, ENOENT,
				EBUSY, ENOMEM, 0 };
static const int E_STATS[] = { EFAULT, EINVAL, EOPNOTSUPP, ENOENT, ENOMEM,
			       0 };
static const int E_TXBIND[] = { EPERM, EFAULT, EINVAL, EOPNOTSUPP, ENODEV,
				ENOMEM, 0 };
static const int E_TXSTATS[] = { EFAULT, EINVAL, EOPNOTSUPP, ENODEV,
				 EDESTADDRREQ, 0 };
static const int E_DUMPSET[] = { EFAULT, EINVAL, EOPNOTSUPP, ENOTCONN, 0 };
static const int E_DUMPGET[] = { EFAULT, EINVAL, EOPNOTSUPP, ENOENT, 0 };
static const int E_NOTTY[] = { ENOTTY, 0 };
/* write(2): the frame errors of the uapi's "Injection" section. */
static const int E_WRITE[] = { EDESTADDRREQ, EINVAL, EMSGSIZE, ENETDOWN,
			       ENODEV, ENOBUFS, EFAULT, ENOMEM, 0 };
/* /dev/kcap has no read(): the VFS answers. */
static const int E_READ[] = { EINVAL, EFAULT, 0 };
/* mmap(2): kcap's own (ENXIO, EINVAL, EPERM) and the VFS's. */
static const int E_MMAP[] = { ENXIO, EINVAL, EPERM, ENOMEM, EACCES,
			      EOVERFLOW, EAGAIN, EOPNOTSUPP, 0 };
static const int E_MPROTECT[] = { EACCES, 0 };

static const struct {
	unsigned long cmd;
	size_t size;
	const char *name;
	const int *allowed;
} ioctls[] = {
	{ KCAP_IOC_VERSION, sizeof(struct kcap_version), "VERSION", E_VERSION },
	{ KCAP_IOC_SESSION_ADD, sizeof(struct kcap_session_req), "SESSION_ADD", E_ADD },
	{ KCAP_IOC_SESSION_DEL, sizeof(struct kcap_session_req), "SESSION_DEL", E_DEL },
	{ KCAP_IOC_SESSION_INFO, sizeof(struct kcap_session_req), "SESSION_INFO", E_INFO },
	{ KCAP_IOC_SESSION_LIST, sizeof(struct kcap_session_list), "SESSION_LIST", E_LIST },
	{ KCAP_IOC_SET_CONFIG, sizeof(struct kcap_config), "SET_CONFIG", E_SET },
	{ KCAP_IOC_GET_CONFIG, sizeof(struct kcap_config), "GET_CONFIG", E_GET },
	{ KCAP_IOC_ATTACH, sizeof(struct kcap_attach), "ATTACH", E_ATTACH },
	{ KCAP_IOC_STATS, sizeof(struct kcap_stats), "STATS", E_STATS },
	{ KCAP_IOC_TX_BIND, sizeof(struct kcap_tx_bind), "TX_BIND", E_TXBIND },
	{ KCAP_IOC_TX_STATS, sizeof(struct kcap_tx_stats), "TX_STATS", E_TXSTATS },
	{ KCAP_IOC_DUMP_SET, sizeof(struct kcap_dump), "DUMP_SET", E_DUMPSET },
	{ KCAP_IOC_DUMP_GET, sizeof(struct kcap_dump), "DUMP_GET", E_DUMPGET },
};

#define NIOCTLS (sizeof(ioctls) / sizeof(ioctls[0]))

/*
 * KCAP_FUZZ_TRACE=FILE: each call is written there, and synced, before it
 * is made; the last line names the call that hung or crashed the kernel.
 */
static int trace_fd = -1;

static void trace(const char *call, const char *args)
{
	char line[256];
	int n;

	if (trace_fd < 0)
		return;
	n = snprintf(line, sizeof(line), "%ld %s(%s)\n", (long)G.calls, call,
		     args);
	if (write(trace_fd, line, n) == n)
		fdatasync(trace_fd);
}

static int allowed(const int *set, int err)
{
	for (; *set; set++)
		if (*set == err)
			return 1;
	return 0;
}

static void hexdump(const char *what, const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	fprintf(stderr, "#   %s:", what);
	for (i = 0; i < len; i++)
		fprintf(stderr, "%s%02x", i % 32 ? "" : "\n#     ", b[i]);
	fprintf(stderr, "\n");
}

/*
 * Judges one call: ret < 0 with an errno outside set is a finding, and
 * is printed with its arguments (arg, len bytes of them, if readable).
 */
static void judge(long ret, int err, const int *set, const char *call,
		  const char *args, const void *arg, size_t len)
{
	atomic_fetch_add(&G.calls, 1);
	if (ret >= 0 || allowed(set, err))
		return;
	atomic_fetch_add(&G.bad, 1);
	pthread_mutex_lock(&G.log_lock);
	fprintf(stderr, "# FINDING: %s(%s) = %ld, errno %d (%s)\n", call,
		args, ret, err, strerror(err));
	if (arg && len)
		hexdump("argument", arg, len);
	pthread_mutex_unlock(&G.log_lock);
}

static void name_set(uint8_t *dst, const char *name)
{
	size_t i;

	memset(dst, 0, KCAP_NAME_LEN);
	for (i = 0; i < KCAP_NAME_LEN && name[i]; i++)
		dst[i] = name[i];
}

static const char *rand_name(struct rng *r, int attachable)
{
	if (one_in(r, 8))
		return PICK(r, bad_names);
	if (attachable)
		return pool[rn(r, NATT)];
	return pool[rn(r, NPOOL)];
}

static int pool_index(const uint8_t *name)
{
	size_t i;

	for (i = 0; i < NPOOL; i++)
		if (!strncmp((const char *)name, pool[i], KCAP_NAME_LEN))
			return i;
	return -1;
}

/* A classic BPF program the checker accepts, of n instructions. */
static int good_prog(struct rng *r, struct sock_filter *f)
{
	int n = 0;

	switch (rn(r, 4)) {
	case 0:		/* accept all */
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0xffffffff);
		break;
	case 1:		/* first k bytes */
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, rn(r, 200));
		break;
	case 2:		/* UDP only, by length: A = len; ret A */
		f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12);
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x0800, 0, 1);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_A, 0);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0);
		break;
	default:	/* a load past the end: the packet is refused */
		f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 100000);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0xffff);
		break;
	}
	return n;
}

/* n random instructions; mostly garbage the checker must refuse. */
static void random_prog(struct rng *r, struct sock_filter *f, uint32_t n)
{
	static const uint16_t codes[] = {
		BPF_LD | BPF_W | BPF_ABS, BPF_LD | BPF_H | BPF_IND,
		BPF_LD | BPF_B | BPF_MSH, BPF_LDX | BPF_W | BPF_MEM,
		BPF_ST, BPF_STX, BPF_ALU | BPF_DIV | BPF_K,
		BPF_ALU | BPF_MOD | BPF_X, BPF_ALU | BPF_LSH | BPF_K,
		BPF_JMP | BPF_JA, BPF_JMP | BPF_JGT | BPF_K,
		BPF_RET | BPF_K, BPF_RET | BPF_A, BPF_MISC | BPF_TAX,
		BPF_LD | BPF_W | BPF_ABS, 0xffff,
	};
	uint32_t i;

	for (i = 0; i < n; i++) {
		f[i].code = one_in(r, 4) ? (uint16_t)rnd(r) : PICK(r, codes);
		f[i].jt = one_in(r, 2) ? 0 : (uint8_t)rnd(r);
		f[i].jf = one_in(r, 2) ? 0 : (uint8_t)rnd(r);
		f[i].k = one_in(r, 2) ? PICK(r, u32_edges) : (uint32_t)rnd(r);
	}
	if (n && one_in(r, 2))
		f[n - 1] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0xffff);
}

/*
 * A configuration the kernel should accept, for name: capture mode,
 * devices of NS_A, match fields, snaplen, a small ring, maybe a program.
 */
static void valid_config(struct rng *r, struct kcap_config *c,
			 const char *name, int allow_stats_only,
			 struct sock_filter *prog)
{
	static const uint32_t rings[] = {
		KCAP_RING_MIN, 2 * KCAP_RING_MIN, 1U << 20, 4U << 20,
	};
	int devs[3] = { G.a0, G.a1, G.lo }, i, n;

	memset(c, 0, sizeof(*c));
	name_set(c->name, name);
	c->capture = rn(r, 4);
	if (one_in(r, 4))
		c->flags |= KCAP_CFG_ANY_DEV;
	if (allow_stats_only && one_in(r, 4))
		c->flags |= KCAP_CFG_STATS_ONLY;
	if (!(c->flags & KCAP_CFG_ANY_DEV)) {
		n = c->capture ? 1 + rn(r, 3) : rn(r, 4);
		i = rn(r, 3);
		for (c->ndevs = 0; c->ndevs < (uint32_t)n; c->ndevs++)
			c->ifindex[c->ndevs] = devs[(i + c->ndevs) % 3];
	}
	c->ring_size = PICK(r, rings);
	c->snaplen = one_in(r, 2) ? 0 : PICK(r, u32_edges) % (KCAP_SNAPLEN_MAX + 1);
	if (one_in(r, 3)) {
		c->match |= KCAP_MATCH_DPORT;
		c->dport = one_in(r, 2) ? 7000 : (uint16_t)rnd(r);
	}
	if (one_in(r, 4)) {
		c->match |= KCAP_MATCH_L4PROTO;
		c->l4proto = one_in(r, 2) ? 17 : (uint8_t)rnd(r);
	}
	if (one_in(r, 4)) {
		c->match |= KCAP_MATCH_SRC;
		c->src.family = KCAP_FAMILY_INET;
		c->src.len = one_in(r, 2) ? 24 : 0;
		if (c->src.len) {
			c->src.addr[0] = 10;
		}
	}
	if (one_in(r, 6)) {
		c->match |= KCAP_MATCH_DST;
		c->dst.family = KCAP_FAMILY_INET6;
		c->dst.len = rn(r, 129);
		memset(c->dst.addr, 0, sizeof(c->dst.addr));
	}
	if (prog && one_in(r, 3)) {
		c->bpf_len = good_prog(r, prog);
		c->bpf_insns = (uintptr_t)prog;
	}
}

/* A user pointer for a struct of len bytes: mostly good, else bad. */
static void *arg_ptr(struct rng *r, void *good, size_t len, int *kind)
{
	*kind = rn(r, 24);
	switch (*kind) {
	case 0:
		return NULL;
	case 1:
		return (void *)1;
	case 2:
		return (void *)0xffff888000000000UL;	/* kernel's */
	case 3:
		return (void *)0x00007ffffffff000UL;	/* top of user */
	case 4:		/* runs into the guard page */
		return G.guard + G.pg - len + 1 + rn(r, len);
	case 5:		/* read-only: an out-parameter cannot be written */
		memcpy(G.ropage, good, len);	/* not writable: see below */
		return G.ropage;
	default:
		return good;
	}
}

/* One ioctl with its struct made of random and boundary values. */
static void fuzz_ioctl(struct rng *r, int fd, struct sock_filter *prog)
{
	union {
		struct kcap_version v;
		struct kcap_session_req s;
		struct kcap_session_list l;
		struct kcap_config c;
		struct kcap_attach a;
		struct kcap_stats st;
		struct kcap_tx_bind tb;
		struct kcap_tx_stats ts;
		struct kcap_dump d;
		uint8_t raw[512];
	} u;
	static __thread uint8_t names[KCAP_MAX_SESSIONS][KCAP_NAME_LEN];
	static __thread struct kcap_dev_stats devs[64];
	unsigned long cmd;
	char args[160];
	const int *set;
	void *p;
	size_t i, k, size;
	int kind, nr, mutations;
	long ret;

	i = rn(r, NIOCTLS);
	cmd = ioctls[i].cmd;
	size = ioctls[i].size;
	set = ioctls[i].allowed;
	memset(&u, 0, sizeof(u));

	switch (cmd) {
	case KCAP_IOC_SESSION_ADD:
	case KCAP_IOC_SESSION_DEL:
	case KCAP_IOC_SESSION_INFO:
		/* The sessions readers use are never deleted. */
		name_set(u.s.name, cmd == KCAP_IOC_SESSION_DEL ?
			 (one_in(r, 4) ? "default" : pool[NATT + rn(r, NPOOL - NATT)]) :
			 rand_name(r, 0));
		break;
	case KCAP_IOC_SESSION_LIST:
		u.l.names = (uintptr_t)names;
		u.l.cap = PICK(r, u32_edges);
		if (one_in(r, 3))
			u.l.names = 0;
		if (one_in(r, 8))
			u.l.names = (uintptr_t)G.guard + G.pg - 40;
		break;
	case KCAP_IOC_SET_CONFIG:
		nr = pool_index((const uint8_t *)rand_name(r, 0));
		valid_config(r, &u.c, nr < 0 ? "nosuch" : pool[nr],
			     nr >= (int)NSTRICT, prog);
		break;
	case KCAP_IOC_GET_CONFIG:
		name_set(u.c.name, rand_name(r, 0));
		u.c.bpf_insns = one_in(r, 2) ? (uintptr_t)G.insns : 0;
		u.c.bpf_len = PICK(r, u32_edges);
		break;
	case KCAP_IOC_ATTACH:
		name_set(u.a.name, rand_name(r, 1));
		u.a.flags = one_in(r, 2) ? KCAP_ATTACH_KEEP : 0;
		break;
	case KCAP_IOC_STATS:
		name_set(u.st.name, rand_name(r, 0));
		u.st.devs = one_in(r, 3) ? 0 : (uintptr_t)devs;
		u.st.cap = one_in(r, 2) ? 64 : PICK(r, u32_edges) % 65;
		if (!u.st.devs && one_in(r, 2))
			u.st.cap = 0;
		break;
	case KCAP_IOC_TX_BIND:
		u.tb.ifindex = one_in(r, 2) ? G.a0 : (int)PICK(r, u32_edges);
		break;
	case KCAP_IOC_TX_STATS:
		u.ts.ifindex = one_in(r, 2) ? 0 : G.a0;
		break;
	case KCAP_IOC_DUMP_SET:
		u.d.kind = rn(r, KCAP_DUMP_KIND_MAX + 2);
		u.d.format = rn(r, KCAP_DUMP_FMT_MAX + 2);
		memset(u.d.where, 'w', rn(r, sizeof(u.d.where) + 1));
		break;
	case KCAP_IOC_DUMP_GET:
		name_set(u.d.name, rand_name(r, 0));
		break;
	}

	/* Break some fields with boundary values: a u32 at a random slot. */
	mutations = one_in(r, 3) ? 0 : 1 + rn(r, 3);
	for (k = 0; k < (size_t)mutations; k++) {
		size_t off = rn(r, size / 4) * 4;
		uint32_t v = PICK(r, u32_edges);

		if (cmd == KCAP_IOC_SET_CONFIG && one_in(r, 2)) {
			/* Fields that matter most, with their own edges. */
			switch (rn(r, 6)) {
			case 0:
				u.c.ring_size = PICK(r, ring_edges);
				continue;
			case 1:
				u.c.ifindex[rn(r, KCAP_MAX_DEVS)] =
					one_in(r, 2) ? (int)v : -1;
				continue;
			case 2:
				u.c.ndevs = v;
				continue;
			case 3:
				u.c.bpf_len = one_in(r, 2) ? v :
					PICK(r, ((const uint32_t[]){ 0, 1,
					KCAP_MAX_BPF_INSNS, KCAP_MAX_BPF_INSNS + 1 }));
				u.c.bpf_insns = (uintptr_t)G.insns;
				random_prog(r, G.insns, u.c.bpf_len > KCAP_MAX_BPF_INSNS + 1 ?
					    KCAP_MAX_BPF_INSNS + 1 : u.c.bpf_len);
				continue;
			case 4:
				u.c.bpf_insns = PICK(r, ((const uint64_t[]){ 1,
					0xffff888000000000ULL, 0x7ffffffff000ULL,
					(uintptr_t)G.guard + G.pg - 8 }));
				if (!u.c.bpf_len)
					u.c.bpf_len = 2;
				continue;
			default:
				u.c.capture = v;
				continue;
			}
		}
		/*
		 * Output pointers stay ours: the kernel would write through
		 * them into this process (bad ones are tried above).
		 */
		if (cmd == KCAP_IOC_SESSION_LIST && off < 8)
			continue;
		if (cmd == KCAP_IOC_STATS && (off & ~4UL) == offsetof(struct kcap_stats, devs))
			continue;
		if (cmd == KCAP_IOC_GET_CONFIG && (off & ~4UL) == offsetof(struct kcap_config, bpf_insns))
			continue;
		memcpy(u.raw + off, &v, sizeof(v));
	}
	/* A random name is valid at times, and at times has no NUL. */
	if (one_in(r, 50) && cmd != KCAP_IOC_VERSION && cmd != KCAP_IOC_SESSION_LIST &&
	    cmd != KCAP_IOC_TX_BIND && cmd != KCAP_IOC_TX_STATS)
		memset(u.raw, 'a' + rn(r, 26), KCAP_NAME_LEN);

	/* The session's rings stay small: big ones go where none attach. */
	if (cmd == KCAP_IOC_SET_CONFIG &&
	    (!u.c.ring_size || u.c.ring_size > SMALL_RING_MAX) &&
	    pool_index(u.c.name) >= 0 && pool_index(u.c.name) < (int)NATT)
		name_set(u.c.name, one_in(r, 2) ? "big" : "t0");
	/* Whether a session counted without copying, once, is remembered. */
	if (cmd == KCAP_IOC_SET_CONFIG && (u.c.flags & KCAP_CFG_STATS_ONLY)) {
		nr = pool_index(u.c.name);
		if (nr < (int)NSTRICT)
			u.c.flags &= ~KCAP_CFG_STATS_ONLY;
		else
			atomic_store(&G.stats_only_ever[nr], 1);
	}

	/* The wrong size or direction in the number: ENOTTY. */
	if (one_in(r, 10)) {
		unsigned int sz = _IOC_SIZE(cmd);

		switch (rn(r, 4)) {
		case 0:
			sz = sz - 1 - rn(r, sz);
			break;
		case 1:
			sz += 1 + rn(r, 64);
			break;
		case 2:
			sz = 0;
			break;
		default:
			cmd = _IOC(_IOC_DIR(cmd) ^ (1 + rn(r, 3)), KCAP_IOC_MAGIC,
				   _IOC_NR(cmd), _IOC_SIZE(cmd));
			goto numbered;
		}
		cmd = _IOC(_IOC_DIR(cmd), KCAP_IOC_MAGIC, _IOC_NR(cmd),
			   sz & _IOC_SIZEMASK);
numbered:
		if (cmd != ioctls[i].cmd)
			set = E_NOTTY;
	} else if (one_in(r, 40)) {
		cmd = _IOWR(KCAP_IOC_MAGIC, 0x0d + rn(r, 0xf2), struct kcap_config);
		set = E_NOTTY;
	} else if (one_in(r, 80)) {
		cmd = (uint32_t)rnd(r);
		for (k = 0; k < NIOCTLS; k++)
			if (ioctls[k].cmd == cmd)
				break;
		set = k == NIOCTLS ? E_NOTTY : ioctls[k].allowed;
	}

	p = arg_ptr(r, &u, size, &kind);
	snprintf(args, sizeof(args), "fd %d, %s %#lx, ptr %p (kind %d), word0 %#x", fd,
		 ioctls[i].name, cmd, p, kind, *(uint32_t *)&u);
	trace("ioctl", args);
	if (kind == 5)
		mprotect(G.ropage, G.pg, PROT_READ);
	ret = ioctl(fd, cmd, p);
	k = errno;
	if (kind == 5)
		mprotect(G.ropage, G.pg, PROT_READ | PROT_WRITE);
	judge(ret, k, set, "ioctl", args, &u, size);
}

/* mmap with random offsets, lengths, protections and flags. */
static void fuzz_mmap(struct rng *r, int fd)
{
	static const int flagsets[] = {
		MAP_SHARED, MAP_PRIVATE, MAP_SHARED_VALIDATE,
		MAP_SHARED | MAP_POPULATE, MAP_PRIVATE | MAP_POPULATE,
		MAP_SHARED | MAP_NORESERVE, MAP_SHARED_VALIDATE | MAP_SYNC,
		MAP_SHARED | MAP_LOCKED, MAP_SHARED_VALIDATE | 0x4000000,
	};
	uint64_t pg = G.pg, ring = KCAP_RING_MIN << rn(r, 5);
	const uint64_t offs[] = {
		0, pg, 2 * pg, 3 * pg, pg + ring, (uint64_t)-pg, 1ULL << 40,
		rnd(r) & ~(pg - 1), 1, pg / 2,
	};
	const uint64_t lens[] = {
		0, 1, pg, 2 * pg, pg + ring, pg + ring - pg, pg + ring + pg,
		pg + 2 * ring, 1ULL << 40, (uint64_t)-pg, rnd(r) % (16 * pg),
	};
	uint64_t off = PICK(r, offs), len = PICK(r, lens);
	int prot = rn(r, 8), flags = PICK(r, flagsets), err;
	char args[160];
	void *m;

	snprintf(args, sizeof(args), "fd %d, len %#llx, prot %d, flags %#x, off %#llx",
		 fd, (unsigned long long)len, prot, flags,
		 (unsigned long long)off);
	trace("mmap", args);
	m = mmap(NULL, len, prot, flags, fd, off);
	err = errno;
	judge(m == MAP_FAILED ? -1 : 0, err, E_MMAP, "mmap", args, NULL, 0);
	if (m == MAP_FAILED)
		return;
	/* Mapped: read every page; the producer's never becomes writable. */
	if (prot & PROT_READ) {
		volatile const uint8_t *b = m;
		uint64_t i;

		for (i = 0; i < len; i += pg)
			(void)b[i];
	}
	if (off == pg) {
		int ret = mprotect(m, len, PROT_READ | PROT_WRITE);

		err = ret ? errno : 0;
		judge(-1, err, E_MPROTECT, "mprotect(prod, RW)",
		      args, NULL, 0);
	}
	munmap(m, len);
}

static void fuzz_rw_poll(struct rng *r, int fd)
{
	static __thread uint8_t buf[2048];
	struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLOUT };
	char args[96];
	size_t len;
	long ret;
	int err;

	switch (rn(r, 4)) {
	case 0:
		snprintf(args, sizeof(args), "fd %d", fd);
		trace("read", args);
		ret = read(fd, one_in(r, 4) ? NULL : buf, rn(r, sizeof(buf)));
		err = errno;
		snprintf(args, sizeof(args), "fd %d", fd);
		judge(ret, err, E_READ, "read", args, NULL, 0);
		break;
	case 1: {
		/* A frame to 02:00:00:00:0b:00 that nobody will answer. */
		static const uint8_t eth[14] = {
			2, 0, 0, 0, 0x0b, 0, 2, 0, 0, 0, 0x0a, 0, 0x88, 0xb5,
		};
		const size_t lens[] = { 0, 1, 13, 14, 15, 60, 1514, 1515,
					1518, 1519, sizeof(buf) };

		len = PICK(r, lens);
		memcpy(buf, eth, sizeof(eth));
		snprintf(args, sizeof(args), "fd %d, len %zu", fd, len);
		trace("write", args);
		ret = write(fd, one_in(r, 8) ? (void *)G.guard + G.pg - 4 : buf,
			    len);
		err = errno;
		snprintf(args, sizeof(args), "fd %d, len %zu", fd, len);
		judge(ret, err, E_WRITE, "write", args, NULL, 0);
		break;
	}
	case 2: {
		struct iovec iov[3] = {
			{ buf, 60 }, { buf, rn(r, 2000) }, { NULL, 0 },
		};

		len = 1 + rn(r, 3);
		snprintf(args, sizeof(args), "fd %d, %zu iovecs: 60, %zu, 0", fd,
			 len, iov[1].iov_len);
		trace("writev", args);
		ret = writev(fd, iov, len);
		err = errno;
		judge(ret, err, E_WRITE, "writev", args, NULL, 0);
		break;
	}
	default:
		snprintf(args, sizeof(args), "fd %d", fd);
		trace("poll", args);
		ret = poll(&pfd, 1, 0);
		err = errno;
		snprintf(args, sizeof(args), "fd %d, revents %#x", fd,
			 pfd.revents);
		judge(ret, err, (const int[]){ 0 }, "poll", args, NULL, 0);
		if (ret > 0 && (pfd.revents & ~(POLLIN | POLLRDNORM | POLLHUP |
						POLLERR | POLLOUT | POLLWRNORM)))
			judge(-1, 0, (const int[]){ 0 }, "poll: revents", args,
			      NULL, 0);
		break;
	}
}

#define NFDS 4

/* One random call on one of fds[], which are closed and opened at times. */
static void fuzz_one(struct rng *r, int *fds, struct sock_filter *prog)
{
	int *fd = &fds[rn(r, NFDS)];
	uint32_t what = rn(r, 100);

	if (*fd < 0 || what < 3) {
		if (*fd >= 0)
			close(*fd);
		*fd = open(KCAP_DEV_PATH, O_RDWR | O_CLOEXEC);
		if (*fd < 0)
			judge(-1, errno, (const int[]){ 0 }, "open", "", NULL, 0);
		return;
	}
	if (what < 75)
		fuzz_ioctl(r, *fd, prog);
	else if (what < 88)
		fuzz_mmap(r, *fd);
	else
		fuzz_rw_poll(r, *fd);
}

static uint64_t seed_get(void)
{
	const char *s = getenv("KCAP_FUZZ_SEED");

	return s ? strtoull(s, NULL, 0) : (uint64_t)time(NULL) ^ getpid();
}

static long env_long(const char *name, long def)
{
	const char *s = getenv(name);

	return s ? atol(s) : def;
}

static int sess_add(int fd, const char *name)
{
	struct kcap_session_req q;

	memset(&q, 0, sizeof(q));
	name_set(q.name, name);
	return ioctl(fd, KCAP_IOC_SESSION_ADD, &q);
}

/* Every pool session that takes a reader, capturing nothing, small ring. */
static int pool_setup(int fd)
{
	struct kcap_config c;
	size_t i;

	for (i = 1; i < NATT; i++)
		if (sess_add(fd, pool[i]))
			return -1;
	for (i = 0; i < NATT; i++) {
		memset(&c, 0, sizeof(c));
		name_set(c.name, pool[i]);
		c.ring_size = KCAP_RING_MIN;
		if (ioctl(fd, KCAP_IOC_SET_CONFIG, &c))
			return -1;
	}
	return 0;
}

/*
 * Checks the counters of every session: matched == captured + dropped in
 * each direction unless the session was ever statistics-only. Returns
 * the packets matched in all of them, or -1.
 */
static long reconcile(struct __test_metadata *_metadata, int fd)
{
	uint8_t names[KCAP_MAX_SESSIONS][KCAP_NAME_LEN];
	struct kcap_session_list l = { .names = (uintptr_t)names,
				       .cap = KCAP_MAX_SESSIONS };
	long total = 0;
	uint32_t i;
	int d, nr, ok = 1;

	if (ioctl(fd, KCAP_IOC_SESSION_LIST, &l))
		return -1;
	for (i = 0; i < l.count && i < KCAP_MAX_SESSIONS; i++) {
		struct kcap_stats st;

		memset(&st, 0, sizeof(st));
		memcpy(st.name, names[i], KCAP_NAME_LEN);
		if (ioctl(fd, KCAP_IOC_STATS, &st))
			return -1;
		nr = pool_index(names[i]);
		for (d = 0; d < 2; d++) {
			struct kcap_counters *c = &st.total[d];
			int strict = nr < 0 || !G.stats_only_ever[nr];

			TH_LOG("%s dir %d: seen %llu matched %llu captured %llu dropped %llu%s",
			       names[i], d, (unsigned long long)c->seen,
			       (unsigned long long)c->matched,
			       (unsigned long long)c->captured,
			       (unsigned long long)c->dropped,
			       strict ? "" : " (was stats-only)");
			if (strict ? c->matched != c->captured + c->dropped :
				     c->matched < c->captured + c->dropped)
				ok = 0;
			if (c->seen < c->matched)
				ok = 0;
			total += c->matched;
		}
	}
	return ok ? total : -1;
}

static int globals_init(void)
{
	G.pg = sysconf(_SC_PAGESIZE);
	G.seed = seed_get();
	if (getenv("KCAP_FUZZ_TRACE"))
		trace_fd = open(getenv("KCAP_FUZZ_TRACE"),
				O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	pthread_mutex_init(&G.log_lock, NULL);
	G.guard = mmap(NULL, 2 * G.pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	G.ropage = mmap(NULL, G.pg, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (G.guard == MAP_FAILED || G.ropage == MAP_FAILED)
		return -1;
	if (mprotect(G.guard + G.pg, G.pg, PROT_NONE))
		return -1;
	if (net_setup(0))
		return -1;
	G.a0 = ifindex_in(NS_A, "a0");
	G.a1 = ifindex_in(NS_A, "a1");
	G.lo = ifindex_in(NS_A, "lo");
	G.b0 = ifindex_in(NS_B, "b0");
	if (G.a0 <= 0 || G.a1 <= 0 || G.lo <= 0)
		return -1;
	/* Sessions bind to the namespace they are configured from. */
	return netns_enter(NS_A);
}

FIXTURE(fz) {
	int fd;
};

FIXTURE_SETUP(fz)
{
	memset(&G, 0, sizeof(G));
	ASSERT_EQ(0, kcap_mod_reload());
	ASSERT_EQ(0, globals_init());
	self->fd = open(KCAP_DEV_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, pool_setup(self->fd));
	TH_LOG("seed %#llx (KCAP_FUZZ_SEED=%#llx to repeat)",
	       (unsigned long long)G.seed, (unsigned long long)G.seed);
}

FIXTURE_TEARDOWN(fz)
{
	if (!G.pg)
		return;
	net_teardown();
}

/* Closes fd, and unloads the module: nothing may hold it. */
static void finish(struct __test_metadata *_metadata, int fd)
{
	close(fd);
	EXPECT_EQ(0, kcap_mod_unload());
}

/* Sequential: reproducible call by call from the seed. */
TEST_F_TIMEOUT(fz, sequential, 400)
{
	struct sock_filter prog[8];
	long n = env_long("KCAP_FUZZ_COUNT", 6000), i, pkts;
	struct rng r = { G.seed | 1 };
	int fds[NFDS], j;
	pid_t flood;

	if (!G.pg)
		return;		/* skipped by the setup */
	for (j = 0; j < NFDS; j++)
		fds[j] = open(KCAP_DEV_PATH, O_RDWR | O_CLOEXEC);
	/* A trickle of traffic, so hooks and filters see packets. */
	flood = udp_sender(NS_A, "10.0.0.2", 5000, 7000, 1L << 30, 100, 2000);
	for (i = 0; i < n; i++)
		fuzz_one(&r, fds, prog);
	kill(flood, SIGKILL);
	sender_wait(flood);
	for (j = 0; j < NFDS; j++)
		if (fds[j] >= 0)
			close(fds[j]);
	msleep(200);
	pkts = reconcile(_metadata, self->fd);
	TH_LOG("%ld calls, %ld out of contract, %ld packets reconciled",
	       (long)G.calls, (long)G.bad, pkts);
	EXPECT_EQ(0, G.bad);
	EXPECT_LE(0, pkts);
	finish(_metadata, self->fd);
}

struct worker {
	pthread_t th;
	struct rng r;
	long calls;
};

/* Changes configurations: valid ones, capture modes, ring sizes. */
static void *config_thread(void *arg)
{
	struct worker *w = arg;
	struct sock_filter prog[8];
	struct kcap_config c;
	int fd = open(KCAP_DEV_PATH, O_RDWR | O_CLOEXEC);
	char args[64];
	int nr, ret;

	while (!atomic_load(&G.stop)) {
		nr = rn(&w->r, NATT);
		valid_config(&w->r, &c, pool[nr], nr >= (int)NSTRICT, prog);
		if (c.flags & KCAP_CFG_STATS_ONLY)
			atomic_store(&G.stats_only_ever[nr], 1);
		ret = ioctl(fd, KCAP_IOC_SET_CONFIG, &c);
		snprintf(args, sizeof(args), "valid config of %s", pool[nr]);
		/* Only a ring resize under a reader may be refused. */
		judge(ret, errno, (const int[]){ EBUSY, 0 }, "SET_CONFIG",
		      args, &c, sizeof(c));
		w->calls++;
		if (one_in(&w->r, 4))
			usleep(rn(&w->r, 20000));
	}
	close(fd);
	return NULL;
}

/* Attaches, maps, drains (checking every record) and closes. */
static void *reader_thread(void *arg)
{
	struct worker *w = arg;
	struct kr kr;
	int fd, ret, i;

	while (!atomic_load(&G.stop)) {
		const char *name = pool[rn(&w->r, NATT)];
		uint32_t flags = one_in(&w->r, 2) ? KCAP_ATTACH_KEEP : 0;

		fd = open(KCAP_DEV_PATH, O_RDWR | O_CLOEXEC);
		ret = kr_attach(&kr, fd, name, flags);
		w->calls++;
		judge(ret ? -1 : 0, -ret, (const int[]){ EBUSY, 0 },
		      "kr_attach", name, NULL, 0);
		for (i = 0; !ret && i < (int)rn(&w->r, 20); i++) {
			struct pollfd pfd = { .fd = fd, .events = POLLIN };
			long n;

			poll(&pfd, 1, rn(&w->r, 20));
			n = kr_drain(&kr, NULL);
			w->calls += 2;
			if (n < 0) {
				judge(-1, 0, (const int[]){ 0 }, "kr_drain",
				      kr.err, NULL, 0);
				break;
			}
			atomic_fetch_add(&G.records, n);
		}
		if (!ret)
			kr_unmap(&kr);
		close(fd);
	}
	return NULL;
}

/* Random calls, as in the sequential test, at the same time. */
static void *random_thread(void *arg)
{
	struct worker *w = arg;
	struct sock_filter prog[8];
	int fds[NFDS], j;

	for (j = 0; j < NFDS; j++)
		fds[j] = -1;
	while (!atomic_load(&G.stop)) {
		fuzz_one(&w->r, fds, prog);
		w->calls++;
	}
	for (j = 0; j < NFDS; j++)
		if (fds[j] >= 0)
			close(fds[j]);
	return NULL;
}

/* Threads at once, with a flood on both veth pairs, for a bounded time. */
TEST_F_TIMEOUT(fz, concurrent, 400)
{
	void *(*fns[])(void *) = { config_thread, reader_thread, reader_thread,
				   random_thread };
	struct worker w[4];
	long secs = env_long("KCAP_FUZZ_SECS", 45), pkts;
	pid_t flood[2];
	size_t i;

	if (!G.pg)
		return;		/* skipped by the setup */
	flood[0] = udp_sender(NS_A, "10.0.0.2", 5000, 7000, 1L << 30, 200, 0);
	flood[1] = udp_sender(NS_A, "10.0.1.2", 5001, 7001, 1L << 30, 64, 0);
	for (i = 0; i < 4; i++) {
		w[i].r.s = (G.seed ^ (0x9E3779B97F4A7C15ULL * (i + 1))) | 1;
		w[i].calls = 0;
		ASSERT_EQ(0, pthread_create(&w[i].th, NULL, fns[i], &w[i]));
	}
	sleep(secs);
	atomic_store(&G.stop, 1);
	for (i = 0; i < 4; i++)
		pthread_join(w[i].th, NULL);
	for (i = 0; i < 2; i++) {
		kill(flood[i], SIGKILL);
		sender_wait(flood[i]);
	}
	msleep(200);
	pkts = reconcile(_metadata, self->fd);
	TH_LOG("%ld calls (config %ld, readers %ld+%ld, random %ld), "
	       "%ld records checked, %ld out of contract, %ld packets reconciled",
	       (long)G.calls, w[0].calls, w[1].calls, w[2].calls, w[3].calls,
	       (long)G.records, (long)G.bad, pkts);
	EXPECT_EQ(0, G.bad);
	EXPECT_LE(0, pkts);
	finish(_metadata, self->fd);
}

TEST_HARNESS_MAIN
