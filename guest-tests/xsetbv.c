/*
 * xsetbv: XSETBV exits unconditionally; the hypervisor checks XCR0 (SDM Vol. 1
 * 13.3) and loads it, so XGETBV (which does not exit) reads it back. #GP for
 * x87 clear, AVX without SSE, an unsupported bit, and XCR index 1; #UD while
 * CR4.OSXSAVE is clear. Skipped on a CPU without XSAVE (Bochs's lynnfield, penryn).
 */
#include "cpu.h"
#include "fault.h"

EXPECT("stop done");
EXPECT("asserts 8");
/*
 * 1 accepted, 4 refused, the one restoring x87. With CR4.OSXSAVE clear the CPU
 * raises #UD itself, before any VM exit (the real CR4 follows the guest's OSXSAVE).
 */
EXPECT("exit XSETBV 6");


int main(void)
{
	fault_init();
	if (!cpu_has_xsave()) {
		guest_printf("SKIP this CPU has no XSAVE (CPUID.1:ECX[26] is 0), so no XSETBV to test");
		return 0;
	}
	uint32_t r[4];
	cpuid(0xd, 0, r);
	uint64_t supported = ((uint64_t)r[3] << 32) | r[0];
	/* vmx/xcr0.h XCR0_NOT_OFFERED: MPX (3, 4) and PKRU (9) are hidden, AMX (17, 18) too large for a VM's area. */
	report_eq(supported & 0x60218u, 0, "CPUID.0DH offers no MPX, PKRU or AMX component");
	uint64_t cr4 = read_cr4();
	report_eq(try_xsetbv(0, 3), 6, "XSETBV with CR4.OSXSAVE clear raises #UD");
	write_cr4(cr4 | CR4_OSXSAVE);
	report_eq(try_xsetbv(0, 3), FAULT_NONE, "XCR0 = x87|SSE is accepted");
	report_eq(xgetbv(0), 3, "XGETBV reads back x87|SSE");
	report_eq(try_xsetbv(0, 2), 13, "XCR0 without x87 raises #GP");
	report_eq(try_xsetbv(0, 5), 13, "AVX without SSE raises #GP");
	uint64_t unsupported = 1ull << 62;
	report_eq((supported & unsupported) ? 13 : try_xsetbv(0, 1 | unsupported), 13,
		  "an XCR0 bit the CPU does not support raises #GP");
	report_eq(try_xsetbv(1, 1), 13, "XCR index 1 raises #GP");
	try_xsetbv(0, 1);
	write_cr4(cr4);
	return 0;
}
