/*
 * The 8254's counter 0 of vm/pit.h, and its ports for external kernels
 * (vm/devices.h). The counter is not ticked: its value and its IRQ0 edges are
 * worked out from the guest time since the count was loaded.
 */
#include "vm/devices.h"
#include "vm/guest_time.h"
#include "vm/irq.h"
#include "vm/pic.h"
#include "vm/pit.h"
#include "vm/vm.h"

#define PIT_RW_LATCH 0
#define PIT_RW_LSB 1
#define PIT_RW_MSB 2
#define PIT_RW_BOTH 3

uint64_t pit_clocks(uint64_t guest_ticks)
{
	return guest_time_at_rate(guest_ticks, PIT_HZ);
}

uint64_t pit_guest_ticks(uint64_t clocks)
{
	uint64_t seconds = clocks / PIT_HZ, rest = clocks % PIT_HZ;
	return seconds * GUEST_TICKS_PER_SECOND + (rest * GUEST_TICKS_PER_SECOND + PIT_HZ - 1) / PIT_HZ;
}

void pit_reset(struct pit *t, struct pic *pic)
{
	*t = (struct pit){ .reload = 65536, .mode = PIT_BIOS_MODE, .rw = PIT_RW_BOTH, .loaded = true, .pic = pic };
}

static bool periodic(const struct pit *t)
{
	return t->mode == 2 || t->mode == 3;
}

static bool one_shot(const struct pit *t)
{
	return t->mode == 0 || t->mode == 4;
}

uint16_t pit_count(const struct pit *t, uint64_t clocks)
{
	if (!t->loaded || !(periodic(t) || one_shot(t)))
		return (uint16_t)t->reload;
	uint64_t n = t->reload, elapsed = clocks - t->start;
	if (t->mode == 2)
		return (uint16_t)(n - elapsed % n);
	if (t->mode == 3) /* down by two, twice a period */
		return (uint16_t)(n - (2 * elapsed) % n);
	return (uint16_t)(n - elapsed); /* modes 0 and 4 wrap past 0 and count on */
}

uint64_t pit_edges(const struct pit *t, uint64_t clocks)
{
	if (!t->loaded || clocks < t->start)
		return 0;
	uint64_t elapsed = clocks - t->start;
	if (periodic(t))
		return elapsed / t->reload;
	if (one_shot(t))
		return elapsed >= t->reload;
	return 0;
}

uint64_t pit_next_edge(const struct pit *t, uint64_t guest_ticks)
{
	uint64_t now = pit_clocks(guest_ticks), done = pit_edges(t, now);
	if (!t->loaded || !(periodic(t) || (one_shot(t) && done == 0)))
		return UINT64_MAX;
	return pit_guest_ticks(t->start + (done + 1) * t->reload);
}

bool pit_update(struct pit *t, uint64_t guest_ticks)
{
	uint64_t total = pit_edges(t, pit_clocks(guest_ticks));
	if (total <= t->edges)
		return false;
	t->edges = total;
	if (t->pic) {
		pic_set_irq(t->pic, PIT_IRQ, true);
		pic_set_irq(t->pic, PIT_IRQ, false);
	}
	return true;
}

/* A new count: counting starts over from it, with no edge owed yet. */
static void load(struct pit *t, uint32_t count, uint64_t guest_ticks)
{
	t->reload = count ? count : 65536;
	t->loaded = true;
	t->start = pit_clocks(guest_ticks);
	t->edges = 0;
}

static void mode_write(struct pit *t, uint8_t v, uint64_t guest_ticks)
{
	uint64_t now = pit_clocks(guest_ticks);
	if (PIT_SC(v) == 3) { /* read-back */
		if (!(v & PIT_READ_BACK_NO_COUNT) && (v & PIT_READ_BACK_COUNTER0) && !t->latched) {
			t->latch = pit_count(t, now);
			t->latched = true;
		}
		return;
	}
	if (PIT_SC(v) != 0)
		return; /* counters 1 and 2 are not there */
	if (PIT_RW(v) == PIT_RW_LATCH) {
		if (!t->latched) {
			t->latch = pit_count(t, now);
			t->latched = true;
		}
		return;
	}
	/* A control word stops the counter until its count is written (82C54: "mode ... initial count"). */
	t->rw = PIT_RW(v);
	t->mode = PIT_MODE(v) > 5 ? PIT_MODE(v) - 4 : PIT_MODE(v);
	t->loaded = t->latched = t->write_msb = t->read_msb = false;
}

static void count_write(struct pit *t, uint8_t v, uint64_t guest_ticks)
{
	if (t->rw == PIT_RW_LSB) {
		load(t, v, guest_ticks);
	} else if (t->rw == PIT_RW_MSB) {
		load(t, (uint32_t)v << 8, guest_ticks);
	} else if (!t->write_msb) {
		t->low = v;
		t->write_msb = true;
	} else {
		load(t, ((uint32_t)v << 8) | t->low, guest_ticks);
		t->write_msb = false;
	}
}

static uint8_t count_read(struct pit *t, uint64_t guest_ticks)
{
	uint16_t c = t->latched ? t->latch : pit_count(t, pit_clocks(guest_ticks));
	uint8_t byte = t->rw == PIT_RW_MSB || (t->rw == PIT_RW_BOTH && t->read_msb) ? (uint8_t)(c >> 8) : (uint8_t)c;
	if (t->rw == PIT_RW_BOTH)
		t->read_msb = !t->read_msb;
	/* A latch holds until all of it has been read. */
	if (t->rw != PIT_RW_BOTH || !t->read_msb)
		t->latched = false;
	return byte;
}

uint8_t pit_read(struct pit *t, uint16_t port, uint64_t guest_ticks)
{
	return port == PIT_COUNTER0_PORT ? count_read(t, guest_ticks) : 0xff;
}

void pit_write(struct pit *t, uint16_t port, uint8_t value, uint64_t guest_ticks)
{
	if (port == PIT_COUNTER0_PORT)
		count_write(t, value, guest_ticks);
	else if (port == PIT_MODE_PORT)
		mode_write(t, value, guest_ticks);
}

void pit_sync(struct vm *vm)
{
	struct vcpu *v = &vm->vcpu;
	if (!vm->pit)
		return;
	uint64_t now = guest_time_ticks(v);
	if (pit_update(vm->pit, now))
		irq_kick(v); /* IRQ0's edge may have raised the PIC's INTR */
	guest_time_set_wake(v, WAKE_PIT, pit_next_edge(vm->pit, now));
}

/* The bus hands the VM: the counter is its pit, the time its vCPU's guest time. */
static uint32_t pit_port_read(void *state, uint16_t port, unsigned size)
{
	struct vm *vm = state;
	uint32_t v = pit_read(vm->pit, port, guest_time_ticks(&vm->vcpu));
	return size == 1 ? v : v | (io_bus_floating(size) & ~0xffu);
}

static void pit_port_write(void *state, uint16_t port, unsigned size, uint32_t value)
{
	(void)size; /* the low byte reaches the port, as on the ISA bus */
	struct vm *vm = state;
	pit_write(vm->pit, port, (uint8_t)value, guest_time_ticks(&vm->vcpu));
	pit_sync(vm); /* a new mode or count moves the next edge */
}

static const struct io_device pit_device = {
	.name = "pit",
	.read = pit_port_read,
	.write = pit_port_write,
};

bool pit_attach(struct vm *vm)
{
	struct pit *t = vm_device_state(vm, sizeof(*t));
	if (!t)
		return false;
	pit_reset(t, vm->pic);
	vm->pit = t;
	pit_sync(vm); /* firmware's count runs from the start: its first edge is a wake-up */
	return io_bus_add(&vm->bus, &pit_device, vm, PIT_COUNTER0_PORT, PIT_PORTS);
}
