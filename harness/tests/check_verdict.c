/* Check tests of the verdicts: guest expectations against a parsed run, and run-level problems. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_suite.h"
#include "verdict.h"

static struct run_report run;
static struct expect_set expects;
static struct strlist why;

static void parse_run(const char *text)
{
	run_report_free(&run);
	protocol_parse(text, strlen(text), &run);
}

static void expect(const char *section, size_t len)
{
	char err[256];
	expect_set_free(&expects);
	ck_assert_msg(expect_parse_section(section, len, &expects, err, sizeof(err)) == 0, "%s", err);
}
#define EXPECT_SECTION(lit) expect(lit, sizeof(lit))

static enum verdict judge(const char *name)
{
	strlist_free(&why);
	return verdict_guest(name, run_report_guest(&run, name), &expects, &why);
}

static bool why_has(const char *s)
{
	for (size_t i = 0; i < why.n; i++)
		if (strcmp(why.v[i], s) == 0)
			return true;
	return false;
}

static void teardown(void)
{
	run_report_free(&run);
	expect_set_free(&expects);
	strlist_free(&why);
}

static const char vmcall_run[] = "VEXIT protocol 1\n"
				 "VEXIT guest-begin vmcall\n"
				 "VEXIT guest vmcall PASS one\n"
				 "VEXIT guest vmcall PASS two\n"
				 "VEXIT exit-count vmcall VMCALL 3\n"
				 "VEXIT exit-count vmcall IO_INSTRUCTION 3\n"
				 "VEXIT guest-end vmcall done exits=6 ticks=100 status=0\n"
				 "VEXIT summary guests=1 pages-leaked=0\n"
				 "VEXIT end\n";

START_TEST(test_all_hold)
{
	parse_run(vmcall_run);
	EXPECT_SECTION("stop done\0status 0\0asserts 2\0exit VMCALL 3\0exit IO_INSTRUCTION 3\0exit HLT 0");
	ck_assert_int_eq(judge("vmcall"), VERDICT_PASS);
	ck_assert_uint_eq(why.n, 0);
}
END_TEST

START_TEST(test_wrong_exit_count_names_guest_expectation_and_values)
{
	parse_run(vmcall_run);
	EXPECT_SECTION("exit VMCALL 4");
	ck_assert_int_eq(judge("vmcall"), VERDICT_FAIL);
	ck_assert_uint_eq(why.n, 1);
	ck_assert_str_eq(why.v[0], "vmcall: expectation 'exit VMCALL 4': got 3, want 4");
}
END_TEST

START_TEST(test_every_kind_can_fail)
{
	parse_run(vmcall_run);
	EXPECT_SECTION("stop halted\0asserts 3\0exit CPUID 1\0field rip=0x10\0field exits=7");
	ck_assert_int_eq(judge("vmcall"), VERDICT_FAIL);
	ck_assert(why_has("vmcall: expectation 'stop halted': got done, want halted"));
	ck_assert(why_has("vmcall: expectation 'asserts 3': got 2, want 3"));
	ck_assert(why_has("vmcall: expectation 'exit CPUID 1': got 0, want 1"));
	ck_assert(why_has("vmcall: expectation 'field rip=0x10': got no rip= field, want 0x10"));
	ck_assert(why_has("vmcall: expectation 'field exits=7': got 6, want 7"));
	ck_assert_uint_eq(why.n, 5);
}
END_TEST

START_TEST(test_defaults_stop_done_status_zero)
{
	parse_run("VEXIT protocol 1\nVEXIT guest-begin g\nVEXIT guest-end g done exits=1 ticks=1 status=3\n");
	EXPECT_SECTION("exit HLT 0");
	ck_assert_int_eq(judge("g"), VERDICT_FAIL);
	ck_assert(why_has("g: expectation 'status 0' (default): got 3, want 0"));

	parse_run("VEXIT protocol 1\nVEXIT guest-begin g\nVEXIT guest-end g budget exits=1 ticks=1 budget=9\n");
	ck_assert_int_eq(judge("g"), VERDICT_FAIL);
	ck_assert(why_has("g: expectation 'stop done' (default): got budget, want done"));

	/* A declared non-done stop needs no status. */
	EXPECT_SECTION("stop budget");
	ck_assert_int_eq(judge("g"), VERDICT_PASS);

	/* An explicit status replaces the default one. */
	parse_run("VEXIT protocol 1\nVEXIT guest-begin g\nVEXIT guest-end g done exits=1 ticks=1 status=3\n");
	EXPECT_SECTION("status 3");
	ck_assert_int_eq(judge("g"), VERDICT_PASS);

	parse_run("VEXIT protocol 1\nVEXIT guest-begin g\nVEXIT guest-end g done exits=1 ticks=1\n");
	ck_assert_int_eq(judge("g"), VERDICT_FAIL);
	ck_assert(why_has("g: expectation 'status 3': got no status= field, want 3"));
}
END_TEST

START_TEST(test_fail_line_fails_even_when_expectations_hold)
{
	parse_run("VEXIT protocol 1\nVEXIT guest-begin g\nVEXIT guest g FAIL x: got 0x1 want 0x2\n"
		  "VEXIT guest-end g done exits=1 ticks=1 status=0\n");
	EXPECT_SECTION("stop done");
	ck_assert_int_eq(judge("g"), VERDICT_FAIL);
	ck_assert(why_has("g: the guest reported FAIL x: got 0x1 want 0x2"));
}
END_TEST

START_TEST(test_missing_and_unfinished_guests)
{
	parse_run("VEXIT protocol 1\nVEXIT guest-begin g\nVEXIT guest g PASS x\n");
	EXPECT_SECTION("stop done");
	ck_assert_int_eq(judge("g"), VERDICT_FAIL);
	ck_assert_str_eq(why.v[0], "g: no guest-end line: the run stopped while this guest was running");
	ck_assert_int_eq(judge("other"), VERDICT_FAIL);
	ck_assert_str_eq(why.v[0], "other: never ran (no guest-begin line in the output)");
}
END_TEST

START_TEST(test_skips)
{
	parse_run("VEXIT protocol 1\nVEXIT guest-begin g\nVEXIT guest-end g skipped exits=0 ticks=0 why=no-ept\n"
		  "VEXIT guest-begin h\nVEXIT guest h SKIP needs unrestricted guest\n"
		  "VEXIT guest-end h done exits=2 ticks=9 status=0\n"
		  "VEXIT guest-begin k\nVEXIT guest k SKIP a\nVEXIT guest k FAIL b\n"
		  "VEXIT guest-end k done exits=2 ticks=9 status=0\n");
	EXPECT_SECTION("exit VMCALL 99");
	ck_assert_int_eq(judge("g"), VERDICT_SKIP);
	ck_assert_str_eq(why.v[0], "g: skipped by the hypervisor: no-ept");
	ck_assert_int_eq(judge("h"), VERDICT_SKIP);
	ck_assert_str_eq(why.v[0], "h: skipped by the guest: SKIP needs unrestricted guest");
	/* A FAIL beats a SKIP. */
	ck_assert_int_eq(judge("k"), VERDICT_FAIL);

	/* A SKIP line does not hide a crash, a budget stop or a failing status. */
	parse_run("VEXIT protocol 1\n"
		  "VEXIT guest-begin t\nVEXIT guest t SKIP no XSAVE\nVEXIT guest-end t triple-fault exits=1 ticks=9 rip=0x1\n"
		  "VEXIT guest-begin s\nVEXIT guest s SKIP no XSAVE\nVEXIT guest-end s done exits=1 ticks=9 status=99\n"
		  "VEXIT guest-begin p\nVEXIT guest p SKIPPED is a log line\nVEXIT guest-end p done exits=1 ticks=9 status=0\n");
	EXPECT_SECTION("stop done");
	ck_assert_int_eq(judge("t"), VERDICT_FAIL);
	ck_assert(why_has("t: the guest said SKIP but then ended with stop=triple-fault"));
	ck_assert_int_eq(judge("s"), VERDICT_FAIL);
	ck_assert(why_has("s: the guest said SKIP but then ended with stop=done status=99"));
	ck_assert_int_eq(judge("p"), VERDICT_PASS);
}
END_TEST

static size_t run_problems(const char *text, const char *const *names, size_t n)
{
	struct strlist expected = { 0 };
	for (size_t i = 0; i < n; i++)
		strlist_addf(&expected, "%s", names[i]);
	parse_run(text);
	strlist_free(&why);
	size_t k = verdict_run(&run, &expected, &why);
	strlist_free(&expected);
	return k;
}

START_TEST(test_run_problems)
{
	static const char *const one[] = { "vmcall" };
	ck_assert_uint_eq(run_problems(vmcall_run, one, 1), 0);

	ck_assert_uint_eq(run_problems("garbage\n", one, 1), 1);
	ck_assert(why_has("no 'VEXIT protocol' line: the hypervisor never started talking"));

	ck_assert_uint_eq(run_problems("VEXIT protocol 2\nVEXIT summary guests=0 pages-leaked=0\nVEXIT end\n",
				       NULL, 0), 1);
	ck_assert(why_has("protocol version 2, this harness reads version 1"));

	run_problems("VEXIT protocol 1\nVEXIT panic page fault at 0x0\n", NULL, 0);
	ck_assert(why_has("the hypervisor panicked: page fault at 0x0"));
	ck_assert(why_has("truncated run: no 'VEXIT end' line"));

	run_problems("VEXIT protocol 1\nVEXIT summary guests=1 pages-leaked=3\nVEXIT end\n", NULL, 0);
	ck_assert(why_has("the hypervisor leaked 3 pages over the run"));
	ck_assert(why_has("the summary counts 1 guests, the output shows 0"));

	run_problems("VEXIT protocol 1\nVEXIT end\n", NULL, 0);
	ck_assert(why_has("no summary line before 'VEXIT end'"));

	ck_assert_uint_eq(run_problems(vmcall_run, NULL, 0), 1);
	ck_assert(why_has("guest 'vmcall' ran but is not among the selected guest images"));

	/* After the cpu line (VMXON), the run must leave VMX and prove it. */
	static const char vmx_on[] = "VEXIT protocol 1\nVEXIT cpu vmx-revision=0x2b\n";
	static const char end[] = "VEXIT summary guests=0 pages-leaked=0\nVEXIT end\n";
	char text[512];
	snprintf(text, sizeof(text), "%s%s", vmx_on, end);
	ck_assert_uint_eq(run_problems(text, NULL, 0), 1);
	ck_assert(why_has("VMX left on: no 'VEXIT vmx-off' line after VMXON"));
	snprintf(text, sizeof(text), "%sVEXIT vmx-off vmcs=none vmxoff=ok vmread=no-fault\n%s", vmx_on, end);
	ck_assert_uint_eq(run_problems(text, NULL, 0), 1);
	ck_assert(why_has("VMX still on after VMXOFF: a VMREAD did not raise #UD "
			  "(VEXIT vmx-off vmcs=none vmxoff=ok vmread=no-fault)"));
	snprintf(text, sizeof(text), "%sVEXIT vmx-off vmcs=none vmxoff=ok vmread=ud\n%s", vmx_on, end);
	ck_assert_uint_eq(run_problems(text, NULL, 0), 0);
	/* A panic after VMXON: the vmx-off line follows the panic line. */
	run_problems("VEXIT protocol 1\nVEXIT cpu vmx-revision=0x2b\nVEXIT panic oops\n"
		     "VEXIT vmx-off vmcs=0x1000 vmxoff=ok vmread=ud\n", NULL, 0);
	ck_assert_uint_eq(why.n, 2);
	ck_assert(why_has("the hypervisor panicked: oops") && why_has("truncated run: no 'VEXIT end' line"));

	run_problems("VEXIT protocol 1\nVEXIT bogus\n", NULL, 0);
	ck_assert(why_has("protocol error: line 2: unknown protocol line 'VEXIT bogus'"));
}
END_TEST

START_TEST(test_trace_expectations)
{
	parse_run("VEXIT protocol 1\nVEXIT guest-begin t\n"
		  "VEXIT exit-trace t 0 CR_ACCESS 0x3\nVEXIT exit-trace t 1 CR_ACCESS 0x313\n"
		  "VEXIT guest-end t done exits=3 ticks=9 traced=2 status=0\n");
	EXPECT_SECTION("trace 0 CR_ACCESS 0x3\0trace 1 CR_ACCESS 787\0field traced=2");
	ck_assert_int_eq(judge("t"), VERDICT_PASS);
	EXPECT_SECTION("trace 1 CR_ACCESS 0x903\0trace 2 HLT 0x0\0trace 0 IO_INSTRUCTION 0x3");
	ck_assert_int_eq(judge("t"), VERDICT_FAIL);
	ck_assert(why_has("t: expectation 'trace 1 CR_ACCESS 0x903': got CR_ACCESS 0x313, want CR_ACCESS 0x903"));
	ck_assert(why_has("t: expectation 'trace 2 HLT 0x0': got no such trace entry, want HLT 0x0"));
	ck_assert(why_has("t: expectation 'trace 0 IO_INSTRUCTION 0x3': got CR_ACCESS 0x3, want IO_INSTRUCTION 0x3"));
	ck_assert_uint_eq(why.n, 3);
}
END_TEST

START_TEST(test_history_expectations)
{
	/* The history keeps the last exits: record numbers need not start at 0. */
	parse_run("VEXIT protocol 1\nVEXIT guest-begin h\n"
		  "VEXIT exit-history h exits=9 kept=2\n"
		  "VEXIT exit-record h 7 reason=VMCALL qual=- rip=0x10005 tick=50\n"
		  "VEXIT exit-record h 8 reason=IO_INSTRUCTION qual=0xe90030 rip=0x10008 tick=60\n"
		  "VEXIT guest-end h done exits=9 ticks=99 status=0\n");
	EXPECT_SECTION("history 7 VMCALL -\0history 8 IO_INSTRUCTION 0xe90030");
	ck_assert_int_eq(judge("h"), VERDICT_PASS);
	EXPECT_SECTION("history 7 VMCALL 0x0\0history 8 CPUID 0xe90030\0history 6 VMCALL -");
	ck_assert_int_eq(judge("h"), VERDICT_FAIL);
	ck_assert(why_has("h: expectation 'history 7 VMCALL 0x0': got 7 VMCALL -, want 7 VMCALL 0x0"));
	ck_assert(why_has("h: expectation 'history 8 CPUID 0xe90030': got 8 IO_INSTRUCTION 0xe90030, want 8 CPUID 0xe90030"));
	ck_assert(why_has("h: expectation 'history 6 VMCALL -': got no exit-record 6, want 6 VMCALL -"));
	ck_assert_uint_eq(why.n, 3);
	/* An exit-record with no qual= (or a bad one) is malformed. */
	parse_run("VEXIT protocol 1\nVEXIT guest-begin h\nVEXIT exit-record h 0 reason=VMCALL rip=0x1 tick=1\n"
		  "VEXIT exit-record h 1 reason=VMCALL qual=zz rip=0x1 tick=1\n"
		  "VEXIT guest-end h done exits=2 ticks=9 status=0\n");
	ck_assert_uint_eq(run.errors.n, 2);
}
END_TEST

START_TEST(test_verdict_names)
{
	ck_assert_str_eq(verdict_name(VERDICT_PASS), "PASS");
	ck_assert_str_eq(verdict_name(VERDICT_FAIL), "FAIL");
	ck_assert_str_eq(verdict_name(VERDICT_SKIP), "SKIP");
}
END_TEST

START_TEST(test_needs_a_missing_feature_skips)
{
	EXPECT_SECTION("needs preemption-timer\0stop budget");
	const char *lacks = "vmx-revision=0x2b ept=yes ug=no preemption-timer=no";
	const char *has = "vmx-revision=0x2b ept=yes ug=no preemption-timer=yes";
	ck_assert(verdict_needs_missing("budget", lacks, &expects, &why));
	ck_assert(why_has("budget: needs preemption-timer, which this CPU lacks "
			  "(VEXIT cpu vmx-revision=0x2b ept=yes ug=no preemption-timer=no)"));
	strlist_free(&why);
	ck_assert(!verdict_needs_missing("budget", has, &expects, &why));
	ck_assert(!verdict_needs_missing("budget", NULL, &expects, &why));
	/* Only the whole key counts: "ug=no" is not "xug=no". */
	EXPECT_SECTION("needs g");
	ck_assert(!verdict_needs_missing("budget", "ug=no", &expects, &why));
	EXPECT_SECTION("needs ug");
	ck_assert(verdict_needs_missing("budget", lacks, &expects, &why));
	/* key=value: skipped unless the run has exactly that field. */
	EXPECT_SECTION("needs watchdog=apic-timer");
	ck_assert(verdict_needs_missing("budget_apic", "ept=yes watchdog=preemption-timer", &expects, &why));
	ck_assert(why_has("budget_apic: needs watchdog=apic-timer, which this run does not have "
			  "(VEXIT cpu ept=yes watchdog=preemption-timer)"));
	ck_assert(verdict_needs_missing("budget_apic", "ept=yes watchdog=apic-timerx", &expects, &why));
	ck_assert(verdict_needs_missing("budget_apic", "ept=yes", &expects, &why));
	ck_assert(!verdict_needs_missing("budget_apic", "watchdog=apic-timer ept=yes", &expects, &why));
	/* A needs line is no expectation on the run's lines: a passing run still passes. */
	parse_run(vmcall_run);
	EXPECT_SECTION("needs ept\0exit VMCALL 3");
	ck_assert_int_eq(judge("vmcall"), VERDICT_PASS);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("verdict");
	TCase *tc = tcase_create("guest");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_all_hold);
	tcase_add_test(tc, test_wrong_exit_count_names_guest_expectation_and_values);
	tcase_add_test(tc, test_every_kind_can_fail);
	tcase_add_test(tc, test_defaults_stop_done_status_zero);
	tcase_add_test(tc, test_fail_line_fails_even_when_expectations_hold);
	tcase_add_test(tc, test_missing_and_unfinished_guests);
	tcase_add_test(tc, test_skips);
	tcase_add_test(tc, test_needs_a_missing_feature_skips);
	tcase_add_test(tc, test_verdict_names);
	tcase_add_test(tc, test_trace_expectations);
	tcase_add_test(tc, test_history_expectations);
	suite_add_tcase(s, tc);
	tc = tcase_create("run");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_run_problems);
	suite_add_tcase(s, tc);
	return run_suite(s, CK_NORMAL);
}
