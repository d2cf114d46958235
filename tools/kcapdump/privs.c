// SPDX-License-Identifier: GPL-2.0
/*
 * -Z: once the session is attached and the first file open, kcapdump runs
 * as USER, as tcpdump does (by default user "tcpdump", where there is
 * one). /dev/kcap checks the opener's credentials, so the open
 * descriptor keeps working. Writing files, CAP_DAC_OVERRIDE is kept, as
 * tcpdump built with libcap-ng keeps it, so that -C and -G can still
 * create their next files where root could.
 */
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"
#include "options.h"

static int keep_dac_override(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	d[0].effective = d[0].permitted = 1U << CAP_DAC_OVERRIDE;
	return syscall(SYS_capset, &h, d);
}

void kd_drop_privileges(const struct kd_opts *o)
{
	const char *user = o->user ? o->user : "tcpdump";
	bool keep_dac = o->wfile && strcmp(o->wfile, "-");
	struct passwd *pw;

	if (getuid() != 0 && geteuid() != 0)
		return;
	pw = getpwnam(user);
	if (!pw) {
		if (o->user_given)
			cli_die("couldn't find user '%s'", user);
		return;		/* no tcpdump user here: stay as we are */
	}
	if (pw->pw_uid == 0)
		return;
	if (keep_dac && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		keep_dac = false;
	if (initgroups(pw->pw_name, pw->pw_gid) || setgid(pw->pw_gid) ||
	    setuid(pw->pw_uid))
		cli_die("couldn't change to '%.32s' uid=%lu gid=%lu: %s", pw->pw_name,
			(unsigned long)pw->pw_uid, (unsigned long)pw->pw_gid, strerror(errno));
	if (keep_dac) {
		if (keep_dac_override())
			cli_warn("warning: CAP_DAC_OVERRIDE not kept: %s", strerror(errno));
		prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	}
}
