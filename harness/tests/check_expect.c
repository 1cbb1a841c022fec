/* Check tests of the expectation grammar and of reading it from an ELF64 guest image. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf_image.h"
#include "expect.h"
#include "run_suite.h"

static char err[512];

START_TEST(test_parse_each_kind)
{
	struct expectation e;
	ck_assert_int_eq(expect_parse("stop triple-fault", &e, err, sizeof(err)), 0);
	ck_assert_int_eq(e.kind, EXPECT_STOP);
	ck_assert_str_eq(e.key, "triple-fault");
	ck_assert_str_eq(e.text, "stop triple-fault");
	expectation_free(&e);

	ck_assert_int_eq(expect_parse("status 3", &e, err, sizeof(err)), 0);
	ck_assert_int_eq(e.kind, EXPECT_STATUS);
	ck_assert_uint_eq(e.n, 3);
	expectation_free(&e);

	ck_assert_int_eq(expect_parse("exit IO_INSTRUCTION 22", &e, err, sizeof(err)), 0);
	ck_assert_int_eq(e.kind, EXPECT_EXIT);
	ck_assert_str_eq(e.key, "IO_INSTRUCTION");
	ck_assert_uint_eq(e.n, 22);
	expectation_free(&e);

	ck_assert_int_eq(expect_parse("field gpa=0x200010", &e, err, sizeof(err)), 0);
	ck_assert_int_eq(e.kind, EXPECT_FIELD);
	ck_assert_str_eq(e.key, "gpa");
	ck_assert_str_eq(e.value, "0x200010");
	expectation_free(&e);

	ck_assert_int_eq(expect_parse("field why=", &e, err, sizeof(err)), 0);
	ck_assert_str_eq(e.value, "");
	expectation_free(&e);

	ck_assert_int_eq(expect_parse("asserts 0", &e, err, sizeof(err)), 0);
	ck_assert_int_eq(e.kind, EXPECT_ASSERTS);
	ck_assert_uint_eq(e.n, 0);
	expectation_free(&e);

	ck_assert_int_eq(expect_parse("needs preemption-timer", &e, err, sizeof(err)), 0);
	ck_assert_int_eq(e.kind, EXPECT_NEEDS);
	ck_assert_str_eq(e.key, "preemption-timer");
	expectation_free(&e);
	ck_assert_int_eq(expect_parse("needs", &e, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "want 'needs <feature>'"));
	ck_assert_int_eq(expect_parse("needs watchdog=apic-timer", &e, err, sizeof(err)), 0);
	ck_assert_str_eq(e.key, "watchdog=apic-timer");
	expectation_free(&e);
	ck_assert_int_eq(expect_parse("needs watchdog=", &e, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "'needs <key>=<value>'"));
	ck_assert_int_eq(expect_parse("needs =apic", &e, err, sizeof(err)), -1);
	ck_assert_int_eq(expect_parse("needs a=b=c", &e, err, sizeof(err)), -1);

	ck_assert_int_eq(expect_parse("cost 12", &e, err, sizeof(err)), 0);
	ck_assert_int_eq(e.kind, EXPECT_COST);
	ck_assert_uint_eq(e.n, 12);
	expectation_free(&e);
	ck_assert_int_eq(expect_parse("cost lots", &e, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "want a decimal number"));
	ck_assert_int_eq(expect_parse("cost 0", &e, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "want a cost from 1 to 1000000"));
	ck_assert_int_eq(expect_parse("cost 1000001", &e, err, sizeof(err)), -1);
}
END_TEST

static const char *const bad[] = {
	"",
	"stop",
	"stop ",
	"stop a b",
	"status",
	"status -1",
	"status 1x",
	"status 99999999999999999999999",
	"exit HLT",
	"exit HLT x",
	"exit  3",
	"exit HLT 1 2",
	"field",
	"field =x",
	"field k",
	"field k=v=w",
	"field k=v w",
	"asserts many",
	"Stop done",
	"expect everything",
	"trace",
	"trace 0 CR_ACCESS",
	"trace x CR_ACCESS 3",
	"trace 0 CR_ACCESS 0x",
	"trace 0 CR_ACCESS 0xZ",
	"trace 0 CR_ACCESS -1",
	"trace 0 CR_ACCESS 3 4",
	"trace 0 CR=ACCESS 3",
	"history",
	"history 0 VMCALL",
	"history x VMCALL -",
	"history 0 VMCALL --",
	"history 0 VMCALL 0xZ",
	"history 0 VMCALL - 4",
};

START_TEST(test_parse_history)
{
	struct expectation e;
	ck_assert_int_eq(expect_parse("history 2 VMCALL -", &e, err, sizeof(err)), 0);
	ck_assert_int_eq(e.kind, EXPECT_HISTORY);
	ck_assert_uint_eq(e.n, 2);
	ck_assert_str_eq(e.key, "VMCALL");
	ck_assert_str_eq(e.value, "2 VMCALL -");
	expectation_free(&e);
	/* A qualification is normalized to the hex the protocol prints. */
	ck_assert_int_eq(expect_parse("history 7 IO_INSTRUCTION 16", &e, err, sizeof(err)), 0);
	ck_assert_str_eq(e.value, "7 IO_INSTRUCTION 0x10");
	expectation_free(&e);
}
END_TEST

START_TEST(test_parse_trace)
{
	struct expectation e;
	ck_assert_int_eq(expect_parse("trace 2 CR_ACCESS 0x903", &e, err, sizeof(err)), 0);
	ck_assert_int_eq(e.kind, EXPECT_TRACE);
	ck_assert_uint_eq(e.n, 2);
	ck_assert_str_eq(e.key, "CR_ACCESS");
	ck_assert_str_eq(e.value, "CR_ACCESS 0x903");
	expectation_free(&e);
	/* Decimal, normalized to the hex the protocol prints; a leading 0 is not octal. */
	ck_assert_int_eq(expect_parse("trace 0 IO_INSTRUCTION 1342177280", &e, err, sizeof(err)), 0);
	ck_assert_str_eq(e.value, "IO_INSTRUCTION 0x50000000");
	expectation_free(&e);
	ck_assert_int_eq(expect_parse("trace 0 CR_ACCESS 010", &e, err, sizeof(err)), 0);
	ck_assert_str_eq(e.value, "CR_ACCESS 0xa");
	expectation_free(&e);
	ck_assert_int_eq(expect_parse("trace 0 CR_ACCESS 0X1F", &e, err, sizeof(err)), 0);
	ck_assert_str_eq(e.value, "CR_ACCESS 0x1f");
	expectation_free(&e);
}
END_TEST

START_TEST(test_parse_rejects_bad_text)
{
	struct expectation e;
	err[0] = '\0';
	ck_assert_msg(expect_parse(bad[_i], &e, err, sizeof(err)) == -1, "accepted '%s'", bad[_i]);
	ck_assert_msg(strstr(err, bad[_i]) != NULL, "error '%s' does not quote '%s'", err, bad[_i]);
	ck_assert_ptr_null(e.text);
}
END_TEST

START_TEST(test_section_skips_padding)
{
	static const char sec[] = "stop done\0\0\0exit HLT 1\0";
	struct expect_set s;
	ck_assert_int_eq(expect_parse_section(sec, sizeof(sec) - 1, &s, err, sizeof(err)), 0);
	ck_assert_uint_eq(s.n, 2);
	ck_assert_str_eq(s.v[1].text, "exit HLT 1");
	expect_set_free(&s);

	ck_assert_int_eq(expect_parse_section("", 0, &s, err, sizeof(err)), 0);
	ck_assert_uint_eq(s.n, 0);

	ck_assert_int_eq(expect_parse_section("stop done", 9, &s, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "NUL"));
	ck_assert_int_eq(expect_parse_section("stop done\0bogus 1\0", 18, &s, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "bogus 1"));
	ck_assert_uint_eq(s.n, 0);
}
END_TEST

static const char two[] = "stop halted\0exit HLT 1\0";

START_TEST(test_elf_good)
{
	struct elf_image im;
	struct expect_set s;
	elf_image_build(&im, ".vexit.expect", two, sizeof(two) - 1);
	ck_assert_msg(expect_read_elf(im.bytes, im.len, &s, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(s.n, 2);
	ck_assert_str_eq(s.v[0].key, "halted");
	expect_set_free(&s);
}
END_TEST

START_TEST(test_elf_malformed)
{
	struct elf_image im;
	struct expect_set s;
	elf_image_build(&im, ".vexit.expect", two, sizeof(two) - 1);

	ck_assert_int_eq(expect_read_elf(im.bytes, 10, &s, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "not an ELF file");

	elf_image_build(&im, ".vexit.expectX", two, sizeof(two) - 1);
	ck_assert_int_eq(expect_read_elf(im.bytes, im.len, &s, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no .vexit.expect section"));

	elf_image_build(&im, ".vexit.expect", two, sizeof(two) - 1);
	im.bytes[EI_CLASS] = ELFCLASS32;
	ck_assert_int_eq(expect_read_elf(im.bytes, im.len, &s, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "ELF64"));

	elf_image_build(&im, ".vexit.expect", two, sizeof(two) - 1);
	im.eh->e_shoff = im.len - 8;
	ck_assert_int_eq(expect_read_elf(im.bytes, im.len, &s, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "section header table"));

	elf_image_build(&im, ".vexit.expect", two, sizeof(two) - 1);
	im.eh->e_shstrndx = 7;
	ck_assert_int_eq(expect_read_elf(im.bytes, im.len, &s, err, sizeof(err)), -1);

	elf_image_build(&im, ".vexit.expect", two, sizeof(two) - 1);
	im.sh[2].sh_size = 1u << 30;
	ck_assert_int_eq(expect_read_elf(im.bytes, im.len, &s, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "name table"));

	elf_image_build(&im, ".vexit.expect", two, sizeof(two) - 1);
	im.sh[1].sh_offset = ~0ull - 4;
	ck_assert_int_eq(expect_read_elf(im.bytes, im.len, &s, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "out of the file"));

	elf_image_build(&im, ".vexit.expect", two, sizeof(two) - 1);
	im.sh[1].sh_name = 0xffff;
	ck_assert_int_eq(expect_read_elf(im.bytes, im.len, &s, err, sizeof(err)), -1);

	elf_image_build(&im, ".vexit.expect", "stop\0", 5);
	ck_assert_int_eq(expect_read_elf(im.bytes, im.len, &s, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "'stop'"));
}
END_TEST

START_TEST(test_read_image_file)
{
	struct elf_image im;
	struct expect_set s;
	char path[] = "/tmp/check_expect.XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	elf_image_build(&im, ".vexit.expect", two, sizeof(two) - 1);
	ck_assert_int_eq(write(fd, im.bytes, im.len), (ssize_t)im.len);
	close(fd);
	ck_assert_msg(expect_read_image(path, &s, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(s.n, 2);
	expect_set_free(&s);
	unlink(path);
	ck_assert_int_eq(expect_read_image(path, &s, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "cannot read"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("expect");
	TCase *tc = tcase_create("grammar");
	tcase_add_test(tc, test_parse_each_kind);
	tcase_add_test(tc, test_parse_trace);
	tcase_add_test(tc, test_parse_history);
	tcase_add_loop_test(tc, test_parse_rejects_bad_text, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, test_section_skips_padding);
	suite_add_tcase(s, tc);
	tc = tcase_create("elf");
	tcase_add_test(tc, test_elf_good);
	tcase_add_test(tc, test_elf_malformed);
	tcase_add_test(tc, test_read_image_file);
	suite_add_tcase(s, tc);
	return run_suite(s, CK_NORMAL);
}
