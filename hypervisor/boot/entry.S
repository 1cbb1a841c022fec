/*
 * Multiboot2 header and the 32-bit entry: GRUB leaves us in 32-bit protected
 * mode with paging off (multiboot2 spec, "I386 machine state"). We build an
 * identity map of the first 4 GiB with 2 MiB pages, turn on long mode
 * (SDM Vol. 3A 10.8.5) and call kmain(magic, mbi) in 64-bit mode.
 */
#define MB2_MAGIC        0xe85250d6
#define MB2_ARCH_I386    0
#define CR0_PG           (1 << 31)
#define CR4_PAE          (1 << 5)
#define MSR_IA32_EFER         0xc0000080
#define EFER_LME         (1 << 8)
#define PTE_P_W          0x3
#define PTE_PS           0x80

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
	mov $boot_stack_top, %esp
	mov %eax, %edi			/* multiboot2 magic: 1st argument of kmain */
	mov %ebx, %esi			/* multiboot2 info address: 2nd argument */

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
