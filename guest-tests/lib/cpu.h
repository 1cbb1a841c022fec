/*
 * Guest-side access to the CPU state a test pokes at: control registers, MSRs, CPUID, XCR0.
 * The architectural bits and MSR numbers are the hypervisor's own (include/x86_arch.h).
 */
#ifndef VEXIT_GUEST_CPU_H
#define VEXIT_GUEST_CPU_H

#include <stdint.h>

#include "include/x86_arch.h"
#include "vexit_guest.h"

/* MOV from a control or debug register: read_cr0() ... read_dr7(). */
#define DEFINE_READ_REG(reg)                                                  \
	static inline uint64_t read_##reg(void)                               \
	{                                                                     \
		uint64_t v;                                                   \
		__asm__ volatile("mov %%" #reg ", %0" : "=r"(v));              \
		return v;                                                     \
	}
DEFINE_READ_REG(cr0)
DEFINE_READ_REG(cr2)
DEFINE_READ_REG(cr3)
DEFINE_READ_REG(cr4)
DEFINE_READ_REG(cr8)
DEFINE_READ_REG(dr0)
DEFINE_READ_REG(dr1)
DEFINE_READ_REG(dr2)
DEFINE_READ_REG(dr3)
DEFINE_READ_REG(dr6)
DEFINE_READ_REG(dr7)
#undef DEFINE_READ_REG

static inline void write_cr0(uint64_t v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
static inline void write_cr3(uint64_t v) { __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline void write_cr4(uint64_t v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }
static inline void write_cr8(uint64_t v) { __asm__ volatile("mov %0, %%cr8" : : "r"(v) : "memory"); }

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

static inline uint64_t xgetbv(uint32_t index)
{
	uint32_t lo, hi;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(index));
	return ((uint64_t)hi << 32) | lo;
}

/* CPUID.1:ECX.XSAVE: whether CR4.OSXSAVE, XSETBV and XGETBV exist on this CPU. */
static inline bool cpu_has_xsave(void)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	return r[2] & (1u << 26);
}

static inline uint64_t read_tsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* CPUID.(EAX=07H,ECX=0):EBX.TSC_ADJUST[bit 1]: whether IA32_TSC_ADJUST exists. */
static inline bool cpu_has_tsc_adjust(void)
{
	uint32_t r[4];
	cpuid(0, 0, r);
	if (r[0] < 7)
		return false;
	cpuid(7, 0, r);
	return r[1] & (1u << 1);
}

/* Exits of one basic reason this VM has taken so far (the VMCALL asking included). */
static inline uint64_t exits_of(uint64_t reason)
{
	return vmcall4(VEXIT_HC_EXIT_COUNT, reason, 0, 0, 0);
}

#define REASON_CPUID 10
#define REASON_CR_ACCESS 28
#define REASON_IO 30
#define REASON_RDMSR 31
#define REASON_WRMSR 32
#define REASON_VMCALL 18

/* Load the IDT or GDT register with any limit and base (the tables need not exist). */
struct table_register {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static inline void load_idtr(uint16_t limit, uint64_t base)
{
	struct table_register r = { limit, base };
	__asm__ volatile("lidt %0" : : "m"(r) : "memory");
}

static inline void load_gdtr(uint16_t limit, uint64_t base)
{
	struct table_register r = { limit, base };
	__asm__ volatile("lgdt %0" : : "m"(r) : "memory");
}

#endif
