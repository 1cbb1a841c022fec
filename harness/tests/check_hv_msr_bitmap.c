/*
 * Unit tests of hypervisor/vmx/msr_bitmap.c against SDM Vol. 3C 25.6.9: the
 * 4 KiB MSR bitmap is four 1 KiB regions,
 *   0x000 read bitmap for low MSRs  (00000000H-00001FFFH)
 *   0x400 read bitmap for high MSRs (C0000000H-C0001FFFH)
 *   0x800 write bitmap for low MSRs
 *   0xC00 write bitmap for high MSRs
 * MSR m's bit is bit m%8 of byte (m & 0x1FFF)/8 of its region; and (26.1.3)
 * RDMSR/WRMSR of an MSR outside both ranges always exits. The page has a
 * canary page after it so a write past 4 KiB shows.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quiet_assert.h"
#include "run_suite.h"
#include "vmx/msr_bitmap.h"

#define CANARY 0xc3
enum { READ_LOW = 0x000, READ_HIGH = 0x400, WRITE_LOW = 0x800, WRITE_HIGH = 0xc00 };
#define RD false
#define WR true

static uint8_t *page;

static void setup(void)
{
	page = malloc(2 * MSR_BITMAP_BYTES);
	ck_assert_ptr_nonnull(page);
	memset(page, 0, MSR_BITMAP_BYTES);
	memset(page + MSR_BITMAP_BYTES, CANARY, MSR_BITMAP_BYTES);
}

static void teardown(void)
{
	for (size_t i = MSR_BITMAP_BYTES; i < 2 * MSR_BITMAP_BYTES; i++)
		quiet_assert_uint_eq(page[i], CANARY, "guard byte 0x%zx after the page", i - MSR_BITMAP_BYTES);
	free(page);
}

static unsigned popcount_page(void)
{
	unsigned n = 0;
	for (size_t i = 0; i < MSR_BITMAP_BYTES; i++)
		n += (unsigned)__builtin_popcount(page[i]);
	return n;
}

/* Bit of msr in the region at byte offset `region`, read straight from the page. */
static int sdm_bit(unsigned region, uint32_t msr)
{
	return (page[region + (msr & 0x1fff) / 8] >> (msr % 8)) & 1;
}

/* --- covers ---------------------------------------------------------------------------- */

START_TEST(test_covers)
{
	static const uint32_t yes[] = { 0, 1, 0x10, 0x1b, 0x174, 0x277, 0x1fff,
					0xc0000000u, 0xc0000080u, 0xc0000100u, 0xc0000103u, 0xc0001fffu };
	static const uint32_t no[] = { 0x2000, 0x2001, 0x40000000u, 0x40000001u, 0x80000000u, 0xbfffffffu,
				       0xc0002000u, 0xc0010000u, 0xc0011000u, 0xffffffffu, 0x3fff };
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		ck_assert_msg(msr_bitmap_covers(yes[i]), "0x%x not covered", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		ck_assert_msg(!msr_bitmap_covers(no[i]), "0x%x covered", no[i]);
}
END_TEST

/* --- layout ---------------------------------------------------------------------------- */

static void check_one(uint32_t msr, unsigned read_region, unsigned write_region)
{
	memset(page, 0, MSR_BITMAP_BYTES);
	/* Read only: exactly the read bit. */
	ck_assert(msr_bitmap_set(page, msr, MSR_BITMAP_READ, true));
	ck_assert_uint_eq(popcount_page(), 1);
	ck_assert_msg(sdm_bit(read_region, msr), "msr 0x%x: read bit not at region 0x%x", msr, read_region);
	ck_assert(msr_bitmap_access_exits(page, msr, RD));
	ck_assert(!msr_bitmap_access_exits(page, msr, WR));
	/* Write too: the write bit, the read bit kept. */
	ck_assert(msr_bitmap_set(page, msr, MSR_BITMAP_WRITE, true));
	ck_assert_uint_eq(popcount_page(), 2);
	ck_assert_msg(sdm_bit(write_region, msr), "msr 0x%x: write bit not at region 0x%x", msr, write_region);
	ck_assert(msr_bitmap_access_exits(page, msr, WR));
	ck_assert(msr_bitmap_access_exits(page, msr, RD));
	/* Pass the read only: the write stays intercepted. */
	ck_assert(msr_bitmap_set(page, msr, MSR_BITMAP_READ, false));
	ck_assert_uint_eq(popcount_page(), 1);
	ck_assert(!sdm_bit(read_region, msr));
	ck_assert(!msr_bitmap_access_exits(page, msr, RD));
	ck_assert(msr_bitmap_access_exits(page, msr, WR));
	/* Both at once. */
	ck_assert(msr_bitmap_set(page, msr, MSR_BITMAP_READ | MSR_BITMAP_WRITE, true));
	ck_assert_uint_eq(popcount_page(), 2);
	ck_assert(sdm_bit(read_region, msr) && sdm_bit(write_region, msr));
	ck_assert(msr_bitmap_set(page, msr, MSR_BITMAP_READ | MSR_BITMAP_WRITE, false));
	ck_assert_uint_eq(popcount_page(), 0);
	ck_assert(!msr_bitmap_access_exits(page, msr, RD));
	ck_assert(!msr_bitmap_access_exits(page, msr, WR));
}

START_TEST(test_msr_0)
{
	check_one(0, READ_LOW, WRITE_LOW);
	ck_assert(msr_bitmap_set(page, 0, MSR_BITMAP_READ | MSR_BITMAP_WRITE, true));
	ck_assert_uint_eq(page[READ_LOW], 0x01);
	ck_assert_uint_eq(page[WRITE_LOW], 0x01);
	ck_assert_uint_eq(page[READ_HIGH], 0);  /* not 0xC0000000 */
	ck_assert_uint_eq(page[WRITE_HIGH], 0);
	ck_assert(!msr_bitmap_access_exits(page, 0xc0000000u, RD));
	ck_assert(!msr_bitmap_access_exits(page, 0xc0000000u, WR));
}
END_TEST

START_TEST(test_msr_1fff)
{
	check_one(0x1fff, READ_LOW, WRITE_LOW);
	ck_assert(msr_bitmap_set(page, 0x1fff, MSR_BITMAP_READ | MSR_BITMAP_WRITE, true));
	ck_assert_uint_eq(page[READ_LOW + 0x3ff], 0x80);  /* last byte of read-low */
	ck_assert_uint_eq(page[WRITE_LOW + 0x3ff], 0x80); /* last byte of write-low */
	ck_assert_uint_eq(page[READ_HIGH + 0x3ff], 0);
	ck_assert_uint_eq(popcount_page(), 2);
}
END_TEST

START_TEST(test_msr_c0000000)
{
	check_one(0xc0000000u, READ_HIGH, WRITE_HIGH);
	ck_assert(msr_bitmap_set(page, 0xc0000000u, MSR_BITMAP_READ | MSR_BITMAP_WRITE, true));
	ck_assert_uint_eq(page[READ_HIGH], 0x01);
	ck_assert_uint_eq(page[WRITE_HIGH], 0x01);
	ck_assert_uint_eq(page[READ_LOW], 0); /* not MSR 0 */
	ck_assert(!msr_bitmap_access_exits(page, 0, RD));
}
END_TEST

START_TEST(test_msr_c0001fff)
{
	check_one(0xc0001fffu, READ_HIGH, WRITE_HIGH);
	ck_assert(msr_bitmap_set(page, 0xc0001fffu, MSR_BITMAP_READ | MSR_BITMAP_WRITE, true));
	ck_assert_uint_eq(page[READ_HIGH + 0x3ff], 0x80);
	ck_assert_uint_eq(page[MSR_BITMAP_BYTES - 1], 0x80); /* the very last bit of the page */
	ck_assert_uint_eq(popcount_page(), 2);
}
END_TEST

START_TEST(test_common_msrs)
{
	check_one(0x1b, READ_LOW, WRITE_LOW);          /* IA32_APIC_BASE */
	check_one(0x277, READ_LOW, WRITE_LOW);         /* IA32_PAT */
	check_one(0xc0000080u, READ_HIGH, WRITE_HIGH); /* EFER */
	check_one(0xc0000100u, READ_HIGH, WRITE_HIGH); /* FS_BASE */
	check_one(0xc0000101u, READ_HIGH, WRITE_HIGH); /* GS_BASE */
	/* FS_BASE is bit 0 of byte 0x20 in the high regions. */
	ck_assert(msr_bitmap_set(page, 0xc0000100u, MSR_BITMAP_WRITE, true));
	ck_assert_uint_eq(page[WRITE_HIGH + 0x20], 0x01);
	ck_assert(msr_bitmap_set(page, 0xc0000101u, MSR_BITMAP_READ, true));
	ck_assert_uint_eq(page[READ_HIGH + 0x20], 0x02);
	ck_assert_uint_eq(popcount_page(), 2);
}
END_TEST

START_TEST(test_every_covered_msr)
{
	/* Each covered MSR, each direction alone, hits exactly its own bit. */
	for (int high = 0; high < 2; high++) {
		for (uint32_t i = 0; i <= 0x1fff; i++) {
			uint32_t msr = (high ? 0xc0000000u : 0) | i;
			for (int w = 0; w < 2; w++) {
				unsigned region = (high ? 0x400u : 0u) + (w ? 0x800u : 0u);
				const char *dir = w ? "write" : "read";
				quiet_assert(msr_bitmap_set(page, msr, w ? MSR_BITMAP_WRITE : MSR_BITMAP_READ, true),
					     "MSR 0x%x %s", msr, dir);
				quiet_assert_uint_eq(page[region + i / 8], 1u << (i % 8), "MSR 0x%x %s", msr, dir);
				quiet_assert(msr_bitmap_access_exits(page, msr, w), "MSR 0x%x %s", msr, dir);
				quiet_assert(!msr_bitmap_access_exits(page, msr, !w), "MSR 0x%x %s", msr, dir);
				quiet_assert(msr_bitmap_set(page, msr, w ? MSR_BITMAP_WRITE : MSR_BITMAP_READ, false),
					     "MSR 0x%x %s", msr, dir);
				quiet_assert_uint_eq(page[region + i / 8], 0, "MSR 0x%x %s", msr, dir);
			}
		}
	}
	ck_assert_uint_eq(popcount_page(), 0);
}
END_TEST

START_TEST(test_regions_independent)
{
	/* Set each whole region by hand: access_exits reads only the one region it should. */
	static const unsigned regions[] = { READ_LOW, READ_HIGH, WRITE_LOW, WRITE_HIGH };
	for (size_t r = 0; r < 4; r++) {
		memset(page, 0, MSR_BITMAP_BYTES);
		memset(page + regions[r], 0xff, 0x400);
		ck_assert_int_eq(msr_bitmap_access_exits(page, 0x10, RD), regions[r] == READ_LOW);
		ck_assert_int_eq(msr_bitmap_access_exits(page, 0x10, WR), regions[r] == WRITE_LOW);
		ck_assert_int_eq(msr_bitmap_access_exits(page, 0xc0000080u, RD), regions[r] == READ_HIGH);
		ck_assert_int_eq(msr_bitmap_access_exits(page, 0xc0000080u, WR), regions[r] == WRITE_HIGH);
		ck_assert_int_eq(msr_bitmap_access_exits(page, 0x1fff, WR), regions[r] == WRITE_LOW);
		ck_assert_int_eq(msr_bitmap_access_exits(page, 0xc0001fffu, RD), regions[r] == READ_HIGH);
	}
	/* And all but one bit: that one passes. */
	memset(page, 0xff, MSR_BITMAP_BYTES);
	ck_assert(msr_bitmap_set(page, 0xc0000080u, MSR_BITMAP_WRITE, false));
	ck_assert(!msr_bitmap_access_exits(page, 0xc0000080u, WR));
	ck_assert(msr_bitmap_access_exits(page, 0xc0000080u, RD));
	ck_assert(msr_bitmap_access_exits(page, 0x80, WR)); /* same bit, low region */
	ck_assert(msr_bitmap_access_exits(page, 0xc0000081u, WR));
	ck_assert_uint_eq(page[WRITE_HIGH + 0x10], 0xfe);
	ck_assert_uint_eq(popcount_page(), 8 * MSR_BITMAP_BYTES - 1);
}
END_TEST

/* --- MSRs it cannot cover ---------------------------------------------------------------- */

START_TEST(test_uncovered_always_exit)
{
	static const uint32_t out[] = { 0x2000, 0xc0002000u, 0x40000000u, 0x40000002u, 0xbfffffffu, 0xffffffffu };
	/* An all-zero page passes every covered MSR, but not these. */
	for (size_t i = 0; i < sizeof(out) / sizeof(out[0]); i++) {
		ck_assert_msg(msr_bitmap_access_exits(page, out[i], RD), "rdmsr 0x%x passes", out[i]);
		ck_assert_msg(msr_bitmap_access_exits(page, out[i], WR), "wrmsr 0x%x passes", out[i]);
	}
	ck_assert(!msr_bitmap_access_exits(page, 0x1fff, RD));
	ck_assert(!msr_bitmap_access_exits(page, 0xc0001fffu, WR));
}
END_TEST

START_TEST(test_uncovered_set_refused)
{
	static const uint32_t out[] = { 0x2000, 0xc0002000u, 0x40000000u, 0x40000001u, 0xffffffffu, 0xbfffffffu };
	for (size_t i = 0; i < MSR_BITMAP_BYTES; i++)
		page[i] = (uint8_t)(i * 13 + 5);
	uint8_t save[MSR_BITMAP_BYTES];
	memcpy(save, page, sizeof(save));
	for (size_t i = 0; i < sizeof(out) / sizeof(out[0]); i++)
		for (unsigned which = 1; which <= 3; which++)
			for (int intercept = 0; intercept < 2; intercept++) {
				ck_assert_msg(!msr_bitmap_set(page, out[i], which, intercept), "set 0x%x accepted", out[i]);
				ck_assert_mem_eq(page, save, sizeof(save));
			}
	/* 0x2000 and 0xC0002000 alias 0 and 0xC0000000 if masked: those bits must be untouched. */
	memset(page, 0, MSR_BITMAP_BYTES);
	ck_assert(!msr_bitmap_set(page, 0x2000, MSR_BITMAP_READ | MSR_BITMAP_WRITE, true));
	ck_assert(!msr_bitmap_set(page, 0xc0002000u, MSR_BITMAP_READ | MSR_BITMAP_WRITE, true));
	ck_assert(!msr_bitmap_set(page, 0x40000000u, MSR_BITMAP_READ | MSR_BITMAP_WRITE, true));
	ck_assert_uint_eq(popcount_page(), 0);
}
END_TEST

START_TEST(test_bad_which)
{
	memset(page, 0x00, MSR_BITMAP_BYTES);
	static const unsigned bad[] = { 4, 5, 7, 8, 0x10, 0x80000000u, 0xffffffffu, 0x103 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(!msr_bitmap_set(page, 0x10, bad[i], true), "which 0x%x accepted", bad[i]);
		ck_assert_msg(!msr_bitmap_set(page, 0xc0000100u, bad[i], true), "which 0x%x accepted", bad[i]);
	}
	ck_assert_uint_eq(popcount_page(), 0);
	memset(page, 0xff, MSR_BITMAP_BYTES);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert(!msr_bitmap_set(page, 0x10, bad[i], false));
	ck_assert_uint_eq(popcount_page(), 8 * MSR_BITMAP_BYTES);
	/* which = 0 names no access: accepted, nothing changes. */
	ck_assert(msr_bitmap_set(page, 0x10, 0, false));
	ck_assert_uint_eq(popcount_page(), 8 * MSR_BITMAP_BYTES);
}
END_TEST

static Suite *msr_bitmap_suite(void)
{
	Suite *s = suite_create("hv_msr_bitmap");
	TCase *c = tcase_create("covers");
	tcase_add_test(c, test_covers);
	suite_add_tcase(s, c);
	TCase *l = tcase_create("layout");
	tcase_add_checked_fixture(l, setup, teardown);
	tcase_add_test(l, test_msr_0);
	tcase_add_test(l, test_msr_1fff);
	tcase_add_test(l, test_msr_c0000000);
	tcase_add_test(l, test_msr_c0001fff);
	tcase_add_test(l, test_common_msrs);
	tcase_add_test(l, test_every_covered_msr);
	tcase_add_test(l, test_regions_independent);
	suite_add_tcase(s, l);
	TCase *u = tcase_create("refused");
	tcase_add_checked_fixture(u, setup, teardown);
	tcase_add_test(u, test_uncovered_always_exit);
	tcase_add_test(u, test_uncovered_set_refused);
	tcase_add_test(u, test_bad_which);
	suite_add_tcase(s, u);
	return s;
}

int main(void)
{
	return run_suite(msr_bitmap_suite(), CK_NORMAL);
}
