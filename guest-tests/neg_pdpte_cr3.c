/*
 * neg_pdpte_cr3: a PAE guest without EPT (nor unrestricted guest) whose CR3 points at PDPTEs of which the
 * first is present with reserved bit 1 set: the CPU reads them through CR3 at entry and fails it with
 * reason 33, qualification 2 (SDM 27.3.1.6, 27.8). The PDPTEs are in the breakage's own page.
 */
#include "vexit_break.h"

VEXIT_BREAK("pdpte-reserved-cr3");
EXPECT("stop entry-failed");
EXPECT("field reason=ENTRY_FAIL_GUEST_STATE");
EXPECT("field qual=0x2");
EXPECT("entry-rule guest_pdptes_cr3");
EXPECT("asserts 0");

int main(void)
{
	/* Never runs: the entry into this guest must fail. */
	return 1;
}
