/*
 * Unit tests of hypervisor/vm/guest_cpu_state.c and of the WRMSR/RDMSR emulation
 * of the MSRs the CPU holds for a running guest: what a VM finds in the CPU at
 * its first entry is its reset state whatever the CPU held before (the host's or
 * the last VM's), a run's end saves what the guest left, and the run loop
 * switches the state once per run, not per exit. On the fake CPU of fake_hw.h,
 * which records each XRSTOR/XSAVE with its mask and the XCR0 of the moment.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "exits/exit_handlers.h"
#include "fake_hw.h"
#include "hw/vmx_entry.h"
#include "include/vmcs_fields.h"
#include "include/x86_arch.h"
#include "quiet_assert.h"
#include "run/vcpu_run.h"
#include "run_suite.h"
#include "test_vm.h"
#include "vm/guest_cpu_state.h"
#include "vmx/exit_reason.h"
#include "vmx/xcr0.h"

static struct test_vm t;

static void setup(void)
{
	test_vm_build(&t, "state", 0, NULL);
}

static void teardown(void)
{
	test_vm_destroy(&t);
}

/* What a guest (or the host, or the previous VM) leaves in the CPU. */
static void dirty_cpu(void)
{
	for (unsigned i = 0; i < 4; i++)
		fake_cpu.dr[i] = 0x5ec0de00 + i;
	fake_cpu.dr[6] = 0xffff0ff1;
	fake_cpu.cr2 = 0x123456789000ull;
	fake_cpu.msr_star = 0x0023001000000000ull;
	fake_cpu.msr_lstar = 0xffffffff81000000ull;
	fake_cpu.msr_cstar = 0xffffffff81000100ull;
	fake_cpu.msr_fmask = 0x47700;
	fake_cpu.msr_kernel_gs_base = 0x5ec0de002000ull;
	fake_cpu.xcr0 = 7;
}

static void assert_cpu_at_reset(const struct vm *vm)
{
	for (unsigned i = 0; i < 4; i++)
		ck_assert_uint_eq(fake_cpu.dr[i], 0);
	ck_assert_uint_eq(fake_cpu.dr[6], 0xffff0ff0);
	ck_assert_uint_eq(fake_cpu.cr2, 0);
	ck_assert_uint_eq(fake_cpu.msr_star | fake_cpu.msr_lstar | fake_cpu.msr_cstar | fake_cpu.msr_fmask |
				  fake_cpu.msr_kernel_gs_base,
			  0);
	/* Every component restored from the VM's area, with XCR0 covering them all; then the guest's XCR0. */
	ck_assert_ptr_eq(fake_cpu.restored_area, vm->cpu_state.area);
	ck_assert_uint_eq(fake_cpu.restore_mask, 7);
	ck_assert_uint_eq(fake_cpu.restore_xcr0, 7);
	ck_assert_uint_eq(fake_cpu.xcr0, XCR0_X87);
}

START_TEST(test_new_vm_area_is_initial_state)
{
	const uint8_t *a = t.vm->cpu_state.area;
	ck_assert_uint_eq(a[0] | a[1] << 8, 0x037f);   /* FCW */
	ck_assert_uint_eq(a[24] | a[25] << 8, 0x1f80); /* MXCSR */
	for (unsigned i = 2; i < 24; i++)
		ck_assert_uint_eq(a[i], 0);
	for (unsigned i = 26; i < 4096; i++)
		quiet_assert(a[i] == 0, "byte %u of a new VM's XSAVE area is 0x%x", i, a[i]); /* XSTATE_BV 0 */
	ck_assert_uint_eq(t.vm->xcr0, XCR0_X87);
}
END_TEST

START_TEST(test_load_replaces_whatever_the_cpu_held)
{
	dirty_cpu();
	guest_cpu_state_load(t.vm);
	assert_cpu_at_reset(t.vm);
	ck_assert_uint_eq(fake_cpu.xrstor_calls, 1);
	ck_assert_uint_eq(fake_cpu.fxrstor_calls, 0);
}
END_TEST

START_TEST(test_save_keeps_what_the_guest_left)
{
	guest_cpu_state_load(t.vm);
	dirty_cpu(); /* the guest ran: XCR0 7 by XSETBV, the rest directly */
	t.vm->xcr0 = 7;
	guest_cpu_state_save(t.vm);
	const struct guest_cpu_state *s = &t.vm->cpu_state;
	ck_assert_uint_eq(s->dr[3], 0x5ec0de03);
	ck_assert_uint_eq(s->dr6, 0xffff0ff1);
	ck_assert_uint_eq(s->cr2, 0x123456789000ull);
	ck_assert_uint_eq(t.vm->msrs.kernel_gs_base, 0x5ec0de002000ull); /* SWAPGS's change, read from the CPU */
	ck_assert_ptr_eq(fake_cpu.saved_area, s->area);
	ck_assert_uint_eq(fake_cpu.xsaveopt_calls, 1);
	ck_assert_uint_eq(fake_cpu.save_mask, 7);
	ck_assert_uint_eq(fake_cpu.save_xcr0, 7);
	/* A second run of the same VM gets its own values back. */
	memset(fake_cpu.dr, 0, sizeof(fake_cpu.dr));
	fake_cpu.cr2 = 0;
	fake_cpu.msr_kernel_gs_base = 0;
	guest_cpu_state_load(t.vm);
	ck_assert_uint_eq(fake_cpu.dr[3], 0x5ec0de03);
	ck_assert_uint_eq(fake_cpu.cr2, 0x123456789000ull);
	ck_assert_uint_eq(fake_cpu.msr_kernel_gs_base, 0x5ec0de002000ull);
	ck_assert_uint_eq(fake_cpu.xcr0, 7);
}
END_TEST

START_TEST(test_next_vm_starts_at_reset)
{
	guest_cpu_state_load(t.vm);
	dirty_cpu();
	t.vm->xcr0 = 7;
	guest_cpu_state_save(t.vm);
	test_vm_destroy(&t);
	test_vm_build(&t, "next", 0, NULL);
	dirty_cpu(); /* test_vm_build resets the fake CPU: the last VM's values again */
	guest_cpu_state_load(t.vm);
	assert_cpu_at_reset(t.vm);
}
END_TEST

START_TEST(test_without_xsaveopt_or_xsave)
{
	t.vm->cpu_state.xsaveopt = false;
	guest_cpu_state_save(t.vm);
	ck_assert_uint_eq(fake_cpu.xsave_calls, 1);
	ck_assert_uint_eq(fake_cpu.xsaveopt_calls, 0);
	/* No XSAVE: FXSAVE/FXRSTOR, XCR0 never touched. */
	t.vm->cpu_state.offer.xcr0 = 0;
	unsigned xsetbv = fake_cpu.xsetbv_calls;
	guest_cpu_state_load(t.vm);
	guest_cpu_state_save(t.vm);
	ck_assert_uint_eq(fake_cpu.fxrstor_calls, 1);
	ck_assert_uint_eq(fake_cpu.fxsave_calls, 1);
	ck_assert_ptr_eq(fake_cpu.restored_area, t.vm->cpu_state.area);
	ck_assert_uint_eq(fake_cpu.xsetbv_calls, xsetbv);
}
END_TEST

START_TEST(test_held_msrs)
{
	static const uint32_t held[] = { MSR_IA32_STAR, MSR_IA32_LSTAR, MSR_IA32_CSTAR, MSR_IA32_FMASK,
					 MSR_IA32_KERNEL_GS_BASE };
	for (unsigned i = 0; i < sizeof(held) / sizeof(held[0]); i++)
		ck_assert(guest_cpu_state_msr(t.vm, held[i]));
	ck_assert(!guest_cpu_state_msr(t.vm, MSR_IA32_FS_BASE)); /* the VMCS switches it */
	ck_assert(!guest_cpu_state_msr(t.vm, MSR_IA32_PAT));
	ck_assert(!guest_cpu_state_msr(t.vm, MSR_IA32_TSC));
	/* TSC_AUX, which RDTSCP and RDPID read with no exit, only when "enable RDTSCP" is set. */
	t.vm->rdtscp = true;
	ck_assert(guest_cpu_state_msr(t.vm, MSR_IA32_TSC_AUX));
	t.vm->rdtscp = false;
	ck_assert(!guest_cpu_state_msr(t.vm, MSR_IA32_TSC_AUX));
}
END_TEST

static void msr_exit(uint32_t msr, uint64_t value)
{
	struct vcpu *v = &t.vm->vcpu;
	v->gpr = v->regs;
	v->regs[GPR_RCX] = msr;
	v->regs[GPR_RAX] = value & 0xffffffffu;
	v->regs[GPR_RDX] = value >> 32;
	*fake_vmcs_field(VMCS_EXIT_INSTRUCTION_LENGTH) = 2;
	*fake_vmcs_field(VMCS_ENTRY_INTR_INFO) = 0;
}

START_TEST(test_wrmsr_reaches_the_cpu)
{
	guest_cpu_state_load(t.vm);
	msr_exit(MSR_IA32_LSTAR, 0xffffffff81000000ull);
	ck_assert_int_eq(handle_wrmsr(&t.vm->vcpu), EXIT_RESUME);
	ck_assert_uint_eq(fake_cpu.msr_lstar, 0xffffffff81000000ull);
	ck_assert_uint_eq(t.vm->msrs.lstar, 0xffffffff81000000ull);
	/* A non-canonical address: #GP, and neither the table nor the CPU changes. */
	msr_exit(MSR_IA32_LSTAR, 0x0000800000000000ull);
	ck_assert_int_eq(handle_wrmsr(&t.vm->vcpu), EXIT_RESUME);
	ck_assert_uint_ne(*fake_vmcs_field(VMCS_ENTRY_INTR_INFO), 0);
	ck_assert_uint_eq(fake_cpu.msr_lstar, 0xffffffff81000000ull);
	ck_assert_uint_eq(t.vm->msrs.lstar, 0xffffffff81000000ull);
}
END_TEST

START_TEST(test_tsc_aux_in_the_cpu_with_rdtscp)
{
	/* The test VM's CPU allows "enable RDTSCP": the guest's TSC_AUX is loaded, and WRMSR writes it through. */
	ck_assert(t.vm->rdtscp);
	fake_cpu.msr_tsc_aux = 0x5ec0de;
	guest_cpu_state_load(t.vm);
	ck_assert_uint_eq(fake_cpu.msr_tsc_aux, 0); /* the new VM's, not what the CPU held */
	msr_exit(MSR_IA32_TSC_AUX, 0x1234);
	ck_assert_int_eq(handle_wrmsr(&t.vm->vcpu), EXIT_RESUME);
	ck_assert_uint_eq(fake_cpu.msr_tsc_aux, 0x1234);
	ck_assert_uint_eq(t.vm->msrs.tsc_aux, 0x1234);
	/* Without it the CPU's TSC_AUX is never touched (a CPU without RDTSCP has no such MSR). */
	t.vm->rdtscp = false;
	fake_cpu.msr_tsc_aux = 0x5ec0de;
	guest_cpu_state_load(t.vm);
	msr_exit(MSR_IA32_TSC_AUX, 0x99);
	ck_assert_int_eq(handle_wrmsr(&t.vm->vcpu), EXIT_RESUME);
	ck_assert_uint_eq(fake_cpu.msr_tsc_aux, 0x5ec0de);
	ck_assert_uint_eq(t.vm->msrs.tsc_aux, 0x99);
}
END_TEST

START_TEST(test_rdmsr_kernel_gs_base_reads_the_cpu)
{
	guest_cpu_state_load(t.vm);
	fake_cpu.msr_kernel_gs_base = 0x5ec0de002000ull; /* SWAPGS, no exit */
	msr_exit(MSR_IA32_KERNEL_GS_BASE, 0);
	ck_assert_int_eq(handle_rdmsr(&t.vm->vcpu), EXIT_RESUME);
	ck_assert_uint_eq(t.vm->vcpu.regs[GPR_RAX], 0xde002000u);
	ck_assert_uint_eq(t.vm->vcpu.regs[GPR_RDX], 0x5ec0);
}
END_TEST

START_TEST(test_run_switches_once_per_run)
{
	static const struct fake_exit script[] = {
		{ EXIT_REASON_CPUID, 0, 2, VMX_OK },
		{ EXIT_REASON_CPUID, 0, 2, VMX_OK },
		{ EXIT_REASON_HLT, 0, 1, VMX_OK },
	};
	dirty_cpu();
	fake_vmx_script(script, 3);
	ck_assert_int_eq(vcpu_run(&t.vm->vcpu), EXIT_STOP);
	ck_assert_uint_eq(fake_vmx_exits_delivered(), 3);
	ck_assert_uint_eq(fake_cpu.xrstor_calls, 1);
	ck_assert_uint_eq(fake_cpu.xsaveopt_calls, 1);
	ck_assert_uint_eq(t.vm->cpu_state.cr2, 0); /* loaded as 0; the fake guest changed nothing */
}
END_TEST

static Suite *guest_cpu_state_suite(void)
{
	Suite *s = suite_create("hv_guest_cpu_state");
	TCase *c = tcase_create("switch");
	tcase_add_checked_fixture(c, setup, teardown);
	tcase_add_test(c, test_new_vm_area_is_initial_state);
	tcase_add_test(c, test_load_replaces_whatever_the_cpu_held);
	tcase_add_test(c, test_save_keeps_what_the_guest_left);
	tcase_add_test(c, test_next_vm_starts_at_reset);
	tcase_add_test(c, test_without_xsaveopt_or_xsave);
	tcase_add_test(c, test_held_msrs);
	tcase_add_test(c, test_tsc_aux_in_the_cpu_with_rdtscp);
	tcase_add_test(c, test_wrmsr_reaches_the_cpu);
	tcase_add_test(c, test_rdmsr_kernel_gs_base_reads_the_cpu);
	tcase_add_test(c, test_run_switches_once_per_run);
	suite_add_tcase(s, c);
	return s;
}

int main(void)
{
	return run_suite(guest_cpu_state_suite(), CK_NORMAL);
}
