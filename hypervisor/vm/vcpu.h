/*
 * A virtual CPU (modelled on x86_vcpu): the guest registers the VMCS does not
 * hold, the exit being handled, and the exit statistics. run/vcpu_run.c enters
 * the guest and fills it; the handlers of exits/ act on it.
 */
#ifndef VEXIT_VCPU_H
#define VEXIT_VCPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag/exit_history.h"
#include "hw/vmcs.h"
#include "hw/vmx_entry.h"
#include "include/x86_arch.h"
#include "vm/irq.h"
#include "vmx/cpuid_table.h"
#include "vmx/exit_reason.h"

/* General-purpose registers by x86 encoding number, so decoded operands index them directly. */
enum gpr { GPR_RAX, GPR_RCX, GPR_RDX, GPR_RBX, GPR_RSP, GPR_RBP, GPR_RSI, GPR_RDI,
	   GPR_R8, GPR_R9, GPR_R10, GPR_R11, GPR_R12, GPR_R13, GPR_R14, GPR_R15, GPR_COUNT };

/* The registers the C code preserves (SysV ABI) but the exit path keeps in the frame, by encoding bit. */
#define GPR_KEPT_BY_C ((1u << GPR_RBP) | (1u << GPR_R12) | (1u << GPR_R13) | (1u << GPR_R14) | (1u << GPR_R15))

/* What an exit needs beyond the common path (struct vcpu's work), one bit each. */
enum vcpu_work {
	WORK_AT_EXIT = 1,  /* the first exit (it marks the vCPU launched), guest time counted by software, or
			      the exit trace on (run/vcpu_run.c:exit_work); not tested per exit: the exit
			      stub's HOST_RIP says it (exit_work_entry), which the run loop sets before an
			      entry, so a handler that sets this bit sets WORK_AT_ENTRY too */
	WORK_AT_ENTRY = 2, /* before the next entry: the VM stopped, guest time counted by software, debug
			      hooks armed, controls to rewrite, a GPR of GPR_KEPT_BY_C written, an interrupt
			      source kicked the injection core (vm/irq.h) (prepare_entry) */
};

struct vm;

/* The virtual timers that may want the VM back at a guest time (vm/guest_time.h, guest_time_set_wake). */
enum wake_source { WAKE_APIC_TIMER, WAKE_PIT, WAKE_SOURCES };

struct vcpu {
	/*
	 * Nonzero: this exit or the next entry has more to do than the common path (enum vcpu_work).
	 * Setting a bit is always safe: the slow paths recompute it from the state it summarizes. The
	 * first byte: the exit stub tests WORK_AT_ENTRY there (VMX_CTX_FINISH, hw/vmx_entry.h).
	 */
	uint8_t work;
	/*
	 * CR8, the task priority (bits 3:0), of a vCPU without a local APIC (with one, the TPR
	 * shadow holds it on the virtual-APIC page): a MOV CR8 exit reads or writes it here
	 * (beside work, in bytes the history's alignment leaves free: no offset below moves).
	 */
	uint8_t tpr;
	/*
	 * The last exits, printed when an entry fails; and the exit counts. The exit stub records
	 * and counts the exits it answers itself in them, at offsets hw/vmx_entry.h names (pinned below).
	 */
	struct exit_history history;
	uint64_t exit_counts[EXIT_REASON_MAX]; /* per basic reason */
	/*
	 * The guest's general-purpose registers, by encoding; gpr[GPR_RSP] is unused (RSP is
	 * in the VMCS). While the vCPU runs they are the frame hw/vmx_entry.S stores them in
	 * on the host stack; between runs, regs[] below. Read-only: a handler writes one
	 * with vcpu_set_gpr (or vcpu_set_gpr_reloaded), which the exit stub's partial reload depends on.
	 */
	const uint64_t *gpr;
	uint64_t regs[GPR_COUNT];
	struct vm *vm;
	bool launched;
	bool exit_work_entry; /* HOST_RIP is vmx_exit_work_entry_point (hw/vmx_entry.h), not vmx_exit_entry_point */
	/* How the last run ended (run/vcpu_run.c). */
	int action;
	bool gprs_kept_written; /* a handler wrote a register of GPR_KEPT_BY_C: reload them all */
	/*
	 * The exit being handled: its RIP, read from the VMCS once per exit (its reason is the
	 * history's last, vcpu_exit_reason; its qualification: vcpu_exit_qualification).
	 */
	uint64_t rip;
	/* Statistics. The number of exits is the history's count (vcpu_exits). */
	uint64_t first_entry_tick, last_exit_tick, entry_tick;
	/*
	 * Guest time: ticks spent in the guest, between each entry and the exit that
	 * ends it (docs/protocol.md, "Guest time"). The budget bounds it, with the
	 * VMX-preemption timer when the CPU has one, else the host's local-APIC timer.
	 */
	uint64_t guest_ticks;
	uint64_t budget;      /* 0: no budget */
	bool budget_timer;    /* the preemption timer enforces it */
	bool budget_apic;     /* the local-APIC timer does, through external-interrupt exiting */
	bool timer_saved;     /* the CPU saves the timer's value at exit: no rewrite per entry */
	unsigned timer_rate;  /* the timer counts once every 2^timer_rate ticks */
	uint32_t timer_value; /* what was last written to (or saved in) the timer field */
	uint64_t wake[WAKE_SOURCES]; /* guest time each virtual timer wants the VM back at; UINT64_MAX: never */
	uint64_t wake_at;     /* the earliest of them: what the timer is armed for */
	struct vcpu_irq irq;  /* interrupts waiting for it (vm/irq.h) */
	struct cpuid_table cpuid; /* its CPUID answers (vm/vm_cpuid.h) */
};

_Static_assert(offsetof(struct vcpu, work) == 0 && WORK_AT_ENTRY == VMX_CTX_FINISH,
	       "the exit stub finds WORK_AT_ENTRY in the first byte of its ctx, the vCPU");
/* What the exit stub writes when it answers the null hypercall itself (hw/vmx_entry.h). */
_Static_assert(offsetof(struct vcpu, history.total) == VMX_CTX_EXITS &&
		       offsetof(struct vcpu, history.reason) == VMX_CTX_RING_REASON &&
		       offsetof(struct vcpu, history.tick_lo) == VMX_CTX_RING_TICK_LO &&
		       offsetof(struct vcpu, history.tick_hi) == VMX_CTX_RING_TICK_HI &&
		       offsetof(struct vcpu, history.rip) == VMX_CTX_RING_RIP &&
		       EXIT_HISTORY_LEN == VMX_CTX_RING_LEN &&
		       offsetof(struct vcpu, exit_counts[EXIT_REASON_VMCALL]) == VMX_CTX_VMCALL_EXITS &&
		       EXIT_REASON_VMCALL == VMX_EXIT_REASON_VMCALL && (WORK_AT_EXIT | WORK_AT_ENTRY) <= 0xff,
	       "hw/vmx_entry.h's offsets into the vCPU match struct vcpu");

/* A vCPU of vm in its power-on state: registers zero, no exit yet. */
void vcpu_init(struct vcpu *v, struct vm *vm);

/* Exits since the vCPU was made. */
static inline uint64_t vcpu_exits(const struct vcpu *v)
{
	return v->history.total;
}

/* The exit-reason field (SDM 28.2.1) of the exit being handled, the last one recorded. */
static inline uint32_t vcpu_exit_reason(const struct vcpu *v)
{
	return exit_history_last_reason(&v->history);
}

/*
 * The exit qualification (SDM 28.2.1), read when a handler needs it, not on every exit:
 * most exits have none (the CPU clears the field for VMCALL, CPUID, RDMSR, WRMSR...).
 * The history keeps what was read.
 */
static inline uint64_t vcpu_exit_qualification(struct vcpu *v)
{
	uint64_t q = vmcs_read_known(VMCS_EXIT_QUALIFICATION);
	exit_history_note_qualification(&v->history, q);
	return q;
}

/* The registers the exit stub reloads from the frame on every VMRESUME: all but RSP and GPR_KEPT_BY_C. */
#define GPR_RELOADED (((1u << GPR_COUNT) - 1) & ~(GPR_KEPT_BY_C | 1u << GPR_RSP))

/* vcpu_set_gpr of a register of GPR_RELOADED (the caller knows it is one): the store alone. */
static inline void vcpu_set_gpr_reloaded(struct vcpu *v, unsigned r, uint64_t value)
{
	((uint64_t *)v->gpr)[r] = value; /* gpr points at the frame or regs[], both writable */
}

/* Write guest register r (RSP goes to the VMCS). With vcpu_set_gpr_reloaded, the only writer of gpr[]. */
static inline void vcpu_set_gpr(struct vcpu *v, unsigned r, uint64_t value)
{
	if (r == GPR_RSP) {
		vmcs_write(VMCS_GUEST_RSP, value);
		return;
	}
	vcpu_set_gpr_reloaded(v, r, value);
	if (GPR_KEPT_BY_C & (1u << r)) {
		v->gprs_kept_written = true;
		v->work |= WORK_AT_ENTRY;
	}
}

/* Move the guest past an instruction of `length` bytes (the hypervisor may have decoded it itself). */
static inline void vcpu_advance(struct vcpu *v, uint64_t length)
{
	vmcs_write_known(VMCS_GUEST_RIP, v->rip + length); /* v->rip stays the exit's, which stop lines name */
	/* Blocking by STI or MOV SS lasts one instruction: the one just skipped (SDM 25.4.2). */
	uint64_t intr = vmcs_read_known(VMCS_GUEST_INTERRUPTIBILITY);
	if (__builtin_expect(intr & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS), 0))
		vmcs_write_known(VMCS_GUEST_INTERRUPTIBILITY,
				 intr & ~(uint64_t)(INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS));
}

/*
 * Move the guest past the instruction that exited, by the exit instruction length
 * (SDM 28.2.5). Inline: most exits end here.
 */
static inline void vcpu_skip_instruction(struct vcpu *v)
{
	vcpu_advance(v, vmcs_read_known(VMCS_EXIT_INSTRUCTION_LENGTH));
}
struct guest_paging;
/* The paging controls of the guest as it is now (vm/guest_mem.h): its accesses obey them. */
void vcpu_guest_paging(const struct vcpu *v, struct guest_paging *pg);
/* General-purpose register `gpr` (enum gpr) of the exit being handled; RSP is in the VMCS. */
uint64_t vcpu_gpr(const struct vcpu *v, unsigned gpr);
/*
 * Inject hardware exception `vector` (with error_code when it has one) at the
 * next entry (SDM 27.6). A fault is delivered with RIP at the faulting
 * instruction, so the caller must not skip it. When the entry already delivers
 * an event an exit interrupted (vcpu_resume_interrupted), the two combine as
 * the CPU's would (SDM Vol. 3A 6.15): #DF, a triple fault (the VM stops), or
 * the new exception first.
 */
void vcpu_inject_exception(struct vcpu *v, unsigned vector, uint32_t error_code);
/*
 * A handler resumes the guest after an exit that can happen during event delivery (SDM 28.2.4:
 * an exception the bitmap traps, an EPT violation or misconfiguration, an APIC access, a task
 * switch) without completing the instruction (RIP stays on it): the event whose delivery the
 * exit interrupted goes in again at the next entry (its IDT-vectoring information, error code
 * and, for INT n, INT1, INT3 and INTO, the instruction length), before anything the injection core
 * holds (vm/irq.c finds the entry busy); with no such event, NMI blocking comes back when the
 * exit says an IRET had lifted it (nmi_unblocked_by_iret: bit 12 of the qualification or exit
 * interruption information, SDM 28.2.3). Call it before injecting anything else.
 */
void vcpu_resume_interrupted(struct vcpu *v, bool nmi_unblocked_by_iret);
/*
 * The event whose delivery this exit interrupted as a stop field, " during=<kind>-<vector>"
 * (vmx/event_inject.h, event_kind_name: " during=exception-6"), or "" when it interrupted
 * none: the handler of an exit it ends names it.
 */
#define VCPU_INTERRUPTED_FIELD_MAX 32
void vcpu_interrupted_field(char buf[VCPU_INTERRUPTED_FIELD_MAX]);

#endif
