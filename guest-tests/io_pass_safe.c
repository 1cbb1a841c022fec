/*
 * io_pass_safe: the ports a guest may pass through reach no device. Every
 * passable port (0xED, 0x7FF0-0x800F, 0xFFF0-0xFFFF) is passed, written with a
 * pattern and read back with no exit: each reads all ones, as a port no device
 * answers does, so nothing written there stays for a later VM. Port 0x0000 (the
 * DMA controller's channel 0) and 0x80 (the POST port, a latch) are refused.
 */
#include "cpu.h"

EXPECT("stop done");
EXPECT("asserts 5");
/* 5 report lines, the exit-port OUT; no exit for the 49 passed ports. */
EXPECT("exit IO_INSTRUCTION 6");

static const struct {
	uint16_t first, count;
} windows[] = { { VEXIT_IO_DELAY_PORT, 1 }, { 0x7ff0, 0x20 }, { 0xfff0, 0x10 } };

int main(void)
{
	uint64_t refused = 0;
	for (unsigned w = 0; w < 3; w++)
		refused += vmcall4(VEXIT_HC_IO_BITMAP, windows[w].first, windows[w].count, 0, 0) != 0;
	report_eq(refused, 0, "0xED, 0x7FF0-0x800F and 0xFFF0-0xFFFF are passed through");

	uint64_t before = exits_of(REASON_IO), answered = 0;
	for (unsigned w = 0; w < 3; w++)
		for (uint32_t p = windows[w].first; p < (uint32_t)windows[w].first + windows[w].count; p++) {
			outb((uint16_t)p, (uint8_t)(0x5a ^ p));
			answered += inb((uint16_t)p) != 0xff;
		}
	report_eq(exits_of(REASON_IO) - before, 0, "98 accesses to passed ports take no exit");
	report_eq(answered, 0, "every passed port reads all ones after a write: no device, no latch");
	report_eq(vmcall4(VEXIT_HC_IO_BITMAP, 0x0000, 1, 0, 0), VEXIT_HC_EPERM, "port 0x0000 (DMA) cannot be passed");
	report_eq(vmcall4(VEXIT_HC_IO_BITMAP, 0x80, 1, 0, 0), VEXIT_HC_EPERM, "port 0x80 (POST latch) cannot be passed");
	return 0;
}
