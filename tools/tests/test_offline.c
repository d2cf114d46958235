// SPDX-License-Identifier: GPL-2.0
/*
 * kcapdump -r on the host: a pcap made here (a ping and a TCP connection
 * that ends with FINs) read back as a tree, -q lines, JSON, re-written
 * with -w, and analysed with --conversations and --follow.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"

#define NPKTS	9

static char dir[64], in_pcap[128];
static char out[1 << 16], err[4096];

static uint16_t csum(const uint8_t *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += p[i] << 8 | p[i + 1];
	if (n & 1)
		s += p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s;
}

/* Ethernet + IPv4 10.0.0.a > 10.0.0.b + an L4 header and payload. */
static size_t frame(uint8_t *f, int a, int b, uint8_t proto, const uint8_t *l4,
		    size_t l4len)
{
	static const uint8_t eth[14] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0 };
	uint8_t *ip = f + 14;
	uint16_t c;

	memcpy(f, eth, 14);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[2] = (20 + l4len) >> 8;
	ip[3] = (uint8_t)(20 + l4len);
	ip[8] = 64;
	ip[9] = proto;
	ip[12] = 10, ip[15] = a;
	ip[16] = 10, ip[19] = b;
	c = csum(ip, 20, 0);
	ip[10] = c >> 8, ip[11] = (uint8_t)c;
	memcpy(ip + 20, l4, l4len);
	if (proto == 6) {	/* the pseudo-header's sum, then the segment's */
		uint32_t s = (10 << 8) + a + (10 << 8) + b + 6 + l4len;

		c = csum(ip + 20, l4len, s);
		ip[20 + 16] = c >> 8, ip[20 + 17] = (uint8_t)c;
	}
	return 34 + l4len;
}

static size_t icmp(uint8_t *f, int a, int b, uint8_t type)
{
	uint8_t m[16] = { type, 0, 0, 0, 0x12, 0x34, 0, 1, 'k', 'c', 'a', 'p', '!', '!', '!', '!' };
	uint16_t c = csum(m, sizeof(m), 0);

	m[2] = c >> 8, m[3] = (uint8_t)c;
	return frame(f, a, b, 1, m, sizeof(m));
}

static size_t tcp(uint8_t *f, int a, int b, uint16_t sp, uint16_t dp, uint32_t seq,
		  uint32_t ack, uint8_t flags, const char *payload)
{
	uint8_t s[64] = { sp >> 8, (uint8_t)sp, dp >> 8, (uint8_t)dp,
			  seq >> 24, seq >> 16, seq >> 8, (uint8_t)seq,
			  ack >> 24, ack >> 16, ack >> 8, (uint8_t)ack,
			  5 << 4, flags, 0xff, 0xff };
	size_t n = strlen(payload);

	memcpy(s + 20, payload, n);
	return frame(f, a, b, 6, s, 20 + n);
}

/* The capture: a ping and its reply, and 7 packets of one connection. */
static int make_pcap(void)
{
	pcap_t *dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535,
							     PCAP_TSTAMP_PRECISION_NANO);
	pcap_dumper_t *d;
	struct pcap_pkthdr h = { .ts = { 1700000000, 0 } };
	uint8_t f[256];

	if (!dead)
		return -1;
	d = pcap_dump_open(dead, in_pcap);
	if (!d) {
		pcap_close(dead);
		return -1;
	}
#define PUT(sz) do { h.caplen = h.len = (sz); pcap_dump((u_char *)d, &h, f); \
		      h.ts.tv_usec += 1000000; } while (0)
	PUT(icmp(f, 1, 2, 8));
	PUT(icmp(f, 2, 1, 0));
	PUT(tcp(f, 1, 2, 40000, 80, 1000, 0, 0x02, ""));
	PUT(tcp(f, 2, 1, 80, 40000, 5000, 1001, 0x12, ""));
	PUT(tcp(f, 1, 2, 40000, 80, 1001, 5001, 0x10, ""));
	PUT(tcp(f, 1, 2, 40000, 80, 1001, 5001, 0x18, "GET / HTTP/1.0\r\n\r\n"));
	PUT(tcp(f, 2, 1, 80, 40000, 5001, 1019, 0x11, ""));
	PUT(tcp(f, 1, 2, 40000, 80, 1019, 5002, 0x11, ""));
	PUT(tcp(f, 2, 1, 80, 40000, 5002, 1020, 0x10, ""));
#undef PUT
	pcap_dump_close(d);
	pcap_close(dead);
	return 0;
}

/* Runs kcapdump with args; stdout into out, stderr into err. */
static int dump(const char *first, ...)
{
	char *argv[24], opath[128], epath[128];
	const char *bin = getenv("KCAPDUMP");
	const char *a;
	int n = 0, status, fd;
	va_list ap;
	ssize_t r;
	pid_t pid;

	argv[n++] = (char *)bin;
	va_start(ap, first);
	for (a = first; a && n < 23; a = va_arg(ap, const char *))
		argv[n++] = (char *)a;
	va_end(ap);
	argv[n] = NULL;
	snprintf(opath, sizeof(opath), "%s/stdout", dir);
	snprintf(epath, sizeof(epath), "%s/stderr", dir);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (!freopen(opath, "w", stdout) || !freopen(epath, "w", stderr))
			_exit(126);
		execv(bin, argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	out[0] = err[0] = '\0';
	fd = open(opath, O_RDONLY);
	r = fd < 0 ? 0 : read(fd, out, sizeof(out) - 1);
	out[r > 0 ? r : 0] = '\0';
	if (fd >= 0)
		close(fd);
	fd = open(epath, O_RDONLY);
	r = fd < 0 ? 0 : read(fd, err, sizeof(err) - 1);
	err[r > 0 ? r : 0] = '\0';
	if (fd >= 0)
		close(fd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Packets in a savefile, read by libpcap; -1 if it does not open. */
static int count_file(const char *path, uint32_t *bytes)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *p = pcap_open_offline(path, ebuf);
	int n = 0;

	if (!p)
		return -1;
	*bytes = 0;
	while (pcap_next_ex(p, &h, &d) == 1) {
		n++;
		*bytes += h->caplen;
	}
	pcap_close(p);
	return n;
}

static bool setup(void)
{
	if (!getenv("KCAPDUMP")) {
		printf("# KCAPDUMP not set: skipped\n");
		return false;
	}
	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/kcap-offline.XXXXXX");
		if (!mkdtemp(dir))
			return false;
		snprintf(in_pcap, sizeof(in_pcap), "%s/in.pcap", dir);
		if (make_pcap())
			return false;
	}
	return true;
}

static void test_read_outputs(void)
{
	if (!setup())
		return;
	CHECK_EQ(dump("-r", in_pcap, NULL), 0);
	CHECK_STR(out, "(Echo Request)");
	CHECK_STR(out, "(Echo Reply)");
	CHECK_STR(out, "Identifier               ] 4660");
	CHECK_STR(out, "Packet 9:");

	CHECK_EQ(dump("-r", in_pcap, "-q", NULL), 0);
	CHECK_EQ(lines(out), NPKTS);
	CHECK_STR(out, "IP 10.0.0.1 > 10.0.0.2: icmp echo request");
	CHECK_STR(out, "IP 10.0.0.1.40000 > 10.0.0.2.80: tcp [S]");

	CHECK_EQ(dump("-r", in_pcap, "-q", "-x", "-c", "1", NULL), 0);
	CHECK_STR(out, "icmp echo request");
	CHECK_STR(out, "0020  00 02 08 00");
	CHECK_STR(out, "kcap!!");

	CHECK_EQ(dump("-r", in_pcap, "-T", "json", NULL), 0);
	CHECK_EQ(lines(out), NPKTS);
	CHECK(out[0] == '{');
	CHECK_STR(out, "\"layer\":\"icmp\"");

	/* A filter expression, as tcpdump takes it, and -c. */
	CHECK_EQ(dump("-r", in_pcap, "-q", "tcp", "and", "dst", "port", "80", NULL), 0);
	CHECK_EQ(lines(out), 4);
	CHECK_EQ(dump("-r", in_pcap, "-q", "filter=icmp", NULL), 0);
	CHECK_EQ(lines(out), 2);
	CHECK_EQ(dump("-r", in_pcap, "-q", "-c", "3", NULL), 0);
	CHECK_EQ(lines(out), 3);
}

static void test_rewrite(void)
{
	char path[160];
	uint32_t in_bytes, bytes;

	if (!setup())
		return;
	snprintf(path, sizeof(path), "%s/icmp.pcap", dir);
	CHECK_EQ(dump("-r", in_pcap, "-w", path, "icmp", NULL), 0);
	CHECK_EQ(count_file(path, &bytes), 2);
	CHECK_EQ(bytes, 2 * 50);

	snprintf(path, sizeof(path), "%s/all.pcapng", dir);
	CHECK_EQ(dump("-r", in_pcap, "-w", path, "--pcapng", NULL), 0);
	CHECK_EQ(count_file(path, &bytes), NPKTS);
	CHECK_EQ(count_file(in_pcap, &in_bytes), NPKTS);
	CHECK_EQ(bytes, in_bytes);
	/* What was written reads back as what was read. */
	CHECK_EQ(dump("-r", path, "-q", NULL), 0);
	CHECK_EQ(lines(out), NPKTS);
	CHECK_STR(out, "IP 10.0.0.2.80 > 10.0.0.1.40000: tcp [F.]");

	/* Nothing selected: still a file tcpdump opens. */
	snprintf(path, sizeof(path), "%s/none.pcap", dir);
	CHECK_EQ(dump("-r", in_pcap, "-w", path, "udp", NULL), 0);
	CHECK_EQ(count_file(path, &bytes), 0);
}

static void test_analysis(void)
{
	if (!setup())
		return;
	CHECK_EQ(dump("-r", in_pcap, "--conversations", NULL), 0);
	CHECK_STR(out, "TCP conversations: 1");
	CHECK_STR(out, "A 10.0.0.1:40000 <-> B 10.0.0.2:80");
	CHECK_STR(out, "end: FIN by B, then FIN by A");

	CHECK_EQ(dump("-r", in_pcap, "--follow", "10.0.0.1:40000-10.0.0.2:80", NULL), 0);
	CHECK_STR(out, "-->[    3]");
	CHECK_STR(out, "<--[    4]");
	CHECK_STR(out, "len=18");
	CHECK_STR(out, "(7 interesting)");
}

static void test_read_errors(void)
{
	char path[160];

	if (!setup())
		return;
	CHECK_EQ(dump("-r", in_pcap, "tcp", "prot", "80", NULL), 2);
	CHECK_STR(err, "filter 'tcp prot 80'");
	CHECK_EQ(lines(err), 1);
	/* Not a capture: a runtime error that names the file. */
	snprintf(path, sizeof(path), "%s/stdout", dir);
	CHECK_EQ(dump("-r", "/etc/hostname", NULL), 1);
	CHECK_STR(err, "/etc/hostname");
	CHECK_EQ(lines(err), 1);
	/* -w into a directory that is not there: the reason, status 1. */
	CHECK_EQ(dump("-r", in_pcap, "-w", "/nonexistent/x.pcap", NULL), 1);
	CHECK_STR(err, "/nonexistent/x.pcap");
}

static void cleanup(void)
{
	char cmd[128];

	if (dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd))
			printf("# could not remove %s\n", dir);
	}
}

void offline_tests(void)
{
	RUN(test_read_outputs);
	RUN(test_rewrite);
	RUN(test_analysis);
	RUN(test_read_errors);
	cleanup();
}
