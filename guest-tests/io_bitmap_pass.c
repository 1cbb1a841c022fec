/*
 * io_bitmap_pass: the I/O bitmap decides what traps. The I/O-delay port 0xED
 * passed through costs no exit for 1000 OUTs; 1000 OUTs to the intercepted, unclaimed port
 * 0xEE cost 1000 exits, each a write dropped and counted by the I/O bus. A port
 * outside the passable set (COM1) cannot be passed through.
 */
#include "cpu.h"

EXPECT("stop done");
EXPECT("asserts 5");
/* 1000 OUTs to 0xEE, 5 report lines, the exit-port OUT; none for port 0xED. */
EXPECT("exit IO_INSTRUCTION 1006");
/* 2 bitmap hypercalls, 4 exit counts, 2 unclaimed counts. */
EXPECT("exit VMCALL 8");

int main(void)
{
	report_eq(vmcall4(VEXIT_HC_IO_BITMAP, VEXIT_IO_DELAY_PORT, 1, 0, 0), 0, "port 0xED is passed through");
	uint64_t before = exits_of(REASON_IO);
	for (unsigned i = 0; i < 1000; i++)
		outb(VEXIT_IO_DELAY_PORT, (uint8_t)i);
	uint64_t passed = exits_of(REASON_IO) - before;

	uint64_t dropped_before = vmcall0(VEXIT_HC_IO_UNCLAIMED);
	before = exits_of(REASON_IO);
	for (unsigned i = 0; i < 1000; i++)
		outb(0xee, (uint8_t)i);
	uint64_t trapped = exits_of(REASON_IO) - before;
	uint64_t dropped = vmcall0(VEXIT_HC_IO_UNCLAIMED) - dropped_before;

	report_eq(passed, 0, "1000 OUTs to a passed-through port take no exit");
	report_eq(trapped, 1000, "1000 OUTs to an intercepted port take 1000 exits");
	report_eq(dropped, 1000, "each write to the unclaimed port is dropped and counted");
	report_eq(vmcall4(VEXIT_HC_IO_BITMAP, 0x3f8, 1, 0, 0), VEXIT_HC_EPERM, "COM1 cannot be passed through");
	return 0;
}
