/*
 * neg_pending_debug_bs: RFLAGS.TF set under blocking by MOV SS with the BS bit of the pending debug
 * exceptions clear must fail the entry (SDM 27.3.1.5), and vexit names guest_pending_debug_bs. Bochs 2.7
 * does not check it and enters; the single-step trap then finds no IDT (a triple fault). The guest
 * expects what Bochs does; docs/debugging.md, "Where Bochs and the SDM differ".
 */
#include "vexit_break.h"

VEXIT_BREAK("pending-debug-bs-clear");
EXPECT("stop triple-fault");
EXPECT("entry-rule guest_pending_debug_bs bochs=entered");
EXPECT("asserts 0");

int main(void)
{
	/* Never gets far: the single-step trap of its first instruction has no handler yet. */
	return 1;
}
