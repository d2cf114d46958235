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

#include "decode.h"
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

/*
 * Runs the program named by the environment variable env with the
 * arguments up to NULL; stdout into out, stderr into err. Returns its exit
 * status, -1 for a signal.
 */
static int run_env(const char *env, const char *first, ...)
{
	char *argv[24], opath[128], epath[128];
	const char *bin = getenv(env);
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

/* kcapdump with args, and the same built with ASan and UBSan. */
#define dump(...)	run_env("KCAPDUMP", __VA_ARGS__)
#define dump_san(...)	run_env("KCAPDUMP_SAN", __VA_ARGS__)

static int lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/*
 * Reads a savefile with libpcap: the packets in it, or -1 if it does not
 * open. bytes (if not NULL) gets the sum of their captured lengths; ends
 * (if not NULL) where the header and each of the first max - 1 records
 * end in the file.
 */
static int read_file(const char *path, uint32_t *bytes, long *ends, int max)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *p = pcap_open_offline(path, ebuf);
	int n = 0;

	if (!p)
		return -1;
	if (bytes)
		*bytes = 0;
	if (ends)
		ends[0] = ftell(pcap_file(p));
	while ((!ends || n + 1 < max) && pcap_next_ex(p, &h, &d) == 1) {
		n++;
		if (bytes)
			*bytes += h->caplen;
		if (ends)
			ends[n] = ftell(pcap_file(p));
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
	CHECK_EQ(dump("-r", in_pcap, "-V", NULL), 0);
	CHECK_STR(out, "(Echo Request)");
	CHECK_STR(out, "(Echo Reply)");
	CHECK_STR(out, "Identifier               ] 4660");
	CHECK_STR(out, "Packet 9:");

	/* tcpdump's lines by default, -q's shorter ones. */
	CHECK_EQ(dump("-r", in_pcap, "-nn", NULL), 0);
	CHECK_EQ(lines(out), NPKTS);
	CHECK_STR(out, "IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 4660, seq 1, length 16");
	CHECK_STR(out, "IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 65535, length 0");
	CHECK_EQ(dump("-r", in_pcap, "-q", "-nn", NULL), 0);
	CHECK_EQ(lines(out), NPKTS);
	CHECK_STR(out, "IP 10.0.0.1.40000 > 10.0.0.2.80: tcp 0");

	/* The tree's hex dump, with -V. */
	CHECK_EQ(dump("-r", in_pcap, "-V", "-x", "-c", "1", NULL), 0);
	CHECK_STR(out, "(Echo Request)");
	CHECK_STR(out, "0020  00 02 08 00");
	CHECK_STR(out, "kcap!!");

	CHECK_EQ(dump("-r", in_pcap, "-T", "json", NULL), 0);
	CHECK_EQ(lines(out), NPKTS);
	CHECK(out[0] == '{');
	CHECK_STR(out, "\"layer\":\"icmp\"");

	/* A filter expression, as tcpdump takes it, and -c. */
	CHECK_EQ(dump("-r", in_pcap, "-nq", "tcp", "and", "dst", "port", "80", NULL), 0);
	CHECK_EQ(lines(out), 4);
	CHECK_EQ(dump("-r", in_pcap, "-nq", "filter=icmp", NULL), 0);
	CHECK_EQ(lines(out), 2);
	CHECK_EQ(dump("-r", in_pcap, "-nq", "-c", "3", NULL), 0);
	CHECK_EQ(lines(out), 3);

	/* --count, as tcpdump's; -F reads the expression from a file. */
	CHECK_EQ(dump("-r", in_pcap, "--count", NULL), 0);
	CHECK(!strcmp(out, "9 packets\n"));
	CHECK_EQ(dump("-r", in_pcap, "--count", "icmp[icmptype] = icmp-echo", NULL), 0);
	CHECK(!strcmp(out, "1 packet\n"));
}

/* tcpdump -r FILE ARGS... into buf: its stdout, or "" if it could not run. */
static int tcpdump_r(char *buf, size_t len, char *const args[])
{
	char cmd[1024], *p = cmd;
	size_t n;
	FILE *fp;

	p += snprintf(p, sizeof(cmd), "tcpdump -r '%s'", in_pcap);
	for (int i = 0; args[i]; i++)
		p += snprintf(p, cmd + sizeof(cmd) - p, " '%s'", args[i]);
	snprintf(p, cmd + sizeof(cmd) - p, " 2>/dev/null");
	fp = popen(cmd, "r");
	if (!fp)
		return -1;
	n = fread(buf, 1, len - 1, fp);
	buf[n] = '\0';
	return pclose(fp);
}

/* The first line where a and b differ, both shown. */
static void first_difference(const char *a, const char *b, const char *what)
{
	int line = 1;

	while (*a && *a == *b) {
		line += *a == '\n';
		a++, b++;
	}
	while (line > 1 && a[-1] != '\n')
		a--, b--;
	unit_fail(__FILE__, __LINE__, "kcapdump -r %s differs from tcpdump's at line %d:\n"
		  "#   kcapdump: %.*s\n#   tcpdump:  %.*s", what, line,
		  (int)strcspn(a, "\n"), a, (int)strcspn(b, "\n"), b);
}

/* tcpdump's print flags: kcapdump -r prints what tcpdump -r prints. */
static void test_lines_as_tcpdump(void)
{
	static char *const modes[][6] = {
		{ "-nn" }, { "-n" }, { "-nn", "-v" }, { "-nn", "-vv" }, { "-nn", "-vvv" },
		{ "-nn", "-e" }, { "-q", "-nn" }, { "-nn", "-x" }, { "-nn", "-xx" },
		{ "-nn", "-X" }, { "-nn", "-XX" }, { "-nn", "-A" }, { "-nn", "-t" },
		{ "-nn", "-tt" }, { "-nn", "-ttt" }, { "-nn", "-tttt" }, { "-nn", "-ttttt" },
		{ "-nn", "-S" }, { "-nn", "-#" }, { "-nn", "--time-stamp-precision=nano" },
		{ "-nn", "-e", "-v", "-x" }, { "-nn", "-c", "4" }, { "-nn", "tcp", "port", "80" },
	};
	static char ref[1 << 16];
	char *argv[10];
	int passed = 0;

	if (!setup())
		return;
	if (tcpdump_r(ref, sizeof(ref), (char *[]){ "-nn", NULL }) || !ref[0]) {
		printf("# tcpdump cannot read %s here: skipped\n", in_pcap);
		return;
	}
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		char what[128] = "";
		int n = 0;

		argv[n++] = "-r";
		argv[n++] = in_pcap;
		for (int j = 0; modes[i][j]; j++) {
			argv[n++] = modes[i][j];
			snprintf(what + strlen(what), sizeof(what) - strlen(what), " %s", modes[i][j]);
		}
		argv[n] = NULL;
		if (tcpdump_r(ref, sizeof(ref), &argv[2])) {
			unit_fail(__FILE__, __LINE__, "tcpdump -r%s failed", what);
			continue;
		}
		CHECK_EQ(run_env("KCAPDUMP", argv[0], argv[1], argv[2], argv[3], argv[4],
				 argv[5], argv[6], argv[7], NULL), 0);
		if (strcmp(out, ref))
			first_difference(out, ref, what);
		else
			passed++;
	}
	printf("# %d of %zu modes as tcpdump -r prints them\n", passed,
	       sizeof(modes) / sizeof(modes[0]));
}

static void test_rewrite(void)
{
	char path[160];
	uint32_t in_bytes, bytes;

	if (!setup())
		return;
	snprintf(path, sizeof(path), "%s/icmp.pcap", dir);
	CHECK_EQ(dump("-r", in_pcap, "-w", path, "icmp", NULL), 0);
	CHECK_EQ(read_file(path, &bytes, NULL, 0), 2);
	CHECK_EQ(bytes, 2 * 50);

	snprintf(path, sizeof(path), "%s/all.pcapng", dir);
	CHECK_EQ(dump("-r", in_pcap, "-w", path, "--pcapng", NULL), 0);
	CHECK_EQ(read_file(path, &bytes, NULL, 0), NPKTS);
	CHECK_EQ(read_file(in_pcap, &in_bytes, NULL, 0), NPKTS);
	CHECK_EQ(bytes, in_bytes);
	/* What was written reads back as what was read. */
	CHECK_EQ(dump("-r", path, "-nn", NULL), 0);
	CHECK_EQ(lines(out), NPKTS);
	CHECK_STR(out, "IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [F.], seq 1, ack 19");
	/* --print: written and printed. */
	snprintf(path, sizeof(path), "%s/printed.pcap", dir);
	CHECK_EQ(dump("-r", in_pcap, "-w", path, "--print", "-nn", "icmp", NULL), 0);
	CHECK_EQ(read_file(path, &bytes, NULL, 0), 2);
	CHECK_EQ(lines(out), 2);
	CHECK_STR(out, "ICMP echo reply, id 4660, seq 1, length 16");

	/* Nothing selected: still a file tcpdump opens. */
	snprintf(path, sizeof(path), "%s/none.pcap", dir);
	CHECK_EQ(dump("-r", in_pcap, "-w", path, "udp", NULL), 0);
	CHECK_EQ(read_file(path, &bytes, NULL, 0), 0);
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

static int count_cb(const struct kcap_packet *pkt, void *arg)
{
	struct kcap_dec_info info;

	kcap_decode_info(pkt, &info);
	(*(int *)arg)++;
	return 0;
}

/*
 * path cut at every offset and read by the library kcapdump -r reads with
 * (this test runs with ASan and UBSan): exactly the whole records come
 * out, and it fails at an offset inside a record with a reason. Then
 * kcapdump -r itself, built with the sanitizers too, at the offsets where
 * it matters, each record's end and a byte to either side: the same
 * packets printed, status 0 at an end, else 1 with one line naming it.
 */
static void truncation_case(const char *path)
{
	char cut[160], ebuf[256], *buf;
	long ends[64], size;
	int n, bad = 0;
	FILE *fp;

	n = read_file(path, NULL, ends, 64) + 1;
	CHECK(n > 1);
	fp = fopen(path, "rb");
	CHECK(fp != NULL);
	if (n < 2 || !fp)
		return;
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	rewind(fp);
	buf = malloc(size);
	CHECK(buf && fread(buf, 1, size, fp) == (size_t)size);
	fclose(fp);
	snprintf(cut, sizeof(cut), "%s/cut", dir);
	for (long off = 0; buf && off <= size && bad < 5; off++) {
		int whole = 0, at_end = 0, near_end = 0, got = 0, ret;

		for (int i = 1; i < n; i++)
			whole += ends[i] <= off;
		for (int i = 0; i < n; i++) {
			at_end |= ends[i] == off;
			near_end |= labs(ends[i] - off) <= 1;
		}
		fp = fopen(cut, "wb");
		if (!fp || fwrite(buf, 1, off, fp) != (size_t)off || fclose(fp)) {
			unit_fail(__FILE__, __LINE__, "%s: cannot write", cut);
			break;
		}
		ebuf[0] = '\0';
		ret = kcap_decode_file_each(cut, NULL, 0, count_cb, &got, ebuf, sizeof(ebuf));
		if (got != whole || (at_end && ret) || (ret && !ebuf[0])) {
			unit_fail(__FILE__, __LINE__, "%s cut at %ld of %ld: %d, %d of %d packets; %s",
				  path, off, size, ret, got, whole, ebuf);
			bad++;
		}
		if (!near_end)
			continue;
		ret = dump_san("-q", "-n", "-r", cut, NULL);
		if ((ret != 0 && ret != 1) || (at_end && ret) ||
		    (ret == 1 && (lines(err) != 1 || !strstr(err, cut))) ||
		    lines(out) != whole) {
			unit_fail(__FILE__, __LINE__,
				  "kcapdump -r %s cut at %ld of %ld: status %d, %d of %d packets; %.300s",
				  path, off, size, ret, lines(out), whole, err);
			bad++;
		}
	}
	free(buf);
}

static void test_truncated_files(void)
{
	char ng[160];

	if (!setup())
		return;
	if (!getenv("KCAPDUMP_SAN")) {
		printf("# KCAPDUMP_SAN not set: skipped\n");
		return;
	}
	/* ASan's and UBSan's own status must not pass for our 1. */
	setenv("ASAN_OPTIONS", "detect_leaks=1:exitcode=99", 1);
	setenv("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1:exitcode=99", 1);
	truncation_case(in_pcap);
	snprintf(ng, sizeof(ng), "%s/in.pcapng", dir);
	CHECK_EQ(dump("-r", in_pcap, "--pcapng", "-w", ng, NULL), 0);
	truncation_case(ng);
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
	RUN(test_lines_as_tcpdump);
	RUN(test_rewrite);
	RUN(test_analysis);
	RUN(test_read_errors);
	RUN(test_truncated_files);
	cleanup();
}
