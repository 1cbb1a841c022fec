#include "vm/guest_layout.h"

#include "include/x86_arch.h"
#include "vm/guest_mem.h"

#define PTE_P_W 0x3ull
#define PTE_PS (1ull << 7)

static void put64(struct vm *vm, uint64_t gpa, uint64_t v)
{
	guest_mem_write(vm, gpa, &v, sizeof(v));
}

void guest_layout_build(struct vm *vm)
{
	put64(vm, GUEST_PML4, GUEST_PDPT | PTE_P_W);
	put64(vm, GUEST_PDPT, GUEST_PD | PTE_P_W);
	put64(vm, GUEST_PD, 0 | PTE_P_W | PTE_PS);

	/* The same descriptors the VMCS guest state loads, so a guest that reloads them gets what it had. */
	put64(vm, GUEST_GDT + 0x00, 0);
	put64(vm, GUEST_GDT + 0x08, 0x00af9b000000ffffull); /* 64-bit code, accessed */
	put64(vm, GUEST_GDT + 0x10, 0x00cf93000000ffffull); /* data, accessed */
	/* 64-bit busy TSS at GUEST_TSS (SDM Vol. 3A 9.2.3): the second half holds base 63:32 = 0. */
	put64(vm, GUEST_GDT + 0x18, GUEST_TSS_LIMIT | (GUEST_TSS << 16) | (0x8bull << 40));
	put64(vm, GUEST_GDT + 0x20, 0);
	/*
	 * The TSS is zero but for its I/O map base, which points past the limit: no I/O permission
	 * bitmap, so user mode has no port unless the guest kernel grants one (SDM Vol. 1, "I/O
	 * Permission Bit Map"). A base of 0 would make the zeroed TSS itself a bitmap granting ports
	 * 0-0x337, the debug and exit ports among them.
	 */
	uint16_t iomap = TSS64_SIZE;
	guest_mem_write(vm, GUEST_TSS + TSS64_IOMAP_BASE, &iomap, sizeof(iomap));
}
