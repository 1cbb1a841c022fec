#include "kernel/cpu_tables.h"

#include <stdint.h>

#include "hw/cpu.h"
#include "hw/apic.h"
#include "kernel/kstring.h"

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));

/* The 32 exceptions and the local-APIC timer's vector (hw/apic.h). */
#define IDT_VECTORS 33
_Static_assert(APIC_TIMER_VECTOR == IDT_VECTORS - 1, "isr.S's table ends with the timer's gate");
#define GATE_INTERRUPT_PRESENT 0x8e
#define TSS_TYPE_AVAILABLE 0x89

static uint64_t gdt[5];
static struct tss64 tss;
static struct idt_gate idt[IDT_VECTORS];
static uint8_t fault_stack[16384] __attribute__((aligned(16)));

extern const uint64_t isr_stub_table[IDT_VECTORS]; /* isr.S */

static void set_tss_descriptor(void)
{
	uint64_t base = (uint64_t)&tss;
	uint64_t limit = sizeof(tss) - 1;
	gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | ((uint64_t)TSS_TYPE_AVAILABLE << 40) |
		 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[4] = base >> 32;
}

void cpu_tables_init(void)
{
	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffull; /* 64-bit code, DPL 0 */
	gdt[2] = 0x00cf92000000ffffull; /* data */
	memset(&tss, 0, sizeof(tss));
	/* Faults run on their own stack (IST1), so a blown stack still gets reported; the timer on ours. */
	tss.ist[0] = (uint64_t)(fault_stack + sizeof(fault_stack));
	tss.iomap_base = sizeof(tss);
	set_tss_descriptor();

	struct desc_ptr gdtr = { sizeof(gdt) - 1, (uint64_t)gdt };
	load_gdt_and_tr(&gdtr, SEL_CODE64, SEL_DATA, SEL_TSS);

	for (int v = 0; v < IDT_VECTORS; v++) {
		uint64_t h = isr_stub_table[v];
		idt[v] = (struct idt_gate){
			.offset_lo = h & 0xffff,
			.selector = SEL_CODE64,
			.ist = v < 32 ? 1 : 0,
			.type_attr = GATE_INTERRUPT_PRESENT,
			.offset_mid = (h >> 16) & 0xffff,
			.offset_hi = h >> 32,
		};
	}
	struct desc_ptr idtr = { sizeof(idt) - 1, (uint64_t)idt };
	load_idt(&idtr);
}

uint64_t cpu_tables_tss_base(void)
{
	return (uint64_t)&tss;
}
