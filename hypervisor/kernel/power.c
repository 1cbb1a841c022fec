#include "kernel/power.h"

#include "hw/cpu.h"
#include "kernel/acpi_off.h"
#include "kernel/console.h"

#define BOCHS_SHUTDOWN_PORT 0x8900

/* The S5 recipe power_init found; why there is none while s5_error is set. */
static struct acpi_s5 s5;
static const char *s5_error = "power_init was not called";

void power_init(const uint8_t *rsdp_copy, size_t rsdp_len)
{
	s5_error = acpi_s5_lookup(rsdp_copy, rsdp_len, &s5);
}

__attribute__((noreturn)) void power_off(void)
{
	/*
	 * The shutdown port is a Bochs device; the debug port 0xE9 answering is
	 * our sign that we run in Bochs. Elsewhere ACPI turns the machine off; when
	 * the firmware's tables do not say how, we say why and halt: the console
	 * has already said everything else.
	 */
	power_off_prepare();
	console_drain();
	if (console_has_debug_port()) {
		const char *s = "Shutdown";
		while (*s)
			outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s++);
	}
	if (s5_error) {
		kprintf("vexit: no ACPI power-off (%s): halting\n", s5_error);
		console_drain();
	} else {
		acpi_enter_s5(&s5);
	}
	halt_forever();
	__builtin_unreachable();
}
