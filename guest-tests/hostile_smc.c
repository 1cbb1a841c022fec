/*
 * hostile_smc: self-modifying code across exits. The guest runs a code buffer,
 * rewrites it between runs (an OUT, then a CPUID, then a VMCALL), and finally
 * has the hypervisor itself write into the code it is about to run: a REP INSW
 * from the test device's latch that overwrites the instructions right after it.
 * The hypervisor never decodes guest instructions (the exit's information and
 * length fields say what ran), so each run does what its bytes say at that time.
 */
#include "cpu.h"
#include "vmx/exit_reason.h"

EXPECT("stop done");
EXPECT("asserts 4");
EXPECT("exit CPUID 1");

static uint8_t code[64] __attribute__((aligned(64)));

static uint64_t run(void)
{
	uint64_t rax = 0;
	__asm__ volatile("call *%1" : "+a"(rax) : "r"(code) : "rbx", "rcx", "rdx", "rsi", "rdi", "memory");
	return rax;
}

static void put(const uint8_t *bytes, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		code[i] = bytes[i];
}

int main(void)
{
	uint64_t before = vmcall4(VEXIT_HC_EXIT_COUNT, EXIT_REASON_IO_INSTRUCTION, 0, 0, 0);
	static const uint8_t out80[] = { 0xe6, 0x80, 0xc3 };          /* out %al, $0x80; ret */
	put(out80, sizeof(out80));
	run();
	report_eq(vmcall4(VEXIT_HC_EXIT_COUNT, EXIT_REASON_IO_INSTRUCTION, 0, 0, 0) - before, 1, "the OUT ran and exited");
	static const uint8_t cpuid0[] = { 0x31, 0xc0, 0x0f, 0xa2, 0xc3 }; /* xor %eax,%eax; cpuid; ret */
	put(cpuid0, sizeof(cpuid0));
	report(run() != 0, "the rewritten code ran CPUID");
	static const uint8_t version[] = { 0x31, 0xc0, 0x0f, 0x01, 0xc1, 0xc3 }; /* xor %eax,%eax; vmcall; ret */
	put(version, sizeof(version));
	report_eq(run(), VEXIT_ABI_VERSION, "the rewritten code made a hypercall");
	/*
	 * mov $0x5000,%dx; lea 8(%rip),%rdi; mov $1,%ecx; rep insw; then 2 bytes the INSW overwrites:
	 * the latch holds 0xc3c3 (ret; ret); before the write they are ud2.
	 */
	outl(0x5000, 0xc3c3);
	static const uint8_t patch[] = { 0x66, 0xba, 0x00, 0x50, 0x48, 0x8d, 0x3d, 0x08, 0x00, 0x00, 0x00,
					 0xb9, 0x01, 0x00, 0x00, 0x00, 0x66, 0xf3, 0x6d, 0x0f, 0x0b };
	put(patch, sizeof(patch));
	run();
	report_eq(code[19], 0xc3, "the hypervisor's INSW rewrote the code it returned to");
	return 0;
}
