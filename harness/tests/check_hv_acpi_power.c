/*
 * Unit tests of hypervisor/kernel/acpi.c (the hypervisor's own power-off; vm/acpi_tables.c,
 * the tables external kernels get, is check_hv_acpi's): the way to ACPI soft-off over crafted
 * firmware tables in a fake physical memory (ACPI 6.5 layouts), well-formed and
 * broken. Every refusal names what is wrong; no read leaves the fake memory (its
 * view refuses anything past it, and ASan watches the heap copies the AML scan
 * is given).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/acpi.h"
#include "run_suite.h"

#define MEM_SIZE 0x100000u /* the first MiB: the BIOS areas and our tables */
#define RSDP_AT 0xf0010u
#define EBDA_AT 0x9fc00u
#define RSDT_AT 0x80000u
#define XSDT_AT 0x81000u
#define FADT_AT 0x82000u
#define DSDT_AT 0x83000u
#define FADT_LEN 244 /* ACPI 5.0 and later */
#define PM1A 0x604
#define PM1B 0x608

static uint8_t *mem;

static const uint8_t *view(uint64_t phys, uint64_t len, void *ctx)
{
	(void)ctx;
	return phys <= MEM_SIZE && len <= MEM_SIZE - phys ? mem + phys : NULL;
}

static const struct acpi_memory memory = { view, NULL };

static void put16(uint32_t at, uint16_t v) { memcpy(mem + at, &v, 2); }
static void put32(uint32_t at, uint32_t v) { memcpy(mem + at, &v, 4); }
static void put64(uint32_t at, uint64_t v) { memcpy(mem + at, &v, 8); }

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

/* Set the checksum byte at `cks` so that the len bytes at `at` add up to 0. */
static void checksum(uint32_t at, uint32_t len, uint32_t cks)
{
	mem[cks] = 0;
	mem[cks] = (uint8_t)-sum(mem + at, len);
}

static void sdt_header(uint32_t at, const char *sig, uint32_t len)
{
	memset(mem + at, 0, len);
	memcpy(mem + at, sig, 4);
	put32(at + 4, len);
	mem[at + 8] = 2;
}

static void sdt_seal(uint32_t at)
{
	uint32_t len;
	memcpy(&len, mem + at + 4, 4);
	checksum(at, len, at + 9);
}

static void rsdp_v1(uint32_t at, uint32_t rsdt)
{
	memset(mem + at, 0, 20);
	memcpy(mem + at, "RSD PTR ", 8);
	put32(at + 16, rsdt);
	checksum(at, 20, at + 8);
}

static void rsdp_v2(uint32_t at, uint32_t rsdt, uint64_t xsdt)
{
	memset(mem + at, 0, 36);
	memcpy(mem + at, "RSD PTR ", 8);
	mem[at + 15] = 2;
	put32(at + 16, rsdt);
	put32(at + 20, 36);
	put64(at + 24, xsdt);
	checksum(at, 20, at + 8);
	checksum(at, 36, at + 32);
}

/* `Name (_S5, Package (4) { 5, 5, Zero, Zero })` as iasl writes it, with the root prefix when asked. */
static size_t s5_aml(uint8_t *out, int root)
{
	static const uint8_t pkg[] = { 0x12, 0x08, 0x04, 0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00 };
	size_t n = 0;
	out[n++] = 0x08;
	if (root)
		out[n++] = '\\';
	memcpy(out + n, "_S5_", 4);
	n += 4;
	memcpy(out + n, pkg, sizeof(pkg));
	return n + sizeof(pkg);
}

/* The DSDT: some unrelated AML (with a decoy "_S5_" that is not a name), then \_S5. */
static void dsdt(int root)
{
	uint8_t body[64];
	static const uint8_t decoy[] = { 0x10, 0x05, '_', 'S', '5', '_', 0x00, 0x5b, 0x80 };
	memcpy(body, decoy, sizeof(decoy));
	size_t n = sizeof(decoy) + s5_aml(body + sizeof(decoy), root);
	sdt_header(DSDT_AT, "DSDT", (uint32_t)(36 + n));
	memcpy(mem + DSDT_AT + 36, body, n);
	sdt_seal(DSDT_AT);
}

static void fadt(uint32_t len)
{
	sdt_header(FADT_AT, "FACP", len);
	put32(FADT_AT + 40, DSDT_AT);
	put32(FADT_AT + 48, 0xb2);
	mem[FADT_AT + 52] = 0xf1;
	put32(FADT_AT + 64, PM1A);
	mem[FADT_AT + 89] = 2;
	sdt_seal(FADT_AT);
}

static void rsdt(uint32_t entry)
{
	sdt_header(RSDT_AT, "RSDT", 36 + 8);
	put32(RSDT_AT + 36, 0x12345); /* nothing there: skipped */
	put32(RSDT_AT + 40, entry);
	sdt_seal(RSDT_AT);
}

/* An ACPI 1.0 machine: RSDP v1 in the BIOS area, RSDT, the 116-byte FADT, DSDT. */
static void acpi1_machine(void)
{
	memset(mem, 0, MEM_SIZE);
	dsdt(0);
	fadt(116);
	rsdt(FADT_AT);
	rsdp_v1(RSDP_AT, RSDT_AT);
}

static const char *find(struct acpi_s5 *s5)
{
	const uint8_t *rsdp;
	size_t len;
	const char *err = acpi_find_rsdp(&memory, NULL, 0, &rsdp, &len);
	return err ? err : acpi_find_s5(&memory, rsdp, len, s5);
}

static void setup(void)
{
	mem = calloc(1, MEM_SIZE);
	ck_assert_ptr_nonnull(mem);
}

static void teardown(void)
{
	free(mem);
}

START_TEST(test_acpi1_bios_area)
{
	acpi1_machine();
	struct acpi_s5 s5;
	ck_assert_ptr_null(find(&s5));
	ck_assert_uint_eq(s5.pm1a_cnt, PM1A);
	ck_assert_uint_eq(s5.pm1b_cnt, 0);
	ck_assert_uint_eq(s5.slp_typ_a, 5);
	ck_assert_uint_eq(s5.slp_typ_b, 5);
	ck_assert_uint_eq(s5.smi_cmd, 0xb2);
	ck_assert_uint_eq(s5.acpi_enable, 0xf1);
}
END_TEST

/* The EBDA's first KiB is searched before the BIOS area; a valid RSDP there wins. */
START_TEST(test_ebda_first)
{
	acpi1_machine();
	put16(0x40e, EBDA_AT >> 4);
	rsdp_v1(EBDA_AT + 0x30, 0x12345); /* points nowhere: proves this one was taken */
	struct acpi_s5 s5;
	ck_assert_str_eq(find(&s5), "neither a valid XSDT nor a valid RSDT");
	/* An RSDP off a 16-byte boundary is not one. */
	memset(mem + EBDA_AT, 0, 0x100);
	rsdp_v1(EBDA_AT + 0x38, 0x12345);
	ck_assert_ptr_null(find(&s5));
}
END_TEST

/* ACPI 2.0+: the loader's RSDP copy, the XSDT, the FADT's extended DSDT and PM1 blocks, a root-prefixed \_S5. */
START_TEST(test_acpi2_copy_xsdt_extended_fields)
{
	memset(mem, 0, MEM_SIZE);
	dsdt(1);
	sdt_header(FADT_AT, "FACP", FADT_LEN);
	put32(FADT_AT + 40, 0x12345); /* the 32-bit DSDT is wrong: X_DSDT wins */
	put64(FADT_AT + 140, DSDT_AT);
	mem[FADT_AT + 89] = 2;
	mem[FADT_AT + 172] = 1; /* X_PM1a_CNT_BLK: system I/O */
	put64(FADT_AT + 176, PM1A);
	mem[FADT_AT + 184] = 1;
	put64(FADT_AT + 188, PM1B);
	sdt_seal(FADT_AT);
	sdt_header(XSDT_AT, "XSDT", 36 + 8);
	put64(XSDT_AT + 36, FADT_AT);
	sdt_seal(XSDT_AT);
	rsdp_v2(0x70000, 0, XSDT_AT);
	uint8_t copy[36];
	memcpy(copy, mem + 0x70000, 36);
	memset(mem + 0x70000, 0, 36);

	const uint8_t *rsdp;
	size_t len;
	ck_assert_ptr_null(acpi_find_rsdp(&memory, copy, sizeof(copy), &rsdp, &len));
	ck_assert_ptr_eq(rsdp, copy);
	ck_assert_uint_eq(len, 36);
	struct acpi_s5 s5;
	ck_assert_ptr_null(acpi_find_s5(&memory, rsdp, len, &s5));
	ck_assert_uint_eq(s5.pm1a_cnt, PM1A);
	ck_assert_uint_eq(s5.pm1b_cnt, PM1B);
	ck_assert_uint_eq(s5.slp_typ_a, 5);
	ck_assert_uint_eq(s5.smi_cmd, 0);

	/* A broken XSDT: the RSDT the RSDP also names is used. */
	mem[XSDT_AT + 9]++;
	ck_assert_str_eq(acpi_find_s5(&memory, rsdp, len, &s5), "neither a valid XSDT nor a valid RSDT");
	rsdt(FADT_AT);
	rsdp_v2(0x70000, RSDT_AT, XSDT_AT);
	ck_assert_ptr_null(acpi_find_s5(&memory, mem + 0x70000, 36, &s5));
	ck_assert_uint_eq(s5.pm1b_cnt, PM1B);
}
END_TEST

START_TEST(test_bad_rsdp)
{
	acpi1_machine();
	const uint8_t *rsdp;
	size_t len;
	uint8_t copy[36];
	memcpy(copy, mem + RSDP_AT, 20);
	copy[19]++; /* checksum */
	ck_assert_str_eq(acpi_find_rsdp(&memory, copy, 20, &rsdp, &len),
			 "the RSDP the boot loader passed is not valid (signature, length or checksum)");
	ck_assert_ptr_nonnull(acpi_find_rsdp(&memory, copy, 8, &rsdp, &len)); /* too short a copy */
	/* A 2.0 RSDP whose length claims more than the copy holds. */
	rsdp_v2(0x70000, RSDT_AT, 0);
	put32(0x70000 + 20, 200);
	checksum(0x70000, 20, 0x70000 + 8);
	ck_assert_ptr_nonnull(acpi_find_rsdp(&memory, mem + 0x70000, 36, &rsdp, &len));
	/* None anywhere. */
	memset(mem + RSDP_AT, 0, 20);
	ck_assert_str_eq(acpi_find_rsdp(&memory, NULL, 0, &rsdp, &len),
			 "no RSDP: none from the boot loader, none in the EBDA or the BIOS area");
}
END_TEST

START_TEST(test_bad_tables)
{
	struct acpi_s5 s5;
	acpi1_machine();
	mem[RSDT_AT + 20]++;
	ck_assert_str_eq(find(&s5), "neither a valid XSDT nor a valid RSDT");

	acpi1_machine();
	put32(RSDT_AT + 4, MEM_SIZE); /* runs past memory: the view refuses it */
	ck_assert_str_eq(find(&s5), "neither a valid XSDT nor a valid RSDT");

	acpi1_machine();
	put32(RSDT_AT + 4, 0xffffffffu);
	ck_assert_str_eq(find(&s5), "neither a valid XSDT nor a valid RSDT");

	acpi1_machine();
	put32(RSDT_AT + 4, 20); /* shorter than its header */
	sdt_seal(RSDT_AT);
	ck_assert_str_eq(find(&s5), "neither a valid XSDT nor a valid RSDT");

	acpi1_machine();
	put32(RSDT_AT + 4, 36 + 7); /* the FADT's entry is cut: not read */
	sdt_seal(RSDT_AT);
	ck_assert_str_eq(find(&s5), "no valid FADT in the root table");

	acpi1_machine();
	mem[FADT_AT + 100]++;
	ck_assert_str_eq(find(&s5), "no valid FADT in the root table");

	acpi1_machine();
	rsdt(MEM_SIZE - 16); /* a header that would end past memory */
	ck_assert_str_eq(find(&s5), "no valid FADT in the root table");

	acpi1_machine();
	fadt(100);
	ck_assert_str_eq(find(&s5), "the FADT is too short");

	acpi1_machine();
	put32(FADT_AT + 64, 0);
	sdt_seal(FADT_AT);
	ck_assert_str_eq(find(&s5), "the FADT names no PM1a control block");

	acpi1_machine();
	mem[FADT_AT + 89] = 1;
	sdt_seal(FADT_AT);
	ck_assert_str_eq(find(&s5), "the FADT names no PM1a control block");

	acpi1_machine();
	put32(FADT_AT + 68, 0x10000);
	sdt_seal(FADT_AT);
	ck_assert_str_eq(find(&s5), "a PM1 control block of the FADT is not an I/O port");

	acpi1_machine();
	put32(FADT_AT + 48, 0x10000);
	sdt_seal(FADT_AT);
	ck_assert_str_eq(find(&s5), "the FADT's SMI command port is not an I/O port");

	acpi1_machine();
	mem[DSDT_AT + 40]++;
	ck_assert_str_eq(find(&s5), "the DSDT is missing or not valid");

	acpi1_machine();
	put32(FADT_AT + 40, 0);
	sdt_seal(FADT_AT);
	ck_assert_str_eq(find(&s5), "the DSDT is missing or not valid");
}
END_TEST

/* The extended PM1a block counts only in system I/O space and below 64 KiB. */
START_TEST(test_extended_pm1_not_io)
{
	struct acpi_s5 s5;
	acpi1_machine();
	fadt(FADT_LEN);
	put32(FADT_AT + 64, 0);
	mem[FADT_AT + 172] = 0; /* system memory */
	put64(FADT_AT + 176, PM1A);
	sdt_seal(FADT_AT);
	ck_assert_str_eq(find(&s5), "the FADT names no PM1a control block");
	mem[FADT_AT + 172] = 1;
	put64(FADT_AT + 176, 0x100000604ull);
	sdt_seal(FADT_AT);
	ck_assert_str_eq(find(&s5), "a PM1 control block of the FADT is not an I/O port");
}
END_TEST

/* acpi_aml_s5 over a heap copy of exactly n bytes, where ASan sees any read past them. */
static const char *aml_exact(const uint8_t *aml, size_t n, uint8_t *a, uint8_t *b)
{
	uint8_t *copy = malloc(n ? n : 1);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, aml, n);
	const char *err = acpi_aml_s5(copy, n, a, b);
	free(copy);
	return err;
}

START_TEST(test_aml_forms)
{
	uint8_t a, b;
	/* Zero/One elements, a 2-byte PkgLength, a word constant. */
	static const uint8_t ones[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x01, 0x00 };
	ck_assert_ptr_null(aml_exact(ones, sizeof(ones), &a, &b));
	ck_assert_uint_eq(a, 1);
	ck_assert_uint_eq(b, 0);
	static const uint8_t two_byte_len[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x4b, 0x00, 0x02, 0x0b, 0x07, 0x00, 0x0c,
						0x06, 0x00, 0x00, 0x00 };
	ck_assert_ptr_null(aml_exact(two_byte_len, sizeof(two_byte_len), &a, &b));
	ck_assert_uint_eq(a, 7);
	ck_assert_uint_eq(b, 6);
}
END_TEST

START_TEST(test_aml_refused)
{
	uint8_t a, b;
	ck_assert_str_eq(aml_exact((const uint8_t *)"", 0, &a, &b), "the DSDT defines no \\_S5 object");
	/* `_S5_` not after NameOp (a scope, a method call...). */
	static const uint8_t not_named[] = { 0x14, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x00, 0x00 };
	ck_assert_str_eq(aml_exact(not_named, sizeof(not_named), &a, &b), "the DSDT defines no \\_S5 object");
	static const uint8_t not_package[] = { 0x08, '_', 'S', '5', '_', 0x0a, 0x05 };
	ck_assert_str_eq(aml_exact(not_package, sizeof(not_package), &a, &b), "\\_S5 is not a package");
	static const uint8_t one_element[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x01, 0x0a, 0x05 };
	ck_assert_str_eq(aml_exact(one_element, sizeof(one_element), &a, &b),
			 "\\_S5's package does not start with two integers");
	static const uint8_t not_integers[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0d, 'x', 0x00 };
	ck_assert_str_eq(aml_exact(not_integers, sizeof(not_integers), &a, &b),
			 "\\_S5's package does not start with two integers");
	static const uint8_t too_big[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0a, 0x08, 0x00 };
	ck_assert_str_eq(aml_exact(too_big, sizeof(too_big), &a, &b), "\\_S5's sleep type does not fit SLP_TYP (3 bits)");
	static const uint8_t past_end[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x3f, 0x02, 0x00, 0x00 };
	ck_assert_str_eq(aml_exact(past_end, sizeof(past_end), &a, &b), "\\_S5's package runs past the table");
	/* A PkgLength that ends before its own elements: the elements are not read past it. */
	static const uint8_t short_len[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x03, 0x02, 0x0a, 0x05, 0x0a, 0x05 };
	ck_assert_str_eq(aml_exact(short_len, sizeof(short_len), &a, &b),
			 "\\_S5's package does not start with two integers");
}
END_TEST

/* Every prefix of a good \_S5 is refused with a sentence, and none is read past (ASan). */
START_TEST(test_aml_every_truncation)
{
	uint8_t aml[32], a, b;
	size_t n = s5_aml(aml, 1);
	ck_assert_ptr_null(aml_exact(aml, n, &a, &b));
	for (size_t cut = 0; cut < n; cut++)
		ck_assert_msg(aml_exact(aml, cut, &a, &b) != NULL, "%zu bytes accepted", cut);
}
END_TEST

START_TEST(test_pm1_sleep_value)
{
	/* SCI_EN and other bits kept, an old SLP_TYP replaced, SLP_EN set. */
	ck_assert_uint_eq(acpi_pm1_sleep_value(0x0001, 5), 0x0001 | 5 << 10 | 1 << 13);
	ck_assert_uint_eq(acpi_pm1_sleep_value(0x1c01, 0), 0x0001 | 1 << 13);
	ck_assert_uint_eq(acpi_pm1_sleep_value(0x0000, 7), 7 << 10 | 1 << 13);
}
END_TEST

static Suite *acpi_suite(void)
{
	Suite *s = suite_create("hv_acpi_power");
	TCase *good = tcase_create("well-formed");
	tcase_add_checked_fixture(good, setup, teardown);
	tcase_add_test(good, test_acpi1_bios_area);
	tcase_add_test(good, test_ebda_first);
	tcase_add_test(good, test_acpi2_copy_xsdt_extended_fields);
	tcase_add_test(good, test_aml_forms);
	tcase_add_test(good, test_pm1_sleep_value);
	suite_add_tcase(s, good);
	TCase *bad = tcase_create("malformed");
	tcase_add_checked_fixture(bad, setup, teardown);
	tcase_add_test(bad, test_bad_rsdp);
	tcase_add_test(bad, test_bad_tables);
	tcase_add_test(bad, test_extended_pm1_not_io);
	tcase_add_test(bad, test_aml_refused);
	tcase_add_test(bad, test_aml_every_truncation);
	suite_add_tcase(s, bad);
	return s;
}

int main(void)
{
	return run_suite(acpi_suite(), CK_NORMAL);
}
