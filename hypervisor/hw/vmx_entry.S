/*
 * VM entry and exit (hw/vmx_entry.h). The exit path stays on the host stack
 * frame vmx_run built: HOST_RSP points at it, so an exit pushes the guest GPRs
 * there as a frame, calls on_exit(frame, ctx) and, unless told to leave, pops
 * them and VMRESUMEs. Nothing else per exit: the host's callee-saved registers
 * are saved once per vmx_run, and C code preserves them (SysV ABI).
 *
 * The stack, from HOST_RSP up:  [gpr] [on_exit] [ctx] [r15 r14 r13 r12 rbx rbp] [return]
 * After an exit, below HOST_RSP: the frame, frame[i] = the GPR of encoding i.
 * SDM Vol. 3C 28.5.3: an exit loads RSP from HOST_RSP and RIP from HOST_RIP;
 * 31.2: a failed VMLAUNCH/VMRESUME sets CF (VMfailInvalid) or ZF (VMfailValid)
 * and falls through.
 */
#include "include/vmcs_fields.h"

#define R(n) (8 * n)(%rdi)
#define FRAME_SIZE (16 * 8)
#define GPR 0      /* offsets from HOST_RSP */
#define ON_EXIT 8
#define CTX 16

	.text
	.globl vmx_run
	.type vmx_run, @function
/* int vmx_run(uint64_t *gpr, int launched, vmx_exit_fn on_exit, void *ctx) */
vmx_run:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	push %rcx			/* ctx */
	push %rdx			/* on_exit */
	push %rdi			/* gpr; nine slots keep RSP 16-byte aligned at the exit path's call */
	mov $VMCS_HOST_RSP, %eax
	vmwrite %rsp, %rax
	jbe .Lfailed

	test %esi, %esi
	mov R(0), %rax
	mov R(1), %rcx
	mov R(2), %rdx
	mov R(3), %rbx
	mov R(5), %rbp
	mov R(6), %rsi
	mov R(8), %r8
	mov R(9), %r9
	mov R(10), %r10
	mov R(11), %r11
	mov R(12), %r12
	mov R(13), %r13
	mov R(14), %r14
	mov R(15), %r15
	mov R(7), %rdi			/* last: it was the base (MOV does not touch ZF from TEST) */
	jnz 1f
	vmlaunch
	jmp .Lfailed
1:	vmresume
	jmp .Lfailed

	.size vmx_run, . - vmx_run

	.globl vmx_exit_entry_point
	.type vmx_exit_entry_point, @function
vmx_exit_entry_point:
	push %r15
	push %r14
	push %r13
	push %r12
	push %r11
	push %r10
	push %r9
	push %r8
	push %rdi
	push %rsi
	push %rbp
	push $0				/* frame[4]: RSP lives in the VMCS */
	push %rbx
	push %rdx
	push %rcx
	push %rax
	mov %rsp, %rdi
	mov FRAME_SIZE + CTX(%rsp), %rsi
	call *FRAME_SIZE + ON_EXIT(%rsp)
	test %eax, %eax
	jz .Lleave
	pop %rax
	pop %rcx
	pop %rdx
	pop %rbx
	add $8, %rsp
	pop %rbp
	pop %rsi
	pop %rdi
	pop %r8
	pop %r9
	pop %r10
	pop %r11
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	vmresume
	/*
	 * VMRESUME failed; RSP is HOST_RSP again and the frame still lies below it:
	 * keep the registers the handler left, in gpr[], for the caller.
	 */
	mov $1, %eax
	jc 1f
	mov $2, %eax
1:	lea -FRAME_SIZE(%rsp), %rsi
	mov GPR(%rsp), %rdi
	mov $16, %ecx
	cld
	rep movsq
	jmp .Lreturn
.Lfailed:
	mov $1, %eax			/* CF=1: VMfailInvalid; else ZF=1: VMfailValid */
	jc .Lreturn
	mov $2, %eax
	jmp .Lreturn
.Lleave:
	add $FRAME_SIZE, %rsp
	xor %eax, %eax
.Lreturn:
	add $24, %rsp			/* gpr, on_exit, ctx */
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret
	.size vmx_exit_entry_point, . - vmx_exit_entry_point
