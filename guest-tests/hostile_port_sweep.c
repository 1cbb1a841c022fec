/*
 * hostile_port_sweep: a 4-byte IN from every fourth port, 0 to 0xFFFC, so every
 * byte of the 64 KiB port space is read, then a 4-byte OUT of all ones to each
 * of them but the exit port. All trap (the I/O bitmaps start all ones). The bus
 * routes an access by its first port, so only the test device's four registers
 * (and OUTs to the exit port, which has no read side) reach a device; every
 * other access is counted as unclaimed: none reached hardware.
 */
#include "vexit_guest.h"

EXPECT("stop done");
EXPECT("asserts 3");
/* 16384 INs, 16383 OUTs, 3 IO_UNCLAIMED reads. */
EXPECT("exit VMCALL 3");
EXPECT("cost 4");

#define DWORDS 0x4000
#define EXIT_PORT_NUM 0xf4
#define TEST_DEVICE_DWORDS 4 /* 0x5000, 0x5004, 0x5008, 0x500C */

int main(void)
{
	uint64_t before = vmcall0(VEXIT_HC_IO_UNCLAIMED);
	for (uint32_t port = 0; port < 0x10000; port += 4)
		(void)inl((uint16_t)port);
	uint64_t reads = vmcall0(VEXIT_HC_IO_UNCLAIMED) - before;
	for (uint32_t port = 0; port < 0x10000; port += 4)
		if (port != EXIT_PORT_NUM)
			outl((uint16_t)port, 0xffffffffu);
	uint64_t writes = vmcall0(VEXIT_HC_IO_UNCLAIMED) - before - reads;
	report_eq(reads, DWORDS - TEST_DEVICE_DWORDS, "every IN but the test device's unclaimed");
	report_eq(writes, DWORDS - 1 - TEST_DEVICE_DWORDS, "every OUT but the test device's unclaimed");
	report_eq(inl(0x5000), 0xffffffffu, "the test device's latch kept the sweep's write");
	return 0;
}
