/* neg_host_ds_rpl: a host selector with RPL 3 is VMfailValid 8, invalid host state (SDM 26.2.3, 31.4). */
#include "vexit_break.h"

VEXIT_BREAK("host-ds-rpl3");
EXPECT("stop entry-failed");
EXPECT("field error=8");
EXPECT("entry-rule host_selector_rpl_ti");
EXPECT("asserts 0");

int main(void)
{
	/* Never runs: the entry into this guest must fail. */
	return 1;
}
