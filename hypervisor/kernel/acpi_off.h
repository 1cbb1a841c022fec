/*
 * ACPI soft-off (S5) on this machine: finding the recipe in the firmware's tables
 * (kernel/acpi.h) where the CPU reaches them, at their physical addresses below
 * 4 GiB (the 64-bit kernel's identity map; the 32-bit entry runs with paging off),
 * and entering it. Shared by power_off (kernel/power.c) and the 32-bit entry's
 * panics (boot/early_power.c), which reach the ports through their own hw/cpu.h
 * functions.
 */
#ifndef VEXIT_ACPI_OFF_H
#define VEXIT_ACPI_OFF_H

#include "kernel/acpi.h"

/* The S5 recipe from the loader's RSDP copy (NULL: search the BIOS areas): NULL, or why there is none. */
const char *acpi_s5_lookup(const uint8_t *rsdp_copy, size_t rsdp_len, struct acpi_s5 *out);
/* Ask for ACPI mode when the firmware has not switched to it, then write SLP_TYPx | SLP_EN;
 * returns only if the machine is still on a while after. */
void acpi_enter_s5(const struct acpi_s5 *s5);

#endif
