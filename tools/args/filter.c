// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * A pcap-filter(7) expression compiled to the classic BPF the kernel runs:
 * the one place the grammar needs libpcap.
 */
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "args_int.h"

_Static_assert(sizeof(struct sock_filter) == sizeof(struct bpf_insn),
	       "pcap's and the kernel's BPF instructions differ");

int kcap_filter_compile(const char *expr, uint32_t snaplen,
			struct sock_filter **prog, unsigned int *len,
			char *err, size_t errlen)
{
	struct bpf_program bp;
	pcap_t *dead;
	int ret = 0;

	dead = pcap_open_dead(DLT_EN10MB, snaplen ? snaplen : KCAP_SNAPLEN_MAX);
	if (!dead)
		return kcap_args_fail(err, errlen, "filter: out of memory");
	if (pcap_compile(dead, &bp, expr, 1, PCAP_NETMASK_UNKNOWN)) {
		ret = kcap_args_fail(err, errlen, "filter '%s': %s", expr, pcap_geterr(dead));
		goto out_close;
	}
	if (bp.bf_len > KCAP_MAX_BPF_INSNS) {
		ret = kcap_args_fail(err, errlen, "filter '%s': %u BPF instructions, at most %d",
				     expr, bp.bf_len, KCAP_MAX_BPF_INSNS);
		goto out_free;
	}
	if (prog) {
		*prog = calloc(bp.bf_len, sizeof(**prog));
		if (!*prog) {
			ret = kcap_args_fail(err, errlen, "filter: out of memory");
			goto out_free;
		}
		memcpy(*prog, bp.bf_insns, bp.bf_len * sizeof(**prog));
		*len = bp.bf_len;
	}
out_free:
	pcap_freecode(&bp);
out_close:
	pcap_close(dead);
	return ret;
}
