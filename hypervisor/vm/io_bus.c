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
	for (unsigned i = 0; i < bus->n_devices; i++)
		if (io_bus_claims(&bus->devices[i], port))
			return &bus->devices[i];
	return 0;
}

const struct io_bus_entry *io_bus_route_slow(struct io_bus *bus, uint16_t port)
{
	const struct io_bus_entry *e = io_bus_find(bus, port);
	if (e)
		bus->last = (unsigned)(e - bus->devices);
	return e;
}

void io_bus_stop(struct io_bus *bus)
{
	for (unsigned i = 0; i < bus->n_devices; i++)
		if (bus->devices[i].dev->stop)
			bus->devices[i].dev->stop(bus->devices[i].state);
}
