/*
 * Exception entry stubs for guests that install their own IDT (fault.c).
 * Each stub makes the frame uniform (a 0 error code where the CPU pushes
 * none, then the vector), saves the caller-saved registers and calls
 * fault_handler(frame), which may redirect the saved RIP before IRETQ.
 * In 64-bit mode the CPU aligns RSP to 16 before pushing its 5-word frame,
 * so after 2 + 9 pushes the call below is 16-byte aligned.
 */
	.macro STUB vec, has_error
fault_stub_\vec:
	.if \has_error == 0
	push $0
	.endif
	push $\vec
	jmp fault_common
	.endm

	.text
	STUB 0, 0
	STUB 1, 0
	STUB 2, 0
	STUB 3, 0
	STUB 4, 0
	STUB 5, 0
	STUB 6, 0
	STUB 7, 0
	STUB 8, 1
	STUB 9, 0
	STUB 10, 1
	STUB 11, 1
	STUB 12, 1
	STUB 13, 1
	STUB 14, 1
	STUB 15, 0
	STUB 16, 0
	STUB 17, 1
	STUB 18, 0
	STUB 19, 0
	STUB 20, 0
	STUB 21, 1

fault_common:
	push %rax
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %r8
	push %r9
	push %r10
	push %r11
	lea 72(%rsp), %rdi
	cld /* the C ABI wants DF clear, and the fault may come in the middle of an STD ... CLD */
	call fault_handler
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rax
	add $16, %rsp
	iretq

	.section .rodata
	.globl fault_stubs
	.balign 8
fault_stubs:
	.irp vec, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21
	.quad fault_stub_\vec
	.endr
