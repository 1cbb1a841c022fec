/* The x86 instructions of hw/cpu.h. */
#include "hw/cpu.h"

#define PAGE_BYTES 4096 /* the largest area the XSAVE functions are given: one page */

uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

struct tsc_halves rdtsc_halves(void)
{
	struct tsc_halves t;
	__asm__ volatile("rdtsc" : "=a"(t.lo), "=d"(t.hi));
	return t;
}

uint64_t rdtsc(void)
{
	struct tsc_halves t = rdtsc_halves();
	return (uint64_t)t.hi << 32 | t.lo;
}

void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

void xsetbv(uint32_t index, uint64_t v)
{
	__asm__ volatile("xsetbv" : : "c"(index), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* XSAVE and friends take the requested-feature bitmap in EDX:EAX (SDM Vol. 1 13.6); the area is 64-byte aligned. */
void xsave(void *area, uint64_t mask)
{
	__asm__ volatile("xsave64 %0" : "=m"(*(char(*)[PAGE_BYTES])area) : "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32)));
}

void xsaveopt(void *area, uint64_t mask)
{
	__asm__ volatile("xsaveopt64 %0"
			 : "+m"(*(char(*)[PAGE_BYTES])area)
			 : "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32)));
}

void xrstor(const void *area, uint64_t mask)
{
	__asm__ volatile("xrstor64 %0" : : "m"(*(const char(*)[PAGE_BYTES])area), "a"((uint32_t)mask),
			 "d"((uint32_t)(mask >> 32)));
}

void fxsave(void *area)
{
	__asm__ volatile("fxsave64 %0" : "=m"(*(char(*)[512])area));
}

void fxrstor(const void *area)
{
	__asm__ volatile("fxrstor64 %0" : : "m"(*(const char(*)[512])area));
}

/* MOV to and from DR0-DR3 and DR6, by number (the register is part of the instruction). */
uint64_t read_dr(unsigned n)
{
	uint64_t v = 0;
	switch (n) {
	case 0: __asm__ volatile("mov %%dr0, %0" : "=r"(v)); break;
	case 1: __asm__ volatile("mov %%dr1, %0" : "=r"(v)); break;
	case 2: __asm__ volatile("mov %%dr2, %0" : "=r"(v)); break;
	case 3: __asm__ volatile("mov %%dr3, %0" : "=r"(v)); break;
	case 6: __asm__ volatile("mov %%dr6, %0" : "=r"(v)); break;
	}
	return v;
}

void write_dr(unsigned n, uint64_t v)
{
	switch (n) {
	case 0: __asm__ volatile("mov %0, %%dr0" : : "r"(v)); break;
	case 1: __asm__ volatile("mov %0, %%dr1" : : "r"(v)); break;
	case 2: __asm__ volatile("mov %0, %%dr2" : : "r"(v)); break;
	case 3: __asm__ volatile("mov %0, %%dr3" : : "r"(v)); break;
	case 6: __asm__ volatile("mov %0, %%dr6" : : "r"(v)); break;
	}
}

void write_cr2(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr2" : : "r"(v));
}

#define DEFINE_CR_READ(n)                                                \
	uint64_t read_cr##n(void)                                        \
	{                                                                \
		uint64_t v;                                              \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));         \
		return v;                                                \
	}
DEFINE_CR_READ(0)
DEFINE_CR_READ(2)
DEFINE_CR_READ(3)
DEFINE_CR_READ(4)
#undef DEFINE_CR_READ

void write_cr0(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

void write_cr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

void sgdt(struct desc_ptr *d)
{
	__asm__ volatile("sgdt %0" : "=m"(*d));
}

void sidt(struct desc_ptr *d)
{
	__asm__ volatile("sidt %0" : "=m"(*d));
}

void load_gdt_and_tr(const struct desc_ptr *gdtr, uint16_t code_sel, uint16_t data_sel, uint16_t tss_sel)
{
	/* A far return reloads CS: push the selector and the address to return to. */
	__asm__ volatile("lgdt %0\n\t"
			 "movzwq %1, %%rax\n\t"
			 "pushq %%rax\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "mov %2, %%ds\n\t"
			 "mov %2, %%es\n\t"
			 "mov %2, %%ss\n\t"
			 "ltr %3"
			 :
			 : "m"(*gdtr), "r"(code_sel), "r"(data_sel), "r"(tss_sel)
			 : "rax", "memory");
}

void load_idt(const struct desc_ptr *idtr)
{
	__asm__ volatile("lidt %0" : : "m"(*idtr));
}

void magic_break(void)
{
	__asm__ volatile("xchg %%bx, %%bx" : : : "memory");
}

void halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}
