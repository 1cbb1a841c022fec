#include "run/vcpu_run.h"

#include "diag/entry_debug.h"
#include "diag/exit_history.h"
#include "diag/exit_trace.h"
#include "diag/vmcs_snapshot.h"
#include "hw/cpu.h"
#include "hw/vmcs.h"
#include "hw/vmx_entry.h"
#include "hw/vmx_insn.h" /* enum vmx_result: what vmx_run returns */
#include "vm/guest_cpu_state.h"
#include "vm/guest_time.h"
#include "vm/irq.h"
#include "vm/vcpu.h"
#include "vm/vm.h"

/*
 * Everything before an entry: the debug hooks when one is armed, the interrupts that
 * may go in (vm/irq.h), then the budget and the entry's tick (last, so the hooks' own
 * time is never the guest's). False: do not enter. Out of line: the exit path calls it
 * only when entry_work says so.
 */
__attribute__((noinline, cold)) static bool prepare_entry(struct vcpu *v)
{
	struct vm *vm = v->vm;
	if (entry_debug_armed(&vm->dbg, !v->launched))
		entry_debug_before_entry(&vm->dbg, !v->launched, &v->history);
	if (v->irq.work)
		irq_prepare_entry(v);
	if (!guest_time_counted_by_cpu(v) && !guest_time_enter(v, rdtsc())) {
		vm_stop(vm, VM_STOP_BUDGET, "budget=%lu", v->budget);
		return false;
	}
	return true;
}

/* Whether prepare_entry has anything to do: the only per-entry test when the CPU counts guest time. */
static inline bool entry_work(const struct vcpu *v)
{
	return !guest_time_counted_by_cpu(v) || v->irq.work || entry_debug_armed(&v->vm->dbg, !v->launched);
}

enum exit_action vcpu_exit(struct vcpu *v)
{
	struct vm *vm = v->vm;
	uint64_t now = rdtsc();
	guest_time_exit(v, now);
	v->last_exit_tick = now;
	v->exit_reason = (uint32_t)vmcs_read(VMCS_EXIT_REASON);
	v->exit_qualification = vmcs_read(VMCS_EXIT_QUALIFICATION);
	v->rip = vmcs_read(VMCS_GUEST_RIP);
	uint32_t basic = EXIT_REASON_BASIC(v->exit_reason);
	v->exits++;
	if (basic < EXIT_REASON_MAX)
		v->exit_counts[basic]++;
	exit_history_record(&v->history, v->exit_reason, v->exit_qualification, v->rip, now - v->first_entry_tick);
	if (vm->trace.on)
		exit_trace_record(&vm->trace, (uint16_t)basic, v->exit_qualification);

	if (v->exit_reason & EXIT_REASON_ENTRY_FAILURE) {
		/* SDM 27.8: the guest never ran; the VMCS is not launched. */
		const char *name = exit_reason_name(basic);
		struct vmcs_msr_entry e;
		/* SDM 27.8: for reason 34 the qualification numbers the MSR-load entry that failed, from 1. */
		if (basic == EXIT_REASON_ENTRY_FAIL_MSR_LOADING && vmcs_msr_load_entry(v->exit_qualification, &e))
			vm_stop(vm, VM_STOP_ENTRY_FAILED, "reason=%s qual=0x%lx msr-entry=%lu msr=0x%x", name,
				v->exit_qualification, v->exit_qualification, e.index);
		else
			vm_stop(vm, VM_STOP_ENTRY_FAILED, "reason=%s qual=0x%lx", name ? name : "UNKNOWN",
				v->exit_qualification);
		entry_debug_after_failure(&vm->dbg, &v->history, true);
		return EXIT_STOP;
	}
	v->launched = true;
	enum exit_action a = exit_dispatch(v);
	if (a != EXIT_RESUME)
		return a;
	/* A handler (or a device it called) that stopped the VM ends it here, whatever it returned. */
	if (vm->stop != VM_RUNNING || (entry_work(v) && !prepare_entry(v)))
		return EXIT_STOP;
	return EXIT_RESUME;
}

/* hw/vmx_entry.S calls this after every exit, with the guest GPRs in frame[]. */
static int vcpu_on_exit(uint64_t *frame, void *ctx)
{
	struct vcpu *v = ctx;
	v->gpr = frame;
	enum exit_action a = vcpu_exit(v);
	if (a == EXIT_RESUME)
		return 1;
	/* Leaving: the frame is popped after this; keep the registers. */
	for (unsigned i = 0; i < GPR_COUNT; i++)
		v->regs[i] = frame[i];
	v->gpr = v->regs;
	v->action = a;
	return 0;
}

static enum exit_action run_guest(struct vcpu *v)
{
	struct vm *vm = v->vm;
	if (!prepare_entry(v))
		return EXIT_STOP;
	if (!v->launched)
		v->first_entry_tick = rdtsc();
	int r = vmx_run(v->regs, v->launched, vcpu_on_exit, v);
	if (r == 0)
		return (enum exit_action)v->action;
	/* A VMRESUME that failed in the exit path: vmx_run kept the registers in regs[]. */
	v->gpr = v->regs;
	v->last_exit_tick = rdtsc();
	/* SDM 31.4: after VMfailValid the reason is in the VM-instruction error field. */
	uint64_t error = r == VMX_FAIL_VALID ? vmcs_read(VMCS_VM_INSTRUCTION_ERROR) : 0;
	vm_stop(vm, VM_STOP_ENTRY_FAILED, "error=%lu instruction=%s", error, v->launched ? "VMRESUME" : "VMLAUNCH");
	entry_debug_after_failure(&vm->dbg, &v->history, r == VMX_FAIL_VALID);
	return EXIT_STOP;
}

enum exit_action vcpu_run(struct vcpu *v)
{
	/* Once per run, not per exit: the exit path never touches this state (vm/guest_cpu_state.h). */
	guest_cpu_state_load(v->vm);
	enum exit_action a = run_guest(v);
	guest_cpu_state_save(v->vm);
	return a;
}
