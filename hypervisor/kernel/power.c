#include "kernel/power.h"

#include "hw/cpu.h"
#include "kernel/console.h"

#define BOCHS_SHUTDOWN_PORT 0x8900

__attribute__((noreturn)) void power_off(void)
{
	/*
	 * The shutdown port is a Bochs device; the debug port 0xE9 answering is
	 * our sign that we run in Bochs. On hardware we halt: the console has
	 * already said everything.
	 */
	power_off_prepare();
	console_drain();
	if (console_has_debug_port()) {
		const char *s = "Shutdown";
		while (*s)
			outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s++);
	}
	halt_forever();
	__builtin_unreachable();
}
