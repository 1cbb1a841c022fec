#include "vm/io_bus.h"

static bool overlaps(const struct io_bus_entry *e, uint32_t first, uint32_t end)
{
	return e->first_port < end && first < (uint32_t)e->first_port + e->port_count;
}

bool io_bus_add(struct io_bus *bus, const struct io_device *dev, void *state, uint16_t first_port,
		uint16_t port_count)
{
	uint32_t end = (uint32_t)first_port + port_count;
	if (bus->n_devices == IO_BUS_MAX_DEVICES || port_count == 0 || end > 0x10000)
		return false;
	for (unsigned i = 0; i < bus->n_devices; i++)
		if (overlaps(&bus->devices[i], first_port, end))
			return false;
	bus->devices[bus->n_devices++] = (struct io_bus_entry){ dev, state, first_port, port_count };
	return true;
}

const struct io_bus_entry *io_bus_find(const struct io_bus *bus, uint16_t port)
{
	for (unsigned i = 0; i < bus->n_devices; i++) {
		const struct io_bus_entry *e = &bus->devices[i];
		if (port >= e->first_port && port - e->first_port < e->port_count)
			return e;
	}
	return 0;
}

uint32_t io_bus_read(struct io_bus *bus, uint16_t port, unsigned size)
{
	const struct io_bus_entry *e = io_bus_find(bus, port);
	if (e && e->dev->read)
		return e->dev->read(e->state, port, size);
	bus->unclaimed_reads++;
	return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

void io_bus_write(struct io_bus *bus, uint16_t port, unsigned size, uint32_t value)
{
	const struct io_bus_entry *e = io_bus_find(bus, port);
	if (e && e->dev->write)
		e->dev->write(e->state, port, size, value);
	else
		bus->unclaimed_writes++;
}

void io_bus_stop(struct io_bus *bus)
{
	for (unsigned i = 0; i < bus->n_devices; i++)
		if (bus->devices[i].dev->stop)
			bus->devices[i].dev->stop(bus->devices[i].state);
}
