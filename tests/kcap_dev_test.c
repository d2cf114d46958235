// SPDX-License-Identifier: GPL-2.0
/*
 * The module and its device: load, open, version, ioctl argument checks,
 * unload while in use, and repeated load/unload.
 *
 * The tests run in file order and share the module's state: the first one
 * loads it, the last ones unload it again.
 */
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <linux/kcap.h>

#include "kselftest_harness.h"
#include "kcap_mod.h"

static int kcap_open(void)
{
	return open(KCAP_DEV_PATH, O_RDWR | O_CLOEXEC);
}

/* A /proc/meminfo field in KiB, or -1. */
static long meminfo_kb(const char *field)
{
	char line[256];
	size_t n = strlen(field);
	long val = -1;
	FILE *f;

	f = fopen("/proc/meminfo", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, field, n) && line[n] == ':') {
			val = strtol(line + n + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return val;
}

TEST(load_creates_device)
{
	struct stat st;

	if (kcap_mod_loaded())
		ASSERT_EQ(0, kcap_mod_unload());
	ASSERT_EQ(0, kcap_mod_load());
	ASSERT_EQ(0, stat(KCAP_DEV_PATH, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600U, st.st_mode & 07777);
	EXPECT_EQ(0U, st.st_uid);
	/* A second load of the same module is refused, not stacked. */
	EXPECT_EQ(-EEXIST, kcap_mod_load());
}

TEST(version_reports_abi_and_features)
{
	struct kcap_version v = { 0 };
	int fd;

	fd = kcap_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, KCAP_IOC_VERSION, &v));
	EXPECT_EQ((__u32)KCAP_ABI_VERSION, v.abi_version);
	EXPECT_EQ(KCAP_FEAT_ALL, v.features);
	EXPECT_EQ((__u32)KCAP_MAX_SESSIONS, v.max_sessions);
	EXPECT_EQ((__u32)KCAP_MAX_DEVS, v.max_devs);
	close(fd);
}

TEST(unknown_ioctl_is_enotty)
{
	char buf[64] = { 0 };
	int fd;

	fd = kcap_open();
	ASSERT_LE(0, fd);
	/* Not ours at all. */
	EXPECT_EQ(-1, ioctl(fd, _IO('T', 0x7f), buf));
	EXPECT_EQ(ENOTTY, errno);
	/* Our magic, a number we never defined. */
	EXPECT_EQ(-1, ioctl(fd, _IOWR(KCAP_IOC_MAGIC, 0x7f, buf), buf));
	EXPECT_EQ(ENOTTY, errno);
	/* KCAP_IOC_VERSION's number with the wrong size is another ioctl. */
	EXPECT_EQ(-1, ioctl(fd, _IOWR(KCAP_IOC_MAGIC, 0x00, __u64), buf));
	EXPECT_EQ(ENOTTY, errno);
	close(fd);
}

TEST(version_rejects_reserved_and_flags)
{
	struct kcap_version v;
	int fd, i;

	fd = kcap_open();
	ASSERT_LE(0, fd);
	for (i = 0; i < (int)(sizeof(v.resv) / sizeof(v.resv[0])); i++) {
		memset(&v, 0, sizeof(v));
		v.resv[i] = 1;
		EXPECT_EQ(-1, ioctl(fd, KCAP_IOC_VERSION, &v));
		EXPECT_EQ(EINVAL, errno);
	}
	memset(&v, 0, sizeof(v));
	v.flags = 1;
	EXPECT_EQ(-1, ioctl(fd, KCAP_IOC_VERSION, &v));
	EXPECT_EQ(EOPNOTSUPP, errno);
	/* A bad pointer is a fault, not an oops. */
	EXPECT_EQ(-1, ioctl(fd, KCAP_IOC_VERSION, (void *)16));
	EXPECT_EQ(EFAULT, errno);
	close(fd);
}

/* Run fn in a child; its exit status, or -1 if it did not exit. */
static int in_child(int (*fn)(void))
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid == 0)
		_exit(fn());
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Still uid 0, so the node's 0600 mode lets us in: our own check says no. */
static int open_without_caps(void)
{
	if (kcap_caps_drop(0))
		return 10;
	return kcap_open() < 0 && errno == EPERM ? 0 : 11;
}

/* As nobody, the node's mode refuses before the module is asked. */
static int open_as_nobody(void)
{
	if (setgid(65534) || setuid(65534))
		return 10;
	return kcap_open() < 0 && errno == EACCES ? 0 : 11;
}

static int open_with_net_raw(void)
{
	int fd;

	if (kcap_caps_drop(1U << CAP_NET_RAW))
		return 10;
	fd = kcap_open();
	if (fd < 0)
		return 11;
	close(fd);
	return 0;
}

TEST(open_needs_capabilities)
{
	EXPECT_EQ(0, in_child(open_without_caps));
	EXPECT_EQ(0, in_child(open_as_nobody));
	EXPECT_EQ(0, in_child(open_with_net_raw));
}

TEST(rmmod_refused_while_open)
{
	int fd;

	ASSERT_EQ(0, kcap_mod_ensure());
	fd = kcap_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EWOULDBLOCK, kcap_mod_unload());
	EXPECT_TRUE(kcap_mod_loaded());
	close(fd);
	EXPECT_EQ(0, kcap_mod_unload());
	EXPECT_FALSE(kcap_mod_loaded());
	EXPECT_EQ(-1, access(KCAP_DEV_PATH, F_OK));
}

/*
 * Fifty rounds of load, use, unload. What a leak would show: memory that
 * stays allocated (unreclaimable slab, vmalloc) and grows with the rounds.
 * The VM's own noise over fifty rounds is 20-60 KiB; 512 KiB catches a
 * leak of 10 KiB a round. Smaller leaks are kmemleak's job (debug kernel).
 */
TEST(load_unload_50_times)
{
	long slab0, vm0, slab1, vm1;
	int i, fd;

	if (kcap_mod_loaded())
		ASSERT_EQ(0, kcap_mod_unload());
	/* One round first, so one-time allocations are not counted. */
	ASSERT_EQ(0, kcap_mod_load());
	ASSERT_EQ(0, kcap_mod_unload());
	slab0 = meminfo_kb("SUnreclaim");
	vm0 = meminfo_kb("VmallocUsed");
	ASSERT_LT(0, slab0);

	for (i = 0; i < 50; i++) {
		struct kcap_version v = { 0 };

		ASSERT_EQ(0, kcap_mod_load());
		fd = kcap_open();
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, ioctl(fd, KCAP_IOC_VERSION, &v));
		close(fd);
		ASSERT_EQ(0, kcap_mod_unload()) TH_LOG("round %d", i);
	}
	EXPECT_FALSE(kcap_mod_loaded());
	EXPECT_EQ(-1, access(KCAP_DEV_PATH, F_OK));

	slab1 = meminfo_kb("SUnreclaim");
	vm1 = meminfo_kb("VmallocUsed");
	TH_LOG("SUnreclaim %ld -> %ld KiB, VmallocUsed %ld -> %ld KiB",
	       slab0, slab1, vm0, vm1);
	/*
	 * KASAN's quarantine holds freed objects back, so on the debug
	 * kernel slab use grows whatever we free; there kmemleak, whose
	 * report fails the VM run, is the judge.
	 */
	if (!access("/sys/kernel/debug/kmemleak", F_OK))
		SKIP(return, "kmemleak judges leaks on this kernel");
	EXPECT_GT(512, slab1 - slab0);
	EXPECT_GT(512, vm1 - vm0);
}

TEST_HARNESS_MAIN
