/* neg_host_cs_null: a null HOST_CS_SELECTOR is VMfailValid 8, invalid host state (SDM 26.2.3, 31.4). */
#include "vexit_break.h"

VEXIT_BREAK("host-cs-null");
EXPECT("stop entry-failed");
EXPECT("field error=8");
EXPECT("entry-rule host_cs_tr_not_null");
EXPECT("asserts 0");

int main(void)
{
	/* Never runs: the entry into this guest must fail. */
	return 1;
}
