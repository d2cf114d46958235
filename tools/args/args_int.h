/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* libkcapargs' inside: the message helper its files share. */
#ifndef KCAP_ARGS_INT_H
#define KCAP_ARGS_INT_H

#include <stddef.h>

#include "kcap_args.h"

/* Formats the message into err; returns -EINVAL. */
__attribute__((format(printf, 3, 4)))
int kcap_args_fail(char *err, size_t errlen, const char *fmt, ...);

#endif /* KCAP_ARGS_INT_H */
