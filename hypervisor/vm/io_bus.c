#include "vm/io_bus.h"

const uint32_t io_size_mask[5] = { [1] = 0xff, [2] = 0xffff, [4] = 0xffffffff };

/* The ops of a device that has no read or no write: the floating bus's, counted on the bus. */
static uint32_t floating_read(void *bus, uint16_t port, unsigned size)
{
	(void)port;
	((struct io_bus *)bus)->unclaimed_reads++;
	return io_bus_floating(size);
}

static void dropped_write(void *bus, uint16_t port, unsigned size, uint32_t value)
{
	(void)port, (void)size, (void)value;
	((struct io_bus *)bus)->unclaimed_writes++;
}

bool io_bus_add(struct io_bus *bus, const struct io_device *dev, void *state, uint16_t first_port,
		uint16_t port_count)
{
	uint32_t end = (uint32_t)first_port + port_count;
	if (bus->n_devices == IO_BUS_MAX_DEVICES || port_count == 0 || end > IO_PORTS)
		return false;
	for (uint32_t p = first_port; p < end; p++)
		if (bus->route[p])
			return false;
	unsigned k = bus->n_devices + 1;
	bus->read[k] = dev->read ? dev->read : floating_read;
	bus->read_state[k] = dev->read ? state : bus;
	bus->write[k] = dev->write ? dev->write : dropped_write;
	bus->write_state[k] = dev->write ? state : bus;
	bus->devices[bus->n_devices++] = (struct io_bus_entry){ dev, state, first_port, port_count };
	for (uint32_t p = first_port; p < end; p++)
		bus->route[p] = (uint8_t)k;
	return true;
}

void io_bus_stop(struct io_bus *bus)
{
	for (unsigned i = 0; i < bus->n_devices; i++)
		if (bus->devices[i].dev->stop)
			bus->devices[i].dev->stop(bus->devices[i].state);
}
