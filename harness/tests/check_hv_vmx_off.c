/*
 * Unit tests of hypervisor/vmx/vmx_off.c over the fake CPU (fake_hw.c): leaving VMX
 * operation clears the current VMCS, executes VMXOFF, clears CR4.VMXE and proves it
 * with a VMREAD that faults; it does nothing before VMXON or a second time, so power_off
 * may call it from any path, a panic inside it included.
 */
#include <check.h>
#include <stdint.h>

#include "fake_hw.h"
#include "include/x86_arch.h"
#include "run_suite.h"
#include "vmx/vmx_off.h"

#define VMCS_PA 0x123000ull

static struct vmx_root root;

static void in_vmx_root(void)
{
	fake_cpu_reset();
	fake_cpu.cr4 = CR4_PAE | CR4_VMXE;
	ck_assert_int_eq(vmxon(0x200000), VMX_OK);
	root = (struct vmx_root){ .on = true, .vmxon_region = 0x200000 };
}

START_TEST(test_a_current_vmcs_is_cleared_then_vmx_is_left)
{
	in_vmx_root();
	ck_assert_int_eq(vmptrld(VMCS_PA), VMX_OK);
	struct vmx_off_report r;
	ck_assert(vmx_off(&root, &r));
	ck_assert(!root.on);
	ck_assert_uint_eq(r.cleared_vmcs, VMCS_PA);
	ck_assert_uint_eq(fake_cpu.vmclear_calls, 1);
	ck_assert_uint_eq(fake_cpu.last_vmclear, VMCS_PA);
	ck_assert_int_eq(r.vmclear, VMX_OK);
	ck_assert_uint_eq(fake_cpu.vmxoff_calls, 1);
	ck_assert_int_eq(r.vmxoff, VMX_OK);
	ck_assert(!fake_cpu.in_vmx);
	ck_assert_uint_eq(fake_cpu.cr4, CR4_PAE); /* VMXE cleared, nothing else */
	ck_assert(r.vmxe_cleared);
	ck_assert(r.vmread_ud);
}
END_TEST

START_TEST(test_no_current_vmcs_no_vmclear)
{
	in_vmx_root();
	struct vmx_off_report r;
	ck_assert(vmx_off(&root, &r));
	ck_assert_uint_eq(r.cleared_vmcs, VMCS_NONE);
	ck_assert_uint_eq(fake_cpu.vmclear_calls, 0);
	ck_assert_uint_eq(fake_cpu.vmxoff_calls, 1);
	ck_assert(r.vmxe_cleared && r.vmread_ud);
}
END_TEST

START_TEST(test_before_vmxon_and_a_second_time_nothing_happens)
{
	fake_cpu_reset();
	fake_cpu.cr4 = CR4_PAE;
	struct vmx_root off = { 0 };
	struct vmx_off_report r;
	ck_assert(!vmx_off(&off, &r));
	ck_assert_uint_eq(fake_cpu.vmxoff_calls, 0);

	in_vmx_root();
	ck_assert(vmx_off(&root, &r));
	fake_cpu.cr4 |= CR4_VMXE; /* would be visible if the second call touched CR4 */
	ck_assert(!vmx_off(&root, &r));
	ck_assert_uint_eq(fake_cpu.vmxoff_calls, 1);
	ck_assert_uint_eq(fake_cpu.cr4, CR4_PAE | CR4_VMXE);
}
END_TEST

START_TEST(test_a_failed_vmxoff_is_reported_and_vmxe_kept)
{
	/* CR4.VMXE cannot be cleared in VMX operation (SDM 24.8: MOV to CR4 would #GP). */
	in_vmx_root();
	fake_cpu.vmxoff_result = VMX_FAIL_VALID;
	struct vmx_off_report r;
	ck_assert(vmx_off(&root, &r));
	ck_assert(!root.on); /* never tried again: power_off must still end the run */
	ck_assert_int_eq(r.vmxoff, VMX_FAIL_VALID);
	ck_assert(!r.vmxe_cleared);
	ck_assert(!r.vmread_ud);
	ck_assert_uint_eq(fake_cpu.cr4, CR4_PAE | CR4_VMXE);
}
END_TEST

START_TEST(test_a_failed_vmclear_is_reported_and_vmx_still_left)
{
	in_vmx_root();
	ck_assert_int_eq(vmptrld(VMCS_PA), VMX_OK);
	fake_cpu.vmclear_result = VMX_FAIL_VALID;
	struct vmx_off_report r;
	ck_assert(vmx_off(&root, &r));
	ck_assert_int_eq(r.vmclear, VMX_FAIL_VALID);
	ck_assert_int_eq(r.vmxoff, VMX_OK);
	ck_assert(r.vmread_ud);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hv_vmx_off");
	TCase *tc = tcase_create("vmx_off");
	tcase_add_test(tc, test_a_current_vmcs_is_cleared_then_vmx_is_left);
	tcase_add_test(tc, test_no_current_vmcs_no_vmclear);
	tcase_add_test(tc, test_before_vmxon_and_a_second_time_nothing_happens);
	tcase_add_test(tc, test_a_failed_vmxoff_is_reported_and_vmxe_kept);
	tcase_add_test(tc, test_a_failed_vmclear_is_reported_and_vmx_still_left);
	suite_add_tcase(s, tc);
	return run_suite(s, CK_NORMAL);
}
