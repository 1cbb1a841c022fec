/*
 * cpuid_hv_leaves: leaf 0x40000000 names the hypervisor ("vexit-vmm-v1" in
 * EBX, ECX, EDX) and its highest leaf; 0x40000001 gives the feature bits and
 * the hypercall ABI version; leaves above read as zeros.
 */
#include "cpu.h"
#include "kernel/kstring.h"

EXPECT("stop done");
EXPECT("asserts 5");
EXPECT("exit CPUID 3");

int main(void)
{
	uint32_t r[4];
	char sig[13];
	cpuid(0x40000000u, 0, r);
	memcpy(sig, &r[1], 4);
	memcpy(sig + 4, &r[2], 4);
	memcpy(sig + 8, &r[3], 4);
	sig[12] = '\0';
	report(strcmp(sig, "vexit-vmm-v1") == 0, "leaf 0x40000000 spells vexit-vmm-v1");
	report_eq(r[0], 0x40000001u, "the highest hypervisor leaf is 0x40000001");
	cpuid(0x40000001u, 0, r);
	report_eq(r[0], VEXIT_CPUID_FEATURES, "leaf 0x40000001 EAX lists the features");
	report_eq(r[1], VEXIT_ABI_VERSION, "leaf 0x40000001 EBX is the hypercall ABI version");
	cpuid(0x40000002u, 0, r);
	report(r[0] == 0 && r[1] == 0 && r[2] == 0 && r[3] == 0, "leaf 0x40000002 is all zeros");
	return 0;
}
