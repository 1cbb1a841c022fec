/*
 * neg_pdpte_ept: the guest made a PAE guest (no IA-32e mode, IA32_EFER.LMA and LME clear) whose
 * GUEST_PDPTR0 is present with reserved bit 1 set. With EPT the PDPTEs come from the VMCS and the entry
 * fails with reason 33, qualification 2 (SDM 27.3.1.6, 27.8).
 */
#include "vexit_break.h"

VEXIT_BREAK("pdpte-reserved-ept");
EXPECT("stop entry-failed");
EXPECT("field reason=ENTRY_FAIL_GUEST_STATE");
EXPECT("field qual=0x2");
EXPECT("entry-rule guest_pdptes");
EXPECT("asserts 0");

int main(void)
{
	/* Never runs: the entry into this guest must fail. */
	return 1;
}
