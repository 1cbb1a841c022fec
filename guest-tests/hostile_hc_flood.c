/*
 * hostile_hc_flood: 3000 hypercalls in a row, cycling through the ones that
 * change the VM (the exit trace on and off, a passed port intercepted again, CR3
 * exiting on and off) and unknown numbers. The hypervisor keeps count of every
 * one and the VM's state ends as the guest last set it.
 */
#include "cpu.h"
#include "vmx/exit_reason.h"

EXPECT("stop done");
EXPECT("asserts 3");
/* 3000 in the loop, then EXIT_COUNT. */
EXPECT("exit VMCALL 3001");
EXPECT("exit CR_ACCESS 0");
EXPECT("cost 2");

#define ROUNDS 500

int main(void)
{
	uint64_t bad = 0;
	for (unsigned i = 0; i < ROUNDS; i++) {
		bad |= vmcall4(VEXIT_HC_TRACE, 1, 0, 0, 0);
		bad |= vmcall4(VEXIT_HC_TRACE, 0, 0, 0, 0);
		bad |= vmcall4(VEXIT_HC_IO_BITMAP, 0xed, 1, i & 1, 0); /* 0xED: passable (I/O delay) */
		bad |= vmcall4(VEXIT_HC_CR3_EXITING, i & 1, 0, 0, 0);
		bad |= vmcall4(VEXIT_HC_CR3_EXITING, 0, 0, 0, 0);
		bad |= vmcall4(VEXIT_HC_COUNT + i, 0, 0, 0, 0) != (uint64_t)VEXIT_HC_ENOSYS;
	}
	report_eq(bad, 0, "3000 hypercalls answered as documented");
	report_eq(vmcall4(VEXIT_HC_EXIT_COUNT, EXIT_REASON_VMCALL, 0, 0, 0), 3001, "every one counted");
	/* The last round intercepted port 0xED again (i odd) and turned CR3 exiting off: no exit. */
	write_cr3(read_cr3());
	report(true, "CR3 load after the flood does not exit");
	return 0;
}
