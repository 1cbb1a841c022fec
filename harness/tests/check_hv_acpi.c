/*
 * The ACPI tables an external kernel's VM gets (vm/acpi_tables.c), read back
 * from guest memory the way a kernel finds them (kvm-unit-tests' lib/acpi.c,
 * Linux): the RSDP by its signature on a 16-byte boundary in 0xE0000-0xFFFFF,
 * then the RSDT and the XSDT, the FADT and MADT they list, each checksummed;
 * the FADT's PM timer block is the port of the PM timer (vm/dev_pm_timer.c),
 * whose count is checked against the 3.579545 MHz arithmetic on guest ticks.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "hv_good_vmcs.h"
#include "kernel/acpi.h"
#include "quiet_assert.h"
#include "run_suite.h"
#include "test_vm.h"
#include "vm/acpi_tables.h"
#include "vm/devices.h"
#include "vm/guest_mem.h"
#include "vm/guest_time.h"
#include "vm/io_bus.h"
#include "vm/kernel_image.h"
#include "vm/vm.h"

static struct test_vm t;
static struct vmx_caps caps;
static uint8_t kernel[64];

/* The smallest multiboot kernel (a.out kludge, HLTs) loaded at `load`. */
static void make_kernel(uint32_t load)
{
	memset(kernel, 0xf4, sizeof(kernel));
	uint32_t h[8] = { MB1_HEADER_MAGIC, MB1_FLAG_AOUT_KLUDGE, -(MB1_HEADER_MAGIC + MB1_FLAG_AOUT_KLUDGE),
			  load, load, 0, load + 0x1000, load + 0x20 };
	memcpy(kernel, h, sizeof(h));
}

static void build(void)
{
	hv_good_caps(&caps);
	make_kernel(0x100000);
	const char *why = test_vm_build_external(&t, "kut", kernel, sizeof(kernel), "kut", &caps);
	ck_assert_msg(why == NULL, "refused: %s", why);
}

static void teardown(void)
{
	if (t.vm)
		test_vm_destroy(&t);
}

static uint32_t u32(uint64_t gpa)
{
	uint32_t v;
	ck_assert(guest_mem_read(t.vm, gpa, &v, 4));
	return v;
}

static uint64_t u64(uint64_t gpa)
{
	uint64_t v;
	ck_assert(guest_mem_read(t.vm, gpa, &v, 8));
	return v;
}

static uint8_t u8(uint64_t gpa)
{
	uint8_t v;
	quiet_assert(guest_mem_read(t.vm, gpa, &v, 1), "guest byte 0x%lx", gpa);
	return v;
}

static unsigned sum(uint64_t gpa, unsigned n)
{
	unsigned s = 0;
	for (unsigned i = 0; i < n; i++)
		s += u8(gpa + i);
	return s & 0xff;
}

static bool sig_is(uint64_t gpa, const char *sig)
{
	char b[8];
	size_t n = strlen(sig);
	ck_assert(guest_mem_read(t.vm, gpa, b, n));
	return memcmp(b, sig, n) == 0;
}

/* The RSDP as a kernel searches for it; 0 when absent. */
static uint64_t find_rsdp(void)
{
	for (uint64_t a = 0xe0000; a < 0x100000; a += 16)
		if (sig_is(a, "RSD PTR "))
			return a;
	return 0;
}

/* A checked System Description Table: its signature, and a length whose bytes sum to 0. */
static uint32_t table(uint64_t gpa, const char *sig)
{
	ck_assert_msg(sig_is(gpa, sig), "no %s at 0x%lx", sig, (unsigned long)gpa);
	uint32_t len = u32(gpa + 4);
	ck_assert_uint_ge(len, ACPI_HEADER_SIZE);
	ck_assert_msg(sum(gpa, len) == 0, "%s checksum", sig);
	return len;
}

/* The table with signature sig that the RSDT (xsdt: the XSDT) lists; 0 when none. */
static uint64_t listed(uint64_t sdt, bool xsdt, const char *sig)
{
	unsigned width = xsdt ? 8 : 4;
	uint32_t len = table(sdt, xsdt ? "XSDT" : "RSDT");
	for (uint32_t off = ACPI_HEADER_SIZE; off + width <= len; off += width) {
		uint64_t at = xsdt ? u64(sdt + off) : u32(sdt + off);
		if (sig_is(at, sig))
			return at;
	}
	return 0;
}

START_TEST(test_rsdp)
{
	build();
	uint64_t rsdp = find_rsdp();
	ck_assert_uint_eq(rsdp, ACPI_RSDP_ADDR);
	ck_assert_uint_eq(sum(rsdp, 20), 0);          /* the ACPI 1.0 part */
	ck_assert_uint_eq(u8(rsdp + 15), 2);          /* revision 2: the XSDT is there */
	ck_assert_uint_eq(u32(rsdp + 20), ACPI_RSDP_SIZE);
	ck_assert_uint_eq(sum(rsdp, ACPI_RSDP_SIZE), 0); /* the extended checksum */
	table(u32(rsdp + 16), "RSDT");
	table(u64(rsdp + 24), "XSDT");
}
END_TEST

START_TEST(test_fadt_and_pm_timer_block)
{
	build();
	uint64_t rsdp = find_rsdp();
	uint64_t fadt = listed(u32(rsdp + 16), false, "FACP");
	ck_assert_uint_eq(fadt, listed(u64(rsdp + 24), true, "FACP"));
	ck_assert_uint_eq(table(fadt, "FACP"), ACPI_FADT_SIZE);
	ck_assert_uint_eq(u32(fadt + FADT_PM_TMR_BLK), PM_TIMER_PORT);
	ck_assert_uint_eq(u8(fadt + FADT_PM_TMR_LEN), 4);
	ck_assert_uint_eq(u32(fadt + FADT_PM1A_CNT_BLK), POWER_OFF_PORT);
	ck_assert(u32(fadt + FADT_FLAGS) & FADT_FLAG_TMR_VAL_EXT);
	/* The 64-bit block: system I/O, 32 bits, at the same port. */
	ck_assert_uint_eq(u8(fadt + FADT_X_PM_TMR_BLK), 1);
	ck_assert_uint_eq(u8(fadt + FADT_X_PM_TMR_BLK + 1), 32);
	ck_assert_uint_eq(u64(fadt + FADT_X_PM_TMR_BLK + 4), PM_TIMER_PORT);
	/* The DSDT and the FACS it points at. */
	table(u32(fadt + FADT_DSDT), "DSDT");
	ck_assert_uint_eq(u64(fadt + FADT_X_DSDT), u32(fadt + FADT_DSDT));
	uint32_t facs = u32(fadt + FADT_FIRMWARE_CTRL);
	ck_assert(sig_is(facs, "FACS"));
	ck_assert_uint_eq(facs % 64, 0);
	ck_assert_uint_eq(u32(facs + 4), ACPI_FACS_SIZE);
}
END_TEST

START_TEST(test_madt_one_local_apic)
{
	build();
	uint64_t madt = listed(u32(find_rsdp() + 16), false, "APIC");
	ck_assert_uint_ne(madt, 0);
	uint32_t len = table(madt, "APIC");
	ck_assert_uint_eq(u32(madt + 36), ACPI_LOCAL_APIC_ADDR);
	ck_assert_uint_eq(u32(madt + 40), 1); /* PCAT_COMPAT: the legacy PIC is there (vm/pic.h) */
	unsigned lapics = 0;
	for (uint32_t off = 44; off < len; off += u8(madt + off + 1)) {
		ck_assert_uint_ge(u8(madt + off + 1), 2); /* every structure has a length */
		if (u8(madt + off) == 0) {
			lapics++;
			ck_assert_uint_eq(u8(madt + off + 3), 0); /* APIC ID 0 */
			ck_assert_uint_eq(u32(madt + off + 4) & 1, 1); /* enabled */
		}
	}
	ck_assert_uint_eq(lapics, 1);
}
END_TEST

START_TEST(test_kernel_over_the_tables_refused)
{
	hv_good_caps(&caps);
	make_kernel(0xf0000);
	ck_assert_str_eq(test_vm_build_external(&t, "kut", kernel, sizeof(kernel), "kut", &caps),
			 "kernel-overlaps-acpi-tables");
}
END_TEST

START_TEST(test_checksum_rule)
{
	uint8_t b[4] = { 0x10, 0x20, 0xff, 0 };
	b[3] = acpi_checksum(b, 3);
	ck_assert_uint_eq((uint8_t)(b[0] + b[1] + b[2] + b[3]), 0);
	ck_assert_uint_eq(acpi_checksum(b, 0), 0);
}
END_TEST

START_TEST(test_pm_timer_arithmetic)
{
	ck_assert_uint_eq(pm_timer_count(0), 0);
	ck_assert_uint_eq(pm_timer_count(GUEST_TICKS_PER_SECOND), PM_TIMER_HZ); /* one guest second */
	ck_assert_uint_eq(pm_timer_count(GUEST_TICKS_PER_SECOND / 2), PM_TIMER_HZ / 2);
	ck_assert_uint_eq(pm_timer_count(1), 3); /* floor(3.579545) */
	ck_assert_uint_eq(pm_timer_count(1000), 3579);
	/* Exact far out, where ticks * hz overflows 64 bits: 2^44 ticks, and the last tick. */
	uint64_t ticks = 1ull << 44;
	uint64_t exact = (uint64_t)((unsigned __int128)ticks * PM_TIMER_HZ / GUEST_TICKS_PER_SECOND);
	ck_assert_uint_eq(guest_time_at_rate(ticks, PM_TIMER_HZ), exact);
	ck_assert_uint_eq(pm_timer_count(ticks), (uint32_t)exact); /* 32 bits wide: it wraps */
	ck_assert_uint_eq(guest_time_at_rate(UINT64_MAX, PM_TIMER_HZ),
			  (uint64_t)((unsigned __int128)UINT64_MAX * PM_TIMER_HZ / GUEST_TICKS_PER_SECOND));
	/* Monotonic between wraps: a later tick never reads less. */
	for (uint64_t i = 0; i < 5000; i++)
		quiet_assert(pm_timer_count(i) <= pm_timer_count(i + 1), "tick %lu: %u, then %u", i, pm_timer_count(i),
			     pm_timer_count(i + 1));
}
END_TEST

START_TEST(test_pm_timer_port)
{
	build();
	ck_assert_str_eq(io_bus_find(&t.vm->bus, PM_TIMER_PORT)->dev->name, "pm-timer");
	t.vm->vcpu.guest_ticks = 3 * GUEST_TICKS_PER_SECOND + 250000; /* 3.25 s: 11633521.25 counts */
	ck_assert_uint_eq(io_bus_read(&t.vm->bus, PM_TIMER_PORT, 4), 11633521u);
	ck_assert_uint_eq(io_bus_read(&t.vm->bus, PM_TIMER_PORT, 2), 11633521u & 0xffff);
	ck_assert_uint_eq(io_bus_read(&t.vm->bus, PM_TIMER_PORT + 2, 1), (11633521u >> 16) & 0xff);
	io_bus_write(&t.vm->bus, PM_TIMER_PORT, 4, 0); /* read-only */
	ck_assert_uint_eq(io_bus_read(&t.vm->bus, PM_TIMER_PORT, 4), 11633521u);
	t.vm->vcpu.guest_ticks += GUEST_TICKS_PER_SECOND;
	ck_assert_uint_eq(io_bus_read(&t.vm->bus, PM_TIMER_PORT, 4), 11633521u + PM_TIMER_HZ);
}
END_TEST

static Suite *acpi_suite(void)
{
	Suite *s = suite_create("hv_acpi");
	TCase *tc = tcase_create("acpi");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_rsdp);
	tcase_add_test(tc, test_fadt_and_pm_timer_block);
	tcase_add_test(tc, test_madt_one_local_apic);
	tcase_add_test(tc, test_kernel_over_the_tables_refused);
	tcase_add_test(tc, test_checksum_rule);
	tcase_add_test(tc, test_pm_timer_arithmetic);
	tcase_add_test(tc, test_pm_timer_port);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(acpi_suite(), CK_NORMAL);
}
