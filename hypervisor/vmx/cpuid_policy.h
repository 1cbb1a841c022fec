/*
 * What CPUID tells a vexit guest: the host's values with what the hypervisor
 * does not virtualize, or what its controls make #UD, hidden (VMX first), the hypervisor-present bit set, and
 * the hypervisor leaves 0x40000000 (signature, max leaf) and 0x40000001
 * (features). Pure: the exit handler passes in the host's values. Deterministic.
 */
#ifndef VEXIT_CPUID_POLICY_H
#define VEXIT_CPUID_POLICY_H

#include <stdint.h>

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
#define CPUID7_EBX_INVPCID (1u << 10)
#define CPUID7_ECX_PKU (1u << 3)
#define CPUID7_ECX_OSPKE (1u << 4)
#define CPUID7_ECX_WAITPKG (1u << 5)
#define CPUID7_ECX_LA57 (1u << 16)
#define CPUID7_ECX_RDPID (1u << 22)
#define CPUIDD1_EAX_XSAVES (1u << 3)
#define CPUID80000001_EDX_RDTSCP (1u << 27)

/* regs = {eax, ebx, ecx, edx}: on entry the host's CPUID(leaf, subleaf), on return the guest's. */
void cpuid_guest_view(uint32_t leaf, uint32_t subleaf, uint64_t guest_cr4, uint32_t regs[4]);

#endif
