/*
 * Guest entry: the hypervisor starts us in 64-bit mode with RSP at the top of
 * guest memory. main()'s return value is written to the exit port, which ends
 * the VM with that status. If that write ever returns, halt.
 */
#include "include/vexit_abi.h"

	.section .text.entry, "ax"
	.globl _start
_start:
	and $-16, %rsp
	call main
	mov $VEXIT_EXIT_PORT, %dx
	out %eax, %dx
1:	hlt
	jmp 1b
