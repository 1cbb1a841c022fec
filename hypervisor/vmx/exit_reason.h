/* Basic VM-exit reasons (SDM Vol. 3D appendix C) and their names. */
#ifndef VEXIT_EXIT_REASON_H
#define VEXIT_EXIT_REASON_H

#include <stdint.h>

#define EXIT_REASON_EXCEPTION_NMI 0
#define EXIT_REASON_EXTERNAL_INTERRUPT 1
#define EXIT_REASON_TRIPLE_FAULT 2
#define EXIT_REASON_INTERRUPT_WINDOW 7
#define EXIT_REASON_NMI_WINDOW 8
#define EXIT_REASON_CPUID 10
#define EXIT_REASON_HLT 12
#define EXIT_REASON_RDPMC 15
#define EXIT_REASON_VMCALL 18
#define EXIT_REASON_INVD 13
#define EXIT_REASON_VMCLEAR 19
#define EXIT_REASON_VMLAUNCH 20
#define EXIT_REASON_VMPTRLD 21
#define EXIT_REASON_VMPTRST 22
#define EXIT_REASON_VMREAD 23
#define EXIT_REASON_VMRESUME 24
#define EXIT_REASON_VMWRITE 25
#define EXIT_REASON_VMXOFF 26
#define EXIT_REASON_VMXON 27
#define EXIT_REASON_MWAIT 36
#define EXIT_REASON_MONITOR 39
#define EXIT_REASON_INVEPT 50
#define EXIT_REASON_INVVPID 53
#define EXIT_REASON_WBINVD 54
#define EXIT_REASON_XSETBV 55
#define EXIT_REASON_APIC_WRITE 56
#define EXIT_REASON_VMFUNC 59
#define EXIT_REASON_CR_ACCESS 28
#define EXIT_REASON_IO_INSTRUCTION 30
#define EXIT_REASON_RDMSR 31
#define EXIT_REASON_WRMSR 32
#define EXIT_REASON_ENTRY_FAIL_GUEST_STATE 33
#define EXIT_REASON_ENTRY_FAIL_MSR_LOADING 34
#define EXIT_REASON_ENTRY_FAIL_MACHINE_CHECK 41
#define EXIT_REASON_TPR_BELOW_THRESHOLD 43
#define EXIT_REASON_APIC_ACCESS 44
#define EXIT_REASON_EPT_VIOLATION 48
#define EXIT_REASON_EPT_MISCONFIG 49
#define EXIT_REASON_PREEMPTION_TIMER 52
#define EXIT_REASON_MAX 78 /* one past the highest reason we name */

/* Bit 31 of the exit-reason field: the exit is a VM-entry failure (SDM 25.9.1). */
#define EXIT_REASON_ENTRY_FAILURE (1u << 31)
#define EXIT_REASON_BASIC(r) ((r) & 0xffff)

/* The SDM name of a basic exit reason in UPPER_SNAKE_CASE, or NULL for a number that has none. */
const char *exit_reason_name(uint32_t basic);
/* The basic exit reason with that name, or -1. */
int exit_reason_from_name(const char *name);

#endif
