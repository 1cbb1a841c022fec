/*
 * hostile_port_reset: OUTs that would reset, power off or corrupt the host if
 * they reached hardware: keyboard-controller reset (0x64 <- 0xFE), reset control
 * (0xCF9 <- 0x06 and 0x0E), fast reset (0x92 <- 1), Bochs's shutdown port
 * (0x8900 <- "Shutdown"), the APM/SMI command port (0xB2), CMOS shutdown status
 * (0x70/0x71), the host's COM1 (0x3F8: bytes that would land in the protocol),
 * the IDE disk (0x1F0-0x1F7: a write command to the boot disk), the PIC, the
 * PIT and the ACPI PM control ports Bochs's PIIX4 uses (0xB000-0xB004). Every
 * one traps and reaches no device (counted as unclaimed), the VM runs on.
 */
#include "vexit_guest.h"

EXPECT("stop done");
EXPECT("asserts 2");

static unsigned outs;

static void out8(uint16_t port, uint8_t v)
{
	outb(port, v);
	outs++;
}

int main(void)
{
	uint64_t before = vmcall0(VEXIT_HC_IO_UNCLAIMED);
	out8(0x64, 0xfe);
	out8(0xcf9, 0x06);
	out8(0xcf9, 0x0e);
	out8(0x92, 0x01);
	for (const char *s = "Shutdown"; *s; s++)
		out8(0x8900, (uint8_t)*s);
	out8(0xb2, 0x00);
	out8(0x70, 0x0f); /* CMOS shutdown status byte */
	out8(0x71, 0x0a); /* "jump via 40:67" on the next reset */
	for (const char *s = "VEXIT end\n"; *s; s++)
		out8(0x3f8, (uint8_t)*s);
	out8(0x1f6, 0xe0); /* drive 0, LBA */
	out8(0x1f2, 1);
	out8(0x1f3, 0);
	out8(0x1f4, 0);
	out8(0x1f5, 0);
	out8(0x1f7, 0x30); /* WRITE SECTORS */
	outw(0x1f0, 0xdead);
	outs++;
	out8(0x20, 0x11); /* PIC init */
	out8(0x21, 0xff);
	out8(0x43, 0x30); /* PIT channel 0, one shot */
	out8(0x40, 0x01);
	outw(0xb004, 0x2000); /* PM1a control: SLP_EN */
	outs++;
	outl(0xb000, 0xffffffff);
	outs++;
	report_eq(vmcall0(VEXIT_HC_IO_UNCLAIMED) - before, outs, "every OUT trapped and reached no device");
	report(true, "the host is still running");
	return 0;
}
