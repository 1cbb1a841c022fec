/* The one hardware piece of the entry checker and the dump: VMREAD the current VMCS into a snapshot. */
#include "diag/vmcs_snapshot.h"

#include "hw/cpu.h"
#include "include/x86_arch.h"
#include "hw/vmx_insn.h"
#include "kernel/kstring.h"

/* The kernel identity-maps the first 4 GiB (boot/entry.S); the link-pointer word and MSR areas are read only below that. */
#define IDENTITY_MAPPED_LIMIT (4ull << 30)

/* The address of entry n (from 1) of an MSR area of `count` entries at `area`, or 0 when it cannot be read. */
static uint64_t msr_entry_address(uint64_t area, uint64_t count, uint64_t n)
{
	if (n == 0 || n > count || (area & 0xf) || count > IDENTITY_MAPPED_LIMIT / 16)
		return 0;
	uint64_t a = area + 16 * (n - 1);
	return a + 16 <= IDENTITY_MAPPED_LIMIT ? a : 0;
}

bool vmcs_msr_load_entry(uint64_t n, struct vmcs_msr_entry *out)
{
	uint64_t area = 0, count = 0;
	if (vmread_checked(VMCS_ENTRY_MSR_LOAD_ADDR, &area) != VMX_OK ||
	    vmread_checked(VMCS_ENTRY_MSR_LOAD_COUNT, &count) != VMX_OK)
		return false;
	uint64_t a = msr_entry_address(area, count, n);
	if (!a)
		return false;
	memcpy(out, (const void *)(uintptr_t)a, sizeof(*out));
	return true;
}

void vmcs_snapshot_read(struct vmcs_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	/* First: a failing VMREAD below would overwrite the VM-instruction error (SDM 31.4). */
	vmread_checked(VMCS_VM_INSTRUCTION_ERROR, &s->instruction_error);
	for (unsigned i = 0; i < vmcs_field_count; i++) {
		uint64_t v = 0;
		if (vmcs_field_table[i].encoding == VMCS_VM_INSTRUCTION_ERROR)
			continue;
		/* A field the CPU lacks fails with VM-instruction error 12: mark it, never panic. */
		if (vmread_checked(vmcs_field_table[i].encoding, &v) != VMX_OK)
			s->unreadable[i / 64] |= 1ull << (i % 64);
		else
			*vmcs_snapshot_slot(s, i) = v;
	}
	uint32_t r[4];
	cpuid(0x80000008, 0, r);
	s->maxphyaddr = r[0] & 0xff;
	s->linear_width = (r[0] >> 8) & 0xff;
	if (s->link_pointer != ~0ull && !(s->link_pointer & 0xfff) && s->link_pointer < IDENTITY_MAPPED_LIMIT) {
		s->link_revision = *(volatile uint32_t *)(uintptr_t)s->link_pointer;
		s->link_revision_known = true;
	}
	/* A leaf above the CPU's maximum returns another leaf's data (SDM Vol. 2A, CPUID): read only those below it. */
	cpuid(0, 0, r);
	uint32_t max_leaf = r[0];
	if (max_leaf >= 7) {
		cpuid(7, 0, r);
		s->cpuid7_ebx = r[1];
		s->cpuid7_ecx = r[2];
	}
	if (max_leaf >= 0xd) {
		cpuid(0xd, 1, r);
		s->cpuid_d1_eax = r[0];
	}
	cpuid(0x80000000, 0, r);
	if (r[0] >= 0x80000001) {
		cpuid(0x80000001, 0, r);
		s->cpuid_ext1_edx = r[3];
	}
	/* SDM 27.2.1.1: the TPR threshold is checked against VTPR, byte 80H of the virtual-APIC page. */
	uint64_t vapic = s->virtual_apic_addr;
	if ((s->proc & PROC_USE_TPR_SHADOW) && !(vapic & 0xfff) && vapic < IDENTITY_MAPPED_LIMIT) {
		s->vtpr = *(volatile uint8_t *)(uintptr_t)(vapic + VMCS_SNAPSHOT_VTPR_OFFSET);
		s->vtpr_known = true;
	}
	/* SDM 27.3.1.6: without EPT, a PAE guest's PDPTEs are read through CR3 (bits 31:5), a host-physical address. */
	bool ept = (s->proc & PROC_ACTIVATE_SECONDARY) && (s->proc2 & PROC2_ENABLE_EPT);
	uint64_t pdpt = s->guest_cr3 & 0xffffffe0u;
	if (!ept && !(s->entry_ctls & ENTRY_IA32E_MODE_GUEST) && (s->guest_cr0 & CR0_PG) && (s->guest_cr4 & CR4_PAE) &&
	    pdpt + sizeof(s->cr3_pdpte) <= IDENTITY_MAPPED_LIMIT) {
		memcpy(s->cr3_pdpte, (const void *)(uintptr_t)pdpt, sizeof(s->cr3_pdpte));
		s->cr3_pdptes_known = true;
	}
	for (uint64_t n = 1; n <= VMCS_SNAPSHOT_MSR_LOAD_MAX; n++) {
		uint64_t a = msr_entry_address(s->entry_msr_load_addr, s->entry_msr_load_count, n);
		if (!a)
			break;
		memcpy(&s->msr_load[n - 1], (const void *)(uintptr_t)a, sizeof(s->msr_load[0]));
		s->msr_load_n = n;
	}
}
