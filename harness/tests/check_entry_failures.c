/*
 * Check tests of the harness side of entry failures: the protocol's entry
 * lines (protocol_entry.c), the entry-rule expectation (expect.c, verdict.c),
 * Bochs's reasons read from its log (bochs_oracle.c), their judgement beside
 * ours, and a whole finished run judged as vexit-run and check_guests judge it
 * (suite_oracle.c).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bochs_oracle.h"
#include "elf_image.h"
#include "expect.h"
#include "protocol.h"
#include "run_suite.h"
#include "suite_oracle.h"
#include "test_files.h"
#include "verdict.h"

static const char neg_run[] =
	"VEXIT protocol 1\n"
	"VEXIT guest-begin neg_a\n"
	"VEXIT entry-break neg_a rflags-bit1-clear GUEST_RFLAGS=0x0\n"
	"VEXIT entry-check neg_a after-failure violations=2\n"
	"VEXIT entry-violation neg_a guest_rflags_reserved family=guest-rip sdm=27.3.1.4 GUEST_RFLAGS=0x0: bit 1\n"
	"VEXIT entry-violation neg_a guest_cr0_fixed family=guest-cr sdm=27.3.1.1 GUEST_CR0=0x0: PE\n"
	"VEXIT exit-history neg_a exits=2 kept=2\n"
	"VEXIT exit-record neg_a 0 reason=VMCALL qual=0x0 rip=0x10037 tick=75\n"
	"VEXIT exit-record neg_a 1 reason=ENTRY_FAIL_GUEST_STATE qual=0x0 rip=0x10064 tick=900\n"
	"VEXIT vmcs neg_a GUEST_RFLAGS 0x0 none\n"
	"VEXIT vmcs neg_a VIRTUAL_PROCESSOR_ID unsupported\n"
	"VEXIT debug-stop neg_a after-failure vmcs=0x1b8a000 vmx_run=0x102000 exit_stub=0x102080\n"
	"VEXIT guest-end neg_a entry-failed exits=2 ticks=900 reason=ENTRY_FAIL_GUEST_STATE qual=0x0\n"
	"VEXIT guest-begin ok\n"
	"VEXIT entry-check ok before-launch violations=0\n"
	"VEXIT guest-end ok done exits=1 ticks=9 status=0\n"
	"VEXIT guest-begin neg_b\n"
	"VEXIT entry-check neg_b after-failure violations=1\n"
	"VEXIT entry-violation neg_b host_cs_tr_not_null family=host sdm=27.2.3 HOST_CS_SELECTOR=0: null\n"
	"VEXIT exit-history neg_b exits=0 kept=0\n"
	"VEXIT guest-end neg_b entry-failed exits=0 ticks=0 error=8 instruction=VMLAUNCH\n"
	"VEXIT summary guests=3 pages-leaked=0\n"
	"VEXIT end\n";

static struct run_report r;

static void parse(const char *text)
{
	run_report_free(&r);
	protocol_parse(text, strlen(text), &r);
}

START_TEST(test_protocol_entry_lines)
{
	parse(neg_run);
	ck_assert_msg(r.errors.n == 0, "%s", r.errors.n ? r.errors.v[0] : "");
	const struct guest_report *g = run_report_guest(&r, "neg_a");
	const struct entry_report *e = &g->entry;
	ck_assert(e->checked_after_failure);
	ck_assert_uint_eq(e->announced, 2);
	ck_assert_uint_eq(e->rules.n, 2);
	ck_assert_str_eq(e->rules.v[0], "guest_rflags_reserved");
	ck_assert_str_eq(e->families.v[1], "guest-cr");
	ck_assert(entry_report_names(e, "guest_cr0_fixed"));
	ck_assert(!entry_report_names(e, "guest_rip"));
	ck_assert_uint_eq(e->history_exits, 2);
	ck_assert_uint_eq(e->history_records, 2);
	ck_assert_uint_eq(e->vmcs_fields, 2);
	ck_assert_str_eq(e->breakage, "rflags-bit1-clear");
	ck_assert_uint_eq(e->debug_stops, 1);
	const struct entry_report *ok = &run_report_guest(&r, "ok")->entry;
	ck_assert(ok->prechecked && !ok->checked_after_failure && ok->rules.n == 0);
}
END_TEST

START_TEST(test_protocol_entry_errors)
{
	parse("VEXIT protocol 1\nVEXIT entry-check ghost after-failure violations=1\n"
	      "VEXIT guest-begin g\n"
	      "VEXIT entry-violation g guest_rip family=guest-rip sdm=27.3.1.4 x\n"
	      "VEXIT entry-check g sometime violations=1\n"
	      "VEXIT entry-check g after-failure violations=many\n"
	      "VEXIT exit-record g zero reason=VMCALL\n"
	      "VEXIT vmcs g GUEST_RIP\n"
	      "VEXIT entry-break g name\n"
	      "VEXIT debug-stop g here\n"
	      "VEXIT exit-history g\n"
	      "VEXIT vmcs\n"
	      "VEXIT guest-end g done exits=0 ticks=0 status=0\n"
	      "VEXIT vmcs g GUEST_RIP 0x0\n");
	const char *want[] = { "no guest-begin", "with no entry-check", "malformed entry-check",
			       "malformed exit-record", "malformed vmcs", "malformed entry-break",
			       "malformed debug-stop", "malformed exit-history", "after its guest-end" };
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		bool found = false;
		for (size_t j = 0; j < r.errors.n; j++)
			found |= strstr(r.errors.v[j], want[i]) != NULL;
		ck_assert_msg(found, "no error '%s'", want[i]);
	}
	ck_assert_uint_eq(r.errors.n, 11);
}
END_TEST

START_TEST(test_expect_entry_rule)
{
	struct expectation e;
	char err[256];
	ck_assert_int_eq(expect_parse("entry-rule guest_rip", &e, err, sizeof(err)), 0);
	ck_assert_int_eq(e.kind, EXPECT_ENTRY_RULE);
	ck_assert_str_eq(e.key, "guest_rip");
	expectation_free(&e);
	ck_assert_int_eq(expect_parse("entry-rule", &e, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "want 'entry-rule <rule>'"));
	ck_assert_int_eq(expect_parse("entry-rule a b", &e, err, sizeof(err)), -1);
}
END_TEST

static enum verdict judge(const char *guest, const char *rule, struct strlist *why)
{
	struct expectation x[2];
	char err[256];
	ck_assert_int_eq(expect_parse("stop entry-failed", &x[0], err, sizeof(err)), 0);
	char text[128];
	snprintf(text, sizeof(text), "entry-rule %s", rule);
	ck_assert_int_eq(expect_parse(text, &x[1], err, sizeof(err)), 0);
	struct expect_set set = { x, 2 };
	enum verdict v = verdict_guest(guest, run_report_guest(&r, guest), &set, why);
	expectation_free(&x[0]);
	expectation_free(&x[1]);
	return v;
}

START_TEST(test_verdict_entry_rule)
{
	parse(neg_run);
	struct strlist why = { 0 };
	ck_assert_int_eq(judge("neg_a", "guest_cr0_fixed", &why), VERDICT_PASS);
	ck_assert_int_eq(judge("neg_a", "guest_rip", &why), VERDICT_FAIL);
	ck_assert_str_eq(why.v[0], "neg_a: expectation 'entry-rule guest_rip': got guest_rflags_reserved (and others), want guest_rip");
	ck_assert_int_eq(judge("neg_b", "guest_rip", &why), VERDICT_FAIL);
	ck_assert_str_eq(why.v[1], "neg_b: expectation 'entry-rule guest_rip': got host_cs_tr_not_null, want guest_rip");
	ck_assert_int_eq(judge("ok", "guest_rip", &why), VERDICT_FAIL);
	ck_assert_str_eq(why.v[2], "ok: expectation 'stop entry-failed': got done, want entry-failed");
	ck_assert_ptr_nonnull(strstr(why.v[3], "ok: expectation 'entry-rule guest_rip': got no entry-check after a failed entry"));
	strlist_free(&why);
}
END_TEST

static const char bochs_log[] =
	"00139542240e[CPU0  ] VMEXIT: EPT violation for guest paddr 0x000000200010\n"
	"00174575965e[CPU0  ] VMENTER FAIL: RFLAGS[1] cleared\n"
	"00174575965e[CPU0  ] VMEXIT: Guest State Checks Failed\n"
	"00174575999e[CPU0  ] VMFAIL: VMREAD with invalid VMCS ptr !\n"
	"00212546247e[CPU0  ] VMFAIL: VMCS host CS selector 0\r\n"
	"00295652032p[UNMAP ] >>PANIC<< Shutdown port: shutdown requested";

START_TEST(test_bochs_reasons_parse)
{
	struct bochs_reasons br;
	bochs_reasons_parse(bochs_log, strlen(bochs_log), &br);
	ck_assert_uint_eq(br.n, 2);
	ck_assert_str_eq(br.v[0].text, "VMENTER FAIL: RFLAGS[1] cleared");
	ck_assert_str_eq(br.v[0].family, "guest-rip");
	ck_assert_str_eq(br.v[1].text, "VMFAIL: VMCS host CS selector 0");
	ck_assert_str_eq(br.v[1].family, "host");
	bochs_reasons_free(&br);
	bochs_reasons_parse("", 0, &br);
	ck_assert_uint_eq(br.n, 0);
}
END_TEST

START_TEST(test_bochs_reason_families)
{
	static const struct {
		const char *text, *family;
	} t[] = {
		{ "VMFAIL: VMCS EXEC CTRL: VMX pin-based controls allowed 1-settings [0x80000000]", "ctl" },
		{ "VMFAIL: VMCS EXEC CTRL: MSR bitmap phy addr malformed", "ctl" },
		{ "VMFAIL: VMCS VMENTRY CTRL: msr load addr malformed", "ctl" },
		{ "VMFAIL: VMCS host state invalid CR0 0x00000031", "host" },
		{ "VMFAIL: VMCS host segreg 3 TI/RPL != 0", "host" },
		{ "VMFAIL: VMCS link pointer incorrect revision ID -268370093 != 43", "guest-nonreg" },
		{ "VMENTER FAIL: VMCS guest invalid CR0", "guest-cr" },
		{ "VMENTER FAIL: VMCS guest EFER reserved bits set !", "guest-msr" },
		{ "VMENTER FAIL: VMCS guest CS.TYPE", "guest-seg" },
		{ "VMENTER FAIL: VMCS guest GDTR/IDTR limit > 0xFFFF", "guest-seg" },
		{ "VMENTER FAIL: VMCS guest activity state 4", "guest-nonreg" },
		{ "VMENTER FAIL: VMCS guest HLT state with SS.DPL=3", "guest-nonreg" },
		{ "VMENTER FAIL: RFLAGS reserved bits are set", "guest-rip" },
		{ "VMFAIL: VMLAUNCH with non-clear VMCS!", NULL },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *f = bochs_reason_family(t[i].text);
		if (t[i].family)
			ck_assert_msg(f && strcmp(f, t[i].family) == 0, "'%s' -> %s, want %s", t[i].text, f ? f : "NULL",
				      t[i].family);
		else
			ck_assert_msg(f == NULL, "'%s' -> %s, want unmapped", t[i].text, f);
	}
}
END_TEST

/* A suite of three guest images in a temporary directory, judged against neg_run. */
static char dir[64];
static struct suite s;

static void write_guest(const char *name, const char *section, size_t len)
{
	struct elf_image im;
	elf_image_build(&im, ".vexit.expect", section, len);
	char path[128];
	snprintf(path, sizeof(path), "%s/%s.elf", dir, name);
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(im.bytes, 1, im.len, f), im.len);
	fclose(f);
}

static void suite_setup(void)
{
	strcpy(dir, "/tmp/check_entry.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	static const char a[] = "stop entry-failed\0entry-rule guest_rflags_reserved";
	static const char ok[] = "exit VMCALL 0";
	static const char b[] = "stop entry-failed\0field error=8\0entry-rule host_cs_tr_not_null";
	write_guest("neg_a", a, sizeof(a));
	write_guest("ok", ok, sizeof(ok));
	write_guest("neg_b", b, sizeof(b));
	char err[256];
	ck_assert_msg(suite_load(&s, dir, NULL, err, sizeof(err)) == 0, "%s", err);
	suite_judge(&s, neg_run, strlen(neg_run), NULL);
	ck_assert_uint_eq(s.passed, 3);
}

static void suite_teardown(void)
{
	suite_free(&s);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	(void)!system(cmd);
}

static struct suite_guest *guest(const char *name)
{
	for (size_t i = 0; i < s.n; i++)
		if (strcmp(s.guests[i].name, name) == 0)
			return &s.guests[i];
	ck_abort_msg("no guest %s", name);
	return NULL;
}

START_TEST(test_oracle_agrees)
{
	suite_judge_bochs(&s, bochs_log, strlen(bochs_log));
	ck_assert_uint_eq(s.passed, 3);
	ck_assert_uint_eq(s.problems.n, 0);
	ck_assert_str_eq(guest("neg_a")->notes.v[0],
			 "entry failure: vexit: guest_rflags_reserved [guest-rip], guest_cr0_fixed [guest-cr] | "
			 "Bochs: 'VMENTER FAIL: RFLAGS[1] cleared' [guest-rip]");
	ck_assert_str_eq(guest("neg_b")->notes.v[0],
			 "entry failure: vexit: host_cs_tr_not_null [host] | Bochs: 'VMFAIL: VMCS host CS selector 0' [host]");
	ck_assert_uint_eq(guest("ok")->notes.n, 0);
}
END_TEST

START_TEST(test_oracle_contradiction_fails)
{
	static const char log[] = "1e[CPU0  ] VMENTER FAIL: VMCS guest CS.TYPE\n"
				  "2e[CPU0  ] VMFAIL: VMCS host CS selector 0\n";
	suite_judge_bochs(&s, log, strlen(log));
	ck_assert_uint_eq(s.passed, 2);
	ck_assert_uint_eq(s.failed, 1);
	struct suite_guest *a = guest("neg_a");
	ck_assert_int_eq(a->verdict, VERDICT_FAIL);
	ck_assert_str_eq(a->why.v[0], "neg_a: expectation 'entry-rule guest_rflags_reserved': got Bochs reason "
				      "'VMENTER FAIL: VMCS guest CS.TYPE' (family guest-seg), want family guest-rip");
}
END_TEST

START_TEST(test_oracle_missing_reason_fails)
{
	static const char log[] = "1e[CPU0  ] VMENTER FAIL: RFLAGS[1] cleared\n";
	suite_judge_bochs(&s, log, strlen(log));
	ck_assert_int_eq(guest("neg_b")->verdict, VERDICT_FAIL);
	ck_assert_str_eq(guest("neg_b")->why.v[0], "neg_b: expectation 'entry-rule host_cs_tr_not_null': got no Bochs "
						   "VMFAIL/VMENTER FAIL reason, want one of family host");
	ck_assert_int_eq(guest("neg_a")->verdict, VERDICT_PASS);
	ck_assert_uint_eq(s.problems.n, 1); /* and the run as a whole says the counts differ */
}
END_TEST

START_TEST(test_oracle_unmapped_and_extra)
{
	static const char log[] = "1e[CPU0  ] VMENTER FAIL: something new\n"
				  "2e[CPU0  ] VMFAIL: VMCS host CS selector 0\n"
				  "3e[CPU0  ] VMFAIL: VMCS host SS selector 0\n";
	suite_judge_bochs(&s, log, strlen(log));
	ck_assert_int_eq(guest("neg_a")->verdict, VERDICT_PASS); /* unmapped: shown, not compared */
	ck_assert_ptr_nonnull(strstr(guest("neg_a")->notes.v[0], "'VMENTER FAIL: something new' [unmapped]"));
	ck_assert_uint_eq(s.problems.n, 1);
	ck_assert_str_eq(s.problems.v[0], "bochs.log has 3 entry-failure reasons but the run has 2 failed entries");
}
END_TEST

/* A finished run as bochs_run leaves it: the capture, how Bochs ended, and where its files are. */
static struct bochs_run_result finished_run(enum bochs_run_end end, const char *run_dir)
{
	struct bochs_run_result r = { .end = end, .code = 1, .serial = (char *)neg_run, .serial_len = strlen(neg_run) };
	snprintf(r.dir, sizeof(r.dir), "%s", run_dir);
	return r;
}

START_TEST(test_judge_run_reads_the_runs_bochs_log)
{
	test_write_file(dir, "bochs.log", bochs_log, strlen(bochs_log));
	struct bochs_run_result r = finished_run(BOCHS_RUN_EXITED, dir);
	char how[256];
	ck_assert(suite_judge_run(&s, &(struct bochs_run_opts){ .timeout_s = 5 }, &r, how, sizeof(how)));
	ck_assert_str_eq(how, "Bochs exited with code 1 after 0.0 s");
	ck_assert_ptr_nonnull(strstr(guest("neg_b")->notes.v[0], "Bochs: 'VMFAIL: VMCS host CS selector 0' [host]"));
}
END_TEST

START_TEST(test_judge_run_names_a_bad_end)
{
	struct bochs_run_result r = finished_run(BOCHS_RUN_TIMED_OUT, dir);
	char how[256];
	ck_assert(!suite_judge_run(&s, &(struct bochs_run_opts){ .timeout_s = 5 }, &r, how, sizeof(how)));
	ck_assert_uint_eq(s.passed, 3);
	ck_assert_uint_eq(s.problems.n, 1);
	ck_assert_str_eq(s.problems.v[0], how);
	ck_assert_ptr_nonnull(strstr(how, "timed out after 5 s"));
}
END_TEST

START_TEST(test_oracle_without_log)
{
	/* No bochs.log in the run's directory, or no directory at all (the run never started). */
	const char *dirs[] = { "/nonexistent-dir", "" };
	for (size_t i = 0; i < 2; i++) {
		struct bochs_run_result r = finished_run(BOCHS_RUN_LINGERED, dirs[i]);
		char how[256];
		ck_assert(suite_judge_run(&s, &(struct bochs_run_opts){ .grace_s = 1 }, &r, how, sizeof(how)));
		ck_assert_uint_eq(s.passed, 3);
		ck_assert_ptr_nonnull(strstr(guest("neg_a")->notes.v[0], "no bochs.log to compare with"));
	}
}
END_TEST

int main(void)
{
	Suite *su = suite_create("entry_failures");
	TCase *p = tcase_create("protocol");
	tcase_add_test(p, test_protocol_entry_lines);
	tcase_add_test(p, test_protocol_entry_errors);
	tcase_add_test(p, test_expect_entry_rule);
	tcase_add_test(p, test_verdict_entry_rule);
	suite_add_tcase(su, p);
	TCase *o = tcase_create("oracle");
	tcase_add_test(o, test_bochs_reasons_parse);
	tcase_add_test(o, test_bochs_reason_families);
	suite_add_tcase(su, o);
	TCase *j = tcase_create("judge");
	tcase_add_checked_fixture(j, suite_setup, suite_teardown);
	tcase_add_test(j, test_oracle_agrees);
	tcase_add_test(j, test_oracle_contradiction_fails);
	tcase_add_test(j, test_oracle_missing_reason_fails);
	tcase_add_test(j, test_oracle_unmapped_and_extra);
	tcase_add_test(j, test_oracle_without_log);
	tcase_add_test(j, test_judge_run_reads_the_runs_bochs_log);
	tcase_add_test(j, test_judge_run_names_a_bad_end);
	suite_add_tcase(su, j);
	return run_suite(su, CK_NORMAL);
}
