/* A virtual CPU: guest registers, the run loop and the exit statistics (modelled on x86_vcpu). */
#ifndef VEXIT_VCPU_H
#define VEXIT_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "exit_history.h"
#include "exit_reason.h"

/* General-purpose registers by x86 encoding number, so decoded operands index them directly. */
enum gpr { GPR_RAX, GPR_RCX, GPR_RDX, GPR_RBX, GPR_RSP, GPR_RBP, GPR_RSI, GPR_RDI,
	   GPR_R8, GPR_R9, GPR_R10, GPR_R11, GPR_R12, GPR_R13, GPR_R14, GPR_R15, GPR_COUNT };

struct vm;

struct vcpu {
	uint64_t gpr[GPR_COUNT]; /* first: vmx_entry.S saves and loads it; gpr[GPR_RSP] is unused (RSP is in the VMCS) */
	struct vm *vm;
	bool launched;
	/* The exit being handled, read from the VMCS once per exit. */
	uint32_t exit_reason;
	uint64_t exit_qualification;
	uint64_t rip;
	uint32_t instruction_length;
	/* Statistics. */
	uint64_t exits;
	uint64_t exit_counts[EXIT_REASON_MAX];
	uint64_t first_entry_tick;
	uint64_t last_exit_tick;
	struct exit_history history; /* the last exits, printed when an entry fails */
	/* The tick budget, enforced with the VMX-preemption timer when the CPU has one. */
	uint64_t budget;
	bool budget_timer;
	unsigned timer_rate;
};

enum exit_action {
	EXIT_RESUME,    /* handled: enter the guest again */
	EXIT_TO_CALLER, /* not handled here: vcpu_run returns the exit to its caller */
	EXIT_STOP,      /* the VM is over; the handler has recorded why */
};

typedef enum exit_action (*exit_handler_fn)(struct vcpu *v);

/* Enter the guest and handle exits until one needs the caller or stops the VM. */
enum exit_action vcpu_run(struct vcpu *v);
/* Move the guest past the instruction that exited, by the exit instruction length (SDM 27.2.5). */
void vcpu_skip_instruction(struct vcpu *v);
/*
 * Inject hardware exception `vector` (with error_code when it has one) at the
 * next entry (SDM 27.6). A fault is delivered with RIP at the faulting
 * instruction, so the caller must not skip it.
 */
void vcpu_inject_exception(struct vcpu *v, unsigned vector, uint32_t error_code);
/* The built-in handler for the exit in v, from the dispatch table. */
enum exit_action exit_dispatch(struct vcpu *v);

/* vmx_entry.S: load the guest GPRs and VMLAUNCH (launched=0) or VMRESUME. Returns 0 after a VM
 * exit (guest GPRs saved), or VMX_FAIL_INVALID/VMX_FAIL_VALID if the instruction failed. */
int vmx_enter(struct vcpu *v, int launched);
void vmx_exit_entry_point(void);

#endif
