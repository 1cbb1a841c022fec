/*
 * The exit dispatch table (exits/exit_dispatch.c), indexed by basic exit reason,
 * KVM's kvm_vmx_exit_handlers[] shape. The contract of every handler:
 *  - it is called once per exit, with its reason (vcpu_exit_reason) and v->rip read
 *    from the VMCS (the qualification it reads itself, with vcpu_exit_qualification, which
 *    the history records) and the guest GPRs in v->gpr[], which it reads
 *    directly and writes only with vcpu_set_gpr (the exit stub's reload needs to
 *    know of a write to RBP or R12-R15);
 *  - EXIT_RESUME: the exit is handled and the guest runs on. A handler that
 *    completed the instruction moves RIP past it (vcpu_skip_instruction); one
 *    that faults it injects the exception (vcpu_inject_exception) and leaves
 *    RIP on it, as hardware delivers a fault; never both;
 *    A handler of an exit that can happen during event delivery (SDM 28.2.4: an
 *    exception, an EPT violation, an APIC access...) that resumes the guest
 *    without completing the instruction calls vcpu_resume_interrupted first,
 *    so that the event the exit cut is delivered again;
 *  - EXIT_TO_CALLER: not handled here; vcpu_run returns the exit to its caller
 *    (run/vm_run.c stops the VM naming it: never a hang, never a silent HLT);
 *  - EXIT_STOP: the VM is over, and the handler has said why with vm_stop().
 *    A handler that resumes after something it called stopped the VM needs no
 *    test of its own: vm_stop sets WORK_AT_ENTRY, and the run loop ends the VM.
 * An exit with no handler is EXIT_TO_CALLER.
 */
#ifndef VEXIT_EXIT_DISPATCH_H
#define VEXIT_EXIT_DISPATCH_H

#include "vmx/exit_reason.h"

struct vcpu;

enum exit_action {
	EXIT_RESUME = 0, /* the exit stub resumes the guest on 0 (hw/vmx_entry.h) */
	EXIT_TO_CALLER,
	EXIT_STOP,
};

typedef enum exit_action (*exit_handler_fn)(struct vcpu *v);

/* The table itself, every slot a handler; run/vcpu_run.c indexes it for reasons below EXIT_REASON_MAX. */
extern const exit_handler_fn exit_handlers[EXIT_REASON_MAX];
/* The built-in handler's answer for the exit in v (any reason). */
enum exit_action exit_dispatch(struct vcpu *v);

#endif
