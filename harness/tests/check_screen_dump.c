/*
 * Unit tests of the screen run's harness pieces: harness/lib/screen_dump.c (the
 * debugger script, and the text of a text screen read back from Bochs's `xp`
 * dump) and harness/lib/elf_symbol.c (the breakpoint's address, from a symbol table).
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_symbol.h"
#include "run_suite.h"
#include "screen_dump.h"

/* A dump of a 4x3 screen as the Bochs debugger prints it: 8 cells a line, attribute 0x07. */
static char *dump_of(const char *screen12)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);
	fputs("VEXIT end\n(0) Breakpoint 1, 0x0000000000100b50 in ?? ()\n[bochs]:\n", f);
	for (unsigned i = 0; i < 12; i++) {
		if (i % 8 == 0)
			fprintf(f, "%s0x%016x <bogus+%8u>:", i ? "\n" : "", 0xb8000 + 2 * i, 2 * i);
		fprintf(f, "\t0x%04x", 0x0700 | (unsigned char)screen12[i]);
	}
	fputs("\n(0).[5413424] [0x000000100b50] 0008:0000000000100b50 (unk. ctxt): cmp ...\n", f);
	fclose(f);
	return s;
}

START_TEST(test_rows_become_lines)
{
	static const struct {
		const char *cells, *text;
	} cases[] = {
		{ "ab  " "c   " "    ", "ab\nc\n" },
		/* A row whose last column is written is a line the screen wrapped; blank rows below go. */
		{ "VEXI" "T en" "d   ", "VEXIT end\n" },
		{ "    " "    " "    ", "\n" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *d = dump_of(cases[i].cells);
		char *t = screen_dump_text(d, 4, 3);
		ck_assert_str_eq(t, cases[i].text);
		free(t);
		free(d);
	}
}
END_TEST

START_TEST(test_unprintable_cells_and_last_dump)
{
	char *first = dump_of("old " "    " "    ");
	char *second = dump_of("n\x01w " "    " "  x ");
	char *both = NULL;
	if (asprintf(&both, "%s%s", first, second) < 0)
		ck_abort();
	char *t = screen_dump_text(both, 4, 3);
	ck_assert_str_eq(t, "n?w\n\n  x\n");
	free(t);
	free(both);
	free(first);
	free(second);
}
END_TEST

START_TEST(test_no_whole_dump_is_none)
{
	ck_assert_ptr_null(screen_dump_text("VEXIT protocol 1\nVEXIT end\n", 4, 3));
	/* 12 cells dumped, but the screen asked for has 16. */
	char *d = dump_of("abcdefghijkl");
	ck_assert_ptr_null(screen_dump_text(d, 4, 4));
	free(d);
}
END_TEST

START_TEST(test_commands)
{
	char *c = screen_dump_commands(0x100b50, 80, 25);
	ck_assert_str_eq(c, "lb 0x100b50\nc\nxp /2000hx 0xb8000\nquit\n");
	free(c);
}
END_TEST

__attribute__((noinline)) void screen_dump_probe_a(void);
__attribute__((noinline)) void screen_dump_probe_b(void);
__attribute__((noinline)) void screen_dump_probe_a(void)
{
	__asm__ volatile("");
}
__attribute__((noinline)) void screen_dump_probe_b(void)
{
	__asm__ volatile("");
}

START_TEST(test_elf_symbol)
{
	/* This program's own symbols: wherever it was loaded, they lie as far apart as in its file. */
	uint64_t a, b;
	char err[512];
	ck_assert_int_eq(elf_symbol_address("/proc/self/exe", "screen_dump_probe_a", &a, err, sizeof(err)), 0);
	ck_assert_int_eq(elf_symbol_address("/proc/self/exe", "screen_dump_probe_b", &b, err, sizeof(err)), 0);
	ck_assert_int_eq((int64_t)(b - a), (intptr_t)screen_dump_probe_b - (intptr_t)screen_dump_probe_a);
	ck_assert_int_eq(elf_symbol_address("/proc/self/exe", "no_such_symbol_here", &a, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no symbol 'no_such_symbol_here'"));
	ck_assert_int_eq(elf_symbol_address("/proc/self/cmdline", "main", &a, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a little-endian ELF32 or ELF64 file"));
	ck_assert_int_eq(elf_symbol_address("/nonexistent/vexit.elf", "main", &a, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "No such file"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("screen_dump");
	TCase *tc = tcase_create("screen");
	tcase_add_test(tc, test_rows_become_lines);
	tcase_add_test(tc, test_unprintable_cells_and_last_dump);
	tcase_add_test(tc, test_no_whole_dump_is_none);
	tcase_add_test(tc, test_commands);
	tcase_add_test(tc, test_elf_symbol);
	suite_add_tcase(s, tc);
	return run_suite(s, CK_NORMAL);
}
