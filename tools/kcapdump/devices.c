// SPDX-License-Identifier: GPL-2.0
/*
 * -D and -L as tcpdump prints them, and the device a capture without -i
 * takes: libpcap's list (up and running devices first, loopback after
 * the others), less what kcap cannot hook (usbmon, nflog, D-Bus...):
 * network devices, and "any".
 */
#include <net/if.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "options.h"

static bool kcap_can_capture(const pcap_if_t *d)
{
	return !strcmp(d->name, "any") || if_nametoindex(d->name);
}

static pcap_if_t *all_devices(void)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	pcap_if_t *all;

	if (pcap_findalldevs(&all, ebuf))
		cli_die("%s", ebuf);
	return all;
}

/* The nth (from 1) device kcap can capture on, as -D numbers them. */
static char *nth_device(unsigned int n)
{
	pcap_if_t *all = all_devices(), *d;
	char *name = NULL;

	for (d = all; d && !name; d = d->next)
		if (kcap_can_capture(d) && !--n)
			name = strdup(d->name);
	pcap_freealldevs(all);
	return name;
}

char *kd_default_device(void)
{
	return nth_device(1);
}

char *kd_device_by_number(unsigned int n)
{
	return nth_device(n);
}

/* print-*.c's bittok2str() of tcpdump's status_flags, then the connection. */
static void print_flags(bpf_u_int32 f)
{
	static const struct { bpf_u_int32 bit; const char *name; } names[] = {
		{ PCAP_IF_UP, "Up" },
		{ PCAP_IF_RUNNING, "Running" },
		{ PCAP_IF_LOOPBACK, "Loopback" },
		{ PCAP_IF_WIRELESS, "Wireless" },
	};
	bool any = false, wireless = f & PCAP_IF_WIRELESS;

	printf(" [");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (f & names[i].bit) {
			printf("%s%s", any ? ", " : "", names[i].name);
			any = true;
		}
	}
	if (!any)
		printf("none");
	switch (f & PCAP_IF_CONNECTION_STATUS) {
	case PCAP_IF_CONNECTION_STATUS_UNKNOWN:
		printf(wireless ? ", Association status unknown" : ", Connection status unknown");
		break;
	case PCAP_IF_CONNECTION_STATUS_CONNECTED:
		printf(wireless ? ", Associated" : ", Connected");
		break;
	case PCAP_IF_CONNECTION_STATUS_DISCONNECTED:
		printf(wireless ? ", Not associated" : ", Disconnected");
		break;
	default:
		break;
	}
	printf("]\n");
}

int kd_list_devices(void)
{
	pcap_if_t *all = all_devices(), *d;
	unsigned int n = 0;

	for (d = all; d; d = d->next) {
		if (!kcap_can_capture(d))
			continue;
		printf("%u.%s", ++n, d->name);
		if (d->description)
			printf(" (%s)", d->description);
		print_flags(d->flags);
	}
	pcap_freealldevs(all);
	return fflush(stdout) ? 1 : 0;
}

int kd_list_dlts(const char *device)
{
	/* kcap hands out every device's packets as Ethernet frames; any's
	 * are shown cooked by default, as tcpdump's are. */
	printf("Data link types for %s (use option -y to set):\n", device);
	printf("  EN10MB (Ethernet)\n");
	if (!strcmp(device, "any"))
		printf("  LINUX_SLL2 (Linux cooked v2)\n");
	return fflush(stdout) ? 1 : 0;
}
