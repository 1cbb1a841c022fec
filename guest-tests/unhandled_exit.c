/* unhandled_exit: RDPMC traps (RDPMC exiting) and has no handler, so the VM stops naming the exit. */
#include "vexit_guest.h"

EXPECT("stop unhandled-exit");
EXPECT("field reason=RDPMC");
EXPECT("exit RDPMC 1");

int main(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(0));
	return 1;
}
