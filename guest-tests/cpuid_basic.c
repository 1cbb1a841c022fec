/*
 * cpuid_basic: CPUID exits unconditionally and the guest sees the host's CPU
 * with VMX hidden, the hypervisor-present bit set, and OSXSAVE following its
 * own CR4, and the same answer every time; a leaf above the highest basic or
 * extended one answers as the highest basic leaf (SDM Vol. 2A CPUID).
 */
#include "cpu.h"

EXPECT("stop done");
EXPECT("asserts 8");
EXPECT("exit CPUID 9");
EXPECT("exit CR_ACCESS 2");

#define ECX_VMX (1u << 5)
#define ECX_OSXSAVE (1u << 27)
#define ECX_HYPERVISOR (1u << 31)
#define ECX_XSAVE (1u << 26)

int main(void)
{
	uint32_t r[4], again[4], vendor[4];
	cpuid(0, 0, vendor);
	report(vendor[0] >= 1, "leaf 0 reports at least leaf 1");
	cpuid(1, 0, r);
	report_eq(r[2] & ECX_VMX, 0, "CPUID.1:ECX.VMX is hidden");
	report_eq(r[2] & ECX_HYPERVISOR, ECX_HYPERVISOR, "CPUID.1:ECX bit 31 says a hypervisor is present");
	cpuid(1, 0, again);
	report(r[0] == again[0] && r[1] == again[1] && r[2] == again[2] && r[3] == again[3],
	       "CPUID.1 answers the same twice");
	/* Without XSAVE (some Bochs models) CR4.OSXSAVE does not exist: toggle PGE instead, OSXSAVE must stay 0. */
	bool xsave = r[2] & ECX_XSAVE;
	uint64_t cr4 = read_cr4();
	write_cr4(cr4 | (xsave ? CR4_OSXSAVE : CR4_PGE));
	cpuid(1, 0, again);
	write_cr4(cr4);
	cpuid(1, 0, r);
	report_eq(again[2] & ECX_OSXSAVE, xsave ? ECX_OSXSAVE : 0, "OSXSAVE shows once the guest sets CR4.OSXSAVE");
	report_eq(r[2] & ECX_OSXSAVE, 0, "and goes when it clears it");
	uint32_t highest[4], above[4];
	cpuid(vendor[0], 0, highest);
	cpuid(vendor[0] + 1, 0, above);
	report(highest[0] == above[0] && highest[1] == above[1] && highest[2] == above[2] && highest[3] == above[3],
	       "the leaf above the highest basic leaf answers as the highest");
	cpuid(0x80000000u, 0, r);
	uint32_t extended = r[0];
	cpuid(extended + 1, 0, above);
	report(highest[0] == above[0] && highest[1] == above[1] && highest[2] == above[2] && highest[3] == above[3],
	       "and so does the leaf above the highest extended leaf");
	return extended >= 0x80000001u ? 0 : 1;
}
