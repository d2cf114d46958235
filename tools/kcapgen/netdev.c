// SPDX-License-Identifier: GPL-2.0
/* The sending device's addresses and neighbours; see netdev.h. */
#include <ifaddrs.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>

#include "craft.h"
#include "netdev.h"

int gen_dev_mac(const char *ifname, uint8_t mac[6])
{
	char path[128], line[64];
	FILE *f;
	int ret = -1;

	snprintf(path, sizeof(path), "/sys/class/net/%s/address", ifname);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		ret = gen_parse_mac(line, mac);
	}
	fclose(f);
	return ret;
}

int gen_dev_addr(const char *ifname, int family, struct in6_addr *a)
{
	struct ifaddrs *ifa, *i;
	int ret = -1;

	if (getifaddrs(&ifa))
		return -1;
	for (i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != family ||
		    strcmp(i->ifa_name, ifname))
			continue;
		if (family == AF_INET)
			memcpy(a, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, 4);
		else
			*a = ((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
		ret = 0;
		break;
	}
	freeifaddrs(ifa);
	return ret;
}

int gen_neigh_mac(const char *ifname, const struct in6_addr *dst, uint8_t mac[6])
{
	char line[256], ip[64], hw[64], dev[IF_NAMESIZE + 1], want[INET_ADDRSTRLEN];
	unsigned int type, flags;
	FILE *f = fopen("/proc/net/arp", "r");
	int ret = -1;

	if (!f)
		return -1;
	inet_ntop(AF_INET, dst, want, sizeof(want));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s 0x%x 0x%x %63s %*s %16s", ip, &type, &flags,
			   hw, dev) != 5)
			continue;
		/* ATF_COM: complete. */
		if (!strcmp(ip, want) && !strcmp(dev, ifname) && (flags & 2) &&
		    !gen_parse_mac(hw, mac)) {
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

int gen_parse_addr(const char *s, int *family, struct in6_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a) == 1) {
		*family = AF_INET6;
		return 0;
	}
	return -1;
}
