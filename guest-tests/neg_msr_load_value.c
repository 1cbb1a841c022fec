/*
 * neg_msr_load_value: a VM-entry MSR-load entry whose WRMSR would #GP (IA32_PAT with PA0 = 2, not a
 * memory type) ends the entry with reason 34 and qualification 1 (SDM 27.4, 27.8).
 */
#include "vexit_break.h"

VEXIT_BREAK("msr-load-pat-type2");
EXPECT("stop entry-failed");
EXPECT("field reason=ENTRY_FAIL_MSR_LOADING");
EXPECT("field qual=0x1");
EXPECT("field msr-entry=1");
EXPECT("field msr=0x277");
EXPECT("entry-rule msr_load_value");
EXPECT("asserts 0");

int main(void)
{
	/* Never runs: the entry into this guest must fail. */
	return 1;
}
