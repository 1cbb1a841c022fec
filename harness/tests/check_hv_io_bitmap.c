/*
 * Unit tests of hypervisor/vmx/io_bitmap.c against the SDM (Vol. 3C):
 *  - 25.6.4: I/O bitmap A holds one bit per port 0000H-7FFFH, bitmap B one per
 *    port 8000H-FFFFH, each 4 KiB; port p is bit p%8 of byte (p & 0x7FFF)/8.
 *  - 26.1.3: with "use I/O bitmaps", an I/O instruction exits if any bit for a
 *    port it accesses is 1, and always if the access wraps past FFFFH to 0000H.
 * The two pages are separate host buffers, each with a guard page of canaries
 * after it, so a write past 4 KiB or into the wrong page shows.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quiet_assert.h"
#include "run_suite.h"
#include "vmx/io_bitmap.h"

#define CANARY 0x5a

static uint8_t *buf_a, *buf_b; /* two bitmap pages plus one canary page each */
static struct io_bitmaps bm;

static void setup(void)
{
	buf_a = malloc(2 * IO_BITMAP_BYTES);
	buf_b = malloc(2 * IO_BITMAP_BYTES);
	ck_assert(buf_a && buf_b);
	memset(buf_a, 0, IO_BITMAP_BYTES);
	memset(buf_b, 0, IO_BITMAP_BYTES);
	memset(buf_a + IO_BITMAP_BYTES, CANARY, IO_BITMAP_BYTES);
	memset(buf_b + IO_BITMAP_BYTES, CANARY, IO_BITMAP_BYTES);
	bm.a = buf_a;
	bm.b = buf_b;
}

static void teardown(void)
{
	/* No test may write past either page. */
	for (size_t i = IO_BITMAP_BYTES; i < 2 * IO_BITMAP_BYTES; i++) {
		quiet_assert_uint_eq(buf_a[i], CANARY, "guard byte 0x%zx after page A", i - IO_BITMAP_BYTES);
		quiet_assert_uint_eq(buf_b[i], CANARY, "guard byte 0x%zx after page B", i - IO_BITMAP_BYTES);
	}
	free(buf_a);
	free(buf_b);
}

/* The bit the SDM assigns to port p, read straight from the pages. */
static int sdm_bit(uint16_t p)
{
	const uint8_t *page = p < 0x8000 ? buf_a : buf_b;
	return (page[(p & 0x7fff) / 8] >> (p % 8)) & 1;
}

/* Number of set bits over both pages. */
static unsigned popcount_pages(void)
{
	unsigned n = 0;
	for (size_t i = 0; i < IO_BITMAP_BYTES; i++)
		n += (unsigned)__builtin_popcount(buf_a[i]) + (unsigned)__builtin_popcount(buf_b[i]);
	return n;
}

static void fill_pages(uint8_t v)
{
	memset(buf_a, v, IO_BITMAP_BYTES);
	memset(buf_b, v, IO_BITMAP_BYTES);
}

/* --- layout ---------------------------------------------------------------------------- */

START_TEST(test_port_zero)
{
	ck_assert(!io_bitmap_intercepts(&bm, 0));
	ck_assert(io_bitmap_set(&bm, 0, 1, true));
	ck_assert_uint_eq(buf_a[0], 0x01);
	ck_assert_uint_eq(popcount_pages(), 1);
	ck_assert(io_bitmap_intercepts(&bm, 0));
	ck_assert(!io_bitmap_intercepts(&bm, 1));
	ck_assert(!io_bitmap_intercepts(&bm, 0x8000)); /* the same bit position in B */
	ck_assert(io_bitmap_set(&bm, 0, 1, false));
	ck_assert_uint_eq(popcount_pages(), 0);
	ck_assert(!io_bitmap_intercepts(&bm, 0));
}
END_TEST

START_TEST(test_a_b_boundary)
{
	/* 0x7FFF is the last bit of A, 0x8000 the first of B. */
	ck_assert(io_bitmap_set(&bm, 0x7fff, 1, true));
	ck_assert_uint_eq(buf_a[IO_BITMAP_BYTES - 1], 0x80);
	ck_assert_uint_eq(buf_b[0], 0);
	ck_assert_uint_eq(popcount_pages(), 1);
	ck_assert(io_bitmap_intercepts(&bm, 0x7fff));
	ck_assert(!io_bitmap_intercepts(&bm, 0x8000));
	ck_assert(!io_bitmap_intercepts(&bm, 0xffff)); /* B's last bit: same byte/bit offset */

	ck_assert(io_bitmap_set(&bm, 0x8000, 1, true));
	ck_assert_uint_eq(buf_b[0], 0x01);
	ck_assert_uint_eq(buf_a[0], 0); /* not A's port 0 */
	ck_assert(io_bitmap_intercepts(&bm, 0x8000));
	ck_assert(!io_bitmap_intercepts(&bm, 0));

	/* A range across the boundary sets bits in both pages. */
	ck_assert(io_bitmap_set(&bm, 0x7fff, 2, false));
	ck_assert_uint_eq(popcount_pages(), 0);
	ck_assert(io_bitmap_set(&bm, 0x7ffc, 8, true));
	ck_assert_uint_eq(buf_a[IO_BITMAP_BYTES - 1], 0xf0);
	ck_assert_uint_eq(buf_b[0], 0x0f);
	ck_assert_uint_eq(popcount_pages(), 8);
}
END_TEST

START_TEST(test_port_ffff)
{
	ck_assert(io_bitmap_set(&bm, 0xffff, 1, true));
	ck_assert_uint_eq(buf_b[IO_BITMAP_BYTES - 1], 0x80);
	ck_assert_uint_eq(buf_a[IO_BITMAP_BYTES - 1], 0);
	ck_assert_uint_eq(popcount_pages(), 1);
	ck_assert(io_bitmap_intercepts(&bm, 0xffff));
	ck_assert(!io_bitmap_intercepts(&bm, 0x7fff));
	ck_assert(!io_bitmap_intercepts(&bm, 0xfffe));
}
END_TEST

START_TEST(test_bit_layout_every_port)
{
	/* Each port alone maps to exactly its SDM bit, set and cleared. */
	for (uint32_t p = 0; p <= 0xffff; p++) {
		quiet_assert(io_bitmap_set(&bm, (uint16_t)p, 1, true), "port 0x%x", p);
		quiet_assert(sdm_bit((uint16_t)p), "port 0x%x: SDM bit not set", p);
		const uint8_t *page = p < 0x8000 ? buf_a : buf_b;
		quiet_assert_uint_eq(page[(p & 0x7fff) / 8], 1u << (p % 8), "port 0x%x", p);
		quiet_assert(io_bitmap_intercepts(&bm, (uint16_t)p), "port 0x%x", p);
		quiet_assert(io_bitmap_set(&bm, (uint16_t)p, 1, false), "port 0x%x", p);
		quiet_assert(!sdm_bit((uint16_t)p), "port 0x%x: SDM bit not cleared", p);
		quiet_assert(!io_bitmap_intercepts(&bm, (uint16_t)p), "port 0x%x", p);
	}
	ck_assert_uint_eq(popcount_pages(), 0);
}
END_TEST

START_TEST(test_intercepts_reads_sdm_bits)
{
	/* io_bitmap_intercepts reads the SDM layout written by someone else (the hardware's view). */
	buf_a[0x3f8 / 8] = 1u << (0x3f8 % 8);
	buf_b[(0xc000 & 0x7fff) / 8] = 1u << (0xc000 % 8);
	for (uint32_t p = 0; p <= 0xffff; p++)
		quiet_assert_uint_eq(io_bitmap_intercepts(&bm, (uint16_t)p), p == 0x3f8 || p == 0xc000, "port 0x%x", p);
	/* Every bit set: every port intercepted. */
	fill_pages(0xff);
	for (uint32_t p = 0; p <= 0xffff; p++)
		quiet_assert(io_bitmap_intercepts(&bm, (uint16_t)p), "port 0x%x", p);
}
END_TEST

/* --- ranges ---------------------------------------------------------------------------- */

START_TEST(test_set_range_exact)
{
	ck_assert(io_bitmap_set(&bm, 0x5000, 16, true));
	ck_assert_uint_eq(popcount_pages(), 16);
	ck_assert(!io_bitmap_intercepts(&bm, 0x4fff));
	for (uint16_t p = 0x5000; p < 0x5010; p++)
		ck_assert(io_bitmap_intercepts(&bm, p));
	ck_assert(!io_bitmap_intercepts(&bm, 0x5010));
	/* Passing a sub-range clears only those bits. */
	ck_assert(io_bitmap_set(&bm, 0x5003, 5, false));
	ck_assert_uint_eq(popcount_pages(), 11);
	for (uint16_t p = 0x5000; p < 0x5010; p++)
		ck_assert_int_eq(io_bitmap_intercepts(&bm, p), p < 0x5003 || p >= 0x5008);
}
END_TEST

START_TEST(test_pass_leaves_neighbours)
{
	fill_pages(0xff);
	ck_assert(io_bitmap_set(&bm, 0x80, 1, false));
	ck_assert_uint_eq(popcount_pages(), 2 * 8 * IO_BITMAP_BYTES - 1);
	ck_assert(!io_bitmap_intercepts(&bm, 0x80));
	ck_assert(io_bitmap_intercepts(&bm, 0x7f));
	ck_assert(io_bitmap_intercepts(&bm, 0x81));
	ck_assert_uint_eq(buf_a[0x80 / 8], 0xfe);
}
END_TEST

START_TEST(test_whole_space)
{
	ck_assert(io_bitmap_set(&bm, 0, 0x10000, true));
	ck_assert_uint_eq(popcount_pages(), 2 * 8 * IO_BITMAP_BYTES);
	ck_assert(io_bitmap_set(&bm, 0, 0x10000, false));
	ck_assert_uint_eq(popcount_pages(), 0);
	/* Ending exactly at 0xFFFF is fine. */
	ck_assert(io_bitmap_set(&bm, 0xfff0, 0x10, true));
	ck_assert_uint_eq(popcount_pages(), 16);
	ck_assert(io_bitmap_intercepts(&bm, 0xffff));
	ck_assert(!io_bitmap_intercepts(&bm, 0xffef));
	ck_assert(!io_bitmap_intercepts(&bm, 0)); /* no wrap into port 0 */
}
END_TEST

START_TEST(test_range_past_ffff_refused)
{
	static const struct { uint16_t first; uint32_t count; } bad[] = {
		{ 0xffff, 2 }, { 0xfff0, 0x11 }, { 0x0001, 0x10000 }, { 0x8000, 0x8001 },
		{ 0, 0x10001 }, { 0xffff, UINT32_MAX }, { 0, UINT32_MAX }, { 0x1234, 0xfffffff0u },
	};
	for (int intercept = 0; intercept < 2; intercept++) {
		/* Start from a pattern so that neither setting nor clearing could go unnoticed. */
		for (size_t i = 0; i < IO_BITMAP_BYTES; i++) {
			buf_a[i] = (uint8_t)(i * 37 + 1);
			buf_b[i] = (uint8_t)(i * 91 + 7);
		}
		uint8_t *save_a = malloc(IO_BITMAP_BYTES), *save_b = malloc(IO_BITMAP_BYTES);
		ck_assert(save_a && save_b);
		memcpy(save_a, buf_a, IO_BITMAP_BYTES);
		memcpy(save_b, buf_b, IO_BITMAP_BYTES);
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			ck_assert_msg(!io_bitmap_set(&bm, bad[i].first, bad[i].count, intercept),
				      "first 0x%x count 0x%x accepted", bad[i].first, bad[i].count);
			ck_assert_mem_eq(buf_a, save_a, IO_BITMAP_BYTES);
			ck_assert_mem_eq(buf_b, save_b, IO_BITMAP_BYTES);
		}
		free(save_a);
		free(save_b);
	}
}
END_TEST

START_TEST(test_count_zero)
{
	/* An empty range is valid and changes nothing, even at 0xFFFF. */
	fill_pages(0xa5);
	ck_assert(io_bitmap_set(&bm, 0x1234, 0, false));
	ck_assert(io_bitmap_set(&bm, 0xffff, 0, true));
	ck_assert(io_bitmap_set(&bm, 0, 0, false));
	for (size_t i = 0; i < IO_BITMAP_BYTES; i++) {
		quiet_assert_uint_eq(buf_a[i], 0xa5, "page A byte 0x%zx", i);
		quiet_assert_uint_eq(buf_b[i], 0xa5, "page B byte 0x%zx", i);
	}
}
END_TEST

/* --- access_exits (SDM 26.1.3) --------------------------------------------------------- */

START_TEST(test_access_exits_single)
{
	for (unsigned size = 1; size <= 4; size *= 2)
		ck_assert(!io_bitmap_access_exits(&bm, 0x3f8, size));
	ck_assert(io_bitmap_set(&bm, 0x3f8, 1, true));
	ck_assert(io_bitmap_access_exits(&bm, 0x3f8, 1));
	ck_assert(io_bitmap_access_exits(&bm, 0x3f8, 2));
	ck_assert(io_bitmap_access_exits(&bm, 0x3f8, 4));
	ck_assert(!io_bitmap_access_exits(&bm, 0x3f9, 1));
	ck_assert(!io_bitmap_access_exits(&bm, 0x3f7, 1));
	/* Port 0 and 0xFFFF on their own. */
	ck_assert(!io_bitmap_access_exits(&bm, 0, 4));
	ck_assert(!io_bitmap_access_exits(&bm, 0xffff, 1));
	ck_assert(io_bitmap_set(&bm, 0xffff, 1, true));
	ck_assert(io_bitmap_access_exits(&bm, 0xffff, 1));
}
END_TEST

START_TEST(test_access_straddles_intercepted_and_passed)
{
	/* 0x5001 intercepted, its neighbours passed: any access touching it exits. */
	ck_assert(io_bitmap_set(&bm, 0x5001, 1, true));
	ck_assert(!io_bitmap_access_exits(&bm, 0x5000, 1));
	ck_assert(io_bitmap_access_exits(&bm, 0x5000, 2)); /* 0x5000-0x5001 */
	ck_assert(io_bitmap_access_exits(&bm, 0x5001, 2)); /* 0x5001-0x5002 */
	ck_assert(!io_bitmap_access_exits(&bm, 0x5002, 2));
	ck_assert(!io_bitmap_access_exits(&bm, 0x4fff, 2)); /* 0x4fff-0x5000 */
	ck_assert(io_bitmap_access_exits(&bm, 0x4ffe, 4));  /* 0x4ffe-0x5001: the last byte */
	ck_assert(!io_bitmap_access_exits(&bm, 0x4ffd, 4)); /* 0x4ffd-0x5000 */
	ck_assert(io_bitmap_access_exits(&bm, 0x5001, 4));
	ck_assert(!io_bitmap_access_exits(&bm, 0x5002, 4));

	/* Across the A/B boundary: the intercepted port may be in either page. */
	ck_assert(io_bitmap_set(&bm, 0x8000, 1, true));
	ck_assert(!io_bitmap_access_exits(&bm, 0x7ffe, 2));
	ck_assert(io_bitmap_access_exits(&bm, 0x7fff, 2));
	ck_assert(io_bitmap_access_exits(&bm, 0x7ffd, 4));
	ck_assert(!io_bitmap_access_exits(&bm, 0x7ffc, 4));
	ck_assert(io_bitmap_set(&bm, 0x8000, 1, false));
	ck_assert(io_bitmap_set(&bm, 0x7fff, 1, true));
	ck_assert(io_bitmap_access_exits(&bm, 0x7fff, 2));
	ck_assert(io_bitmap_access_exits(&bm, 0x7ffe, 2));
	ck_assert(!io_bitmap_access_exits(&bm, 0x8000, 4));
}
END_TEST

START_TEST(test_wrap_always_exits)
{
	/* Nothing intercepted: a wrapping access still exits (SDM 26.1.3). */
	ck_assert(io_bitmap_access_exits(&bm, 0xffff, 2)); /* 0xFFFF, 0x0000 */
	ck_assert(io_bitmap_access_exits(&bm, 0xfffe, 4)); /* 0xFFFE, 0xFFFF, 0x0000, 0x0001 */
	ck_assert(io_bitmap_access_exits(&bm, 0xfffd, 4));
	ck_assert(io_bitmap_access_exits(&bm, 0xffff, 4));
	/* The largest non-wrapping accesses do not. */
	ck_assert(!io_bitmap_access_exits(&bm, 0xfffc, 4));
	ck_assert(!io_bitmap_access_exits(&bm, 0xfffe, 2));
	ck_assert(!io_bitmap_access_exits(&bm, 0xffff, 1));
	/* Intercepting port 0 is not what makes the wrap exit: pass all, still exits. */
	ck_assert(io_bitmap_set(&bm, 0, 0x10000, false));
	ck_assert(io_bitmap_access_exits(&bm, 0xffff, 2));
}
END_TEST

START_TEST(test_access_exits_reads_only)
{
	fill_pages(0x00);
	buf_a[0] = 0x0f;
	(void)io_bitmap_access_exits(&bm, 0, 4);
	(void)io_bitmap_access_exits(&bm, 0xffff, 2);
	(void)io_bitmap_intercepts(&bm, 0x7fff);
	ck_assert_uint_eq(buf_a[0], 0x0f);
	ck_assert_uint_eq(popcount_pages(), 4);
}
END_TEST

static Suite *io_bitmap_suite(void)
{
	Suite *s = suite_create("hv_io_bitmap");
	TCase *l = tcase_create("layout");
	tcase_add_checked_fixture(l, setup, teardown);
	tcase_add_test(l, test_port_zero);
	tcase_add_test(l, test_a_b_boundary);
	tcase_add_test(l, test_port_ffff);
	tcase_add_test(l, test_bit_layout_every_port);
	tcase_add_test(l, test_intercepts_reads_sdm_bits);
	suite_add_tcase(s, l);
	TCase *r = tcase_create("ranges");
	tcase_add_checked_fixture(r, setup, teardown);
	tcase_add_test(r, test_set_range_exact);
	tcase_add_test(r, test_pass_leaves_neighbours);
	tcase_add_test(r, test_whole_space);
	tcase_add_test(r, test_range_past_ffff_refused);
	tcase_add_test(r, test_count_zero);
	suite_add_tcase(s, r);
	TCase *x = tcase_create("access_exits");
	tcase_add_checked_fixture(x, setup, teardown);
	tcase_add_test(x, test_access_exits_single);
	tcase_add_test(x, test_access_straddles_intercepted_and_passed);
	tcase_add_test(x, test_wrap_always_exits);
	tcase_add_test(x, test_access_exits_reads_only);
	suite_add_tcase(s, x);
	return s;
}

int main(void)
{
	return run_suite(io_bitmap_suite(), CK_NORMAL);
}
