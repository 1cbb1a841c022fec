/*
 * The x86 instructions the kernel needs, one out-of-line function each (hw/cpu.c),
 * so the host build links stand-ins for them instead (harness/tests/fake_hw.c):
 * this header is the link-time seam between the plain C above and the hardware.
 * No VMX here (hw/vmx_insn.h).
 */
#ifndef VEXIT_HW_CPU_H
#define VEXIT_HW_CPU_H

#include <stdint.h>

void outb(uint16_t port, uint8_t v);
void outw(uint16_t port, uint16_t v);
uint8_t inb(uint16_t port);
uint16_t inw(uint16_t port);

uint64_t rdmsr(uint32_t msr);
void wrmsr(uint32_t msr, uint64_t v);
uint64_t rdtsc(void);
/* RDTSC as the instruction leaves it, EAX and EDX apart: for a store that joins them only when read. */
struct tsc_halves {
	uint32_t lo, hi;
};
struct tsc_halves rdtsc_halves(void);
void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]);
void xsetbv(uint32_t index, uint64_t v);
/*
 * Extended state (SDM Vol. 1 13): save or restore the components in `mask` (ANDed
 * with XCR0) to or from a 64-byte aligned area of at most one page, in the standard
 * format; XSAVEOPT skips components in their initial state or unchanged since the
 * last XRSTOR of the area. FXSAVE/FXRSTOR: x87 and SSE only, a 512-byte area.
 */
void xsave(void *area, uint64_t mask);
void xsaveopt(void *area, uint64_t mask);
void xrstor(const void *area, uint64_t mask);
void fxsave(void *area);
void fxrstor(const void *area);
/* DR0-DR3 and DR6 (n = 0..3, 6); other numbers read 0 and write nothing. */
uint64_t read_dr(unsigned n);
void write_dr(unsigned n, uint64_t v);

uint64_t read_cr0(void);
uint64_t read_cr2(void);
uint64_t read_cr3(void);
uint64_t read_cr4(void);
void write_cr0(uint64_t v);
void write_cr2(uint64_t v);
void write_cr4(uint64_t v);

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

void sgdt(struct desc_ptr *d);
void sidt(struct desc_ptr *d);
/* Load the GDT, reload CS with code_sel and DS/ES/SS with data_sel, and load TR with tss_sel. */
void load_gdt_and_tr(const struct desc_ptr *gdtr, uint16_t code_sel, uint16_t data_sel, uint16_t tss_sel);
void load_idt(const struct desc_ptr *idtr);

/* The Bochs magic breakpoint (bochsrc `magic_break: enabled=1`): XCHG BX,BX, a no-op elsewhere. */
void magic_break(void);
__attribute__((noreturn)) void halt_forever(void);

#endif
