// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * kcap_setfilter(): an expression compiled by libpcap and run by the
 * kernel. The compiling is libkcapargs' kcap_filter_compile(), the one the
 * tools' filter= key uses; a savefile's handle compiles against its own
 * link type and filters in userspace, as libpcap does for files.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <string.h>

#include "kcap_args.h"
#include "libkcap_int.h"

static int kcap_setfilter_offline(struct kcap *k, const char *expr)
{
	struct bpf_program bp;
	int err = 0;

	if (pcap_compile(k->pcap, &bp, expr ? expr : "", 1, PCAP_NETMASK_UNKNOWN))
		return kcap_err(k, -EINVAL, "filter '%s': %s", expr, pcap_geterr(k->pcap));
	if (pcap_setfilter(k->pcap, &bp))
		err = kcap_err(k, -EINVAL, "filter '%s': %s", expr, pcap_geterr(k->pcap));
	pcap_freecode(&bp);
	return err;
}

int kcap_setfilter(struct kcap *k, const char *expr)
{
	char msg[KCAP_ERRBUF_SIZE];
	struct sock_filter *prog = NULL;
	unsigned int len = 0;
	struct kcap_cfg cfg;
	int err;

	if (k->pcap)
		return kcap_setfilter_offline(k, expr);
	if (!k->session[0])
		return kcap_err(k, -ENOTCONN,
				"setfilter: not attached to a session (kcap_open_live() or kcap_attach() first)");
	kcap_cfg_init(&cfg, k->session);
	err = kcap_config_get(k, k->session, &cfg);
	if (err)
		goto out;
	if (expr && *expr) {
		err = kcap_filter_compile(expr, cfg.c.snaplen, &prog, &len, msg,
					  sizeof(msg));
		if (err) {
			err = kcap_err(k, err, "%s", msg);
			goto out;
		}
	}
	kcap_cfg_free(&cfg);
	cfg.prog = prog;
	cfg.prog_len = len;
	err = kcap_config_set(k, &cfg);
	if (!err)
		kcap_ring_flush(k);
out:
	kcap_cfg_free(&cfg);
	return err;
}
