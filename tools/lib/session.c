// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* Sessions: created, deleted, described, listed. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "libkcap_int.h"

static int kcap_session_op(struct kcap *k, unsigned long req, const char *name,
			   struct kcap_session_req *sr, const char *what)
{
	__u32 flags = sr->flags;
	int err;

	memset(sr, 0, sizeof(*sr));
	sr->flags = flags;
	err = kcap_copy_name(k, sr->name, name);
	if (err)
		return err;
	if (req == KCAP_IOC_SESSION_ADD) {
		/* ENOENT/EBUSY mean other things here: no name decoration. */
		if (ioctl(k->fd, req, sr) == 0)
			return 0;
		if (errno == EEXIST)
			return kcap_err(k, -EEXIST, "session '%s' already exists", name);
		return kcap_err(k, -errno, "%s '%s': %s", what, name, strerror(errno));
	}
	return kcap_do_ioctl(k, req, sr, what, name);
}

int kcap_session_add(struct kcap *k, const char *name)
{
	struct kcap_session_req sr = { 0 };

	return kcap_session_op(k, KCAP_IOC_SESSION_ADD, name, &sr, "add session");
}

int kcap_session_add_private(struct kcap *k, const char *name)
{
	struct kcap_session_req sr = { .flags = KCAP_SESSION_F_PRIVATE };

	if (!(kcap_version_info(k)->features & KCAP_FEAT_PRIVATE))
		return kcap_err(k, -EOPNOTSUPP,
				"this kcap module has no private sessions (load the one built with these tools)");
	return kcap_session_op(k, KCAP_IOC_SESSION_ADD, name, &sr, "add session");
}

int kcap_session_del(struct kcap *k, const char *name)
{
	struct kcap_session_req sr = { 0 };

	return kcap_session_op(k, KCAP_IOC_SESSION_DEL, name, &sr, "delete session");
}

int kcap_session_info(struct kcap *k, const char *name,
		      struct kcap_session_req *info)
{
	info->flags = 0;
	return kcap_session_op(k, KCAP_IOC_SESSION_INFO, name, info, "session info");
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
			return kcap_err(k, -ENOMEM, "out of memory");
		}
		buf = nbuf;
		memset(&sl, 0, sizeof(sl));
		sl.names = (uintptr_t)buf;
		sl.cap = cap;
		err = kcap_do_ioctl(k, KCAP_IOC_SESSION_LIST, &sl, "list sessions", NULL);
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
