/*
 * An external kernel's VM as the kernel's own code builds it (vm_create,
 * vm_load, vm_setup_vmx into the fake VMCS: test_vm_build_external), then
 * driven through run/vcpu_run.c's vcpu_exit as the hardware drives it:
 *  - the entry state is the Multiboot Specification's (protected mode, paging
 *    off, EAX magic, EBX the boot information) with unrestricted guest, and the
 *    software entry checker (SDM 27.2, 27.3) finds nothing wrong with it;
 *  - a CPU without unrestricted guest skips the kernel;
 *  - the kernel's own switch to long mode (CR4.PAE, EFER.LME by WRMSR, CR0.PG)
 *    sets EFER.LMA and the IA-32e mode guest control together, and still passes
 *    the checker; clearing CR0.PG from compatibility mode leaves it; from 64-bit
 *    mode it is #GP;
 *  - PAE paging outside long mode loads the PDPTEs into the VMCS, #GP for a
 *    reserved bit; real mode (CR0.PE clear) is a value an unrestricted guest loads.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "diag/entry_check.h"
#include "diag/vmcs_snapshot.h"
#include "fake_hw.h"
#include "hv_good_vmcs.h"
#include "hw/vmcs.h"
#include "include/x86_arch.h"
#include "run/vcpu_run.h"
#include "run_suite.h"
#include "test_vm.h"
#include "vm/guest_mem.h"
#include "vm/io_bus.h"
#include "vm/guest_time.h"
#include "vm/kernel_image.h"
#include "vm/pic.h"
#include "vm/pit.h"
#include "vm/vm.h"
#include "vmx/event_inject.h"
#include "vmx/tsc_scale.h"

#define LOAD 0x100000u
#define MSR_EFER 0xc0000080u

static struct test_vm t;
static struct vmx_caps caps;

/* A flat a.out-kludge kernel of 64 bytes at LOAD, entry at LOAD + 0x20: the smallest multiboot kernel. */
static uint8_t kernel[64];

static void setup(void)
{
	hv_good_caps(&caps); /* unrestricted guest allowed (bits 63:32 of the secondary controls) */
	memset(kernel, 0xf4, sizeof(kernel)); /* HLT */
	uint32_t h[8] = { MB1_HEADER_MAGIC, MB1_FLAG_AOUT_KLUDGE, -(MB1_HEADER_MAGIC + MB1_FLAG_AOUT_KLUDGE),
			  LOAD, LOAD, 0, LOAD + 0x1000, LOAD + 0x20 };
	memcpy(kernel, h, sizeof(h));
}

static void build(void)
{
	const char *why = test_vm_build_external(&t, "kut", kernel, sizeof(kernel), "kut -v", &caps);
	ck_assert_msg(why == NULL, "refused: %s", why);
}

static void teardown(void)
{
	if (t.vm)
		test_vm_destroy(&t);
}

static unsigned entry_violations(void)
{
	struct vmcs_snapshot s;
	struct entry_check_result r;
	vmcs_snapshot_read(&s);
	unsigned n = entry_check_run(&s, &caps, &r);
	for (unsigned i = 0; i < n && i < ENTRY_CHECK_MAX_VIOLATIONS; i++)
		fprintf(stderr, "violation: %s\n", r.v[i].text);
	return n;
}

START_TEST(test_entry_state)
{
	build();
	struct vm *vm = t.vm;
	ck_assert_int_eq(vm->kind, VM_EXTERNAL_KERNEL);
	ck_assert_uint_eq(vmcs_read(VMCS_GUEST_RIP), LOAD + 0x20);
	ck_assert_uint_eq(vm->vcpu.regs[GPR_RAX], MB1_BOOTLOADER_MAGIC);
	uint32_t flags;
	ck_assert(guest_mem_read(vm, vm->vcpu.regs[GPR_RBX], &flags, 4));
	ck_assert_uint_eq(flags & 0x24d, 0x24d);
	/* Protected mode, paging off: the guest sees PE and ET; the CPU runs without PG (unrestricted guest). */
	ck_assert_uint_eq(vmcs_read(VMCS_CR0_READ_SHADOW), CR0_PE | CR0_ET);
	ck_assert_uint_eq(vmcs_read(VMCS_GUEST_CR0) & (CR0_PE | CR0_PG), CR0_PE);
	ck_assert_uint_eq(vmcs_read(VMCS_CR4_READ_SHADOW), 0);
	ck_assert_uint_eq(vmcs_read(VMCS_PROC_BASED_CONTROLS2) & PROC2_UNRESTRICTED_GUEST, PROC2_UNRESTRICTED_GUEST);
	ck_assert_uint_eq(vmcs_read(VMCS_ENTRY_CONTROLS) & ENTRY_IA32E_MODE_GUEST, 0);
	ck_assert_uint_eq(vmcs_read(VMCS_GUEST_IA32_EFER), 0);
	ck_assert_uint_eq(vmcs_read(VMCS_GUEST_CS_ACCESS_RIGHTS), AR_CODE32);
	ck_assert_uint_eq(vmcs_read(VMCS_GUEST_CS_BASE), 0);
	ck_assert_uint_eq(vmcs_read(VMCS_GUEST_CS_LIMIT), 0xffffffff);
	ck_assert_uint_eq(vmcs_read(VMCS_GUEST_RFLAGS), RFLAGS_FIXED1);
	ck_assert_uint_eq(entry_violations(), 0);
}
END_TEST

START_TEST(test_needs_unrestricted_guest)
{
	caps.procbased2 &= ~((uint64_t)PROC2_UNRESTRICTED_GUEST << 32); /* as corei5_lynnfield_750 */
	ck_assert_str_eq(test_vm_build_external(&t, "kut", kernel, sizeof(kernel), "kut", &caps),
			 "no-unrestricted-guest");
}
END_TEST

/* tscscale.NAME (make bench's vmexit): RDTSC scaled by the CPU, the multiplier a 16.48 fixed-point number. */
START_TEST(test_tsc_scaling)
{
	build();
	ck_assert_uint_eq(vmcs_read(VMCS_PROC_BASED_CONTROLS2) & PROC2_USE_TSC_SCALING, 0);
	test_vm_destroy(&t);
	/* A CPU without TSC scaling skips a kernel that asks for it. */
	test_vm_tsc_scale = 64;
	ck_assert_str_eq(test_vm_build_external(&t, "kut", kernel, sizeof(kernel), "kut", &caps), "no-tsc-scaling");
	test_vm_destroy(&t);
	caps.procbased2 |= (uint64_t)PROC2_USE_TSC_SCALING << 32;
	test_vm_tsc_scale = 64;
	build();
	ck_assert_uint_eq(vmcs_read(VMCS_PROC_BASED_CONTROLS) & PROC_USE_TSC_OFFSETTING, PROC_USE_TSC_OFFSETTING);
	ck_assert_uint_eq(vmcs_read(VMCS_PROC_BASED_CONTROLS2) & PROC2_USE_TSC_SCALING, PROC2_USE_TSC_SCALING);
	ck_assert_uint_eq(vmcs_read(VMCS_TSC_MULTIPLIER), 64ull << 48);
	/* The guest's TSC starts at 0 as RDTSC reads it, scaled: the offset takes back 64 times the host's TSC. */
	ck_assert_uint_eq(t.vm->msrs.tsc_multiplier, 64ull << 48);
	ck_assert_uint_eq(tsc_guest(fake_cpu.tsc - fake_cpu.tsc_step, t.vm->msrs.tsc_multiplier, vmcs_read(VMCS_TSC_OFFSET)),
			  0);
	ck_assert_uint_eq(entry_violations(), 0);
	/* The next VM is not scaled. */
	ck_assert_uint_eq(test_vm_tsc_scale, 1);
}
END_TEST

START_TEST(test_bad_image_refused_before_vmx)
{
	kernel[8] ^= 1; /* checksum */
	ck_assert_str_eq(test_vm_build_external(&t, "kut", kernel, sizeof(kernel), "kut", &caps),
			 "multiboot-bad-checksum");
}
END_TEST

/* One exit, as the hardware reports it, through the run loop's per-exit body. */
static void exit_with(uint32_t reason, uint64_t qual, uint64_t rax, uint64_t rcx, uint64_t rdx)
{
	struct vcpu *v = &t.vm->vcpu;
	v->regs[GPR_RAX] = rax;
	v->regs[GPR_RCX] = rcx;
	v->regs[GPR_RDX] = rdx;
	fake_vmcs.exit_reason = reason;
	fake_vmcs.exit_qualification = qual;
	fake_vmcs.exit_instruction_length = 3;
	fake_vmcs.entry_intr_info = 0;
	ck_assert_int_eq(vcpu_exit(v), EXIT_RESUME);
}

#define MOV_TO_CR0_FROM_EAX 0x0
#define MOV_TO_CR4_FROM_EAX 0x4
#define MOV_TO_CR3_FROM_EAX 0x3

static bool gp_injected(void)
{
	return fake_vmcs.entry_intr_info == (INTR_INFO_VALID | INTR_TYPE_HARDWARE_EXCEPTION | INTR_INFO_DELIVER_ERROR_CODE |
					     VECTOR_GP);
}

static void enter_long_mode(void)
{
	exit_with(EXIT_REASON_CR_ACCESS, MOV_TO_CR4_FROM_EAX, CR4_PAE, 0, 0);
	exit_with(EXIT_REASON_WRMSR, 0, EFER_LME, MSR_EFER, 0);
	ck_assert_uint_eq(vmcs_read(VMCS_GUEST_IA32_EFER), EFER_LME); /* LME alone changes no mode */
	ck_assert_uint_eq(vmcs_read(VMCS_ENTRY_CONTROLS) & ENTRY_IA32E_MODE_GUEST, 0);
	exit_with(EXIT_REASON_CR_ACCESS, MOV_TO_CR0_FROM_EAX, CR0_PE | CR0_ET | CR0_PG, 0, 0);
	ck_assert(!gp_injected());
}

/* vm_load hands the kernel its boot modules through the boot information (Multiboot 0.6.96, 3.3). */
START_TEST(test_boot_modules_reach_the_kernel)
{
	static const char env[] = "TEST_DEVICE=0\n";
	static const uint8_t blob[5000] = { 1, 2, 3 };
	struct mb1_module mods[2] = { { (const uint8_t *)env, sizeof(env) - 1, "env" }, { blob, sizeof(blob), "b.bin x" } };
	struct vm_image img = { kernel, sizeof(kernel), "kut", mods, 2 };
	const char *why = test_vm_build_loaded(&t, "kut", &img, &caps);
	ck_assert_msg(why == NULL, "refused: %s", why);
	uint32_t mbi = (uint32_t)t.vm->vcpu.regs[GPR_RBX], e, flags, n;
	ck_assert(guest_mem_read(t.vm, mbi, &flags, 4));
	ck_assert(guest_mem_read(t.vm, mbi + 20, &n, 4));
	ck_assert(guest_mem_read(t.vm, mbi + 24, &e, 4));
	ck_assert_uint_ne(flags & MB1_INFO_MODS, 0);
	ck_assert_uint_eq(n, 2);
	uint32_t entry[8];
	ck_assert(guest_mem_read(t.vm, e, entry, sizeof(entry)));
	char text[sizeof(env)] = { 0 };
	ck_assert(guest_mem_read(t.vm, entry[0], text, sizeof(env) - 1));
	ck_assert_str_eq(text, env);
	ck_assert_uint_eq(entry[1] - entry[0], sizeof(env) - 1);
	char str[8] = { 0 };
	ck_assert(guest_mem_read(t.vm, entry[6], str, sizeof("b.bin x")));
	ck_assert_str_eq(str, "b.bin x");
	uint8_t first;
	ck_assert(guest_mem_read(t.vm, entry[4], &first, 1));
	ck_assert_uint_eq(first, 1);
	/* Each module on pages of its own, clear of the kernel (LOAD..LOAD+0x1000) and of each other. */
	for (unsigned i = 0; i < 2; i++) {
		ck_assert_uint_eq(entry[4 * i] % PAGE_SIZE, 0);
		ck_assert(entry[4 * i + 1] <= LOAD || entry[4 * i] >= LOAD + 0x1000);
	}
	ck_assert_uint_ge(entry[4], entry[1]);
}
END_TEST

START_TEST(test_boot_modules_refused)
{
	static const char env[] = "A=1\n";
	struct mb1_module mods[MB1_MAX_MODULES + 1];
	for (unsigned i = 0; i <= MB1_MAX_MODULES; i++)
		mods[i] = (struct mb1_module){ (const uint8_t *)env, sizeof(env) - 1, "env" };
	struct vm_image img = { kernel, sizeof(kernel), "kut", mods, MB1_MAX_MODULES + 1 };
	ck_assert_str_eq(test_vm_build_loaded(&t, "kut", &img, &caps), "too-many-modules");
	test_vm_destroy(&t);
	img.n_mods = MB1_MAX_MODULES;
	ck_assert_ptr_null(test_vm_build_loaded(&t, "kut", &img, &caps));
	test_vm_destroy(&t);
	/* A test guest has no boot information to find a module in. */
	test_vm_create(&t, "guest", 0);
	img.n_mods = 1;
	ck_assert_str_eq(vm_load(t.vm, &img), "test-guest-takes-no-modules");
}
END_TEST

START_TEST(test_enter_long_mode)
{
	build();
	enter_long_mode();
	ck_assert_uint_eq(vmcs_read(VMCS_GUEST_IA32_EFER), EFER_LME | EFER_LMA);
	ck_assert_uint_eq(vmcs_read(VMCS_ENTRY_CONTROLS) & ENTRY_IA32E_MODE_GUEST, ENTRY_IA32E_MODE_GUEST);
	ck_assert_uint_eq(vmcs_read(VMCS_GUEST_CR0) & CR0_PG, CR0_PG);
	ck_assert_uint_eq(vmcs_read(VMCS_CR0_READ_SHADOW), CR0_PE | CR0_ET | CR0_PG);
	/* Compatibility mode (CS still 32-bit) in IA-32e mode: a state VM entry accepts. */
	ck_assert_uint_eq(entry_violations(), 0);
	/* Leaving: clearing PG from compatibility mode clears LMA and the control. */
	exit_with(EXIT_REASON_CR_ACCESS, MOV_TO_CR0_FROM_EAX, CR0_PE | CR0_ET, 0, 0);
	ck_assert(!gp_injected());
	ck_assert_uint_eq(vmcs_read(VMCS_GUEST_IA32_EFER), EFER_LME);
	ck_assert_uint_eq(vmcs_read(VMCS_ENTRY_CONTROLS) & ENTRY_IA32E_MODE_GUEST, 0);
	ck_assert_uint_eq(entry_violations(), 0);
}
END_TEST

START_TEST(test_long_mode_refusals)
{
	build();
	/* PG with LME but without PAE: #GP, nothing changes. */
	exit_with(EXIT_REASON_WRMSR, 0, EFER_LME, MSR_EFER, 0);
	exit_with(EXIT_REASON_CR_ACCESS, MOV_TO_CR0_FROM_EAX, CR0_PE | CR0_ET | CR0_PG, 0, 0);
	ck_assert(gp_injected());
	ck_assert_uint_eq(vmcs_read(VMCS_GUEST_IA32_EFER), EFER_LME);
	ck_assert_uint_eq(vmcs_read(VMCS_CR0_READ_SHADOW), CR0_PE | CR0_ET);
	/* In 64-bit mode (CS.L), clearing PG is #GP. */
	teardown();
	build();
	enter_long_mode();
	vmcs_write(VMCS_GUEST_CS_ACCESS_RIGHTS, AR_CODE64);
	exit_with(EXIT_REASON_CR_ACCESS, MOV_TO_CR0_FROM_EAX, CR0_PE | CR0_ET, 0, 0);
	ck_assert(gp_injected());
	ck_assert_uint_eq(vmcs_read(VMCS_GUEST_IA32_EFER), EFER_LME | EFER_LMA);
	/* And EFER.LME cannot change while paging is on. */
	exit_with(EXIT_REASON_WRMSR, 0, 0, MSR_EFER, 0);
	ck_assert(gp_injected());
}
END_TEST

START_TEST(test_pae_paging_loads_pdptes)
{
	build();
	/* The PDPT at 0x5000: CR3 points at it, then CR4.PAE, then CR0.PG (no LME: legacy PAE paging). */
	uint64_t pdpte[4] = { 0x1001, 0x2001, 0, 0x3001 };
	ck_assert(guest_mem_write(t.vm, 0x5000, pdpte, sizeof(pdpte)));
	vmcs_write(VMCS_GUEST_CR3, 0x5000);
	exit_with(EXIT_REASON_CR_ACCESS, MOV_TO_CR4_FROM_EAX, CR4_PAE, 0, 0);
	ck_assert_uint_eq(vmcs_read(VMCS_GUEST_PDPTE0), 0); /* paging still off: nothing loaded */
	exit_with(EXIT_REASON_CR_ACCESS, MOV_TO_CR0_FROM_EAX, CR0_PE | CR0_ET | CR0_PG, 0, 0);
	ck_assert(!gp_injected());
	ck_assert_uint_eq(vmcs_read(VMCS_GUEST_PDPTE0), 0x1001);
	ck_assert_uint_eq(vmcs_read(VMCS_GUEST_PDPTE1), 0x2001);
	ck_assert_uint_eq(vmcs_read(VMCS_GUEST_PDPTE2), 0);
	ck_assert_uint_eq(vmcs_read(VMCS_GUEST_PDPTE3), 0x3001);
	ck_assert_uint_eq(vmcs_read(VMCS_GUEST_IA32_EFER), 0);
	/* CR0.TS alone reloads nothing (SDM Vol. 3A 4.4.1 lists CD, NW and PG). */
	pdpte[0] = 0x7001;
	ck_assert(guest_mem_write(t.vm, 0x5000, pdpte, sizeof(pdpte)));
	exit_with(EXIT_REASON_CR_ACCESS, MOV_TO_CR0_FROM_EAX, CR0_PE | CR0_ET | CR0_PG | CR0_TS, 0, 0);
	ck_assert_uint_eq(vmcs_read(VMCS_GUEST_PDPTE0), 0x1001);
	/* CR4.PGE does: and a present PDPTE with a reserved bit is #GP, the old ones kept. */
	pdpte[1] = 0x2001 | (1ull << 5);
	ck_assert(guest_mem_write(t.vm, 0x5000, pdpte, sizeof(pdpte)));
	exit_with(EXIT_REASON_CR_ACCESS, MOV_TO_CR4_FROM_EAX, CR4_PAE | CR4_PGE, 0, 0);
	ck_assert(gp_injected());
	ck_assert_uint_eq(vmcs_read(VMCS_GUEST_PDPTE0), 0x1001);
	ck_assert_uint_eq(vmcs_read(VMCS_CR4_READ_SHADOW), CR4_PAE);
	/* Real mode: PE clear is a value an unrestricted guest may load, and runs with it. */
	teardown();
	build();
	exit_with(EXIT_REASON_CR_ACCESS, MOV_TO_CR0_FROM_EAX, CR0_ET, 0, 0);
	ck_assert(!gp_injected());
	ck_assert_uint_eq(vmcs_read(VMCS_GUEST_CR0) & (CR0_PE | CR0_PG), 0);
}
END_TEST

/* The EPT leaf that maps gpa with 4 KiB pages, or 0. */
static uint64_t ept_leaf(const struct vm *vm, uint64_t gpa)
{
	uint64_t t = vm->ept.pml4;
	for (int level = 3; level >= 0; level--) {
		uint64_t e = ((const uint64_t *)(uintptr_t)(t & 0x000ffffffffff000ull))[(gpa >> (12 + 9 * level)) & 511];
		if (!e || level == 0)
			return e;
		t = e;
	}
	return 0;
}

static void apic_store(unsigned offset, uint32_t v)
{
	*(uint32_t *)(void *)(t.vm->lapic->page + offset) = v;
}

START_TEST(test_local_apic)
{
	build();
	struct vm *vm = t.vm;
	ck_assert_ptr_nonnull(vm->lapic);
	/* SDM 30: TPR shadow, APIC accesses virtualized, registers read from the virtual-APIC page; CR8 no longer exits. */
	uint64_t proc = vmcs_read(VMCS_PROC_BASED_CONTROLS), proc2 = vmcs_read(VMCS_PROC_BASED_CONTROLS2);
	ck_assert_uint_eq(proc & (PROC_USE_TPR_SHADOW | PROC_CR8_LOAD_EXITING | PROC_CR8_STORE_EXITING), PROC_USE_TPR_SHADOW);
	ck_assert_uint_eq(proc2 & (PROC2_VIRTUALIZE_APIC_ACCESSES | PROC2_APIC_REGISTER_VIRT),
			  PROC2_VIRTUALIZE_APIC_ACCESSES | PROC2_APIC_REGISTER_VIRT);
	ck_assert_uint_eq(vmcs_read(VMCS_VIRTUAL_APIC_ADDR), (uint64_t)(uintptr_t)vm->lapic->page);
	ck_assert_uint_eq(vmcs_read(VMCS_APIC_ACCESS_ADDRESS), vm->apic_access_page);
	ck_assert_uint_eq(vmcs_read(VMCS_TPR_THRESHOLD), 0);
	/* EPT maps FEE00000H to the APIC-access page, read/write, not executable. */
	ck_assert_uint_eq(ept_leaf(vm, LAPIC_BASE) & ~0xfffull, vm->apic_access_page);
	ck_assert_uint_eq(ept_leaf(vm, LAPIC_BASE) & 7, 3);
	ck_assert_uint_eq(ept_leaf(vm, LAPIC_BASE + 0x1000), 0);
	ck_assert_uint_eq(lapic_reg(vm->lapic, LAPIC_VERSION), LAPIC_VERSION_VALUE);
	ck_assert_uint_eq(entry_violations(), 0);

	/* CPUID.1:EDX.APIC while IA32_APIC_BASE enables it. */
	exit_with(EXIT_REASON_CPUID, 0, 1, 0, 0);
	ck_assert_uint_ne(vm->vcpu.gpr[GPR_RDX] & (1u << 9), 0);

	/* kvm-unit-tests' reset_apic: disable globally, enable again; then enable_apic writes SVR. */
	apic_store(LAPIC_SVR, 0x1ff);
	exit_with(EXIT_REASON_APIC_WRITE, LAPIC_SVR, 0, 0, 0);
	exit_with(EXIT_REASON_WRMSR, 0, 0xfee00100, MSR_IA32_APIC_BASE, 0);
	ck_assert(!gp_injected());
	ck_assert_uint_eq(lapic_reg(vm->lapic, LAPIC_SVR), 0xff); /* back to its power-up state */
	exit_with(EXIT_REASON_CPUID, 0, 1, 0, 0);
	ck_assert_uint_eq(vm->vcpu.gpr[GPR_RDX] & (1u << 9), 0);
	exit_with(EXIT_REASON_WRMSR, 0, 0xfee00900, MSR_IA32_APIC_BASE, 0);
	ck_assert(!gp_injected());
	exit_with(EXIT_REASON_CPUID, 0, 1, 0, 0);
	ck_assert_uint_ne(vm->vcpu.gpr[GPR_RDX] & (1u << 9), 0);
	apic_store(LAPIC_SVR, 0xffff01ff);
	exit_with(EXIT_REASON_APIC_WRITE, LAPIC_SVR, 0, 0, 0);
	ck_assert_uint_eq(lapic_reg(vm->lapic, LAPIC_SVR), 0x1ff);
	/* Turning on x2APIC (not offered): #GP. */
	exit_with(EXIT_REASON_WRMSR, 0, 0xfee00d00, MSR_IA32_APIC_BASE, 0);
	ck_assert(gp_injected());

	/* INIT to all but self reaches nobody: nothing to inject, no window. */
	apic_store(LAPIC_ICR_LOW, 0xc4500);
	exit_with(EXIT_REASON_APIC_WRITE, LAPIC_ICR_LOW, 0, 0, 0);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, 0);
	ck_assert_uint_eq(fake_vmcs.proc & (PROC_INTERRUPT_WINDOW_EXITING | PROC_NMI_WINDOW_EXITING), 0);
	ck_assert_int_eq(vm->stop, VM_RUNNING);
}
END_TEST

/* --- the injection core (vm/irq.h) through the exits that feed it ------------------------- */

static void software_enable_apic(void)
{
	build();
	ck_assert_uint_eq(fake_vmcs.pin & PIN_VIRTUAL_NMIS, PIN_VIRTUAL_NMIS);
	apic_store(LAPIC_SVR, 0x1ff);
	exit_with(EXIT_REASON_APIC_WRITE, LAPIC_SVR, 0, 0, 0);
}

static void self_ipi(uint32_t icr)
{
	apic_store(LAPIC_ICR_LOW, icr);
	exit_with(EXIT_REASON_APIC_WRITE, LAPIC_ICR_LOW, 0, 0, 0);
}

static bool in_register(unsigned base, unsigned vector)
{
	return lapic_reg(t.vm->lapic, base + 16 * (vector / 32)) & (1u << (vector % 32));
}

#define WINDOWS (PROC_INTERRUPT_WINDOW_EXITING | PROC_NMI_WINDOW_EXITING)
#define EXTERNAL(vector) (INTR_INFO_VALID | (vector))
#define NMI_INFO (INTR_INFO_VALID | (2u << 8) | VECTOR_NMI)

START_TEST(test_self_ipi_injected_when_if_set)
{
	/* SDM Vol. 3A 11.6.1: a fixed IPI to self (shorthand 01b) lands in the IRR; RFLAGS.IF=1: injected at once (27.6). */
	software_enable_apic();
	fake_vmcs.guest_rflags = RFLAGS_FIXED1 | RFLAGS_IF;
	self_ipi(0x40000 | 0x41);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, EXTERNAL(0x41));
	ck_assert(!in_register(LAPIC_IRR, 0x41));
	ck_assert(in_register(LAPIC_ISR, 0x41)); /* acknowledged: in service until EOI */
	ck_assert_uint_eq(lapic_reg(t.vm->lapic, LAPIC_PPR), 0x40);
	ck_assert_uint_eq(fake_vmcs.proc & WINDOWS, 0);
	ck_assert_uint_eq(entry_violations(), 0);
	/* Physical destination = its own APIC ID 0, no shorthand: the same. */
	apic_store(LAPIC_EOI, 0);
	exit_with(EXIT_REASON_APIC_WRITE, LAPIC_EOI, 0, 0, 0);
	ck_assert(!in_register(LAPIC_ISR, 0x41));
	self_ipi(0x52);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, EXTERNAL(0x52));
}
END_TEST

START_TEST(test_interrupt_window_when_if_clear)
{
	/* IF=0: nothing injected; interrupt-window exiting (SDM 26.7.5) brings the VM back when IF is set. */
	software_enable_apic();
	self_ipi(0x40000 | 0x21);
	self_ipi(0x40000 | 0x20);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, 0);
	ck_assert_uint_eq(fake_vmcs.proc & WINDOWS, PROC_INTERRUPT_WINDOW_EXITING);
	/* IF=1 but blocking by STI: still waits (SDM Vol. 3A 6.8.3). */
	fake_vmcs.guest_rflags = RFLAGS_FIXED1 | RFLAGS_IF;
	fake_vmcs.guest_interruptibility = INTERRUPTIBILITY_STI;
	exit_with(EXIT_REASON_INTERRUPT_WINDOW, 0, 0, 0, 0);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, 0);
	ck_assert_uint_eq(fake_vmcs.proc & WINDOWS, PROC_INTERRUPT_WINDOW_EXITING);
	/* The window opens: the higher vector of the two (same class) goes first. */
	fake_vmcs.guest_interruptibility = 0;
	exit_with(EXIT_REASON_INTERRUPT_WINDOW, 0, 0, 0, 0);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, EXTERNAL(0x21));
	/* 0x20 is held back by 0x21 in service (same class, 11.8.3.1): no window, the EOI brings it. */
	ck_assert_uint_eq(fake_vmcs.proc & WINDOWS, 0);
	exit_with(EXIT_REASON_CPUID, 0, 0, 0, 0);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, 0);
	fake_vmcs.guest_rflags = RFLAGS_FIXED1; /* in the handler: IF=0 */
	apic_store(LAPIC_EOI, 0);
	exit_with(EXIT_REASON_APIC_WRITE, LAPIC_EOI, 0, 0, 0);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, 0);
	ck_assert_uint_eq(fake_vmcs.proc & WINDOWS, PROC_INTERRUPT_WINDOW_EXITING);
	fake_vmcs.guest_rflags = RFLAGS_FIXED1 | RFLAGS_IF; /* IRET */
	exit_with(EXIT_REASON_INTERRUPT_WINDOW, 0, 0, 0, 0);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, EXTERNAL(0x20));
	ck_assert_uint_eq(fake_vmcs.proc & WINDOWS, 0);
	ck_assert_uint_eq(entry_violations(), 0);
}
END_TEST

START_TEST(test_tpr_holds_back_and_threshold_releases)
{
	/* TPR class 0xF holds vectors 0x32 and 0x3e back; the TPR threshold is the class of the highest (SDM 30.1.2). */
	software_enable_apic();
	fake_vmcs.guest_rflags = RFLAGS_FIXED1 | RFLAGS_IF;
	apic_store(LAPIC_TPR, 0xf0); /* TPR virtualization: no exit (SDM 30.4.3.2) */
	self_ipi(0x40000 | 0x32);
	self_ipi(0x40000 | 0x3e);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, 0);
	ck_assert_uint_eq(fake_vmcs.proc & WINDOWS, 0);
	ck_assert_uint_eq(fake_vmcs.tpr_threshold, 3);
	/* TPR to 0x20: the CPU exits, TPR below threshold (reason 43); 0x3e goes, 0x32 (class 3 <= PPR 3) waits. */
	apic_store(LAPIC_TPR, 0x20);
	exit_with(EXIT_REASON_TPR_BELOW_THRESHOLD, 0, 0, 0, 0);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, EXTERNAL(0x3e));
	ck_assert_uint_eq(fake_vmcs.tpr_threshold, 0); /* held by the ISR now, not by TPR */
	ck_assert_uint_eq(entry_violations(), 0);
	apic_store(LAPIC_EOI, 0);
	exit_with(EXIT_REASON_APIC_WRITE, LAPIC_EOI, 0, 0, 0);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, EXTERNAL(0x32));
}
END_TEST

START_TEST(test_nmi_ipi_and_nmi_window)
{
	/* An NMI IPI to itself (delivery mode 100b, physical destination 0) is injected even with IF=0 (SDM Vol. 3A 6.7). */
	software_enable_apic();
	self_ipi(0x400);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, NMI_INFO);
	ck_assert_uint_eq(entry_violations(), 0);
	/* In its handler NMIs are blocked (virtual-NMI blocking); a second waits for the NMI window (SDM 26.7.6). */
	fake_vmcs.guest_interruptibility = INTERRUPTIBILITY_NMI;
	self_ipi(0x400);
	self_ipi(0x400); /* a third while one waits is lost: NMIs latch one (6.7.1) */
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, 0);
	ck_assert_uint_eq(fake_vmcs.proc & WINDOWS, PROC_NMI_WINDOW_EXITING);
	fake_vmcs.guest_interruptibility = 0; /* IRET */
	exit_with(EXIT_REASON_NMI_WINDOW, 0, 0, 0, 0);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, NMI_INFO);
	ck_assert_uint_eq(fake_vmcs.proc & WINDOWS, 0);
	exit_with(EXIT_REASON_CPUID, 0, 0, 0, 0);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, 0);
	/* An NMI goes before a maskable interrupt; the interrupt then waits for its window. */
	fake_vmcs.guest_rflags = RFLAGS_FIXED1 | RFLAGS_IF;
	fake_vmcs.guest_interruptibility = INTERRUPTIBILITY_NMI;
	self_ipi(0x400);
	fake_vmcs.guest_rflags = RFLAGS_FIXED1;
	self_ipi(0x40000 | 0x60);
	ck_assert_uint_eq(fake_vmcs.proc & WINDOWS, WINDOWS);
	fake_vmcs.guest_interruptibility = 0;
	fake_vmcs.guest_rflags = RFLAGS_FIXED1 | RFLAGS_IF;
	exit_with(EXIT_REASON_NMI_WINDOW, 0, 0, 0, 0);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, NMI_INFO);
	ck_assert_uint_eq(fake_vmcs.proc & WINDOWS, PROC_INTERRUPT_WINDOW_EXITING);
}
END_TEST

START_TEST(test_handler_exception_goes_first)
{
	/* An exit whose handler injects an exception (#GP for a bad APIC base) carries that event; the IPI waits. */
	software_enable_apic();
	fake_vmcs.guest_rflags = RFLAGS_FIXED1; /* IF=0: the IPI waits */
	self_ipi(0x40000 | 0x70);
	fake_vmcs.guest_rflags = RFLAGS_FIXED1 | RFLAGS_IF;
	exit_with(EXIT_REASON_WRMSR, 0, 0xfee00d00, MSR_IA32_APIC_BASE, 0);
	ck_assert(gp_injected());
	ck_assert(in_register(LAPIC_IRR, 0x70));
	ck_assert_uint_eq(fake_vmcs.proc & WINDOWS, PROC_INTERRUPT_WINDOW_EXITING);
	exit_with(EXIT_REASON_INTERRUPT_WINDOW, 0, 0, 0, 0);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, EXTERNAL(0x70));
}
END_TEST

/* A stand-in legacy PIC on the INTR line (vm/irq.h): what i10-env's 8259 will connect. */
struct fake_pic {
	bool up;
	uint8_t vector;
	unsigned acks;
};
static struct fake_pic pic;
static bool pic_pending(void *dev) { return ((struct fake_pic *)dev)->up; }
static uint8_t pic_ack(void *dev)
{
	struct fake_pic *p = dev;
	p->up = false;
	p->acks++;
	return p->vector;
}

START_TEST(test_extint_through_lint0)
{
	software_enable_apic();
	pic = (struct fake_pic){ .up = true, .vector = 0x30 };
	irq_connect_extint(&t.vm->vcpu, &(struct irq_line){ pic_pending, pic_ack, &pic });
	fake_vmcs.guest_rflags = RFLAGS_FIXED1 | RFLAGS_IF;
	/* LINT0 masked: the PIC's INTR does not reach the CPU (SDM Vol. 3A 11.5.1). */
	apic_store(LAPIC_LVT_LINT0, 0x10700);
	exit_with(EXIT_REASON_APIC_WRITE, LAPIC_LVT_LINT0, 0, 0, 0);
	irq_kick(&t.vm->vcpu);
	exit_with(EXIT_REASON_CPUID, 0, 0, 0, 0);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, 0);
	ck_assert_uint_eq(pic.acks, 0);
	/* LINT0 unmasked, ExtINT: the PIC names the vector at the acknowledge, whatever the APIC's priorities. */
	apic_store(LAPIC_LVT_LINT0, 0x700);
	exit_with(EXIT_REASON_APIC_WRITE, LAPIC_LVT_LINT0, 0, 0, 0);
	irq_kick(&t.vm->vcpu);
	exit_with(EXIT_REASON_CPUID, 0, 0, 0, 0);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, EXTERNAL(0x30));
	ck_assert_uint_eq(pic.acks, 1);
	ck_assert_uint_eq(lapic_reg(t.vm->lapic, LAPIC_ISR), 0); /* not the APIC's: nothing in its ISR */
	/* With the APIC globally disabled, INTR goes straight to the CPU. */
	exit_with(EXIT_REASON_WRMSR, 0, 0xfee00100, MSR_IA32_APIC_BASE, 0);
	pic.up = true;
	irq_kick(&t.vm->vcpu);
	exit_with(EXIT_REASON_CPUID, 0, 0, 0, 0);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, EXTERNAL(0x30));
	ck_assert_uint_eq(pic.acks, 2);
}
END_TEST

/*
 * An external kernel starts with LINT0 in ExtINT mode, unmasked, as firmware leaves it (virtual wire,
 * MP specification 3.6.2.2): the PIC's INTR reaches it before it touches its APIC, as realmode.flat
 * needs. A global disable returns the APIC to its reset state (SDM Vol. 3A 11.4.3), LINT0 masked,
 * as the kernels on cstart64.S find it after their disable and re-enable.
 */
START_TEST(test_lint0_extint_as_firmware_leaves_it)
{
	build();
	ck_assert_uint_eq(lapic_reg(t.vm->lapic, LAPIC_LVT_LINT0), 0x700);
	ck_assert(lapic_passes_extint(t.vm->lapic));
	pic = (struct fake_pic){ .up = true, .vector = 0x30 };
	irq_connect_extint(&t.vm->vcpu, &(struct irq_line){ pic_pending, pic_ack, &pic });
	fake_vmcs.guest_rflags = RFLAGS_FIXED1 | RFLAGS_IF;
	irq_kick(&t.vm->vcpu);
	exit_with(EXIT_REASON_CPUID, 0, 0, 0, 0);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, EXTERNAL(0x30));
	exit_with(EXIT_REASON_WRMSR, 0, 0xfee00100, MSR_IA32_APIC_BASE, 0);
	exit_with(EXIT_REASON_WRMSR, 0, 0xfee00900, MSR_IA32_APIC_BASE, 0);
	ck_assert_uint_eq(lapic_reg(t.vm->lapic, LAPIC_LVT_LINT0), LAPIC_LVT_MASKED);
	pic.up = true;
	irq_kick(&t.vm->vcpu);
	exit_with(EXIT_REASON_CPUID, 0, 0, 0, 0);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, 0);
	ck_assert_uint_eq(pic.acks, 1);
}
END_TEST

/* The VM's own 8259 pair (vm/pic.h) is its ExtINT source: the timer's IRQ0 reaches the guest as vector 0x08. */
START_TEST(test_legacy_pic_is_the_extint_source)
{
	software_enable_apic();
	fake_vmcs.guest_rflags = RFLAGS_FIXED1 | RFLAGS_IF;
	/* Masked at the PIC: nothing. */
	io_bus_write(&t.vm->bus, PIC_MASTER_PORT + 1, 1, 0xff);
	pic_set_irq(t.vm->pic, PIT_IRQ, true);
	pic_set_irq(t.vm->pic, PIT_IRQ, false);
	exit_with(EXIT_REASON_CPUID, 0, 0, 0, 0);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, 0);
	/* The unmask is a port write: it wakes the injection core, which takes the latched request. */
	t.vm->vcpu.irq.work = false;
	t.vm->vcpu.work = 0;
	io_bus_write(&t.vm->bus, PIC_MASTER_PORT + 1, 1, PIC_BIOS_MASTER_MASK);
	ck_assert(t.vm->vcpu.irq.work);
	ck_assert(t.vm->vcpu.work & WORK_AT_ENTRY); /* the one bit the exit path tests */
	exit_with(EXIT_REASON_CPUID, 0, 0, 0, 0);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, EXTERNAL(PIC_BIOS_MASTER_BASE));
	ck_assert_uint_eq(t.vm->pic->chip[0].isr, 1);
	/* In service until the guest's EOI: the next edge waits for it. */
	pic_set_irq(t.vm->pic, PIT_IRQ, true);
	pic_set_irq(t.vm->pic, PIT_IRQ, false);
	irq_kick(&t.vm->vcpu);
	exit_with(EXIT_REASON_CPUID, 0, 0, 0, 0);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, 0);
	io_bus_write(&t.vm->bus, PIC_MASTER_PORT, 1, PIC_OCW2_EOI);
	exit_with(EXIT_REASON_CPUID, 0, 0, 0, 0);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, EXTERNAL(PIC_BIOS_MASTER_BASE));
}
END_TEST

START_TEST(test_no_apic_virtualization)
{
	/* A CPU without APIC-register virtualization: no APIC, CR8 exits as for a test guest, FEE00000H unmapped. */
	caps.procbased2 &= ~((uint64_t)PROC2_APIC_REGISTER_VIRT << 32);
	build();
	ck_assert_ptr_null(t.vm->lapic);
	uint64_t proc = vmcs_read(VMCS_PROC_BASED_CONTROLS);
	ck_assert_uint_eq(proc & (PROC_USE_TPR_SHADOW | PROC_CR8_LOAD_EXITING | PROC_CR8_STORE_EXITING),
			  PROC_CR8_LOAD_EXITING | PROC_CR8_STORE_EXITING);
	ck_assert_uint_eq(vmcs_read(VMCS_PROC_BASED_CONTROLS2) & PROC2_VIRTUALIZE_APIC_ACCESSES, 0);
	ck_assert_uint_eq(ept_leaf(t.vm, LAPIC_BASE), 0);
	exit_with(EXIT_REASON_CPUID, 0, 1, 0, 0);
	ck_assert_uint_eq(t.vm->vcpu.gpr[GPR_RDX] & (1u << 9), 0);
	ck_assert_uint_eq(entry_violations(), 0);
}
END_TEST

/* --- HLT, the APIC timer, and APIC-page accesses vexit emulates ------------------------- */

static void exit_stops(uint32_t reason, uint64_t qual)
{
	fake_vmcs.exit_reason = reason;
	fake_vmcs.exit_qualification = qual;
	fake_vmcs.exit_instruction_length = 1;
	fake_vmcs.entry_intr_info = 0;
	ck_assert_int_eq(vcpu_exit(&t.vm->vcpu), EXIT_STOP);
}

/* HLT with nothing that can wake the guest ends the VM, naming why: IF=0, or IF=1 with nothing pending and no timer. */
START_TEST(test_hlt_with_nothing_to_wake_ends_the_vm)
{
	static const struct { uint64_t rflags; const char *why; } cases[] = {
		{ RFLAGS_FIXED1, "why=interrupts-disabled" },
		{ RFLAGS_FIXED1 | RFLAGS_IF, "why=nothing-to-wake" },
	};
	software_enable_apic();
	fake_vmcs.guest_rflags = cases[_i].rflags;
	exit_stops(EXIT_REASON_HLT, 0);
	ck_assert_int_eq(t.vm->stop, VM_STOP_HALTED);
	ck_assert_ptr_nonnull(strstr(t.vm->stop_fields, cases[_i].why));
}
END_TEST

START_TEST(test_hlt_takes_a_pending_interrupt)
{
	/* STI; HLT with an interrupt already requested: the HLT is done and the interrupt taken at once. */
	software_enable_apic();
	self_ipi(0x40000 | 0x41); /* IF=0: it waits */
	fake_vmcs.guest_rflags = RFLAGS_FIXED1 | RFLAGS_IF;
	fake_vmcs.guest_interruptibility = INTERRUPTIBILITY_STI;
	uint64_t rip = fake_vmcs.guest_rip;
	exit_with(EXIT_REASON_HLT, 0, 0, 0, 0);
	ck_assert_uint_eq(fake_vmcs.guest_rip, rip + 3);
	ck_assert_uint_eq(fake_vmcs.guest_interruptibility, 0); /* the STI shadow covered the HLT only */
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, EXTERNAL(0x41));
	ck_assert_uint_eq(fake_vmcs.guest_activity, GUEST_ACTIVITY_ACTIVE);
	ck_assert_uint_eq(entry_violations(), 0);
}
END_TEST

START_TEST(test_hlt_waits_for_the_apic_timer)
{
	/* A one-shot APIC timer armed: HLT waits in the HLT activity state; the timer's exit wakes it with its vector. */
	software_enable_apic();
	struct vcpu *v = &t.vm->vcpu;
	guest_time_configure(v, 1000000000, WATCHDOG_PREEMPTION_TIMER, true, 0);
	fake_vmcs.guest_rflags = RFLAGS_FIXED1 | RFLAGS_IF;
	apic_store(LAPIC_TIMER_DIVIDE, 0xb);
	exit_with(EXIT_REASON_APIC_WRITE, LAPIC_TIMER_DIVIDE, 0, 0, 0);
	apic_store(LAPIC_LVT_TIMER, 0xee);
	exit_with(EXIT_REASON_APIC_WRITE, LAPIC_LVT_TIMER, 0, 0, 0);
	fake_vmcs.preemption_timer = 0; /* nothing counted since the (fake) arming: guest time 0 */
	apic_store(LAPIC_TIMER_INITIAL, 50000);
	exit_with(EXIT_REASON_APIC_WRITE, LAPIC_TIMER_INITIAL, 0, 0, 0);
	ck_assert_uint_le(fake_vmcs.preemption_timer, 50000); /* armed for the expiry, not the budget */
	ck_assert_uint_gt(fake_vmcs.preemption_timer, 49000);
	uint64_t rip = fake_vmcs.guest_rip;
	exit_with(EXIT_REASON_HLT, 0, 0, 0, 0);
	ck_assert_uint_eq(fake_vmcs.guest_activity, GUEST_ACTIVITY_HLT);
	ck_assert_uint_eq(fake_vmcs.guest_rip, rip + 3);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, 0);
	ck_assert_uint_eq(entry_violations(), 0);
	/* The preemption timer runs out (and the TSC with it): the timer's vector goes in, the guest is active. */
	fake_cpu.tsc += 60000;
	fake_vmcs.preemption_timer = 0;
	exit_with(EXIT_REASON_PREEMPTION_TIMER, 0, 0, 0, 0);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, EXTERNAL(0xee));
	ck_assert_uint_eq(fake_vmcs.guest_activity, GUEST_ACTIVITY_ACTIVE);
	ck_assert_int_eq(t.vm->stop, VM_RUNNING);
}
END_TEST

/*
 * STI;HLT with only the PIT running (realmode.flat's test_sti_inhibit): the PIT's next IRQ0 edge is
 * a wake-up. HLT waits with the preemption timer armed for the edge; its exit raises IRQ0 through the
 * PIC, and LINT0 (ExtINT, as firmware leaves it) takes vector 08H to the guest. A new count moves
 * the wake-up at once.
 */
START_TEST(test_hlt_waits_for_the_pit)
{
	build();
	struct vcpu *v = &t.vm->vcpu;
	guest_time_configure(v, 1000000000, WATCHDOG_PREEMPTION_TIMER, true, 0);
	fake_vmcs.guest_rflags = RFLAGS_FIXED1 | RFLAGS_IF;
	uint64_t first = pit_guest_ticks(65536); /* firmware's count, loaded at guest time 0 */
	ck_assert(guest_time_enter(v, 0)); /* the first entry arms the timer */
	ck_assert_uint_eq(fake_vmcs.preemption_timer, first); /* for the edge, not the budget */
	exit_with(EXIT_REASON_HLT, 0, 0, 0, 0);
	ck_assert_int_eq(t.vm->stop, VM_RUNNING);
	ck_assert_uint_eq(fake_vmcs.guest_activity, GUEST_ACTIVITY_HLT);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, 0);
	ck_assert_uint_eq(fake_vmcs.preemption_timer, first); /* still counting to the edge */
	fake_vmcs.preemption_timer = 0; /* it ran out: guest time is at the edge */
	exit_with(EXIT_REASON_PREEMPTION_TIMER, 0, 0, 0, 0);
	ck_assert_int_eq(t.vm->stop, VM_RUNNING);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, EXTERNAL(PIC_BIOS_MASTER_BASE + PIT_IRQ));
	ck_assert_uint_eq(fake_vmcs.guest_activity, GUEST_ACTIVITY_ACTIVE);
	ck_assert_uint_eq(t.vm->pic->chip[0].isr, 1u << PIT_IRQ);
	/* Mode 2 with a count of 1193 (1 ms): the next wake-up is the new count's first edge, not firmware's. */
	io_bus_write(&t.vm->bus, PIT_MODE_PORT, 1, 0x34);
	io_bus_write(&t.vm->bus, PIT_COUNTER0_PORT, 1, 1193 & 0xff);
	io_bus_write(&t.vm->bus, PIT_COUNTER0_PORT, 1, 1193 >> 8);
	ck_assert_uint_le(fake_vmcs.preemption_timer, pit_guest_ticks(1193));
	ck_assert_uint_gt(fake_vmcs.preemption_timer, pit_guest_ticks(1193) - 10);
}
END_TEST

/* The guest's next instruction, at its RIP (paging is off at entry: linear = physical). */
static void put_instruction(const uint8_t *bytes, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		*test_vm_byte(&t, fake_vmcs.guest_rip + i) = bytes[i];
}

START_TEST(test_apic_access_emulated)
{
	/* mov edx, [0xfee00390] in 32-bit code: a read of the timer's current count (SDM 30.4.2: an APIC access). */
	software_enable_apic();
	static const uint8_t mov_edx_tmcct[] = { 0x8b, 0x15, 0x90, 0x03, 0xe0, 0xfe };
	apic_store(LAPIC_TIMER_DIVIDE, 0xb);
	exit_with(EXIT_REASON_APIC_WRITE, LAPIC_TIMER_DIVIDE, 0, 0, 0);
	fake_cpu.tsc = 1000;
	fake_cpu.tsc_step = 0;
	apic_store(LAPIC_TIMER_INITIAL, 5000);
	exit_with(EXIT_REASON_APIC_WRITE, LAPIC_TIMER_INITIAL, 0, 0, 0);
	fake_cpu.tsc = 1300;
	put_instruction(mov_edx_tmcct, sizeof(mov_edx_tmcct));
	uint64_t rip = fake_vmcs.guest_rip;
	exit_with(EXIT_REASON_APIC_ACCESS, LAPIC_TIMER_CURRENT, 0, 0, 0xaaaaaaaa00000000ull);
	ck_assert_uint_eq(t.vm->vcpu.gpr[GPR_RDX], 4700); /* zero-extended into RDX */
	ck_assert_uint_eq(fake_vmcs.guest_rip, rip + sizeof(mov_edx_tmcct));
	/* mov dword [0xfee00030], eax: a write to the read-only version register is ignored. */
	static const uint8_t mov_version_eax[] = { 0x89, 0x05, 0x30, 0x00, 0xe0, 0xfe };
	put_instruction(mov_version_eax, sizeof(mov_version_eax));
	exit_with(EXIT_REASON_APIC_ACCESS, (1u << 12) | LAPIC_VERSION, 0, 0, 0);
	ck_assert_uint_eq(lapic_reg(t.vm->lapic, LAPIC_VERSION), LAPIC_VERSION_VALUE);
	/* An instruction vexit does not decode stops the VM, naming the access. */
	static const uint8_t lock_inc[] = { 0xf0, 0xff, 0x05, 0x30, 0x00, 0xe0, 0xfe };
	put_instruction(lock_inc, sizeof(lock_inc));
	exit_stops(EXIT_REASON_APIC_ACCESS, (1u << 12) | LAPIC_VERSION);
	ck_assert_ptr_nonnull(strstr(t.vm->stop_fields, "reason=APIC_ACCESS offset=0x30 access=write"));
	ck_assert_ptr_nonnull(strstr(t.vm->stop_fields, "why=not-decoded"));
}
END_TEST

START_TEST(test_disabled_apic_page_reads_all_ones)
{
	/* Globally disabled (SDM Vol. 3A 11.4.3), the page stops being the APIC's: not virtualized, unmapped. */
	software_enable_apic();
	exit_with(EXIT_REASON_WRMSR, 0, 0xfee00100, MSR_IA32_APIC_BASE, 0);
	ck_assert_uint_eq(fake_vmcs.proc2 & PROC2_VIRTUALIZE_APIC_ACCESSES, 0);
	ck_assert_uint_eq(ept_leaf(t.vm, LAPIC_BASE), 0);
	ck_assert_uint_eq(entry_violations(), 0);
	static const uint8_t mov_edx_version[] = { 0x8b, 0x15, 0x30, 0x00, 0xe0, 0xfe };
	put_instruction(mov_edx_version, sizeof(mov_edx_version));
	fake_vmcs.guest_physical_address = LAPIC_BASE + LAPIC_VERSION;
	exit_with(EXIT_REASON_EPT_VIOLATION, 1 /* read */, 0, 0, 0);
	ck_assert_uint_eq(t.vm->vcpu.gpr[GPR_RDX], 0xffffffffu);
	/* A write goes nowhere: the APIC's state does not change. */
	static const uint8_t mov_svr_eax[] = { 0x89, 0x05, 0xf0, 0x00, 0xe0, 0xfe };
	put_instruction(mov_svr_eax, sizeof(mov_svr_eax));
	fake_vmcs.guest_physical_address = LAPIC_BASE + LAPIC_SVR;
	exit_with(EXIT_REASON_EPT_VIOLATION, 2 /* write */, 0x1ff, 0, 0);
	ck_assert_uint_eq(lapic_reg(t.vm->lapic, LAPIC_SVR), 0xff);
	/* Another address is still an EPT violation that stops the VM. */
	fake_vmcs.guest_physical_address = LAPIC_BASE + PAGE_SIZE;
	exit_stops(EXIT_REASON_EPT_VIOLATION, 1);
	ck_assert_int_eq(t.vm->stop, VM_STOP_EPT_VIOLATION);
}
END_TEST

START_TEST(test_apic_base_moves_the_page)
{
	/* kvm-unit-tests' test_apicbase: disable, then enable at FED40000H in one write (SDM Vol. 3A 11.4.4). */
	build();
	struct vm *vm = t.vm;
	exit_with(EXIT_REASON_WRMSR, 0, 0xfee00100, MSR_IA32_APIC_BASE, 0);
	exit_with(EXIT_REASON_WRMSR, 0, 0xfed40900, MSR_IA32_APIC_BASE, 0);
	ck_assert(!gp_injected());
	ck_assert_uint_eq(ept_leaf(vm, 0xfed40000) & ~0xfffull, vm->apic_access_page);
	ck_assert_uint_eq(ept_leaf(vm, 0xfed40000) & 7, 3);
	ck_assert_uint_eq(ept_leaf(vm, LAPIC_BASE), 0); /* nothing there now */
	ck_assert_uint_ne(fake_vmcs.proc2 & PROC2_VIRTUALIZE_APIC_ACCESSES, 0);
	/* Enabled, it moves again: into guest memory and back, which becomes memory again (RWX). */
	uint64_t ram = 0x7000;
	exit_with(EXIT_REASON_WRMSR, 0, ram | 0x900, MSR_IA32_APIC_BASE, 0);
	ck_assert(!gp_injected());
	ck_assert_uint_eq(ept_leaf(vm, ram) & ~0xfffull, vm->apic_access_page);
	ck_assert_uint_eq(ept_leaf(vm, 0xfed40000), 0);
	exit_with(EXIT_REASON_WRMSR, 0, 0xfee00900, MSR_IA32_APIC_BASE, 0);
	ck_assert(!gp_injected());
	ck_assert_uint_eq(ept_leaf(vm, ram), vm->mem_pages[ram / PAGE_SIZE] | 7 | (6 << 3));
	ck_assert_uint_eq(ept_leaf(vm, LAPIC_BASE) & ~0xfffull, vm->apic_access_page);
	/* Disabled, it answers nowhere, at the base it moved to either: the empty bus there. */
	exit_with(EXIT_REASON_WRMSR, 0, 0xfed40100, MSR_IA32_APIC_BASE, 0);
	ck_assert(!gp_injected());
	ck_assert_uint_eq(ept_leaf(vm, LAPIC_BASE), 0);
	ck_assert_uint_eq(ept_leaf(vm, 0xfed40000), 0);
	static const uint8_t mov_edx_version[] = { 0x8b, 0x15, 0x30, 0x00, 0xd4, 0xfe };
	put_instruction(mov_edx_version, sizeof(mov_edx_version));
	fake_vmcs.guest_physical_address = 0xfed40000 + LAPIC_VERSION;
	exit_with(EXIT_REASON_EPT_VIOLATION, 1 /* read */, 0, 0, 0);
	ck_assert_uint_eq(vm->vcpu.gpr[GPR_RDX], 0xffffffffu);
	/* Reserved bits (7:0, 9, 10, above MAXPHYADDR) are #GP, the base kept. */
	exit_with(EXIT_REASON_WRMSR, 0, 0xfee00901, MSR_IA32_APIC_BASE, 0);
	ck_assert(gp_injected());
	exit_with(EXIT_REASON_WRMSR, 0, 0xfee00b00, MSR_IA32_APIC_BASE, 0);
	ck_assert(gp_injected());
	exit_with(EXIT_REASON_WRMSR, 0, 0xfee00900, MSR_IA32_APIC_BASE, 1ull << (vm->msrs.phys_addr_bits - 32));
	ck_assert(gp_injected());
	ck_assert_uint_eq(vm->msrs.apic_base, 0xfed40100);
	ck_assert_int_eq(vm->stop, VM_RUNNING);
}
END_TEST

START_TEST(test_apic_base_inside_a_large_page)
{
	/* Guest memory EPT maps with a 2 MiB page (as ept_build does for a host run) has no 4 KiB leaf for the APIC page. */
	build();
	struct vm *vm = t.vm;
	uint64_t *pdpt = (uint64_t *)(uintptr_t)(((uint64_t *)(uintptr_t)vm->ept.pml4)[0] & ~0xfffull);
	uint64_t *pde = &((uint64_t *)(uintptr_t)(pdpt[0] & ~0xfffull))[1]; /* guest 2-4 MiB */
	uint64_t table = *pde;
	*pde = 0x40000000ull | 0x80 | 7;
	exit_with(EXIT_REASON_WRMSR, 0, 0x200900, MSR_IA32_APIC_BASE, 0);
	ck_assert(gp_injected());
	ck_assert_uint_eq(vm->msrs.apic_base, APIC_BASE_DEFAULT);
	ck_assert_uint_eq(*pde, 0x40000000ull | 0x80 | 7);
	ck_assert_uint_eq(ept_leaf(vm, LAPIC_BASE) & ~0xfffull, vm->apic_access_page);
	*pde = table; /* ept_free finds its table again */
}
END_TEST

START_TEST(test_enabled_again_maps_the_page_back)
{
	software_enable_apic();
	exit_with(EXIT_REASON_WRMSR, 0, 0xfee00100, MSR_IA32_APIC_BASE, 0);
	exit_with(EXIT_REASON_WRMSR, 0, 0xfee00900, MSR_IA32_APIC_BASE, 0);
	ck_assert_uint_eq(fake_vmcs.proc2 & PROC2_VIRTUALIZE_APIC_ACCESSES, PROC2_VIRTUALIZE_APIC_ACCESSES);
	ck_assert_uint_eq(ept_leaf(t.vm, LAPIC_BASE) & ~0xfffull, t.vm->apic_access_page);
	ck_assert_uint_eq(entry_violations(), 0);
}
END_TEST

static Suite *external_vm_suite(void)
{
	Suite *s = suite_create("hv_external_vm");
	TCase *tc = tcase_create("external_vm");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_entry_state);
	tcase_add_test(tc, test_needs_unrestricted_guest);
	tcase_add_test(tc, test_tsc_scaling);
	tcase_add_test(tc, test_bad_image_refused_before_vmx);
	tcase_add_test(tc, test_boot_modules_reach_the_kernel);
	tcase_add_test(tc, test_boot_modules_refused);
	tcase_add_test(tc, test_enter_long_mode);
	tcase_add_test(tc, test_long_mode_refusals);
	tcase_add_test(tc, test_pae_paging_loads_pdptes);
	tcase_add_test(tc, test_local_apic);
	tcase_add_test(tc, test_apic_base_moves_the_page);
	tcase_add_test(tc, test_apic_base_inside_a_large_page);
	tcase_add_test(tc, test_no_apic_virtualization);
	tcase_add_test(tc, test_self_ipi_injected_when_if_set);
	tcase_add_test(tc, test_interrupt_window_when_if_clear);
	tcase_add_test(tc, test_tpr_holds_back_and_threshold_releases);
	tcase_add_test(tc, test_nmi_ipi_and_nmi_window);
	tcase_add_test(tc, test_handler_exception_goes_first);
	tcase_add_test(tc, test_extint_through_lint0);
	tcase_add_test(tc, test_lint0_extint_as_firmware_leaves_it);
	tcase_add_test(tc, test_legacy_pic_is_the_extint_source);
	tcase_add_loop_test(tc, test_hlt_with_nothing_to_wake_ends_the_vm, 0, 2);
	tcase_add_test(tc, test_hlt_takes_a_pending_interrupt);
	tcase_add_test(tc, test_hlt_waits_for_the_apic_timer);
	tcase_add_test(tc, test_hlt_waits_for_the_pit);
	tcase_add_test(tc, test_apic_access_emulated);
	tcase_add_test(tc, test_disabled_apic_page_reads_all_ones);
	tcase_add_test(tc, test_enabled_again_maps_the_page_back);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(external_vm_suite(), CK_NORMAL);
}
