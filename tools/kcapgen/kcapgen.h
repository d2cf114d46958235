/* SPDX-License-Identifier: GPL-2.0 */
/* kcapgen's commands; argv[0] is the command's name. Each returns the
 * exit status. */
#ifndef KCAPGEN_H
#define KCAPGEN_H

#include <stdio.h>

int gen_send_main(int argc, char **argv);	/* send.c */
int gen_recv_main(int argc, char **argv);	/* recv.c */
int gen_replay_main(int argc, char **argv);	/* replay.c */

/* The options of send and replay, for kcapgen --help. */
void gen_send_usage(FILE *fp);
void gen_replay_usage(FILE *fp);

#endif /* KCAPGEN_H */
