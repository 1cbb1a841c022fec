/*
 * Unit tests of hypervisor/vmx/exit_reason.c: basic exit reason numbers and
 * their names, checked against Intel SDM Vol. 3D appendix C, table C-1. The
 * names go on the wire (`VEXIT exit-count <guest> <REASON> <n>`), so they must
 * be single tokens and must round-trip.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "run_suite.h"
#include "vmx/exit_reason.h"

/* Table C-1, number by number; NULL marks a number the SDM leaves unused. */
static const struct {
	uint32_t nr;
	const char *name;
} sdm[] = {
	{ 0, "EXCEPTION_NMI" },        /* Exception or non-maskable interrupt (NMI) */
	{ 1, "EXTERNAL_INTERRUPT" },
	{ 2, "TRIPLE_FAULT" },
	{ 3, "INIT_SIGNAL" },
	{ 4, "SIPI" },                 /* Start-up IPI */
	{ 5, "IO_SMI" },
	{ 6, "OTHER_SMI" },
	{ 7, "INTERRUPT_WINDOW" },
	{ 8, "NMI_WINDOW" },
	{ 9, "TASK_SWITCH" },
	{ 10, "CPUID" },
	{ 11, "GETSEC" },
	{ 12, "HLT" },
	{ 13, "INVD" },
	{ 14, "INVLPG" },
	{ 15, "RDPMC" },
	{ 16, "RDTSC" },
	{ 17, "RSM" },
	{ 18, "VMCALL" },
	{ 19, "VMCLEAR" },
	{ 20, "VMLAUNCH" },
	{ 21, "VMPTRLD" },
	{ 22, "VMPTRST" },
	{ 23, "VMREAD" },
	{ 24, "VMRESUME" },
	{ 25, "VMWRITE" },
	{ 26, "VMXOFF" },
	{ 27, "VMXON" },
	{ 28, "CR_ACCESS" },           /* Control-register accesses */
	{ 29, "DR_ACCESS" },           /* MOV DR */
	{ 30, "IO_INSTRUCTION" },
	{ 31, "RDMSR" },
	{ 32, "WRMSR" },
	{ 33, "ENTRY_FAIL_GUEST_STATE" },
	{ 34, "ENTRY_FAIL_MSR_LOADING" },
	{ 35, NULL },
	{ 36, "MWAIT" },
	{ 37, "MONITOR_TRAP_FLAG" },
	{ 38, NULL },
	{ 39, "MONITOR" },
	{ 40, "PAUSE" },
	{ 41, "ENTRY_FAIL_MACHINE_CHECK" },
	{ 42, NULL },
	{ 43, "TPR_BELOW_THRESHOLD" },
	{ 44, "APIC_ACCESS" },
	{ 45, "VIRTUALIZED_EOI" },
	{ 46, "GDTR_IDTR_ACCESS" },
	{ 47, "LDTR_TR_ACCESS" },
	{ 48, "EPT_VIOLATION" },
	{ 49, "EPT_MISCONFIG" },
	{ 50, "INVEPT" },
	{ 51, "RDTSCP" },
	{ 52, "PREEMPTION_TIMER" },    /* VMX-preemption timer expired */
	{ 53, "INVVPID" },
	{ 54, "WBINVD" },              /* WBINVD or WBNOINVD */
	{ 55, "XSETBV" },
	{ 56, "APIC_WRITE" },
	{ 57, "RDRAND" },
	{ 58, "INVPCID" },
	{ 59, "VMFUNC" },
	{ 60, "ENCLS" },
	{ 61, "RDSEED" },
	{ 62, "PML_FULL" },            /* Page-modification log full */
	{ 63, "XSAVES" },
	{ 64, "XRSTORS" },
	{ 65, "PCONFIG" },
	{ 66, "SPP_EVENT" },
	{ 67, "UMWAIT" },
	{ 68, "TPAUSE" },
	{ 69, "LOADIWKEY" },
	{ 70, "ENCLV" },
	{ 71, NULL },
	{ 72, "ENQCMD_PASID_FAILURE" },
	{ 73, "ENQCMDS_PASID_FAILURE" },
	{ 74, "BUS_LOCK" },
	{ 75, "INSTRUCTION_TIMEOUT" },
	{ 76, "SEAMCALL" },
	{ 77, "TDCALL" },
};

START_TEST(test_names_match_sdm)
{
	ck_assert_uint_eq(sizeof(sdm) / sizeof(sdm[0]), EXIT_REASON_MAX);
	for (size_t i = 0; i < sizeof(sdm) / sizeof(sdm[0]); i++) {
		ck_assert_uint_eq(sdm[i].nr, i);
		const char *got = exit_reason_name(sdm[i].nr);
		if (sdm[i].name)
			ck_assert_msg(got && strcmp(got, sdm[i].name) == 0, "reason %u: got %s, want %s", sdm[i].nr,
				      got ? got : "NULL", sdm[i].name);
		else
			ck_assert_msg(got == NULL, "reason %u is unused in the SDM but named %s", sdm[i].nr, got);
	}
}
END_TEST

START_TEST(test_header_constants)
{
	/* The constants the dispatch table and the handlers use must name the reason they say. */
	ck_assert_str_eq(exit_reason_name(EXIT_REASON_EXCEPTION_NMI), "EXCEPTION_NMI");
	ck_assert_str_eq(exit_reason_name(EXIT_REASON_EXTERNAL_INTERRUPT), "EXTERNAL_INTERRUPT");
	ck_assert_str_eq(exit_reason_name(EXIT_REASON_TRIPLE_FAULT), "TRIPLE_FAULT");
	ck_assert_str_eq(exit_reason_name(EXIT_REASON_CPUID), "CPUID");
	ck_assert_str_eq(exit_reason_name(EXIT_REASON_HLT), "HLT");
	ck_assert_str_eq(exit_reason_name(EXIT_REASON_RDPMC), "RDPMC");
	ck_assert_str_eq(exit_reason_name(EXIT_REASON_VMCALL), "VMCALL");
	ck_assert_str_eq(exit_reason_name(EXIT_REASON_CR_ACCESS), "CR_ACCESS");
	ck_assert_str_eq(exit_reason_name(EXIT_REASON_IO_INSTRUCTION), "IO_INSTRUCTION");
	ck_assert_str_eq(exit_reason_name(EXIT_REASON_RDMSR), "RDMSR");
	ck_assert_str_eq(exit_reason_name(EXIT_REASON_WRMSR), "WRMSR");
	ck_assert_str_eq(exit_reason_name(EXIT_REASON_ENTRY_FAIL_GUEST_STATE), "ENTRY_FAIL_GUEST_STATE");
	ck_assert_str_eq(exit_reason_name(EXIT_REASON_ENTRY_FAIL_MSR_LOADING), "ENTRY_FAIL_MSR_LOADING");
	ck_assert_str_eq(exit_reason_name(EXIT_REASON_ENTRY_FAIL_MACHINE_CHECK), "ENTRY_FAIL_MACHINE_CHECK");
	ck_assert_str_eq(exit_reason_name(EXIT_REASON_EPT_VIOLATION), "EPT_VIOLATION");
	ck_assert_str_eq(exit_reason_name(EXIT_REASON_EPT_MISCONFIG), "EPT_MISCONFIG");
	ck_assert_str_eq(exit_reason_name(EXIT_REASON_PREEMPTION_TIMER), "PREEMPTION_TIMER");
	/* And the SDM numbers behind them. */
	ck_assert_uint_eq(EXIT_REASON_CPUID, 10);
	ck_assert_uint_eq(EXIT_REASON_HLT, 12);
	ck_assert_uint_eq(EXIT_REASON_VMCALL, 18);
	ck_assert_uint_eq(EXIT_REASON_IO_INSTRUCTION, 30);
	ck_assert_uint_eq(EXIT_REASON_EPT_VIOLATION, 48);
	ck_assert_uint_eq(EXIT_REASON_PREEMPTION_TIMER, 52);
}
END_TEST

START_TEST(test_out_of_range)
{
	ck_assert_ptr_null(exit_reason_name(EXIT_REASON_MAX));
	ck_assert_ptr_null(exit_reason_name(78));
	ck_assert_ptr_null(exit_reason_name(79));
	ck_assert_ptr_null(exit_reason_name(0xffff));
	ck_assert_ptr_null(exit_reason_name(0x10000));
	ck_assert_ptr_null(exit_reason_name(UINT32_MAX));
	/* A raw exit-reason field with the entry-failure bit is not a basic reason... */
	ck_assert_ptr_null(exit_reason_name(EXIT_REASON_ENTRY_FAILURE | 33));
	/* ...until EXIT_REASON_BASIC strips bits 31:16 (SDM 25.9.1). */
	ck_assert_str_eq(exit_reason_name(EXIT_REASON_BASIC(EXIT_REASON_ENTRY_FAILURE | 33u)), "ENTRY_FAIL_GUEST_STATE");
	ck_assert_str_eq(exit_reason_name(EXIT_REASON_BASIC(0x08000000u | 30u)), "IO_INSTRUCTION");
	ck_assert_uint_eq(EXIT_REASON_BASIC(0xffffffffu), 0xffff);
	ck_assert_uint_eq(EXIT_REASON_ENTRY_FAILURE, 0x80000000u);
}
END_TEST

START_TEST(test_round_trip_every_reason)
{
	unsigned named = 0;
	for (uint32_t r = 0; r < EXIT_REASON_MAX; r++) {
		const char *n = exit_reason_name(r);
		if (!n)
			continue;
		named++;
		ck_assert_msg(exit_reason_from_name(n) == (int)r, "%s maps back to %d, not %u", n, exit_reason_from_name(n), r);
	}
	ck_assert_uint_eq(named, EXIT_REASON_MAX - 4); /* 35, 38, 42 and 71 are unused */
}
END_TEST

START_TEST(test_names_are_protocol_tokens)
{
	/* UPPER_SNAKE_CASE, non-empty, no spaces: a protocol field must stay one token. */
	for (uint32_t r = 0; r < EXIT_REASON_MAX; r++) {
		const char *n = exit_reason_name(r);
		if (!n)
			continue;
		ck_assert_msg(n[0] >= 'A' && n[0] <= 'Z', "reason %u name '%s' must start with a letter", r, n);
		for (const char *c = n; *c; c++)
			ck_assert_msg((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_',
				      "reason %u name '%s' has a bad character", r, n);
		/* The vm_run fallback "REASON_<n>" must never collide with a real name. */
		ck_assert_msg(strncmp(n, "REASON_", 7) != 0, "reason %u name '%s' looks like the fallback", r, n);
	}
}
END_TEST

START_TEST(test_from_name_unknown)
{
	ck_assert_int_eq(exit_reason_from_name(""), -1);
	ck_assert_int_eq(exit_reason_from_name("cpuid"), -1); /* case matters */
	ck_assert_int_eq(exit_reason_from_name("CPUID "), -1);
	ck_assert_int_eq(exit_reason_from_name(" CPUID"), -1);
	ck_assert_int_eq(exit_reason_from_name("CPU"), -1);    /* a prefix is not a name */
	ck_assert_int_eq(exit_reason_from_name("CPUIDX"), -1);
	ck_assert_int_eq(exit_reason_from_name("EXCEPTION_OR_NMI"), -1);
	ck_assert_int_eq(exit_reason_from_name("REASON_35"), -1);
	ck_assert_int_eq(exit_reason_from_name("10"), -1);
	ck_assert_int_eq(exit_reason_from_name("IO_INSTRUCTION"), 30);
	ck_assert_int_eq(exit_reason_from_name("EXCEPTION_NMI"), 0);
	ck_assert_int_eq(exit_reason_from_name("TDCALL"), 77);
}
END_TEST

static Suite *exit_reason_suite(void)
{
	Suite *s = suite_create("hv_exit_reason");
	TCase *tc = tcase_create("exit_reason");
	tcase_add_test(tc, test_names_match_sdm);
	tcase_add_test(tc, test_header_constants);
	tcase_add_test(tc, test_out_of_range);
	tcase_add_test(tc, test_round_trip_every_reason);
	tcase_add_test(tc, test_names_are_protocol_tokens);
	tcase_add_test(tc, test_from_name_unknown);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(exit_reason_suite(), CK_NORMAL);
}
