#include "vmx/cpuid_policy.h"

#include "include/vexit_abi.h"
#include "include/x86_arch.h"
#include "vmx/cr_access.h"

static uint32_t sig_word(const char *s)
{
	return (uint32_t)(uint8_t)s[0] | (uint32_t)(uint8_t)s[1] << 8 | (uint32_t)(uint8_t)s[2] << 16 |
	       (uint32_t)(uint8_t)s[3] << 24;
}

uint32_t cpuid_guest_leaf(uint32_t leaf, uint64_t misc_enable, const struct cpuid_limits *max)
{
	uint32_t highest = max->basic;
	/* SDM Vol. 4 table 2-2, IA32_MISC_ENABLE bit 22: the highest basic leaf is 2. */
	if ((misc_enable & MISC_ENABLE_LIMIT_CPUID) && highest > CPUID_LIMITED_MAX_LEAF)
		highest = CPUID_LIMITED_MAX_LEAF;
	bool basic = leaf <= highest;
	bool own = leaf >= CPUID_HV_BASE && leaf <= CPUID_HV_LAST;
	bool extended = leaf >= CPUID_EXTENDED_BASE && leaf <= max->extended;
	return basic || own || extended ? leaf : highest;
}

void cpuid_guest_answer(uint32_t leaf, uint32_t subleaf, const struct cpuid_vm *vm, const struct cpuid_limits *max,
			cpuid_host_fn *host, uint32_t r[4])
{
	leaf = cpuid_guest_leaf(leaf, vm->misc_enable, max);
	host(leaf, subleaf, r);
	cpuid_guest_view(leaf, subleaf, vm, r);
}

void cpuid_guest_view(uint32_t leaf, uint32_t subleaf, const struct cpuid_vm *vm, uint32_t r[4])
{
	if (leaf >= CPUID_HV_BASE && leaf <= CPUID_HV_LAST) {
		r[0] = r[1] = r[2] = r[3] = 0;
		if (leaf == CPUID_HV_BASE) {
			/* The signature reads "vexit-vmm-v1" in EBX, ECX, EDX. */
			r[0] = CPUID_HV_FEATURES;
			r[1] = sig_word(VEXIT_CPUID_SIGNATURE);
			r[2] = sig_word(VEXIT_CPUID_SIGNATURE + 4);
			r[3] = sig_word(VEXIT_CPUID_SIGNATURE + 8);
		} else if (leaf == CPUID_HV_FEATURES) {
			r[0] = VEXIT_CPUID_FEATURES;
			r[1] = VEXIT_ABI_VERSION;
		}
		return;
	}
	switch (leaf) {
	case 0:
		/* SDM Vol. 4 table 2-2, IA32_MISC_ENABLE bit 22: the maximum basic leaf reads 2. */
		if (vm->misc_enable & MISC_ENABLE_LIMIT_CPUID)
			r[0] = CPUID_LIMITED_MAX_LEAF;
		break;
	case 1:
		/*
		 * No nested VMX, SMX, PCIDs, x2APIC or TSC deadline here;
		 * nor the MSRs and machinery behind debug store, thermal monitoring,
		 * SpeedStep, xTPR, PDCM, DCA, MTRRs, MCA and ACPI thermal control; nor a
		 * local APIC, unless the VM has one (an external kernel's, vm/lapic.h): an
		 * xAPIC whose ID, in EBX bits 31:24, is 0, with the TSC-deadline timer mode.
		 * MONITOR/MWAIT follow IA32_MISC_ENABLE bit 18 (SDM Vol. 4 table 2-2), clear at power-on.
		 */
		{
			uint32_t monitor = r[2] & CPUID1_ECX_MONITOR;
			r[2] &= ~(CPUID1_ECX_HIDDEN | CPUID1_ECX_OSXSAVE);
			if (vm->misc_enable & MISC_ENABLE_MONITOR)
				r[2] |= monitor;
		}
		r[3] &= ~CPUID1_EDX_HIDDEN;
		r[1] &= ~CPUID1_EBX_APIC_ID;
		if (vm->apic) {
			r[3] |= CPUID1_EDX_APIC;
			r[2] |= CPUID1_ECX_TSC_DEADLINE;
		}
		/* OSXSAVE mirrors the guest's CR4, not the host's (SDM Vol. 2 CPUID). */
		if (vm->cr4 & CR4_OSXSAVE)
			r[2] |= CPUID1_ECX_OSXSAVE;
		r[2] |= CPUID1_ECX_HYPERVISOR;
		break;
	case CPUID_LEAF_MONITOR:
		/* MONITOR/MWAIT's parameters, only while MONITOR is shown. */
		if (!(vm->misc_enable & MISC_ENABLE_MONITOR))
			r[0] = r[1] = r[2] = r[3] = 0;
		break;
	case 7:
		/*
		 * INVPCID, RDPID and TPAUSE/UMWAIT raise #UD in VMX non-root operation
		 * unless their "enable" controls are set (SDM 26.3): vexit sets "enable
		 * RDTSCP" (which RDPID follows) where the CPU allows, and not the others;
		 * PKU and LA57 are not virtualized. TSC_ADJUST is (vm/virtual_msr.c).
		 */
		if (subleaf == 0) {
			/* Nor SGX, RDT, MPX, processor trace, or the speculation-control MSRs; nor AMX (vmx/xcr0.h). */
			r[1] &= ~CPUID7_EBX_HIDDEN;
			r[3] &= ~(CPUID7_EDX_HIDDEN | CPUID7_EDX_AMX);
			r[2] &= ~(CPUID7_ECX_PKU | CPUID7_ECX_OSPKE | CPUID7_ECX_LA57 | CPUID7_ECX_WAITPKG |
				  (vm->rdtscp ? 0 : CPUID7_ECX_RDPID));
		} else if (subleaf == 1) {
			r[0] &= ~CPUID7_1_EAX_AMX_FP16;
			r[3] &= ~CPUID7_1_EDX_AMX_COMPLEX;
		}
		break;
	case 0xd:
		/*
		 * Subleaf 0 names the XCR0 components XSETBV accepts (vmx/xcr0.h: not PKRU, MPX's or
		 * AMX's) and, in ECX, the area they need; EBX (the area for the current XCR0) is the
		 * host's, which holds the guest's XCR0. XSAVES/XRSTORS #UD without "enable
		 * XSAVES/XRSTORS" (SDM 26.3), and IA32_XSS does not exist here: no supervisor state
		 * component (subleaf 1 ECX:EDX) is offered, nor XFD. A component not offered, user or
		 * supervisor, has a subleaf of zeros (SDM Vol. 1 13.2).
		 */
		{
			uint64_t offered = vm->xsave ? vm->xsave->xcr0 : 0;
			if (subleaf == 0) {
				r[0] &= (uint32_t)offered;
				r[3] &= (uint32_t)(offered >> 32);
				r[2] = vm->xsave ? vm->xsave->bytes : 0;
			} else if (subleaf == 1) {
				r[0] &= ~(CPUIDD1_EAX_XSAVES | CPUIDD1_EAX_XFD);
				r[2] = r[3] = 0;
			} else if (subleaf >= 64 || !(offered >> subleaf & 1)) {
				r[0] = r[1] = r[2] = r[3] = 0;
			}
		}
		break;
	case CPUID_LEAF_THERMAL_POWER:
	case CPUID_LEAF_PMU:
	case CPUID_LEAF_RDT_MONITORING:
	case CPUID_LEAF_RDT_ALLOCATION:
	case CPUID_LEAF_SGX:
	case CPUID_LEAF_PT:
	case CPUID_LEAF_AMX_PALETTE:
	case CPUID_LEAF_AMX_TMUL:
		/* Leaf 0xA: version 0, no counters: every PMU MSR #GPs, and now CPUID says there is no PMU. */
		r[0] = r[1] = r[2] = r[3] = 0;
		break;
	case 0x80000001u:
		/* RDTSCP #UDs without "enable RDTSCP" (SDM 26.3); NX is gone while IA32_MISC_ENABLE.XD_DISABLE is set. */
		if (!vm->rdtscp)
			r[3] &= ~CPUID80000001_EDX_RDTSCP;
		if (vm->misc_enable & MISC_ENABLE_XD_DISABLE)
			r[3] &= ~CPUID80000001_EDX_NX;
		break;
	default:
		break;
	}
}
