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
#include "vm/vm_vmcs.h"

/* struct vcpu's work, from the state it summarizes. */
static uint8_t work_now(const struct vcpu *v)
{
	const struct vm *vm = v->vm;
	uint8_t w = 0;
	if (!v->timer_saved)
		w |= WORK_AT_EXIT | WORK_AT_ENTRY;
	if (vm->trace.on || !v->launched)
		w |= WORK_AT_EXIT;
	if (vm->stop != VM_RUNNING || vm->controls_dirty || v->gprs_kept_written || v->irq.work ||
	    entry_debug_armed(&vm->dbg, !v->launched))
		w |= WORK_AT_ENTRY;
	return w;
}

/* HOST_RIP for the exits to come: the exit stub does not test WORK_AT_EXIT, it lands where HOST_RIP says (hw/vmx_entry.h). */
static void exit_entry_update(struct vcpu *v)
{
	bool at_exit = work_now(v) & WORK_AT_EXIT;
	if (at_exit != v->exit_work_entry) {
		vmcs_write(VMCS_HOST_RIP, at_exit ? (uint64_t)vmx_exit_work_entry_point : (uint64_t)vmx_exit_entry_point);
		v->exit_work_entry = at_exit;
	}
}

/*
 * Everything before an entry: the exit entry point HOST_RIP names (first, so that a
 * breakage the debug hooks apply, diag/entry_break.h, is what the entry sees: HOST_RIP
 * may be the field broken), controls a hypercall changed, the debug hooks when one is
 * armed, the interrupts that may go in (vm/irq.h), then the budget and the entry's
 * tick (last, so the hooks' own time is never the guest's). False: do not enter. Out
 * of line: the exit path calls it only when WORK_AT_ENTRY says so.
 */
__attribute__((noinline, cold)) static bool prepare_entry(struct vcpu *v)
{
	struct vm *vm = v->vm;
	exit_entry_update(v);
	if (vm->controls_dirty) {
		/* A hypercall changed what traps (CR3 exiting): rewrite the controls it affects. */
		uint32_t proc = (uint32_t)vmcs_read(VMCS_PROC_BASED_CONTROLS);
		vmcs_write(VMCS_PROC_BASED_CONTROLS, vmcs_proc_controls_for(vm, proc));
		vm->controls_dirty = false;
	}
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

/*
 * An exit whose reason is not a plain basic reason: one from vmx_exit_work_entry_point
 * (VMX_EXIT_WORK_BIT), a failed entry, or a reason past the table.
 */
__attribute__((noinline, cold)) static enum exit_action exit_unusual(struct vcpu *v, uint64_t reason);

/* Count the exit and call its handler (a tail call from the exit path). */
static inline __attribute__((always_inline)) enum exit_action exit_dispatch_counted(struct vcpu *v, uint64_t reason)
{
	/*
	 * One bound test: a reason with the entry-failure bit (31), VMX_EXIT_WORK_BIT or any other
	 * high bit is past it too.
	 */
	if (__builtin_expect(reason < EXIT_REASON_MAX, 1)) {
		v->exit_counts[reason]++;
		return exit_handlers[reason](v);
	}
	return exit_unusual(v, reason);
}

/*
 * WORK_AT_EXIT: the first exit after VMLAUNCH, the guest's time counted by software, and the
 * exit trace; then the dispatch, so that the common path makes no call it must come back from.
 */
__attribute__((noinline, cold)) static enum exit_action exit_work(struct vcpu *v)
{
	struct vm *vm = v->vm;
	/* SDM 27.8: after an entry failure the VMCS is not launched; any other exit says it is. */
	if (!(vcpu_exit_reason(v) & EXIT_REASON_ENTRY_FAILURE))
		v->launched = true;
	guest_time_exit(v, exit_history_last_tick(&v->history));
	if (vm->trace.on)
		exit_trace_record(&vm->trace, (uint16_t)EXIT_REASON_BASIC(vcpu_exit_reason(v)), vcpu_exit_qualification(v));
	/* Launched now: the next exits may not need this. */
	exit_entry_update(v);
	v->work = work_now(v);
	return exit_dispatch_counted(v, vcpu_exit_reason(v));
}

__attribute__((noinline, cold)) static enum exit_action exit_unusual(struct vcpu *v, uint64_t reason)
{
	if (reason >> VMX_EXIT_WORK_BIT)
		return exit_work(v);
	struct vm *vm = v->vm;
	uint32_t basic = EXIT_REASON_BASIC(vcpu_exit_reason(v));
	if (basic < EXIT_REASON_MAX)
		v->exit_counts[basic]++;
	if (vcpu_exit_reason(v) & EXIT_REASON_ENTRY_FAILURE) {
		/* SDM 27.8: the guest never ran; the VMCS is not launched. */
		const char *name = exit_reason_name(basic);
		uint64_t q = vcpu_exit_qualification(v);
		struct vmcs_msr_entry e;
		/* SDM 27.8: for reason 34 the qualification numbers the MSR-load entry that failed, from 1. */
		if (basic == EXIT_REASON_ENTRY_FAIL_MSR_LOADING && vmcs_msr_load_entry(q, &e))
			vm_stop(vm, VM_STOP_ENTRY_FAILED, "reason=%s qual=0x%lx msr-entry=%lu msr=0x%x", name, q, q,
				e.index);
		else
			vm_stop(vm, VM_STOP_ENTRY_FAILED, "reason=%s qual=0x%lx", name ? name : "UNKNOWN", q);
		entry_debug_after_failure(&vm->dbg, &v->history, true);
		return EXIT_STOP;
	}
	return exit_dispatch(v);
}

/*
 * After the handler, when it did not simply resume or WORK_AT_ENTRY is set (the
 * exit stub tests both): a VMX_EXIT_* for the stub. Leaving, the registers move
 * from the frame to regs[] and v->action says why.
 */
static int exit_finish(struct vcpu *v, enum exit_action a)
{
	/* A handler (or a device it called) that stopped the VM ends it here, whatever it returned. */
	if (a == EXIT_RESUME && (v->vm->stop != VM_RUNNING || !prepare_entry(v)))
		a = EXIT_STOP;
	if (a != EXIT_RESUME) {
		for (unsigned i = 0; i < GPR_COUNT; i++)
			v->regs[i] = v->gpr[i];
		v->gpr = v->regs;
		v->last_exit_tick = exit_history_last_tick(&v->history);
		v->action = a;
		return VMX_EXIT_LEAVE;
	}
	int r = v->gprs_kept_written ? VMX_EXIT_RESUME_ALL : VMX_EXIT_RESUME;
	v->gprs_kept_written = false;
	v->work = work_now(v);
	return r;
}

/*
 * One exit, whose reason the exit stub read: record it and dispatch it; the handler's
 * answer goes back to the exit stub, which resumes the guest when it is EXIT_RESUME and
 * WORK_AT_ENTRY is clear, and else has exit_finish decide (hw/vmx_entry.h). The common
 * path reads RIP and the TSC, counts, records the history (a few stores)
 * and tests one bit of v->work; everything else is behind them (the qualification
 * is read by the handlers that need it). The handler is a tail call: nothing of
 * this function is live across it.
 */
static inline __attribute__((always_inline)) enum exit_action exit_step(struct vcpu *v, uint64_t reason)
{
	struct tsc_halves now = rdtsc_halves();
	v->rip = vmcs_read_known(VMCS_GUEST_RIP);
	exit_history_record(&v->history, (uint32_t)reason, v->rip, now.lo, now.hi);
	return exit_dispatch_counted(v, reason);
}

/* hw/vmx_entry.S calls this after every exit it does not answer itself, with the reason it read... */
static int vcpu_on_exit(void *ctx, uint64_t reason)
{
	return exit_step(ctx, reason);
}

/* ...and this after one whose answer is not EXIT_RESUME, or with WORK_AT_ENTRY set. */
static int vcpu_on_finish(void *ctx, int answer)
{
	return exit_finish(ctx, (enum exit_action)answer);
}

enum exit_action vcpu_exit(struct vcpu *v)
{
	/* The exit-reason field: 32 bits, zero-extended (SDM 31.3, VMREAD). */
	/* The exit lands where the run loop sets HOST_RIP for the vCPU's work (exit_entry_update). */
	uint64_t reason = vmcs_read_known(VMCS_EXIT_REASON);
	if (v->work & WORK_AT_EXIT) {
		v->exit_work_entry = true;
		reason |= 1ull << VMX_EXIT_WORK_BIT;
	}
	enum exit_action a = exit_step(v, reason);
	if (a == EXIT_RESUME && !(v->work & WORK_AT_ENTRY))
		return EXIT_RESUME;
	return exit_finish(v, a) == VMX_EXIT_LEAVE ? (enum exit_action)v->action : EXIT_RESUME;
}

static enum exit_action run_guest(struct vcpu *v)
{
	struct vm *vm = v->vm;
	if (!prepare_entry(v))
		return EXIT_STOP;
	if (!v->launched)
		v->history.base = v->first_entry_tick = rdtsc();
	v->work = work_now(v);
	int r = vmx_run(v->regs, &v->gpr, v->launched, vcpu_on_exit, vcpu_on_finish, v);
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
