/*
 * neg_msr_load_feature: a VM-entry MSR-load entry for IA32_PKRS on a CPU without PKS must end the entry
 * with reason 34 (SDM 27.4: its WRMSR would #GP), and vexit names msr_load_feature. Bochs 2.7 ignores a
 * WRMSR to an MSR it does not have (its default ignore_bad_msrs=1), so it enters and the guest runs to
 * its end. The guest expects what Bochs does; docs/debugging.md, "Where Bochs and the SDM differ".
 */
#include "vexit_break.h"

VEXIT_BREAK("msr-load-pkrs");
EXPECT("entry-rule msr_load_feature bochs=entered");

int main(void)
{
	return 0;
}
