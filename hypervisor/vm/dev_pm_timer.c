/*
 * The ACPI power-management timer for external kernels (vm/devices.h), at the
 * port the FADT names (vm/acpi_tables.h): a free-running 32-bit up-counter
 * (the FADT sets TMR_VAL_EXT) at 3.579545 MHz (ACPI 6.5, 4.8.3.3) that starts
 * at 0 with the guest and counts guest time only (vm/guest_time.h): the same
 * guest instructions read the same values on every run. A read of 1, 2 or 4
 * bytes returns those bytes of the count; writes change nothing (the register
 * is read-only). It raises no interrupt (TMR_STS/TMR_EN are not implemented).
 */
#include "vm/devices.h"
#include "vm/guest_time.h"
#include "vm/vm.h"

uint32_t pm_timer_count(uint64_t guest_ticks)
{
	return (uint32_t)guest_time_at_rate(guest_ticks, PM_TIMER_HZ);
}

static uint32_t pm_timer_read(void *state, uint16_t port, unsigned size)
{
	const struct vm *vm = state;
	uint32_t count = pm_timer_count(guest_time_ticks(&vm->vcpu));
	unsigned shift = 8 * (unsigned)(port - PM_TIMER_PORT);
	uint64_t bytes = (uint64_t)count >> shift;
	return (uint32_t)(bytes & ((1ull << (8 * size)) - 1));
}

static const struct io_device pm_timer = {
	.name = "pm-timer",
	.read = pm_timer_read,
	.write = 0,
};

bool pm_timer_attach(struct vm *vm)
{
	return io_bus_add(&vm->bus, &pm_timer, vm, PM_TIMER_PORT, 4);
}
