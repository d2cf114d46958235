/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * libkcap's inside, shared by its files and nothing else: the handle, and
 * the helpers that turn a failure into kcap_geterr()'s message.
 */
#ifndef LIBKCAP_INT_H
#define LIBKCAP_INT_H

#include <net/if.h>
#include <signal.h>

#include "libkcap.h"
#include "reader.h"

#define KCAP_IFCACHE		8

struct kcap {
	int fd;
	struct kcap_version ver;
	volatile sig_atomic_t brk;
	bool attached;
	int latency_ms;			/* with a wakeup mark; 0: none */
	void *cons_map;
	size_t cons_len;
	void *prod_map;
	size_t prod_len;
	struct kcap_reader ring;
	struct kcap_packet pkt;		/* the one kcap_next() handed out */
	/* if_indextoname() is a socket and an ioctl: once per device. */
	struct {
		int ifindex;
		char name[IF_NAMESIZE];
	} ifc[KCAP_IFCACHE];
	unsigned int nifc, ifc_next;
	char err[KCAP_ERRBUF_SIZE];
};


/* Sets kcap_geterr()'s message; returns ret. */
__attribute__((format(printf, 3, 4)))
int kcap_err(struct kcap *k, int ret, const char *fmt, ...);
/* A failed ioctl's errno as a message naming what failed (and the session). */
int kcap_ioctl_err(struct kcap *k, int err, const char *what, const char *name);
int kcap_do_ioctl(struct kcap *k, unsigned long req, void *arg,
		  const char *what, const char *name);
/* A session name into an ABI name field: 0, or -EINVAL with the message. */
int kcap_copy_name(struct kcap *k, __u8 *dst, const char *name);

#endif /* LIBKCAP_INT_H */
