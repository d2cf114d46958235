// SPDX-License-Identifier: GPL-2.0
/*
 * Injection through /dev/kcap: frames written on one end of a veth pair
 * arrive intact on the other (tcpdump there is the oracle), bad frames are
 * refused with their errno and nothing sent, a writev(2) is a send queue,
 * an egress capture on the injecting device flags what was injected, and
 * the device's counters add up.
 */
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <linux/if_ether.h>
#include <linux/kcap.h>

#include "kselftest_harness.h"
#include "kcap_mod.h"
#include "kcap_net.h"

#define ETHERTYPE_TEST	0x88b5	/* IEEE local experimental */
#define MTU		1500
#define MAXF		(MTU + ETH_HLEN + 4)

static const uint8_t mac_a0[ETH_ALEN] = { 2, 0, 0, 0, 0x0a, 0 };
static const uint8_t mac_b0[ETH_ALEN] = { 2, 0, 0, 0, 0x0b, 0 };

static int tx_bind(int fd, int ifindex)
{
	struct kcap_tx_bind b = { .ifindex = ifindex };

	return ioctl(fd, KCAP_IOC_TX_BIND, &b);
}

static int tx_stats(int fd, int ifindex, struct kcap_tx_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->ifindex = ifindex;
	return ioctl(fd, KCAP_IOC_TX_STATS, st);
}

/*
 * Frame i of a test: a0 to b0, of the local experimental type, len bytes,
 * filled with a pattern of i so that any change or reordering shows.
 */
static size_t frame(uint8_t *buf, unsigned int i, size_t len)
{
	size_t k;

	memcpy(buf, mac_b0, ETH_ALEN);
	memcpy(buf + ETH_ALEN, mac_a0, ETH_ALEN);
	buf[12] = ETHERTYPE_TEST >> 8;
	buf[13] = ETHERTYPE_TEST & 0xff;
	for (k = ETH_HLEN; k < len; k++)
		buf[k] = (uint8_t)(i * 31 + k);
	if (len >= ETH_HLEN + 4)
		memcpy(buf + ETH_HLEN, &i, sizeof(i));
	return len;
}

/* Lengths from the minimum to the largest the MTU allows. */
static size_t frame_len(unsigned int i)
{
	static const size_t lens[] = { 14, 15, 60, 64, 100, 577, 1000, 1513,
				       1514 };

	return lens[i % (sizeof(lens) / sizeof(lens[0]))];
}

FIXTURE(tx) {
	int fd;
	int a0;
	struct kpkts sent;
};

FIXTURE_SETUP(tx)
{
	ASSERT_EQ(0, kcap_mod_reload());
	/* Devices are looked up in the caller's namespace. */
	ASSERT_EQ(0, net_enter_a(0, &self->a0, NULL));
	self->fd = kcap_dev_open();
	ASSERT_LE(0, self->fd);
	memset(&self->sent, 0, sizeof(self->sent));
}

FIXTURE_TEARDOWN(tx)
{
	kpkts_free(&self->sent);
	close(self->fd);
	net_teardown();
	/* Every test loads its own; leave none behind for the next file. */
	kcap_mod_unload();
}

static void remember(struct kpkts *l, const uint8_t *buf, size_t len)
{
	struct kpkt k = { .wire_len = len, .cap_len = len };

	kpkts_add(l, &k, buf);
}

static int same_as_tcpdump(struct __test_metadata *_metadata,
			   const struct kpkts *sent, struct tcpd *t)
{
	struct kpkts got = { 0 };
	char why[160];
	int same;

	tcpd_settle(t, sent->n);
	if (tcpd_stop(t))
		TH_LOG("tcpdump dropped %ld", t->kernel_drops);
	if (pcap_load(t->path, &got))
		return 0;
	same = kpkts_same(sent, &got, why, sizeof(why));
	TH_LOG("injected vs tcpdump on the peer: %s", why);
	kpkts_free(&got);
	return same;
}

TEST_F(tx, bind_errors)
{
	struct kcap_tx_bind b = { .ifindex = self->a0 };
	struct kcap_tx_stats st;
	uint8_t buf[64];

	frame(buf, 0, sizeof(buf));
	ASSERT_EQ(-1, write(self->fd, buf, sizeof(buf)));
	ASSERT_EQ(EDESTADDRREQ, errno);
	ASSERT_EQ(-1, tx_stats(self->fd, 0, &st));
	ASSERT_EQ(EDESTADDRREQ, errno);

	ASSERT_EQ(-1, tx_bind(self->fd, 9999));
	ASSERT_EQ(ENODEV, errno);
	ASSERT_EQ(-1, tx_bind(self->fd, 0));
	ASSERT_EQ(ENODEV, errno);
	/* b0's index is nsB's: not in this namespace (unless it collides). */
	b.flags = 1;
	ASSERT_EQ(-1, ioctl(self->fd, KCAP_IOC_TX_BIND, &b));
	ASSERT_EQ(EOPNOTSUPP, errno);
	b.flags = 0;
	b.resv[1] = 1;
	ASSERT_EQ(-1, ioctl(self->fd, KCAP_IOC_TX_BIND, &b));
	ASSERT_EQ(EINVAL, errno);

	/* Nothing bound to it yet: zero counters, not an error. */
	ASSERT_EQ(0, tx_stats(self->fd, self->a0, &st));
	EXPECT_EQ(0ULL, st.sent + st.refused + st.dropped);
	ASSERT_EQ(-1, tx_stats(self->fd, 9999, &st));
	ASSERT_EQ(ENODEV, errno);

	ASSERT_EQ(0, tx_bind(self->fd, self->a0));
	ASSERT_EQ(0, tx_stats(self->fd, 0, &st));
	EXPECT_EQ(self->a0, st.ifindex);
	/* lo carries Ethernet headers too; a rebind moves the file. */
	ASSERT_EQ(0, tx_bind(self->fd, 1));
	ASSERT_EQ(0, tx_stats(self->fd, 0, &st));
	EXPECT_EQ(1, st.ifindex);
}

/* Only CAP_NET_ADMIN: the file opens, but may not inject. */
TEST_F(tx, needs_cap_net_raw)
{
	pid_t pid = fork();
	int st;

	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd;

		if (kcap_caps_drop(1U << CAP_NET_ADMIN))
			_exit(10);
		fd = kcap_dev_open();
		if (fd < 0)
			_exit(11);
		if (tx_bind(fd, self->a0) != -1 || errno != EPERM)
			_exit(12);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(WIFEXITED(st));
	ASSERT_EQ(0, WEXITSTATUS(st));
}

/* One write(2) per frame, then one writev(2) of many: all arrive intact. */
TEST_F_TIMEOUT(tx, veth_frames_arrive_intact, 120)
{
	static uint8_t bufs[64][MAXF];
	struct iovec iov[64];
	struct kcap_tx_stats st;
	uint64_t bytes = 0;
	struct tcpd t;
	unsigned int i;
	size_t len;

	ASSERT_EQ(0, tx_bind(self->fd, self->a0));
	ASSERT_EQ(0, tcpd_start(&t, NS_B, "b0", "in", 0, NULL, "tx-intact"));

	for (i = 0; i < 18; i++) {
		len = frame(bufs[0], i, frame_len(i));
		ASSERT_EQ((ssize_t)len, write(self->fd, bufs[0], len));
		remember(&self->sent, bufs[0], len);
		bytes += len;
	}
	for (i = 0; i < 64; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = frame(bufs[i], 100 + i, frame_len(i + 3));
		remember(&self->sent, bufs[i], iov[i].iov_len);
		bytes += iov[i].iov_len;
	}
	len = 0;
	for (i = 0; i < 64; i++)
		len += iov[i].iov_len;
	ASSERT_EQ((ssize_t)len, writev(self->fd, iov, 64));

	EXPECT_TRUE(same_as_tcpdump(_metadata, &self->sent, &t));
	ASSERT_EQ(0, tx_stats(self->fd, 0, &st));
	EXPECT_EQ(18ULL + 64, st.sent);
	EXPECT_EQ(bytes, st.sent_bytes);
	EXPECT_EQ(0ULL, st.refused);
	EXPECT_EQ(0ULL, st.dropped);
}

/* A tagged frame may be 4 bytes longer than an untagged one. */
TEST_F_TIMEOUT(tx, vlan_tagged_frame, 60)
{
	uint8_t buf[MAXF + 1];
	struct kcap_tx_stats st;

	ASSERT_EQ(0, tx_bind(self->fd, self->a0));
	frame(buf, 7, MAXF + 1);
	buf[12] = 0x81;
	buf[13] = 0x00;
	buf[14] = 0x00;
	buf[15] = 0x05;
	buf[16] = ETHERTYPE_TEST >> 8;
	buf[17] = ETHERTYPE_TEST & 0xff;
	ASSERT_EQ(-1, write(self->fd, buf, MAXF + 1));
	ASSERT_EQ(EMSGSIZE, errno);
	ASSERT_EQ(MAXF, write(self->fd, buf, MAXF));
	/* Untagged, the same length is too long. */
	buf[12] = ETHERTYPE_TEST >> 8;
	buf[13] = ETHERTYPE_TEST & 0xff;
	ASSERT_EQ(-1, write(self->fd, buf, MAXF));
	ASSERT_EQ(EMSGSIZE, errno);
	ASSERT_EQ(0, tx_stats(self->fd, 0, &st));
	EXPECT_EQ(1ULL, st.sent);
	EXPECT_EQ(2ULL, st.refused);
}

/* Every bad frame is refused with its errno, and the peer sees nothing. */
TEST_F_TIMEOUT(tx, bad_frames_refused, 120)
{
	uint8_t buf[MAXF + 64];
	struct kcap_tx_stats st;
	struct tcpd t;

	ASSERT_EQ(0, tx_bind(self->fd, self->a0));
	ASSERT_EQ(0, tcpd_start(&t, NS_B, "b0", "in", 0, NULL, "tx-bad"));
	frame(buf, 1, sizeof(buf));

	ASSERT_EQ(-1, write(self->fd, buf, 0));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, write(self->fd, buf, ETH_HLEN - 1));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, write(self->fd, buf, MTU + ETH_HLEN + 1));
	EXPECT_EQ(EMSGSIZE, errno);
	ASSERT_EQ(-1, write(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(EMSGSIZE, errno);
	/* A page that may not be read. */
	void *none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);

	ASSERT_NE(MAP_FAILED, none);
	ASSERT_EQ(-1, write(self->fd, none, 100));
	EXPECT_EQ(EFAULT, errno);

	ASSERT_EQ(0, sh("ip -n " NS_A " link set a0 down"));
	ASSERT_EQ(-1, write(self->fd, buf, 100));
	EXPECT_EQ(ENETDOWN, errno);
	ASSERT_EQ(0, sh("ip -n " NS_A " link set a0 up"));

	EXPECT_TRUE(same_as_tcpdump(_metadata, &self->sent, &t));
	ASSERT_EQ(0, tx_stats(self->fd, 0, &st));
	EXPECT_EQ(0ULL, st.sent);
	EXPECT_EQ(6ULL, st.refused);

	/* Gone: the file lets go of the device, and says so. */
	ASSERT_EQ(0, sh("ip -n " NS_A " link del a0"));
	ASSERT_EQ(-1, write(self->fd, buf, 100));
	EXPECT_EQ(ENODEV, errno);
	ASSERT_EQ(-1, tx_stats(self->fd, self->a0, &st));
	EXPECT_EQ(ENODEV, errno);
}

/* A batch stops at its first bad frame, like a short write. */
TEST_F_TIMEOUT(tx, batch_stops_at_bad_frame, 120)
{
	static uint8_t bufs[5][MAXF + 8];
	struct kcap_tx_stats st;
	struct iovec iov[5];
	struct tcpd t;
	unsigned int i;

	ASSERT_EQ(0, tx_bind(self->fd, self->a0));
	ASSERT_EQ(0, tcpd_start(&t, NS_B, "b0", "in", 0, NULL, "tx-batch"));
	for (i = 0; i < 5; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = frame(bufs[i], i, 200 + i);
	}
	iov[2].iov_len = MAXF + 8;
	remember(&self->sent, bufs[0], iov[0].iov_len);
	remember(&self->sent, bufs[1], iov[1].iov_len);
	ASSERT_EQ((ssize_t)(iov[0].iov_len + iov[1].iov_len),
		  writev(self->fd, iov, 5));
	/* From the bad one again: its error, since it is first. */
	ASSERT_EQ(-1, writev(self->fd, iov + 2, 3));
	EXPECT_EQ(EMSGSIZE, errno);
	/* An empty frame in a batch is refused too. */
	iov[2].iov_len = 0;
	ASSERT_EQ(-1, writev(self->fd, iov + 2, 3));
	EXPECT_EQ(EINVAL, errno);

	EXPECT_TRUE(same_as_tcpdump(_metadata, &self->sent, &t));
	ASSERT_EQ(0, tx_stats(self->fd, 0, &st));
	EXPECT_EQ(2ULL, st.sent);
	EXPECT_EQ(3ULL, st.refused);
}

/* An egress capture on the injecting device flags what was injected. */
TEST_F_TIMEOUT(tx, egress_capture_flags_injected, 120)
{
	struct kpkts k = { 0 };
	struct kcap_config c;
	uint8_t buf[300];
	unsigned int i, injected = 0, other = 0;
	struct kr r;

	memset(&c, 0, sizeof(c));
	strcpy((char *)c.name, "default");
	c.capture = KCAP_CAPTURE_BIDIRECTIONAL;
	c.ring_size = 4U << 20;
	c.ifindex[c.ndevs++] = self->a0;
	ASSERT_EQ(0, ioctl(self->fd, KCAP_IOC_SET_CONFIG, &c));
	ASSERT_EQ(0, kr_attach(&r, self->fd, "default", 0));

	/* Another file injects; this one reads. */
	int wfd = kcap_dev_open();

	ASSERT_LE(0, wfd);
	ASSERT_EQ(0, tx_bind(wfd, self->a0));
	for (i = 0; i < 20; i++) {
		frame(buf, i, sizeof(buf));
		ASSERT_EQ((ssize_t)sizeof(buf), write(wfd, buf, sizeof(buf)));
	}
	/* Traffic of the stack: not injected, either way. */
	ASSERT_EQ(0, sh("ip netns exec " NS_A " ping -c 3 -i 0.05 -q 10.0.0.2"));
	msleep(200);
	ASSERT_LE(0, kr_drain(&r, &k)) TH_LOG("%s", r.err);
	for (i = 0; i < k.n; i++) {
		if (k.p[i].flags & KCAP_PKT_INJECTED) {
			EXPECT_EQ(0U, k.p[i].flags & KCAP_PKT_INGRESS);
			EXPECT_EQ(sizeof(buf), k.p[i].wire_len);
			injected++;
		} else {
			other++;
		}
	}
	EXPECT_EQ(20U, injected);
	EXPECT_EQ(6U, other);	/* 3 echo requests out, 3 replies in */
	kpkts_free(&k);
	kr_unmap(&r);
	close(wfd);
}

TEST_HARNESS_MAIN
