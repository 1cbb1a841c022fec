/* Port I/O devices of a VM: each claims a range of ports; the bus routes accesses to them. */
#ifndef VEXIT_IO_BUS_H
#define VEXIT_IO_BUS_H

#include <stdbool.h>
#include <stdint.h>

#define IO_BUS_MAX_DEVICES 8

struct vm;

struct io_device {
	const char *name;
	uint16_t first_port;
	uint16_t port_count;
	/* size is 1, 2 or 4; port is absolute. A read returns the value zero-extended. */
	uint32_t (*read)(struct vm *vm, uint16_t port, unsigned size);
	void (*write)(struct vm *vm, uint16_t port, unsigned size, uint32_t value);
};

struct io_bus {
	unsigned n_devices;
	const struct io_device *devices[IO_BUS_MAX_DEVICES];
	uint64_t unclaimed_reads, unclaimed_writes;
};

/* Returns false if the bus is full or the range overlaps a device already there. */
bool io_bus_add(struct io_bus *bus, const struct io_device *dev);
/* The device claiming this port, or NULL. */
const struct io_device *io_bus_find(const struct io_bus *bus, uint16_t port);
/* An unclaimed port reads all-ones and drops writes (counted), like a floating ISA bus. */
uint32_t io_bus_read(struct vm *vm, struct io_bus *bus, uint16_t port, unsigned size);
void io_bus_write(struct vm *vm, struct io_bus *bus, uint16_t port, unsigned size, uint32_t value);

#endif
