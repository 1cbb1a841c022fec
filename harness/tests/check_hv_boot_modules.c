/*
 * Unit tests of hypervisor/run/boot_modules.c: which multiboot2 modules vexit
 * was booted with are boot modules of an external kernel (`+NAME STRING`)
 * rather than guests, whose they are, and the string each kernel sees.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "run/boot_modules.h"
#include "run_suite.h"

static const uint8_t bytes[64];

/* Module i spans bytes[i, i + 1 + i): each a different start and size. */
static struct mb2_module mod(unsigned i, const char *cmdline)
{
	return (struct mb2_module){ (uint64_t)(uintptr_t)&bytes[i], (uint64_t)(uintptr_t)&bytes[2 * i + 1], cmdline };
}

START_TEST(test_attached_or_guest)
{
	struct mb2_module m = mod(0, "+syscall env");
	ck_assert(boot_module_is_attached(&m));
	m = mod(0, "syscall +x");
	ck_assert(!boot_module_is_attached(&m));
	m = mod(0, "");
	ck_assert(!boot_module_is_attached(&m));
}
END_TEST

START_TEST(test_modules_of_a_guest)
{
	struct mb2_module all[] = { mod(0, "+sys env"), mod(1, "sys -v"),     mod(2, "+system x"),
				    mod(3, "+sys   data.bin a b"), mod(4, "+sy y"), mod(5, "+sys"),
				    mod(6, "hello") };
	struct mb1_module out[4];
	memset(out, 0xaa, sizeof(out));
	ck_assert_uint_eq(boot_modules_of(all, 7, "sys", out, 4), 3);
	/* In boot order, whichever side of the guest; a name is a whole word (not system, not sy). */
	ck_assert_ptr_eq(out[0].data, &bytes[0]);
	ck_assert_uint_eq(out[0].size, 1);
	ck_assert_str_eq(out[0].string, "env");
	ck_assert_ptr_eq(out[1].data, &bytes[3]);
	ck_assert_uint_eq(out[1].size, 4);
	ck_assert_str_eq(out[1].string, "data.bin a b"); /* the spaces after +NAME are not the string's */
	ck_assert_ptr_eq(out[2].data, &bytes[5]);
	ck_assert_str_eq(out[2].string, "");
	ck_assert_uint_eq(boot_modules_of(all, 7, "hello", out, 4), 0);
	ck_assert_uint_eq(boot_modules_of(all, 7, "system", out, 4), 1);
	ck_assert_str_eq(out[0].string, "x");
}
END_TEST

START_TEST(test_more_than_room)
{
	struct mb2_module all[] = { mod(0, "k"), mod(1, "+k a"), mod(2, "+k b"), mod(3, "+k c") };
	struct mb1_module out[3];
	memset(out, 0, sizeof(out));
	/* All are counted, only the first two written: the caller sees there are too many. */
	ck_assert_uint_eq(boot_modules_of(all, 4, "k", out, 2), 3);
	ck_assert_str_eq(out[0].string, "a");
	ck_assert_str_eq(out[1].string, "b");
	ck_assert_ptr_null(out[2].string);
}
END_TEST

START_TEST(test_orphans)
{
	struct mb2_module ok[] = { mod(0, "+b env"), mod(1, "a x"), mod(2, "b"), mod(3, "+a m") };
	ck_assert_ptr_null(boot_module_orphan(ok, 4));
	struct mb2_module none[] = { mod(0, "a"), mod(1, "+ab m"), mod(2, "b") };
	ck_assert_ptr_eq(boot_module_orphan(none, 3), &none[1]);
	/* A boot module is no guest of another boot module, and a bare + names nothing. */
	struct mb2_module chain[] = { mod(0, "+a x"), mod(1, "++a y") };
	ck_assert_ptr_eq(boot_module_orphan(chain, 2), &chain[0]);
	struct mb2_module bare[] = { mod(0, "a"), mod(1, "+ a") };
	ck_assert_ptr_eq(boot_module_orphan(bare, 2), &bare[1]);
	ck_assert_ptr_null(boot_module_orphan(NULL, 0));
}
END_TEST

static Suite *boot_modules_suite(void)
{
	Suite *s = suite_create("hv_boot_modules");
	TCase *tc = tcase_create("boot_modules");
	tcase_add_test(tc, test_attached_or_guest);
	tcase_add_test(tc, test_modules_of_a_guest);
	tcase_add_test(tc, test_more_than_room);
	tcase_add_test(tc, test_orphans);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(boot_modules_suite(), CK_NORMAL);
}
