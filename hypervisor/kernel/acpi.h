/*
 * Finding how to power the machine off through ACPI (ACPI 6.5, chapters 5 and 16):
 * the RSDP, the RSDT or XSDT, the FADT's PM1 control blocks, and the sleep type
 * values of \_S5 in the DSDT. These are firmware bytes: every table is checked
 * (signature, length, checksum) and every read is bounded, so a bad table is
 * refused with a sentence, never read past. Plain C: physical memory is reached
 * only through the caller's view function (kernel/power.c: the identity map;
 * harness/tests/check_hv_acpi_power.c: crafted tables in a host buffer).
 */
#ifndef VEXIT_ACPI_H
#define VEXIT_ACPI_H

#include <stddef.h>
#include <stdint.h>

/* The byte that makes n bytes sum to 0 modulo 256 when it is added (ACPI's checksum rule): what a
 * table's checksum field must hold (vm/acpi_tables.c), and 0 for a table that already passes. */
uint8_t acpi_checksum(const uint8_t *bytes, size_t n);

/* The bytes [phys, phys + len) readable in place, or NULL when they are not all readable. */
typedef const uint8_t *(*acpi_view_fn)(uint64_t phys, uint64_t len, void *ctx);

struct acpi_memory {
	acpi_view_fn view;
	void *ctx;
};

/* What entering S5 (soft off) takes: SLP_TYPx | SLP_EN written to each PM1 control block. */
struct acpi_s5 {
	uint16_t pm1a_cnt;  /* I/O port of the PM1a control block (never 0) */
	uint16_t pm1b_cnt;  /* I/O port of the PM1b control block, 0: none */
	uint8_t slp_typ_a;  /* \_S5 package, element 0 (3 bits) */
	uint8_t slp_typ_b;  /* \_S5 package, element 1 (3 bits) */
	uint16_t smi_cmd;   /* the port that switches the chipset to ACPI mode, 0: none (already in it) */
	uint8_t acpi_enable; /* the value to write there */
};

#define ACPI_PM1_SCI_EN 0x0001u
#define ACPI_PM1_SLP_TYP_SHIFT 10
#define ACPI_PM1_SLP_TYP_MASK (7u << ACPI_PM1_SLP_TYP_SHIFT)
#define ACPI_PM1_SLP_EN (1u << 13)

/* The BIOS areas where the RSDP lies on a PC without UEFI (ACPI 6.5, 5.2.5.1). */
#define ACPI_BDA_EBDA_SEGMENT 0x40e
#define ACPI_EBDA_SEARCH_LEN 1024
#define ACPI_BIOS_AREA_START 0xe0000
#define ACPI_BIOS_AREA_END 0x100000

/*
 * The RSDP: `copy` (len bytes, the copy a multiboot2 ACPI tag carries) when not
 * NULL, else the first valid one in the EBDA's first KiB, else in 0xE0000-0xFFFFF.
 * On success *rsdp points at it (inside `copy` or the view) and *rsdp_len is its length.
 */
const char *acpi_find_rsdp(const struct acpi_memory *mem, const uint8_t *copy, size_t len,
			   const uint8_t **rsdp, size_t *rsdp_len);

/* From a valid RSDP to the S5 recipe. NULL on success, else why not. */
const char *acpi_find_s5(const struct acpi_memory *mem, const uint8_t *rsdp, size_t rsdp_len, struct acpi_s5 *out);

/*
 * The \_S5 package in AML bytecode (a DSDT's body): a bounded byte scan for the
 * named object `_S5_` (NameOp, optionally with the root prefix) whose value is
 * a package of at least two integers. NULL on success, else why not.
 */
const char *acpi_aml_s5(const uint8_t *aml, size_t len, uint8_t *slp_typ_a, uint8_t *slp_typ_b);

/* The PM1 control word that enters the sleep type `slp_typ`, from the current value. */
uint16_t acpi_pm1_sleep_value(uint16_t current, uint8_t slp_typ);

#endif
