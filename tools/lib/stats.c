// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* Counters: a session's totals and its devices'. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libkcap_int.h"

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
			return kcap_err(k, -ENOMEM, "out of memory");
		}
		devs = nd;
		memset(&snap->s, 0, sizeof(snap->s));
		err = kcap_copy_name(k, snap->s.name, session);
		if (!err) {
			snap->s.devs = (uintptr_t)devs;
			snap->s.cap = cap;
			err = kcap_do_ioctl(k, KCAP_IOC_STATS, &snap->s, "stats", session);
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
