#include "vmx/cpuid_table.h"

/* The leaf at table index i. */
static uint32_t leaf_at(unsigned i)
{
	return i < CPUID_TABLE_BASIC ? i : CPUID_EXTENDED_BASE + (i - CPUID_TABLE_BASIC);
}

/* The table index of leaf, or -1 when the table has no place for it. */
static int index_of(uint32_t leaf)
{
	if (leaf < CPUID_TABLE_BASIC)
		return (int)leaf;
	if (leaf - CPUID_EXTENDED_BASE < CPUID_TABLE_EXTENDED)
		return (int)(CPUID_TABLE_BASIC + (leaf - CPUID_EXTENDED_BASE));
	return -1;
}

/*
 * Whether the leaf's answer ignores ECX (SDM Vol. 2A CPUID, table 3-8): the basic leaves
 * the SDM describes without subleaves, and the extended ones. A leaf it does not name
 * (reserved, or newer than this list) may have subleaves: the policy answers it each time.
 */
static bool ignores_subleaf(uint32_t leaf)
{
	if (leaf >= CPUID_EXTENDED_BASE)
		return true;
	switch (leaf) {
	case 0x0:  /* highest basic leaf, vendor */
	case 0x1:  /* version and features */
	case 0x2:  /* cache and TLB descriptors */
	case 0x3:  /* processor serial number */
	case 0x5:  /* MONITOR/MWAIT */
	case 0x6:  /* thermal and power management */
	case 0x9:  /* direct cache access */
	case 0xa:  /* architectural performance monitoring */
	case 0x15: /* TSC and core crystal clock */
	case 0x16: /* processor frequency */
	case 0x19: /* Key Locker */
	case 0x1a: /* hybrid information */
	case 0x1c: /* architectural LBRs */
		return true;
	default:
		return false;
	}
}

/* Entry i: the policy's answer with CR4.OSXSAVE clear and set, and what differs between the two. */
static enum cpuid_entry_kind fill_entry(struct cpuid_table *t, unsigned i, const struct cpuid_vm *vm,
					cpuid_host_fn *host)
{
	uint32_t leaf = leaf_at(i);
	if (!ignores_subleaf(cpuid_guest_leaf(leaf, vm->misc_enable, &t->max)))
		return CPUID_ENTRY_NONE;
	struct cpuid_vm clear = *vm, set = *vm;
	clear.cr4 = 0;
	set.cr4 = CR4_OSXSAVE;
	uint32_t a[4], b[4];
	cpuid_guest_answer(leaf, 0, &clear, &t->max, host, a);
	cpuid_guest_answer(leaf, 0, &set, &t->max, host, b);
	t->eax[i] = a[0];
	t->ebx[i] = a[1];
	t->ecx[i] = a[2];
	t->edx[i] = a[3];
	if (a[0] != b[0] || a[1] != b[1] || a[3] != b[3])
		return CPUID_ENTRY_NONE;
	if (a[2] == b[2])
		return CPUID_ENTRY_FIXED;
	return (b[2] ^ a[2]) == CPUID1_ECX_OSXSAVE && (b[2] & CPUID1_ECX_OSXSAVE) ? CPUID_ENTRY_OSXSAVE
										   : CPUID_ENTRY_NONE;
}

void cpuid_table_fill(struct cpuid_table *t, const struct cpuid_vm *vm, cpuid_host_fn *host)
{
	uint32_t r[4];
	host(0, 0, r);
	t->max.basic = r[0];
	host(CPUID_EXTENDED_BASE, 0, r);
	t->max.extended = r[0];
	t->misc_enable = vm->misc_enable;
	for (unsigned i = 0; i < CPUID_TABLE_SIZE; i++)
		t->kind[i] = (uint8_t)fill_entry(t, i, vm, host);
	t->filled = true;
}

int cpuid_table_find(const struct cpuid_table *t, uint32_t leaf)
{
	int i = index_of(cpuid_guest_leaf(leaf, t->misc_enable, &t->max));
	return i >= 0 && t->kind[i] != CPUID_ENTRY_NONE ? i : -1;
}

bool cpuid_table_answer(const struct cpuid_table *t, uint32_t leaf, uint64_t cr4, uint32_t r[4])
{
	int i = cpuid_table_find(t, leaf);
	if (i < 0)
		return false;
	cpuid_table_entry(t, i, cr4, r);
	return true;
}
