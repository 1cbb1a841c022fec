/*
 * Port I/O devices of a VM (KVM's kvm_io_device shape): each device is one file
 * that defines a `struct io_device` (what it does) and keeps its own state,
 * which the bus hands back to it as an opaque pointer; the bus only routes
 * accesses by port, with one table load. Pure C, host-tested.
 */
#ifndef VEXIT_IO_BUS_H
#define VEXIT_IO_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IO_BUS_MAX_DEVICES 12
#define IO_PORTS 0x10000
_Static_assert(IO_BUS_MAX_DEVICES < 256, "struct io_bus routes a port with one byte");

/* size is 1, 2 or 4; port is absolute. A read returns the value zero-extended. */
typedef uint32_t (*io_read_fn)(void *state, uint16_t port, unsigned size);
typedef void (*io_write_fn)(void *state, uint16_t port, unsigned size, uint32_t value);

struct io_device {
	const char *name;
	io_read_fn read;   /* NULL: floats */
	io_write_fn write; /* NULL: dropped */
	void (*stop)(void *state); /* the VM is over: finish what is pending (optional) */
};

struct io_bus_entry {
	const struct io_device *dev;
	void *state;
	uint16_t first_port, port_count;
};

/* A zeroed bus is an empty one. */
struct io_bus {
	unsigned n_devices;
	struct io_bus_entry devices[IO_BUS_MAX_DEVICES];
	uint64_t unclaimed_reads, unclaimed_writes;
	/*
	 * What an access routed to k calls: the op and state of devices[k - 1] or, for an
	 * op the device does not have, the floating bus's, with the bus as its state
	 * (io_bus_add resolves them, so that an access tests nothing). Index 0 is unused.
	 * Arrays of pointers, so that k indexes them with no arithmetic.
	 */
	io_read_fn read[IO_BUS_MAX_DEVICES + 1];
	void *read_state[IO_BUS_MAX_DEVICES + 1];
	io_write_fn write[IO_BUS_MAX_DEVICES + 1];
	void *write_state[IO_BUS_MAX_DEVICES + 1];
	/*
	 * The device claiming each port, as 1 + its index in devices[]; 0: none. 64 KiB,
	 * so that routing any port is one load and a test, whatever the last access
	 * reached (the search of the ranges it replaces took 19 instructions when the
	 * device was the last one's, and a loop over the devices when not: bench/trace-exit.sh).
	 */
	uint8_t route[IO_PORTS];
};

/* Claim port_count ports from first_port for dev. False if the bus is full or the range is empty,
 * runs past port 0xFFFF or overlaps a device already there. */
bool io_bus_add(struct io_bus *bus, const struct io_device *dev, void *state, uint16_t first_port,
		uint16_t port_count);
/* The entry claiming this port, or NULL. */
static inline const struct io_bus_entry *io_bus_find(const struct io_bus *bus, uint16_t port)
{
	size_t k = bus->route[(size_t)port];
	return k ? &bus->devices[k - 1] : 0;
}
/* The bits of an access of size bytes (1, 2 or 4), by size; io_bus.c. */
extern const uint32_t io_size_mask[5];
/* What a read of size bytes returns when nothing drives the bus: all-ones. */
static inline uint32_t io_bus_floating(unsigned size)
{
	return io_size_mask[size];
}
/* An unclaimed port reads all-ones and drops writes (counted), like a floating ISA bus. */
static inline uint32_t io_bus_read(struct io_bus *bus, uint16_t port, unsigned size)
{
	size_t k = bus->route[(size_t)port];
	if (__builtin_expect(!k, 0)) {
		bus->unclaimed_reads++;
		return io_bus_floating(size);
	}
	return bus->read[k](bus->read_state[k], port, size);
}
static inline void io_bus_write(struct io_bus *bus, uint16_t port, unsigned size, uint32_t value)
{
	size_t k = bus->route[(size_t)port];
	if (__builtin_expect(!k, 0)) {
		bus->unclaimed_writes++;
		return;
	}
	bus->write[k](bus->write_state[k], port, size, value);
}
/* Tell every device the VM is over, in the order they were added. */
void io_bus_stop(struct io_bus *bus);

#endif
