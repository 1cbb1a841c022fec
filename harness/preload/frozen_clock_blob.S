/* The frozen-clock shared object (frozen_clock.c, built by the Makefile), linked into the harness. */
	.section .rodata
	.globl frozen_clock_so, frozen_clock_so_end
	.balign 16
frozen_clock_so:
	.incbin FROZEN_CLOCK_SO
frozen_clock_so_end:
	.section .note.GNU-stack, "", @progbits
