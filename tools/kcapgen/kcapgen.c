// SPDX-License-Identifier: GPL-2.0
/*
 * kcapgen: craft ICMP echo, UDP or TCP streams and send them through
 * /dev/kcap in the traffic seed's profiles (standard, continuous, burst,
 * source-port range), send a savefile again, or count what arrives and
 * whether it is corrupted.
 *
 *   kcapgen send -i DEV --dst ADDR [fields] [profile]   prints sent=N
 *   kcapgen replay FILE -i DEV [--sync | --rate | --mbps] [--loop N]
 *   kcapgen recv -i DEV [-v] [-t SEC] [-c N] [FILTER]   prints received=N
 *                                                       corrupted=N
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "kcapgen.h"

static void usage(FILE *f)
{
	gen_send_usage(f);
	fprintf(f, "\nUsage: kcapgen recv -i DEV [-v] [-t SECONDS] [-c COUNT] [FILTER]\n\n");
	gen_replay_usage(f);
}

int main(int argc, char **argv)
{
	cli_prog = "kcapgen";
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	if (!strcmp(argv[1], "send"))
		return gen_send_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "recv"))
		return gen_recv_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "replay"))
		return gen_replay_main(argc - 1, argv + 1);
	cli_die_usage("unknown command '%s' (send, recv or replay)", argv[1]);
}
