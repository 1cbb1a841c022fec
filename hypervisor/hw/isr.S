/*
 * Exception entry stubs for vectors 0-31. Each pushes a dummy error code when
 * the CPU does not push one (SDM Vol. 3A 7.13), then the vector, then all GPRs,
 * and calls exception_report(frame), which never returns. Vector 32 is the
 * local-APIC timer's (hw/apic.h): it only signals the end of the interrupt.
 *
 * One fault is expected, never reported: the #UD of the VMREAD probe
 * (hw/vmx_insn.c, vmread_raises_ud), which resumes after the VMREAD with RAX=1.
 */
#include "include/x86_arch.h"

#define FRAME_RAX	(14 * 8)
#define FRAME_VECTOR	(15 * 8)
#define FRAME_RIP	(17 * 8)

	.text
.macro ISR_NOERR v
isr_\v:
	pushq $0
	pushq $\v
	jmp isr_common
.endm
.macro ISR_ERR v
isr_\v:
	pushq $\v
	jmp isr_common
.endm

ISR_NOERR 0
ISR_NOERR 1
ISR_NOERR 2
ISR_NOERR 3
ISR_NOERR 4
ISR_NOERR 5
ISR_NOERR 6
ISR_NOERR 7
ISR_ERR 8
ISR_NOERR 9
ISR_ERR 10
ISR_ERR 11
ISR_ERR 12
ISR_ERR 13
ISR_ERR 14
ISR_NOERR 15
ISR_NOERR 16
ISR_ERR 17
ISR_NOERR 18
ISR_NOERR 19
ISR_NOERR 20
ISR_ERR 21
ISR_NOERR 22
ISR_NOERR 23
ISR_NOERR 24
ISR_NOERR 25
ISR_NOERR 26
ISR_NOERR 27
ISR_NOERR 28
ISR_ERR 29
ISR_ERR 30
ISR_NOERR 31

isr_common:
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
	cmpq $VECTOR_UD, FRAME_VECTOR(%rsp)
	jne 2f
	lea vmread_probe(%rip), %rax
	cmp %rax, FRAME_RIP(%rsp)
	jne 2f
	lea vmread_probe_resume(%rip), %rax
	mov %rax, FRAME_RIP(%rsp)
	movq $1, FRAME_RAX(%rsp)
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
	add $16, %rsp			/* the vector and the error code */
	iretq
2:	mov %rsp, %rdi
	and $-16, %rsp
	call exception_report
1:	cli
	hlt
	jmp 1b

/* The watchdog's timer fired while the host ran (hw/apic.c, apic_timer_stop): nothing to do but EOI. */
isr_32:
	push %rax
	push %rcx
	push %rdx
	cmpb $0, apic_x2apic_mode(%rip)
	jne 1f
	mov apic_eoi_register(%rip), %rax
	movl $0, (%rax)
	jmp 2f
1:	mov $0x80b, %ecx		/* the x2APIC EOI MSR (SDM Vol. 3A table 11-6) */
	xor %eax, %eax
	xor %edx, %edx
	wrmsr
2:	pop %rdx
	pop %rcx
	pop %rax
	iretq

	.section .rodata
	.balign 8
	.globl isr_stub_table
isr_stub_table:
.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32
	.quad isr_\v
.endr
