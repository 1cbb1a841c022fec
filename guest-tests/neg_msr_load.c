/*
 * neg_msr_load: a VM-entry MSR-load area whose second entry is IA32_FS_BASE, which
 * an MSR-load area cannot load, ends the entry with reason 34 and qualification 2
 * (SDM 27.4, 27.8); the stop line names the entry and the MSR.
 */
#include "vexit_break.h"

VEXIT_BREAK("msr-load-fs-base");
EXPECT("stop entry-failed");
EXPECT("field reason=ENTRY_FAIL_MSR_LOADING");
EXPECT("field qual=0x2");
EXPECT("field msr-entry=2");
EXPECT("field msr=0xc0000100");
EXPECT("entry-rule msr_load_entry");
EXPECT("asserts 0");

int main(void)
{
	/* Never runs: the entry into this guest must fail. */
	return 1;
}
