/*
 * Unit tests of hypervisor/vmx/xcr0.c: the XCR0 values XSETBV may load
 * (SDM Vol. 2 XSETBV; Vol. 1 13.3 "Enabling the XSAVE feature set"):
 * #GP if ECX names an XCR other than 0 (XCR1 is read-only, XGETBV only), if
 * bit 0 (x87) is clear, if a bit is not supported (CPUID.(EAX=0DH,ECX=0):EDX:EAX),
 * if AVX (bit 2) is set with SSE (bit 1) clear, if bits 7:5 (opmask, ZMM_Hi256,
 * Hi16_ZMM) are neither 000b nor 111b or are 111b without AVX, and if
 * BNDREGS/BNDCSR (bits 4:3) differ, or TILECFG/TILEDATA (bits 18:17, AMX) differ.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "run_suite.h"
#include "vmx/xcr0.h"

#define ALL_SUPPORTED 0xffull /* x87 .. Hi16_ZMM */
#define X87_SSE (XCR0_X87 | XCR0_SSE)
#define X87_SSE_AVX (XCR0_X87 | XCR0_SSE | XCR0_AVX)
#define MPX (XCR0_BNDREGS | XCR0_BNDCSR)

START_TEST(test_valid_combinations)
{
	ck_assert(xcr0_valid(0, XCR0_X87, ALL_SUPPORTED));
	ck_assert(xcr0_valid(0, X87_SSE, ALL_SUPPORTED));
	ck_assert(xcr0_valid(0, X87_SSE_AVX, ALL_SUPPORTED));
	ck_assert(xcr0_valid(0, X87_SSE_AVX | XCR0_AVX512, ALL_SUPPORTED));
	ck_assert(xcr0_valid(0, X87_SSE_AVX | XCR0_AVX512 | MPX, ALL_SUPPORTED));
	ck_assert(xcr0_valid(0, XCR0_X87 | MPX, ALL_SUPPORTED));
	ck_assert(xcr0_valid(0, X87_SSE | MPX, ALL_SUPPORTED));
	ck_assert(xcr0_valid(0, ALL_SUPPORTED, ALL_SUPPORTED));
	/* A CPU with only x87/SSE/AVX (Bochs' usual set). */
	ck_assert(xcr0_valid(0, X87_SSE_AVX, 0x7));
	ck_assert(xcr0_valid(0, XCR0_X87, XCR0_X87));
}
END_TEST

START_TEST(test_index_not_zero)
{
	static const uint32_t bad[] = { 1, 2, 0x80000000u, 0xffffffffu };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(!xcr0_valid(bad[i], XCR0_X87, ALL_SUPPORTED), "XCR%u accepted", bad[i]);
		ck_assert(!xcr0_valid(bad[i], X87_SSE_AVX, ALL_SUPPORTED));
	}
}
END_TEST

START_TEST(test_x87_clear)
{
	ck_assert(!xcr0_valid(0, 0, ALL_SUPPORTED));
	ck_assert(!xcr0_valid(0, XCR0_SSE, ALL_SUPPORTED));
	ck_assert(!xcr0_valid(0, XCR0_SSE | XCR0_AVX, ALL_SUPPORTED));
	ck_assert(!xcr0_valid(0, ALL_SUPPORTED & ~XCR0_X87, ALL_SUPPORTED));
}
END_TEST

START_TEST(test_avx_without_sse)
{
	ck_assert(!xcr0_valid(0, XCR0_X87 | XCR0_AVX, ALL_SUPPORTED));
	ck_assert(!xcr0_valid(0, XCR0_X87 | XCR0_AVX | XCR0_AVX512, ALL_SUPPORTED));
	ck_assert(!xcr0_valid(0, XCR0_X87 | XCR0_AVX | MPX, ALL_SUPPORTED));
}
END_TEST

START_TEST(test_avx512_partial)
{
	/* Each of the six non-empty, non-full subsets of bits 7:5, with AVX. */
	for (uint64_t sub = 1; sub < 7; sub++) {
		uint64_t v = X87_SSE_AVX | sub << 5;
		ck_assert_msg(!xcr0_valid(0, v, ALL_SUPPORTED), "XCR0 0x%llx accepted", (unsigned long long)v);
		ck_assert(!xcr0_valid(0, v | MPX, ALL_SUPPORTED));
	}
	ck_assert(!xcr0_valid(0, X87_SSE_AVX | XCR0_OPMASK, ALL_SUPPORTED));
	ck_assert(!xcr0_valid(0, X87_SSE_AVX | XCR0_OPMASK | XCR0_ZMM_HI256, ALL_SUPPORTED));
	ck_assert(!xcr0_valid(0, X87_SSE_AVX | XCR0_HI16_ZMM, ALL_SUPPORTED));
}
END_TEST

START_TEST(test_avx512_without_avx)
{
	ck_assert(!xcr0_valid(0, X87_SSE | XCR0_AVX512, ALL_SUPPORTED));
	ck_assert(!xcr0_valid(0, XCR0_X87 | XCR0_AVX512, ALL_SUPPORTED));
	ck_assert(!xcr0_valid(0, X87_SSE | XCR0_AVX512 | MPX, ALL_SUPPORTED));
	/* Adding AVX makes the same value valid. */
	ck_assert(xcr0_valid(0, X87_SSE | XCR0_AVX512 | XCR0_AVX, ALL_SUPPORTED));
}
END_TEST

START_TEST(test_mpx_halves)
{
	ck_assert(!xcr0_valid(0, XCR0_X87 | XCR0_BNDREGS, ALL_SUPPORTED));
	ck_assert(!xcr0_valid(0, XCR0_X87 | XCR0_BNDCSR, ALL_SUPPORTED));
	ck_assert(!xcr0_valid(0, X87_SSE_AVX | XCR0_BNDREGS, ALL_SUPPORTED));
	ck_assert(!xcr0_valid(0, X87_SSE_AVX | XCR0_AVX512 | XCR0_BNDCSR, ALL_SUPPORTED));
	ck_assert(xcr0_valid(0, X87_SSE_AVX | XCR0_AVX512 | MPX, ALL_SUPPORTED));
}
END_TEST

START_TEST(test_unsupported_bits)
{
	/* Valid shapes, but a bit the CPU does not report. */
	ck_assert(!xcr0_valid(0, X87_SSE_AVX, X87_SSE));
	ck_assert(!xcr0_valid(0, X87_SSE, XCR0_X87));
	ck_assert(!xcr0_valid(0, X87_SSE_AVX | XCR0_AVX512, X87_SSE_AVX));
	ck_assert(!xcr0_valid(0, XCR0_X87 | MPX, X87_SSE_AVX));
	/* x87 itself must be supported too (it always is on a real CPU). */
	ck_assert(!xcr0_valid(0, XCR0_X87, 0));
	/* Bits beyond 7: 9 (PKRU), 19, 62, 63; unsupported here. */
	static const unsigned high[] = { 8, 9, 19, 31, 32, 62, 63 };
	for (size_t i = 0; i < sizeof(high) / sizeof(high[0]); i++) {
		uint64_t v = X87_SSE_AVX | 1ull << high[i];
		ck_assert_msg(!xcr0_valid(0, v, ALL_SUPPORTED), "bit %u accepted", high[i]);
		/* Once reported, bits the function has no rule for are accepted. */
		ck_assert_msg(xcr0_valid(0, v, ALL_SUPPORTED | 1ull << high[i]), "supported bit %u refused", high[i]);
	}
}
END_TEST

START_TEST(test_amx_halves)
{
	const uint64_t amx = XCR0_TILECFG | XCR0_TILEDATA, sup = ALL_SUPPORTED | amx;
	ck_assert_uint_eq(amx, 0x60000ull);
	ck_assert(xcr0_valid(0, X87_SSE_AVX | amx, sup));
	ck_assert(xcr0_valid(0, X87_SSE_AVX | XCR0_AVX512 | amx, sup));
	ck_assert(!xcr0_valid(0, X87_SSE_AVX | XCR0_TILECFG, sup));
	ck_assert(!xcr0_valid(0, X87_SSE_AVX | XCR0_TILEDATA, sup));
	ck_assert(!xcr0_valid(0, XCR0_X87 | XCR0_TILEDATA, sup));
	/* Both, but not reported by the CPU. */
	ck_assert(!xcr0_valid(0, X87_SSE_AVX | amx, ALL_SUPPORTED));
}
END_TEST

START_TEST(test_xsave_area_bytes)
{
	/* CPUID.(0DH,i) of a Sapphire Rapids: {EBX offset, EAX size} of AVX, MPX, AVX-512, PKRU and AMX. */
	struct xsave_component c[XCR0_COMPONENTS] = { 0 };
	c[2] = (struct xsave_component){ 576, 256 };
	c[3] = (struct xsave_component){ 960, 64 };
	c[4] = (struct xsave_component){ 1024, 64 };
	c[5] = (struct xsave_component){ 1088, 64 };
	c[6] = (struct xsave_component){ 1152, 512 };
	c[7] = (struct xsave_component){ 1664, 1024 };
	c[9] = (struct xsave_component){ 2688, 8 };
	c[17] = (struct xsave_component){ 2752, 64 };
	c[18] = (struct xsave_component){ 2816, 8192 };
	const uint64_t all = 0x602ffull;
	ck_assert_uint_eq(xsave_area_bytes(all, c), 11008); /* that CPU's CPUID.(0DH,0):ECX */
	ck_assert_uint_eq(xsave_area_bytes(all & ~XCR0_NOT_OFFERED, c), 2688); /* fits a page */
	ck_assert_uint_eq(xsave_area_bytes(X87_SSE_AVX, c), 832);
	ck_assert_uint_eq(xsave_area_bytes(X87_SSE, c), XSAVE_LEGACY_AND_HEADER);
	ck_assert_uint_eq(xsave_area_bytes(0, c), XSAVE_LEGACY_AND_HEADER);
	/* The end of the furthest component, not the last bit: MPX alone ends at 1088. */
	ck_assert_uint_eq(xsave_area_bytes(X87_SSE_AVX | MPX, c), 1088);
	/* What is never offered: MPX and PKU (CPUID hides them), AMX (its area is larger than a page). */
	ck_assert_uint_eq(XCR0_NOT_OFFERED, 0x60218ull);
}
END_TEST

static Suite *xcr0_suite(void)
{
	Suite *s = suite_create("hv_xcr0");
	TCase *tc = tcase_create("xcr0_valid");
	tcase_add_test(tc, test_valid_combinations);
	tcase_add_test(tc, test_index_not_zero);
	tcase_add_test(tc, test_x87_clear);
	tcase_add_test(tc, test_avx_without_sse);
	tcase_add_test(tc, test_avx512_partial);
	tcase_add_test(tc, test_avx512_without_avx);
	tcase_add_test(tc, test_mpx_halves);
	tcase_add_test(tc, test_amx_halves);
	tcase_add_test(tc, test_unsupported_bits);
	tcase_add_test(tc, test_xsave_area_bytes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(xcr0_suite(), CK_NORMAL);
}
