/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KCAP_H
#define _KCAP_H

#include <linux/fs.h>
#include <linux/kcap.h>

/* dev.c: the misc device /dev/kcap */
int kcap_dev_init(void);
void kcap_dev_exit(void);

/* ioctl.c: argument checks and dispatch */
long kcap_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

#endif /* _KCAP_H */
