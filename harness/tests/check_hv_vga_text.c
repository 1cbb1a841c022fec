/*
 * Unit tests of hypervisor/kernel/vga_text.c, the console's text screen, over an
 * ordinary array standing in for the VGA's cells: lines land on rows, long lines
 * wrap, a full screen scrolls, and a pitch wider than the screen is kept to.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "kernel/vga_text.h"
#include "run_suite.h"

#define COLS 10
#define ROWS 3
#define PITCH 12

static uint16_t mem[ROWS * PITCH];
static struct vga_text scr;

static void setup(void)
{
	for (unsigned i = 0; i < ROWS * PITCH; i++)
		mem[i] = 0xdead;
	vga_text_init(&scr, mem, COLS, ROWS, PITCH);
}

static void put(const char *s)
{
	while (*s)
		vga_text_putc(&scr, *s++);
}

/* Row r as text (characters only), after checking every cell's attribute. */
static const char *row(unsigned r)
{
	static char buf[COLS + 1];
	for (unsigned c = 0; c < COLS; c++) {
		ck_assert_uint_eq(mem[r * PITCH + c] >> 8, VGA_TEXT_ATTR);
		buf[c] = (char)(mem[r * PITCH + c] & 0xff);
	}
	buf[COLS] = '\0';
	return buf;
}

START_TEST(test_init_blanks_the_screen_only)
{
	for (unsigned r = 0; r < ROWS; r++) {
		ck_assert_str_eq(row(r), "          ");
		/* The cells past the last column (the pitch's padding) are not the screen's. */
		ck_assert_uint_eq(mem[r * PITCH + COLS], 0xdead);
	}
}
END_TEST

START_TEST(test_lines_land_on_rows)
{
	put("VEXIT a\nVEXIT b\n");
	ck_assert_str_eq(row(0), "VEXIT a   ");
	ck_assert_str_eq(row(1), "VEXIT b   ");
	ck_assert_str_eq(row(2), "          ");
	put("x\ry");
	ck_assert_str_eq(row(2), "y         ");
}
END_TEST

START_TEST(test_long_line_wraps)
{
	/* Exactly COLS characters then a newline take one row, not two. */
	put("0123456789\nabcdefghijKL");
	ck_assert_str_eq(row(0), "0123456789");
	ck_assert_str_eq(row(1), "abcdefghij");
	ck_assert_str_eq(row(2), "KL        ");
}
END_TEST

START_TEST(test_full_screen_scrolls)
{
	put("one\ntwo\nthree\nfour\n");
	ck_assert_str_eq(row(0), "three     ");
	ck_assert_str_eq(row(1), "four      ");
	ck_assert_str_eq(row(2), "          ");
	put("five and more");
	ck_assert_str_eq(row(0), "four      ");
	ck_assert_str_eq(row(1), "five and m");
	ck_assert_str_eq(row(2), "ore       ");
	for (unsigned r = 0; r < ROWS; r++)
		ck_assert_uint_eq(mem[r * PITCH + COLS + 1], 0xdead);
}
END_TEST

START_TEST(test_unprintable_bytes_show_as_question_marks)
{
	put("a\tb\x7f\x01");
	ck_assert_str_eq(row(0), "a?b??     ");
}
END_TEST

START_TEST(test_no_screen_writes_nothing)
{
	struct vga_text none = { 0 };
	vga_text_putc(&none, 'x');
	vga_text_putc(&none, '\n');
	ck_assert_ptr_null((const void *)none.cells);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hv_vga_text");
	TCase *tc = tcase_create("screen");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_init_blanks_the_screen_only);
	tcase_add_test(tc, test_lines_land_on_rows);
	tcase_add_test(tc, test_long_line_wraps);
	tcase_add_test(tc, test_full_screen_scrolls);
	tcase_add_test(tc, test_unprintable_bytes_show_as_question_marks);
	tcase_add_test(tc, test_no_screen_writes_nothing);
	suite_add_tcase(s, tc);
	return run_suite(s, CK_NORMAL);
}
