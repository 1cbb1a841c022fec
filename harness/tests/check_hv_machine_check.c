/*
 * Unit tests of hypervisor/kernel/machine_check.c over the fake CPU: CR4.MCE is set
 * only on a CPU that has #MC, and the report names IA32_MCG_STATUS and every valid
 * bank, with ADDR and MISC only when the bank's status says they are valid
 * (SDM Vol. 3B 16.3.2.2, IA32_MCi_STATUS bits 63, 59, 58).
 */
#include <check.h>
#include <string.h>

#include "fake_hw.h"
#include "hv_host_fakes.h"
#include "include/x86_arch.h"
#include "kernel/machine_check.h"
#include "run_suite.h"

#define EDX_MCE (1u << 7)
#define EDX_MCA (1u << 14)
#define VAL (1ull << 63)
#define MISCV (1ull << 59)
#define ADDRV (1ull << 58)

static void setup(void)
{
	fake_cpu_reset();
	hv_fake_output_reset();
}

START_TEST(test_enable_sets_cr4_mce_only_with_mce)
{
	fake_cpu.cr4 = CR4_PAE;
	ck_assert(!machine_check_enable());
	ck_assert_uint_eq(fake_cpu.cr4, CR4_PAE);
	fake_cpu_set_cpuid(1, 0, 0, 0, 0, EDX_MCE);
	ck_assert(machine_check_enable());
	ck_assert_uint_eq(fake_cpu.cr4, CR4_PAE | CR4_MCE);
}
END_TEST

START_TEST(test_report_names_valid_banks)
{
	fake_cpu_set_cpuid(1, 0, 0, 0, 0, EDX_MCE | EDX_MCA);
	fake_cpu_set_msr(MSR_IA32_MCG_CAP, 0x103); /* 3 banks (bit 8, MCG_CTL_P, is not a count) */
	fake_cpu_set_msr(MSR_IA32_MCG_STATUS, 0x4);
	fake_cpu_set_msr(MSR_IA32_MC0_STATUS, 0x150);                           /* not valid: left out */
	fake_cpu_set_msr(MSR_IA32_MC0_STATUS + 4, VAL | ADDRV | 0x10);          /* bank 1: ADDR only */
	fake_cpu_set_msr(MSR_IA32_MC0_ADDR + 4, 0x12340);
	fake_cpu_set_msr(MSR_IA32_MC0_STATUS + 8, VAL | MISCV | ADDRV | 0x20);  /* bank 2: both */
	fake_cpu_set_msr(MSR_IA32_MC0_ADDR + 8, 0x5000);
	fake_cpu_set_msr(MSR_IA32_MC0_MISC + 8, 0x86);
	machine_check_report();
	ck_assert_str_eq(hv_fake_output(),
			 "  machine check: IA32_MCG_STATUS=0x4, 3 banks\n"
			 "  machine check: bank 1 IA32_MC1_STATUS=0x8400000000000010 ADDR=0x12340\n"
			 "  machine check: bank 2 IA32_MC2_STATUS=0x8c00000000000020 ADDR=0x5000 MISC=0x86\n");
}
END_TEST

START_TEST(test_report_without_mca_says_so)
{
	fake_cpu_set_cpuid(1, 0, 0, 0, 0, EDX_MCE); /* #MC but no MSRs: reading them would #GP */
	machine_check_report();
	ck_assert_str_eq(hv_fake_output(),
			 "  machine check: this CPU has no machine-check MSRs (CPUID.1:EDX.MCA is 0)\n");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hv_machine_check");
	TCase *tc = tcase_create("machine_check");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_enable_sets_cr4_mce_only_with_mce);
	tcase_add_test(tc, test_report_names_valid_banks);
	tcase_add_test(tc, test_report_without_mca_says_so);
	suite_add_tcase(s, tc);
	return run_suite(s, CK_NORMAL);
}
