// SPDX-License-Identifier: GPL-2.0
/*
 * The ring: one multi-producer, single-consumer byte ring per session,
 * shaped after the BPF ring buffer (kernel/bpf/ringbuf.c). The layout and
 * the reader's side are described in uapi/linux/kcap.h.
 *
 * One vmalloc_user() area: page 0 is struct kcap_ring_cons, which the
 * reader maps read-write; page 1 is struct kcap_ring_prod and the pages
 * after it hold the records, all mapped read-only. Everything the kernel
 * trusts (size, mask, its lock) lives in struct kcap_ring, outside the
 * mapping. The one value it reads from the reader, consumer_pos, only
 * decides whether a record fits: it is never used as an index.
 */
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#include "kcap_int.h"

#define KCAP_RING_CONS_PGOFF	0
#define KCAP_RING_PROD_PGOFF	1
#define KCAP_RING_DATA_PGOFF	2

struct kcap_ring {
	spinlock_t lock;		/* serialises producers */
	u32 size;			/* of the data area, a power of two */
	u32 mask;
	void *area;			/* the vmalloc_user() area */
	struct kcap_ring_cons *cons;
	struct kcap_ring_prod *prod;
	u8 *data;
	wait_queue_head_t waitq;
};

/* size: bytes of record space, already checked to be a power of two. */
struct kcap_ring *kcap_ring_alloc(u32 size)
{
	struct kcap_ring *ring;

	if (WARN_ON_ONCE(!is_power_of_2(size) || size < KCAP_RING_MIN ||
			 size > KCAP_RING_MAX))
		return NULL;

	/*
	 * Ring sizes are the user's choice, up to 1 GiB. One that would take
	 * more than half the memory available now is refused before
	 * vmalloc_user() tries (and, failing, dumps a warning to the log).
	 */
	if (size / PAGE_SIZE > si_mem_available() / 2)
		return NULL;

	ring = kzalloc(sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return NULL;
	/* At most 1 GiB plus two pages: no overflow in an unsigned long. */
	ring->area = vmalloc_user((unsigned long)size +
				  KCAP_RING_DATA_PGOFF * PAGE_SIZE);
	if (!ring->area)
		goto err_free_ring;

	spin_lock_init(&ring->lock);
	init_waitqueue_head(&ring->waitq);
	ring->size = size;
	ring->mask = size - 1;
	ring->cons = ring->area + KCAP_RING_CONS_PGOFF * PAGE_SIZE;
	ring->prod = ring->area + KCAP_RING_PROD_PGOFF * PAGE_SIZE;
	ring->data = ring->area + KCAP_RING_DATA_PGOFF * PAGE_SIZE;
	return ring;

err_free_ring:
	kfree(ring);
	return NULL;
}

/* Only once no hook can reach the ring and no mapping of it exists. */
void kcap_ring_free(struct kcap_ring *ring)
{
	if (!ring)
		return;
	vfree(ring->area);
	kfree(ring);
}

u32 kcap_ring_size(const struct kcap_ring *ring)
{
	return ring->size;
}

/*
 * A new reader takes over a ring its predecessor left: what that reader
 * asked of the ring (its wakeup mark) goes, and so do the records queued
 * unless the new one keeps them. Called before the reader can have mapped
 * the ring.
 */
void kcap_ring_new_reader(struct kcap_ring *ring, bool keep)
{
	unsigned long flags;

	WRITE_ONCE(ring->cons->wakeup_bytes, 0);
	if (keep)
		return;
	spin_lock_irqsave(&ring->lock, flags);
	WRITE_ONCE(ring->cons->consumer_pos, ring->prod->producer_pos);
	spin_unlock_irqrestore(&ring->lock, flags);
}

/* Where the reader finds the two regions, for KCAP_IOC_ATTACH. */
void kcap_ring_layout(const struct kcap_ring *ring, struct kcap_attach *att)
{
	att->data_size = ring->size;
	att->cons_off = KCAP_RING_CONS_PGOFF * PAGE_SIZE;
	att->prod_off = KCAP_RING_PROD_PGOFF * PAGE_SIZE;
	att->prod_len = PAGE_SIZE + (u64)ring->size;
	att->data_off = (KCAP_RING_DATA_PGOFF - KCAP_RING_PROD_PGOFF) * PAGE_SIZE;
}

void kcap_ring_set_ended(struct kcap_ring *ring, bool ended)
{
	u32 flags = READ_ONCE(ring->prod->flags);

	if (ended == !!(flags & KCAP_RING_ENDED))
		return;
	WRITE_ONCE(ring->prod->flags, flags ^ KCAP_RING_ENDED);
	/*
	 * Not batched: an ended ring wakes its reader at once. The wait
	 * queue's lock orders this against poll_wait() in kcap_ring_poll().
	 */
	if (ended)
		wake_up_interruptible_all(&ring->waitq);
}

/*
 * Reserves a record for caplen bytes of frame and returns its header,
 * marked busy, or NULL if the ring has no room. rsv remembers where the
 * reservation (with any padding before it) begins, for kcap_ring_commit().
 * May run on any CPU in softirq or with BH disabled.
 */
struct kcap_pkthdr *kcap_ring_reserve(struct kcap_ring *ring, u32 caplen,
				      struct kcap_ring_rsv *rsv)
{
	struct kcap_pkthdr *hdr;
	unsigned long flags;
	u32 len, prod, cons, off, pad;

	/*
	 * A record larger than half the ring is dropped: this bounds the
	 * padding too, so a reservation always fits in an empty ring.
	 */
	if (caplen > ring->size / 2 - sizeof(*hdr))
		return NULL;
	len = ALIGN(sizeof(*hdr) + caplen, KCAP_RECORD_ALIGN);

	spin_lock_irqsave(&ring->lock, flags);
	prod = ring->prod->producer_pos;
	/* Pairs with the reader's store-release of consumer_pos. */
	cons = smp_load_acquire(&ring->cons->consumer_pos);
	off = prod & ring->mask;
	pad = 0;
	if (off + len > ring->size)
		pad = ring->size - off;
	/*
	 * The reader may have written anything as consumer_pos: a value
	 * ahead of prod or more than the ring behind it reads as a full ring.
	 */
	if (prod - cons > ring->size ||
	    ring->size - (prod - cons) < pad + len) {
		spin_unlock_irqrestore(&ring->lock, flags);
		return NULL;
	}
	if (pad) {
		/* A padding record is complete at once: no busy bit. */
		WRITE_ONCE(*(u32 *)(ring->data + off), pad | KCAP_REC_PAD);
		off = 0;
	}
	hdr = (struct kcap_pkthdr *)(ring->data + off);
	WRITE_ONCE(hdr->rec_len, len | KCAP_REC_BUSY);
	rsv->start = prod;
	rsv->len = len;
	/*
	 * Pairs with the reader's load-acquire of producer_pos: the reader
	 * sees the padding and the busy record before the new position.
	 */
	smp_store_release(&ring->prod->producer_pos, prod + pad + len);
	spin_unlock_irqrestore(&ring->lock, flags);
	return hdr;
}

/*
 * How many bytes of records the reader wants pending before it is woken:
 * its own choice, from its page, so untrusted and bounded by what the ring
 * can hold. At least one byte: 0 means "at the first record".
 */
static u32 kcap_ring_wakeup_mark(const struct kcap_ring *ring)
{
	return clamp_t(u32, READ_ONCE(ring->cons->wakeup_bytes), 1,
		       ring->size / 2);
}

/* Hands a filled record to the reader, and wakes it if it was waiting. */
void kcap_ring_commit(struct kcap_ring *ring, struct kcap_pkthdr *hdr,
		      const struct kcap_ring_rsv *rsv)
{
	u32 pad = ((u32)((u8 *)hdr - ring->data) - rsv->start) & ring->mask;
	u32 cons, before, after, mark;

	/*
	 * Pairs with the reader's load-acquire of rec_len: it sees the
	 * header and frame before the busy bit goes.
	 */
	smp_store_release(&hdr->rec_len, rsv->len);

	/*
	 * Wake the reader only for the record that brings the bytes pending
	 * to its mark: a reader that is behind, or short of its mark, finds
	 * this record without a wakeup. A reader already past our padding
	 * had nothing pending before us. The load pairs with the reader's
	 * store-release of consumer_pos; the barrier in wq_has_sleeper()
	 * pairs with the smp_mb() in kcap_ring_poll().
	 */
	cons = smp_load_acquire(&ring->cons->consumer_pos);
	mark = kcap_ring_wakeup_mark(ring);
	before = cons - rsv->start <= pad ? 0 : rsv->start - cons;
	after = rsv->start + pad + rsv->len - cons;
	if (before < mark && after >= mark && wq_has_sleeper(&ring->waitq))
		wake_up_interruptible(&ring->waitq);
}

static void kcap_ring_vma_deny_write(struct vm_area_struct *vma)
{
	/* Kbuild tells which: vm_flags became read-only in 6.3. */
#ifdef KCAP_HAVE_VM_FLAGS_CLEAR
	vm_flags_clear(vma, VM_MAYWRITE);
#else
	vma->vm_flags &= ~VM_MAYWRITE;
#endif
}

/*
 * Two mappings, each of exact length: the consumer page, read-write, and
 * the producer page with the records, read-only and never to become
 * writable (VM_MAYWRITE cleared, so mprotect() cannot either). Both must
 * be shared: a private copy of the ring would never see a new record.
 */
int kcap_ring_mmap(struct kcap_ring *ring, struct vm_area_struct *vma)
{
	unsigned long len = vma->vm_end - vma->vm_start;

	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;

	switch (vma->vm_pgoff) {
	case KCAP_RING_CONS_PGOFF:
		if (len != PAGE_SIZE)
			return -EINVAL;
		return remap_vmalloc_range(vma, ring->area,
					   KCAP_RING_CONS_PGOFF);
	case KCAP_RING_PROD_PGOFF:
		if (len != PAGE_SIZE + (unsigned long)ring->size)
			return -EINVAL;
		if (vma->vm_flags & VM_WRITE)
			return -EPERM;
		kcap_ring_vma_deny_write(vma);
		return remap_vmalloc_range(vma, ring->area,
					   KCAP_RING_PROD_PGOFF);
	default:
		return -EINVAL;
	}
}

__poll_t kcap_ring_poll(struct kcap_ring *ring, struct file *file,
			poll_table *wait)
{
	__poll_t mask = 0;

	poll_wait(file, &ring->waitq, wait);
	/* Pairs with the barrier in wq_has_sleeper() in kcap_ring_commit(). */
	smp_mb();

	if (READ_ONCE(ring->prod->producer_pos) -
	    READ_ONCE(ring->cons->consumer_pos) >= kcap_ring_wakeup_mark(ring))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (READ_ONCE(ring->prod->flags) & KCAP_RING_ENDED)
		mask |= EPOLLHUP;
	return mask;
}
