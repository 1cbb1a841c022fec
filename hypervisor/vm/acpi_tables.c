#include "vm/acpi_tables.h"

#include "include/le_bytes.h"
#include "kernel/acpi.h"
#include "kernel/kstring.h"
#include "vm/devices.h"
#include "vm/guest_mem.h"
#include "vm/vm.h"

#define HEADER_CHECKSUM 9
#define RSDP_CHECKSUM 8
#define RSDP_EXTENDED_CHECKSUM 32
#define GAS_SYSTEM_IO 1 /* a Generic Address Structure's address space: system I/O (5.2.3.2) */
#define MADT_LOCAL_APIC 0
#define MADT_LOCAL_APIC_ENABLED 1u

/* The block of memory the tables are built in, then copied to ACPI_RSDP_ADDR. */
struct acpi_block {
	uint8_t b[ACPI_TABLES_END - ACPI_RSDP_ADDR];
};

static uint8_t *at(struct acpi_block *blk, uint32_t gpa)
{
	return &blk->b[gpa - ACPI_RSDP_ADDR];
}

/* A System Description Table header (5.2.6); the checksum is set last, by finish(). */
static uint8_t *header(struct acpi_block *blk, uint32_t gpa, const char *sig, uint32_t length, uint8_t revision)
{
	uint8_t *t = at(blk, gpa);
	memcpy(t, sig, 4);
	le_put(t + 4, length, 4);
	t[8] = revision;
	memcpy(t + 10, "VEXIT ", 6);   /* OEM ID */
	memcpy(t + 16, "VEXITVM ", 8); /* OEM table ID */
	le_put(t + 24, 1, 4);             /* OEM revision */
	memcpy(t + 28, "VXIT", 4);     /* creator ID */
	le_put(t + 32, 1, 4);             /* creator revision */
	return t;
}

static void finish(uint8_t *t)
{
	uint32_t length = (uint32_t)t[4] | (uint32_t)t[5] << 8 | (uint32_t)t[6] << 16 | (uint32_t)t[7] << 24;
	t[HEADER_CHECKSUM] = 0;
	t[HEADER_CHECKSUM] = acpi_checksum(t, length);
}

/* A Generic Address Structure for an I/O port block of `bytes` bytes (5.2.3.2). */
static void gas_io(uint8_t *g, uint16_t port, unsigned bytes)
{
	g[0] = GAS_SYSTEM_IO;
	g[1] = (uint8_t)(8 * bytes); /* register bit width */
	g[2] = 0;                    /* bit offset */
	g[3] = bytes == 4 ? 3 : 2;   /* access size: dword or word */
	le_put(g + 4, port, 8);
}

static void write_fadt(struct acpi_block *blk)
{
	uint8_t *f = header(blk, ACPI_FADT_ADDR, "FACP", ACPI_FADT_SIZE, 3);
	le_put(f + FADT_FIRMWARE_CTRL, ACPI_FACS_ADDR, 4);
	le_put(f + FADT_DSDT, ACPI_DSDT_ADDR, 4);
	le_put(f + FADT_SCI_INT, 9, 2); /* the PC's SCI line; no SCI is ever raised */
	le_put(f + FADT_PM1A_EVT_BLK, PM1A_EVT_PORT, 4);
	le_put(f + FADT_PM1A_CNT_BLK, POWER_OFF_PORT, 4);
	le_put(f + FADT_PM_TMR_BLK, PM_TIMER_PORT, 4);
	f[FADT_PM1_EVT_LEN] = 4;
	f[FADT_PM1_CNT_LEN] = 2;
	f[FADT_PM_TMR_LEN] = 4;
	le_put(f + FADT_IAPC_BOOT_ARCH, FADT_BOOT_ARCH_VGA_NOT_PRESENT, 2);
	le_put(f + FADT_FLAGS, FADT_FLAG_WBINVD | FADT_FLAG_PROC_C1 | FADT_FLAG_PWR_BUTTON | FADT_FLAG_SLP_BUTTON |
				    FADT_FLAG_TMR_VAL_EXT, 4);
	le_put(f + FADT_X_FIRMWARE_CTRL, ACPI_FACS_ADDR, 8);
	le_put(f + FADT_X_DSDT, ACPI_DSDT_ADDR, 8);
	gas_io(f + FADT_X_PM1A_EVT_BLK, PM1A_EVT_PORT, 4);
	gas_io(f + FADT_X_PM1A_CNT_BLK, POWER_OFF_PORT, 2);
	gas_io(f + FADT_X_PM_TMR_BLK, PM_TIMER_PORT, 4);
	finish(f);
}

static void write_madt(struct acpi_block *blk)
{
	uint8_t *m = header(blk, ACPI_MADT_ADDR, "APIC", ACPI_MADT_SIZE, 4);
	le_put(m + 36, ACPI_LOCAL_APIC_ADDR, 4);
	le_put(m + 40, MADT_PCAT_COMPAT, 4); /* flags: the dual 8259 of vm/pic.h is there too */
	uint8_t *lapic = m + 44; /* Processor Local APIC structure (5.2.12.2) */
	lapic[0] = MADT_LOCAL_APIC;
	lapic[1] = 8;
	lapic[2] = 0; /* ACPI processor UID */
	lapic[3] = 0; /* APIC ID */
	le_put(lapic + 4, MADT_LOCAL_APIC_ENABLED, 4);
	finish(m);
}

static void write_rsdp(struct acpi_block *blk)
{
	uint8_t *r = at(blk, ACPI_RSDP_ADDR);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "VEXIT ", 6);
	r[15] = 2; /* revision 2: ACPI 2.0 and later, with the XSDT */
	le_put(r + 16, ACPI_RSDT_ADDR, 4);
	le_put(r + 20, ACPI_RSDP_SIZE, 4);
	le_put(r + 24, ACPI_XSDT_ADDR, 8);
	r[RSDP_CHECKSUM] = acpi_checksum(r, 20);
	r[RSDP_EXTENDED_CHECKSUM] = acpi_checksum(r, ACPI_RSDP_SIZE);
}

static void build(struct acpi_block *blk)
{
	memset(blk, 0, sizeof(*blk));
	static const uint32_t listed[] = { ACPI_FADT_ADDR, ACPI_MADT_ADDR };
	unsigned n = sizeof(listed) / sizeof(listed[0]);
	uint8_t *rsdt = header(blk, ACPI_RSDT_ADDR, "RSDT", ACPI_HEADER_SIZE + 4 * n, 1);
	uint8_t *xsdt = header(blk, ACPI_XSDT_ADDR, "XSDT", ACPI_HEADER_SIZE + 8 * n, 1);
	for (unsigned i = 0; i < n; i++) {
		le_put(rsdt + ACPI_HEADER_SIZE + 4 * i, listed[i], 4);
		le_put(xsdt + ACPI_HEADER_SIZE + 8 * i, listed[i], 8);
	}
	finish(rsdt);
	finish(xsdt);
	uint8_t *facs = at(blk, ACPI_FACS_ADDR); /* 5.2.10: no checksum, version 2 */
	memcpy(facs, "FACS", 4);
	le_put(facs + 4, ACPI_FACS_SIZE, 4);
	facs[32] = 2;
	finish(header(blk, ACPI_DSDT_ADDR, "DSDT", ACPI_HEADER_SIZE, 2)); /* no AML: an empty definition block */
	write_fadt(blk);
	write_madt(blk);
	write_rsdp(blk);
}

const char *acpi_tables_write(struct vm *vm, const struct kernel_ranges *kernel)
{
	for (unsigned i = 0; i < kernel->n; i++)
		if (kernel->r[i].start < ACPI_TABLES_END && kernel->r[i].end > ACPI_RSDP_ADDR)
			return "kernel-overlaps-acpi-tables";
	static struct acpi_block blk; /* built once per VM, before the VM runs: not re-entered */
	build(&blk);
	return guest_mem_write(vm, ACPI_RSDP_ADDR, blk.b, sizeof(blk.b)) ? NULL : "guest-memory-size";
}
