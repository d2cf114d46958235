// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libkcap's handle: /dev/kcap opened, its ABI version checked, closed.
 */
#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libkcap_int.h"

/* The ABI's sizes: the same numbers as kmod/ioctl.c's static_asserts. */
_Static_assert(sizeof(struct kcap_version) == 40, "kcap_version");
_Static_assert(sizeof(struct kcap_session_req) == 80, "kcap_session_req");
_Static_assert(sizeof(struct kcap_session_list) == 32, "kcap_session_list");
_Static_assert(sizeof(struct kcap_prefix) == 24, "kcap_prefix");
_Static_assert(sizeof(struct kcap_config) == 224, "kcap_config");
_Static_assert(sizeof(struct kcap_attach) == 88, "kcap_attach");
_Static_assert(sizeof(struct kcap_ring_prod) == 8, "kcap_ring_prod");
_Static_assert(sizeof(struct kcap_ring_cons) == 8, "kcap_ring_cons");
_Static_assert(sizeof(struct kcap_pkthdr) == 32, "kcap_pkthdr");
_Static_assert(sizeof(struct kcap_counters) == 48, "kcap_counters");
_Static_assert(sizeof(struct kcap_dev_stats) == 120, "kcap_dev_stats");
_Static_assert(sizeof(struct kcap_stats) == 176, "kcap_stats");
_Static_assert(sizeof(struct kcap_tx_bind) == 16, "kcap_tx_bind");
_Static_assert(sizeof(struct kcap_tx_stats) == 64, "kcap_tx_stats");

struct kcap *kcap_new(void)
{
	struct kcap *k = calloc(1, sizeof(*k));

	if (!k)
		return NULL;
	k->fd = -1;
	k->promisc_fd = -1;
	k->timeout_ms = -1;
	k->mode = KCAP_MODE_CAPT;
	return k;
}

int kcap_open(struct kcap **kp, const char *path)
{
	struct kcap *k;
	int err;

	*kp = NULL;
	k = kcap_new();
	if (!k)
		return -ENOMEM;
	if (!path)
		path = KCAP_DEV_PATH;
	k->fd = open(path, O_RDWR | O_CLOEXEC);
	if (k->fd < 0) {
		err = errno;
		if (err == ENOENT)
			kcap_err(k, -err, "%s: no such device (is kcap.ko loaded?)", path);
		else if (err == EPERM || err == EACCES)
			kcap_err(k, -err, "%s: %s (needs CAP_NET_RAW or CAP_NET_ADMIN)",
				 path, strerror(err));
		else
			kcap_err(k, -err, "%s: %s", path, strerror(err));
		*kp = k;	/* so the caller can read the message */
		return -err;
	}
	*kp = k;
	err = kcap_do_ioctl(k, KCAP_IOC_VERSION, &k->ver, "version", NULL);
	if (err)
		return err;
	if (k->ver.abi_version != KCAP_ABI_VERSION)
		return kcap_err(k, -EPROTO,
				"kcap ABI version %u, these tools speak %u",
				k->ver.abi_version, KCAP_ABI_VERSION);
	return 0;
}

void kcap_close(struct kcap *k)
{
	if (!k)
		return;
	kcap_detach(k);
	if (k->fd >= 0)
		close(k->fd);
	/* Leaving promiscuous mode is the kernel's, as this socket closes. */
	if (k->promisc_fd >= 0)
		close(k->promisc_fd);
	if (k->pcap)
		pcap_close(k->pcap);
	free(k);
}

int kcap_fd(const struct kcap *k)
{
	return k->fd;
}

const char *kcap_geterr(const struct kcap *k)
{
	return k->err;
}

const struct kcap_version *kcap_version_info(const struct kcap *k)
{
	return &k->ver;
}
