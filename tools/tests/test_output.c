// SPDX-License-Identifier: GPL-2.0
/*
 * kcapdump's writers: files are read back with libpcap (which reads
 * pcapng too) and, when it is installed, with tshark.
 */
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "savefile.h"
#include "unit.h"

#define NPKT	5
#define T0	1700000000123456789ULL

static char dir[] = "/tmp/kcap-unit-XXXXXX";

static void make_pkt(unsigned int i, struct kcap_packet *p, uint8_t *buf,
		     int ifindex)
{
	memset(p, 0, sizeof(*p));
	p->data = buf;
	p->flags = i % 2 ? KCAP_PACKET_INBOUND : KCAP_PACKET_OUTBOUND;
	p->ts_ns = T0 + i * 1000000001ULL;
	p->ifindex = ifindex;
	p->caplen = 60 + i * 7;
	p->wirelen = p->caplen + (i == 3 ? 1000 : 0);
	p->linktype = KCAP_DLT_EN10MB;
	for (uint32_t j = 0; j < p->caplen; j++)
		buf[j] = (uint8_t)(i * 31 + j);
}

static int ifindex_of(unsigned int i)
{
	/* Two devices: lo, and one that does not exist here. */
	return i % 3 == 2 ? 999999 : (int)if_nametoindex("lo");
}

static void write_file(const char *path, enum kd_format fmt, uint32_t snaplen)
{
	struct kcap_packet h;
	struct kd_out o;
	uint8_t buf[256];
	char err[256];

	CHECK_EQ(kd_out_open(&o, path, fmt, snaplen, err, sizeof(err)), 0);
	for (unsigned int i = 0; i < NPKT; i++) {
		make_pkt(i, &h, buf, ifindex_of(i));
		CHECK_EQ(kd_out_packet(&o, &h), 0);
		if (i == 2)
			CHECK_EQ(kd_out_flush(&o), 0);
	}
	CHECK_EQ(o.packets, NPKT);
	CHECK_EQ(kd_out_close(&o), 0);
}

/* Reads path back and checks the first n packets; returns packets read. */
static unsigned int read_back(const char *path, uint32_t snaplen, unsigned int n)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *ph;
	const u_char *data;
	struct kcap_packet h;
	uint8_t buf[256];
	unsigned int i = 0;
	pcap_t *p;
	int ret;

	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, err);
	if (!p) {
		unit_fail(__FILE__, __LINE__, "%s: %s", path, err);
		return 0;
	}
	CHECK_EQ(pcap_datalink(p), DLT_EN10MB);
	while ((ret = pcap_next_ex(p, &ph, &data)) == 1) {
		uint32_t caplen;

		if (i >= n)
			break;
		make_pkt(i, &h, buf, 1);
		caplen = h.caplen < snaplen ? h.caplen : snaplen;
		CHECK_EQ(ph->ts.tv_sec, h.ts_ns / 1000000000);
		CHECK_EQ(ph->ts.tv_usec, h.ts_ns % 1000000000);
		CHECK_EQ(ph->caplen, caplen);
		CHECK_EQ(ph->len, h.wirelen);
		CHECK(!memcmp(data, buf, caplen));
		i++;
	}
	if (ret == PCAP_ERROR)
		unit_fail(__FILE__, __LINE__, "%s: %s", path, pcap_geterr(p));
	pcap_close(p);
	return i;
}

/* Written whole, then cut to a snaplen shorter than some records. */
static void writer_case(enum kd_format fmt, const char *name)
{
	char path[64];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	write_file(path, fmt, 0);
	CHECK_EQ(read_back(path, KCAP_SNAPLEN_MAX, NPKT), NPKT);
	write_file(path, fmt, 64);
	CHECK_EQ(read_back(path, 64, NPKT), NPKT);
}

static void test_pcap_writer(void)
{
	writer_case(KD_PCAP, "a.pcap");
}

static void test_pcapng_writer(void)
{
	writer_case(KD_PCAPNG, "a.pcapng");
}

static void test_pcapng_tshark(void)
{
	char path[64], cmd[256], line[256], want[128];
	unsigned int i = 0;
	FILE *fp;

	if (system("command -v tshark >/dev/null 2>&1")) {
		printf("# tshark not installed: skipped\n");
		return;
	}
	snprintf(path, sizeof(path), "%s/t.pcapng", dir);
	write_file(path, KD_PCAPNG, 0);
	snprintf(cmd, sizeof(cmd),
		 "tshark -r %s -T fields -E separator=, -e frame.interface_name "
		 "-e frame.packet_flags_direction -e frame.cap_len -e frame.len 2>/dev/null",
		 path);
	fp = popen(cmd, "r");
	CHECK(fp != NULL);
	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp)) {
		struct kcap_packet h;
		uint8_t buf[256];

		make_pkt(i, &h, buf, 1);
		snprintf(want, sizeof(want), "%s,0x%08x,%u,%u\n",
			 ifindex_of(i) == 999999 ? "if999999" : "lo",
			 h.flags & KCAP_PACKET_DIRECTION, h.caplen, h.wirelen);
		if (strcmp(line, want))
			unit_fail(__FILE__, __LINE__, "packet %u: tshark '%.*s', want '%.*s'",
				  i, (int)strlen(line) - 1, line, (int)strlen(want) - 1, want);
		i++;
	}
	CHECK_EQ(pclose(fp), 0);
	CHECK_EQ(i, NPKT);
}

/* Walks the pcapng blocks of path: how many of type, or -1 if not whole. */
static int count_blocks(const char *path, uint32_t type)
{
	uint32_t hdr[2];
	int n = 0;
	FILE *fp = fopen(path, "rb");

	if (!fp)
		return -1;
	while (fread(hdr, sizeof(hdr), 1, fp) == 1) {
		if (hdr[1] < 12 || hdr[1] % 4 || fseek(fp, hdr[1] - 8, SEEK_CUR)) {
			n = -1;
			break;
		}
		n += hdr[0] == type;
	}
	fclose(fp);
	return n;
}

/* Opened and closed with no packet (a kill before the first one is the
 * same file): libpcap needs an interface block to read it at all. */
static void empty_pcapng_case(const int *ifindex, unsigned int nifs, int idbs)
{
	struct kd_out_spec spec = {
		.fmt = KD_PCAPNG, .dlt = DLT_EN10MB, .ifindex = ifindex, .nifs = nifs,
	};
	struct kcap_packet h;
	char path[64], err[256];
	uint8_t buf[256];
	struct kd_out o;

	snprintf(path, sizeof(path), "%s/empty.%u.pcapng", dir, nifs);
	CHECK_EQ(kd_out_open_spec(&o, path, &spec, err, sizeof(err)), 0);
	CHECK_EQ(count_blocks(path, 1), idbs);
	CHECK_EQ(read_back(path, KCAP_SNAPLEN_MAX, NPKT), 0);
	/* A packet of a described device gets no second block; one of a
	 * device not described gets its own. */
	make_pkt(0, &h, buf, nifs ? ifindex[0] : (int)if_nametoindex("lo"));
	CHECK_EQ(kd_out_packet(&o, &h), 0);
	CHECK_EQ(kd_out_close(&o), 0);
	CHECK_EQ(count_blocks(path, 1), nifs ? idbs : idbs + 1);
	CHECK_EQ(read_back(path, KCAP_SNAPLEN_MAX, NPKT), 1);
}

static void test_pcapng_devices_at_open(void)
{
	int ifs[] = { (int)if_nametoindex("lo"), 999999 };

	empty_pcapng_case(ifs, 2, 2);
	empty_pcapng_case(ifs, 1, 1);
	empty_pcapng_case(NULL, 0, 1);
}

/*
 * A write that fails halfway (here: RLIMIT_FSIZE, as a full disk would)
 * leaves the file cut back to the last whole batch, readable.
 */
static void write_error_case(int fmt, unsigned int flush_every)
{
	char path[64], err[256];
	struct kcap_packet h;
	struct kd_out o;
	uint8_t buf[256];
	struct stat st;
	int status;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/full.%d.%u", dir, fmt, flush_every);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct rlimit rl = { 1000, 1000 };
		int ret = 0;

		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &rl);
		if (kd_out_open(&o, path, fmt, 0, err, sizeof(err)))
			_exit(10);
		for (unsigned int i = 0; i < 100 && !ret; i++) {
			make_pkt(i % NPKT, &h, buf, 1);
			h.ts_ns = T0;
			ret = kd_out_packet(&o, &h);
			if (!ret && i % flush_every == flush_every - 1)
				ret = kd_out_flush(&o);
		}
		if (kd_out_close(&o) && !ret)
			ret = o.err;
		/* the packets the writer says reached the file */
		_exit(ret == -EFBIG ? (int)(o.packets - o.unwritten) : 255);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) != 255);
	CHECK_EQ(stat(path, &st), 0);
	CHECK(st.st_size > 0 && st.st_size <= 1000);
	/* Every record that is there is whole: libpcap reads to EOF. */
	{
		char perr[PCAP_ERRBUF_SIZE];
		struct pcap_pkthdr *ph;
		const u_char *data;
		pcap_t *p = pcap_open_offline(path, perr);
		int n = 0, ret;

		CHECK(p != NULL);
		if (!p)
			return;
		while ((ret = pcap_next_ex(p, &ph, &data)) == 1)
			n++;
		CHECK_EQ(ret, PCAP_ERROR_BREAK);
		CHECK_EQ(n, WEXITSTATUS(status));
		/* 100-130-byte records: most of the 1000 bytes are used. */
		if (n < 6)
			unit_fail(__FILE__, __LINE__, "fmt %d, flush every %u: %d packets",
				  fmt, flush_every, n);
		pcap_close(p);
	}
}

/* One batch larger than the space left keeps the records that fit. */
static void test_write_error_leaves_readable_file(void)
{
	write_error_case(KD_PCAP, 3);
	write_error_case(KD_PCAPNG, 3);
	write_error_case(KD_PCAP, 1000);
	write_error_case(KD_PCAPNG, 1000);
}

static void test_open_errors(void)
{
	char err[256];
	struct kd_out o;
	char path[80];

	snprintf(path, sizeof(path), "%s/nodir/x.pcap", dir);
	CHECK_EQ(kd_out_open(&o, path, KD_PCAP, 0, err, sizeof(err)), -ENOENT);
	CHECK_STR(err, "nodir/x.pcap");
	/* The header is written at once, so a full device fails at open. */
	CHECK_EQ(kd_out_open(&o, "/dev/full", KD_PCAPNG, 0, err, sizeof(err)), -ENOSPC);
	CHECK_STR(err, "/dev/full");
}

void output_tests(void)
{
	char cmd[64];

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(1);
	}
	RUN(test_pcap_writer);
	RUN(test_pcapng_writer);
	RUN(test_pcapng_tshark);
	RUN(test_pcapng_devices_at_open);
	RUN(test_write_error_leaves_readable_file);
	RUN(test_open_errors);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		printf("# could not remove %s\n", dir);
}
