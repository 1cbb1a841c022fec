/*
 * neg_guest_rip: a non-canonical RIP in a 64-bit guest must fail the entry (SDM 27.3.1.4), and vexit
 * names guest_rip. Bochs 2.7 enters anyway, and the guest's first fetch faults (#GP with no IDT: a triple
 * fault). The guest expects what Bochs does; vexit's verdict is the after-break one. docs/debugging.md,
 * "Where Bochs and the SDM differ".
 */
#include "vexit_break.h"

VEXIT_BREAK("rip-noncanonical");
EXPECT("stop triple-fault");
EXPECT("entry-rule guest_rip bochs=entered");
EXPECT("asserts 0");

int main(void)
{
	/* Never runs: its RIP is not canonical. */
	return 1;
}
