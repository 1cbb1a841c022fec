/*
 * The direct-boot loader: a multiboot2 loader in three sectors, so that test runs
 * in Bochs need not pay for BIOS-loaded GRUB (about 1.2 s of every boot, most of a
 * shard's fixed cost; docs/direct-boot.md). The harness writes the disk it boots
 * (harness/lib/direct_boot.c, layout in direct_boot_abi.h); the product image is
 * still the GRUB ISO, and `vexit-run --iso` boots that. The BIOS loads the first
 * sector, which reads the others.
 *
 * In real mode, with BIOS services: check for the INT 13h extensions, turn A20
 * on (and check), read the boot information to DIRECT_BOOT_MBI_ADDR and the
 * memory image through a bounce buffer to 1 MiB (the copy runs
 * in "unreal" mode: DS/ES keep a 4 GiB limit after a brief trip to protected
 * mode), append the BIOS e820 memory map as the multiboot2 memory-map tag, then
 * enter 32-bit protected mode and jump to the kernel as the multiboot2 spec
 * says: EAX = 0x36d76289, EBX = the boot information, flat segments, paging off,
 * interrupts off. A failure is reported on COM1 as a protocol panic line
 * (docs/protocol.md), then the machine stops.
 */
#include "direct_boot_abi.h"

#define MB2_LOADER_MAGIC 0x36d76289
#define MB2_TAG_MMAP     6
#define E820_SMAP        0x534d4150
#define COM1             0x3f8
#define LSR_THR_EMPTY    0x20
#define LSR_TX_EMPTY     0x40

	.code16
	.text
	.globl _start
_start:
	jmp bpb_end
	nop
	/*
	 * Where a FAT boot sector keeps its BIOS parameter block: some BIOSes (USB
	 * floppy emulation) rewrite these bytes, so no code or data lives here.
	 */
	.org 0x3e
bpb_end:
	ljmp $0, $start			/* some BIOSes enter at 07c0:0000 */
start:
	cli
	xor %ax, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov $0x7c00, %sp
	sti
	cld
	mov %dl, drive

	/* Every read below is INT 13h AH=42h: the BIOS must have the extensions (AH=41h). */
	mov $0x41, %ah
	mov $0x55aa, %bx
	mov drive, %dl
	int $0x13
	jc fail_ext
	cmp $0xaa55, %bx
	jne fail_ext
	test $1, %cx			/* packet-structure access (AH=42h) */
	jz fail_ext

	/* The rest of this loader, to 0x7e00, right after its first sector. */
	movl $1, dap_lba
	mov $(DIRECT_BOOT_LOADER_SECTORS - 1), %cx
	movw $0x07e0, dap_seg
	call bios_read
	jmp stage2

/* Read CX sectors (at most DIRECT_BOOT_CHUNK) at dap_lba to dap_seg:0 (INT 13h AH=42h). CX is kept. */
bios_read:
	mov %cx, dap_count
	push %cx
	mov $dap, %si
	mov drive, %dl
	mov $0x42, %ah
	int $0x13
	pop %cx
	jc fail_read
	cmp dap_count, %cx		/* some BIOSes write back how many they read */
	jne fail_read
	ret

	.balign 4
dap:
	.byte 16, 0
dap_count:	.word 0
		.word 0			/* buffer offset */
dap_seg:	.word 0
dap_lba:	.quad 0
drive:		.byte 0

fail_ext:
	mov $msg_ext, %si
	jmp fail
fail_read:
	mov $msg_read, %si
fail:
	/* COM1 at 115200 baud, 8 data bits (the reset state has 5, which would cut every byte). */
	mov $(COM1 + 3), %dx
	mov $0x83, %al			/* divisor latch on */
	out %al, %dx
	mov $COM1, %dx
	mov $1, %al			/* divisor 1, low byte */
	out %al, %dx
	inc %dx
	dec %al				/* high byte 0 */
	out %al, %dx
	mov $(COM1 + 3), %dx
	mov $3, %al			/* 8N1, divisor latch off */
	out %al, %dx
fail_char:
	lodsb
	test %al, %al
	jz stop
	mov %al, %bl
	mov $(COM1 + 5), %dx
1:	in %dx, %al
	test $LSR_THR_EMPTY, %al
	jz 1b
	mov $COM1, %dx
	mov %bl, %al
	out %al, %dx
	jmp fail_char
stop:
	/* Let the last byte leave the UART (LSR: transmitter empty), or it is lost at the shutdown. */
	mov $(COM1 + 5), %dx
1:	in %dx, %al
	test $LSR_TX_EMPTY, %al
	jz 1b
	/* Bochs's shutdown port ends the run now; elsewhere it does nothing and we halt. */
	mov $msg_shutdown, %si
	mov $0x8900, %dx
1:	lodsb
	test %al, %al
	jz 2f
	out %al, %dx
	jmp 1b
2:	cli
	hlt
	jmp 2b

msg_ext:	.asciz "\nVEXIT panic direct boot: the BIOS has no INT 13h extensions\n"
msg_read:	.asciz "\nVEXIT panic direct boot: BIOS disk read (INT 13h AH=42h) failed\n"
msg_shutdown:	.asciz "Shutdown"


	/* Nothing from here to the signature: it is where a partition table would be. */
	.org 510
	.word 0xaa55

/* Sector 1 on: the parameters, which the harness patches (direct_boot_abi.h), then the rest. */
	.org DIRECT_BOOT_PARAMS
p_magic:	.long DIRECT_BOOT_MAGIC
p_entry:	.long 0
p_image_lba:	.long 0
p_image_sects:	.long 0
p_image_dest:	.long 0
p_mbi_sects:	.word 0

stage2:
	/* A20 on: ask the BIOS (INT 15h AX=2401h), then the system control port, then check. */
	call a20_on
	jz 1f
	mov $0x2401, %ax
	int $0x15
	call a20_on
	jz 1f
	in $0x92, %al
	or $2, %al
	and $0xfe, %al
	out %al, $0x92
	call a20_on
	jnz fail_a20
1:

	/* The boot information: the sectors after this loader, to 0:DIRECT_BOOT_MBI_ADDR, in one read. */
	movl $DIRECT_BOOT_LOADER_SECTORS, dap_lba
	movw p_mbi_sects, %cx
	movw $(DIRECT_BOOT_MBI_ADDR >> 4), dap_seg
	call bios_read

	/* The memory image, a chunk at a time: disk -> bounce buffer -> destination above 1 MiB. */
	movl p_image_lba, %eax
	movl %eax, dap_lba
	movw $DIRECT_BOOT_BOUNCE_SEG, dap_seg
load_next:
	movl p_image_sects, %ecx
	test %ecx, %ecx
	jz loaded
	cmp $DIRECT_BOOT_CHUNK, %ecx
	jbe 1f
	mov $DIRECT_BOOT_CHUNK, %ecx
1:	call bios_read
	movzwl %cx, %ecx
	sub %ecx, p_image_sects
	add %ecx, dap_lba
	shl $7, %ecx			/* sectors -> dwords */
	call unreal			/* and interrupts off: no BIOS handler sees the 32-bit registers */
	movl $(DIRECT_BOOT_BOUNCE_SEG << 4), %esi
	movl p_image_dest, %edi
	cld
	addr32 rep movsl
	sti
	movl %edi, p_image_dest
	jmp load_next
loaded:

	/* The memory-map tag, after the harness's tags (total_size says where they end). */
	movw DIRECT_BOOT_MBI_ADDR, %di
	add $DIRECT_BOOT_MBI_ADDR, %di
	mov %di, %bp
	movl $MB2_TAG_MMAP, (%di)
	movl $24, 8(%di)		/* entry size */
	movl $0, 12(%di)		/* entry version */
	add $16, %di
	xor %ebx, %ebx
	mov $DIRECT_BOOT_MMAP_MAX, %si
e820_next:
	/* Each entry lands in the same buffer (some BIOSes expect that), then moves to the tag. */
	push %di
	mov $e820_buf, %di
	movl $1, 20(%di)		/* ACPI 3.0 attributes: "valid", if the BIOS writes only 20 bytes */
	mov $0xe820, %eax
	mov $E820_SMAP, %edx
	mov $24, %ecx
	int $0x15
	pop %di
	jc e820_done
	cmp $E820_SMAP, %eax
	jne e820_done
	push %si
	mov $e820_buf, %si
	mov $20, %cx
	cld
	rep movsb			/* base, length, type */
	pop %si
	movl $0, (%di)			/* multiboot2: reserved, zero */
	add $4, %di
	dec %si
	jz e820_done
	test %ebx, %ebx
	jnz e820_next
e820_done:
	mov %di, %ax
	sub %bp, %ax
	cmp $16, %ax
	je fail_e820
	movzwl %ax, %eax
	movl %eax, 4(%bp)		/* the tag's size */
	movl $0, (%di)			/* end tag: type 0, flags 0, size 8 */
	movl $8, 4(%di)
	add $8, %di
	sub $DIRECT_BOOT_MBI_ADDR, %di
	movzwl %di, %eax
	movl %eax, DIRECT_BOOT_MBI_ADDR	/* total_size */

	/* 32-bit protected mode, flat segments, and the kernel. */
	cli
	lgdtl gdt_desc
	mov %cr0, %eax
	or $1, %al
	mov %eax, %cr0
	ljmpl $0x08, $protected
	.code32
protected:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %fs
	mov %ax, %gs
	mov %ax, %ss
	mov $MB2_LOADER_MAGIC, %eax
	mov $DIRECT_BOOT_MBI_ADDR, %ebx
	jmp *p_entry
	.code16

/* DS and ES: base 0, limit 4 GiB, back in real mode; returns with interrupts off. */
unreal:
	cli
	lgdtl gdt_desc
	mov %cr0, %eax
	or $1, %al
	mov %eax, %cr0
	jmp 1f
1:	mov $0x10, %bx
	mov %bx, %ds
	mov %bx, %es
	and $0xfe, %al
	mov %eax, %cr0
	jmp 2f
2:	xor %bx, %bx
	mov %bx, %ds
	mov %bx, %es
	ret

/*
 * ZF set when A20 is on: with it off, 0xffff:0x510 wraps to 0:0x500. Both words
 * are written, the first is read back, and both are restored.
 */
a20_on:
	push %ds
	push %es
	xor %ax, %ax
	mov %ax, %ds
	not %ax
	mov %ax, %es
	movw 0x500, %bx
	movw %es:0x510, %cx
	movw $0x1234, 0x500
	movw $0x4321, %es:0x510
	cmpw $0x1234, 0x500		/* still ours: no wrap */
	movw %bx, 0x500
	movw %cx, %es:0x510
	pop %es
	pop %ds
	ret

fail_a20:
	mov $msg_a20, %si
	jmp fail
fail_e820:
	mov $msg_e820, %si
	jmp fail

msg_a20:	.asciz "\nVEXIT panic direct boot: A20 stays off\n"
msg_e820:	.asciz "\nVEXIT panic direct boot: the BIOS gave no e820 memory map\n"

	.balign 8
gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* 0x08: code, 32-bit, flat */
	.quad 0x00cf92000000ffff	/* 0x10: data, flat */
gdt_desc:
	.word gdt_desc - gdt - 1
	.long gdt

	.balign 4
e820_buf:	.fill 24

	.org DIRECT_BOOT_LOADER_SECTORS * DIRECT_BOOT_SECTOR
