// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* Injection: write(2) is one frame, each iovec of writev(2) one more. */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "libkcap_int.h"

int kcap_tx_bind_index(struct kcap *k, int ifindex)
{
	struct kcap_tx_bind b = { .ifindex = ifindex };

	return kcap_do_ioctl(k, KCAP_IOC_TX_BIND, &b, "bind for injection", NULL);
}

int kcap_tx_bind(struct kcap *k, const char *ifname)
{
	unsigned int idx = if_nametoindex(ifname);

	if (!idx)
		return kcap_err(k, -ENODEV, "%s: no such device", ifname);
	return kcap_tx_bind_index(k, (int)idx);
}

static int kcap_inject_fail(struct kcap *k, int err, unsigned int frame)
{
	if (err == EDESTADDRREQ)
		return kcap_err(k, -err, "inject: not bound to a device");
	if (err == EMSGSIZE)
		return kcap_err(k, -err, "inject: frame %u longer than the MTU allows",
				frame);
	return kcap_err(k, -err, "inject: frame %u: %s", frame, strerror(err));
}

int kcap_inject(struct kcap *k, const void *frame, size_t len)
{
	ssize_t n;
	int err = kcap_tx_autobind(k);

	if (err)
		return err;
	n = write(k->fd, frame, len);
	if (n < 0)
		return kcap_inject_fail(k, errno, 0);
	return 0;
}

int kcap_inject_batch(struct kcap *k, const struct iovec *iov, unsigned int n)
{
	unsigned int done = 0, chunk, i;
	size_t want;
	ssize_t got;
	int err = kcap_tx_autobind(k);

	if (err)
		return err;
	while (done < n) {
		chunk = n - done < IOV_MAX ? n - done : IOV_MAX;
		got = writev(k->fd, iov + done, (int)chunk);
		if (got < 0) {
			if (done)
				break;
			return kcap_inject_fail(k, errno, done);
		}
		/* A short write ends at a frame boundary: count whole frames. */
		for (i = 0, want = 0; i < chunk; i++) {
			if (want + iov[done + i].iov_len > (size_t)got)
				break;
			want += iov[done + i].iov_len;
		}
		done += i;
		if (i < chunk)
			break;
	}
	if (done < n)
		kcap_err(k, 0, "inject: frame %u not sent; send from it again for the reason",
			 done);
	return (int)done;
}

int kcap_tx_stats(struct kcap *k, int ifindex, struct kcap_tx_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->ifindex = ifindex;
	return kcap_do_ioctl(k, KCAP_IOC_TX_STATS, st, "injection counters", NULL);
}
