/*
 * The power-off port of QEMU's ACPI PM1a control block, 0x604, for external
 * kernels (vm/devices.h): a write that sets SLP_EN (bit 13) with sleep type 0,
 * QEMU's S5 (the value 0x2000 kvm-unit-tests and Linux write), turns the
 * machine off: the VM ends `power-off`, a clean stop. Other values change
 * nothing (no other sleep state is offered).
 */
#include "vm/devices.h"
#include "vm/vm.h"

#define PM1_SLP_EN (1u << 13)
#define PM1_SLP_TYP_MASK (7u << 10)

static void power_off_write(void *state, uint16_t port, unsigned size, uint32_t value)
{
	(void)port;
	if (size >= 2 && (value & PM1_SLP_EN) && !(value & PM1_SLP_TYP_MASK))
		vm_stop(state, VM_STOP_POWER_OFF, "value=0x%x", value & 0xffff);
}

static const struct io_device power_off = {
	.name = "power-off",
	.read = 0,
	.write = power_off_write,
};

bool power_off_attach(struct vm *vm)
{
	return io_bus_add(&vm->bus, &power_off, vm, POWER_OFF_PORT, 2);
}
