// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Numbers, sizes and address prefixes, parsed the ethtool way: one
 * range-checked parser, no sign, no blanks, nothing after the digits.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args_int.h"

int kcap_args_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int kcap_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	/* strtoull() would take leading blanks and a minus sign. */
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int kcap_parse_size(const char *s, uint64_t max, uint64_t *out)
{
	char num[32];
	size_t n = strlen(s);
	unsigned int shift = 0;
	uint64_t v;
	int err;

	if (n && strchr("kKmMgG", s[n - 1])) {
		switch (s[n - 1]) {
		case 'k': case 'K': shift = 10; break;
		case 'm': case 'M': shift = 20; break;
		default: shift = 30; break;
		}
		n--;
	}
	if (!n || n >= sizeof(num))
		return n ? -ERANGE : -EINVAL;
	memcpy(num, s, n);
	num[n] = '\0';
	err = kcap_parse_u64(num, max >> shift, &v);
	if (err)
		return err;
	*out = v << shift;
	return 0;
}

int kcap_parse_prefix(const char *s, struct kcap_prefix *p, char *err,
		      size_t errlen)
{
	char addr[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned int bits, i;
	uint64_t len;

	memset(p, 0, sizeof(*p));
	if (!alen || alen >= sizeof(addr))
		return kcap_args_fail(err, errlen, "'%s' is not an address prefix", s);
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET, addr, p->addr) == 1) {
		p->family = KCAP_FAMILY_INET;
		bits = 32;
	} else if (inet_pton(AF_INET6, addr, p->addr) == 1) {
		p->family = KCAP_FAMILY_INET6;
		bits = 128;
	} else {
		return kcap_args_fail(err, errlen, "'%s' is not an IPv4 or IPv6 address", addr);
	}
	len = bits;
	if (slash && kcap_parse_u64(slash + 1, bits, &len))
		return kcap_args_fail(err, errlen, "bad prefix length in '%s' (0-%u)", s, bits);
	p->len = len;
	/* As tcpdump's "net": an address with host bits is a mistake. */
	for (i = len; i < bits; i++)
		if (p->addr[i / 8] & (0x80 >> (i % 8)))
			return kcap_args_fail(err, errlen, "non-network bits set in '%s'", s);
	return 0;
}

void kcap_format_prefix(const struct kcap_prefix *p, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	int af = p->family == KCAP_FAMILY_INET6 ? AF_INET6 : AF_INET;

	if (!inet_ntop(af, p->addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	snprintf(buf, len, "%s/%u", a, p->len);
}

void kcap_format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char suffix[] = "KMG";
	int i;

	for (i = 2; i >= 0; i--) {
		uint64_t unit = 1ULL << (10 * (i + 1));

		if (bytes >= unit && !(bytes % unit)) {
			snprintf(buf, len, "%llu%c",
				 (unsigned long long)(bytes / unit), suffix[i]);
			return;
		}
	}
	snprintf(buf, len, "%llu", (unsigned long long)bytes);
}
