/*
 * The host build's hardware: stand-ins for every function of hypervisor/hw/
 * (hw/cpu.h, hw/vmx_insn.h, hw/vmx_entry.h, hw/vmcs.h, hw/apic.h) and for the kernel
 * services the host build leaves out (panic, console_drain, the CPU tables), so
 * the whole exit path above hw/ links and runs under Check. The VMCS is a
 * struct vmcs_snapshot (fake_vmcs); instructions with results (CPUID, RDMSR,
 * RDTSC) answer from settable state; those with effects (XSETBV, WRMSR, port
 * output, INVEPT...) are recorded.
 */
#ifndef VEXIT_FAKE_HW_H
#define VEXIT_FAKE_HW_H

#include <stdbool.h>
#include <stdint.h>

#include "diag/vmcs_snapshot.h"
#include "hw/vmx_entry.h"
#include "hw/vmx_insn.h"

/* The current VMCS of the fake: vmcs_read/vmcs_write and VMREAD/VMWRITE act on it. */
extern struct vmcs_snapshot fake_vmcs;
/* Accesses to a field the snapshot does not model fail the test, naming it. */
void fake_vmcs_reset(void);
/* VMWRITEs since the last reset, and whether field `encoding` was written. */
unsigned fake_vmcs_writes(void);
bool fake_vmcs_written(uint32_t encoding);
/* The slot of a field by encoding, for tests that set exit information. */
uint64_t *fake_vmcs_field(uint32_t encoding);

struct fake_cpu {
	uint64_t tsc;          /* RDTSC returns it, then adds tsc_step */
	uint64_t tsc_step;
	/* CPUID answers: leaf/subleaf pairs, else all zero. */
	struct { uint32_t leaf, sub, r[4]; } cpuid[16];
	unsigned n_cpuid;
	unsigned cpuid_calls;  /* CPUIDs executed */
	uint64_t xcr0;         /* the last XSETBV */
	unsigned xsetbv_calls;
	uint64_t cr0, cr2, cr3, cr4;
	uint64_t msr_efer, msr_fs_base, msr_gs_base, msr_feature_control;
	/* Any other MSR a test models: fake_cpu_set_msr; reading one not set fails the test. */
	struct { uint32_t msr; uint64_t v; } msrs[16];
	unsigned n_msrs;
	uint64_t msr_star, msr_lstar, msr_cstar, msr_fmask, msr_kernel_gs_base, msr_tsc_aux, msr_pat;
	uint64_t dr[8];        /* DR0-DR3 and DR6 by number */
	/* Extended state: the area of the last XRSTOR/FXRSTOR and of the last save, with the mask and XCR0 then. */
	const void *restored_area;
	void *saved_area;
	uint64_t restore_mask, restore_xcr0, save_mask, save_xcr0;
	unsigned xrstor_calls, xsave_calls, xsaveopt_calls, fxrstor_calls, fxsave_calls;
	unsigned invept_calls, vmclear_calls, vmptrld_calls;
	enum vmx_result vmclear_result, vmptrld_result, invept_result;
	unsigned magic_breaks;
	/*
	 * VMX operation: VMXON sets in_vmx, VMXOFF (vmxoff_result) clears it; VMPTRLD makes
	 * a VMCS current, VMCLEAR of it or VMXOFF makes it VMCS_NONE; the VMREAD probe
	 * faults when in_vmx is clear. The last VMCLEAR's address is kept.
	 */
	bool in_vmx;
	uint64_t current_vmcs, last_vmclear;
	unsigned vmxoff_calls;
	enum vmx_result vmxoff_result;
	/* The local APIC (hw/apic.h): apic_init answers apic_why; the timer counts down
	 * apic_per_tick counts per RDTSC step from the last start; EOIs and stops are counted. */
	const char *apic_why;
	uint32_t apic_start, apic_starts, apic_per_tick;
	uint64_t apic_start_tsc;
	unsigned apic_eois, apic_stops;
};
extern struct fake_cpu fake_cpu;
/* Back to a plain CPU: everything zero, RDTSC stepping by 1, outside VMX operation with no current VMCS. */
void fake_cpu_reset(void);
void fake_cpu_set_msr(uint32_t msr, uint64_t v);
void fake_cpu_set_cpuid(uint32_t leaf, uint32_t sub, uint32_t eax, uint32_t ebx, uint32_t ecx, uint32_t edx);

/*
 * vmx_run's script: each entry is one exit (its reason, qualification and
 * instruction length land in fake_vmcs, RIP is left as the handler set it)
 * delivered to on_exit; a `fail` entry makes the VMLAUNCH/VMRESUME fail instead.
 * Running past the script fails the test: a handler resumed a guest that should
 * have stopped.
 */
struct fake_exit {
	uint32_t reason;
	uint64_t qualification;
	uint32_t instruction_length;
	enum vmx_result fail; /* VMX_OK: an exit; else the entry fails so */
};
void fake_vmx_script(const struct fake_exit *exits, unsigned n);
/* Exits delivered so far, and the launched flag of the last vmx_run. */
unsigned fake_vmx_exits_delivered(void);
int fake_vmx_last_launched(void);
/* What the exit path told the stub for the i-th exit delivered since fake_vmx_script (a VMX_EXIT_*). */
int fake_vmx_on_exit_result(unsigned i);
/* Whether the i-th exit landed at vmx_exit_work_entry_point (HOST_RIP named it), not vmx_exit_entry_point. */
bool fake_vmx_landed_at_work_entry(unsigned i);

/* panic() prints "VEXIT panic <msg>" to stderr and exits with this status (use tcase_add_exit_test). */
#define FAKE_PANIC_EXIT 86

#endif
