/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --listen: network mode, as polycube's packetcapture serves its capture.
 * A pcapng stream over TCP to every client that connects (Wireshark's and
 * dumpcap's -i TCP@host:port, nc, kcapdump -r tcp://host:port). A client
 * that comes late gets the section header and the interface blocks first.
 * The capture never waits for a client: each has a bounded buffer, packets
 * that do not fit are dropped for that client alone and counted, and a
 * client that has taken nothing for KD_NET_STALL_MS is cut off.
 */
#ifndef KCAPDUMP_SINK_NET_H
#define KCAPDUMP_SINK_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "savefile.h"
#include "sink.h"

#define KD_NET_MAX_CLIENTS	16
#define KD_NET_BUF_DEFAULT	(4U << 20)	/* bytes queued per client */
#define KD_NET_STALL_MS		5000
#define KD_NET_MAX_ALLOW	16

/* An address prefix of the allow-list. */
struct kd_net_prefix {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];
	unsigned int len;
};

struct kd_net_opts {
	const char *listen;		/* ADDR:PORT, [ADDR6]:PORT or PORT */
	struct sockaddr_storage addr;	/* where to listen, parsed */
	socklen_t addrlen;
	struct kd_net_prefix allow[KD_NET_MAX_ALLOW];
	unsigned int nallow;		/* 0: loopback peers only */
	size_t client_buf;		/* bytes; 0: KD_NET_BUF_DEFAULT */
};

/*
 * Option parsing's part: --listen's address, and --allow's comma-separated
 * prefixes (ADDR or ADDR/LEN). A listener on an address other than
 * loopback needs --allow. Returns NULL, or a message naming the mistake.
 */
const char *kd_net_parse_listen(struct kd_net_opts *no, const char *val);
const char *kd_net_parse_allow(struct kd_net_opts *no, const char *val);
const char *kd_net_check(const struct kd_net_opts *no);

/* Listens now; NULL, with the reason printed, on failure. */
struct kd_sink *kd_sink_net_open(const struct kd_net_opts *no,
				 const struct kd_out_spec *spec);

/*
 * -r tcp://HOST:PORT: connects and returns the socket, to be read as a
 * savefile; -1 with the reason in err.
 */
int kd_net_connect(const char *url, char *err, size_t errlen);

#endif /* KCAPDUMP_SINK_NET_H */
