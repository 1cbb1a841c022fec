/* io_basic: OUT then IN on the test device, 1-, 2- and 4-byte, each value read back through the hypervisor. */
#include "vexit_guest.h"

EXPECT("stop done");
EXPECT("asserts 9");
/* 11 test-device accesses, 1 to an unclaimed port, 9 report lines, the exit-port OUT. */
EXPECT("exit IO_INSTRUCTION 22");

int main(void)
{
	outl(VEXIT_TEST_LATCH, 0x12345678);
	report_eq(inl(VEXIT_TEST_LATCH), 0x12345678, "4-byte OUT then IN");
	outw(VEXIT_TEST_LATCH + 2, 0xbeef);
	report_eq(inl(VEXIT_TEST_LATCH), 0xbeef5678, "2-byte OUT at offset 2 changes only its two bytes");
	report_eq(inw(VEXIT_TEST_LATCH), 0x5678, "2-byte IN");
	outb(VEXIT_TEST_LATCH + 1, 0xab);
	report_eq(inb(VEXIT_TEST_LATCH + 1), 0xab, "1-byte OUT then IN");
	report_eq(inl(VEXIT_TEST_LATCH), 0xbeefab78, "the latch after all three writes");
	report_eq(inl(VEXIT_TEST_INVERTED), (uint32_t)~0xbeefab78u, "the inverted register mirrors the latch");
	report_eq(inl(VEXIT_TEST_ID), VEXIT_TEST_ID_VALUE, "the device ID reads VXT1");
	/* 10 accesses before this one: 3 OUTs and 7 INs. */
	report_eq(inl(VEXIT_TEST_ACCESSES), 10, "the device counted every access");
	report_eq(inl(0x6000), 0xffffffff, "an unclaimed port reads all ones");
	return 0;
}
