/*
 * Multiboot2 header and the 32-bit entry: GRUB leaves us in 32-bit protected
 * mode with paging off (multiboot2 spec, "I386 machine state"). We build an
 * identity map of the first 4 GiB with 2 MiB pages, turn on long mode
 * (SDM Vol. 3A 10.8.5) and call kmain(magic, mbi) in 64-bit mode.
 *
 * Two things are checked first, because past them the CPU would fault with
 * nobody to say why: that we run where we are linked (1 MiB: the kernel is not
 * relocatable, and a multiboot2 loader puts an ELF kernel at its physical
 * addresses unless the header asks otherwise), and that the CPU has long mode.
 * Either failure is a protocol panic on COM1 (and port 0xE9), printed here in
 * 32-bit code, then the run ends as power_off ends it (kernel/power.c): the Bochs
 * shutdown port, else ACPI soft-off by the same C built for 32 bits
 * (boot/early_power.c), else a line saying why not, and halt.
 */
#include "include/vexit_protocol.h"

#define STR_(x)          #x
#define STR(x)           STR_(x)
#define MB2_MAGIC        0xe85250d6
#define MB2_ARCH_I386    0
#define CR0_PG           (1 << 31)
#define CR4_PAE          (1 << 5)
#define MSR_IA32_EFER         0xc0000080
#define EFER_LME         (1 << 8)
#define PTE_P_W          0x3
#define PTE_PS           0x80
#define CPUID_EXT_MAX    0x80000000
#define CPUID_EXT_FEATURES 0x80000001
#define CPUID_EDX_LM     (1 << 29)
/* The 16550 at COM1 and the Bochs ports, as kernel/console.c and kernel/power.c use them. */
#define COM1             0x3f8
#define UART_LSR_THRE    0x20
#define UART_LSR_TEMT    0x40
#define UART_POLL_LIMIT  100000
#define DEBUG_PORT       0xe9
#define BOCHS_SHUTDOWN_PORT 0x8900

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* end tag */
	.word 0, 0
	.long 8
mb2_header_end:

	.section .text.boot, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	mov %eax, %edi			/* multiboot2 magic: 1st argument of kmain */
	mov %ebx, %esi			/* multiboot2 info address: 2nd argument */

	/*
	 * Where are we? EBP = run address - link address, by a CALL to the next
	 * instruction (32-bit code has no RIP-relative addressing). Loaded elsewhere,
	 * the stack at its link address is just some RAM we write a few words to
	 * before we stop; the message is found at its run address (EBP added).
	 */
	mov $boot_stack_top, %esp
	call 1f
1:	pop %ebp
	sub $1b, %ebp
	jnz wrong_load_address

	/* Long mode: CPUID.80000001H:EDX.LM[bit 29] (SDM Vol. 3A 10.8.5). */
	mov $CPUID_EXT_MAX, %eax
	cpuid
	cmp $CPUID_EXT_FEATURES, %eax
	jb no_long_mode
	mov $CPUID_EXT_FEATURES, %eax
	cpuid
	test $CPUID_EDX_LM, %edx
	jz no_long_mode

	/* PML4[0] -> PDPT; PDPT[0..3] -> four page directories of 2 MiB pages. */
	mov $boot_pdpt, %eax
	or $PTE_P_W, %eax
	mov %eax, boot_pml4
	mov $boot_pd, %eax
	or $PTE_P_W, %eax
	xor %ecx, %ecx
1:	mov %eax, boot_pdpt(,%ecx,8)
	add $4096, %eax
	inc %ecx
	cmp $4, %ecx
	jne 1b
	/* 2048 PDEs map 0..4 GiB; the high dword of each is already 0 (bss). */
	xor %ecx, %ecx
	mov $(PTE_P_W | PTE_PS), %eax
2:	mov %eax, boot_pd(,%ecx,8)
	add $0x200000, %eax
	inc %ecx
	cmp $2048, %ecx
	jne 2b

	mov $boot_pml4, %eax
	mov %eax, %cr3
	mov %cr4, %eax
	or $CR4_PAE, %eax
	mov %eax, %cr4
	mov $MSR_IA32_EFER, %ecx
	rdmsr
	or $EFER_LME, %eax
	wrmsr
	mov %cr0, %eax
	or $CR0_PG, %eax
	mov %eax, %cr0

	lgdt boot_gdt_desc
	ljmp $0x08, $long_mode

wrong_load_address:
	mov $msg_load_address, %eax
	jmp early_panic
no_long_mode:
	mov $msg_no_long_mode, %eax
	/* fall through */

/*
 * Print the NUL-terminated line at EAX + EBP on COM1 (115200 8N1, as
 * console_init sets it) and on port 0xE9 when it reads back 0xE9 (Bochs), after
 * the protocol's first line; then end the run as power_off does: the Bochs
 * shutdown port when 0xE9 answered, else ACPI soft-off, else halt. BL: whether
 * COM1 answers, BH: whether 0xE9 does. EDI and ESI still hold the loader's
 * magic and boot information.
 */
early_panic:
	lea boot_stack_top(%ebp), %esp	/* our own stack, wherever we were loaded */
	push %esi			/* early_power_off(magic, mbi), at the end */
	push %edi
	mov %eax, %esi
	mov $COM1 + 1, %dx		/* IER: no interrupts */
	xor %al, %al
	outb %al, %dx
	mov $COM1 + 3, %dx		/* LCR: DLAB, divisor 1, then 8N1 */
	mov $0x80, %al
	outb %al, %dx
	mov $COM1, %dx
	mov $1, %al
	outb %al, %dx
	inc %dx
	xor %al, %al
	outb %al, %dx
	mov $COM1 + 3, %dx
	mov $0x03, %al
	outb %al, %dx
	mov $COM1 + 2, %dx		/* FCR: FIFOs on */
	mov $0xc7, %al
	outb %al, %dx
	mov $COM1 + 4, %dx		/* MCR: DTR, RTS */
	mov $0x03, %al
	outb %al, %dx
	mov $COM1 + 5, %dx
	inb %dx, %al
	cmp $0xff, %al			/* no UART answers 0xff on its status register */
	setne %bl
	mov $DEBUG_PORT, %dx
	inb %dx, %al
	cmp $DEBUG_PORT, %al
	sete %bh
	push %esi
	lea msg_protocol(%ebp), %esi
	call early_puts
	pop %esi
	add %ebp, %esi
	call early_puts
	/* Let the last byte leave the UART before the run ends (kernel/console.c: console_drain). */
	mov $COM1 + 5, %dx
	mov $UART_POLL_LIMIT, %ecx
2:	test %bl, %bl
	jz 3f
	inb %dx, %al
	test $UART_LSR_TEMT, %al
	jnz 3f
	loop 2b
3:	test %bh, %bh
	jz 5f
	mov $BOCHS_SHUTDOWN_PORT, %dx
	lea msg_shutdown(%ebp), %esi
4:	lodsb
	test %al, %al
	jz 5f
	outb %al, %dx
	jmp 4b
	/* ACPI soft-off (boot/early_power.c; it keeps EBX and EBP); it returns why not. */
5:	lea early_power_off(%ebp), %eax
	call *%eax
	test %eax, %eax
	jz 8f
	push %eax
	lea msg_no_acpi(%ebp), %esi
	call early_puts
	pop %esi
	call early_puts
	lea msg_halting(%ebp), %esi
	call early_puts
8:	cli
	hlt
	jmp 8b

/* ESI: a NUL-terminated string; BL, BH: as early_panic says. Clobbers EAX, ECX, EDX, ESI. */
early_puts:
	lodsb
	test %al, %al
	jz 9f
	mov %al, %ah
	test %bl, %bl
	jz 7f
	mov $COM1 + 5, %dx		/* bounded wait for THR empty: a dead UART must not hang us */
	mov $UART_POLL_LIMIT, %ecx
6:	inb %dx, %al
	test $UART_LSR_THRE, %al
	jnz 61f
	loop 6b
61:	mov $COM1, %dx
	mov %ah, %al
	outb %al, %dx
7:	test %bh, %bh
	jz early_puts
	mov $DEBUG_PORT, %dx
	mov %ah, %al
	outb %al, %dx
	jmp early_puts
9:	ret

/* The 32-bit power-off blob (boot/early_power.c, built by the Makefile): its entry is its first byte. */
	.balign 16
early_power_off:
	.incbin EARLY_POWER_BIN

	.code64
long_mode:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	xor %ax, %ax
	mov %ax, %fs
	mov %ax, %gs
	mov $boot_stack_top, %rsp
	call kmain
3:	cli
	hlt
	jmp 3b

	.section .rodata
msg_protocol:
	.asciz "VEXIT protocol " STR(VEXIT_PROTOCOL_VERSION) "\n"
msg_no_long_mode:
	.asciz "VEXIT panic this CPU has no long mode (CPUID.80000001H:EDX.LM[bit 29] is 0): vexit is a 64-bit hypervisor\n"
msg_load_address:
	.asciz "VEXIT panic the kernel is linked to run at 1 MiB (0x100000) and was loaded elsewhere: load it at its ELF physical addresses\n"
msg_shutdown:
	.asciz "Shutdown"
/* power_off's line (kernel/power.c) when ACPI cannot turn the machine off. */
msg_no_acpi:
	.asciz "vexit: no ACPI power-off ("
msg_halting:
	.asciz "): halting\n"
	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
boot_gdt_desc:
	.word boot_gdt_desc - boot_gdt - 1
	.quad boot_gdt

	.section .bss
	.balign 4096
boot_pml4:	.skip 4096
boot_pdpt:	.skip 4096
boot_pd:	.skip 4 * 4096
	.globl boot_stack_top
boot_stack:	.skip 32768
boot_stack_top:
