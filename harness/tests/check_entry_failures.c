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
	"VEXIT guest-begin neg_a tsc=100\n"
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
	"VEXIT guest-begin ok tsc=1000\n"
	"VEXIT entry-check ok before-launch violations=0\n"
	"VEXIT guest-end ok done exits=1 ticks=9 status=0\n"
	"VEXIT guest-begin neg_b tsc=2000\n"
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

START_TEST(test_protocol_before_resume)
{
	parse("VEXIT protocol 1\nVEXIT guest-begin g tsc=1\n"
	      "VEXIT entry-check g before-launch violations=0\n"
	      "VEXIT entry-check g before-resume exit=3 reason=VMCALL violations=1\n"
	      "VEXIT entry-violation g guest_rflags_reserved family=guest-rip sdm=27.3.1.4 GUEST_RFLAGS=0x0\n"
	      "VEXIT entry-check g before-resume reason=VMCALL violations=1\n"
	      "VEXIT entry-check g before-resume exit=4 violations=1\n"
	      "VEXIT entry-check g after-failure violations=1\n"
	      "VEXIT entry-violation g guest_rflags_reserved family=guest-rip sdm=27.3.1.4 GUEST_RFLAGS=0x0\n"
	      "VEXIT guest-end g entry-failed exits=4 ticks=9 error=0 instruction=VMRESUME\n");
	const struct entry_report *e = &run_report_guest(&r, "g")->entry;
	ck_assert_uint_eq(e->resume_checks, 1);
	ck_assert_str_eq(e->resume_exit, "3 VMCALL");
	ck_assert_uint_eq(e->resume_rules.n, 1);
	ck_assert_str_eq(e->resume_rules.v[0], "guest_rflags_reserved");
	ck_assert_uint_eq(e->rules.n, 1); /* the after-failure verdict keeps its own */
	ck_assert_uint_eq(r.errors.n, 2);
	ck_assert_str_eq(r.errors.v[0], "line 6: malformed entry-check line");
	ck_assert_str_eq(r.errors.v[1], "line 7: malformed entry-check line");
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
	ck_assert_int_eq(expect_parse("entry-rule a bochs=", &e, err, sizeof(err)), -1);
	ck_assert_int_eq(expect_parse("entry-rule a bochs=x y", &e, err, sizeof(err)), -1);
	ck_assert_int_eq(expect_parse("entry-rule ctl_entry_smm bochs=guest-nonreg", &e, err, sizeof(err)), 0);
	ck_assert_str_eq(e.key, "ctl_entry_smm");
	ck_assert_str_eq(e.value, "guest-nonreg");
	expectation_free(&e);
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
	"00000000050i[CPU0  ] CPU is in long mode\n"
	"00000000160e[CPU0  ] VMEXIT: EPT violation for guest paddr 0x000000200010\n"
	"00000000175e[CPU0  ] VMENTER FAIL: RFLAGS[1] cleared\n"
	"00000000175e[CPU0  ] VMEXIT: Guest State Checks Failed\n"
	"00000001500e[CPU0  ] VMFAIL: VMREAD with invalid VMCS ptr !\n"
	"00000002120e[CPU0  ] VMFAIL: VMCS host CS selector 0\r\n"
	"00000002952p[UNMAP ] >>PANIC<< Shutdown port: shutdown requested";

START_TEST(test_bochs_lines_parse)
{
	struct bochs_lines bl;
	bochs_lines_parse(bochs_log, strlen(bochs_log), &bl);
	ck_assert_uint_eq(bl.n, 3);
	ck_assert_uint_eq(bl.v[0].tick, 175);
	ck_assert_str_eq(bl.v[0].text, "VMENTER FAIL: RFLAGS[1] cleared");
	ck_assert_str_eq(bl.v[0].family, "guest-rip");
	ck_assert_int_eq(bl.v[0].role, BOCHS_CAUSE);
	ck_assert_int_eq(bl.v[1].role, BOCHS_OUTCOME);
	ck_assert_uint_eq(bl.v[2].tick, 2120);
	ck_assert_str_eq(bl.v[2].text, "VMFAIL: VMCS host CS selector 0");
	ck_assert_str_eq(bl.v[2].family, "host");
	bochs_lines_free(&bl);
	bochs_lines_parse("", 0, &bl);
	ck_assert_uint_eq(bl.n, 0);
	/* Looks like an entry message, is in no row: kept, as unknown. */
	static const char odd[] = "7e[CPU0  ] VMENTER FAIL: VMCS guest something new\n";
	bochs_lines_parse(odd, strlen(odd), &bl);
	ck_assert_uint_eq(bl.n, 1);
	ck_assert_int_eq(bl.v[0].role, BOCHS_UNKNOWN);
	ck_assert_ptr_null(bl.v[0].family);
	bochs_lines_free(&bl);
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
		{ "VMFAIL: VMENTRY from outside SMM with dual-monitor treatment enabled", "ctl" },
		{ "VMFAIL: VMENTRY bad error code 0x00010000 for injected event 13", "ctl" },
		{ "VMFAIL: VMCS host state invalid CR0 0x00000031", "host" },
		{ "VMFAIL: VMCS host segreg 3 TI/RPL != 0", "host" },
		{ "VMFAIL: VMCS link pointer incorrect revision ID -268370093 != 43", "guest-nonreg" },
		{ "VMENTER FAIL: VMCS guest invalid CR0", "guest-cr" },
		{ "VMENTER FAIL: VMCS guest EFER reserved bits set !", "guest-msr" },
		{ "VMENTER FAIL: VMCS guest CS.TYPE", "guest-seg" },
		{ "VMENTER FAIL: VMCS x86_64 guest wrong CS.D_B/L", "guest-seg" },
		{ "VMENTER FAIL: VMCS guest non-conforming DS.RPL < DS.DPL", "guest-seg" },
		{ "VMENTER FAIL: VMCS guest GDTR/IDTR limit > 0xFFFF", "guest-seg" },
		{ "VMENTER FAIL: VMCS guest activity state 4", "guest-nonreg" },
		{ "VMENTER FAIL: VMCS guest HLT state with SS.DPL=3", "guest-nonreg" },
		{ "VMENTER FAIL: VMCS SMI blocked when not in SMM mode", "guest-nonreg" },
		{ "VMENTER FAIL: VMCS SMM guest should block SMI", "guest-nonreg" },
		{ "VMENTER FAIL: RFLAGS reserved bits are set", "guest-rip" },
		{ "VMENTER: Guest State PDPTRs Checks Failed", "guest-pdpte" },
		{ "VMENTER: EPT Guest State PDPTRs Checks Failed", "guest-pdpte" },
		{ "VMX LoadMSRs 2: unable to restore FSBASE or GSBASE", "msr-load" },
		{ "VMX LoadMSRs 1: broken msr index 0x100000174", "msr-load" },
		{ "VMX LoadMSRs 3: unable to set up MSR 12345678", "msr-load" },
		{ "VMFAIL: VMLAUNCH with non-clear VMCS!", "launch" },
		{ "VMEXIT: Error when loading guest MSR number 2", NULL },  /* an outcome, not a cause */
		{ "VMFAIL: VMREAD with invalid VMCS ptr !", NULL },        /* not an entry */
		{ "VMENTER FAIL: VMCS guest CS.TYPE extra", NULL },         /* a whole-text match, not a prefix */
		{ "VMFAIL: VMCS host segreg x TI/RPL != 0", NULL },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *f = bochs_reason_family(t[i].text);
		if (t[i].family)
			ck_assert_msg(f && strcmp(f, t[i].family) == 0, "'%s' -> %s, want %s", t[i].text, f ? f : "NULL",
				      t[i].family);
		else
			ck_assert_msg(f == NULL, "'%s' -> %s, want none", t[i].text, f);
	}
}
END_TEST

/* Each row, its conversions filled in as Bochs would print them, is found as that very row, by bochs_lines_parse too. */
START_TEST(test_bochs_catalogue_rows)
{
	for (size_t i = 0; i < bochs_message_count; i++) {
		const struct bochs_message *m = &bochs_messages[i];
		char text[256] = "";
		size_t n = 0;
		for (const char *f = m->format; *f && n + 16 < sizeof(text);) {
			if (*f != '%') {
				text[n++] = *f++;
				continue;
			}
			f++;
			while (*f == 'l')
				f++;
			const char *fill = *f == 's' ? "DS" : *f == 'c' ? "A" : *f == 'x' ? "1f" : "3";
			f++;
			n += (size_t)snprintf(text + n, sizeof(text) - n, "%s", fill);
		}
		text[n] = '\0';
		ck_assert_msg(bochs_message_find(text) == m, "row %zu '%s' is shadowed or unmatched", i, m->format);
		ck_assert_msg((m->role == BOCHS_CAUSE) == (m->family != NULL), "row %zu: a family on a cause only", i);
		char line[300];
		snprintf(line, sizeof(line), "00000000042e[CPU0  ] %s\n", text);
		struct bochs_lines bl;
		bochs_lines_parse(line, strlen(line), &bl);
		ck_assert_msg(bl.n == (m->role == BOCHS_IGNORED ? 0u : 1u), "row %zu '%s': %zu lines", i, text, bl.n);
		ck_assert(bl.n == 0 || bl.v[0].role == m->role);
		bochs_lines_free(&bl);
	}
}
END_TEST

/* A suite of three guest images in a temporary directory, judged against neg_run. */
static char dir[64];
static struct suite s;

static void write_guest_to(const char *in, const char *name, const char *section, size_t len)
{
	struct elf_image im;
	elf_image_build(&im, ".vexit.expect", section, len);
	char path[128];
	snprintf(path, sizeof(path), "%s/%s.elf", in, name);
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(im.bytes, 1, im.len, f), im.len);
	fclose(f);
}

static void write_guest(const char *name, const char *section, size_t len)
{
	write_guest_to(dir, name, section, len);
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
	static const char log[] = "150e[CPU0  ] VMENTER FAIL: VMCS guest CS.TYPE\n"
				  "2100e[CPU0  ] VMFAIL: VMCS host CS selector 0\n";
	suite_judge_bochs(&s, log, strlen(log));
	ck_assert_uint_eq(s.passed, 2);
	ck_assert_uint_eq(s.failed, 1);
	struct suite_guest *a = guest("neg_a");
	ck_assert_int_eq(a->verdict, VERDICT_FAIL);
	ck_assert_str_eq(a->why.v[0], "neg_a: expectation 'entry-rule guest_rflags_reserved': got Bochs reason "
				      "'VMENTER FAIL: VMCS guest CS.TYPE' (family guest-seg), want family guest-rip");
}
END_TEST

/* neg_b's reason is missing: neg_b is told so, and neg_a keeps its own reason (nothing is shifted). */
START_TEST(test_oracle_missing_reason_fails)
{
	static const char log[] = "150e[CPU0  ] VMENTER FAIL: RFLAGS[1] cleared\n"
				  "150e[CPU0  ] VMEXIT: Guest State Checks Failed\n";
	suite_judge_bochs(&s, log, strlen(log));
	ck_assert_int_eq(guest("neg_b")->verdict, VERDICT_FAIL);
	ck_assert_str_eq(guest("neg_b")->why.v[0], "neg_b: expectation 'entry-rule host_cs_tr_not_null': got no Bochs "
						   "VMFAIL/VMENTER FAIL reason, want one of family host");
	ck_assert_int_eq(guest("neg_a")->verdict, VERDICT_PASS);
	ck_assert_uint_eq(s.problems.n, 0);
}
END_TEST

/* A reason in neg_a's window is neg_a's, however many other reasons the log has or lacks. */
/* A documented deviation: Bochs's family is the declared one, not the rule's. */
START_TEST(test_oracle_declared_deviation)
{
	struct suite_guest *a = guest("neg_a");
	expectation_free(&a->expect.v[1]);
	char err[256];
	ck_assert_int_eq(expect_parse("entry-rule guest_rflags_reserved bochs=guest-seg", &a->expect.v[1], err,
				      sizeof(err)), 0);
	static const char log[] = "150e[CPU0  ] VMENTER FAIL: VMCS guest CS.TYPE\n"
				  "2100e[CPU0  ] VMFAIL: VMCS host CS selector 0\n";
	suite_judge_bochs(&s, log, strlen(log));
	ck_assert_int_eq(a->verdict, VERDICT_PASS);
	static const char log2[] = "150e[CPU0  ] VMENTER FAIL: RFLAGS[1] cleared\n";
	suite_judge_bochs(&s, log2, strlen(log2));
	ck_assert_int_eq(a->verdict, VERDICT_FAIL);
	ck_assert_ptr_nonnull(strstr(a->why.v[0], "(family guest-rip), want family guest-seg"));
}
END_TEST

START_TEST(test_oracle_pairs_by_tick_not_order)
{
	static const char log[] = "2100e[CPU0  ] VMFAIL: VMCS host CS selector 0\n";
	suite_judge_bochs(&s, log, strlen(log));
	ck_assert_int_eq(guest("neg_b")->verdict, VERDICT_PASS);
	ck_assert_ptr_nonnull(strstr(guest("neg_a")->notes.v[0], "Bochs: 'no reason logged' [none]"));
	ck_assert_int_eq(guest("neg_a")->verdict, VERDICT_FAIL);
}
END_TEST

START_TEST(test_oracle_unmapped_is_a_problem)
{
	static const char log[] = "150e[CPU0  ] VMENTER FAIL: something new\n"
				  "160e[CPU0  ] VMENTER FAIL: RFLAGS[1] cleared\n"
				  "160e[CPU0  ] VMEXIT: Guest State Checks Failed\n"
				  "2100e[CPU0  ] VMFAIL: VMCS host CS selector 0\n";
	suite_judge_bochs(&s, log, strlen(log));
	ck_assert_int_eq(guest("neg_a")->verdict, VERDICT_PASS);
	ck_assert_str_eq(guest("neg_a")->notes.v[0], "entry failure: Bochs: 'VMENTER FAIL: something new' [unmapped]");
	ck_assert_ptr_nonnull(strstr(guest("neg_a")->notes.v[1], "Bochs: 'VMENTER FAIL: RFLAGS[1] cleared'"));
	ck_assert_uint_eq(s.problems.n, 1);
	ck_assert_str_eq(s.problems.v[0], "bochs.log: guest neg_a: Bochs message in no row of the catalogue "
					  "(harness/lib/bochs_oracle.c): 'VMENTER FAIL: something new'");
}
END_TEST

START_TEST(test_oracle_stray_reasons)
{
	static const char log[] = "50e[CPU0  ] VMFAIL: VMCS host SS selector 0\n"
				  "150e[CPU0  ] VMENTER FAIL: RFLAGS[1] cleared\n"
				  "160e[CPU0  ] VMENTER FAIL: VMCS guest CS.TYPE\n"
				  "160e[CPU0  ] VMEXIT: Guest State Checks Failed\n"
				  "1100e[CPU0  ] VMENTER FAIL: VMCS guest TR invalid\n"
				  "2100e[CPU0  ] VMFAIL: VMCS host CS selector 0\n";
	suite_judge_bochs(&s, log, strlen(log));
	ck_assert_int_eq(guest("neg_a")->verdict, VERDICT_PASS); /* the first reason of its window */
	ck_assert_uint_eq(s.problems.n, 3);
	ck_assert_str_eq(s.problems.v[0], "bochs.log: 'VMFAIL: VMCS host SS selector 0' at tick 50, before any guest began");
	ck_assert_str_eq(s.problems.v[1], "bochs.log: 2 Bochs reasons while guest neg_a ran, which has one failed entry");
	ck_assert_str_eq(s.problems.v[2], "bochs.log: Bochs refused an entry of guest ok ('VMENTER FAIL: VMCS guest TR "
					  "invalid'), which did not stop entry-failed");
}
END_TEST

/*
 * The kind of failure must be the one the expected family has: a reason of the declared family on an
 * entry that failed another way does not pass, and an outcome line that contradicts the stop line is a
 * run problem.
 */
START_TEST(test_oracle_kind_must_match)
{
	struct suite_guest *a = guest("neg_a");
	expectation_free(&a->expect.v[1]);
	char err[256];
	ck_assert_int_eq(expect_parse("entry-rule guest_rflags_reserved bochs=ctl", &a->expect.v[1], err, sizeof(err)), 0);
	/* Bochs names a control (family ctl) but makes an exit with reason 33, as neg_a's stop line says. */
	static const char log[] = "150e[CPU0  ] VMFAIL: VMCS EXEC CTRL: guest VPID == 0\n"
				  "150e[CPU0  ] VMEXIT: Guest State Checks Failed\n"
				  "2100e[CPU0  ] VMFAIL: VMCS host CS selector 0\n";
	suite_judge_bochs(&s, log, strlen(log));
	ck_assert_int_eq(a->verdict, VERDICT_FAIL);
	ck_assert_str_eq(a->why.v[0], "neg_a: expectation 'entry-rule guest_rflags_reserved bochs=ctl': family ctl fails an "
				      "entry with VMfailValid error 7, but this entry failed with an exit with reason 33 "
				      "(ENTRY_FAIL_GUEST_STATE)");
	ck_assert_uint_eq(a->why.n, 1); /* the family itself matched */
	ck_assert_uint_eq(s.problems.n, 1);
	ck_assert_str_eq(s.problems.v[0], "bochs.log: guest neg_a: Bochs's reason 'VMFAIL: VMCS EXEC CTRL: guest VPID == 0' "
					  "is of family ctl (VMfailValid error 7), but Bochs's outcome is VMEXIT: Guest State "
					  "Checks Failed");
	ck_assert_int_eq(guest("neg_b")->verdict, VERDICT_PASS);
}
END_TEST

START_TEST(test_oracle_outcome_must_match_stop)
{
	/* neg_b stopped with VMfailValid 8, but its window holds an exit with reason 33: not the same failure. */
	static const char log[] = "150e[CPU0  ] VMENTER FAIL: RFLAGS[1] cleared\n"
				  "150e[CPU0  ] VMEXIT: Guest State Checks Failed\n"
				  "2100e[CPU0  ] VMFAIL: VMCS host CS selector 0\n"
				  "2101e[CPU0  ] VMEXIT: Guest State Checks Failed\n";
	suite_judge_bochs(&s, log, strlen(log));
	ck_assert_int_eq(guest("neg_b")->verdict, VERDICT_PASS);
	ck_assert_uint_eq(s.problems.n, 2);
	ck_assert_str_eq(s.problems.v[0], "bochs.log: guest neg_b stopped with VMfailValid error 8, but Bochs's outcome is "
					  "'VMEXIT: Guest State Checks Failed'");
	/* And an exit 33 on the guest's side with no outcome line in Bochs's log. */
	static const char log2[] = "150e[CPU0  ] VMENTER FAIL: RFLAGS[1] cleared\n"
				   "2100e[CPU0  ] VMFAIL: VMCS host CS selector 0\n";
	suite_free(&s);
	char err[256];
	ck_assert_int_eq(suite_load(&s, dir, NULL, err, sizeof(err)), 0);
	suite_judge(&s, neg_run, strlen(neg_run), NULL);
	suite_judge_bochs(&s, log2, strlen(log2));
	ck_assert_uint_eq(s.problems.n, 2);
	ck_assert_str_eq(s.problems.v[0], "bochs.log: guest neg_a stopped with an exit with reason 33 (ENTRY_FAIL_GUEST_STATE), "
					  "but Bochs's outcome is no entry-failure exit (a VMfail)");
}
END_TEST

/* `entry-rule <rule> bochs=entered`: Bochs enters what the SDM refuses; vexit's after-break verdict names the rule. */
static const char entered_run[] =
	"VEXIT protocol 1\n"
	"VEXIT guest-begin neg_e tsc=100\n"
	"VEXIT entry-break neg_e rip-noncanonical GUEST_RIP=0x800000010000\n"
	"VEXIT entry-check neg_e after-break violations=1\n"
	"VEXIT entry-violation neg_e guest_rip family=guest-rip sdm=27.3.1.4 GUEST_RIP=0x800000010000: not canonical\n"
	"VEXIT guest-end neg_e triple-fault exits=1 ticks=9 rip=0x800000010000\n"
	"VEXIT summary guests=1 pages-leaked=0\n"
	"VEXIT end\n";

static bool judge_entered(const char *run, const char *log, struct strlist *why, struct strlist *notes)
{
	char edir[64] = "/tmp/check_entry_entered.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(edir));
	static const char e[] = "stop triple-fault\0entry-rule guest_rip bochs=entered";
	write_guest_to(edir, "neg_e", e, sizeof(e));
	struct suite es;
	char err[256];
	ck_assert_msg(suite_load(&es, edir, NULL, err, sizeof(err)) == 0, "%s", err);
	suite_judge(&es, run, strlen(run), NULL);
	suite_judge_bochs(&es, log, strlen(log));
	bool pass = es.guests[0].verdict == VERDICT_PASS;
	for (size_t i = 0; i < es.guests[0].why.n; i++)
		strlist_addf(why, "%s", es.guests[0].why.v[i]);
	for (size_t i = 0; i < es.guests[0].notes.n; i++)
		strlist_addf(notes, "%s", es.guests[0].notes.v[i]);
	suite_free(&es);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", edir);
	(void)!system(cmd);
	return pass;
}

START_TEST(test_entered_deviation)
{
	struct strlist why = { 0 }, notes = { 0 };
	ck_assert(judge_entered(entered_run, "", &why, &notes));
	ck_assert_str_eq(notes.v[0], "entry break: vexit: guest_rip | Bochs: entered");
	strlist_free(&why);
	strlist_free(&notes);
	/* The after-break verdict names another rule: fails. */
	char other[sizeof(entered_run)];
	snprintf(other, sizeof(other), "%s", entered_run);
	char *r = strstr(other, "neg_e guest_rip family");
	memcpy(r + 6, "guest_xyz", 9);
	ck_assert(!judge_entered(other, "", &why, &notes));
	ck_assert_str_eq(why.v[0], "neg_e: expectation 'entry-rule guest_rip bochs=entered': got a verdict without it, want "
				   "the after-break verdict to name guest_rip");
	strlist_free(&why);
	strlist_free(&notes);
	/* Bochs refused the entry after all: the guest stopped entry-failed. */
	static const char failed[] =
		"VEXIT protocol 1\nVEXIT guest-begin neg_e tsc=100\n"
		"VEXIT entry-check neg_e after-break violations=1\n"
		"VEXIT entry-violation neg_e guest_rip family=guest-rip sdm=27.3.1.4 x\n"
		"VEXIT entry-check neg_e after-failure violations=1\n"
		"VEXIT entry-violation neg_e guest_rip family=guest-rip sdm=27.3.1.4 x\n"
		"VEXIT guest-end neg_e entry-failed exits=1 ticks=9 reason=ENTRY_FAIL_GUEST_STATE qual=0x0\n"
		"VEXIT summary guests=1 pages-leaked=0\nVEXIT end\n";
	ck_assert(!judge_entered(failed, "150e[CPU0  ] VMENTER FAIL: VMCS guest RIP > 32 bit\n", &why, &notes));
	bool said = false;
	for (size_t i = 0; i < why.n; i++)
		said |= strstr(why.v[i], "got a failed entry, want one that Bochs enters") != NULL;
	ck_assert_msg(said, "%zu reasons, first %s", why.n, why.n ? why.v[0] : "");
	strlist_free(&why);
	strlist_free(&notes);
}
END_TEST

/* A guest skipped for a feature the CPU lacks (`needs`) failed some other way: the oracle leaves it skipped. */
START_TEST(test_oracle_leaves_needs_skip)
{
	char ndir[64] = "/tmp/check_entry_needs.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(ndir));
	static const char e[] = "needs ug\0stop entry-failed\0entry-rule guest_ug_dpl";
	write_guest_to(ndir, "neg_u", e, sizeof(e));
	static const char run[] = "VEXIT protocol 1\nVEXIT cpu vmx-revision=0x2b ept=yes ug=no\n"
				  "VEXIT guest-begin neg_u tsc=100\n"
				  "VEXIT entry-check neg_u after-failure violations=2\n"
				  "VEXIT entry-violation neg_u ctl_proc2_allowed family=ctl sdm=27.2.1.1 x\n"
				  "VEXIT entry-violation neg_u guest_ug_dpl family=guest-seg sdm=27.3.1.2 y\n"
				  "VEXIT guest-end neg_u entry-failed exits=0 ticks=0 error=7 instruction=VMLAUNCH\n"
				  "VEXIT summary guests=1 pages-leaked=0\nVEXIT vmx-off vmcs=none vmclear=ok vmxoff=ok "
				  "cr4.vmxe=0 vmread=ud\nVEXIT end\n";
	static const char log[] = "150e[CPU0  ] VMFAIL: VMCS EXEC CTRL: VMX secondary controls allowed 1-settings [0x00000080]\n";
	struct suite ns;
	char err[256];
	ck_assert_msg(suite_load(&ns, ndir, NULL, err, sizeof(err)) == 0, "%s", err);
	suite_judge(&ns, run, strlen(run), NULL);
	ck_assert_int_eq(ns.guests[0].verdict, VERDICT_SKIP);
	suite_judge_bochs(&ns, log, strlen(log));
	ck_assert_msg(ns.guests[0].verdict == VERDICT_SKIP, "%s", ns.guests[0].why.v[ns.guests[0].why.n - 1]);
	ck_assert_uint_eq(ns.skipped, 1);
	ck_assert_uint_eq(ns.failed, 0);
	ck_assert_msg(ns.problems.n == 0, "%s", ns.problems.v[0]);
	suite_free(&ns);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", ndir);
	(void)!system(cmd);
}
END_TEST

START_TEST(test_precheck_resume_note)
{
	static const char capture[] = "VEXIT protocol 1\nVEXIT guest-begin ok tsc=10\n"
				      "VEXIT entry-check ok before-resume exit=7 reason=IO_INSTRUCTION violations=2\n"
				      "VEXIT entry-violation ok guest_rflags_reserved family=guest-rip sdm=27.3.1.4 x\n"
				      "VEXIT entry-violation ok guest_rip family=guest-rip sdm=27.3.1.4 y\n"
				      "VEXIT guest-end ok done exits=8 ticks=9 status=0\nVEXIT end\n";
	suite_judge(&s, capture, strlen(capture), NULL);
	suite_judge_bochs(&s, "", 0);
	ck_assert_str_eq(guest("ok")->notes.v[0],
			 "precheck: the VMRESUME after exit 7 IO_INSTRUCTION breaks guest_rflags_reserved, guest_rip");
}
END_TEST

START_TEST(test_oracle_needs_ticks)
{
	static const char capture[] = "VEXIT protocol 1\nVEXIT guest-begin neg_a\n"
				      "VEXIT entry-check neg_a after-failure violations=1\n"
				      "VEXIT entry-violation neg_a guest_rflags_reserved family=guest-rip sdm=27.3.1.4 x\n"
				      "VEXIT guest-end neg_a entry-failed exits=1 ticks=9 reason=ENTRY_FAIL_GUEST_STATE qual=0x0\n"
				      "VEXIT end\n";
	suite_judge(&s, capture, strlen(capture), NULL);
	suite_judge_bochs(&s, bochs_log, strlen(bochs_log));
	ck_assert_str_eq(s.problems.v[s.problems.n - 1],
			 "bochs.log: guest-begin lines without tsc=: Bochs's reasons cannot be paired with guests");
	ck_assert_ptr_nonnull(strstr(guest("neg_a")->notes.v[0], "no bochs.log to compare with"));
}
END_TEST

/*
 * The bug of issue 13: an MSR-loading failure in the middle of a shard. Bochs logs
 * it as `VMX LoadMSRs n: ...`, and every guest after it must still get its own
 * reason (paired by order, each got the reason of the guest before it).
 */
static const char shard_run[] =
	"VEXIT protocol 1\n"
	"VEXIT guest-begin neg_cr tsc=1000\n"
	"VEXIT entry-check neg_cr after-failure violations=1\n"
	"VEXIT entry-violation neg_cr guest_cr0_fixed family=guest-cr sdm=27.3.1.1 GUEST_CR0=0x0: PE\n"
	"VEXIT guest-end neg_cr entry-failed exits=1 ticks=66 reason=ENTRY_FAIL_GUEST_STATE qual=0x0\n"
	"VEXIT guest-begin neg_msr tsc=2000\n"
	"VEXIT entry-check neg_msr after-failure violations=1\n"
	"VEXIT entry-violation neg_msr msr_load_entry family=msr-load sdm=27.4 entry 2: IA32_FS_BASE\n"
	"VEXIT guest-end neg_msr entry-failed exits=1 ticks=66 reason=ENTRY_FAIL_MSR_LOADING qual=0x2 msr-entry=2 msr=0xc0000100\n"
	"VEXIT guest-begin hello tsc=3000\n"
	"VEXIT guest-end hello done exits=1 ticks=9 status=0\n"
	"VEXIT guest-begin neg_seg tsc=4000\n"
	"VEXIT entry-check neg_seg after-failure violations=1\n"
	"VEXIT entry-violation neg_seg guest_cs_type family=guest-seg sdm=27.3.1.2 GUEST_CS_AR_BYTES=0xa093\n"
	"VEXIT guest-end neg_seg entry-failed exits=1 ticks=66 reason=ENTRY_FAIL_GUEST_STATE qual=0x0\n"
	"VEXIT guest-begin neg_host tsc=5000\n"
	"VEXIT entry-check neg_host after-failure violations=1\n"
	"VEXIT entry-violation neg_host host_cs_tr_not_null family=host sdm=27.2.3 HOST_CS_SELECTOR=0: null\n"
	"VEXIT guest-end neg_host entry-failed exits=0 ticks=0 error=8 instruction=VMLAUNCH\n"
	"VEXIT summary guests=5 pages-leaked=0\n"
	"VEXIT end\n";
static const char shard_log[] =
	"00000001300e[CPU0  ] VMENTER FAIL: VMCS guest invalid CR0\n"
	"00000001300e[CPU0  ] VMEXIT: Guest State Checks Failed\n"
	"00000002300e[CPU0  ] VMX LoadMSRs 2: unable to restore FSBASE or GSBASE\n"
	"00000002300e[CPU0  ] VMEXIT: Error when loading guest MSR number 2\n"
	"00000003100e[CPU0  ] VMEXIT: EPT violation for guest paddr 0x000000200010\n"
	"00000004300e[CPU0  ] VMENTER FAIL: VMCS guest CS.TYPE\n"
	"00000004300e[CPU0  ] VMEXIT: Guest State Checks Failed\n"
	"00000005300e[CPU0  ] VMFAIL: VMCS host CS selector 0\n";

START_TEST(test_oracle_msr_loading_shard)
{
	char shard_dir[64] = "/tmp/check_entry_shard.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(shard_dir));
	static const struct {
		const char *name, *rule, *bochs;
	} g[] = {
		{ "neg_cr", "guest_cr0_fixed", "'VMENTER FAIL: VMCS guest invalid CR0' [guest-cr]" },
		{ "neg_msr", "msr_load_entry", "'VMX LoadMSRs 2: unable to restore FSBASE or GSBASE' [msr-load]" },
		{ "neg_seg", "guest_cs_type", "'VMENTER FAIL: VMCS guest CS.TYPE' [guest-seg]" },
		{ "neg_host", "host_cs_tr_not_null", "'VMFAIL: VMCS host CS selector 0' [host]" },
	};
	struct suite sh;
	char err[256];
	for (size_t i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		char section[128];
		int n = snprintf(section, sizeof(section), "stop entry-failed%centry-rule %s", '\0', g[i].rule);
		write_guest_to(shard_dir, g[i].name, section, (size_t)n + 1);
	}
	write_guest_to(shard_dir, "hello", "exit VMCALL 0", sizeof("exit VMCALL 0"));
	ck_assert_msg(suite_load(&sh, shard_dir, NULL, err, sizeof(err)) == 0, "%s", err);
	suite_judge(&sh, shard_run, strlen(shard_run), NULL);
	suite_judge_bochs(&sh, shard_log, strlen(shard_log));
	for (size_t i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		const struct suite_guest *x = NULL;
		for (size_t j = 0; j < sh.n; j++)
			if (strcmp(sh.guests[j].name, g[i].name) == 0)
				x = &sh.guests[j];
		ck_assert_ptr_nonnull(x);
		ck_assert_msg(x->verdict == VERDICT_PASS, "%s: %s", g[i].name, x->why.n ? x->why.v[0] : "");
		ck_assert_msg(strstr(x->notes.v[0], g[i].bochs), "%s paired with: %s", g[i].name, x->notes.v[0]);
	}
	ck_assert_uint_eq(sh.problems.n, 0);
	ck_assert_uint_eq(sh.passed, 5);
	suite_free(&sh);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", shard_dir);
	(void)!system(cmd);
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
	tcase_add_test(p, test_protocol_before_resume);
	tcase_add_test(p, test_expect_entry_rule);
	tcase_add_test(p, test_verdict_entry_rule);
	suite_add_tcase(su, p);
	TCase *o = tcase_create("oracle");
	tcase_add_test(o, test_bochs_lines_parse);
	tcase_add_test(o, test_bochs_reason_families);
	tcase_add_test(o, test_bochs_catalogue_rows);
	suite_add_tcase(su, o);
	TCase *j = tcase_create("judge");
	tcase_add_checked_fixture(j, suite_setup, suite_teardown);
	tcase_add_test(j, test_oracle_agrees);
	tcase_add_test(j, test_oracle_contradiction_fails);
	tcase_add_test(j, test_oracle_missing_reason_fails);
	tcase_add_test(j, test_oracle_pairs_by_tick_not_order);
	tcase_add_test(j, test_oracle_declared_deviation);
	tcase_add_test(j, test_oracle_unmapped_is_a_problem);
	tcase_add_test(j, test_oracle_stray_reasons);
	tcase_add_test(j, test_oracle_kind_must_match);
	tcase_add_test(j, test_oracle_outcome_must_match_stop);
	tcase_add_test(j, test_entered_deviation);
	tcase_add_test(j, test_oracle_leaves_needs_skip);
	tcase_add_test(j, test_oracle_needs_ticks);
	tcase_add_test(j, test_precheck_resume_note);
	tcase_add_test(j, test_oracle_msr_loading_shard);
	tcase_add_test(j, test_oracle_without_log);
	tcase_add_test(j, test_judge_run_reads_the_runs_bochs_log);
	tcase_add_test(j, test_judge_run_names_a_bad_end);
	suite_add_tcase(su, j);
	return run_suite(su, CK_NORMAL);
}
