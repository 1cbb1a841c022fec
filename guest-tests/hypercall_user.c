/*
 * hypercall_user: hypercalls are the guest kernel's (docs/guest-abi.md,
 * "Hypercalls"), and so are the ports. The guest loads its own GDT (user code
 * and data of DPL 3; the TSS the VM starts with, its RSP0 now a kernel stack),
 * an IDT with a DPL-3 gate at 0x80, lets user mode into its one page, and drops
 * to CPL 3 with IRETQ. There it makes every hypercall, with arguments that
 * would succeed at CPL 0, keeping each RAX, and writes to the debug and exit
 * ports, which raise #GP before any VM exit (IOPL 0, and the TSS has no I/O
 * permission bitmap); INT 0x80 brings it back to CPL 0. Each hypercall
 * answered EPERM and changed nothing: the VM did not end (EXIT with status 42),
 * break (BREAK_STATE) or print (REPORT of a FAIL line); port 0xED and FS_BASE
 * still exit; CR3 loads still do not; the trace the kernel turns on afterwards
 * holds only its own exit.
 */
#include "cpu.h"
#include "fault.h"

EXPECT("stop done");
EXPECT("status 0");
EXPECT("asserts 24");
/* 14 from CPL 3; at CPL 0: 12 EXIT_COUNTs, VERSION, TRACE on and off. */
EXPECT("exit VMCALL 29");
/* 24 report lines, the OUT to port 0xED, the exit port; none from CPL 3. */
EXPECT("exit IO_INSTRUCTION 26");
EXPECT("exit RDMSR 1");
EXPECT("exit WRMSR 1");
EXPECT("exit CR_ACCESS 0");
/* The kernel's own trace: one CPUID, so the CPL-3 TRACE left it off. */
EXPECT("exit CPUID 1");
EXPECT("trace 0 CPUID 0x0");
EXPECT("field traced=1");

#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA 0x1b /* 0x18 | RPL 3 */
#define SEL_UCODE 0x23 /* 0x20 | RPL 3 */
#define SEL_TSS 0x28
#define USER_VECTOR 0x80
#define PTE_US (1ull << 2)
#define PTE_ADDR 0x000ffffffffff000ull
#define XSTR(x) STR(x)
#define STR(x) #x

static uint64_t gdt[7] __attribute__((aligned(16))) = {
	0,
	0x00af9b000000ffffull, /* 0x08: 64-bit code, DPL 0 (as the hypervisor's GDT) */
	0x00cf93000000ffffull, /* 0x10: data, DPL 0 */
	0x00cff3000000ffffull, /* 0x18: data, DPL 3 */
	0x00affb000000ffffull, /* 0x20: 64-bit code, DPL 3 */
	/* 0x28: the TSS (16 bytes), written by load_tables */
};
static uint8_t kernel_stack[4096] __attribute__((aligned(16)));
static uint8_t user_stack[4096] __attribute__((aligned(16)));
uint64_t kernel_rsp; /* run_user's stack, for user_return */

/*
 * run_user(fn, stack) calls fn at CPL 3 on stack and returns when fn does: the
 * trampoline's INT 0x80 enters user_return at CPL 0 (on RSP0), which drops that
 * frame and returns from run_user with its callee-saved registers. RFLAGS at
 * CPL 3 is 0x2: IOPL 0, interrupts off.
 */
void run_user(void (*fn)(void), void *stack);
void user_return(void);
__asm__(".text\n"
	".globl run_user\n"
	"run_user:\n\t"
	"push %rbx\n\tpush %rbp\n\tpush %r12\n\tpush %r13\n\tpush %r14\n\tpush %r15\n\t"
	"mov %rsp, kernel_rsp(%rip)\n\t"
	"pushq $" XSTR(SEL_UDATA) "\n\t" /* SS */
	"pushq %rsi\n\t"                 /* RSP */
	"pushq $0x2\n\t"                 /* RFLAGS */
	"pushq $" XSTR(SEL_UCODE) "\n\t" /* CS */
	"lea user_trampoline(%rip), %rax\n\t"
	"pushq %rax\n\t" /* RIP */
	"iretq\n"
	"user_trampoline:\n\t"
	"call *%rdi\n\t"
	"int $" XSTR(USER_VECTOR) "\n\t"
	"ud2\n"
	".globl user_return\n"
	"user_return:\n\t"
	"mov kernel_rsp(%rip), %rsp\n\t"
	"pop %r15\n\tpop %r14\n\tpop %r13\n\tpop %r12\n\tpop %rbp\n\tpop %rbx\n\t"
	"ret\n");

struct pseudo_descriptor {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/*
 * This guest's GDT: the kernel's selectors keep their values, user mode gets its own, and the TSS
 * is the one the VM starts with (TR's descriptor copied, made available again for LTR), with RSP0
 * now pointing at a kernel stack. Its I/O map base is the hypervisor's: user-mode I/O faults only
 * if that grants no port.
 */
static void load_tables(void)
{
	struct pseudo_descriptor now, gdtr = { sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt };
	uint16_t tr;
	__asm__ volatile("sgdt %0\n\tstr %1" : "=m"(now), "=r"(tr));
	const volatile uint64_t *old = (const volatile uint64_t *)(uintptr_t)now.base;
	uint64_t lo = old[tr / 8], hi = old[tr / 8 + 1];
	gdt[SEL_TSS / 8] = lo & ~DESC_TSS_BUSY;
	gdt[SEL_TSS / 8 + 1] = hi;
	/* The base is spread over the descriptor (SDM Vol. 3A 9.2.3). */
	uint64_t tss = (lo >> 16 & 0xffffff) | (lo >> 56 & 0xff) << 24 | hi << 32;
	uint64_t rsp0 = (uint64_t)(uintptr_t)(kernel_stack + sizeof(kernel_stack));
	*(volatile uint64_t *)(uintptr_t)(tss + TSS64_RSP0) = rsp0;
	__asm__ volatile("lgdt %0\n\t"
			 "pushq $" XSTR(SEL_KCODE) "\n\t"
			 "lea 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1: mov $" XSTR(SEL_KDATA) ", %%eax\n\t"
			 "mov %%eax, %%ds\n\t"
			 "mov %%eax, %%es\n\t"
			 "mov %%eax, %%ss\n\t"
			 "ltr %w1"
			 :
			 : "m"(gdtr), "r"((uint16_t)SEL_TSS)
			 : "rax", "memory");
}

/* Set U/S along the walk to the one 2 MiB page (PML4, PDPT, PD entry 0), then reload CR3 (no exit). */
static void let_user_in(void)
{
	uint64_t cr3 = read_cr3();
	volatile uint64_t *e = (volatile uint64_t *)(uintptr_t)(cr3 & PTE_ADDR);
	for (int level = 0; level < 3; level++) {
		*e |= PTE_US;
		e = (volatile uint64_t *)(uintptr_t)(*e & PTE_ADDR);
	}
	write_cr3(cr3);
}

/* What user mode asks for, indexed by hypercall number; each would succeed at CPL 0. */
struct attempt {
	uint64_t args[4];
	const char *what;
};
static const char fail_line[] = "FAIL REPORT from CPL 3 printed this line";
static const char break_name[] = "rflags-bit1-clear";
_Static_assert(VEXIT_HC_COUNT == 13, "a new hypercall needs its attempt from CPL 3 below");
static const struct attempt attempts[VEXIT_HC_COUNT + 1] = {
	[VEXIT_HC_VERSION] = { { 0 }, "VERSION from CPL 3: EPERM" },
	[VEXIT_HC_EXIT_COUNT] = { { REASON_VMCALL }, "EXIT_COUNT from CPL 3: EPERM" },
	[VEXIT_HC_CHECKSUM] = { { 1, 2, 3, 4 }, "CHECKSUM from CPL 3: EPERM" },
	[VEXIT_HC_EXIT] = { { 42 }, "EXIT with status 42 from CPL 3: EPERM, and the VM runs on" },
	[VEXIT_HC_REPORT] = { { (uint64_t)(uintptr_t)fail_line, sizeof(fail_line) - 1 },
			      "REPORT of a FAIL line from CPL 3: EPERM, nothing printed" },
	[VEXIT_HC_IO_BITMAP] = { { VEXIT_IO_DELAY_PORT, 1, 0 }, "IO_BITMAP passing port 0xED from CPL 3: EPERM" },
	[VEXIT_HC_MSR_BITMAP] = { { MSR_IA32_FS_BASE, VEXIT_MSR_READ | VEXIT_MSR_WRITE, 0 },
				  "MSR_BITMAP passing FS_BASE from CPL 3: EPERM" },
	[VEXIT_HC_CR3_EXITING] = { { 1 }, "CR3_EXITING on from CPL 3: EPERM" },
	[VEXIT_HC_TRACE] = { { 1 }, "TRACE on from CPL 3: EPERM" },
	[VEXIT_HC_IO_UNCLAIMED] = { { 0 }, "IO_UNCLAIMED from CPL 3: EPERM" },
	[VEXIT_HC_BREAK_STATE] = { { (uint64_t)(uintptr_t)break_name },
				   "BREAK_STATE rflags-bit1-clear from CPL 3: EPERM, nothing broken" },
	[VEXIT_HC_VMCS_DUMP] = { { 0 }, "VMCS_DUMP from CPL 3: EPERM" },
	[VEXIT_HC_DEMAND_PAGE] = { { 0x200000 }, "DEMAND_PAGE from CPL 3: EPERM" },
	[VEXIT_HC_COUNT] = { { 0 }, "an unknown hypercall from CPL 3: EPERM, not ENOSYS" },
};
#define N_ATTEMPTS (sizeof(attempts) / sizeof(attempts[0]))

static uint64_t results[N_ATTEMPTS];
static uint64_t user_cs;
static int debug_port_fault, exit_port_fault;

/* Runs at CPL 3: no I/O, no output; everything it learns goes to memory. */
static void user_main(void)
{
	__asm__ volatile("mov %%cs, %0" : "=r"(user_cs));
	for (uint64_t nr = 0; nr < N_ATTEMPTS; nr++) {
		const uint64_t *a = attempts[nr].args;
		results[nr] = vmcall4(nr, a[0], a[1], a[2], a[3]);
	}
	debug_port_fault = FAULT_TRY("outb %%al, %%dx", : : "a"('!'), "d"(VEXIT_DEBUG_PORT) : "memory");
	exit_port_fault = FAULT_TRY("outl %%eax, %%dx", : : "a"(42), "d"(VEXIT_EXIT_PORT) : "memory");
}

int main(void)
{
	fault_init();
	fault_set_gate(USER_VECTOR, user_return, 3);
	load_tables();
	let_user_in();

	uint64_t io = exits_of(REASON_IO);
	uint64_t vmcalls = exits_of(REASON_VMCALL);
	run_user(user_main, user_stack + sizeof(user_stack));
	uint64_t vmcalls_after = exits_of(REASON_VMCALL);
	uint64_t io_after = exits_of(REASON_IO);

	/* Back at CPL 0 with SS null, as after any interrupt from user mode (SDM Vol. 3A 7.14.2). */
	report_eq(vmcall0(VEXIT_HC_VERSION), VEXIT_ABI_VERSION, "back at CPL 0 (SS null), hypercalls are served");
	report_eq(user_cs, SEL_UCODE, "user_main ran at CPL 3");
	for (unsigned i = 0; i < N_ATTEMPTS; i++)
		report_eq(results[i], VEXIT_HC_EPERM, attempts[i].what);
	/* + 1: the EXIT_COUNT that reads it. */
	report_eq(vmcalls_after - vmcalls, N_ATTEMPTS + 1, "each VMCALL from CPL 3 was one exit");
	report_eq(io_after - io, 0, "the ports from CPL 3 took no I/O exit");
	report_eq(debug_port_fault, VECTOR_GP, "OUT to the debug port from CPL 3 (IOPL 0, no I/O bitmap in the TSS): #GP");
	report_eq(exit_port_fault, VECTOR_GP, "OUT to the exit port from CPL 3: #GP, and the VM runs on");

	uint64_t before = exits_of(REASON_IO);
	outb(VEXIT_IO_DELAY_PORT, 0);
	report_eq(exits_of(REASON_IO) - before, 1, "port 0xED still exits");
	before = exits_of(REASON_RDMSR);
	uint64_t fs_base = rdmsr(MSR_IA32_FS_BASE);
	report_eq(exits_of(REASON_RDMSR) - before, 1, "RDMSR of FS_BASE still exits");
	before = exits_of(REASON_WRMSR);
	wrmsr(MSR_IA32_FS_BASE, fs_base);
	report_eq(exits_of(REASON_WRMSR) - before, 1, "WRMSR of FS_BASE still exits");
	before = exits_of(REASON_CR_ACCESS);
	write_cr3(read_cr3());
	report_eq(exits_of(REASON_CR_ACCESS) - before, 0, "MOV to CR3 still takes no exit");

	/* The trace is off: turned on now, it holds exactly the CPUID (EXPECT above). */
	uint32_t r[4];
	vmcall4(VEXIT_HC_TRACE, 1, 0, 0, 0);
	cpuid(0, 0, r);
	vmcall4(VEXIT_HC_TRACE, 0, 0, 0, 0);
	return 0;
}
