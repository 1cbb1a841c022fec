/* Check tests of the output-protocol parser (harness/lib/protocol.c, docs/protocol.md). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"
#include "run_suite.h"

static struct run_report r;

static void parse(const char *text)
{
	run_report_free(&r);
	protocol_parse(text, strlen(text), &r);
}

static bool has_error(const char *needle)
{
	for (size_t i = 0; i < r.errors.n; i++)
		if (strstr(r.errors.v[i], needle))
			return true;
	return false;
}

static const char good_run[] =
	"SeaBIOS noise\r\n"
	"GRUB loading...\n"
	"VEXIT protocol 1\n"
	"VEXIT cpu vmx-revision=0x2b ept=yes ug=yes preemption-timer=yes\n"
	"VEXIT guest-begin hello\n"
	"VEXIT guest hello hello from a guest\n"
	"VEXIT guest hello PASS the debug port works\n"
	"VEXIT guest hello FAIL two: got 0x1 want 0x2\n"
	"VEXIT guest hello SKIPPY is a log line, not a skip\n"
	"VEXIT exit-count hello IO_INSTRUCTION 4\n"
	"VEXIT exit-count hello VMCALL 0x10\n"
	"VEXIT guest-end hello done exits=20 ticks=44066 status=0\n"
	"VEXIT guest-begin hlt\n"
	"VEXIT guest-end hlt halted exits=1 ticks=67 rip=0x10021\n"
	"VEXIT summary guests=2 pages-leaked=0\n"
	"VEXIT vmx-off vmcs=none vmclear=ok vmxoff=ok cr4.vmxe=0 vmread=ud\n"
	"VEXIT end\n";

START_TEST(test_good_run)
{
	parse(good_run);
	ck_assert_int_eq(r.version, 1);
	ck_assert_str_eq(r.cpu, "vmx-revision=0x2b ept=yes ug=yes preemption-timer=yes");
	ck_assert_str_eq(r.vmx_off, "vmcs=none vmclear=ok vmxoff=ok cr4.vmxe=0 vmread=ud");
	ck_assert_uint_eq(r.n_guests, 2);
	ck_assert_uint_eq(r.errors.n, 0);
	ck_assert(r.summary_seen && r.end_seen && !r.panic);
	ck_assert_uint_eq(r.summary_guests, 2);
	const struct guest_report *g = run_report_guest(&r, "hello");
	ck_assert_ptr_nonnull(g);
	ck_assert(g->ended);
	ck_assert_str_eq(g->stop, "done");
	ck_assert_uint_eq(g->lines.n, 4);
	ck_assert_str_eq(g->lines.v[0], "hello from a guest");
	ck_assert_uint_eq(g->passes, 1);
	ck_assert_uint_eq(g->fails, 1);
	ck_assert_uint_eq(g->skips, 0);
	ck_assert_uint_eq(guest_report_exits(g, "IO_INSTRUCTION"), 4);
	ck_assert_uint_eq(guest_report_exits(g, "VMCALL"), 16);
	ck_assert_uint_eq(guest_report_exits(g, "CPUID"), 0);
	ck_assert_str_eq(guest_report_field(g, "status"), "0");
	ck_assert_str_eq(guest_report_field(g, "ticks"), "44066");
	ck_assert_ptr_null(guest_report_field(g, "tick"));
	ck_assert_ptr_null(guest_report_field(g, "rip"));
	const struct guest_report *h = run_report_guest(&r, "hlt");
	ck_assert_str_eq(h->stop, "halted");
	ck_assert_str_eq(guest_report_field(h, "rip"), "0x10021");
	ck_assert_ptr_null(run_report_guest(&r, "hel"));
}
END_TEST

START_TEST(test_empty_and_garbage)
{
	parse("");
	ck_assert_int_eq(r.version, 0);
	ck_assert_uint_eq(r.n_guests, 0);
	ck_assert(!r.end_seen);
	const char garbage[] = "\x01\x02VEXITprotocol 1\nvexit end\n\xff\xfe random bytes\n  VEXIT end\n";
	run_report_free(&r);
	protocol_parse(garbage, sizeof(garbage) - 1, &r);
	ck_assert_int_eq(r.version, 0);
	ck_assert(!r.end_seen);
	ck_assert_uint_eq(r.errors.n, 0);
}
END_TEST

START_TEST(test_nul_bytes_do_not_stop_parsing)
{
	const char text[] = "VEXIT protocol 1\n\0\0\0VEXIT guest-begin a\nVEXIT end\n";
	run_report_free(&r);
	protocol_parse(text, sizeof(text) - 1, &r);
	ck_assert_int_eq(r.version, 1);
	ck_assert(r.end_seen);
}
END_TEST

START_TEST(test_truncated_capture)
{
	parse("VEXIT protocol 1\nVEXIT guest-begin hello\nVEXIT guest hello PASS one\nVEXIT guest-end hel");
	const struct guest_report *g = run_report_guest(&r, "hello");
	ck_assert_ptr_nonnull(g);
	ck_assert(!g->ended);
	ck_assert(!r.end_seen);
	ck_assert(has_error("line 4: last protocol line is cut off"));
}
END_TEST

START_TEST(test_out_of_order_lines)
{
	parse("VEXIT protocol 1\n"
	      "VEXIT guest ghost PASS x\n"
	      "VEXIT guest-begin a\n"
	      "VEXIT guest-begin a\n"
	      "VEXIT guest-end a done exits=1 ticks=2\n"
	      "VEXIT exit-count a HLT 1\n"
	      "VEXIT end\n"
	      "VEXIT guest-begin late\n");
	ck_assert(has_error("line 2: guest line for guest 'ghost' with no guest-begin"));
	ck_assert(has_error("line 4: guest 'a' begins twice"));
	ck_assert(has_error("line 6: exit-count for guest 'a' after its guest-end"));
	ck_assert(has_error("line 8: protocol line after 'VEXIT end'"));
}
END_TEST

START_TEST(test_malformed_lines)
{
	parse("VEXIT protocol one\n"
	      "VEXIT protocol 1\n"
	      "VEXIT protocol 1\n"
	      "VEXIT frobnicate 3\n"
	      "VEXIT \n"
	      "VEXIT guest-begin a\n"
	      "VEXIT exit-count a HLT\n"
	      "VEXIT exit-count a HLT -1\n"
	      "VEXIT exit-count a HLT 2\n"
	      "VEXIT exit-count a HLT 3\n"
	      "VEXIT guest-end a\n"
	      "VEXIT guest-end a done ticks=5 junk\n"
	      "VEXIT summary guests=x pages-leaked=0\n");
	ck_assert(has_error("line 1: malformed protocol line"));
	ck_assert(has_error("line 3: second protocol line"));
	ck_assert(has_error("line 4: unknown protocol line 'VEXIT frobnicate'"));
	ck_assert(has_error("line 5: empty protocol line"));
	ck_assert(has_error("line 7: exit-count without a number"));
	ck_assert(has_error("line 8: exit-count without a number"));
	ck_assert(has_error("line 10: second exit-count of HLT"));
	ck_assert(has_error("line 11: guest-end without a name and a stop token"));
	ck_assert(has_error("line 12: guest-end field 'junk' is not key=value"));
	ck_assert(has_error("line 12: guest-end of 'a' lacks exits= or ticks="));
	ck_assert(has_error("line 13: malformed summary line"));
	ck_assert(!r.summary_seen);
	ck_assert_int_eq(r.version, 1);
	ck_assert_uint_eq(guest_report_exits(run_report_guest(&r, "a"), "HLT"), 2);
}
END_TEST

START_TEST(test_guest_begin_tsc)
{
	parse("VEXIT protocol 1\nVEXIT guest-begin a tsc=1234\nVEXIT guest-begin b\n"
	      "VEXIT guest-begin c tsc=x\nVEXIT guest-begin d when=now\n");
	ck_assert(run_report_guest(&r, "a")->has_tsc);
	ck_assert_uint_eq(run_report_guest(&r, "a")->begin_tsc, 1234);
	ck_assert(!run_report_guest(&r, "b")->has_tsc);
	ck_assert(!run_report_guest(&r, "c")->has_tsc);
	ck_assert(has_error("line 4: malformed guest-begin line"));
	ck_assert(has_error("line 5: malformed guest-begin line"));
	ck_assert_uint_eq(r.errors.n, 2);
}
END_TEST

START_TEST(test_panic_keeps_first_text)
{
	parse("VEXIT protocol 1\nVEXIT panic #GP at rip=0x1234\nVEXIT panic again\n");
	ck_assert_str_eq(r.panic, "#GP at rip=0x1234");
	ck_assert(!r.end_seen);
}
END_TEST

/* GRUB's EFI console ends its last line "\n\r": the kernel's first line then starts with a carriage return. */
START_TEST(test_carriage_returns_around_a_line)
{
	parse("error: no suitable video mode found.\n\rVEXIT protocol 1\r\n\r\rVEXIT panic no VMX\r\n");
	ck_assert_int_eq(r.version, 1);
	ck_assert_str_eq(r.panic, "no VMX");
	ck_assert_uint_eq(r.errors.n, 0);
}
END_TEST

START_TEST(test_guest_line_classes)
{
	parse("VEXIT protocol 1\nVEXIT guest-begin g\n"
	      "VEXIT guest g PASS\nVEXIT guest g PASSED is a log\nVEXIT guest g FAIL\n"
	      "VEXIT guest g SKIP no EPT\nVEXIT guest g \nVEXIT guest g pass lower case is a log\n");
	const struct guest_report *g = run_report_guest(&r, "g");
	ck_assert_uint_eq(g->passes, 1);
	ck_assert_uint_eq(g->fails, 1);
	ck_assert_uint_eq(g->skips, 1);
	ck_assert_uint_eq(g->lines.n, 6);
	ck_assert_str_eq(g->lines.v[4], "");
}
END_TEST

START_TEST(test_console_lines)
{
	/* An external kernel's console: kept in order apart from guest lines, its words counting nothing. */
	parse("VEXIT protocol 1\nVEXIT guest-begin k\n"
	      "VEXIT console k PASS: msr\nVEXIT console k FAIL x\nVEXIT console k PASS one\n"
	      "VEXIT console k \nVEXIT guest k log\n"
	      "VEXIT guest-end k done exits=2 ticks=5 status=0 exit-code=1\n"
	      "VEXIT console k late\nVEXIT console\nVEXIT console nobody hi\n");
	const struct guest_report *g = run_report_guest(&r, "k");
	ck_assert_uint_eq(g->console.n, 4);
	ck_assert_str_eq(g->console.v[0], "PASS: msr");
	ck_assert_str_eq(g->console.v[2], "PASS one");
	ck_assert_str_eq(g->console.v[3], "");
	ck_assert_uint_eq(g->passes + g->fails + g->skips, 0);
	ck_assert_uint_eq(g->lines.n, 1);
	ck_assert(has_error("line 9: console line for guest 'k' after its guest-end"));
	ck_assert(has_error("line 10: console line without a name"));
	ck_assert(has_error("line 11: console line for guest 'nobody' with no guest-begin"));
}
END_TEST

START_TEST(test_exit_trace)
{
	parse("VEXIT protocol 1\nVEXIT guest-begin g\n"
	      "VEXIT exit-trace g 0 CR_ACCESS 0x3\n"
	      "VEXIT exit-trace g 1 IO_INSTRUCTION 0x50000000\n"
	      "VEXIT exit-trace g 3 HLT 0x0\n"
	      "VEXIT exit-trace g two HLT 0x0\n"
	      "VEXIT guest-end g done exits=2 ticks=5 traced=2 status=0\n"
	      "VEXIT exit-trace g 2 HLT 0x0\n");
	const struct guest_report *g = run_report_guest(&r, "g");
	ck_assert_uint_eq(g->trace.n, 2);
	ck_assert_str_eq(g->trace.v[0], "CR_ACCESS 0x3");
	ck_assert_str_eq(g->trace.v[1], "IO_INSTRUCTION 0x50000000");
	ck_assert(has_error("line 5: exit-trace entry 3 of 'g' out of order (want 2)"));
	ck_assert(has_error("line 6: malformed exit-trace line"));
	ck_assert(has_error("line 8: exit-trace for guest 'g' after its guest-end"));
	ck_assert_str_eq(guest_report_field(g, "traced"), "2");
}
END_TEST

static void teardown(void)
{
	run_report_free(&r);
}

int main(void)
{
	Suite *s = suite_create("protocol");
	TCase *tc = tcase_create("parse");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_good_run);
	tcase_add_test(tc, test_guest_begin_tsc);
	tcase_add_test(tc, test_empty_and_garbage);
	tcase_add_test(tc, test_nul_bytes_do_not_stop_parsing);
	tcase_add_test(tc, test_truncated_capture);
	tcase_add_test(tc, test_out_of_order_lines);
	tcase_add_test(tc, test_malformed_lines);
	tcase_add_test(tc, test_panic_keeps_first_text);
	tcase_add_test(tc, test_carriage_returns_around_a_line);
	tcase_add_test(tc, test_guest_line_classes);
	tcase_add_test(tc, test_console_lines);
	tcase_add_test(tc, test_exit_trace);
	suite_add_tcase(s, tc);
	return run_suite(s, CK_NORMAL);
}
