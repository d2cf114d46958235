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

static void expect(const char *bin, const char *culprit, ...)
{
	char *args[16], err[1024];
	const char *a;
	va_list ap;
	int n = 0, rc;

	va_start(ap, culprit);
	while ((a = va_arg(ap, const char *)) && n < 15)
		args[n++] = (char *)a;
	va_end(ap);
	args[n] = NULL;
	rc = run(bin, args, err, sizeof(err));
	if (rc != 2)
		unit_fail(__FILE__, __LINE__, "%s %s...: exit %d, want 2 (%s)", bin,
			  args[0] ? args[0] : "", rc, err);
	else if (!strstr(err, culprit) || strchr(err, '\n') != err + strlen(err) - 1)
		unit_fail(__FILE__, __LINE__, "%s %s...: stderr '%s' lacks '%s' or is not one line",
			  bin, args[0] ? args[0] : "", err, culprit);
}

static const char *bin(const char *var)
{
	const char *b = getenv(var);

	return b && *b ? b : NULL;
}

static void test_kcapctl_user_errors(void)
{
	const char *c = bin("KCAPCTL");

	if (!c) {
		printf("# KCAPCTL not set: skipped\n");
		return;
	}
	expect(c, "unknown key 'foo'", "set", "foo=1", NULL);
	expect(c, "duplicate key 'dport'", "set", "dport=1", "dport=2", NULL);
	expect(c, "non-network bits set in '10.0.0.1/8'", "set", "src=10.0.0.1/8", NULL);
	expect(c, "dport: '65536'", "set", "s1", "dport=65536", NULL);
	expect(c, "sport: '-5'", "set", "sport=-5", NULL);
	expect(c, "filter 'tcp prot 80'", "set", "filter=tcp prot 80", NULL);
	expect(c, "ring: '3M'", "set", "ring=3M", NULL);
	expect(c, "dev: no such device 'kcap-nosuch0'", "set", "dev=kcap-nosuch0", NULL);
	expect(c, "l4proto: 'gre'", "set", "l4proto=gre", NULL);
	expect(c, "capture: 'sideways'", "set", "capture=sideways", NULL);
	expect(c, "nothing to set", "set", NULL);
	expect(c, "bad session name", "set", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "dport=1", NULL);
	expect(c, "unknown command 'frobnicate'", "frobnicate", NULL);
	expect(c, "unexpected argument 'x'", "show", "s1", "x", NULL);
	expect(c, "missing session NAME", "add", NULL);
	expect(c, "cannot be deleted", "del", "default", NULL);
	expect(c, "-i: '0'", "stats", "-i", "0", NULL);
	expect(c, "-c needs -i", "stats", "-c", "3", NULL);
	expect(c, "unexpected argument '-z'", "stats", "-z", NULL);
}

static void test_kcapdump_user_errors(void)
{
	const char *d = bin("KCAPDUMP");

	if (!d) {
		printf("# KCAPDUMP not set: skipped\n");
		return;
	}
	expect(d, "unknown key 'bogus'", "bogus=1", NULL);
	expect(d, "duplicate key 'dev'", "dev=lo", "dev=lo", NULL);
	expect(d, "dport: '99999'", "-w", "x.pcap", "dport=99999", NULL);
	expect(d, "filter 'udp port x'", "filter=udp port x", NULL);
	/* A word that is not key=value is a filter expression. */
	expect(d, "filter 'out.pcap'", "out.pcap", NULL);
	expect(d, "filter 'udp port x'", "udp", "port", "x", NULL);
	expect(d, "a filter expression and filter= are both given", "udp", "filter=tcp", NULL);
	expect(d, "-c: '0'", "-c", "0", NULL);
	expect(d, "-c: 'ten'", "-c", "ten", NULL);
	expect(d, "-C: '1X'", "-w", "x", "-C", "1X", NULL);
	expect(d, "-C and -G need -w FILE", "-w", "-", "-C", "1", NULL);
	expect(d, "-W needs -C or -G", "-w", "x", "-W", "2", NULL);
	expect(d, "--pcapng needs -w", "--pcapng", NULL);
	expect(d, "--stats writes no packets", "--stats", "-w", "x", NULL);
	expect(d, "unknown option '-Z'", "-Z", NULL);
	expect(d, "option '-w' needs a value", "-w", NULL);
	expect(d, "-T: 'xml' is not a known format (json)", "-T", "xml", NULL);
	expect(d, "-x and -T print packets: they take no -w", "-w", "x", "-x", NULL);
	expect(d, "-q and -T json are exclusive", "-q", "-T", "json", NULL);
	expect(d, "--stats prints no packets", "--stats", "-T", "json", NULL);
	expect(d, "-r: /nonexistent/kcap.pcap: No such file or directory",
	       "-r", "/nonexistent/kcap.pcap", NULL);
	expect(d, "--conversations needs -r FILE", "--conversations", NULL);
	expect(d, "--follow needs -r FILE", "--follow", "1.2.3.4:1-5.6.7.8:2", NULL);
	expect(d, "'bogus' is not ADDR:PORT-ADDR:PORT", "-r", "/dev/null", "--follow", "bogus", NULL);
	expect(d, "--follow", "-r", "/dev/null", "--follow", "1.2.3.4:99999-5.6.7.8:2", NULL);
	expect(d, "--conversations and --follow are exclusive", "-r", "/dev/null",
	       "--conversations", "--follow", "1.2.3.4:1-5.6.7.8:2", NULL);
	expect(d, "--conversations takes no -w", "-r", "/dev/null", "--conversations",
	       "-q", NULL);
	expect(d, "'dev=lo' configures a live session", "-r", "/dev/null", "dev=lo", NULL);
	expect(d, "-s picks a live session", "-r", "/dev/null", "-s", "x", NULL);
	expect(d, "--stats counts a live session", "-r", "/dev/null", "--stats", NULL);
	expect(d, "kcapgen replay FILE -i DEV", "--inject", "x.pcap", NULL);
}

static void test_kcapgen_user_errors(void)
{
	const char *g = bin("KCAPGEN");

	if (!g) {
		printf("# KCAPGEN not set: skipped\n");
		return;
	}
	expect(g, "unknown command 'bogus'", "bogus", NULL);
	expect(g, "send: -i DEV is required", "send", "--dst", "10.0.0.1", NULL);
	expect(g, "send: --dst ADDR is required", "send", "-i", "lo", NULL);
	expect(g, "--ttl: '300'", "send", "-i", "lo", "--ttl", "300", NULL);
	expect(g, "--rate: '0'", "send", "-i", "lo", "--rate", "0", NULL);
	expect(g, "--profile: 'bogus'", "send", "--profile", "bogus", NULL);
	expect(g, "--sport-range: '9-1'", "send", "--sport-range", "9-1", NULL);
	expect(g, "option '--ttl' needs a value", "send", "--ttl", NULL);
	expect(g, "replay FILE needs -i DEV", "replay", "x.pcap", NULL);
	expect(g, "--sync, --rate and --mbps exclude each other", "replay", "x.pcap",
	       "-i", "lo", "--sync", "--rate", "5", NULL);
	expect(g, "--loop: 'x'", "replay", "x.pcap", "-i", "lo", "--loop", "x", NULL);
	expect(g, "recv: -i DEV is required", "recv", NULL);
	expect(g, "-t: 'soon'", "recv", "-i", "lo", "-t", "soon", NULL);
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
	RUN(test_kcapgen_user_errors);
	RUN(test_help);
}
