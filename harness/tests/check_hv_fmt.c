/* Unit tests of hypervisor/kernel/fmt.c: the freestanding printf the kernel and the guests share. */
#include <check.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/fmt.h"
#include "run_suite.h"

/*
 * A call without the printf format attribute, for format strings the compiler
 * would (rightly) reject at compile time: unknown conversions, a trailing '%'.
 */
static int fmt_unchecked(char *buf, size_t n, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	int r = fmt_vsnprintf(buf, n, f, ap);
	va_end(ap);
	return r;
}

/* Format into a roomy buffer; the output and the return value must both match. */
#define FMT_EQ(want, ...)                                                     \
	do {                                                                  \
		char b_[256];                                                 \
		memset(b_, 'Z', sizeof(b_));                                  \
		int r_ = fmt_snprintf(b_, sizeof(b_), __VA_ARGS__);           \
		ck_assert_str_eq(b_, want);                                   \
		ck_assert_int_eq(r_, (int)strlen(want));                      \
	} while (0)

START_TEST(test_signed_decimal)
{
	FMT_EQ("0", "%d", 0);
	FMT_EQ("42", "%d", 42);
	FMT_EQ("-42", "%d", -42);
	FMT_EQ("-1", "%i", -1);
	FMT_EQ("2147483647", "%d", INT_MAX);
	FMT_EQ("-2147483648", "%d", INT_MIN);
	FMT_EQ("9223372036854775807", "%ld", (long)INT64_MAX);
	FMT_EQ("-9223372036854775808", "%ld", (long)INT64_MIN);
	FMT_EQ("-9223372036854775808", "%lld", (long long)INT64_MIN);
	FMT_EQ("-5", "%zd", (ssize_t)-5);
}
END_TEST

START_TEST(test_unsigned_decimal)
{
	FMT_EQ("0", "%u", 0u);
	FMT_EQ("4294967295", "%u", UINT_MAX);
	/* A plain %u takes an unsigned int: -1 passed as int is 2^32-1, not 2^64-1. */
	FMT_EQ("4294967295", "%u", (unsigned)-1);
	FMT_EQ("18446744073709551615", "%lu", (unsigned long)UINT64_MAX);
	FMT_EQ("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
	FMT_EQ("12345", "%zu", (size_t)12345);
}
END_TEST

START_TEST(test_hex)
{
	FMT_EQ("0", "%x", 0u);
	FMT_EQ("deadbeef", "%x", 0xdeadbeefu);
	FMT_EQ("DEADBEEF", "%X", 0xdeadbeefu);
	FMT_EQ("ffffffff", "%x", (unsigned)-1);
	FMT_EQ("ffffffffffffffff", "%lx", (unsigned long)UINT64_MAX);
	FMT_EQ("123456789abcdef0", "%llx", 0x123456789abcdef0ull);
	FMT_EQ("1", "%lx", 1ul);
	/* The 32-bit conversion must not pick up stale upper bits of a 64-bit register. */
	FMT_EQ("89abcdef 1", "%x %u", (unsigned)0x89abcdefu, 1u);
}
END_TEST

START_TEST(test_string_and_char)
{
	FMT_EQ("hello", "%s", "hello");
	FMT_EQ("", "%s", "");
	FMT_EQ("a b", "%s %s", "a", "b");
	FMT_EQ("x", "%c", 'x');
	FMT_EQ("<A>", "<%c>", 65);
	/* '%' inside an argument is data, not a conversion. */
	FMT_EQ("100%d", "%s", "100%d");
}
END_TEST

START_TEST(test_null_string)
{
	/* A NULL %s prints "(null)" instead of faulting (through the unchecked path: gcc rejects a literal NULL). */
	char b[32];
	const char *volatile nothing = NULL;
	ck_assert_int_eq(fmt_unchecked(b, sizeof(b), "[%s]", nothing), 8);
	ck_assert_str_eq(b, "[(null)]");
	ck_assert_int_eq(fmt_unchecked(b, sizeof(b), "[%8s]", nothing), 10);
	ck_assert_str_eq(b, "[  (null)]");
}
END_TEST

START_TEST(test_char_nul_counts)
{
	char b[8];
	memset(b, 'Z', sizeof(b));
	int r = fmt_snprintf(b, sizeof(b), "a%cb", 0);
	ck_assert_int_eq(r, 3);
	ck_assert_int_eq(b[0], 'a');
	ck_assert_int_eq(b[1], '\0');
	ck_assert_int_eq(b[2], 'b');
	ck_assert_int_eq(b[3], '\0');
}
END_TEST

START_TEST(test_pointer)
{
	FMT_EQ("0x1234", "%p", (void *)(uintptr_t)0x1234);
	FMT_EQ("0x0", "%p", (void *)NULL);
	FMT_EQ("0xffffffffffffffff", "%p", (void *)(uintptr_t)UINTPTR_MAX);
}
END_TEST

START_TEST(test_percent)
{
	FMT_EQ("%", "%%");
	FMT_EQ("100%", "100%%");
	FMT_EQ("%d", "%%d");
	FMT_EQ("a%%b", "a%%%%b");
}
END_TEST

START_TEST(test_width_and_padding)
{
	FMT_EQ("   42", "%5d", 42);
	FMT_EQ("00042", "%05d", 42);
	FMT_EQ("42   |", "%-5d|", 42);
	FMT_EQ("123456", "%3d", 123456);
	FMT_EQ("000000ff", "%08x", 0xffu);
	FMT_EQ("00000000deadbeef", "%016lx", 0xdeadbeeful);
	FMT_EQ("    FF", "%6X", 0xffu);
	FMT_EQ("   hi", "%5s", "hi");
	FMT_EQ("hi   |", "%-5s|", "hi");
	FMT_EQ("  x", "%3c", 'x');
	FMT_EQ("x  |", "%-3c|", 'x');
	FMT_EQ("0000000000000000", "%016lx", 0ul);
	FMT_EQ("18446744073709551615", "%5lu", (unsigned long)UINT64_MAX);
}
END_TEST

START_TEST(test_negative_with_width)
{
	FMT_EQ("   -42", "%6d", -42);
	FMT_EQ("-42   |", "%-6d|", -42);
	/* As in C printf, the sign goes before the zero padding. */
	FMT_EQ("-0042", "%05d", -42);
	FMT_EQ("-000000000000001", "%016ld", -1l);
	FMT_EQ("-42", "%02d", -42);
	FMT_EQ("-42", "%03d", -42);
}
END_TEST

START_TEST(test_truncation)
{
	char b[16];

	memset(b, 'Z', sizeof(b));
	ck_assert_int_eq(fmt_snprintf(b, 5, "hello %s", "world"), 11);
	ck_assert_str_eq(b, "hell");
	/* Nothing is written past n. */
	for (size_t i = 5; i < sizeof(b); i++)
		ck_assert_int_eq(b[i], 'Z');

	memset(b, 'Z', sizeof(b));
	ck_assert_int_eq(fmt_snprintf(b, 1, "%d", 12345), 5);
	ck_assert_str_eq(b, "");
	ck_assert_int_eq(b[1], 'Z');

	/* Exactly enough room, and one byte short of it. */
	memset(b, 'Z', sizeof(b));
	ck_assert_int_eq(fmt_snprintf(b, 6, "%s", "abcde"), 5);
	ck_assert_str_eq(b, "abcde");
	memset(b, 'Z', sizeof(b));
	ck_assert_int_eq(fmt_snprintf(b, 5, "%s", "abcde"), 5);
	ck_assert_str_eq(b, "abcd");
	ck_assert_int_eq(b[5], 'Z');

	/* Truncation inside padding and inside a number. */
	memset(b, 'Z', sizeof(b));
	ck_assert_int_eq(fmt_snprintf(b, 4, "%8x", 0xabu), 8);
	ck_assert_str_eq(b, "   ");
	memset(b, 'Z', sizeof(b));
	ck_assert_int_eq(fmt_snprintf(b, 4, "%lu", 1234567ul), 7);
	ck_assert_str_eq(b, "123");
}
END_TEST

START_TEST(test_size_zero_measures_only)
{
	/* n == 0: nothing is written, not even the terminator, and buf may be NULL. */
	ck_assert_int_eq(fmt_snprintf(NULL, 0, "%s=%lu", "exits", 123456ul), 12);
	char b[4] = { 'Z', 'Z', 'Z', 'Z' };
	ck_assert_int_eq(fmt_snprintf(b, 0, "abc"), 3);
	ck_assert_int_eq(b[0], 'Z');
}
END_TEST

START_TEST(test_empty_format)
{
	char b[4] = { 'Z', 'Z', 'Z', 'Z' };
	ck_assert_int_eq(fmt_snprintf(b, sizeof(b), "%s", ""), 0);
	ck_assert_int_eq(b[0], '\0');
}
END_TEST

START_TEST(test_flag_combinations)
{
	char b[32];
	/* '-' wins over '0': a left-justified field is padded with spaces. */
	ck_assert_int_eq(fmt_unchecked(b, sizeof(b), "%-05d|", 42), 6);
	ck_assert_str_eq(b, "42   |");
	ck_assert_int_eq(fmt_unchecked(b, sizeof(b), "%0-5x|", 0xau), 6);
	ck_assert_str_eq(b, "a    |");
	/* Strings and chars pad with spaces even with a '0' flag. */
	ck_assert_int_eq(fmt_unchecked(b, sizeof(b), "%05s", "hi"), 5);
	ck_assert_str_eq(b, "   hi");
	ck_assert_int_eq(fmt_unchecked(b, sizeof(b), "%03c", 'x'), 3);
	ck_assert_str_eq(b, "  x");
}
END_TEST

START_TEST(test_unknown_and_trailing_percent)
{
	char b[32];
	/* An unknown conversion is copied through as written. */
	ck_assert_int_eq(fmt_unchecked(b, sizeof(b), "a%qb"), 4);
	ck_assert_str_eq(b, "a%qb");
	/* A lone '%' at the very end stops the output there, without reading past the terminator. */
	ck_assert_int_eq(fmt_unchecked(b, sizeof(b), "abc%"), 3);
	ck_assert_str_eq(b, "abc");
	ck_assert_int_eq(fmt_unchecked(b, sizeof(b), "%"), 0);
	ck_assert_str_eq(b, "");
	/* An unknown conversion consumes no argument: the next one still gets its own. */
	ck_assert_int_eq(fmt_unchecked(b, sizeof(b), "%y%d", 7), 3);
	ck_assert_str_eq(b, "%y7");
}
END_TEST

START_TEST(test_protocol_line)
{
	/* The shape of a real guest-end line, with several conversions in a row. */
	FMT_EQ("VEXIT guest-end hello done exits=3 ticks=1834 status=0\n",
	       "VEXIT guest-end %s %s exits=%lu ticks=%lu %s\n", "hello", "done", 3ul, 1834ul, "status=0");
	FMT_EQ("reason=RDPMC qual=0x0 rip=0x10023", "reason=%s qual=0x%lx rip=0x%lx", "RDPMC", 0ul, 0x10023ul);
}
END_TEST

/* Compare with the host C library over many values: the formatter claims printf semantics. */
START_TEST(test_matches_libc)
{
	static const int64_t sv[] = { 0, 1, -1, 9, 10, -10, 99, 100, 255, -256, 65535, INT32_MAX, INT32_MIN,
				      (int64_t)INT32_MAX + 1, INT64_MAX, INT64_MIN, 1234567890123ll };
	static const char *const fmts32[] = { "%d", "%5d", "%-7d|", "%12d", "%u", "%x", "%X", "%08x", "%-9x|", "%011u", "%08d" };
	static const char *const fmts64[] = { "%ld", "%20ld", "%-22ld|", "%lu", "%lx", "%016lx", "%llx", "%lX", "%25lu", "%021ld" };
	char mine[64], libc[64];

	for (size_t i = 0; i < sizeof(sv) / sizeof(sv[0]); i++) {
		for (size_t j = 0; j < sizeof(fmts32) / sizeof(fmts32[0]); j++) {
			int a = fmt_unchecked(mine, sizeof(mine), fmts32[j], (int)sv[i]);
			int b = snprintf(libc, sizeof(libc), fmts32[j], (int)sv[i]);
			ck_assert_msg(a == b && strcmp(mine, libc) == 0, "format '%s' value %" PRId64 ": got '%s' (%d), libc '%s' (%d)",
				      fmts32[j], sv[i], mine, a, libc, b);
		}
		for (size_t j = 0; j < sizeof(fmts64) / sizeof(fmts64[0]); j++) {
			int a = fmt_unchecked(mine, sizeof(mine), fmts64[j], (long)sv[i]);
			int b = snprintf(libc, sizeof(libc), fmts64[j], (long)sv[i]);
			ck_assert_msg(a == b && strcmp(mine, libc) == 0, "format '%s' value %" PRId64 ": got '%s' (%d), libc '%s' (%d)",
				      fmts64[j], sv[i], mine, a, libc, b);
		}
	}
}
END_TEST

static Suite *fmt_suite(void)
{
	Suite *s = suite_create("hv_fmt");
	TCase *tc = tcase_create("fmt");
	tcase_add_test(tc, test_signed_decimal);
	tcase_add_test(tc, test_unsigned_decimal);
	tcase_add_test(tc, test_hex);
	tcase_add_test(tc, test_string_and_char);
	tcase_add_test(tc, test_null_string);
	tcase_add_test(tc, test_char_nul_counts);
	tcase_add_test(tc, test_pointer);
	tcase_add_test(tc, test_percent);
	tcase_add_test(tc, test_width_and_padding);
	tcase_add_test(tc, test_negative_with_width);
	tcase_add_test(tc, test_truncation);
	tcase_add_test(tc, test_size_zero_measures_only);
	tcase_add_test(tc, test_empty_format);
	tcase_add_test(tc, test_flag_combinations);
	tcase_add_test(tc, test_unknown_and_trailing_percent);
	tcase_add_test(tc, test_protocol_line);
	tcase_add_test(tc, test_matches_libc);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(fmt_suite(), CK_NORMAL);
}
