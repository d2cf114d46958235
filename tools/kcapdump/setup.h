/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The live session kcapdump reads or counts: KEY=VALUE merged into its
 * configuration, a description for the "listening" line, and the devices
 * a pcapng file is to describe from its first write.
 */
#ifndef KCAPDUMP_SETUP_H
#define KCAPDUMP_SETUP_H

#include <stddef.h>

#include "kcap_args.h"

/*
 * cfg: the session's configuration after the keys given (and, unless
 * stats_only < 0, stats-only on or off) were set. Exits on an error:
 * 2 for a key the kernel's state makes wrong, 1 for the kernel's refusal.
 */
void kd_session_configure(struct kcap *k, const char *session,
			  const struct kcap_args *a, struct kcap_cfg *cfg,
			  int stats_only);
/* "lo,eth0, ingress", with a warning when nothing will be captured. */
void kd_session_describe(const char *session, const struct kcap_cfg *cfg,
			 char *buf, size_t len);
/* The session's devices, or every device now for dev=any; malloc'ed. */
int *kd_session_devices(const struct kcap_config *c, unsigned int *n);

#endif /* KCAPDUMP_SETUP_H */
