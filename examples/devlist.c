// SPDX-License-Identifier: BSD-2-Clause
/*
 * Lessons 1 and 2 of the Npcap tutorial: the device list, with each
 * device's description and addresses.
 *
 *   devlist
 */
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <libkcap.h>

static const char *ntop(const struct sockaddr *sa, char *buf, socklen_t len)
{
	if (sa->sa_family == AF_INET)
		return inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, len);
	return inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf, len);
}

static void ifprint(const struct kcap_if *d)
{
	char buf[INET6_ADDRSTRLEN];

	printf("%s\n", d->name);
	printf("\tDescription: %s\n", d->description ? d->description : "(none)");
	printf("\tIndex: %d\n", d->ifindex);
	printf("\tLoopback: %s\n", d->flags & KCAP_IF_LOOPBACK ? "yes" : "no");
	printf("\tUp: %s\n", d->flags & KCAP_IF_UP ? "yes" : "no");
	for (const struct kcap_addr *a = d->addresses; a; a = a->next) {
		printf("\tAddress Family: %s\n",
		       a->addr->sa_family == AF_INET ? "AF_INET" : "AF_INET6");
		printf("\t\tAddress: %s\n", ntop(a->addr, buf, sizeof(buf)));
		if (a->netmask)
			printf("\t\tNetmask: %s\n", ntop(a->netmask, buf, sizeof(buf)));
		if (a->broadaddr)
			printf("\t\tBroadcast Address: %s\n", ntop(a->broadaddr, buf, sizeof(buf)));
		if (a->dstaddr)
			printf("\t\tDestination Address: %s\n", ntop(a->dstaddr, buf, sizeof(buf)));
	}
	printf("\n");
}

int main(int argc, char **argv)
{
	char err[KCAP_ERRBUF_SIZE];
	struct kcap_if *all;

	if (argc != 1) {
		fprintf(stderr, "devlist: unexpected argument '%s' (usage: devlist)\n", argv[1]);
		return 2;
	}
	if (kcap_findalldevs(&all, err)) {
		fprintf(stderr, "devlist: %s\n", err);
		return 1;
	}
	for (const struct kcap_if *d = all; d; d = d->next)
		ifprint(d);
	kcap_freealldevs(all);
	return 0;
}
