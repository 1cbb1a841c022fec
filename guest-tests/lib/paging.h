/*
 * The guest's own page tables, for tests that map guest-physical addresses the
 * VM does not have. The VM starts with one PML4, one PDPT and one PD at these
 * guest-physical addresses (hypervisor/vm/guest_layout.h), linear = physical, PD
 * entry 0 a 2 MiB page over all of guest memory.
 */
#ifndef VEXIT_GUEST_PAGING_H
#define VEXIT_GUEST_PAGING_H

#include <stdint.h>

#define GUEST_PD_ADDR 0x3000ull
#define GUEST_MEM_BYTES 0x200000ull
#define PDE_2M_PRESENT_WRITABLE 0x83ull /* present, writable, 2 MiB page (PS) */

/* Map the 2 MiB page at linear address la (below 1 GiB: the PD the VM starts with) to gpa. */
static inline void map_2m(uint64_t la, uint64_t gpa)
{
	volatile uint64_t *pd = (volatile uint64_t *)GUEST_PD_ADDR;
	pd[(la >> 21) & 511] = (gpa & ~0x1fffffull) | PDE_2M_PRESENT_WRITABLE;
	__asm__ volatile("invlpg (%0)" : : "r"(la) : "memory");
}

#endif
