/*
 * neg_debugctl: with "load debug controls", a reserved IA32_DEBUGCTL bit (2) must fail the entry
 * (SDM 27.3.1.1), and vexit names guest_debugctl. Bochs 2.7 does not check the field: it enters and
 * the guest runs to its end. The guest expects what Bochs does; docs/debugging.md, "Where Bochs and
 * the SDM differ".
 */
#include "vexit_break.h"

VEXIT_BREAK("debugctl-reserved");
EXPECT("entry-rule guest_debugctl bochs=entered");

int main(void)
{
	return 0;
}
