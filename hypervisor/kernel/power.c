#include "kernel/power.h"

#include "hw/cpu.h"
#include "kernel/acpi.h"
#include "kernel/console.h"

#define BOCHS_SHUTDOWN_PORT 0x8900
/* The boot page tables identity-map the first 4 GiB (boot/entry.S): ACPI tables above are out of reach. */
#define IDENTITY_MAP_END (4ull << 30)
/* How many reads of PM1a to wait for SCI_EN after asking the firmware for ACPI mode. */
#define ACPI_ENABLE_POLLS 100000

/* The S5 recipe power_init found; why there is none while s5_error is set. */
static struct acpi_s5 s5;
static const char *s5_error = "power_init was not called";

static const uint8_t *identity_view(uint64_t phys, uint64_t len, void *ctx)
{
	(void)ctx;
	if (phys >= IDENTITY_MAP_END || len > IDENTITY_MAP_END - phys)
		return 0;
	return (const uint8_t *)(uintptr_t)phys;
}

void power_init(const uint8_t *rsdp_copy, size_t rsdp_len)
{
	struct acpi_memory mem = { identity_view, 0 };
	const uint8_t *rsdp;
	size_t len;
	s5_error = acpi_find_rsdp(&mem, rsdp_copy, rsdp_len, &rsdp, &len);
	if (!s5_error)
		s5_error = acpi_find_s5(&mem, rsdp, len, &s5);
}

/* ACPI 6.5, 16.1.7 and 4.8.3.2.1: SLP_TYPx with SLP_EN into PM1a (and PM1b), in ACPI mode. */
static void acpi_soft_off(void)
{
	if (s5.smi_cmd && s5.acpi_enable && !(inw(s5.pm1a_cnt) & ACPI_PM1_SCI_EN)) {
		outb(s5.smi_cmd, s5.acpi_enable);
		for (int i = 0; i < ACPI_ENABLE_POLLS && !(inw(s5.pm1a_cnt) & ACPI_PM1_SCI_EN); i++)
			;
	}
	outw(s5.pm1a_cnt, acpi_pm1_sleep_value(inw(s5.pm1a_cnt), s5.slp_typ_a));
	if (s5.pm1b_cnt)
		outw(s5.pm1b_cnt, acpi_pm1_sleep_value(inw(s5.pm1b_cnt), s5.slp_typ_b));
}

__attribute__((noreturn)) void power_off(void)
{
	/*
	 * The shutdown port is a Bochs device; the debug port 0xE9 answering is
	 * our sign that we run in Bochs. Elsewhere ACPI turns the machine off; when
	 * the firmware's tables do not say how, we say why and halt: the console
	 * has already said everything else.
	 */
	power_off_prepare();
	console_drain();
	if (console_has_debug_port()) {
		const char *s = "Shutdown";
		while (*s)
			outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s++);
	}
	if (s5_error) {
		kprintf("vexit: no ACPI power-off (%s): halting\n", s5_error);
		console_drain();
	} else {
		acpi_soft_off();
	}
	halt_forever();
	__builtin_unreachable();
}
