// SPDX-License-Identifier: GPL-2.0
/*
 * The baseline for kcap's injection rate: a plain AF_PACKET sender, one
 * send(2) per frame of a SOCK_RAW packet socket bound to the device, as
 * tcpreplay and most injectors do; and the same loop through /dev/kcap,
 * one write(2) per frame (kcap) or writev(2) of 64 frames (kcap-batch).
 *
 *   tx_afpacket DEV COUNT LEN DSTMAC [afpacket|kcap|kcap-batch]
 *
 * Prints "MODE: N packets, B bytes, T s, P packets/s".
 * Build: cc -O2 -Iuapi -o tx_afpacket bench/tx_afpacket.c
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <fcntl.h>
#include <linux/kcap.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	unsigned char frame[2048] = { 0 };
	unsigned int mac[6];
	long count, i, sent = 0;
	size_t len;
	double t0, t;
	const char *mode = argc > 5 ? argv[5] : "afpacket";
	struct iovec iov[64];
	int fd, batch = 0;

	if ((argc != 5 && argc != 6) || sscanf(argv[4], "%x:%x:%x:%x:%x:%x", &mac[0], &mac[1],
				&mac[2], &mac[3], &mac[4], &mac[5]) != 6) {
		fprintf(stderr, "usage: tx_afpacket DEV COUNT LEN DSTMAC\n");
		return 2;
	}
	count = atol(argv[2]);
	len = (size_t)atol(argv[3]);
	if (len < ETH_HLEN || len > sizeof(frame))
		return 2;
	for (i = 0; i < 6; i++)
		frame[i] = (unsigned char)mac[i];
	frame[12] = 0x88;
	frame[13] = 0xb5;

	sll.sll_ifindex = (int)if_nametoindex(argv[1]);
	if (!strcmp(mode, "afpacket")) {
		fd = socket(AF_PACKET, SOCK_RAW, 0);
		sll.sll_protocol = 0;	/* send only: nothing queued to us */
		if (fd < 0 || !sll.sll_ifindex ||
		    bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
			perror("afpacket");
			return 1;
		}
	} else {
		struct kcap_tx_bind b = { .ifindex = sll.sll_ifindex };

		batch = !strcmp(mode, "kcap-batch");
		fd = open("/dev/kcap", O_RDWR);
		if (fd < 0 || ioctl(fd, KCAP_IOC_TX_BIND, &b)) {
			perror("kcap");
			return 1;
		}
		for (i = 0; i < 64; i++) {
			iov[i].iov_base = frame;
			iov[i].iov_len = len;
		}
	}
	t0 = now();
	for (i = 0; i < count; i++) {
		memcpy(frame + ETH_HLEN, &i, sizeof(i));
		if (batch) {
			int m = count - i < 64 ? (int)(count - i) : 64;
			ssize_t n = writev(fd, iov, m);

			if (n < 0) {
				perror("writev");
				return 1;
			}
			sent += n / (ssize_t)len;
			i += n / (ssize_t)len - 1;
			continue;
		}
		if (write(fd, frame, len) < 0) {
			if (errno == ENOBUFS) {
				i--;
				continue;
			}
			perror("send");
			return 1;
		}
		sent++;
	}
	t = now() - t0;
	printf("%s: %ld packets, %ld bytes, %.3f s, %.1f packets/s\n",
	       mode, sent, sent * (long)len, t, sent / t);
	return 0;
}
