/* The exit dispatch table, indexed by basic exit reason; exits/exit_dispatch.h says the contract. */
#include "exits/exit_dispatch.h"

#include "exits/exit_handlers.h"
#include "vm/vcpu.h"

/* An exit without a handler of its own goes back to the caller (run/vm_run.c names it). */
static enum exit_action handle_unknown(struct vcpu *v)
{
	(void)v;
	return EXIT_TO_CALLER;
}

/*
 * Every slot filled, so the run loop indexes it with no test but the bound: the range
 * gives every reason handle_unknown, and the lines after it override their slots
 * (which -Woverride-init, in -Wextra, would flag: here it is the intent).
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
const exit_handler_fn exit_handlers[EXIT_REASON_MAX] = {
	[0 ... EXIT_REASON_MAX - 1] = handle_unknown,
	[EXIT_REASON_EXCEPTION_NMI] = handle_exception_nmi,
	[EXIT_REASON_TRIPLE_FAULT] = handle_triple_fault,
	[EXIT_REASON_CPUID] = handle_cpuid,
	[EXIT_REASON_HLT] = handle_hlt,
	[EXIT_REASON_INVD] = handle_cache_flush,
	[EXIT_REASON_VMCALL] = handle_vmcall,
	[EXIT_REASON_VMCLEAR] = handle_undefined,
	[EXIT_REASON_VMLAUNCH] = handle_undefined,
	[EXIT_REASON_VMPTRLD] = handle_undefined,
	[EXIT_REASON_VMPTRST] = handle_undefined,
	[EXIT_REASON_VMREAD] = handle_undefined,
	[EXIT_REASON_VMRESUME] = handle_undefined,
	[EXIT_REASON_VMWRITE] = handle_undefined,
	[EXIT_REASON_VMXOFF] = handle_undefined,
	[EXIT_REASON_VMXON] = handle_undefined,
	[EXIT_REASON_CR_ACCESS] = handle_cr_access,
	[EXIT_REASON_IO_INSTRUCTION] = handle_io,
	[EXIT_REASON_RDMSR] = handle_rdmsr,
	[EXIT_REASON_WRMSR] = handle_wrmsr,
	[EXIT_REASON_MWAIT] = handle_monitor_mwait,
	[EXIT_REASON_MONITOR] = handle_monitor_mwait,
	[EXIT_REASON_EPT_VIOLATION] = handle_ept_violation,
	[EXIT_REASON_INVEPT] = handle_undefined,
	[EXIT_REASON_PREEMPTION_TIMER] = handle_preemption_timer,
	[EXIT_REASON_EXTERNAL_INTERRUPT] = handle_external_interrupt,
	[EXIT_REASON_INVVPID] = handle_undefined,
	[EXIT_REASON_WBINVD] = handle_cache_flush,
	[EXIT_REASON_XSETBV] = handle_xsetbv,
	[EXIT_REASON_APIC_ACCESS] = handle_apic_access,
	[EXIT_REASON_APIC_WRITE] = handle_apic_write,
	[EXIT_REASON_INTERRUPT_WINDOW] = handle_interrupt_window,
	[EXIT_REASON_NMI_WINDOW] = handle_interrupt_window,
	[EXIT_REASON_TPR_BELOW_THRESHOLD] = handle_interrupt_window,
};
#pragma GCC diagnostic pop

enum exit_action exit_dispatch(struct vcpu *v)
{
	uint32_t basic = EXIT_REASON_BASIC(vcpu_exit_reason(v));
	if (basic < EXIT_REASON_MAX)
		return exit_handlers[basic](v);
	return EXIT_TO_CALLER;
}
