/*
 * VM entry and exit. vmx_enter(vcpu, launched) saves the host's callee-saved
 * registers, records RSP as VMCS HOST_RSP, loads the guest GPRs from vcpu->gpr
 * and executes VMLAUNCH or VMRESUME. A VM exit lands in vmx_exit_entry_point
 * (VMCS HOST_RIP) with RSP = HOST_RSP (SDM 28.5.3), which saves the guest GPRs
 * and returns 0 from vmx_enter. If the instruction itself fails, execution
 * falls through and vmx_enter returns 1 (VMfailInvalid) or 2 (VMfailValid).
 */
#define VMCS_HOST_RSP 0x6c14
#define R(n) (8 * n)(%rdi)

	.text
	.globl vmx_enter
vmx_enter:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	push %rdi			/* the vcpu, found again at [HOST_RSP] after an exit */
	mov $VMCS_HOST_RSP, %eax
	vmwrite %rsp, %rax
	jbe .Lfail_early

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
	jmp .Lfail
1:	vmresume
.Lfail:
.Lfail_early:
	/* CF=1: VMfailInvalid; ZF=1: VMfailValid (SDM 31.2). */
	mov $1, %eax
	jc 2f
	mov $2, %eax
2:	pop %rdi
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret

	.globl vmx_exit_entry_point
vmx_exit_entry_point:
	push %rdi			/* guest RDI; the vcpu is now at 8(%rsp) */
	mov 8(%rsp), %rdi
	mov %rax, R(0)
	mov %rcx, R(1)
	mov %rdx, R(2)
	mov %rbx, R(3)
	mov %rbp, R(5)
	mov %rsi, R(6)
	mov %r8, R(8)
	mov %r9, R(9)
	mov %r10, R(10)
	mov %r11, R(11)
	mov %r12, R(12)
	mov %r13, R(13)
	mov %r14, R(14)
	mov %r15, R(15)
	pop %rax
	mov %rax, R(7)
	pop %rdi
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	xor %eax, %eax
	ret
