#include "io_bus.h"

static bool overlaps(const struct io_device *a, const struct io_device *b)
{
	uint32_t a_end = (uint32_t)a->first_port + a->port_count;
	uint32_t b_end = (uint32_t)b->first_port + b->port_count;
	return a->first_port < b_end && b->first_port < a_end;
}

bool io_bus_add(struct io_bus *bus, const struct io_device *dev)
{
	if (bus->n_devices == IO_BUS_MAX_DEVICES || dev->port_count == 0 ||
	    (uint32_t)dev->first_port + dev->port_count > 0x10000)
		return false;
	for (unsigned i = 0; i < bus->n_devices; i++)
		if (overlaps(bus->devices[i], dev))
			return false;
	bus->devices[bus->n_devices++] = dev;
	return true;
}

const struct io_device *io_bus_find(const struct io_bus *bus, uint16_t port)
{
	for (unsigned i = 0; i < bus->n_devices; i++) {
		const struct io_device *d = bus->devices[i];
		if (port >= d->first_port && port - d->first_port < d->port_count)
			return d;
	}
	return 0;
}

uint32_t io_bus_read(struct vm *vm, struct io_bus *bus, uint16_t port, unsigned size)
{
	const struct io_device *d = io_bus_find(bus, port);
	if (d && d->read)
		return d->read(vm, port, size);
	bus->unclaimed_reads++;
	return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

void io_bus_write(struct vm *vm, struct io_bus *bus, uint16_t port, unsigned size, uint32_t value)
{
	const struct io_device *d = io_bus_find(bus, port);
	if (d && d->write)
		d->write(vm, port, size, value);
	else
		bus->unclaimed_writes++;
}
