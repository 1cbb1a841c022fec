/* Check tests of a guest suite: loading images and their expectations, selection, judging a capture. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf_image.h"
#include "include/vexit_abi.h"
#include "run_suite.h"
#include "suite.h"
#include "test_files.h"

static char dir[64];
static struct suite s;
static char err[1024];

static void write_file(const char *name, const void *data, size_t len)
{
	test_write_file(dir, name, data, len);
}

static void write_guest(const char *name, const char *section, size_t len)
{
	struct elf_image im;
	elf_image_build(&im, ".vexit.expect", section, len);
	write_file(name, im.bytes, im.len);
}

static void setup(void)
{
	strcpy(dir, "/tmp/check_suite.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	static const char hlt[] = "stop halted\0exit HLT 1";
	static const char done[] = "exit IO_INSTRUCTION 2";
	write_guest("zeta.elf", done, sizeof(done));
	write_guest("alpha.elf", hlt, sizeof(hlt));
	write_file("notes.txt", "not a guest", 11);
	write_file("broken.elf", "\x7f" "ELF garbage", 11);
}

static void teardown(void)
{
	suite_free(&s);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	(void)!system(cmd);
}

START_TEST(test_load_all_sorted)
{
	ck_assert_msg(suite_load(&s, dir, NULL, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(s.n, 3);
	ck_assert_str_eq(s.guests[0].name, "alpha");
	ck_assert_str_eq(s.guests[1].name, "broken");
	ck_assert_str_eq(s.guests[2].name, "zeta");
	ck_assert_uint_eq(s.guests[0].expect.n, 2);
	ck_assert_ptr_null(s.guests[0].expect_error);
	ck_assert_ptr_nonnull(s.guests[1].expect_error);
	ck_assert_ptr_nonnull(strstr(s.guests[1].expect_error, "broken.elf"));
}
END_TEST

START_TEST(test_select)
{
	ck_assert_msg(suite_load(&s, dir, "zeta,alpha,zeta", err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(s.n, 2);
	ck_assert_str_eq(s.guests[0].name, "alpha");
	ck_assert_str_eq(s.guests[1].name, "zeta");
	suite_free(&s);
	ck_assert_int_eq(suite_load(&s, dir, "alpha,nope", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "matches 'nope'"));
	ck_assert_int_eq(suite_load(&s, "/nonexistent/guests", NULL, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/guests"));
	ck_assert_int_eq(suite_load(&s, dir, ",", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no guest images"));
}
END_TEST

START_TEST(test_guest_names)
{
	ck_assert_int_eq(guest_name_check("hostile_smc", err, sizeof(err)), 0);
	ck_assert_int_eq(guest_name_check("a-b.c_D9", err, sizeof(err)), 0);
	char longest[VEXIT_GUEST_NAME_MAX + 2];
	memset(longest, 'x', sizeof(longest) - 1);
	longest[VEXIT_GUEST_NAME_MAX] = '\0';
	ck_assert_int_eq(guest_name_check(longest, err, sizeof(err)), 0);
	longest[VEXIT_GUEST_NAME_MAX] = 'x';
	longest[VEXIT_GUEST_NAME_MAX + 1] = '\0';
	ck_assert_int_eq(guest_name_check(longest, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "is 48 characters long; the limit is 47"), "%s", err);
	ck_assert_int_eq(guest_name_check("has space", err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "'has\\x20space' has a character other than"), "%s", err);
	ck_assert_int_eq(guest_name_check("a,b", err, sizeof(err)), -1);
	ck_assert_int_eq(guest_name_check("bell\a", err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "'bell\\x07'"), "%s", err);
	ck_assert_int_eq(guest_name_check("", err, sizeof(err)), -1);
}
END_TEST

/* A directory with one oddly named image is refused whole, naming the file, whatever the selection. */
START_TEST(test_odd_name_refused)
{
	write_guest("two words.elf", "exit HLT 1", 11);
	ck_assert_int_eq(suite_load(&s, dir, "alpha", err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "'two\\x20words'") && strstr(err, "two words.elf"), "%s", err);
}
END_TEST

static const char capture[] = "VEXIT protocol 1\n"
			      "VEXIT guest-begin alpha\n"
			      "VEXIT exit-count alpha HLT 1\n"
			      "VEXIT guest-end alpha halted exits=1 ticks=67 rip=0x10021\n"
			      "VEXIT guest-begin broken\n"
			      "VEXIT guest-end broken bad-image exits=0 ticks=0 why=no-segments\n"
			      "VEXIT guest-begin zeta\n"
			      "VEXIT exit-count zeta IO_INSTRUCTION 3\n"
			      "VEXIT guest-end zeta done exits=3 ticks=99 status=0\n"
			      "VEXIT summary guests=3 pages-leaked=0\n"
			      "VEXIT end\n";

START_TEST(test_judge)
{
	ck_assert_msg(suite_load(&s, dir, NULL, err, sizeof(err)) == 0, "%s", err);
	suite_judge(&s, capture, sizeof(capture) - 1, NULL);
	ck_assert_uint_eq(s.problems.n, 0);
	ck_assert_int_eq(s.guests[0].verdict, VERDICT_PASS);
	ck_assert_int_eq(s.guests[1].verdict, VERDICT_FAIL);
	ck_assert_ptr_nonnull(strstr(s.guests[1].why.v[0], "broken: bad expectations in"));
	ck_assert_int_eq(s.guests[2].verdict, VERDICT_FAIL);
	ck_assert_str_eq(s.guests[2].why.v[0], "zeta: expectation 'exit IO_INSTRUCTION 2': got 3, want 2");
	ck_assert_uint_eq(s.passed, 1);
	ck_assert_uint_eq(s.failed, 2);
	ck_assert(!suite_ok(&s));

	/* Judging again starts afresh; a run problem alone fails the suite. */
	suite_free(&s);
	ck_assert_int_eq(suite_load(&s, dir, "alpha", err, sizeof(err)), 0);
	static const char only_alpha[] = "VEXIT protocol 1\nVEXIT guest-begin alpha\nVEXIT exit-count alpha HLT 1\n"
					 "VEXIT guest-end alpha halted exits=1 ticks=67\n"
					 "VEXIT summary guests=1 pages-leaked=0\nVEXIT end\n";
	suite_judge(&s, only_alpha, sizeof(only_alpha) - 1, NULL);
	ck_assert(suite_ok(&s));
	suite_judge(&s, only_alpha, sizeof(only_alpha) - 1, "timed out after 5 s");
	ck_assert(!suite_ok(&s));
	ck_assert_str_eq(s.problems.v[0], "timed out after 5 s");
	ck_assert_uint_eq(s.passed, 1);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("suite");
	TCase *tc = tcase_create("load-and-judge");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_load_all_sorted);
	tcase_add_test(tc, test_select);
	tcase_add_test(tc, test_guest_names);
	tcase_add_test(tc, test_odd_name_refused);
	tcase_add_test(tc, test_judge);
	suite_add_tcase(su, tc);
	return run_suite(su, CK_NORMAL);
}
