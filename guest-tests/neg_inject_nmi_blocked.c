/*
 * neg_inject_nmi_blocked: with virtual NMIs, injecting an NMI under blocking by NMI must fail the entry
 * (SDM 27.3.1.5), and vexit names guest_injection_blocking. Bochs 2.7's check is commented out: it
 * enters and delivers the NMI, which finds no IDT (a triple fault). The guest expects what Bochs does;
 * docs/debugging.md, "Where Bochs and the SDM differ".
 */
#include "vexit_break.h"

VEXIT_BREAK("inject-nmi-under-nmi-blocking");
EXPECT("stop triple-fault");
EXPECT("entry-rule guest_injection_blocking bochs=entered");
EXPECT("asserts 0");

int main(void)
{
	/* Never runs: the injected NMI comes first. */
	return 1;
}
