#include "fault.h"

#include "vexit_guest.h"

#define IDT_VECTORS 22  /* the exceptions fault_stubs handles */
#define IDT_ENTRIES 256 /* the rest are empty (not present) until fault_set_gate fills them */
#define GUEST_CODE_SELECTOR 0x08
#define IDT_TYPE_INTERRUPT_GATE 0x8e /* present, DPL 0, 64-bit interrupt gate */
#define IDT_DPL_SHIFT 5

struct idt_entry {
	uint16_t offset_low, selector;
	uint8_t ist, type;
	uint16_t offset_mid;
	uint32_t offset_high, reserved;
} __attribute__((packed));

extern const uint64_t fault_stubs[IDT_VECTORS]; /* idt.S */

static struct idt_entry idt[IDT_ENTRIES] __attribute__((aligned(16)));
volatile uint64_t fault_fixup;
volatile int64_t fault_vector = FAULT_NONE;
volatile uint64_t fault_error, fault_rip;

static struct idt_entry gate(uint64_t a, unsigned dpl)
{
	return (struct idt_entry){ .offset_low = (uint16_t)a, .selector = GUEST_CODE_SELECTOR,
				   .type = (uint8_t)(IDT_TYPE_INTERRUPT_GATE | dpl << IDT_DPL_SHIFT),
				   .offset_mid = (uint16_t)(a >> 16), .offset_high = (uint32_t)(a >> 32) };
}

void fault_set_gate(unsigned vector, void (*entry)(void), unsigned dpl)
{
	if (vector >= IDT_VECTORS && vector < IDT_ENTRIES)
		idt[vector] = gate((uint64_t)(uintptr_t)entry, dpl & 3);
}

void fault_init(void)
{
	for (unsigned v = 0; v < IDT_VECTORS; v++)
		idt[v] = gate(fault_stubs[v], 0);
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

void fault_handler(struct fault_frame *f);

void fault_handler(struct fault_frame *f)
{
	if (!fault_fixup) {
		guest_printf("FAIL unexpected exception %lu (error 0x%lx) at rip 0x%lx", f->vector, f->error, f->rip);
		vmcall4(VEXIT_HC_EXIT, FAULT_UNEXPECTED_STATUS, 0, 0, 0);
		for (;;)
			__asm__ volatile("hlt");
	}
	fault_vector = (int64_t)f->vector;
	fault_error = f->error;
	fault_rip = f->rip;
	f->rip = fault_fixup;
	fault_fixup = 0;
}
