// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* Where a session's packets go: told by its reader, asked by anyone. */
#include <errno.h>
#include <string.h>

#include "libkcap_int.h"

_Static_assert(sizeof(struct kcap_dump) == 336, "kcap_dump");

static bool kcap_has_dump(struct kcap *k)
{
	if (k->ver.features & KCAP_FEAT_DUMP)
		return true;
	kcap_err(k, -EOPNOTSUPP, "this kcap module cannot say where dumps go");
	return false;
}

int kcap_dump_set(struct kcap *k, const struct kcap_dump *dump)
{
	struct kcap_dump d = *dump;

	if (!kcap_has_dump(k))
		return -EOPNOTSUPP;
	memset(d.name, 0, sizeof(d.name));
	return kcap_do_ioctl(k, KCAP_IOC_DUMP_SET, &d, "dump set", NULL);
}

int kcap_dump_get(struct kcap *k, const char *session, struct kcap_dump *dump)
{
	int err;

	memset(dump, 0, sizeof(*dump));
	if (!kcap_has_dump(k))
		return -EOPNOTSUPP;
	err = kcap_copy_name(k, dump->name, session);
	if (err)
		return err;
	return kcap_do_ioctl(k, KCAP_IOC_DUMP_GET, dump, "dump", session);
}

const char *kcap_dump_kind_name(uint32_t kind)
{
	static const char *const names[] = {
		[KCAP_DUMP_NONE] = "-",
		[KCAP_DUMP_FILE] = "file",
		[KCAP_DUMP_PIPE] = "pipe",
		[KCAP_DUMP_PRINT] = "print",
		[KCAP_DUMP_LISTEN] = "listen",
		[KCAP_DUMP_STATS] = "stats",
	};

	return kind <= KCAP_DUMP_KIND_MAX ? names[kind] : "?";
}
