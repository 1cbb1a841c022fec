#include "vcpu.h"

#include "event_inject.h"
#include "entry_debug.h"
#include "vm.h"
#include "vmcs.h"
#include "vmx_asm.h"
#include "x86.h"

void vcpu_skip_instruction(struct vcpu *v)
{
	v->rip += v->instruction_length;
	vmcs_write(VMCS_GUEST_RIP, v->rip);
	/* Blocking by STI or MOV SS lasts one instruction: the one just skipped (SDM 25.4.2). */
	uint64_t intr = vmcs_read(VMCS_GUEST_INTERRUPTIBILITY);
	if (intr & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS))
		vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, intr & ~(uint64_t)(INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS));
}

void vcpu_inject_exception(struct vcpu *v, unsigned vector, uint32_t error_code)
{
	(void)v;
	vmcs_write(VMCS_ENTRY_INTR_INFO, exception_intr_info(vector));
	if (exception_has_error_code(vector))
		vmcs_write(VMCS_ENTRY_EXCEPTION_ERROR_CODE, error_code);
}

/* Arm the VMX-preemption timer with what is left of the budget; false when nothing is left. */
static bool arm_budget(struct vcpu *v)
{
	if (!v->budget_timer)
		return true;
	uint64_t used = v->launched ? rdtsc() - v->first_entry_tick : 0;
	if (used >= v->budget)
		return false;
	uint64_t left = (v->budget - used) >> v->timer_rate;
	vmcs_write(VMCS_PREEMPTION_TIMER_VALUE, left > 0xffffffffull ? 0xffffffffull : left);
	return true;
}

static void read_exit(struct vcpu *v)
{
	v->exit_reason = (uint32_t)vmcs_read(VMCS_EXIT_REASON);
	v->exit_qualification = vmcs_read(VMCS_EXIT_QUALIFICATION);
	v->rip = vmcs_read(VMCS_GUEST_RIP);
	v->instruction_length = (uint32_t)vmcs_read(VMCS_EXIT_INSTRUCTION_LENGTH);
}

enum exit_action vcpu_run(struct vcpu *v)
{
	struct vm *vm = v->vm;
	for (;;) {
		if (!arm_budget(v)) {
			/* The budget ran out in the hypervisor's own handling: the stop is now, not at the last exit. */
			v->last_exit_tick = rdtsc();
			vm_stop(vm, VM_STOP_BUDGET, "budget=%lu", v->budget);
			return EXIT_STOP;
		}
		entry_debug_before_entry(v);
		if (!v->launched)
			v->first_entry_tick = rdtsc();
		int r = vmx_enter(v, v->launched);
		v->last_exit_tick = rdtsc();
		if (r != VMX_OK) {
			/* SDM 31.4: after VMfailValid the reason is in the VM-instruction error field. */
			uint64_t error = r == VMX_FAIL_VALID ? vmcs_read(VMCS_VM_INSTRUCTION_ERROR) : 0;
			vm_stop(vm, VM_STOP_ENTRY_FAILED, "error=%lu instruction=%s", error,
				v->launched ? "VMRESUME" : "VMLAUNCH");
			entry_debug_after_failure(v, r == VMX_FAIL_VALID);
			return EXIT_STOP;
		}
		read_exit(v);
		vm_trace_exit(vm);
		exit_history_record(&v->history, v->exit_reason, v->exit_qualification, v->rip,
				    v->last_exit_tick - v->first_entry_tick);
		uint32_t basic = EXIT_REASON_BASIC(v->exit_reason);
		v->exits++;
		if (basic < EXIT_REASON_MAX)
			v->exit_counts[basic]++;
		if (v->exit_reason & EXIT_REASON_ENTRY_FAILURE) {
			/* SDM 27.8: the guest never ran; the VMCS is not launched. */
			const char *name = exit_reason_name(basic);
			vm_stop(vm, VM_STOP_ENTRY_FAILED, "reason=%s qual=0x%lx", name ? name : "UNKNOWN",
				v->exit_qualification);
			entry_debug_after_failure(v, true);
			return EXIT_STOP;
		}
		v->launched = true;
		enum exit_action a = exit_dispatch(v);
		if (a != EXIT_RESUME)
			return a;
	}
}
