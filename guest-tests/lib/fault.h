/*
 * Catching the exceptions a test provokes (a #GP from a bad WRMSR, a #UD from
 * VMXON...): fault_init() loads an IDT for vectors 0-21; each try_* helper runs
 * one instruction and returns the vector it raised, or FAULT_NONE. The handler
 * resumes right after the faulting instruction. An exception outside a try_*
 * is a test failure: it is reported and the VM ends with status 99.
 */
#ifndef VEXIT_GUEST_FAULT_H
#define VEXIT_GUEST_FAULT_H

#include <stdint.h>

#define FAULT_NONE (-1)
#define FAULT_UNEXPECTED_STATUS 99

struct fault_frame {
	uint64_t vector, error, rip, cs, rflags, rsp, ss;
};

/* Where the handler resumes the next fault (0: the fault is unexpected); set by FAULT_TRY. */
extern volatile uint64_t fault_fixup;
extern volatile int64_t fault_vector;
extern volatile uint64_t fault_error, fault_rip;

void fault_init(void);
/*
 * Make vector (22-255) of fault_init's IDT a 64-bit interrupt gate to entry, of DPL dpl, so that
 * INT vector works from CPL <= dpl (a DPL-3 gate is how user mode calls the guest kernel).
 * entry is an assembly stub that ends in IRETQ or never returns.
 */
void fault_set_gate(unsigned vector, void (*entry)(void), unsigned dpl);

/* Arm, then run `insn` (asm text) with the given operands; "1:" after it is where a fault resumes. */
#define FAULT_TRY(insn, ...)                                                                   \
	__extension__({                                                                        \
		fault_vector = FAULT_NONE;                                                     \
		__asm__ volatile("movq $1f, fault_fixup(%%rip)\n\t" insn "\n1:\n\t"           \
				 "movq $0, fault_fixup(%%rip)" __VA_ARGS__);                    \
		(int)fault_vector;                                                             \
	})

static inline int try_wrmsr(uint32_t msr, uint64_t v)
{
	return FAULT_TRY("wrmsr", : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

static inline int try_rdmsr(uint32_t msr, uint64_t *v)
{
	uint32_t lo = 0, hi = 0;
	int f = FAULT_TRY("rdmsr", : "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
	*v = ((uint64_t)hi << 32) | lo;
	return f;
}

#define DEFINE_TRY_WRITE_CR(n)                                                                  \
	static inline int try_write_cr##n(uint64_t v)                                           \
	{                                                                                       \
		return FAULT_TRY("mov %0, %%cr" #n, : : "r"(v) : "memory");                      \
	}
DEFINE_TRY_WRITE_CR(0)
DEFINE_TRY_WRITE_CR(3)
DEFINE_TRY_WRITE_CR(4)
DEFINE_TRY_WRITE_CR(8)
#undef DEFINE_TRY_WRITE_CR

static inline int try_xsetbv(uint32_t index, uint64_t v)
{
	return FAULT_TRY("xsetbv", : : "c"(index), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

#endif
