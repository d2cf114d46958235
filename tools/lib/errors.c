// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libkcap's errors: every failure leaves one line for kcap_geterr(), which
 * names what failed and, for a session, which one and who holds it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "libkcap_int.h"

int kcap_err(struct kcap *k, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(k->err, sizeof(k->err), fmt, ap);
	va_end(ap);
	return ret;
}

int kcap_copy_name(struct kcap *k, __u8 *dst, const char *name)
{
	size_t n = strlen(name);

	if (!n || n >= KCAP_NAME_LEN)
		return kcap_err(k, -EINVAL,
				"session name '%s': must be 1-%d characters",
				name, KCAP_NAME_LEN - 1);
	memcpy(dst, name, n + 1);
	return 0;
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

/* A failed ioctl's errno, as a message naming what failed. */
int kcap_ioctl_err(struct kcap *k, int err, const char *what,
		   const char *name)
{
	if (name && err == ENOENT)
		return kcap_err(k, -err, "%s: no session named '%s'", what, name);
	if (name && err == EBUSY) {
		char who[128];

		kcap_describe_reader(k, name, who, sizeof(who));
		return kcap_err(k, -err, "%s: %s", what, who);
	}
	if (name)
		return kcap_err(k, -err, "%s '%s': %s", what, name, strerror(err));
	return kcap_err(k, -err, "%s: %s", what, strerror(err));
}

int kcap_do_ioctl(struct kcap *k, unsigned long req, void *arg,
		  const char *what, const char *name)
{
	if (ioctl(k->fd, req, arg) == 0)
		return 0;
	return kcap_ioctl_err(k, errno, what, name);
}
