/*
 * event_redelivery: exits during event delivery (SDM 28.2.4), resolved, and the event
 * delivered again. Before each event the guest puts vexit's demand page
 * (VEXIT_HC_DEMAND_PAGE: out of EPT until its first access) under its stack, at linear
 * 0x400000, and runs one instruction with RSP at the page's top: delivering the event
 * pushes its frame there, which exits as an EPT violation in mid-delivery. vexit maps the
 * page and must inject the interrupted event again (vm/vcpu.c, vcpu_resume_interrupted):
 * each handler then runs once, with the frame the CPU would have pushed. The events: a #GP
 * vexit itself injects (a WRMSR of an unknown MSR; lost, the WRMSR would run and exit
 * again), the guest's own #UD, #GP with an error code, #PF with its error code and CR2,
 * INT 0x80 (a software interrupt: re-injected with the INT's length, its frame returns past
 * it) and INT3 (a software exception, the same). NMIs and external interrupts, which a
 * test guest has no source of, are the host tests' (harness/tests/check_hv_exits.c).
 */
#include "cpu.h"
#include "fault.h"
#include "paging.h"

EXPECT("stop done");
EXPECT("asserts 17");
EXPECT("exit EPT_VIOLATION 6");
EXPECT("exit WRMSR 1");

#define DEMAND_LA 0x400000ull
#define DEMAND_GPA 0x200000ull /* the first page above the guest's 2 MiB */
#define STACK_TOP (DEMAND_LA + 0x1000)
#define UNMAPPED_LA 0x600000ull /* PD entry 3: not present */
#define BAD_SELECTOR 0x1230u    /* GDT index 0x246, past the GDT's limit: #GP(0x1230) */
#define INT_VECTOR 0x80

volatile uint64_t int_runs, int_rip; /* int_entry's count and the RIP its frame held */

/* INT 0x80's handler: note the frame's RIP, count, return. */
void int_entry(void);
__asm__(".text\n"
	"int_entry:\n\t"
	"push %rax\n\t"
	"mov 8(%rsp), %rax\n\t"
	"mov %rax, int_rip(%rip)\n\t"
	"pop %rax\n\t"
	"incq int_runs(%rip)\n\t"
	"iretq\n");

struct site {
	uint64_t at, after; /* the instruction, and the instruction after it */
};

/*
 * Arm the demand page, then run `insn` with RSP at its top (RCX = msr, RSI = selector, RDI = an
 * address, EAX = EDX = 0). A fault's handler resumes at 1:, right after it, where RSP comes back.
 */
#define ON_DEMAND_STACK(insn, site)                                                                       \
	do {                                                                                              \
		report_eq(vmcall4(VEXIT_HC_DEMAND_PAGE, DEMAND_GPA, 0, 0, 0), 0, "the demand page is armed"); \
		fault_vector = FAULT_NONE;                                                                \
		__asm__ volatile("movq $1f, fault_fixup(%%rip)\n\t"                                        \
				 "lea 2f(%%rip), %0\n\t"                                                   \
				 "lea 1f(%%rip), %1\n\t"                                                   \
				 "mov %%rsp, %%r12\n\t"                                                    \
				 "mov %2, %%rsp\n"                                                         \
				 "2:\t" insn "\n"                                                          \
				 "1:\tmov %%r12, %%rsp\n\t"                                                \
				 "movq $0, fault_fixup(%%rip)"                                             \
				 : "=&r"((site).at), "=&r"((site).after)                                   \
				 : "r"(STACK_TOP), "c"(0x10000u), "a"(0), "d"(0), "S"(BAD_SELECTOR),         \
				   "D"(UNMAPPED_LA)                                                        \
				 : "r12", "memory");                                                       \
	} while (0)

int main(void)
{
	fault_init();
	fault_set_gate(INT_VECTOR, int_entry, 0);
	map_2m(DEMAND_LA, DEMAND_GPA);
	struct site s;

	/* Six arms (6 PASS lines), then what each event did (11). */
	ON_DEMAND_STACK("wrmsr", s);
	report(fault_vector == 13 && fault_error == 0 && fault_rip == s.at,
	       "the #GP vexit injected for WRMSR arrives once, error code 0, at the WRMSR");
	ON_DEMAND_STACK("ud2", s);
	report(fault_vector == 6 && fault_rip == s.at, "#UD arrives, at the UD2");
	ON_DEMAND_STACK("mov %%si, %%ds", s);
	report_eq(fault_vector, 13, "a bad selector's #GP arrives");
	report_eq(fault_error, BAD_SELECTOR, "...with its error code, the selector");
	ON_DEMAND_STACK("movb $1, (%%rdi)", s);
	report(fault_vector == 14 && fault_rip == s.at, "#PF arrives, at the store");
	report(fault_error == 2 && read_cr2() == UNMAPPED_LA, "...with its error code (write, not present) and CR2");
	ON_DEMAND_STACK("int $0x80", s);
	report_eq(int_runs, 1, "INT 0x80's handler runs once");
	report_eq(int_rip, s.after, "...and its frame returns past the INT (the re-injection had its length)");
	ON_DEMAND_STACK("int3", s);
	report(fault_vector == 3 && fault_rip == s.after, "#BP from INT3 arrives, its frame past the INT3");
	/* The last frame is on the demand page, where the CPU pushed it: CS, and the RSP it interrupted. */
	report_eq(*(volatile uint64_t *)(STACK_TOP - 32), 0x08, "the frame's CS is on the demand page");
	report_eq(*(volatile uint64_t *)(STACK_TOP - 16), STACK_TOP, "...and its RSP is the page's top");
	return 0;
}
