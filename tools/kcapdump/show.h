/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Live packets through libkcapdecode: a tree, one line (-q), a hex dump
 * (-x) or JSON (-T json), with the device's name and the direction.
 */
#ifndef KCAPDUMP_SHOW_H
#define KCAPDUMP_SHOW_H

#include <net/if.h>
#include <stdio.h>

#include "decode.h"
#include "kcap.h"

#define KD_IFCACHE	8

struct kd_show {
	struct kcap_dec_opts o;
	uint64_t number;
	/* if_indextoname() is a socket and an ioctl: once per device. */
	struct {
		int ifindex;
		char name[IF_NAMESIZE];
	} ifc[KD_IFCACHE];
	unsigned int nifc, next;
};

/* The KCAP_DLT_* a device's frames decode as, from its ARPHRD_*. */
int kd_linktype(unsigned int hatype);
const char *kd_ifname(struct kd_show *s, int ifindex);
void kd_show_packet(struct kd_show *s, FILE *out, const struct kcap_pkthdr *h,
		    const uint8_t *data);

#endif /* KCAPDUMP_SHOW_H */
