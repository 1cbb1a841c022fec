/* hello: the smallest guest. One log line and one assertion over the debug port, then exit 0. */
#include "vexit_guest.h"

/* Exits: the log line, the IN, the PASS line, the exit-port OUT. */
EXPECT("stop done");
EXPECT("status 0");
EXPECT("asserts 1");
EXPECT("exit IO_INSTRUCTION 4");

int main(void)
{
	guest_printf("hello from a guest");
	report_eq(inb(VEXIT_DEBUG_PORT), VEXIT_DEBUG_PORT, "the debug port reads back 0xe9");
	return 0;
}
