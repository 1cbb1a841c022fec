/*
 * hostile_hc_args: the bitmap hypercalls asked to hand a malicious kernel the
 * ports and MSRs that would reach the host: the PC's reset ports (keyboard
 * controller 0x64, reset control 0xCF9, fast A20/reset 0x92), Bochs's shutdown
 * port 0x8900, the host's own COM1 (0x3F8), the IDE disk the kernel came from
 * (0x1F0), EFER, LSTAR, the VMX and feature-control MSRs; ranges that overflow;
 * unknown numbers. Each answers EPERM, EINVAL or ENOSYS, and every one of those
 * ports and MSRs still exits afterwards (counted).
 */
#include "cpu.h"
#include "fault.h"

EXPECT("stop done");
EXPECT("asserts 26");
/* 23 refused hypercalls, 2 IO_UNCLAIMED reads. */
EXPECT("exit VMCALL 25");
EXPECT("exit RDMSR 2");

static const uint16_t host_ports[] = { 0x64, 0xcf9, 0x92, 0x8900, 0x3f8, 0x1f0, 0x70, 0xe9, 0xf4 };

int main(void)
{
	fault_init();
	const uint64_t eperm = VEXIT_HC_EPERM, einval = VEXIT_HC_EINVAL;
	for (unsigned i = 0; i < sizeof(host_ports) / sizeof(host_ports[0]); i++)
		report_eq(vmcall4(VEXIT_HC_IO_BITMAP, host_ports[i], 1, 0, 0), eperm, "pass a host port: EPERM");
	report_eq(vmcall4(VEXIT_HC_IO_BITMAP, 0, 0x10000, 0, 0), eperm, "pass every port: EPERM");
	report_eq(vmcall4(VEXIT_HC_IO_BITMAP, 0xffff, 2, 0, 0), einval, "a range past 0xFFFF: EINVAL");
	report_eq(vmcall4(VEXIT_HC_IO_BITMAP, 0x80, ~0ull, 0, 0), einval, "a count of 2^64-1: EINVAL");
	report_eq(vmcall4(VEXIT_HC_IO_BITMAP, 1ull << 32, 1, 0, 0), einval, "port 2^32: EINVAL");
	report_eq(vmcall4(VEXIT_HC_MSR_BITMAP, MSR_IA32_EFER, VEXIT_MSR_WRITE, 0, 0), eperm, "pass EFER: EPERM");
	report_eq(vmcall4(VEXIT_HC_MSR_BITMAP, 0xc0000082, VEXIT_MSR_WRITE, 0, 0), eperm, "pass LSTAR: EPERM");
	report_eq(vmcall4(VEXIT_HC_MSR_BITMAP, 0x3a, VEXIT_MSR_WRITE, 0, 0), eperm, "pass FEATURE_CONTROL: EPERM");
	report_eq(vmcall4(VEXIT_HC_MSR_BITMAP, 0x480, VEXIT_MSR_READ, 0, 0), eperm, "pass VMX_BASIC: EPERM");
	report_eq(vmcall4(VEXIT_HC_MSR_BITMAP, MSR_IA32_FS_BASE, 0, 0, 0), einval, "access mask 0: EINVAL");
	report_eq(vmcall4(VEXIT_HC_MSR_BITMAP, MSR_IA32_FS_BASE, ~0ull, 0, 0), einval, "access mask ~0: EINVAL");
	report_eq(vmcall4(VEXIT_HC_MSR_BITMAP, 1ull << 32, VEXIT_MSR_READ, 1, 0), einval, "MSR 2^32: EINVAL");
	report_eq(vmcall4(VEXIT_HC_COUNT, 0, 0, 0, 0), (uint64_t)VEXIT_HC_ENOSYS, "hypercall COUNT: ENOSYS");
	report_eq(vmcall4(~0ull, 0, 0, 0, 0), (uint64_t)VEXIT_HC_ENOSYS, "hypercall 2^64-1: ENOSYS");
	report_eq(vmcall4(1ull << 32, 0, 0, 0, 0), (uint64_t)VEXIT_HC_ENOSYS, "hypercall 2^32 (not 0): ENOSYS");

	/* Every port above still traps: reads of the unclaimed ones are counted, none reached hardware. */
	uint64_t before = vmcall0(VEXIT_HC_IO_UNCLAIMED);
	for (unsigned i = 0; i < 7; i++)
		(void)inb(host_ports[i]);
	report_eq(vmcall0(VEXIT_HC_IO_UNCLAIMED) - before, 7, "the 7 host ports still trap and reach no device");
	uint64_t v;
	report_eq(try_rdmsr(0x480, &v), 13, "VMX_BASIC still #GP");
	report_eq(try_rdmsr(0x3a, &v), 13, "FEATURE_CONTROL still #GP");
	return 0;
}
