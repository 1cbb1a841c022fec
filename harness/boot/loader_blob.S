/* The direct-boot loader's flat binary (boot_sector.S, built by the Makefile), linked into the harness. */
	.section .rodata
	.globl direct_boot_loader, direct_boot_loader_end
	.balign 16
direct_boot_loader:
	.incbin LOADER_BIN
direct_boot_loader_end:
	.section .note.GNU-stack, "", @progbits
