/* vmcall: the hypercall ABI (include/vexit_abi.h): number in RAX, arguments in RBX, RCX, RDX, RSI, result in RAX. */
#include "vexit_guest.h"

EXPECT("stop done");
EXPECT("asserts 5");
EXPECT("exit VMCALL 5");
EXPECT("exit IO_INSTRUCTION 6"); /* five report lines and the exit-port OUT */

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

int main(void)
{
	report_eq(vmcall0(VEXIT_HC_VERSION), VEXIT_ABI_VERSION, "VERSION returns the ABI version");
	report_eq(vmcall4(VEXIT_HC_CHECKSUM, 1, 10, 100, 1000), 1 + 20 + 300 + 4000,
		  "CHECKSUM sees its four arguments in order");
	report_eq(vmcall0(0xdead), VEXIT_HC_ENOSYS, "an unknown hypercall returns -ENOSYS");
	report(registers_survive_vmcall(), "registers other than RAX survive a VMCALL");
	/* This is the fifth VMCALL; the count includes it. */
	report_eq(vmcall4(VEXIT_HC_EXIT_COUNT, 18 /* VMCALL */, 0, 0, 0), 5, "EXIT_COUNT counts this VM's VMCALLs");
	return 0;
}
