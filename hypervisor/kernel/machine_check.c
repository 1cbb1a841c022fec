#include "kernel/machine_check.h"

#include <stdint.h>

#include "hw/cpu.h"
#include "include/x86_arch.h"
#include "kernel/console.h"

#define CPUID1_EDX_MCE (1u << 7)
#define CPUID1_EDX_MCA (1u << 14)
#define MCG_CAP_COUNT(c) ((unsigned)((c) & 0xff))
#define MCI_STATUS_VAL (1ull << 63)
#define MCI_STATUS_MISCV (1ull << 59)
#define MCI_STATUS_ADDRV (1ull << 58)

static uint32_t cpuid1_edx(void)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	return r[3];
}

bool machine_check_enable(void)
{
	if (!(cpuid1_edx() & CPUID1_EDX_MCE))
		return false;
	write_cr4(read_cr4() | CR4_MCE);
	return true;
}

void machine_check_report(void)
{
	if (!(cpuid1_edx() & CPUID1_EDX_MCA)) {
		kprintf("  machine check: this CPU has no machine-check MSRs (CPUID.1:EDX.MCA is 0)\n");
		return;
	}
	unsigned banks = MCG_CAP_COUNT(rdmsr(MSR_IA32_MCG_CAP));
	kprintf("  machine check: IA32_MCG_STATUS=0x%lx, %u banks\n", rdmsr(MSR_IA32_MCG_STATUS), banks);
	for (unsigned i = 0; i < banks; i++) {
		uint32_t base = i * MSR_MC_BANK_STRIDE;
		uint64_t status = rdmsr(MSR_IA32_MC0_STATUS + base);
		if (!(status & MCI_STATUS_VAL))
			continue;
		kprintf("  machine check: bank %u IA32_MC%u_STATUS=0x%lx", i, i, status);
		if (status & MCI_STATUS_ADDRV)
			kprintf(" ADDR=0x%lx", rdmsr(MSR_IA32_MC0_ADDR + base));
		if (status & MCI_STATUS_MISCV)
			kprintf(" MISC=0x%lx", rdmsr(MSR_IA32_MC0_MISC + base));
		kprintf("\n");
	}
}
