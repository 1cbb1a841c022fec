/*
 * What CPUID tells a vexit guest: the host's values with what the hypervisor
 * does not virtualize, or what its controls make #UD, hidden (VMX first), the hypervisor-present bit set, and
 * the hypervisor leaves 0x40000000 (signature, max leaf) and 0x40000001
 * (features). Pure: the exit handler passes in the host's values. Deterministic.
 */
#ifndef VEXIT_CPUID_POLICY_H
#define VEXIT_CPUID_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/xcr0.h"

#define CPUID_HV_BASE 0x40000000u
#define CPUID_HV_FEATURES 0x40000001u
#define CPUID_HV_LAST 0x4fffffffu

#define CPUID1_ECX_MONITOR (1u << 3)
#define CPUID1_ECX_VMX (1u << 5)
#define CPUID1_ECX_SMX (1u << 6)
#define CPUID1_ECX_PCID (1u << 17)
#define CPUID1_ECX_X2APIC (1u << 21)
#define CPUID1_ECX_TSC_DEADLINE (1u << 24)
#define CPUID1_ECX_OSXSAVE (1u << 27)
#define CPUID1_ECX_HYPERVISOR (1u << 31)
/* Leaf 1 bits naming MSRs or machinery vexit does not virtualize (SDM Vol. 2 CPUID, tables 3-10, 3-11). */
#define CPUID1_ECX_DTES64 (1u << 2)
#define CPUID1_ECX_DS_CPL (1u << 4)
#define CPUID1_ECX_EST (1u << 7)
#define CPUID1_ECX_TM2 (1u << 8)
#define CPUID1_ECX_XTPR (1u << 14)
#define CPUID1_ECX_PDCM (1u << 15)
#define CPUID1_ECX_DCA (1u << 18)
#define CPUID1_EDX_APIC (1u << 9)
#define CPUID1_EBX_APIC_ID (0xffu << 24) /* the initial APIC ID */
#define CPUID1_EDX_MTRR (1u << 12)
#define CPUID1_EDX_MCA (1u << 14)
#define CPUID1_EDX_DS (1u << 21)
#define CPUID1_EDX_ACPI (1u << 22)
#define CPUID1_EDX_TM (1u << 29)
#define CPUID1_EDX_PBE (1u << 31)
#define CPUID1_ECX_HIDDEN (CPUID1_ECX_VMX | CPUID1_ECX_SMX | CPUID1_ECX_MONITOR | CPUID1_ECX_PCID |            \
			   CPUID1_ECX_X2APIC | CPUID1_ECX_TSC_DEADLINE | CPUID1_ECX_DTES64 | CPUID1_ECX_DS_CPL | \
			   CPUID1_ECX_EST | CPUID1_ECX_TM2 | CPUID1_ECX_XTPR | CPUID1_ECX_PDCM | CPUID1_ECX_DCA)
#define CPUID1_EDX_HIDDEN (CPUID1_EDX_APIC | CPUID1_EDX_MTRR | CPUID1_EDX_MCA | CPUID1_EDX_DS | CPUID1_EDX_ACPI | \
			   CPUID1_EDX_TM | CPUID1_EDX_PBE)
#define CPUID7_EBX_TSC_ADJUST (1u << 1)
#define CPUID7_EBX_SGX (1u << 2)
#define CPUID7_EBX_INVPCID (1u << 10)
#define CPUID7_EBX_RDT_M (1u << 12)
#define CPUID7_EBX_MPX (1u << 14)
#define CPUID7_EBX_RDT_A (1u << 15)
#define CPUID7_EBX_PT (1u << 25)
#define CPUID7_EDX_SPEC_CTRL (1u << 26)
#define CPUID7_EDX_STIBP (1u << 27)
#define CPUID7_EDX_L1D_FLUSH (1u << 28)
#define CPUID7_EDX_ARCH_CAPABILITIES (1u << 29)
#define CPUID7_EDX_CORE_CAPABILITIES (1u << 30)
#define CPUID7_EDX_SSBD (1u << 31)
#define CPUID7_EBX_HIDDEN (CPUID7_EBX_SGX | CPUID7_EBX_INVPCID | CPUID7_EBX_RDT_M | CPUID7_EBX_MPX | \
			   CPUID7_EBX_RDT_A | CPUID7_EBX_PT)
#define CPUID7_EDX_HIDDEN (CPUID7_EDX_SPEC_CTRL | CPUID7_EDX_STIBP | CPUID7_EDX_L1D_FLUSH |             \
			   CPUID7_EDX_ARCH_CAPABILITIES | CPUID7_EDX_CORE_CAPABILITIES | CPUID7_EDX_SSBD)
#define CPUID7_ECX_PKU (1u << 3)
#define CPUID7_ECX_OSPKE (1u << 4)
#define CPUID7_ECX_WAITPKG (1u << 5)
#define CPUID7_ECX_LA57 (1u << 16)
#define CPUID7_ECX_RDPID (1u << 22)
#define CPUID7_EDX_AMX_BF16 (1u << 22)
#define CPUID7_EDX_AMX_TILE (1u << 24)
#define CPUID7_EDX_AMX_INT8 (1u << 25)
#define CPUID7_EDX_AMX (CPUID7_EDX_AMX_BF16 | CPUID7_EDX_AMX_TILE | CPUID7_EDX_AMX_INT8)
#define CPUID7_1_EAX_AMX_FP16 (1u << 21)
#define CPUID7_1_EDX_AMX_COMPLEX (1u << 8)
#define CPUIDD1_EAX_XSAVES (1u << 3)
#define CPUIDD1_EAX_XFD (1u << 4) /* IA32_XFD and IA32_XFD_ERR, which exist only for AMX's tile data */
#define CPUID80000001_EDX_NX (1u << 20)
#define CPUID80000001_EDX_RDTSCP (1u << 27)
#define CPUID_LEAF_MONITOR 0x5u
#define CPUID_LIMITED_MAX_LEAF 2u /* CPUID.00H:EAX with IA32_MISC_ENABLE.LIMIT_CPUID set */

/* Leaves that describe only what vexit does not virtualize: all zero. */
#define CPUID_LEAF_THERMAL_POWER 0x6u /* thermal and power management: IA32_THERM_*, HWP MSRs */
#define CPUID_LEAF_PMU 0xau           /* architectural performance monitoring: PMCs, PERF_GLOBAL_* MSRs */
#define CPUID_LEAF_RDT_MONITORING 0xfu
#define CPUID_LEAF_RDT_ALLOCATION 0x10u
#define CPUID_LEAF_SGX 0x12u
#define CPUID_LEAF_PT 0x14u           /* processor trace */
#define CPUID_LEAF_AMX_PALETTE 0x1du  /* AMX tile palettes */
#define CPUID_LEAF_AMX_TMUL 0x1eu     /* AMX TMUL */

/* The VM's state that CPUID reports. */
struct cpuid_vm {
	uint64_t cr4;         /* the guest's CR4: only OSXSAVE is read (vmx/cpuid_table.h relies on it) */
	/* Its IA32_MISC_ENABLE: MONITOR (bit 18), limit CPUID maxval (22), XD disable (34). A write to it or to
	 * IA32_APIC_BASE empties the vCPU's table of answers (vm/virtual_msr.h), as a new input would need. */
	uint64_t misc_enable;
	bool apic;            /* it has a local APIC, globally enabled (leaf 1 EDX bit 9) */
	bool rdtscp;          /* "enable RDTSCP" is set for it: RDTSCP and RDPID work */
	const struct xsave_offer *xsave; /* what its XSETBV accepts, and the area (leaf 0DH); NULL: nothing */
};

#define CPUID_EXTENDED_BASE 0x80000000u

/* The host's highest basic and extended leaves: CPUID.00H:EAX and CPUID.80000000H:EAX. */
struct cpuid_limits {
	uint32_t basic, extended;
};

/* The host's CPUID instruction (hw/cpu.h's cpuid), a parameter so that the policy stays pure. */
typedef void cpuid_host_fn(uint32_t leaf, uint32_t subleaf, uint32_t regs[4]);

/*
 * The leaf whose values answer the guest's CPUID(leaf) (SDM Vol. 2A CPUID: a leaf above
 * the highest basic or extended one returns the highest basic leaf's data): the
 * guest's highest basic leaf, which is 2 while IA32_MISC_ENABLE's limit CPUID maxval
 * is set, for a basic leaf above it, an extended leaf above the host's highest, or a
 * leaf in neither range nor vexit's own (0x40000000-0x4FFFFFFF); else leaf itself.
 */
uint32_t cpuid_guest_leaf(uint32_t leaf, uint64_t misc_enable, const struct cpuid_limits *max);
/* regs = {eax, ebx, ecx, edx}: on entry the host's CPUID(leaf, subleaf), on return the guest's. */
void cpuid_guest_view(uint32_t leaf, uint32_t subleaf, const struct cpuid_vm *vm, uint32_t regs[4]);
/*
 * What the guest's CPUID(leaf, subleaf) returns, whole: the leaf that answers
 * (cpuid_guest_leaf), the host's values for it, seen through cpuid_guest_view.
 */
void cpuid_guest_answer(uint32_t leaf, uint32_t subleaf, const struct cpuid_vm *vm, const struct cpuid_limits *max,
			cpuid_host_fn *host, uint32_t regs[4]);

#endif
