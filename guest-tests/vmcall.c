/* vmcall: the hypercall ABI (include/vexit_abi.h): number in RAX, arguments in RBX, RCX, RDX, RSI, result in RAX. */
#include "cpu.h"
#include "vexit_guest.h"

EXPECT("stop done");
EXPECT("asserts 9");
EXPECT("exit VMCALL 18");
EXPECT("exit RDMSR 2");
EXPECT("exit IO_INSTRUCTION 10"); /* nine report lines and the exit-port OUT */

static bool registers_survive_vmcall(void)
{
	/* Every register but RAX comes back unchanged. */
	uint64_t b = 0x1111, c = 0x2222, d = 0x3333, s = 0x4444, di = 0x5555;
	uint64_t r8v = 0x8888, r15v = 0xffff;
	register uint64_t r8 __asm__("r8") = r8v;
	register uint64_t r15 __asm__("r15") = r15v;
	uint64_t a = VEXIT_HC_VERSION;
	__asm__ volatile("vmcall" : "+a"(a), "+b"(b), "+c"(c), "+d"(d), "+S"(s), "+D"(di), "+r"(r8), "+r"(r15)
			 :
			 : "memory");
	return b == 0x1111 && c == 0x2222 && d == 0x3333 && s == 0x4444 && di == 0x5555 && r8 == r8v &&
	       r15 == r15v && a == VEXIT_ABI_VERSION;
}

/*
 * VERSION, the null hypercall, is answered by the exit stub itself (hw/vmx_entry.h) unless
 * the VMCALL is in an STI or MOV-SS shadow (then C answers it, and ends the shadow):
 * both ways must answer alike.
 */
static uint64_t version_in_sti_shadow(void)
{
	uint64_t a = VEXIT_HC_VERSION, flags;
	__asm__ volatile("pushfq; pop %1; cli; sti; vmcall; push %1; popfq" : "+a"(a), "=&r"(flags) : : "memory", "cc");
	return a;
}

static uint64_t version_in_mov_ss_shadow(void)
{
	uint64_t a = VEXIT_HC_VERSION, ss;
	__asm__ volatile("mov %%ss, %1; mov %1, %%ss; vmcall" : "+a"(a), "=&r"(ss) : : "memory");
	return a;
}

int main(void)
{
	report_eq(vmcall0(VEXIT_HC_VERSION), VEXIT_ABI_VERSION, "VERSION returns the ABI version");
	report_eq(vmcall4(VEXIT_HC_CHECKSUM, 1, 10, 100, 1000), 1 + 20 + 300 + 4000,
		  "CHECKSUM sees its four arguments in order");
	report_eq(vmcall0(0xdead), VEXIT_HC_ENOSYS, "an unknown hypercall returns -ENOSYS");
	report(registers_survive_vmcall(), "registers other than RAX survive a VMCALL");
	/* This is the fifth VMCALL; the count includes it. */
	report_eq(vmcall4(VEXIT_HC_EXIT_COUNT, 18 /* VMCALL */, 0, 0, 0), 5, "EXIT_COUNT counts this VM's VMCALLs");
	report_eq(version_in_sti_shadow(), VEXIT_ABI_VERSION, "VERSION in an STI shadow");
	report_eq(version_in_mov_ss_shadow(), VEXIT_ABI_VERSION, "VERSION in a MOV-SS shadow");
	/* The exits the stub answers are counted as every other: in the total and per reason. */
	uint64_t before = rdmsr(VEXIT_MSR_EXITS);
	for (int i = 0; i < 10; i++)
		(void)vmcall0(VEXIT_HC_VERSION);
	report_eq(rdmsr(VEXIT_MSR_EXITS) - before, 11, "ten VERSIONs are ten exits (and the RDMSR)");
	report_eq(exits_of(REASON_VMCALL), 18, "EXIT_COUNT counts the VERSIONs too");
	return 0;
}
