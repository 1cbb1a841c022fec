/*
 * A vCPU's CPUID answers, computed ahead (KVM's cpuid entries): each leaf whose
 * answer does not depend on ECX, filled by running the policy (vmx/cpuid_policy.h)
 * over the VM's state, so that a CPUID exit for one of them copies four values.
 * The policy stays the only place that says what CPUID returns; the table holds
 * its answers for the state it was filled with. A leaf above the highest basic or extended
 * one is answered as the highest basic leaf (cpuid_guest_leaf), from the table too. What
 * it cannot hold answers through the policy at each exit: leaves with subleaves (4, 7,
 * 0BH, 0DH..., whose 0DH depends on XCR0 too), vexit's own leaves, and leaves in range
 * but past the table's. Pure.
 *
 * Inputs: the guest's CR4.OSXSAVE is read at each exit (the one bit it moves is noted
 * per leaf); everything else struct cpuid_vm holds (IA32_MISC_ENABLE, IA32_APIC_BASE
 * and what the VM was built with) is fixed until cpuid_table_invalidate, which a write
 * to one of those MSRs calls (vm/virtual_msr.c).
 */
#ifndef VEXIT_CPUID_TABLE_H
#define VEXIT_CPUID_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "include/x86_arch.h"
#include "vmx/cpuid_policy.h"

#define CPUID_TABLE_BASIC 32u    /* leaves 0-1FH, at index leaf */
#define CPUID_TABLE_EXTENDED 16u /* leaves 80000000H-8000000FH, after them */
#define CPUID_TABLE_SIZE (CPUID_TABLE_BASIC + CPUID_TABLE_EXTENDED)

enum cpuid_entry_kind {
	CPUID_ENTRY_NONE,    /* not held (a zeroed or invalidated table holds none): ask the policy */
	CPUID_ENTRY_FIXED,   /* the values, whatever ECX and CR4 */
	CPUID_ENTRY_OSXSAVE, /* the values for CR4.OSXSAVE clear; with it set, ECX has CPUID1_ECX_OSXSAVE too */
};

struct cpuid_table {
	uint8_t kind[CPUID_TABLE_SIZE]; /* enum cpuid_entry_kind */
	/* One array per register, so that an exit indexes each by the leaf as it is. */
	uint32_t eax[CPUID_TABLE_SIZE], ebx[CPUID_TABLE_SIZE], ecx[CPUID_TABLE_SIZE], edx[CPUID_TABLE_SIZE];
	struct cpuid_limits max; /* the host's, read by the fill */
	uint64_t misc_enable;    /* the guest's IA32_MISC_ENABLE it was filled for (its limit CPUID maxval) */
	bool filled;
};

/*
 * Whether basic leaf `leaf` is held with values that are its answer whatever ECX and
 * the guest's CR4 are: the exit's fast path. Inline, as the exit path reads it.
 */
static inline bool cpuid_table_fixed(const struct cpuid_table *t, uint32_t leaf)
{
	return leaf < CPUID_TABLE_BASIC && t->kind[leaf] == CPUID_ENTRY_FIXED;
}

/* Fill t for a VM in state vm (its cr4 is not read), asking host for the host's values. */
void cpuid_table_fill(struct cpuid_table *t, const struct cpuid_vm *vm, cpuid_host_fn *host);
/* Forget every answer: the next CPUID exit fills the table again. Inline: a few stores. */
static inline void cpuid_table_invalidate(struct cpuid_table *t)
{
	__builtin_memset(t->kind, CPUID_ENTRY_NONE, sizeof(t->kind));
	t->filled = false;
}
/*
 * The index of the entry that answers the guest's CPUID(leaf): the leaf's own or, out of
 * range, the highest basic leaf's; -1 when t holds none.
 */
int cpuid_table_find(const struct cpuid_table *t, uint32_t leaf);
/* Entry i's ECX for a guest CR4 of cr4: with OSXSAVE where the entry follows it. */
static inline uint32_t cpuid_table_ecx(const struct cpuid_table *t, int i, uint64_t cr4)
{
	bool osxsave = t->kind[i] == CPUID_ENTRY_OSXSAVE && (cr4 & CR4_OSXSAVE);
	return t->ecx[i] | (osxsave ? CPUID1_ECX_OSXSAVE : 0);
}
/* Entry i's answer for a guest CR4 of cr4 (read only where the entry follows OSXSAVE), into regs. */
static inline void cpuid_table_entry(const struct cpuid_table *t, int i, uint64_t cr4, uint32_t regs[4])
{
	regs[0] = t->eax[i];
	regs[1] = t->ebx[i];
	regs[2] = cpuid_table_ecx(t, i, cr4);
	regs[3] = t->edx[i];
}
/* The guest's CPUID(leaf) for a guest CR4 of cr4, into regs, when t holds it; false when it does not. */
bool cpuid_table_answer(const struct cpuid_table *t, uint32_t leaf, uint64_t cr4, uint32_t regs[4]);

#endif
