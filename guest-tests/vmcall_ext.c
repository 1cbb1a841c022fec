/*
 * vmcall_ext: the hypercalls beyond the basics: REPORT prints a line from
 * guest memory (one VMCALL, no I/O exit), refuses a line that is too long,
 * EXIT_COUNT reads this VM's counters, and EXIT ends the VM with a status that
 * the harness checks, so nothing after it runs.
 */
#include "cpu.h"
#include "kernel/kstring.h"

EXPECT("stop done");
EXPECT("status 7");
EXPECT("asserts 4");
/* EXIT_COUNT x2, REPORT, the refused REPORT, EXIT. */
EXPECT("exit VMCALL 5");
/* Three report lines go through the debug port; the REPORT line does not. */
EXPECT("exit IO_INSTRUCTION 3");

static const char line[] = "PASS REPORT prints a line from guest memory";

int main(void)
{
	uint64_t io_before = exits_of(REASON_IO);
	uint64_t r = vmcall4(VEXIT_HC_REPORT, (uint64_t)(uintptr_t)line, strlen(line), 0, 0);
	uint64_t io_after = exits_of(REASON_IO);
	report_eq(r, 0, "REPORT returns 0");
	report_eq(io_after - io_before, 0, "REPORT takes no I/O exit");
	report_eq(vmcall4(VEXIT_HC_REPORT, (uint64_t)(uintptr_t)line, 201, 0, 0), VEXIT_HC_EINVAL,
		  "REPORT refuses a line over 200 bytes");
	vmcall4(VEXIT_HC_EXIT, 7, 0, 0, 0);
	guest_printf("FAIL the guest ran on after VEXIT_HC_EXIT");
	return 1;
}
