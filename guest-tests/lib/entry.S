/*
 * Guest entry: the hypervisor starts us in 64-bit mode with RSP at the top of
 * guest memory. main()'s return value is written to the exit port, which ends
 * the VM with that status. If that write ever returns, halt. The general
 * registers and RFLAGS as the hypervisor left them are kept in
 * guest_entry_regs[] first, for tests of the reset state.
 */
#include "include/vexit_abi.h"

	.section .text.entry, "ax"
	.globl _start
_start:
	mov %rax, guest_entry_regs + 8 * 0(%rip)
	mov %rcx, guest_entry_regs + 8 * 1(%rip)
	mov %rdx, guest_entry_regs + 8 * 2(%rip)
	mov %rbx, guest_entry_regs + 8 * 3(%rip)
	mov %rsp, guest_entry_regs + 8 * 4(%rip)
	mov %rbp, guest_entry_regs + 8 * 5(%rip)
	mov %rsi, guest_entry_regs + 8 * 6(%rip)
	mov %rdi, guest_entry_regs + 8 * 7(%rip)
	mov %r8, guest_entry_regs + 8 * 8(%rip)
	mov %r9, guest_entry_regs + 8 * 9(%rip)
	mov %r10, guest_entry_regs + 8 * 10(%rip)
	mov %r11, guest_entry_regs + 8 * 11(%rip)
	mov %r12, guest_entry_regs + 8 * 12(%rip)
	mov %r13, guest_entry_regs + 8 * 13(%rip)
	mov %r14, guest_entry_regs + 8 * 14(%rip)
	mov %r15, guest_entry_regs + 8 * 15(%rip)
	pushfq
	popq guest_entry_regs + 8 * 16(%rip)
	and $-16, %rsp
	call main
	mov $VEXIT_EXIT_PORT, %dx
	out %eax, %dx
1:	hlt
	jmp 1b

	.bss
	.balign 8
	.globl guest_entry_regs
guest_entry_regs:
	.skip 8 * 17
