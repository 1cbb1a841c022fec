#include "vmx/vmx_on.h"

#include "include/x86_arch.h"

#include "hw/cpu.h"
#include "hw/vmx_insn.h"
#include "kernel/kstring.h"
#include "kernel/page_alloc.h"

#define CPUID1_ECX_VMX (1u << 5)
#define FEATURE_CONTROL_LOCK (1ull << 0)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX (1ull << 2)

static void read_caps(struct vmx_caps *c)
{
	memset(c, 0, sizeof(*c));
	c->basic = rdmsr(MSR_IA32_VMX_BASIC);
	bool true_ctls = c->basic & VMX_BASIC_TRUE_CTLS;
	/* SDM A.2: with bit 55 set, the TRUE_ MSRs say which default1 controls may be 0. */
	c->pinbased = rdmsr(true_ctls ? MSR_IA32_VMX_TRUE_PINBASED_CTLS : MSR_IA32_VMX_PINBASED_CTLS);
	c->procbased = rdmsr(true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS : MSR_IA32_VMX_PROCBASED_CTLS);
	c->exit = rdmsr(true_ctls ? MSR_IA32_VMX_TRUE_EXIT_CTLS : MSR_IA32_VMX_EXIT_CTLS);
	c->entry = rdmsr(true_ctls ? MSR_IA32_VMX_TRUE_ENTRY_CTLS : MSR_IA32_VMX_ENTRY_CTLS);
	c->misc = rdmsr(MSR_IA32_VMX_MISC);
	c->cr0_fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	c->cr0_fixed1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	c->cr4_fixed0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	c->cr4_fixed1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1);
	/* SDM A.3.3: the secondary controls MSR exists only if bit 63 of the primary one is set. */
	if ((c->procbased >> 32) & (1ull << 31)) {
		c->procbased2 = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2);
		/* SDM A.10: the EPT/VPID MSR exists only if EPT or VPID may be enabled. */
		if ((c->procbased2 >> 32) & ((1ull << 1) | (1ull << 5)))
			c->ept_vpid = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	}
}

const char *vmx_on(struct vmx_caps *caps, struct vmx_root *root)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	if (!(r[2] & CPUID1_ECX_VMX))
		return "this CPU does not support VMX (CPUID.1:ECX.VMX[bit 5] is 0)";

	/*
	 * SDM 24.7: VMXON needs IA32_FEATURE_CONTROL locked with "VMX outside SMX"
	 * set. Firmware normally locks it; writing it once locked raises #GP, so we
	 * write it only when firmware left it unlocked.
	 */
	uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
	if (fc & FEATURE_CONTROL_LOCK) {
		if (!(fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX))
			return "VMX is disabled by firmware (IA32_FEATURE_CONTROL is locked with bit 2 clear): "
			       "enable VT-x in the firmware setup";
	} else {
		wrmsr(MSR_IA32_FEATURE_CONTROL, fc | FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMX_OUTSIDE_SMX);
	}

	read_caps(caps);
	/* SDM A.1: bits 44:32 give the VMXON/VMCS region size; it is at most 4 KiB. */
	if (((caps->basic >> 32) & 0x1fff) > PAGE_SIZE)
		return "VMCS region size larger than a page";

	/* SDM 24.8: CR0 and CR4 must satisfy the fixed-bit MSRs in VMX operation. */
	write_cr0((read_cr0() | caps->cr0_fixed0) & caps->cr0_fixed1);
	write_cr4((read_cr4() | caps->cr4_fixed0 | CR4_VMXE) & caps->cr4_fixed1);

	uint64_t region = page_alloc();
	if (!region)
		return "out of memory for the VMXON region";
	memset((void *)region, 0, PAGE_SIZE);
	*(uint32_t *)region = vmx_revision_id(caps);
	if (vmxon(region) != VMX_OK)
		return "VMXON failed";
	*root = (struct vmx_root){ .on = true, .vmxon_region = region };
	return NULL;
}
