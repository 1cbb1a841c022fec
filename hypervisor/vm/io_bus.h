/*
 * Port I/O devices of a VM (KVM's kvm_io_device shape): each device is one file
 * that defines a `struct io_device` (what it does) and keeps its own state,
 * which the bus hands back to it as an opaque pointer; the bus only routes
 * accesses by port. Pure C, host-tested.
 */
#ifndef VEXIT_IO_BUS_H
#define VEXIT_IO_BUS_H

#include <stdbool.h>
#include <stdint.h>

#define IO_BUS_MAX_DEVICES 12

struct io_device {
	const char *name;
	/* size is 1, 2 or 4; port is absolute. A read returns the value zero-extended. NULL: floats. */
	uint32_t (*read)(void *state, uint16_t port, unsigned size);
	void (*write)(void *state, uint16_t port, unsigned size, uint32_t value); /* NULL: dropped */
	void (*stop)(void *state); /* the VM is over: finish what is pending (optional) */
};

struct io_bus_entry {
	const struct io_device *dev;
	void *state;
	uint16_t first_port, port_count;
};

struct io_bus {
	unsigned n_devices;
	struct io_bus_entry devices[IO_BUS_MAX_DEVICES];
	unsigned last; /* the entry that claimed the last access: a guest talks to one device many times in a row */
	uint64_t unclaimed_reads, unclaimed_writes;
};

/* Claim port_count ports from first_port for dev. False if the bus is full or the range is empty,
 * runs past port 0xFFFF or overlaps a device already there. */
bool io_bus_add(struct io_bus *bus, const struct io_device *dev, void *state, uint16_t first_port,
		uint16_t port_count);
/* The entry claiming this port, or NULL. */
const struct io_bus_entry *io_bus_find(const struct io_bus *bus, uint16_t port);
/* What a read of size bytes returns when nothing drives the bus: all-ones. */
static inline uint32_t io_bus_floating(unsigned size)
{
	return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}
static inline bool io_bus_claims(const struct io_bus_entry *e, uint16_t port)
{
	return port >= e->first_port && port - e->first_port < e->port_count;
}
/* io_bus_find, remembering the entry found as the bus's last. */
const struct io_bus_entry *io_bus_route_slow(struct io_bus *bus, uint16_t port);
/* The entry for port, trying the device of the last access first (inline: every port exit routes). */
static inline const struct io_bus_entry *io_bus_route(struct io_bus *bus, uint16_t port)
{
	if (bus->last < bus->n_devices && io_bus_claims(&bus->devices[bus->last], port))
		return &bus->devices[bus->last];
	return io_bus_route_slow(bus, port);
}
/* An unclaimed port reads all-ones and drops writes (counted), like a floating ISA bus. */
static inline uint32_t io_bus_read(struct io_bus *bus, uint16_t port, unsigned size)
{
	const struct io_bus_entry *e = io_bus_route(bus, port);
	if (e && e->dev->read)
		return e->dev->read(e->state, port, size);
	bus->unclaimed_reads++;
	return io_bus_floating(size);
}
static inline void io_bus_write(struct io_bus *bus, uint16_t port, unsigned size, uint32_t value)
{
	const struct io_bus_entry *e = io_bus_route(bus, port);
	if (e && e->dev->write)
		e->dev->write(e->state, port, size, value);
	else
		bus->unclaimed_writes++;
}
/* Tell every device the VM is over, in the order they were added. */
void io_bus_stop(struct io_bus *bus);

#endif
