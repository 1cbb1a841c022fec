#include "vm/guest_layout.h"

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
}
