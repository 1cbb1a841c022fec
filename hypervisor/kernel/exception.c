/* What the hypervisor prints when it takes an exception itself: then the run ends. */
#include <stdint.h>

#include "hw/cpu.h"
#include "include/x86_arch.h"
#include "kernel/console.h"
#include "kernel/machine_check.h"
#include "kernel/panic.h"

/* System control port B: its bits 7 and 6 latch a PCI SERR# and an ISA IOCHK#, the legacy NMI sources. */
#define PORT_NMI_STATUS 0x61

/* Layout pushed by isr.S, lowest address first. */
struct exception_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

static const char *const exception_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "?15",
	"#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "?22", "?23", "?24", "?25", "?26", "?27", "#HV", "#VC", "#SX", "?31",
};

void exception_report(const struct exception_frame *f);

void exception_report(const struct exception_frame *f)
{
	uint64_t cr2 = read_cr2();
	kprintf("hypervisor exception %s (vector %lu) error=0x%lx\n", exception_names[f->vector & 31], f->vector,
		f->error);
	kprintf("  rip=0x%016lx cs=0x%lx rflags=0x%lx rsp=0x%016lx ss=0x%lx cr2=0x%lx\n", f->rip, f->cs, f->rflags,
		f->rsp, f->ss, cr2);
	kprintf("  rax=0x%016lx rbx=0x%016lx rcx=0x%016lx rdx=0x%016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
	kprintf("  rsi=0x%016lx rdi=0x%016lx rbp=0x%016lx r8 =0x%016lx\n", f->rsi, f->rdi, f->rbp, f->r8);
	kprintf("  r9 =0x%016lx r10=0x%016lx r11=0x%016lx r12=0x%016lx\n", f->r9, f->r10, f->r11, f->r12);
	kprintf("  r13=0x%016lx r14=0x%016lx r15=0x%016lx\n", f->r13, f->r14, f->r15);
	/* The policy (docs/hardware.md): an NMI or a machine check in the hypervisor stops the run. */
	if (f->vector == VECTOR_NMI)
		kprintf("  NMI: port 0x61=0x%x (bit 7: SERR#, bit 6: IOCHK#)\n", inb(PORT_NMI_STATUS));
	if (f->vector == VECTOR_MC)
		machine_check_report();
	panic("exception %s at rip=0x%lx", exception_names[f->vector & 31], f->rip);
}
