/*
 * The ACPI tables an external kernel finds in guest memory (ACPI Specification
 * 6.5, chapter 5): an RSDP in the BIOS read-only area, where a kernel searches
 * for it on 16-byte boundaries (5.2.5.1), pointing at an RSDT and an XSDT that
 * list a FADT and a MADT. The FADT (revision 3, 5.2.9) gives the PM1a event and
 * control blocks (0x600, 0x604: the power-off port) and the 32-bit PM timer at
 * 0x608 (dev_pm_timer.c), a header-only DSDT and a FACS; the MADT (5.2.12) one
 * enabled local APIC, ID 0, at 0xFEE00000, and PCAT_COMPAT (the 8259 pair of
 * vm/pic.h), and nothing else (no I/O APIC). All in the reserved block 0xF0000-0xFFFFF of the memory map
 * (vm/multiboot_info.c). Plain C, host-tested.
 */
#ifndef VEXIT_ACPI_TABLES_H
#define VEXIT_ACPI_TABLES_H

#include <stdint.h>

#include "vm/kernel_image.h"

#define ACPI_RSDP_ADDR 0xf0000u
#define ACPI_RSDT_ADDR 0xf0040u
#define ACPI_XSDT_ADDR 0xf0080u
#define ACPI_FACS_ADDR 0xf00c0u /* 64-byte aligned, as 5.2.10 requires */
#define ACPI_FADT_ADDR 0xf0100u
#define ACPI_DSDT_ADDR 0xf0200u
#define ACPI_MADT_ADDR 0xf0240u
#define ACPI_TABLES_END 0xf0300u

#define ACPI_HEADER_SIZE 36
#define ACPI_RSDP_SIZE 36
#define ACPI_FADT_SIZE 244 /* revision 3 (ACPI 2.0 onwards): the 64-bit X_ blocks included */
#define ACPI_FACS_SIZE 64
#define ACPI_MADT_SIZE (ACPI_HEADER_SIZE + 8 + 8)
#define ACPI_LOCAL_APIC_ADDR 0xfee00000u
#define MADT_PCAT_COMPAT 1u /* MADT flags bit 0: a PC-AT dual 8259 as well (ACPI 6.5, 5.2.12, Multiple APIC Flags) */

/* FADT fields used here, by byte offset (ACPI 6.5 table 5.9). */
#define FADT_FIRMWARE_CTRL 36
#define FADT_DSDT 40
#define FADT_SCI_INT 46
#define FADT_PM1A_EVT_BLK 56
#define FADT_PM1A_CNT_BLK 64
#define FADT_PM_TMR_BLK 76
#define FADT_PM1_EVT_LEN 88
#define FADT_PM1_CNT_LEN 89
#define FADT_PM_TMR_LEN 91
#define FADT_IAPC_BOOT_ARCH 109
#define FADT_FLAGS 112
#define FADT_X_FIRMWARE_CTRL 132
#define FADT_X_DSDT 140
#define FADT_X_PM1A_EVT_BLK 148
#define FADT_X_PM1A_CNT_BLK 172
#define FADT_X_PM_TMR_BLK 208
#define FADT_FLAG_WBINVD (1u << 0)
#define FADT_FLAG_PROC_C1 (1u << 2)
#define FADT_FLAG_PWR_BUTTON (1u << 4) /* set: no fixed-feature power button */
#define FADT_FLAG_SLP_BUTTON (1u << 5) /* set: no fixed-feature sleep button */
#define FADT_FLAG_TMR_VAL_EXT (1u << 8) /* the PM timer is 32 bits wide */
#define FADT_BOOT_ARCH_VGA_NOT_PRESENT (1u << 2)

struct vm;

/* Write the tables into the VM's memory. NULL, or why not: `kernel-overlaps-acpi-tables` when the kernel
 * occupies their block, `guest-memory-size` when memory ends before it. */
const char *acpi_tables_write(struct vm *vm, const struct kernel_ranges *kernel);

#endif
