/*
 * Unit tests of hypervisor/vmx/vmx_caps.c: adjusting VM-execution/exit/entry
 * controls to the capability MSRs (SDM Vol. 3D A.3.1: bits 31:0 are the
 * allowed 0-settings, a 1 there forces the control on; bits 63:32 are the
 * allowed 1-settings, a 0 there forces it off) and the feature helpers.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "include/vmcs_fields.h"
#include "run_suite.h"
#include "vmx/vmx_caps.h"

static uint64_t cap(uint32_t allowed1, uint32_t must1)
{
	return (uint64_t)allowed1 << 32 | must1;
}

START_TEST(test_adjust_forces_required_ones)
{
	ck_assert_uint_eq(vmx_adjust_controls(0, cap(0xffffffffu, 0x16)), 0x16);
	ck_assert_uint_eq(vmx_adjust_controls(0x1, cap(0xffffffffu, 0x16)), 0x17);
	ck_assert_uint_eq(vmx_adjust_controls(0x16, cap(0xffffffffu, 0x16)), 0x16);
}
END_TEST

START_TEST(test_adjust_drops_disallowed)
{
	ck_assert_uint_eq(vmx_adjust_controls(0xff, cap(0x0f, 0)), 0x0f);
	ck_assert_uint_eq(vmx_adjust_controls(0xffffffffu, cap(0, 0)), 0);
	ck_assert_uint_eq(vmx_adjust_controls(PROC_ACTIVATE_SECONDARY | PROC_HLT_EXITING, cap(PROC_HLT_EXITING, 0)),
			  PROC_HLT_EXITING);
	/* Bit 31 survives when allowed: no sign or shift trouble at the top. */
	ck_assert_uint_eq(vmx_adjust_controls(PROC_ACTIVATE_SECONDARY, cap(0x80000000u, 0)), 0x80000000u);
}
END_TEST

START_TEST(test_adjust_all_flexible_keeps_wanted)
{
	const uint32_t w[] = { 0, 1, 0x80000000u, 0xdeadbeefu, 0xffffffffu };
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		ck_assert_uint_eq(vmx_adjust_controls(w[i], cap(0xffffffffu, 0)), w[i]);
}
END_TEST

START_TEST(test_adjust_result_always_legal)
{
	/* Whatever is wanted, the result satisfies a (consistent) MSR: must-ones set, nothing outside allowed-ones. */
	const uint64_t msrs[] = { cap(0x0000007fu, 0x00000016u), cap(0xfff9fffeu, 0x0401e172u),
				  cap(0x00ffffffu, 0x000011ffu), cap(0x0000ffffu, 0x00000000u),
				  cap(0xb5d7f7f7u, 0x04006172u) };
	const uint32_t w[] = { 0, 0xffffffffu, 0x12345678u, 0x80000001u, 0x00000100u };
	for (size_t m = 0; m < sizeof(msrs) / sizeof(msrs[0]); m++) {
		uint32_t must1 = (uint32_t)msrs[m], allowed1 = (uint32_t)(msrs[m] >> 32);
		ck_assert_uint_eq(must1 & ~allowed1, 0); /* a real MSR: every must-be-one bit may be one */
		for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
			uint32_t r = vmx_adjust_controls(w[i], msrs[m]);
			ck_assert_uint_eq(r & must1, must1);
			ck_assert_uint_eq(r & ~allowed1, 0);
			/* and every wanted bit that is allowed is kept */
			ck_assert_uint_eq(r & w[i] & allowed1, w[i] & allowed1);
		}
	}
}
END_TEST

START_TEST(test_adjust_realistic_pinbased)
{
	/* A typical IA32_VMX_TRUE_PINBASED_CTLS: default1 bits 1,2,4; up to bit 6 allowed. */
	uint64_t msr = 0x0000007f00000016ull;
	uint32_t want = PIN_EXTERNAL_INTERRUPT_EXITING | PIN_NMI_EXITING | PIN_PREEMPTION_TIMER;
	ck_assert_uint_eq(vmx_adjust_controls(want, msr), 0x5f);
	/* Without the preemption timer (bit 6 not allowed-1) it is dropped, not forced. */
	ck_assert_uint_eq(vmx_adjust_controls(want, 0x0000003f00000016ull), 0x1f);
}
END_TEST

START_TEST(test_adjust_inconsistent_msr)
{
	/* A must-be-one bit that is not allowed-one cannot be satisfied; the allowed-1 half wins. */
	ck_assert_uint_eq(vmx_adjust_controls(0, cap(0x0, 0x4)), 0);
	ck_assert_uint_eq(vmx_adjust_controls(0x4, cap(0x3, 0x4)), 0);
}
END_TEST

START_TEST(test_control_allowed)
{
	uint64_t msr = cap(PROC_HLT_EXITING | PROC_ACTIVATE_SECONDARY, PROC_RDPMC_EXITING);
	ck_assert(vmx_control_allowed(PROC_HLT_EXITING, msr));
	ck_assert(vmx_control_allowed(PROC_ACTIVATE_SECONDARY, msr));
	/* A bit only in the allowed-0 half (must be one) but not allowed-one: not allowed. */
	ck_assert(!vmx_control_allowed(PROC_RDPMC_EXITING, msr));
	ck_assert(!vmx_control_allowed(PROC_USE_IO_BITMAPS, msr));
	ck_assert(!vmx_control_allowed(PROC_HLT_EXITING, 0));
	/* The low half never counts as "allowed to be one". */
	ck_assert(!vmx_control_allowed(1u << 5, 0x00000000ffffffffull));
	ck_assert(vmx_control_allowed(1u << 5, 0xffffffff00000000ull));
}
END_TEST

START_TEST(test_revision_id)
{
	struct vmx_caps c;
	memset(&c, 0, sizeof(c));
	c.basic = 0x00da040000000004ull;
	ck_assert_uint_eq(vmx_revision_id(&c), 4);
	/* Bit 31 is not part of the revision (SDM A.1; it is the shadow-VMCS indicator in the VMCS). */
	c.basic = 0x00da0400800000abull;
	ck_assert_uint_eq(vmx_revision_id(&c), 0xab);
	c.basic = 0xffffffffffffffffull;
	ck_assert_uint_eq(vmx_revision_id(&c), 0x7fffffffu);
}
END_TEST

START_TEST(test_has_ept)
{
	struct vmx_caps c;
	memset(&c, 0, sizeof(c));
	c.procbased2 = cap(PROC2_ENABLE_EPT | PROC2_UNRESTRICTED_GUEST, 0);
	c.ept_vpid = EPT_CAP_WALK_LENGTH_4 | EPT_CAP_MEMTYPE_WB;
	ck_assert(vmx_has_ept(&c));
	/* Each piece is necessary. */
	c.ept_vpid = EPT_CAP_WALK_LENGTH_4;
	ck_assert(!vmx_has_ept(&c));
	c.ept_vpid = EPT_CAP_MEMTYPE_WB;
	ck_assert(!vmx_has_ept(&c));
	c.ept_vpid = EPT_CAP_WALK_LENGTH_4 | EPT_CAP_MEMTYPE_WB;
	c.procbased2 = cap(PROC2_UNRESTRICTED_GUEST, PROC2_ENABLE_EPT); /* EPT only in the low half */
	ck_assert(!vmx_has_ept(&c));
	c.procbased2 = 0; /* no secondary controls at all */
	ck_assert(!vmx_has_ept(&c));
}
END_TEST

START_TEST(test_has_unrestricted_guest)
{
	struct vmx_caps c;
	memset(&c, 0, sizeof(c));
	ck_assert(!vmx_has_unrestricted_guest(&c));
	c.procbased2 = cap(PROC2_UNRESTRICTED_GUEST, 0);
	ck_assert(vmx_has_unrestricted_guest(&c));
	c.procbased2 = cap(PROC2_ENABLE_EPT, PROC2_UNRESTRICTED_GUEST);
	ck_assert(!vmx_has_unrestricted_guest(&c));
}
END_TEST

START_TEST(test_preemption_timer)
{
	struct vmx_caps c;
	memset(&c, 0, sizeof(c));
	ck_assert(!vmx_has_preemption_timer(&c));
	c.pinbased = 0x0000007f00000016ull;
	ck_assert(vmx_has_preemption_timer(&c));
	c.pinbased = 0x0000003f00000016ull;
	ck_assert(!vmx_has_preemption_timer(&c));
	/* The rate is bits 4:0 of IA32_VMX_MISC. */
	c.misc = 0x00000000000401e5ull;
	ck_assert_uint_eq(vmx_preemption_timer_rate(&c), 5);
	c.misc = 0xffffffffffffffffull;
	ck_assert_uint_eq(vmx_preemption_timer_rate(&c), 31);
	c.misc = 0x20;
	ck_assert_uint_eq(vmx_preemption_timer_rate(&c), 0);
}
END_TEST

static Suite *vmx_caps_suite(void)
{
	Suite *s = suite_create("hv_vmx_caps");
	TCase *adj = tcase_create("adjust");
	tcase_add_test(adj, test_adjust_forces_required_ones);
	tcase_add_test(adj, test_adjust_drops_disallowed);
	tcase_add_test(adj, test_adjust_all_flexible_keeps_wanted);
	tcase_add_test(adj, test_adjust_result_always_legal);
	tcase_add_test(adj, test_adjust_realistic_pinbased);
	tcase_add_test(adj, test_adjust_inconsistent_msr);
	tcase_add_test(adj, test_control_allowed);
	suite_add_tcase(s, adj);
	TCase *feat = tcase_create("features");
	tcase_add_test(feat, test_revision_id);
	tcase_add_test(feat, test_has_ept);
	tcase_add_test(feat, test_has_unrestricted_guest);
	tcase_add_test(feat, test_preemption_timer);
	suite_add_tcase(s, feat);
	return s;
}

int main(void)
{
	return run_suite(vmx_caps_suite(), CK_NORMAL);
}
