/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KCAPDUMP_INJECT_H
#define KCAPDUMP_INJECT_H

/*
 * kcapdump --inject FILE -i DEV [--sync | --rate PPS | --mbps M]
 *          [--loop N] [-c N] [-q]
 * Replays a pcap or pcapng file through /dev/kcap. argv as main()'s.
 */
int kd_inject_main(int argc, char **argv);

/* Whether argv asks for --inject, so main() hands it over early. */
int kd_inject_wanted(int argc, char **argv);

#endif /* KCAPDUMP_INJECT_H */
