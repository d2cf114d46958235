// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * kcap_findalldevs(): the devices of this network namespace, in index
 * order, with their addresses from getifaddrs(3) and a description from
 * sysfs, then "any": what kcap_open_live() takes.
 */
#include <errno.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "libkcap_int.h"

static bool kcap_sysfs(const char *dev, const char *attr, char *buf, size_t len)
{
	char path[128];
	FILE *fp;
	bool ok;

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", dev, attr);
	fp = fopen(path, "r");
	if (!fp)
		return false;
	ok = fgets(buf, (int)len, fp) != NULL;
	fclose(fp);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok && *buf;
}

/* "loopback", "ethernet 52:54:00:12:34:56 (virtio_net)", or the alias. */
static char *kcap_describe(const char *dev)
{
	char buf[256], type[16], mac[32] = "", drv[256] = "", *p;
	const char *tn = NULL;
	unsigned long t = 0;
	ssize_t n;

	if (kcap_sysfs(dev, "ifalias", buf, sizeof(buf)))
		return strdup(buf);
	if (kcap_sysfs(dev, "type", type, sizeof(type)))
		t = strtoul(type, NULL, 10);
	switch (t) {
	case 1: tn = "ethernet"; break;
	case 772: tn = "loopback"; break;
	case 65534: tn = "no link layer (tun)"; break;
	case 768: tn = "ipip tunnel"; break;
	case 776: tn = "sit tunnel"; break;
	case 778: tn = "gre tunnel"; break;
	case 801: tn = "802.11"; break;
	case 803: tn = "802.11 radiotap"; break;
	}
	if (t == 1)
		kcap_sysfs(dev, "address", mac, sizeof(mac));
	snprintf(buf, sizeof(buf), "/sys/class/net/%s/device/driver", dev);
	n = readlink(buf, drv, sizeof(drv) - 1);
	if (n > 0) {
		drv[n] = '\0';
		p = strrchr(drv, '/');
		memmove(drv, p ? p + 1 : drv, strlen(p ? p + 1 : drv) + 1);
	} else {
		drv[0] = '\0';
	}
	if (tn)
		n = snprintf(buf, sizeof(buf), "%s", tn);
	else
		n = snprintf(buf, sizeof(buf), "link type %lu", t);
	if (*mac)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, " %s", mac);
	if (*drv)
		snprintf(buf + n, sizeof(buf) - (size_t)n, " (%s)", drv);
	return strdup(buf);
}

static struct sockaddr *kcap_sa_dup(const struct sockaddr *sa)
{
	size_t len;
	void *p;

	if (!sa)
		return NULL;
	if (sa->sa_family == AF_INET)
		len = sizeof(struct sockaddr_in);
	else if (sa->sa_family == AF_INET6)
		len = sizeof(struct sockaddr_in6);
	else
		len = sizeof(struct sockaddr_storage);
	p = malloc(sizeof(struct sockaddr_storage));
	if (p) {
		memset(p, 0, sizeof(struct sockaddr_storage));
		memcpy(p, sa, len);
	}
	return p;
}

static void kcap_free_addrs(struct kcap_addr *a)
{
	while (a) {
		struct kcap_addr *next = a->next;

		free(a->addr);
		free(a->netmask);
		free(a->broadaddr);
		free(a->dstaddr);
		free(a);
		a = next;
	}
}

void kcap_freealldevs(struct kcap_if *d)
{
	while (d) {
		struct kcap_if *next = d->next;

		free(d->name);
		free(d->description);
		kcap_free_addrs(d->addresses);
		free(d);
		d = next;
	}
}

static struct kcap_if *kcap_if_new(const char *name, int ifindex)
{
	struct kcap_if *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->name = strdup(name);
	d->ifindex = ifindex;
	if (!d->name) {
		free(d);
		return NULL;
	}
	return d;
}

/* The addresses of one device, in getifaddrs(3)'s order. */
static int kcap_if_addrs(struct kcap_if *d, struct ifaddrs *all)
{
	struct kcap_addr **tail = &d->addresses, *a;
	struct ifaddrs *i;

	for (i = all; i; i = i->ifa_next) {
		if (strcmp(i->ifa_name, d->name))
			continue;
		if (i->ifa_flags & IFF_UP)
			d->flags |= KCAP_IF_UP;
		if (i->ifa_flags & IFF_RUNNING)
			d->flags |= KCAP_IF_RUNNING;
		if (i->ifa_flags & IFF_LOOPBACK)
			d->flags |= KCAP_IF_LOOPBACK;
		if (!i->ifa_addr || (i->ifa_addr->sa_family != AF_INET &&
				     i->ifa_addr->sa_family != AF_INET6))
			continue;
		a = calloc(1, sizeof(*a));
		if (!a)
			return -ENOMEM;
		*tail = a;
		tail = &a->next;
		a->addr = kcap_sa_dup(i->ifa_addr);
		a->netmask = kcap_sa_dup(i->ifa_netmask);
		if (i->ifa_flags & IFF_POINTOPOINT)
			a->dstaddr = kcap_sa_dup(i->ifa_dstaddr);
		else if (i->ifa_flags & IFF_BROADCAST)
			a->broadaddr = kcap_sa_dup(i->ifa_broadaddr);
		if (!a->addr)
			return -ENOMEM;
	}
	return 0;
}

int kcap_findalldevs(struct kcap_if **alldevs, char *errbuf)
{
	struct if_nameindex *names, *n;
	struct kcap_if *head = NULL, **tail = &head, *d;
	struct ifaddrs *ifa = NULL;
	int err = 0;

	if (!alldevs) {
		if (errbuf)
			snprintf(errbuf, KCAP_ERRBUF_SIZE, "findalldevs: no list to fill");
		return -EINVAL;
	}
	*alldevs = NULL;
	names = if_nameindex();
	if (!names || getifaddrs(&ifa)) {
		err = -errno;
		if (errbuf)
			snprintf(errbuf, KCAP_ERRBUF_SIZE, "findalldevs: %s", strerror(errno));
		if (names)
			if_freenameindex(names);
		return err;
	}
	for (n = names; n->if_index && !err; n++) {
		d = kcap_if_new(n->if_name, (int)n->if_index);
		if (!d) {
			err = -ENOMEM;
			break;
		}
		*tail = d;
		tail = &d->next;
		d->description = kcap_describe(d->name);
		err = kcap_if_addrs(d, ifa);
	}
	if (!err) {
		d = kcap_if_new("any", 0);
		if (d) {
			d->description = strdup("every device of this network namespace");
			d->flags = KCAP_IF_UP | KCAP_IF_RUNNING;
			*tail = d;
		} else {
			err = -ENOMEM;
		}
	}
	freeifaddrs(ifa);
	if_freenameindex(names);
	if (err) {
		kcap_freealldevs(head);
		if (errbuf)
			snprintf(errbuf, KCAP_ERRBUF_SIZE, "findalldevs: out of memory");
		return err;
	}
	*alldevs = head;
	return 0;
}
