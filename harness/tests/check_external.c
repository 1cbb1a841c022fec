/*
 * Check tests of the external-kernel harness: the manifest parser
 * (harness/lib/manifest.c) and the verdict on an external kernel
 * (harness/lib/verdict_external.c), over captures parsed by the protocol parser.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aid_kernel.h"
#include "file_read.h"
#include "grub_tree.h"
#include "manifest.h"
#include "protocol.h"
#include "run_suite.h"
#include "suite.h"
#include "suite_bare.h"
#include "test_files.h"
#include "verdict_external.h"

static struct manifest m;
static char err[256];

static void teardown(void)
{
	manifest_free(&m);
}

/* --- the manifest ------------------------------------------------------------------------- */

START_TEST(test_manifest_entries)
{
	ck_assert_int_eq(manifest_parse("# kvm-unit-tests\n\n[msr]\nfile = msr.flat\n"
					"  args =  -t  1 \nmem = 128\nbudget = 7\ncost = 3\ntscscale = 256\n"
					"bare-aid = keep-apic-enabled\n"
					"fail = MSR_IA32_FOO: reads 0: SDM Vol. 4 table 2-2\nfail = x: y\n"
					"skip = PMU: no PMU (CPUID.0AH:EAX[7:0] = 0)\n"
					"[realmode]\r\nfile = realmode.flat\r\nend = --- DONE: 0 ---\r\n"
					"needs = interrupts: HLT\nstops = halted rip=0x827f\n",
					&m, err, sizeof(err)),
			 0);
	ck_assert_uint_eq(m.n, 2);
	const struct manifest_entry *e = manifest_find(&m, "msr");
	ck_assert_str_eq(e->file, "msr.flat");
	ck_assert_str_eq(e->args, "-t  1");
	ck_assert_uint_eq(e->mem_mib, 128);
	ck_assert_uint_eq(e->budget, 7);
	ck_assert_uint_eq(e->cost, 3);
	ck_assert_uint_eq(e->tsc_scale, 256);
	ck_assert(e->bare_keep_apic);
	ck_assert_uint_eq(e->n_fails, 2);
	ck_assert_str_eq(e->fails[0].prefix, "MSR_IA32_FOO: reads 0"); /* split at the last ": " */
	ck_assert_str_eq(e->fails[0].reason, "SDM Vol. 4 table 2-2");
	ck_assert_str_eq(e->skips[0].prefix, "PMU");
	ck_assert_ptr_null(e->needs);
	e = manifest_find(&m, "realmode");
	ck_assert_str_eq(e->file, "realmode.flat");
	ck_assert_str_eq(e->args, "");
	ck_assert_str_eq(e->end_line, "--- DONE: 0 ---");
	ck_assert_str_eq(e->needs, "interrupts: HLT");
	ck_assert_str_eq(e->stops, "halted rip=0x827f");
	ck_assert_uint_eq(e->mem_mib, MANIFEST_DEFAULT_MEM_MIB);
	ck_assert_uint_eq(e->tsc_scale, 1);
	ck_assert(!e->bare_keep_apic);
	ck_assert_uint_eq(e->budget, MANIFEST_DEFAULT_BUDGET);
	ck_assert_ptr_null(manifest_find(&m, "apic"));
}
END_TEST

START_TEST(test_manifest_errors)
{
	static const struct {
		const char *text, *err;
	} bad[] = {
		{ "file = x\n", "line 1: a key before the first [name]" },
		{ "[a]\nfile = x\nflie = y\n", "line 3: unknown key" },
		{ "[a]\nfile = x\nmem = 3\n", "line 3: mem is a whole number of MiB, even, from 2 to 1024" },
		{ "[a]\nfile = x\nmem = 0\n", "line 3: mem is a whole number of MiB, even, from 2 to 1024" },
		{ "[a]\nfile = x\nmem = 2048\n", "line 3: mem is a whole number of MiB, even, from 2 to 1024" },
		{ "[a]\nfile = x\nmem = -2\n", "line 3: mem is a whole number of MiB, even, from 2 to 1024" },
		{ "[a]\nfile = x\nbudget = 1e9\n", "line 3: budget is a number of guest ticks" },
		{ "[a]\nfile = x\ncost = 0\n", "line 3: cost is a whole number > 0" },
		{ "[a]\nfile = x\ntscscale = 0\n", "line 3: tscscale is a whole number from 1 to 65535" },
		{ "[a]\nfile = x\ntscscale = 65536\n", "line 3: tscscale is a whole number from 1 to 65535" },
		{ "[a]\nfile = x\nfail = no reason\n", "line 3: fail wants '<prefix>: <reason>'" },
		{ "[a]\nfile = x\nfail = : reason\n", "line 3: fail wants '<prefix>: <reason>'" },
		{ "[a]\nfile = x\nskip = prefix: \n", "line 3: skip wants '<prefix>: <reason>'" },
		{ "[a b]\nfile = x\n", "line 1: a section is [name], one word" },
		{ "[]\n", "line 1: a section is [name], one word" },
		{ "[a\n", "line 1: a section is [name], one word" },
		{ "[a]\nfile = x\n[a]\nfile = y\n", "line 3: a kernel of that name is already listed" },
		{ "[a]\nargs = 1\n[b]\nfile = y\n", "line 3: has no file" },
		{ "[a]\nfile = x\nneeds = apic: why\n", "line 4: needs and stops go together" },
		{ "[a]\nfile = x\njust words\n", "line 3: not a [name] or a key = value line" },
		{ "# nothing\n", "line 1: no kernel listed" },
		{ "[a]\nfile = x\nenv =\n", "line 3: env names no KEY=VALUE" },
		{ "[a]\nfile = x\nenv = A=1 =2\n", "line 3: env is KEY=VALUE words, each KEY letters, digits and _, not starting with a digit" },
		{ "[a]\nfile = x\nenv = 9A=1\n", "line 3: env is KEY=VALUE words, each KEY letters, digits and _, not starting with a digit" },
		{ "[a]\nfile = x\nenv = A-B=1\n", "line 3: env is KEY=VALUE words, each KEY letters, digits and _, not starting with a digit" },
		{ "[a]\nfile = x\nmodule =\n", "line 3: module names a file, then maybe its arguments" },
		{ "[a]\nfile = x\nlong =\n", "line 3: long wants the reason: what makes the kernel too long for make check" },
		{ "[a]\nfile = x\nbare-aid = patch\n", "line 3: bare-aid is keep-apic-enabled (the only measurement aid of a bare run)" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(manifest_parse(bad[i].text, &m, err, sizeof(err)) == -1, "accepted: %s", bad[i].text);
		ck_assert_str_eq(err, bad[i].err);
		ck_assert_uint_eq(m.n, 0);
	}
	ck_assert_int_eq(manifest_read("/nonexistent/vexit.cfg", &m, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "cannot read the manifest /nonexistent/vexit.cfg"));
}
END_TEST

/* `long` marks a kernel make check leaves to make external: taken out in order, each with its reason. */
START_TEST(test_manifest_leave_long)
{
	ck_assert_int_eq(manifest_parse("[a]\nfile = a\nlong = 1.3 billion ticks\n[b]\nfile = b\n"
					"[c]\nfile = c\nlong = slow\n[d]\nfile = d\n",
					&m, err, sizeof(err)),
			 0);
	ck_assert_str_eq(manifest_find(&m, "a")->long_why, "1.3 billion ticks");
	ck_assert_ptr_null(manifest_find(&m, "b")->long_why);
	struct strlist left = { 0 };
	ck_assert_uint_eq(manifest_leave_long(&m, &left), 2);
	ck_assert_uint_eq(m.n, 2);
	ck_assert_str_eq(m.v[0].name, "b");
	ck_assert_str_eq(m.v[1].name, "d");
	ck_assert_ptr_null(manifest_find(&m, "a"));
	ck_assert_uint_eq(left.n, 2);
	ck_assert_str_eq(left.v[0], "a: 1.3 billion ticks");
	ck_assert_str_eq(left.v[1], "c: slow");
	/* Nothing long: nothing taken. */
	ck_assert_uint_eq(manifest_leave_long(&m, &left), 0);
	ck_assert_uint_eq(m.n, 2);
	strlist_free(&left);
}
END_TEST

START_TEST(test_manifest_boot_modules)
{
	ck_assert_int_eq(manifest_parse("[sys]\nfile = s.flat\nmodule = data.bin  a b\nenv = NR_CPUS=1  TEST_DEVICE=0\n"
					"env = _X=a=b\nmodule = /abs/m\n[plain]\nfile = p.flat\n",
					&m, err, sizeof(err)),
			 0);
	const struct manifest_entry *e = manifest_find(&m, "sys");
	/* The env lines make one module, one KEY=VALUE a line (a value may hold '='). */
	ck_assert_str_eq(e->env, "NR_CPUS=1\nTEST_DEVICE=0\n_X=a=b\n");
	ck_assert_uint_eq(e->n_modules, 2);
	ck_assert_str_eq(e->modules[0].file, "data.bin");
	ck_assert_str_eq(e->modules[0].string, "data.bin  a b");
	ck_assert_str_eq(e->modules[1].file, "/abs/m");
	ck_assert_str_eq(e->modules[1].string, "/abs/m");
	ck_assert_uint_eq(manifest_module_count(e), 3);
	e = manifest_find(&m, "plain");
	ck_assert_ptr_null(e->env);
	ck_assert_uint_eq(manifest_module_count(e), 0);
	/* The CLI's way in (--env, --module) is the same code. */
	ck_assert_ptr_null(manifest_entry_set(&m.v[1], "env", "A=1"));
	ck_assert_str_eq(m.v[1].env, "A=1\n");
	ck_assert_str_eq(manifest_entry_set(&m.v[1], "env", "A"),
			 "env is KEY=VALUE words, each KEY letters, digits and _, not starting with a digit");
	ck_assert_str_eq(m.v[1].env, "A=1\n"); /* a refused line changes nothing */
	for (unsigned i = 1; i < MANIFEST_MAX_MODULES; i++)
		ck_assert_ptr_null(manifest_entry_set(&m.v[1], "module", "f"));
	ck_assert_uint_eq(manifest_module_count(&m.v[1]), MANIFEST_MAX_MODULES);
	ck_assert_ptr_nonnull(manifest_entry_set(&m.v[1], "module", "f"));
}
END_TEST

START_TEST(test_manifest_single)
{
	manifest_single(&m, "/x/y/msr.flat", "-t 1");
	ck_assert_uint_eq(m.n, 1);
	ck_assert_str_eq(m.v[0].name, "msr");
	ck_assert_str_eq(m.v[0].file, "/x/y/msr.flat");
	ck_assert_str_eq(m.v[0].args, "-t 1");
	manifest_free(&m);
	manifest_single(&m, "kernel", "");
	ck_assert_str_eq(m.v[0].name, "kernel");
}
END_TEST

/* --- the verdict ---------------------------------------------------------------------------- */

static struct run_report r;
static struct strlist why, notes;
static struct external_counts counts;

static void vsetup(void)
{
	ck_assert_int_eq(manifest_parse("[k]\nfile = k.flat\n"
					"[f]\nfile = f.flat\nfail = known bad: SDM 27.2.1\nskip = no PMU: CPUID.0AH\n"
					"[rm]\nfile = rm.flat\nend = --- DONE ---\n"
					"[n]\nfile = n.flat\nneeds = apic: the local APIC\n"
					"stops = ept-violation gpa=0xfee00020\n"
					"[u]\nfile = u.flat\nneeds = msrs: IA32_TSC\nstops = done status=63\n",
					&m, err, sizeof(err)),
			 0);
}

static void vteardown(void)
{
	run_report_free(&r);
	strlist_free(&why);
	strlist_free(&notes);
	manifest_free(&m);
}

/* Judge kernel `name` from the console lines and the guest-end of a made-up capture. */
static enum verdict judge(const char *name, const char *console, const char *end)
{
	char text[2048];
	int n = snprintf(text, sizeof(text), "VEXIT protocol 1\nVEXIT guest-begin %s\n", name);
	for (const char *l = console; l && *l;) {
		const char *nl = strchr(l, '\n');
		n += snprintf(text + n, sizeof(text) - (size_t)n, "VEXIT console %s %.*s\n", name, (int)(nl - l), l);
		l = nl + 1;
	}
	if (end)
		snprintf(text + n, sizeof(text) - (size_t)n, "VEXIT guest-end %s %s\n", name, end);
	run_report_free(&r);
	strlist_free(&why);
	strlist_free(&notes);
	protocol_parse(text, strlen(text), &r);
	return verdict_external(manifest_find(&m, name), run_report_guest(&r, name), &why, &notes, &counts);
}

static bool why_has(const char *needle)
{
	for (size_t i = 0; i < why.n; i++)
		if (strstr(why.v[i], needle))
			return true;
	return false;
}

START_TEST(test_ends_clean)
{
	ck_assert_int_eq(judge("k", "PASS: a\nPASS: b\nSKIP: c\nSUMMARY: 3 tests, 1 skipped\n",
			       "done exits=3 ticks=9 status=0 exit-code=1"),
			 VERDICT_FAIL); /* a SKIP the manifest does not list */
	ck_assert(why_has("k: unlisted skip: 'SKIP: c'"));
	ck_assert_int_eq(judge("k", "PASS: a\nPASS: b\nXFAIL: c\n", "done exits=3 ticks=9 status=0 exit-code=1"),
			 VERDICT_PASS);
	ck_assert_uint_eq(why.n, 0);
	ck_assert_str_eq(notes.v[0], "k: 2 PASS, 0 FAIL (0 listed), 0 SKIP, 1 XFAIL, 0 KFAIL; no SUMMARY line");
	ck_assert_int_eq(judge("k", "PASS: a\n", "power-off exits=3 ticks=9 value=0x2000"), VERDICT_PASS);
}
END_TEST

START_TEST(test_failures)
{
	ck_assert_int_eq(judge("k", "PASS: a\nFAIL: b\n", "done exits=3 ticks=9 status=1 exit-code=3"), VERDICT_FAIL);
	ck_assert(why_has("k: unexpected failure: 'FAIL: b'"));
	ck_assert_int_eq(judge("k", "XPASS: b\n", "done exits=3 ticks=9 status=1 exit-code=3"), VERDICT_FAIL);
	ck_assert(why_has("unexpected failure: 'XPASS: b'"));
	/* A nonzero status with no FAIL line at all. */
	ck_assert_int_eq(judge("k", "PASS: a\n", "done exits=3 ticks=9 status=2 exit-code=5"), VERDICT_FAIL);
	ck_assert(why_has("k: exit status 2 with no listed failure"));
	/* FAIL in a word is not a report line. */
	ck_assert_int_eq(judge("k", "FAILED to frob\nPASSIVE\n", "done exits=3 ticks=9 status=0 exit-code=1"),
			 VERDICT_PASS);
}
END_TEST

START_TEST(test_listed_failures_and_skips)
{
	ck_assert_int_eq(judge("f", "PASS: a\nFAIL: known bad value\nSKIP: no PMU here\n",
			       "done exits=3 ticks=9 status=1 exit-code=3"),
			 VERDICT_PASS);
	ck_assert_str_eq(notes.v[0], "f: 1 PASS, 1 FAIL (1 listed), 1 SKIP, 0 XFAIL, 0 KFAIL; no SUMMARY line");
	/* The listed skip must happen. */
	ck_assert_int_eq(judge("f", "PASS: a\n", "done exits=3 ticks=9 status=0 exit-code=1"), VERDICT_FAIL);
	ck_assert(why_has("f: the listed skip 'no PMU' (CPUID.0AH) did not happen"));
}
END_TEST

START_TEST(test_stops_that_are_not_ends)
{
	ck_assert_int_eq(judge("k", "PASS: a\n", "budget exits=3 ticks=9 budget=100"), VERDICT_FAIL);
	ck_assert(why_has("k: did not end by itself: stop=budget exits=3 ticks=9 budget=100"));
	ck_assert_int_eq(judge("k", "PASS: a\n", "ept-violation exits=3 ticks=9 gpa=0xfee00020 access=r rip=0x1"),
			 VERDICT_FAIL);
	ck_assert_int_eq(judge("k", "PASS: a\n", "halted exits=3 ticks=9 rip=0x1"), VERDICT_FAIL);
	ck_assert_int_eq(judge("k", "PASS: a\n", NULL), VERDICT_FAIL);
	ck_assert(why_has("k: never ended (no guest-end line)"));
	run_report_free(&r);
	strlist_free(&why);
	ck_assert_int_eq(verdict_external(manifest_find(&m, "k"), NULL, &why, &notes, &counts), VERDICT_FAIL);
	ck_assert(why_has("k: the run never began it"));
}
END_TEST

START_TEST(test_end_line)
{
	ck_assert_int_eq(judge("rm", "PASS: a\n--- DONE ---\n", "halted exits=3 ticks=9 rip=0x1"), VERDICT_PASS);
	ck_assert_int_eq(judge("rm", "PASS: a\n--- DONE --- \n", "halted exits=3 ticks=9 rip=0x1"), VERDICT_FAIL);
	ck_assert_int_eq(judge("rm", "PASS: a\n", "halted exits=3 ticks=9 rip=0x1"), VERDICT_FAIL);
	/* The line then a triple fault is no end. */
	ck_assert_int_eq(judge("rm", "--- DONE ---\n", "triple-fault exits=3 ticks=9 rip=0x1"), VERDICT_FAIL);
}
END_TEST

START_TEST(test_needs)
{
	ck_assert_int_eq(judge("n", "", "ept-violation exits=3 ticks=9 gpa=0xfee00020 access=r rip=0x40"),
			 VERDICT_SKIP);
	ck_assert(why_has("n: needs apic: the local APIC (stopped as the manifest says: ept-violation"));
	ck_assert_int_eq(judge("n", "", "ept-violation exits=3 ticks=9 gpa=0xfee00030 access=r rip=0x40"),
			 VERDICT_FAIL);
	ck_assert(why_has("n: stopped at 'ept-violation exits=3 ticks=9 gpa=0xfee00030 access=r rip=0x40', "
			  "not where the manifest says it stops ('ept-violation gpa=0xfee00020')"));
	ck_assert_int_eq(judge("n", "", "triple-fault exits=3 ticks=9 rip=0x40"), VERDICT_FAIL);
	ck_assert_int_eq(judge("n", "PASS: a\n", "done exits=3 ticks=9 status=0 exit-code=1"), VERDICT_FAIL);
	ck_assert(why_has("n: ran to its end (done exits=3 ticks=9 status=0 exit-code=1), but the manifest says it "
			  "needs apic: the local APIC: update the manifest"));
	/* A kernel that ends, but as `stops` says (kvm-unit-tests' unhandled exception: status 63), is skipped. */
	ck_assert_int_eq(judge("u", "", "done exits=3 ticks=9 status=63 exit-code=127"), VERDICT_SKIP);
	ck_assert(why_has("u: needs msrs: IA32_TSC (stopped as the manifest says: done exits=3"));
	ck_assert_int_eq(judge("u", "", "done exits=3 ticks=9 status=0 exit-code=1"), VERDICT_FAIL);
	ck_assert(why_has("u: ran to its end (done exits=3 ticks=9 status=0 exit-code=1), but the manifest says"));
	/* An unexpected FAIL before the listed stop still fails it. */
	ck_assert_int_eq(judge("n", "FAIL: early\n", "ept-violation exits=3 ticks=9 gpa=0xfee00020 access=r"),
			 VERDICT_FAIL);
}
END_TEST

START_TEST(test_hypervisor_skip_and_refusal)
{
	ck_assert_int_eq(judge("k", "", "skipped exits=0 ticks=0 why=no-unrestricted-guest"), VERDICT_SKIP);
	ck_assert(why_has("k: skipped by the hypervisor: no-unrestricted-guest"));
	ck_assert_int_eq(judge("k", "", "bad-image exits=0 ticks=0 why=multiboot-bad-checksum"), VERDICT_FAIL);
	ck_assert(why_has("k: the hypervisor refused the kernel: multiboot-bad-checksum"));
}
END_TEST


START_TEST(test_summary_line)
{
	struct external_counts c = { 0 };
	ck_assert(external_summary_parse("SUMMARY: 1052 tests, 3 unexpected failures, 2 known failures, "
					 "1 expected failures, 7 skipped", &c));
	ck_assert(c.summary);
	ck_assert_uint_eq(c.sum_tests, 1052);
	ck_assert_uint_eq(c.sum_fail, 3);
	ck_assert_uint_eq(c.sum_kfail, 2);
	ck_assert_uint_eq(c.sum_xfail, 1);
	ck_assert_uint_eq(c.sum_skip, 7);
	c = (struct external_counts){ 0 };
	ck_assert(external_summary_parse("SUMMARY: 10 tests", &c));
	ck_assert_uint_eq(c.sum_tests, 10);
	ck_assert_uint_eq(c.sum_fail + c.sum_kfail + c.sum_xfail + c.sum_skip, 0);
	ck_assert(external_summary_parse("SUMMARY: 2 tests, 1 skipped", &c));
	ck_assert_uint_eq(c.sum_skip, 1);
	/* Not SUMMARY lines, or not in lib/report.c's form. */
	c = (struct external_counts){ 0 };
	ck_assert(!external_summary_parse("SUMMARY of things", &c));
	ck_assert(!external_summary_parse("SUMMARY: 3 tests, 1 skipped, 1 unexpected failures", &c));
	ck_assert(!external_summary_parse("SUMMARY: 3 tests, x skipped", &c));
	ck_assert(!external_summary_parse("SUMMARY: 3 tests and more", &c));
	ck_assert(!c.summary);
}
END_TEST

START_TEST(test_counts_cross_checked_with_summary)
{
	/* Every kind of report line counted, and the SUMMARY line agreeing. */
	ck_assert_int_eq(judge("f", "PASS: a\nPASS: b\nFAIL: known bad value\nXFAIL: c\nKFAIL: d\nSKIP: no PMU\n"
				    "SUMMARY: 6 tests, 1 unexpected failures, 1 known failures, 1 expected failures, 1 skipped\n",
			       "done exits=3 ticks=9 status=1 exit-code=3"),
			 VERDICT_PASS);
	ck_assert_uint_eq(counts.pass, 2);
	ck_assert_uint_eq(counts.fail, 1);
	ck_assert_uint_eq(counts.listed_fail, 1);
	ck_assert_uint_eq(counts.xfail, 1);
	ck_assert_uint_eq(counts.kfail, 1);
	ck_assert_uint_eq(counts.skip, 1);
	ck_assert(counts.summary);
	ck_assert_uint_eq(counts.sum_tests, 6);
	ck_assert_str_eq(notes.v[0], "f: 2 PASS, 1 FAIL (1 listed), 1 SKIP, 1 XFAIL, 1 KFAIL; its SUMMARY line agrees");
	/* A report line lost on the way: the SUMMARY counts one more test than the console shows. */
	ck_assert_int_eq(judge("k", "PASS: a\nSUMMARY: 2 tests\n", "done exits=3 ticks=9 status=0 exit-code=1"),
			 VERDICT_FAIL);
	ck_assert(why_has("k: its SUMMARY line (2 tests, 0 unexpected failures, 0 known, 0 expected, 0 skipped) "
			  "disagrees with its report lines (1: 1 PASS, 0 FAIL or XPASS, 0 KFAIL, 0 XFAIL, 0 SKIP)"));
	ck_assert_str_eq(notes.v[0], "k: 1 PASS, 0 FAIL (0 listed), 0 SKIP, 0 XFAIL, 0 KFAIL; its SUMMARY line disagrees");
	/* The failures counted differently. */
	ck_assert_int_eq(judge("f", "FAIL: known bad value\nSUMMARY: 1 tests\n", "done exits=3 ticks=9 status=1 exit-code=3"),
			 VERDICT_FAIL);
	ck_assert(why_has("f: its SUMMARY line (1 tests, 0 unexpected failures"));
	/* A kernel that stops where its manifest says, with a disagreeing SUMMARY, fails rather than skips. */
	ck_assert_int_eq(judge("u", "PASS: a\nSUMMARY: 5 tests\n", "done exits=3 ticks=9 status=63 exit-code=127"),
			 VERDICT_FAIL);
	/* The counts are zeroed for each judgement. */
	ck_assert_int_eq(judge("k", "", "power-off exits=3 ticks=9 value=0x2000"), VERDICT_PASS);
	ck_assert_uint_eq(counts.pass + counts.fail + counts.skip + counts.xfail + counts.kfail, 0);
	ck_assert(!counts.summary);
}
END_TEST

/* --- the GRUB ISO tree (grub_tree.h) --------------------------------------------------------- */

static char kdir[64];
static struct suite gs;

static void gsetup(void)
{
	snprintf(kdir, sizeof(kdir), "/tmp/check_external.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(kdir));
	char path[128];
	static const char *const files[] = { "a.flat", "b.elf" };
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", kdir, files[i]);
		FILE *f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		fprintf(f, "kernel %s\n", files[i]);
		fclose(f);
	}
}

static void gteardown(void)
{
	suite_free(&gs);
	manifest_free(&m);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", kdir);
	ck_assert_int_eq(system(cmd), 0);
}

/* grub.cfg for the manifest's text, into a string the caller frees; NULL when refused (err says why). */
static char *grub_cfg(const char *manifest)
{
	ck_assert_int_eq(manifest_parse(manifest, &m, err, sizeof(err)), 0);
	ck_assert_int_eq(suite_load_external(&gs, &m, kdir, NULL, err, sizeof(err)), 0);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int rc = grub_tree_cfg(f, &gs, "/boot/vexit.elf", "budget=5", err, sizeof(err));
	fclose(f);
	if (rc) {
		free(text);
		return NULL;
	}
	return text;
}

START_TEST(test_grub_cfg_modules_and_bare_entries)
{
	char *cfg = grub_cfg("[alpha]\nfile = a.flat\nargs = -t  1\nmem = 128\nbudget = 7\n[beta]\nfile = b.elf\n"
			     "tscscale = 64\n");
	ck_assert_ptr_nonnull(cfg);
	/* vexit with every kernel as a module, its string the name then the arguments (as the direct boot's). */
	ck_assert_ptr_nonnull(strstr(cfg, "  multiboot2 /boot/vexit.elf 'budget=5' 'mem.alpha=128' 'budget.alpha=7' "
					  "'mem.beta=128' 'budget.beta=500000000' 'tscscale.beta=64' $vexit_select\n"
					  "  module2 /ext/a.flat 'alpha' '-t' '1'\n  module2 /ext/b.elf 'beta'\n  boot\n}\n"));
	/* Each kernel bare, picked by the floppy's vexit_bare, before vexit's entry. */
	char *bare = strstr(cfg, "  if [ \"$vexit_bare\" = \"alpha\" ]; then\n    multiboot /ext/a.flat 'alpha' '-t' '1'\n"
				 "    boot\n  fi\n");
	ck_assert_ptr_nonnull(bare);
	ck_assert(bare < strstr(cfg, "multiboot2"));
	ck_assert_ptr_nonnull(strstr(cfg, "if source (fd0)0+8; then true; fi\n"));
	/* A bare kernel GRUB cannot boot ends Bochs with a line on COM1. */
	ck_assert_ptr_nonnull(strstr(cfg, "echo \"vexit-bare: GRUB could not boot $vexit_bare\""));
	free(cfg);
}
END_TEST

START_TEST(test_grub_cfg_refusals)
{
	ck_assert_ptr_null(grub_cfg("[alpha]\nfile = a.flat\nargs = it's\n"));
	ck_assert_ptr_nonnull(strstr(err, "kernel alpha: GRUB would not pass the argument text 'alpha it's' through"));
	suite_free(&gs);
	manifest_free(&m);
	/* Two files of one name in two directories; one file twice is fine. */
	char other[200], cmd[256];
	snprintf(cmd, sizeof(cmd), "mkdir %s/sub && cp %s/a.flat %s/sub/", kdir, kdir, kdir);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(other, sizeof(other), "[alpha]\nfile = a.flat\n[beta]\nfile = %s/sub/a.flat\n", kdir);
	ck_assert_ptr_null(grub_cfg(other));
	ck_assert_ptr_nonnull(strstr(err, "/a.flat and "));
	ck_assert_ptr_nonnull(strstr(err, "/sub/a.flat have one file name (a.flat)"));
	suite_free(&gs);
	manifest_free(&m);
	char *cfg = grub_cfg("[alpha]\nfile = a.flat\n[beta]\nfile = a.flat\n");
	ck_assert_ptr_nonnull(cfg);
	free(cfg);
}
END_TEST

/* Boot modules (env, module) follow their kernel, `+NAME STRING` under vexit, STRING bare. */
START_TEST(test_grub_cfg_boot_modules)
{
	char *cfg = grub_cfg("[alpha]\nfile = a.flat\nenv = NR_CPUS=1 TEST_DEVICE=0\nmodule = b.elf x y\n");
	ck_assert_ptr_nonnull(cfg);
	ck_assert_ptr_nonnull(strstr(cfg, "  module2 /ext/a.flat 'alpha'\n  module2 /ext/alpha.env '+alpha' 'env'\n"
					  "  module2 /ext/b.elf '+alpha' 'b.elf' 'x' 'y'\n  boot\n"));
	ck_assert_ptr_nonnull(strstr(cfg, "    multiboot /ext/a.flat 'alpha'\n    module /ext/alpha.env 'env'\n"
					  "    module /ext/b.elf 'b.elf' 'x' 'y'\n    boot\n"));
	free(cfg);
	/* The environment's text becomes a file of the tree. */
	char tree[96], path[160];
	snprintf(tree, sizeof(tree), "%s/tree", kdir);
	ck_assert_int_eq(grub_tree_write(tree, gs.guests[0].image, "", &gs, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/ext/alpha.env", tree);
	size_t len;
	char *env = file_read(path, 4096, &len);
	ck_assert_ptr_nonnull(env);
	ck_assert_str_eq(env, "NR_CPUS=1\nTEST_DEVICE=0\n");
	free(env);
	snprintf(path, sizeof(path), "%s/ext/b.elf", tree);
	ck_assert_int_eq(access(path, R_OK), 0);
}
END_TEST

START_TEST(test_grub_tree_files)
{
	char *cfg = grub_cfg("[alpha]\nfile = a.flat\n[beta]\nfile = b.elf\n");
	char tree[96], path[160];
	snprintf(tree, sizeof(tree), "%s/tree", kdir);
	ck_assert_int_eq(grub_tree_write(tree, gs.guests[1].image, "", &gs, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/ext/a.flat", tree);
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	char line[64] = "";
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	fclose(f);
	ck_assert_str_eq(line, "kernel a.flat\n");
	snprintf(path, sizeof(path), "%s/boot/vexit.elf", tree);
	ck_assert_int_eq(access(path, R_OK), 0);
	snprintf(path, sizeof(path), "%s/boot/grub/grub.cfg", tree);
	ck_assert_int_eq(access(path, R_OK), 0);
	/* A kernel that is not there is named. */
	ck_assert_int_eq(grub_tree_write(tree, "/nonexistent/vexit.elf", "", &gs, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "cannot read /nonexistent/vexit.elf"));
	free(cfg);
}
END_TEST

/* --- a kernel booted bare (suite_bare.h) ----------------------------------------------------- */

/* Judge kernel `name` of the manifest as booted bare: Bochs ended `end`, COM1 held `serial`, Bochs printed `tail`. */
static enum verdict judge_bare_out(const char *manifest, const char *name, enum bochs_run_end end, const char *serial,
				   const char *tail, const char *bochs_out)
{
	suite_free(&gs);
	manifest_free(&m);
	ck_assert_int_eq(manifest_parse(manifest, &m, err, sizeof(err)), 0);
	ck_assert_int_eq(suite_load_external(&gs, &m, kdir, name, err, sizeof(err)), 0);
	struct bochs_run_opts o = { .timeout_s = 60, .grace_s = 1 };
	struct bochs_run_result r = { .end = end, .code = 1, .serial = (char *)serial, .serial_len = strlen(serial),
				      .bochs_tail = (char *)tail };
	if (bochs_out) {
		test_write_file(kdir, "bochs.out", bochs_out, strlen(bochs_out));
		snprintf(r.out_path, sizeof(r.out_path), "%s/bochs.out", kdir);
	}
	char how[256];
	bool ok = suite_judge_bare(&gs, &o, &r, how, sizeof(how));
	ck_assert(ok == (gs.guests[0].verdict != VERDICT_FAIL && gs.problems.n == 0));
	return gs.guests[0].verdict;
}

static enum verdict judge_bare(const char *manifest, const char *name, enum bochs_run_end end, const char *serial,
			       const char *tail)
{
	return judge_bare_out(manifest, name, end, serial, tail, NULL);
}

static bool bare_why_has(const char *needle)
{
	for (size_t i = 0; i < gs.guests[0].why.n; i++)
		if (strstr(gs.guests[0].why.v[i], needle))
			return true;
	return false;
}

static const char bare_manifest[] = "[alpha]\nfile = a.flat\nend = --- DONE: 0 ---\n"
				    "needs = interrupts: IRQ 11\nstops = halted\n[beta]\nfile = b.elf\n";
static const char shutdown_tail[] = "Bochs is exiting with the following message:\n"
				    "[UNMAP ] Shutdown port: shutdown requested\n";

START_TEST(test_bare_capture)
{
	const char *raw = "PASS: a\r\n\nVEXIT end\nlast";
	char *c = suite_bare_capture("k", raw, strlen(raw), "end-line");
	ck_assert_str_eq(c, "VEXIT protocol 1\nVEXIT guest-begin k\nVEXIT console k PASS: a\nVEXIT console k VEXIT end\n"
			    "VEXIT console k last\nVEXIT guest-end k end-line\n");
	free(c);
	c = suite_bare_capture("k", "", 0, NULL);
	ck_assert_str_eq(c, "VEXIT protocol 1\nVEXIT guest-begin k\n");
	free(c);
}
END_TEST

START_TEST(test_bare_verdicts)
{
	/* Its end line: it passes, judged without the manifest's needs (they are vexit's). */
	ck_assert_int_eq(judge_bare(bare_manifest, "alpha", BOCHS_RUN_LINGERED, "PASS: a\r\nPASS: b\r\n--- DONE: 0 ---\r\n", ""),
			 VERDICT_PASS);
	ck_assert_str_eq(gs.guests[0].report->stop, "end-line");
	ck_assert_uint_eq(gs.guests[0].counts.pass, 2);
	/* kvm-unit-tests' exit(): Bochs's shutdown port, its SUMMARY cross-checked as under vexit. */
	ck_assert_int_eq(judge_bare(bare_manifest, "beta", BOCHS_RUN_EXITED, "PASS: a\nSUMMARY: 1 tests\n", shutdown_tail),
			 VERDICT_PASS);
	ck_assert_str_eq(gs.guests[0].report->stop, "shutdown");
	ck_assert_int_eq(judge_bare(bare_manifest, "beta", BOCHS_RUN_EXITED, "PASS: a\nSUMMARY: 2 tests\n", shutdown_tail),
			 VERDICT_FAIL);
	ck_assert(bare_why_has("its SUMMARY line (2 tests"));
	ck_assert_int_eq(judge_bare(bare_manifest, "beta", BOCHS_RUN_EXITED, "FAIL: x\nSUMMARY: 1 tests, 1 unexpected failures\n",
				    shutdown_tail),
			 VERDICT_FAIL);
	ck_assert(bare_why_has("beta: unexpected failure: 'FAIL: x'"));
	/* The hang at 'enabling apic': a timeout is a run problem and a failure, never a pass. */
	ck_assert_int_eq(judge_bare(bare_manifest, "beta", BOCHS_RUN_TIMED_OUT, "enabling apic\n", ""), VERDICT_FAIL);
	ck_assert(bare_why_has("beta: did not end by itself bare (no end line in its manifest entry, no exit through "
			       "Bochs's shutdown port)"));
	ck_assert_uint_eq(gs.problems.n, 1);
	ck_assert_int_eq(judge_bare(bare_manifest, "alpha", BOCHS_RUN_TIMED_OUT, "PASS: a\n", ""), VERDICT_FAIL);
	ck_assert(bare_why_has("(no '--- DONE: 0 ---' line"));
	/* Bochs exited by itself another way (a triple fault made fatal): no end of its own. */
	ck_assert_int_eq(judge_bare(bare_manifest, "beta", BOCHS_RUN_EXITED, "PASS: a\n", "PANIC triple fault\n"),
			 VERDICT_FAIL);
	/* Nothing at all (an exit with no output passes, as under vexit; a hang does not), and GRUB's own failure line. */
	ck_assert_int_eq(judge_bare(bare_manifest, "beta", BOCHS_RUN_EXITED, "", shutdown_tail), VERDICT_PASS);
	ck_assert_int_eq(judge_bare(bare_manifest, "beta", BOCHS_RUN_TIMED_OUT, "", ""), VERDICT_FAIL);
	ck_assert(bare_why_has("beta: printed nothing on COM1 bare"));
	ck_assert_int_eq(judge_bare(bare_manifest, "beta", BOCHS_RUN_EXITED, SUITE_BARE_GRUB_FAILED "beta\n", shutdown_tail),
			 VERDICT_FAIL);
	ck_assert(bare_why_has("beta: GRUB could not boot it"));
}
END_TEST

/* A kernel whose manifest entry has the aid: the run passes only when Bochs's output shows the aid acted. */
START_TEST(test_bare_aid_verdicts)
{
	static const unsigned char code[] = { 0xb9, 0x1b, 0x00, 0x00, 0x00, 0x0f, 0x32, 0x25, 0xff, 0xf3, 0xff, 0xff,
					      0x0f, 0x30, 0xc3 };
	aid_kernel_write(kdir, "aided.flat", "disable_apic", code, sizeof(code));
	const char *manifest = "[aided]\nfile = aided.flat\nbare-aid = keep-apic-enabled\n";
	const unsigned at = AID_KERNEL_PADDR + 12;
	char *out = aid_kernel_bochs_out(at, "wrmsr", 0x1b, 0xfee00100);
	ck_assert_int_eq(judge_bare_out(manifest, "aided", BOCHS_RUN_EXITED, "cpuid 9\n", shutdown_tail, out), VERDICT_PASS);
	free(out);
	/* Its breakpoint never hit (here: another address): whatever the kernel printed, no bare figure stands. */
	out = aid_kernel_bochs_out(at + 1, "wrmsr", 0x1b, 0xfee00100);
	ck_assert_int_eq(judge_bare_out(manifest, "aided", BOCHS_RUN_EXITED, "cpuid 9\n", shutdown_tail, out), VERDICT_FAIL);
	ck_assert(bare_why_has("aided: bare-aid = keep-apic-enabled: the aid stopped at 0x40010c, but Bochs shows no "
			       "WRMSR there"));
	free(out);
	/* It stepped over another write than the global disable. */
	out = aid_kernel_bochs_out(at, "wrmsr", 0x1b, 0xfee00900);
	ck_assert_int_eq(judge_bare_out(manifest, "aided", BOCHS_RUN_EXITED, "cpuid 9\n", shutdown_tail, out), VERDICT_FAIL);
	ck_assert(bare_why_has("not IA32_APIC_BASE (0x1B) with the global enable (bit 11) clear"));
	free(out);
	/* No Bochs output at all. */
	ck_assert_int_eq(judge_bare(manifest, "aided", BOCHS_RUN_EXITED, "cpuid 9\n", shutdown_tail), VERDICT_FAIL);
	ck_assert(bare_why_has("aided: bare-aid = keep-apic-enabled: cannot read Bochs's output"));
}
END_TEST

static Suite *external_suite(void)
{
	Suite *s = suite_create("external");
	TCase *mt = tcase_create("manifest");
	tcase_add_checked_fixture(mt, NULL, teardown);
	tcase_add_test(mt, test_manifest_entries);
	tcase_add_test(mt, test_manifest_errors);
	tcase_add_test(mt, test_manifest_leave_long);
	tcase_add_test(mt, test_manifest_boot_modules);
	tcase_add_test(mt, test_manifest_single);
	suite_add_tcase(s, mt);
	TCase *v = tcase_create("verdict");
	tcase_add_checked_fixture(v, vsetup, vteardown);
	tcase_add_test(v, test_ends_clean);
	tcase_add_test(v, test_failures);
	tcase_add_test(v, test_listed_failures_and_skips);
	tcase_add_test(v, test_stops_that_are_not_ends);
	tcase_add_test(v, test_end_line);
	tcase_add_test(v, test_needs);
	tcase_add_test(v, test_hypervisor_skip_and_refusal);
	tcase_add_test(v, test_summary_line);
	tcase_add_test(v, test_counts_cross_checked_with_summary);
	suite_add_tcase(s, v);
	TCase *g = tcase_create("grub");
	tcase_add_checked_fixture(g, gsetup, gteardown);
	tcase_add_test(g, test_grub_cfg_modules_and_bare_entries);
	tcase_add_test(g, test_grub_cfg_refusals);
	tcase_add_test(g, test_grub_tree_files);
	tcase_add_test(g, test_grub_cfg_boot_modules);
	tcase_add_test(g, test_bare_capture);
	tcase_add_test(g, test_bare_verdicts);
	tcase_add_test(g, test_bare_aid_verdicts);
	suite_add_tcase(s, g);
	return s;
}

int main(void)
{
	return run_suite(external_suite(), CK_NORMAL);
}
