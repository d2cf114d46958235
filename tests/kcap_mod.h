/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading and unloading kcap.ko from a test, and dropping privileges.
 * The VM runner hands each test the module's path in $KCAP_KO and does not
 * load it: every test file starts from an unloaded module.
 */
#ifndef KCAP_MOD_H
#define KCAP_MOD_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#define KCAP_DEV_PATH "/dev/kcap"

static inline const char *kcap_ko_path(void)
{
	const char *ko = getenv("KCAP_KO");

	return ko ? ko : "kmod/kcap.ko";
}

/* 0, or -errno from finit_module(2). */
static inline int kcap_mod_load(void)
{
	int fd, ret;

	fd = open(kcap_ko_path(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0);
	ret = ret ? -errno : 0;
	close(fd);
	return ret;
}

/* 0, or -errno from delete_module(2); never waits for users to go. */
static inline int kcap_mod_unload(void)
{
	return syscall(SYS_delete_module, "kcap", O_NONBLOCK) ? -errno : 0;
}

static inline int kcap_mod_loaded(void)
{
	struct stat st;

	return stat("/sys/module/kcap", &st) == 0;
}

/* Load unless loaded already; for tests that need the module up. */
static inline int kcap_mod_ensure(void)
{
	int ret = kcap_mod_loaded() ? 0 : kcap_mod_load();

	return ret == -EEXIST ? 0 : ret;
}

/* Unload if loaded, then load: each test starts from a fresh module. */
static inline int kcap_mod_reload(void)
{
	if (kcap_mod_loaded() && kcap_mod_unload())
		return -1;
	return kcap_mod_load();
}

/* /dev/kcap, read-write; -1 with errno on failure. */
static inline int kcap_dev_open(void)
{
	return open(KCAP_DEV_PATH, O_RDWR | O_CLOEXEC);
}

/* Clear every capability of this process, keeping its uid. */
static inline int kcap_caps_drop(__u32 keep)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	data[0].effective = data[0].permitted = keep;
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

#endif /* KCAP_MOD_H */
