/*
 * Where things are in a fresh guest (guest-physical = linear, identity mapped):
 *
 *   0x001000  PML4        0x002000  PDPT        0x003000  PD (one 2 MiB page: all of memory)
 *   0x004000  GDT: null, 64-bit code (0x08), data (0x10), TSS (0x18, 16 bytes)
 *   0x005000  TSS (zero, but for an I/O map base past its limit: no I/O permission bitmap)
 *   0x010000  the guest image (ELF64 PT_LOAD segments), up to GUEST_IMAGE_LIMIT
 *   top of memory: the stack, growing down
 *
 * The guest starts in 64-bit mode at its ELF entry point with paging on,
 * interrupts off, no IDT (any exception triple-faults until the guest loads one).
 */
#ifndef VEXIT_GUEST_LAYOUT_H
#define VEXIT_GUEST_LAYOUT_H

#include "vm/vm.h"

#define GUEST_PML4 0x1000ull
#define GUEST_PDPT 0x2000ull
#define GUEST_PD 0x3000ull
#define GUEST_GDT 0x4000ull
#define GUEST_TSS 0x5000ull
#define GUEST_IMAGE_BASE 0x10000ull
#define GUEST_IMAGE_LIMIT (GUEST_MEM_SIZE - 0x10000ull)
#define GUEST_STACK_TOP GUEST_MEM_SIZE

#define GUEST_SEL_CODE 0x08
#define GUEST_SEL_DATA 0x10
#define GUEST_SEL_TSS 0x18
#define GUEST_GDT_LIMIT 0x27
#define GUEST_TSS_LIMIT 0x67

/* Write the page tables, GDT and TSS above into the VM's (zeroed) memory. */
void guest_layout_build(struct vm *vm);

#endif
