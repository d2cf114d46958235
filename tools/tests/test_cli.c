// SPDX-License-Identifier: GPL-2.0
/*
 * The command lines' user errors: exit status 2 and one line on stderr
 * naming the culprit, found before /dev/kcap is even opened, so these
 * run on a host without the module.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"

/* Runs "BIN args..." and returns its exit status; stderr into err. */
static int run(const char *bin, char *const args[], char *err, size_t len)
{
	char *argv[32];
	int fd[2], status, n = 0, i;
	size_t got = 0;
	ssize_t r;
	pid_t pid;

	argv[n++] = (char *)bin;
	for (i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	if (pipe(fd))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(fd[1], 2);
		close(fd[0]);
		close(fd[1]);
		if (!freopen("/dev/null", "w", stdout))
			_exit(126);
		execv(bin, argv);
		_exit(127);
	}
	close(fd[1]);
	while (got < len - 1 && (r = read(fd[0], err + got, len - 1 - got)) > 0)
		got += r;
	err[got] = '\0';
	close(fd[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A usage error: one case per line, the culprit the message must name. */
struct usage_case {
	const char *culprit;
	char *args[12];		/* NULL-terminated */
};

static void expect(const char *bin, const struct usage_case *u)
{
	char err[1024];
	char *const *args = u->args;
	int rc;

	rc = run(bin, args, err, sizeof(err));
	if (rc != 2)
		unit_fail(__FILE__, __LINE__, "%s %s...: exit %d, want 2 (%s)", bin,
			  args[0] ? args[0] : "", rc, err);
	else if (!strstr(err, u->culprit) || strchr(err, '\n') != err + strlen(err) - 1)
		unit_fail(__FILE__, __LINE__, "%s %s...: stderr '%s' lacks '%s' or is not one line",
			  bin, args[0] ? args[0] : "", err, u->culprit);
}

static void expect_all(const char *var, const struct usage_case *u, size_t n)
{
	const char *b = getenv(var);

	if (!b || !*b) {
		printf("# %s not set: skipped\n", var);
		return;
	}
	for (size_t i = 0; i < n; i++)
		expect(b, &u[i]);
}

#define EXPECT_ALL(var, cases) expect_all(var, cases, sizeof(cases) / sizeof(cases[0]))

static const char *bin(const char *var)
{
	const char *b = getenv(var);

	return b && *b ? b : NULL;
}

static const struct usage_case kcapctl_usage[] = {
	{ "unknown key 'foo'", { "set", "foo=1" } },
	{ "duplicate key 'dport'", { "set", "dport=1", "dport=2" } },
	{ "non-network bits set in '10.0.0.1/8'", { "set", "src=10.0.0.1/8" } },
	{ "dport: '65536'", { "set", "s1", "dport=65536" } },
	{ "sport: '-5'", { "set", "sport=-5" } },
	{ "filter 'tcp prot 80'", { "set", "filter=tcp prot 80" } },
	{ "ring: '3M'", { "set", "ring=3M" } },
	{ "dev: no such device 'kcap-nosuch0'", { "set", "dev=kcap-nosuch0" } },
	{ "l4proto: 'gre'", { "set", "l4proto=gre" } },
	{ "capture: 'sideways'", { "set", "capture=sideways" } },
	{ "nothing to set", { "set" } },
	{ "bad session name", { "set", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "dport=1" } },
	{ "unknown command 'frobnicate'", { "frobnicate" } },
	{ "unexpected argument 'x'", { "show", "s1", "x" } },
	{ "missing session NAME", { "add" } },
	{ "cannot be deleted", { "del", "default" } },
	{ "-i: '0'", { "stats", "-i", "0" } },
	{ "-c needs -i", { "stats", "-c", "3" } },
	{ "unexpected argument '-z'", { "stats", "-z" } },
};

static void test_kcapctl_user_errors(void)
{
	EXPECT_ALL("KCAPCTL", kcapctl_usage);
}

static const struct usage_case kcapdump_usage[] = {
	{ "unknown key 'bogus'", { "bogus=1" } },
	{ "duplicate key 'dev'", { "dev=lo", "dev=lo" } },
	{ "dport: '99999'", { "-w", "x.pcap", "dport=99999" } },
	{ "filter 'udp port x'", { "filter=udp port x" } },
	/* A word that is not key=value is a filter expression. */
	{ "filter 'out.pcap'", { "out.pcap" } },
	{ "filter 'udp port x'", { "udp", "port", "x" } },
	{ "a filter expression and filter= are both given", { "udp", "filter=tcp" } },
	{ "-c: '0'", { "-c", "0" } },
	{ "-c: 'ten'", { "-c", "ten" } },
	{ "-C: '1X'", { "-w", "x", "-C", "1X" } },
	{ "-C and -G need -w FILE", { "-w", "-", "-C", "1" } },
	{ "-W needs -C or -G", { "-w", "x", "-W", "2" } },
	{ "--pcapng needs -w", { "--pcapng" } },
	{ "--stats writes no packets", { "--stats", "-w", "x" } },
	{ "unknown option '-g'", { "-g" } },
	{ "option '-Z' needs a value", { "-Z" } },
	{ "option '-w' needs a value", { "-w" } },
	{ "-T: 'xml' is not a known format (json)", { "-T", "xml" } },
	{ "-x, -X, -A, -V and -T print packets: with -w they need --print", { "-w", "x", "-x" } },
	{ "with -w they need --print", { "-w", "x", "-V" } },
	{ "with -w they need --print", { "-w", "x", "-XX" } },
	{ "-q and -T json are exclusive", { "-q", "-T", "json" } },
	{ "--stats prints no packets", { "--stats", "-T", "json" } },
	{ "-r: /nonexistent/kcap.pcap: No such file or directory",
	  { "-r", "/nonexistent/kcap.pcap" } },
	{ "--conversations needs -r FILE", { "--conversations" } },
	{ "--follow needs -r FILE", { "--follow", "1.2.3.4:1-5.6.7.8:2" } },
	{ "'bogus' is not ADDR:PORT-ADDR:PORT", { "-r", "/dev/null", "--follow", "bogus" } },
	{ "--follow", { "-r", "/dev/null", "--follow", "1.2.3.4:99999-5.6.7.8:2" } },
	{ "--conversations and --follow are exclusive",
	  { "-r", "/dev/null", "--conversations", "--follow", "1.2.3.4:1-5.6.7.8:2" } },
	{ "--conversations takes no -w", { "-r", "/dev/null", "--conversations", "-c", "1" } },
	{ "'dev=lo' configures a live session", { "-r", "/dev/null", "dev=lo" } },
	{ "--session picks a live session", { "-r", "/dev/null", "--session", "x" } },
	/* tcpdump's flags, tcpdump's meanings: each bad value named. */
	{ "-s: invalid snaplen 'vs'", { "-s", "vs" } },
	{ "a shared session is --session NAME", { "-s", "default" } },
	{ "-s: invalid snaplen '262145'", { "-s", "262145" } },
	{ "-Q: unknown capture direction 'sideways'", { "-Q", "sideways" } },
	{ "-i: kcap-nosuch0: No such device exists", { "-i", "kcap-nosuch0" } },
	{ "-i: 9999: there is no device with that number", { "-i", "9999" } },
	{ "option '-i' needs a value", { "-i" } },
	{ "-B: '0'", { "-B", "0" } },
	{ "-B: '4x'", { "-B", "4x" } },
	{ "-B: '2097152'", { "-B", "2097152" } },
	{ "-y: 'FOO' is not a link type kcap captures", { "-y", "FOO" } },
	{ "-y: LINUX_SLL2 is not one of the link types of lo", { "-i", "lo", "-y", "LINUX_SLL2" } },
	{ "-Z: couldn't find user 'kcap-nosuch-user'", { "-Z", "kcap-nosuch-user" } },
	{ "-F: /nonexistent/filter: No such file", { "-F", "/nonexistent/filter" } },
	{ "-F and a filter expression are both given", { "-F", "/dev/null", "tcp" } },
	{ "-z needs -C or -G", { "-w", "x", "-z", "gzip" } },
	{ "-C and -G need -w FILE", { "-G", "5" } },
	{ "--time-stamp-precision: 'pico'", { "--time-stamp-precision=pico" } },
	{ "-t: given more than 5 times", { "-tttttt" } },
	{ "-v: given more than 3 times", { "-vvvv" } },
	{ "-x: given more than 2 times", { "-xxx" } },
	{ "-n: given more than 2 times", { "-nnn" } },
	{ "-A: given more than 2 times", { "-AAA" } },
	{ "-V and -T json are exclusive", { "-V", "-T", "json" } },
	{ "--print prints as well as -w writes: it needs -w", { "--print" } },
	{ "--print and -w - would both write", { "--print", "-w", "-" } },
	{ "--count prints only a count: it takes no -w", { "--count", "-w", "x" } },
	{ "-i is for a live capture: it takes no -r", { "-r", "/dev/null", "-i", "lo" } },
	{ "-Q is for a live capture: it takes no -r", { "-r", "/dev/null", "-Q", "in" } },
	{ "-B is for a live capture: it takes no -r", { "-r", "/dev/null", "-B", "1024" } },
	{ "-D lists devices: it takes no -r", { "-D", "-r", "/dev/null" } },
	/* A shared session changes only when asked to. */
	{ "a filter expression would change shared session 'default': add --configure",
	  { "--session", "default", "udp" } },
	{ "-i would change shared session 's1'", { "--session", "s1", "-i", "lo" } },
	{ "-Q would change shared session 's1'", { "--session", "s1", "-Q", "in" } },
	{ "-s would change shared session 's1'", { "--session", "s1", "-s", "96" } },
	{ "-B would change shared session 's1'", { "--session", "s1", "-B", "4096" } },
	{ "--configure changes a shared session: it needs --session NAME", { "--configure" } },
	{ "--session: bad session name", { "--session", "" } },
	{ "-i and dev= set the same key", { "-i", "lo", "dev=lo" } },
	{ "-Q and capture= set the same key", { "-Q", "in", "capture=egress" } },
	{ "-s and snaplen= set the same key", { "-s", "96", "snaplen=96" } },
	{ "-B and ring= set the same key", { "-B", "1024", "ring=1M" } },
	{ "filter 'udp port x'", { "-i", "lo", "udp", "port", "x" } },
	{ "--stats prints no packets", { "--stats", "-V" } },
	{ "--stats counts a live session", { "-r", "/dev/null", "--stats" } },
	{ "kcapgen replay FILE -i DEV", { "--inject", "x.pcap" } },
};

static void test_kcapdump_user_errors(void)
{
	EXPECT_ALL("KCAPDUMP", kcapdump_usage);
}

static const struct usage_case kcapgen_usage[] = {
	{ "unknown command 'bogus'", { "bogus" } },
	{ "send: -i DEV is required", { "send", "--dst", "10.0.0.1" } },
	{ "send: --dst ADDR is required", { "send", "-i", "lo" } },
	{ "--ttl: '300'", { "send", "-i", "lo", "--ttl", "300" } },
	{ "--rate: '0'", { "send", "-i", "lo", "--rate", "0" } },
	{ "--profile: 'bogus'", { "send", "--profile", "bogus" } },
	{ "--sport-range: '9-1'", { "send", "--sport-range", "9-1" } },
	{ "option '--ttl' needs a value", { "send", "--ttl" } },
	{ "replay FILE needs -i DEV", { "replay", "x.pcap" } },
	{ "--sync, --rate and --mbps exclude each other",
	  { "replay", "x.pcap", "-i", "lo", "--sync", "--rate", "5" } },
	{ "--loop: 'x'", { "replay", "x.pcap", "-i", "lo", "--loop", "x" } },
	{ "recv: -i DEV is required", { "recv" } },
	{ "-t: 'soon'", { "recv", "-i", "lo", "-t", "soon" } },
};

static void test_kcapgen_user_errors(void)
{
	EXPECT_ALL("KCAPGEN", kcapgen_usage);
}

/*
 * Live flags that parse: without /dev/kcap (the host) each gets as far as
 * opening it, status 1 and one line saying why; never a usage error.
 */
static void test_kcapdump_live_flags(void)
{
	static char *const cases[][8] = {
		{ "-i", "lo" }, { "-i", "any" }, { "-i", "1" }, { "-Q", "in" },
		{ "-Q", "out" }, { "-Q", "inout" }, { "-s", "0" }, { "-s", "96" },
		{ "-B", "4096" }, { "-B", "1" }, { "-p" }, { "-y", "en10mb" },
		{ "-i", "any", "-y", "LINUX_SLL2" }, { "-i", "any", "-y", "EN10MB" },
		{ "-Z", "root" }, { "-U" }, { "-l" }, { "-nn", "-e", "-vvv" },
		{ "-q" }, { "-tttt", "-XX" }, { "-A" }, { "-S", "-K", "-#" },
		{ "-V", "-x" }, { "-T", "json" }, { "--count" },
		{ "--time-stamp-precision=nano" }, { "--time-stamp-precision", "micro" },
		{ "-w", "/dev/null", "--print", "-n" }, { "-w", "/dev/null", "-C", "1", "-W", "2", "-z", "true" },
		{ "--session", "default" }, { "--session", "s1", "--configure", "-i", "lo", "udp" },
		{ "--session", "s1", "dport=53" }, { "--stats", "-i", "lo" },
		{ "--stats", "--session", "s1" }, { "-i", "lo", "udp", "port", "53" },
		{ "-i", "lo", "dport=53", "udp" }, { "-c", "3", "-i", "lo" },
	};
	const char *d = bin("KCAPDUMP");
	char err[1024];

	if (!d)
		return;
	if (access("/dev/kcap", F_OK) == 0) {
		printf("# /dev/kcap exists: live flags are the VM's tests\n");
		return;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = run(d, cases[i], err, sizeof(err));

		if (rc != 1 || !strstr(err, "/dev/kcap"))
			unit_fail(__FILE__, __LINE__, "kcapdump %s %s...: exit %d, want 1 at /dev/kcap (%s)",
				  cases[i][0], cases[i][1] ? cases[i][1] : "", rc, err);
	}
}

/* -D, -L and --version need no kcap: tcpdump's forms. */
static void test_kcapdump_lists(void)
{
	char *dl[] = { "-D", NULL }, *ll[] = { "-L", "-i", "lo", NULL };
	char *ver[] = { "--version", NULL }, *yl[] = { "-L", "-y", "EN10MB", "-i", "lo", NULL };
	const char *d = bin("KCAPDUMP");
	char err[256];

	if (!d)
		return;
	CHECK_EQ(run(d, dl, err, sizeof(err)), 0);
	CHECK_EQ(run(d, ll, err, sizeof(err)), 0);
	CHECK_EQ(run(d, yl, err, sizeof(err)), 0);
	CHECK_EQ(run(d, ver, err, sizeof(err)), 0);
}

static void test_help(void)
{
	char err[256];
	char *help[] = { "--help", NULL };
	const char *c = bin("KCAPCTL"), *d = bin("KCAPDUMP"), *g = bin("KCAPGEN");

	if (c)
		CHECK_EQ(run(c, help, err, sizeof(err)), 0);
	if (d)
		CHECK_EQ(run(d, help, err, sizeof(err)), 0);
	if (g)
		CHECK_EQ(run(g, help, err, sizeof(err)), 0);
}

void cli_tests(void)
{
	RUN(test_kcapctl_user_errors);
	RUN(test_kcapdump_user_errors);
	RUN(test_kcapdump_live_flags);
	RUN(test_kcapdump_lists);
	RUN(test_kcapgen_user_errors);
	RUN(test_help);
}
