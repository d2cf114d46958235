/* SPDX-License-Identifier: GPL-2.0 */
/* What kcapgen send learns from the sending device: its MAC, its address,
 * the destination's neighbour entry. */
#ifndef KCAPGEN_NETDEV_H
#define KCAPGEN_NETDEV_H

#include <stdint.h>
#include <netinet/in.h>

/* 0, or -1 if there is none (or it cannot be read). */
int gen_dev_mac(const char *ifname, uint8_t mac[6]);
/* The first address of family on ifname. */
int gen_dev_addr(const char *ifname, int family, struct in6_addr *a);
/* The destination's complete entry in the ARP table, on ifname. */
int gen_neigh_mac(const char *ifname, const struct in6_addr *dst, uint8_t mac[6]);
/* An IPv4 or IPv6 address; *family AF_INET or AF_INET6. */
int gen_parse_addr(const char *s, int *family, struct in6_addr *a);

#endif /* KCAPGEN_NETDEV_H */
