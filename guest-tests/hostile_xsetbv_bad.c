/*
 * hostile_xsetbv_bad: XSETBV with values meant to break the host's XSAVE state:
 * XCR index 1 and 2^32-1, XCR0 = 0, all ones, bit 63, PKRU (hidden), AVX-512
 * opmask alone, x87 with AVX but no SSE. Each raises #GP and XCR0 keeps its
 * last good value. Skipped by the guest on a CPU without XSAVE.
 */
#include "cpu.h"
#include "fault.h"

EXPECT("stop done");
EXPECT("asserts 9");
EXPECT("exit XSETBV 8");

#define XCR0_PKRU (1ull << 9)
#define XCR0_OPMASK (1ull << 5)

int main(void)
{
	fault_init();
	if (!cpu_has_xsave()) {
		guest_printf("SKIP this CPU has no XSAVE (CPUID.1:ECX[26] is 0), so no XSETBV to attack");
		return 0;
	}
	write_cr4(read_cr4() | CR4_OSXSAVE);
	report_eq(try_xsetbv(1, 1), 13, "XCR index 1: #GP");
	report_eq(try_xsetbv(0xffffffffu, 1), 13, "XCR index 2^32-1: #GP");
	report_eq(try_xsetbv(0, 0), 13, "XCR0 = 0: #GP");
	report_eq(try_xsetbv(0, ~0ull), 13, "XCR0 = all ones: #GP");
	report_eq(try_xsetbv(0, 1 | (1ull << 63)), 13, "XCR0 bit 63: #GP");
	report_eq(try_xsetbv(0, 1 | XCR0_PKRU), 13, "XCR0 with PKRU (hidden): #GP");
	report_eq(try_xsetbv(0, 3 | XCR0_OPMASK), 13, "XCR0 with the AVX-512 opmask alone: #GP");
	report_eq(try_xsetbv(0, 5), 13, "XCR0 with AVX but no SSE: #GP");
	report_eq(xgetbv(0), 1, "XCR0 is still x87 alone");
	return 0;
}
