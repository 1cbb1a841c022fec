/* The host build's CPU: hw/cpu.h, hw/vmx_insn.h and hw/vmx_entry.h over struct fake_cpu (fake_hw.h). */
#include "fake_hw.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/cpu.h"
#include "hw/apic.h"
#include "include/x86_arch.h"
#include "kernel/console.h"
#include "kernel/cpu_tables.h"
#include "kernel/panic.h"

struct fake_cpu fake_cpu;

void fake_cpu_reset(void)
{
	memset(&fake_cpu, 0, sizeof(fake_cpu));
	fake_cpu.tsc_step = 1;
	fake_cpu.current_vmcs = VMCS_NONE;
}

void fake_cpu_set_cpuid(uint32_t leaf, uint32_t sub, uint32_t eax, uint32_t ebx, uint32_t ecx, uint32_t edx)
{
	ck_assert_uint_lt(fake_cpu.n_cpuid, sizeof(fake_cpu.cpuid) / sizeof(fake_cpu.cpuid[0]));
	fake_cpu.cpuid[fake_cpu.n_cpuid++] = (__typeof__(fake_cpu.cpuid[0])){ leaf, sub, { eax, ebx, ecx, edx } };
}

/* Port I/O reaches no device on the host. */
void outb(uint16_t port, uint8_t v)
{
	(void)port;
	(void)v;
}

void outw(uint16_t port, uint16_t v)
{
	(void)port;
	(void)v;
}

uint8_t inb(uint16_t port)
{
	(void)port;
	return 0xff;
}

uint16_t inw(uint16_t port)
{
	(void)port;
	return 0xffff;
}

static uint64_t *msr_slot(uint32_t msr)
{
	switch (msr) {
	case MSR_IA32_EFER:
		return &fake_cpu.msr_efer;
	case MSR_IA32_FS_BASE:
		return &fake_cpu.msr_fs_base;
	case MSR_IA32_GS_BASE:
		return &fake_cpu.msr_gs_base;
	case MSR_IA32_FEATURE_CONTROL:
		return &fake_cpu.msr_feature_control;
	case MSR_IA32_STAR:
		return &fake_cpu.msr_star;
	case MSR_IA32_LSTAR:
		return &fake_cpu.msr_lstar;
	case MSR_IA32_CSTAR:
		return &fake_cpu.msr_cstar;
	case MSR_IA32_FMASK:
		return &fake_cpu.msr_fmask;
	case MSR_IA32_KERNEL_GS_BASE:
		return &fake_cpu.msr_kernel_gs_base;
	case MSR_IA32_TSC_AUX:
		return &fake_cpu.msr_tsc_aux;
	case MSR_IA32_PAT:
		return &fake_cpu.msr_pat;
	default:
		for (unsigned i = 0; i < fake_cpu.n_msrs; i++)
			if (fake_cpu.msrs[i].msr == msr)
				return &fake_cpu.msrs[i].v;
		ck_abort_msg("fake CPU: MSR 0x%x is not modelled", msr);
		return NULL;
	}
}

void fake_cpu_set_msr(uint32_t msr, uint64_t v)
{
	ck_assert_uint_lt(fake_cpu.n_msrs, sizeof(fake_cpu.msrs) / sizeof(fake_cpu.msrs[0]));
	fake_cpu.msrs[fake_cpu.n_msrs].msr = msr;
	fake_cpu.msrs[fake_cpu.n_msrs++].v = v;
}

uint64_t rdmsr(uint32_t msr)
{
	return *msr_slot(msr);
}

void wrmsr(uint32_t msr, uint64_t v)
{
	*msr_slot(msr) = v;
}

uint64_t rdtsc(void)
{
	uint64_t t = fake_cpu.tsc;
	fake_cpu.tsc += fake_cpu.tsc_step;
	return t;
}

struct tsc_halves rdtsc_halves(void)
{
	uint64_t t = rdtsc();
	return (struct tsc_halves){ (uint32_t)t, (uint32_t)(t >> 32) };
}

void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	fake_cpu.cpuid_calls++;
	for (unsigned i = 0; i < fake_cpu.n_cpuid; i++) {
		if (fake_cpu.cpuid[i].leaf == leaf && fake_cpu.cpuid[i].sub == sub) {
			memcpy(r, fake_cpu.cpuid[i].r, sizeof(fake_cpu.cpuid[i].r));
			return;
		}
	}
	memset(r, 0, 4 * sizeof(r[0]));
}

void xsetbv(uint32_t index, uint64_t v)
{
	ck_assert_uint_eq(index, 0);
	fake_cpu.xcr0 = v;
	fake_cpu.xsetbv_calls++;
}

static void record_save(void *area, uint64_t mask, unsigned *calls)
{
	fake_cpu.saved_area = area;
	fake_cpu.save_mask = mask;
	fake_cpu.save_xcr0 = fake_cpu.xcr0;
	(*calls)++;
}

void xsave(void *area, uint64_t mask)
{
	record_save(area, mask, &fake_cpu.xsave_calls);
}

void xsaveopt(void *area, uint64_t mask)
{
	record_save(area, mask, &fake_cpu.xsaveopt_calls);
}

void fxsave(void *area)
{
	record_save(area, 0, &fake_cpu.fxsave_calls);
}

static void record_restore(const void *area, uint64_t mask, unsigned *calls)
{
	fake_cpu.restored_area = area;
	fake_cpu.restore_mask = mask;
	fake_cpu.restore_xcr0 = fake_cpu.xcr0;
	(*calls)++;
}

void xrstor(const void *area, uint64_t mask)
{
	record_restore(area, mask, &fake_cpu.xrstor_calls);
}

void fxrstor(const void *area)
{
	record_restore(area, 0, &fake_cpu.fxrstor_calls);
}

uint64_t read_dr(unsigned n)
{
	ck_assert(n <= 3 || n == 6);
	return fake_cpu.dr[n];
}

void write_dr(unsigned n, uint64_t v)
{
	ck_assert(n <= 3 || n == 6);
	fake_cpu.dr[n] = v;
}

void write_cr2(uint64_t v)
{
	fake_cpu.cr2 = v;
}

uint64_t read_cr0(void)
{
	return fake_cpu.cr0;
}

uint64_t read_cr2(void)
{
	return fake_cpu.cr2;
}

uint64_t read_cr3(void)
{
	return fake_cpu.cr3;
}

uint64_t read_cr4(void)
{
	return fake_cpu.cr4;
}

void write_cr0(uint64_t v)
{
	fake_cpu.cr0 = v;
}

void write_cr4(uint64_t v)
{
	fake_cpu.cr4 = v;
}

/* The kernel's tables, where cpu_tables.c would have put them. */
#define FAKE_GDT 0x107000
#define FAKE_IDT 0x109000
#define FAKE_TSS 0x108000

void sgdt(struct desc_ptr *d)
{
	*d = (struct desc_ptr){ 0x27, FAKE_GDT };
}

void sidt(struct desc_ptr *d)
{
	*d = (struct desc_ptr){ 0xfff, FAKE_IDT };
}

void load_gdt_and_tr(const struct desc_ptr *gdtr, uint16_t code_sel, uint16_t data_sel, uint16_t tss_sel)
{
	(void)gdtr;
	(void)code_sel;
	(void)data_sel;
	(void)tss_sel;
}

void load_idt(const struct desc_ptr *idtr)
{
	(void)idtr;
}

uint64_t cpu_tables_tss_base(void)
{
	return FAKE_TSS;
}

void magic_break(void)
{
	fake_cpu.magic_breaks++;
}

void halt_forever(void)
{
	ck_abort_msg("fake CPU: halt_forever");
	abort();
}

void console_drain(void)
{
}

void panic(const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	fprintf(stderr, "VEXIT panic ");
	vfprintf(stderr, f, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(FAKE_PANIC_EXIT);
}

enum vmx_result vmxon(uint64_t pa)
{
	(void)pa;
	fake_cpu.in_vmx = true;
	return VMX_OK;
}

enum vmx_result vmclear(uint64_t pa)
{
	fake_cpu.vmclear_calls++;
	fake_cpu.last_vmclear = pa;
	if (fake_cpu.vmclear_result == VMX_OK && pa == fake_cpu.current_vmcs)
		fake_cpu.current_vmcs = VMCS_NONE;
	return fake_cpu.vmclear_result;
}

enum vmx_result vmptrld(uint64_t pa)
{
	fake_cpu.vmptrld_calls++;
	if (fake_cpu.vmptrld_result == VMX_OK)
		fake_cpu.current_vmcs = pa;
	return fake_cpu.vmptrld_result;
}

uint64_t vmptrst(void)
{
	return fake_cpu.current_vmcs;
}

enum vmx_result vmxoff(void)
{
	fake_cpu.vmxoff_calls++;
	if (fake_cpu.vmxoff_result == VMX_OK) {
		fake_cpu.in_vmx = false;
		fake_cpu.current_vmcs = VMCS_NONE;
	}
	return fake_cpu.vmxoff_result;
}

bool vmread_raises_ud(void)
{
	return !fake_cpu.in_vmx;
}

enum vmx_result invept(uint64_t type, uint64_t eptp)
{
	(void)type;
	(void)eptp;
	fake_cpu.invept_calls++;
	return fake_cpu.invept_result;
}

static const struct fake_exit *script;
static unsigned script_len, delivered;
static int last_launched;

void fake_vmx_script(const struct fake_exit *exits, unsigned n)
{
	script = exits;
	script_len = n;
	delivered = 0;
}

unsigned fake_vmx_exits_delivered(void)
{
	return delivered;
}

int fake_vmx_last_launched(void)
{
	return last_launched;
}

#define FAKE_RESULTS_MAX 64
static int results[FAKE_RESULTS_MAX];

static bool at_work_entry[FAKE_RESULTS_MAX];

int fake_vmx_on_exit_result(unsigned i)
{
	ck_assert_uint_lt(i, delivered);
	ck_assert_uint_lt(i, FAKE_RESULTS_MAX);
	return results[i];
}

bool fake_vmx_landed_at_work_entry(unsigned i)
{
	ck_assert_uint_lt(i, delivered);
	ck_assert_uint_lt(i, FAKE_RESULTS_MAX);
	return at_work_entry[i];
}

int vmx_run(uint64_t *gpr, const uint64_t **frame_out, int launched, vmx_exit_fn on_exit, vmx_finish_fn on_finish,
	    void *ctx)
{
	/* The frame hw/vmx_entry.S would store: the guest's registers, as they were loaded. */
	uint64_t frame[16];
	memcpy(frame, gpr, sizeof(frame));
	*frame_out = frame;
	last_launched = launched;
	for (bool resumed = false;; resumed = true) {
		ck_assert_msg(delivered < script_len, "fake vmx_run: the guest was resumed after its last scripted exit");
		const struct fake_exit *e = &script[delivered++];
		if (e->fail != VMX_OK) {
			/* As the stub does: a VMRESUME failing after an exit keeps the handler's registers. */
			if (resumed)
				memcpy(gpr, frame, sizeof(frame));
			return e->fail;
		}
		fake_vmcs.exit_reason = e->reason;
		fake_vmcs.exit_qualification = e->qualification;
		fake_vmcs.exit_instruction_length = e->instruction_length;
		/* As the stub does for every exit but the null hypercall it answers itself (hw/vmx_entry.h,
		 * tested by guests): on_exit's 0 resumes unless the byte at ctx asks for on_finish. */
		uint64_t reason = e->reason;
		bool work_entry = fake_vmcs.host_rip == (uint64_t)(uintptr_t)vmx_exit_work_entry_point;
		ck_assert(work_entry || fake_vmcs.host_rip == (uint64_t)(uintptr_t)vmx_exit_entry_point);
		if (work_entry)
			reason |= 1ull << VMX_EXIT_WORK_BIT; /* as that entry point does */
		if (delivered <= FAKE_RESULTS_MAX)
			at_work_entry[delivered - 1] = work_entry;
		int r = on_exit(ctx, reason);
		if (r != 0 || (*(const uint8_t *)ctx & VMX_CTX_FINISH))
			r = on_finish(ctx, r);
		else
			r = VMX_EXIT_RESUME;
		if (delivered <= FAKE_RESULTS_MAX)
			results[delivered - 1] = r;
		if (r == VMX_EXIT_LEAVE)
			return 0;
	}
}

/* Where HOST_RIP points; fake_vmx_run tells them apart by address (the bodies differ, so no linker folds them). */
static volatile int entry_points_called;
void vmx_exit_entry_point(void)
{
	entry_points_called += 1;
}

void vmx_exit_work_entry_point(void)
{
	entry_points_called += 2;
}

const char *apic_init(void)
{
	return fake_cpu.apic_why;
}

void apic_timer_start(uint32_t count)
{
	fake_cpu.apic_start = count;
	fake_cpu.apic_start_tsc = fake_cpu.tsc;
	fake_cpu.apic_starts++;
}

uint32_t apic_timer_current(void)
{
	uint64_t counted = (fake_cpu.tsc - fake_cpu.apic_start_tsc) * fake_cpu.apic_per_tick;
	return counted >= fake_cpu.apic_start ? 0 : (uint32_t)(fake_cpu.apic_start - counted);
}

void apic_timer_stop(void)
{
	fake_cpu.apic_start = 0;
	fake_cpu.apic_stops++;
}

void apic_eoi(void)
{
	fake_cpu.apic_eois++;
}
