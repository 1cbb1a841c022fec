#include "kernel/acpi_off.h"

#include "hw/cpu.h"

/* Tables above 4 GiB are out of reach (boot/entry.S maps the first 4 GiB; paging off, 32 bits reach as far). */
#define IDENTITY_MAP_END (4ull << 30)
/* How many reads of PM1a to wait for SCI_EN after asking the firmware for ACPI mode. */
#define ACPI_ENABLE_POLLS 100000
/*
 * How many reads of PM1a to give the machine to go off after the sleep write before
 * returning: QEMU acts on the write asynchronously and its CPU runs on for a while, so a
 * caller that said "still on" at once would be wrong there (the QEMU lane saw it). A real
 * chipset is off long before; on one that is not, this waits about a second.
 */
#define ACPI_OFF_POLLS 1000000

static const uint8_t *identity_view(uint64_t phys, uint64_t len, void *ctx)
{
	(void)ctx;
	if (phys >= IDENTITY_MAP_END || len > IDENTITY_MAP_END - phys)
		return 0;
	return (const uint8_t *)(uintptr_t)phys;
}

const char *acpi_s5_lookup(const uint8_t *rsdp_copy, size_t rsdp_len, struct acpi_s5 *out)
{
	struct acpi_memory mem = { identity_view, 0 };
	const uint8_t *rsdp;
	size_t len;
	const char *why = acpi_find_rsdp(&mem, rsdp_copy, rsdp_len, &rsdp, &len);
	return why ? why : acpi_find_s5(&mem, rsdp, len, out);
}

/* ACPI 6.5, 16.1.7 and 4.8.3.2.1: SLP_TYPx with SLP_EN into PM1a (and PM1b), in ACPI mode. */
void acpi_enter_s5(const struct acpi_s5 *s5)
{
	if (s5->smi_cmd && s5->acpi_enable && !(inw(s5->pm1a_cnt) & ACPI_PM1_SCI_EN)) {
		outb(s5->smi_cmd, s5->acpi_enable);
		for (int i = 0; i < ACPI_ENABLE_POLLS && !(inw(s5->pm1a_cnt) & ACPI_PM1_SCI_EN); i++)
			;
	}
	outw(s5->pm1a_cnt, acpi_pm1_sleep_value(inw(s5->pm1a_cnt), s5->slp_typ_a));
	if (s5->pm1b_cnt)
		outw(s5->pm1b_cnt, acpi_pm1_sleep_value(inw(s5->pm1b_cnt), s5->slp_typ_b));
	for (int i = 0; i < ACPI_OFF_POLLS; i++)
		(void)inw(s5->pm1a_cnt);
}
