/* Unit tests of hypervisor/kernel/cmdline.c: the kernel command line (tests=a,b budget=N). */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/cmdline.h"
#include "run_suite.h"

/* Expect cmdline_get to find key with exactly this value (in a roomy buffer). */
static void expect_value(const char *cmdline, const char *key, const char *want)
{
	char out[64];
	memset(out, 'Z', sizeof(out));
	ck_assert_msg(cmdline_get(cmdline, key, out, sizeof(out)), "'%s' not found in '%s'", key, cmdline);
	ck_assert_str_eq(out, want);
}

static void expect_absent(const char *cmdline, const char *key)
{
	char out[8] = "keep";
	ck_assert_msg(!cmdline_get(cmdline, key, out, sizeof(out)), "'%s' wrongly found in '%s'", key, cmdline);
	ck_assert_str_eq(out, "keep"); /* untouched */
}

START_TEST(test_get_positions)
{
	const char *cl = "tests=hello,vmcall budget=5000 debug=1";
	expect_value(cl, "tests", "hello,vmcall");
	expect_value(cl, "budget", "5000");
	expect_value(cl, "debug", "1");
	expect_value("budget=7", "budget", "7");
}
END_TEST

START_TEST(test_get_spaces)
{
	expect_value("   budget=7   ", "budget", "7");
	expect_value("a=1    b=2", "b", "2");
	expect_value("a=1 b=2 ", "b", "2");
	expect_absent("   ", "budget");
	expect_absent("", "budget");
}
END_TEST

START_TEST(test_get_absent_and_prefixes)
{
	const char *cl = "tests=a,b budget=10 xdebug=1";
	expect_absent(cl, "test");      /* a prefix of a key is not that key */
	expect_absent(cl, "testsx");    /* nor is a longer name */
	expect_absent(cl, "budge");
	expect_absent(cl, "debug");     /* a key must start at the start of a word */
	expect_absent(cl, "a");         /* a value is not a key */
	expect_absent(cl, "b");
	expect_absent(cl, "nothere");
	/* A bare word without '=' is not a key=value option. */
	expect_absent("quiet budget=3", "quiet");
	expect_absent("test=1", "tests");
}
END_TEST

START_TEST(test_get_value_shapes)
{
	expect_value("budget= tests=a", "budget", "");   /* present but empty */
	expect_value("opt=a=b=c", "opt", "a=b=c");       /* only the first '=' separates */
	expect_value("k=1 k=2", "k", "1");               /* the first occurrence wins */
	expect_value("tests=a,b,c", "tests", "a,b,c");
}
END_TEST

START_TEST(test_get_truncates)
{
	char out[8];
	memset(out, 'Z', sizeof(out));
	ck_assert(cmdline_get("budget=123456789", "budget", out, 4));
	ck_assert_str_eq(out, "123");
	ck_assert_int_eq(out[4], 'Z'); /* no write past n */

	memset(out, 'Z', sizeof(out));
	ck_assert(cmdline_get("budget=1234567", "budget", out, 8));
	ck_assert_str_eq(out, "1234567"); /* exactly fits */

	memset(out, 'Z', sizeof(out));
	ck_assert(cmdline_get("budget=12", "budget", out, 1));
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(out[1], 'Z');

	/* n == 0: the key is reported present and nothing is written. */
	memset(out, 'Z', sizeof(out));
	ck_assert(cmdline_get("budget=12", "budget", out, 0));
	ck_assert_int_eq(out[0], 'Z');
}
END_TEST

static void expect_u64(const char *s, uint64_t want)
{
	uint64_t v = 0xdeadbeef;
	ck_assert_msg(cmdline_parse_u64(s, &v), "'%s' rejected", s);
	ck_assert_msg(v == want, "'%s' parsed as %llu", s, (unsigned long long)v);
}

static void expect_bad_u64(const char *s)
{
	uint64_t v = 0xdeadbeef;
	ck_assert_msg(!cmdline_parse_u64(s, &v), "'%s' accepted", s);
	ck_assert_msg(v == 0xdeadbeef, "'%s' wrote the output on failure", s);
}

START_TEST(test_parse_u64_good)
{
	expect_u64("0", 0);
	expect_u64("7", 7);
	expect_u64("5000", 5000);
	expect_u64("007", 7);
	expect_u64("20000000", 20000000ull);
	expect_u64("4294967296", 4294967296ull);
	expect_u64("18446744073709551615", UINT64_MAX);
	expect_u64("00000000000000000000000000018446744073709551615", UINT64_MAX);
}
END_TEST

START_TEST(test_parse_u64_bad)
{
	expect_bad_u64("");
	expect_bad_u64("-1");
	expect_bad_u64("+1");
	expect_bad_u64(" 1");
	expect_bad_u64("1 ");
	expect_bad_u64("12a");
	expect_bad_u64("a12");
	expect_bad_u64("0x10");
	expect_bad_u64("1.5");
	expect_bad_u64("1e3");
}
END_TEST

START_TEST(test_parse_u64_overflow)
{
	expect_bad_u64("18446744073709551616");  /* 2^64 */
	expect_bad_u64("18446744073709551620");
	expect_bad_u64("18446744073709551699");
	expect_bad_u64("99999999999999999999");
	expect_bad_u64("184467440737095516150"); /* UINT64_MAX * 10 */
	expect_bad_u64("100000000000000000000000000000");
}
END_TEST

START_TEST(test_list_has)
{
	const char *list = "hello,vmcall,io_basic";
	ck_assert(cmdline_list_has(list, "hello"));
	ck_assert(cmdline_list_has(list, "vmcall"));
	ck_assert(cmdline_list_has(list, "io_basic"));
	ck_assert(!cmdline_list_has(list, "hell"));
	ck_assert(!cmdline_list_has(list, "hello,vmcall"));
	ck_assert(!cmdline_list_has(list, "vmcal"));
	ck_assert(!cmdline_list_has(list, "io"));
	ck_assert(!cmdline_list_has(list, "io_basic2"));
	ck_assert(!cmdline_list_has(list, "hlt"));
	ck_assert(!cmdline_list_has(list, ""));
	ck_assert(cmdline_list_has("hlt", "hlt"));
	ck_assert(!cmdline_list_has("hlt", "hl"));
	ck_assert(!cmdline_list_has("hlt", "hltx"));
	ck_assert(!cmdline_list_has("", "hlt"));
	/* Case matters: module names are compared byte for byte. */
	ck_assert(!cmdline_list_has("Hello", "hello"));
}
END_TEST

START_TEST(test_list_trailing_and_empty_items)
{
	ck_assert(cmdline_list_has("a,b,", "b"));
	ck_assert(cmdline_list_has(",a", "a"));
	ck_assert(cmdline_list_has("a,,b", "b"));
	ck_assert(!cmdline_list_has("a,,b", "a,"));
}
END_TEST

/* The way main.c uses these together: tests= selects the guests. */
START_TEST(test_get_then_list)
{
	char tests[256];
	const char *cl = "budget=100 tests=hlt,triple_fault";
	ck_assert(cmdline_get(cl, "tests", tests, sizeof(tests)));
	ck_assert(cmdline_list_has(tests, "hlt"));
	ck_assert(cmdline_list_has(tests, "triple_fault"));
	ck_assert(!cmdline_list_has(tests, "triple"));
	ck_assert(!cmdline_list_has(tests, "budget=100"));
	char budget[24];
	uint64_t b = 0;
	ck_assert(cmdline_get(cl, "budget", budget, sizeof(budget)));
	ck_assert(cmdline_parse_u64(budget, &b));
	ck_assert_uint_eq(b, 100);
}
END_TEST

/* A module's string: the guest's name, then an external kernel's arguments. */
START_TEST(test_first_word)
{
	char out[8];
	cmdline_first_word("msr -t 1", out, sizeof(out));
	ck_assert_str_eq(out, "msr");
	cmdline_first_word("  hello", out, sizeof(out));
	ck_assert_str_eq(out, "hello");
	cmdline_first_word("", out, sizeof(out));
	ck_assert_str_eq(out, "");
	cmdline_first_word("averylongname x", out, sizeof(out));
	ck_assert_str_eq(out, "averylo"); /* cut to fit */
	cmdline_first_word("x", out, 1);
	ck_assert_str_eq(out, "");
}
END_TEST

static Suite *cmdline_suite(void)
{
	Suite *s = suite_create("hv_cmdline");
	TCase *get = tcase_create("get");
	tcase_add_test(get, test_get_positions);
	tcase_add_test(get, test_get_spaces);
	tcase_add_test(get, test_get_absent_and_prefixes);
	tcase_add_test(get, test_get_value_shapes);
	tcase_add_test(get, test_get_truncates);
	suite_add_tcase(s, get);
	TCase *num = tcase_create("parse_u64");
	tcase_add_test(num, test_parse_u64_good);
	tcase_add_test(num, test_parse_u64_bad);
	tcase_add_test(num, test_parse_u64_overflow);
	suite_add_tcase(s, num);
	TCase *list = tcase_create("list_has");
	tcase_add_test(list, test_list_has);
	tcase_add_test(list, test_list_trailing_and_empty_items);
	tcase_add_test(list, test_get_then_list);
	tcase_add_test(list, test_first_word);
	suite_add_tcase(s, list);
	return s;
}

int main(void)
{
	return run_suite(cmdline_suite(), CK_NORMAL);
}
