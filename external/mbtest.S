/*
 * mbtest: a small multiboot (v1) kernel that checks, from the inside, what
 * vexit promises an external kernel (docs/external-kernels.md), and reports it
 * as kvm-unit-tests does: `PASS: <what>` / `FAIL: <what>` lines and a
 * `SUMMARY:` line on COM1, then its number of failures to isa-debug-exit.
 * Built three ways (Makefile): ELF32 (mbtest32), ELF64 (mbtest64, which powers
 * off through port 0x604 instead) and a flat binary loaded by its header's
 * a.out-kludge addresses (mbtestflat). Entered as the Multiboot Specification
 * says: 32-bit protected mode, paging off, EAX the magic, EBX the information.
 * It checks the magic, the information (flags, memory sizes for 128 MiB, the
 * memory map, the command line `<name> one two`, the loader's name), the
 * UART as Linux's 8250 probe does
 * (scratch register, loopback), fw_cfg as kvm-unit-tests reads it (signature,
 * CPU count, RAM size), the ACPI tables as a kernel finds them (the RSDP and
 * its checksum, the FADT through the RSDT) and the PM timer at the FADT's
 * port (it counts up), the TSC as one clock through RDTSC and IA32_TSC (read and
 * written, scaled or not), the local APIC's one-shot timer waking STI;HLT through
 * its own GDT and IDT (and its current count read as 0 after), then turns on long mode as a kernel does
 * (PAE, EFER.LME, CR0.PG: EFER.LMA must follow) and reports from 64-bit code.
 */
#define MB_MAGIC 0x1badb002
#if defined(MBTEST_FLAT)
#define MB_FLAGS 0x00010003 /* page-align, memory info, a.out kludge */
#else
#define MB_FLAGS 0x00000003
#endif
#define COM1 0x3f8
#define APIC 0xfee00000 /* the local APIC's page (xAPIC) */
#define LOAD 0x100000

/* puts<sfx> (the NUL-terminated string at ESI/RSI) and putc<sfx> (AL), polling LSR.THRE; assembled
 * once as 32-bit code and once as 64-bit code. */
.macro SERIAL_OUTPUT sfx=
puts\sfx:
	lodsb
	test %al, %al
	jz 1f
	call putc\sfx
	jmp puts\sfx
1:	ret

putc\sfx:
	mov %eax, %ecx
	mov $(COM1 + 5), %dx
1:	in %dx, %al
	test $0x20, %al
	jz 1b
	mov %ecx, %eax
	mov $COM1, %dx
	out %al, %dx
	ret
.endm

	.section .multiboot, "a"
	.code32
	.align 4
mb_header:
	.long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
#if defined(MBTEST_FLAT)
	.long mb_header, LOAD, load_end, bss_end, start /* header, load, load end, bss end, entry */
#endif

	.text
	.code32
	.globl start
start:
	mov $stack_top, %esp
	mov %eax, saved_eax
	mov %ebx, saved_ebx
	call uart_init

	/* The boot loader's magic. */
	cmpl $0x2badb002, saved_eax
	mov $t_magic, %esi
	call report
	/* Information flags: memory, command line, modules, memory map, loader name. */
	mov saved_ebx, %ebx
	mov (%ebx), %eax
	and $0x24d, %eax
	cmp $0x24d, %eax
	mov $t_flags, %esi
	call report
	/* 639 KiB below 1 MiB; 127 MiB above it (the default: 128 MiB). */
	cmpl $639, 4(%ebx)
	mov $t_mem_lower, %esi
	call report
	cmpl $(127 * 1024), 8(%ebx)
	mov $t_mem_upper, %esi
	call report
	/* The memory map: 4 entries of 24 bytes, the last one RAM from 1 MiB to 128 MiB. */
	cmpl $96, 44(%ebx)
	jne 1f
	mov 48(%ebx), %edx
	cmpl $20, 72(%edx)
	jne 1f
	cmpl $0x100000, 76(%edx)
	jne 1f
	cmpl $(127 << 20), 84(%edx)
	jne 1f
	cmpl $1, 92(%edx)
1:	mov $t_mmap, %esi
	call report
	/* The command line: the kernel's name, then its arguments, as GRUB and QEMU pass them. */
	mov 16(%ebx), %esi
	mov $want_cmdline, %edi
	call strcmp
	mov $t_cmdline, %esi
	call report
	mov 64(%ebx), %esi
	mov $want_loader, %edi
	call strcmp
	mov $t_loader, %esi
	call report
	/* One module: the environment the manifest gives (env = MBTEST=1), on a page of its own, named env. */
	cmpl $1, 20(%ebx)
	jne 1f
	mov 24(%ebx), %edx       /* the module list: start, end, string, reserved */
	mov (%edx), %esi
	test $0xfff, %esi
	jnz 1f
	mov 4(%edx), %ecx
	sub %esi, %ecx
	cmp $(want_env_end - want_env), %ecx
	jne 1f
	mov $want_env, %edi
	repe cmpsb
	jne 1f
	mov 8(%edx), %esi
	mov $want_env_string, %edi
	call strcmp
1:	mov $t_mods, %esi
	call report

	/* The UART as Linux's 8250 probe sees it: a scratch register, then loopback with RTS and OUT2. */
	mov $(COM1 + 7), %dx
	mov $0xa5, %al
	out %al, %dx
	in %dx, %al
	cmp $0xa5, %al
	mov $t_scratch, %esi
	call report
	mov $(COM1 + 4), %dx
	mov $0x1a, %al
	out %al, %dx
	mov $(COM1 + 6), %dx
	in %dx, %al
	and $0xf0, %al
	mov %al, %bl
	mov $(COM1 + 4), %dx
	mov $0x03, %al
	out %al, %dx
	cmp $0x90, %bl
	mov $t_loopback, %esi
	call report

	/* fw_cfg: a 16-bit OUT of the key to 0x510, then byte INs from 0x511 (kvm-unit-tests' fwcfg.c). */
	xor %eax, %eax           /* the signature */
	mov $4, %ecx
	call fw_cfg
	cmp $0x554d4551, %eax    /* "QEMU" */
	mov $t_fw_cfg_sig, %esi
	call report
	mov $5, %eax             /* the CPU count */
	mov $2, %ecx
	call fw_cfg
	cmp $1, %eax
	mov $t_fw_cfg_cpus, %esi
	call report
	mov $3, %eax             /* the RAM size: 128 MiB (its high half too: 0) */
	mov $4, %ecx
	call fw_cfg
	mov %eax, %ebx
	mov $4, %ecx
	call fw_cfg_more
	or %eax, %eax
	jnz 1f
	cmp $(128 << 20), %ebx
1:	mov $t_fw_cfg_ram, %esi
	call report

	/* ACPI: the RSDP on a 16-byte boundary in 0xE0000-0xFFFFF, its first 20 bytes summing to 0. */
	mov $0xe0000, %ebx
5:	cmpl $0x20445352, (%ebx)  /* "RSD " */
	jne 6f
	cmpl $0x20525450, 4(%ebx) /* "PTR " */
	je 7f
6:	add $16, %ebx
	cmp $0x100000, %ebx
	jne 5b
	xor %ebx, %ebx
7:	mov %ebx, rsdp
	mov $1, %al              /* not found: as a wrong checksum */
	test %ebx, %ebx
	jz 8f
	xor %eax, %eax
	xor %ecx, %ecx
9:	add (%ebx, %ecx), %al
	inc %ecx
	cmp $20, %ecx
	jne 9b
8:	test %al, %al
	mov $t_rsdp, %esi
	call report
	/* The FADT through the RSDT, and its PM timer block: port 0x608. */
	xor %edx, %edx
	mov rsdp, %ebx
	test %ebx, %ebx
	jz 2f
	mov 16(%ebx), %ebx       /* the RSDT */
	mov 4(%ebx), %ecx        /* its length */
	add %ebx, %ecx
	lea 36(%ebx), %esi
3:	cmp %ecx, %esi
	jae 2f
	mov (%esi), %eax
	add $4, %esi
	cmpl $0x50434146, (%eax) /* "FACP" */
	jne 3b
	mov 76(%eax), %edx       /* PM_TMR_BLK */
2:	mov %edx, pm_timer_port
	cmp $0x608, %edx
	mov $t_fadt, %esi
	call report
	/* The PM timer counts up while the guest runs. */
	mov pm_timer_port, %edx
	in %dx, %eax
	mov %eax, %ebx
	mov $1000, %ecx
4:	loop 4b
	in %dx, %eax
	sub %ebx, %eax
	cmp $0, %eax
	setg %al
	cmp $1, %al
	mov $t_pm_timer, %esi
	call report

	/*
	 * One clock (SDM 26.3, 25.6.5): RDTSC, then RDMSR of IA32_TSC (it exits: vexit emulates it),
	 * then RDTSC again never go backwards, also with the TSC scaled (the manifest scales mbtest64's).
	 */
	rdtsc
	mov %eax, tsc_a
	mov %edx, tsc_a + 4
	mov $0x10, %ecx              /* IA32_TSC */
	rdmsr
	mov %eax, tsc_b
	mov %edx, tsc_b + 4
	rdtsc
	sub tsc_b, %eax              /* the second RDTSC minus the RDMSR: no borrow */
	sbb tsc_b + 4, %edx
	jc 1f
	mov tsc_b, %eax              /* the RDMSR minus the first RDTSC: no borrow */
	mov tsc_b + 4, %edx
	sub tsc_a, %eax
	sbb tsc_a + 4, %edx
	jc 1f
	xor %eax, %eax               /* ZF: pass */
	jmp 2f
1:	or $1, %eax
2:	mov $t_tsc_one_clock, %esi
	call report
	/* WRMSR IA32_TSC sets the clock RDTSC reads: 2^40, and less than 2^24 ticks later, right after. */
	mov $0x10, %ecx
	xor %eax, %eax
	mov $0x100, %edx
	wrmsr
	rdtsc
	sub $0x100, %edx
	jnz 1f
	cmp $0x1000000, %eax
	jae 1f
	xor %eax, %eax
	jmp 2f
1:	or $1, %eax
2:	mov $t_tsc_write, %esi
	call report

	/*
	 * The local APIC's timer wakes a HLT: an IDT with vector 0x40, the APIC software-enabled, a
	 * one-shot count of 100000 (divide by 1) on vector 0x40, then STI; HLT. The interrupt comes,
	 * the handler counts it and writes EOI, and the kernel goes on past the HLT. Firmware leaves the
	 * PIT's IRQ0 open at the 8259 and LINT0 in ExtINT mode (its vector 0x08 would reach this IDT):
	 * the kernel masks every PIC input first, as a kernel that uses the APIC does.
	 */
	lgdt gdt_desc
	ljmp $0x18, $1f
1:	mov $apic_timer_isr, %eax
	mov %ax, idt + 0x40 * 8
	movw $0x18, idt + 0x40 * 8 + 2
	movw $0x8e00, idt + 0x40 * 8 + 4 /* present, DPL 0, 32-bit interrupt gate */
	shr $16, %eax
	mov %ax, idt + 0x40 * 8 + 6
	lidt idt_desc
	mov $0xff, %al
	out %al, $0x21               /* OCW1: the master's inputs all masked */
	out %al, $0xa1               /* and the slave's */
	movl $0x1ff, APIC + 0xf0     /* SVR: enabled, spurious vector 0xff */
	movl $0xb, APIC + 0x3e0      /* divide by 1 */
	movl $0x40, APIC + 0x320     /* LVT timer: one-shot, vector 0x40, unmasked */
	movl $100000, APIC + 0x380   /* initial count: it starts */
	sti
	hlt
	cli
	cmpl $1, apic_timer_count
	mov $t_apic_hlt, %esi
	call report
	/* Its current count (an APIC-access exit the hypervisor decodes) reads 0 once the one-shot fired. */
	mov APIC + 0x390, %eax
	test %eax, %eax
	mov $t_apic_tmcct, %esi
	call report

	/* Long mode: identity-map 1 GiB with 2 MiB pages, PAE, EFER.LME, then CR0.PG. */
	mov $pdpt, %eax
	or $3, %eax
	mov %eax, pml4
	mov $pd, %eax
	or $3, %eax
	mov %eax, pdpt
	xor %ecx, %ecx
2:	mov %ecx, %eax
	shl $21, %eax
	or $0x83, %eax
	mov %eax, pd(, %ecx, 8)
	inc %ecx
	cmp $512, %ecx
	jne 2b
	mov $pml4, %eax
	mov %eax, %cr3
	mov %cr4, %eax
	or $0x20, %eax
	mov %eax, %cr4
	mov $0xc0000080, %ecx
	rdmsr
	or $0x100, %eax
	wrmsr
	mov %cr0, %eax
	or $0x80000000, %eax
	mov %eax, %cr0
	lgdt gdt_desc
	ljmp $0x08, $long_mode

	.code64
long_mode:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %ss
	mov $0xc0000080, %ecx
	rdmsr
	test $0x400, %eax        /* EFER.LMA, which the CPU sets when paging turns on with LME */
	setnz %al
	mov $t_long_mode, %rsi
	call report64
	/* Past 64 MiB too: guest memory reaches 128 MiB. */
	movl $0x5a5a5a5a, 0x7fffff0
	cmpl $0x5a5a5a5a, 0x7fffff0
	sete %al
	mov $t_high_memory, %rsi
	call report64

	mov $summary, %rsi
	call puts64
	mov failures, %eax
	call putdec64
	mov $summary_end, %rsi
	call puts64
	/* Wait for the transmitter to drain, as a real kernel must before it ends the machine. */
	mov $(COM1 + 5), %dx
3:	in %dx, %al
	test $0x40, %al
	jz 3b
#if defined(MBTEST_POWER_OFF)
	mov $0x604, %dx
	mov $0x2000, %ax
	out %ax, %dx
#else
	mov failures, %eax
	out %al, $0xf4
#endif
	cli
4:	hlt
	jmp 4b

/* 64-bit: report(AL != 0, RSI = name). */
report64:
	test %al, %al
	jnz 1f
	incl failures
	push %rsi
	mov $fail_word, %rsi
	call puts64
	pop %rsi
	jmp 2f
1:	push %rsi
	mov $pass_word, %rsi
	call puts64
	pop %rsi
2:	call puts64
	mov $'\n', %al
	jmp putc64

	SERIAL_OUTPUT 64

/* EAX in decimal (< 100). */
putdec64:
	mov $10, %cl
	div %cl
	test %al, %al
	jz 1f
	push %rax
	add $'0', %al
	call putc64
	pop %rax
1:	mov %ah, %al
	add $'0', %al
	jmp putc64

	.code32
apic_timer_isr:
	incl apic_timer_count
	movl $0, APIC + 0xb0         /* EOI */
	iret

/* report: ZF set means the check held; ESI names it. */
report:
	jz 1f
	incl failures
	push %esi
	mov $fail_word, %esi
	call puts
	pop %esi
	jmp 2f
1:	push %esi
	mov $pass_word, %esi
	call puts
	pop %esi
2:	call puts
	mov $'\n', %al
	jmp putc

	SERIAL_OUTPUT

/* strcmp of ESI and EDI: ZF set when equal. */
strcmp:
	lodsb
	mov (%edi), %ah
	inc %edi
	cmp %ah, %al
	jne 1f
	test %al, %al
	jnz strcmp
1:	ret

/* fw_cfg: select key AX, then ECX (1-4) bytes of it into EAX, low byte first; fw_cfg_more: the
 * next ECX bytes of the item already selected. */
fw_cfg:
	mov $0x510, %dx
	out %ax, %dx
fw_cfg_more:
	mov $0x511, %dx
	push %ebx
	xor %ebx, %ebx
	mov %ecx, %eax
	shl $3, %eax
	push %eax                /* 8 * ECX: the shift that leaves the last byte read at the top */
1:	in %dx, %al
	shrd $8, %eax, %ebx
	loop 1b
	pop %ecx
	neg %ecx
	add $32, %ecx
	mov %ebx, %eax
	shr %cl, %eax
	pop %ebx
	ret

/* 115200 8N1, FIFOs on, no interrupts. */
uart_init:
	mov $(COM1 + 1), %dx
	xor %al, %al
	out %al, %dx
	mov $(COM1 + 3), %dx
	mov $0x80, %al
	out %al, %dx
	mov $COM1, %dx
	mov $1, %al
	out %al, %dx
	mov $(COM1 + 1), %dx
	xor %al, %al
	out %al, %dx
	mov $(COM1 + 3), %dx
	mov $0x03, %al
	out %al, %dx
	mov $(COM1 + 2), %dx
	mov $0x07, %al
	out %al, %dx
	mov $(COM1 + 4), %dx
	mov $0x03, %al
	out %al, %dx
	ret

	.data
	.align 8
gdt:
	.quad 0
	.quad 0x00af9b000000ffff /* 64-bit code */
	.quad 0x00cf93000000ffff /* data */
	.quad 0x00cf9b000000ffff /* 32-bit code, for the interrupt gate below (the loader's GDTR is the kernel's to set) */
gdt_desc:
	.word gdt_desc - gdt - 1
	.long gdt
saved_eax: .long 0
saved_ebx: .long 0
failures: .long 0
rsdp: .long 0
pm_timer_port: .long 0
tsc_a: .quad 0
tsc_b: .quad 0
want_cmdline: .asciz MBTEST_CMDLINE
want_loader: .asciz "vexit"
want_env: .ascii "MBTEST=1\n"
want_env_end:
want_env_string: .asciz "env"
pass_word: .asciz "PASS: "
fail_word: .asciz "FAIL: "
summary: .asciz "SUMMARY: 22 tests, "
summary_end: .asciz " unexpected failures\n"
t_magic: .asciz "EAX holds the multiboot boot loader magic"
t_flags: .asciz "boot information: memory, command line, modules, memory map, loader name"
t_mem_lower: .asciz "mem_lower is 639 KiB"
t_mem_upper: .asciz "mem_upper is 127 MiB (128 MiB of guest memory)"
t_mmap: .asciz "memory map: 4 entries, RAM from 1 MiB to 128 MiB last"
t_cmdline: .asciz "command line: the kernel's name, then its arguments"
t_loader: .asciz "boot loader name"
t_mods: .asciz "one module, page-aligned: the environment MBTEST=1, its string env"
t_scratch: .asciz "UART scratch register"
t_loopback: .asciz "UART loopback: RTS and OUT2 come back as CTS and DCD"
t_fw_cfg_sig: .asciz "fw_cfg signature: QEMU"
t_fw_cfg_cpus: .asciz "fw_cfg CPU count: 1"
t_fw_cfg_ram: .asciz "fw_cfg RAM size: 128 MiB"
t_rsdp: .asciz "ACPI RSDP found in the BIOS area, checksum 0"
t_fadt: .asciz "ACPI FADT through the RSDT: PM timer at port 0x608"
t_pm_timer: .asciz "ACPI PM timer counts up"
t_tsc_one_clock: .asciz "RDTSC, RDMSR IA32_TSC, RDTSC: one clock, never backwards"
t_tsc_write: .asciz "WRMSR IA32_TSC 2^40: RDTSC reads on from it"
t_apic_hlt: .asciz "STI; HLT waits for the local APIC timer's one-shot interrupt, which comes once"
t_apic_tmcct: .asciz "the APIC timer's current count reads 0 after a one-shot"
apic_timer_count: .long 0
idt_desc: .word 0x41 * 8 - 1
	.long idt
t_long_mode: .asciz "CR0.PG with EFER.LME and CR4.PAE activates IA-32e mode (EFER.LMA)"
t_high_memory: .asciz "memory at 128 MiB - 16 is RAM"

	.bss
	.align 8
idt:	.skip 0x41 * 8 /* vectors 0-0x40: only 0x40 is filled in */
	.align 4096
pml4: .skip 4096
pdpt: .skip 4096
pd: .skip 4096
stack: .skip 4096
stack_top:
