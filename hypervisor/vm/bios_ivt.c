#include "vm/bios_ivt.h"

#include "vm/acpi_tables.h"
#include "vm/guest_mem.h"
#include "vm/pic.h"
#include "vm/vm.h"

_Static_assert(BIOS_STUB_ADDR >= ACPI_TABLES_END, "the handlers sit after the ACPI tables");

/* Real-mode code, byte for byte: IRET; PUSH AX, MOV AL,20h, OUT 20h,AL (or OUT A0h,AL first), POP AX, IRET. */
static const uint8_t stubs[BIOS_STUB_SIZE] = {
	0xcf,
	0x50, 0xb0, 0x20, 0xe6, PIC_MASTER_PORT, 0x58, 0xcf,
	0x50, 0xb0, 0x20, 0xe6, PIC_SLAVE_PORT, 0xe6, PIC_MASTER_PORT, 0x58, 0xcf,
};

static uint32_t far_pointer(uint32_t stub)
{
	return (BIOS_STUB_SEGMENT << 16) | (BIOS_STUB_ADDR - (BIOS_STUB_SEGMENT << 4) + stub);
}

const char *bios_ivt_write(struct vm *vm)
{
	uint32_t ivt[BIOS_IVT_VECTORS];
	for (unsigned v = 0; v < BIOS_IVT_VECTORS; v++) {
		uint32_t stub = BIOS_STUB_IRET;
		if (v >= PIC_BIOS_MASTER_BASE && v < PIC_BIOS_MASTER_BASE + 8)
			stub = BIOS_STUB_MASTER_EOI;
		else if (v >= PIC_BIOS_SLAVE_BASE && v < PIC_BIOS_SLAVE_BASE + 8)
			stub = BIOS_STUB_SLAVE_EOI;
		ivt[v] = far_pointer(stub);
	}
	if (!guest_mem_write(vm, BIOS_IVT_ADDR, ivt, sizeof(ivt)) ||
	    !guest_mem_write(vm, BIOS_STUB_ADDR, stubs, sizeof(stubs)))
		return "guest-memory-size";
	return NULL;
}
