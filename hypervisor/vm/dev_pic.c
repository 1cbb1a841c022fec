/*
 * The 8259A pair of vm/pic.h, and its ports for external kernels (vm/devices.h).
 * Each chip keeps its request (IRR), in-service (ISR) and mask (IMR) registers;
 * the slave's INT output is the master's IR2, the master's the vCPU's ExtINT
 * source (vm/irq.h).
 */
#include "vm/devices.h"
#include "vm/irq.h"
#include "vm/pic.h"
#include "vm/vm.h"

#define MASTER 0
#define SLAVE 1

static void chip_reset(struct pic_chip *c, uint8_t base, uint8_t cascade, uint8_t mask)
{
	*c = (struct pic_chip){ .imr = mask, .vector_base = base, .cascade = cascade };
}

void pic_reset(struct pic *p)
{
	chip_reset(&p->chip[MASTER], PIC_BIOS_MASTER_BASE, 1u << PIC_CASCADE_IRQ, PIC_BIOS_MASTER_MASK);
	chip_reset(&p->chip[SLAVE], PIC_BIOS_SLAVE_BASE, PIC_CASCADE_IRQ, PIC_BIOS_SLAVE_MASK);
}

/* The chip's highest-priority unmasked request (IR0 highest) that nothing of equal or higher
 * priority in service holds back, with `extra` requests added (the slave on the master's IR2); -1: none. */
static int chip_pending(const struct pic_chip *c, uint8_t extra)
{
	uint8_t req = (uint8_t)((c->irr | extra) & ~c->imr);
	for (int i = 0; i < 8; i++) {
		if (c->isr & (1u << i))
			return -1;
		if (req & (1u << i))
			return i;
	}
	return -1;
}

/* The slave's INT output, as the master's IR2 sees it. */
static uint8_t slave_request(const struct pic *p)
{
	const struct pic_chip *m = &p->chip[MASTER];
	if (m->single)
		return 0;
	return chip_pending(&p->chip[SLAVE], 0) >= 0 ? (uint8_t)(1u << PIC_CASCADE_IRQ) : 0;
}

void pic_set_irq(struct pic *p, unsigned irq, bool level)
{
	if (irq >= PIC_IRQS)
		return;
	struct pic_chip *c = &p->chip[irq / 8];
	uint8_t bit = (uint8_t)(1u << (irq % 8));
	if (level && !(c->level & bit))
		c->irr |= bit;
	c->level = level ? (uint8_t)(c->level | bit) : (uint8_t)(c->level & ~bit);
}

bool pic_intr(const struct pic *p)
{
	return chip_pending(&p->chip[MASTER], slave_request(p)) >= 0;
}

/* Put request i of chip c in service (not in automatic-EOI mode): its vector. */
static uint8_t chip_acknowledge(struct pic_chip *c, int i)
{
	c->irr &= (uint8_t)~(1u << i);
	if (!c->auto_eoi)
		c->isr |= (uint8_t)(1u << i);
	return (uint8_t)(c->vector_base + i);
}

uint8_t pic_acknowledge(struct pic *p)
{
	struct pic_chip *m = &p->chip[MASTER], *s = &p->chip[SLAVE];
	int i = chip_pending(m, slave_request(p));
	/* The request went away before INTA: the datasheet's default, IR7 (not put in service). */
	if (i < 0)
		return (uint8_t)(m->vector_base + 7);
	if (i != PIC_CASCADE_IRQ || m->single || !(m->cascade & (1u << PIC_CASCADE_IRQ)))
		return chip_acknowledge(m, i);
	chip_acknowledge(m, i);
	int j = chip_pending(s, 0);
	return j < 0 ? (uint8_t)(s->vector_base + 7) : chip_acknowledge(s, j);
}

/* OCW2's end of interrupt: the highest-priority bit in service, or the one named. */
static void chip_eoi(struct pic_chip *c, uint8_t ocw2)
{
	if (ocw2 & PIC_OCW2_SL) {
		c->isr &= (uint8_t)~(1u << (ocw2 & 7));
		return;
	}
	c->isr &= (uint8_t)(c->isr - 1); /* clear the lowest set bit: IR0 is the highest priority */
}

static void command_write(struct pic_chip *c, uint8_t v)
{
	if (v & PIC_ICW1) {
		/* ICW1: the IMR cleared, reads return the IRR, the edge detectors armed again. */
		c->imr = c->isr = c->irr = 0;
		c->level = 0;
		c->read_isr = c->auto_eoi = false;
		c->need_icw4 = v & PIC_ICW1_IC4;
		c->single = v & PIC_ICW1_SNGL;
		c->init_step = 2;
	} else if (v & PIC_OCW3) {
		if (v & PIC_OCW3_RR)
			c->read_isr = v & 1;
	} else if (v & PIC_OCW2_EOI) {
		chip_eoi(c, v);
	}
	/* Other OCW2 forms set or rotate priorities, which this model keeps fixed. */
}

static void data_write(struct pic_chip *c, uint8_t v)
{
	switch (c->init_step) {
	case 2:
		c->vector_base = v & 0xf8;
		c->init_step = c->single ? (c->need_icw4 ? 4 : 0) : 3;
		break;
	case 3:
		c->cascade = v;
		c->init_step = c->need_icw4 ? 4 : 0;
		break;
	case 4:
		c->auto_eoi = v & PIC_ICW4_AEOI;
		c->init_step = 0;
		break;
	default:
		c->imr = v; /* OCW1 */
	}
}

static struct pic_chip *chip_of(struct pic *p, uint16_t port)
{
	return &p->chip[(port & ~1u) == PIC_SLAVE_PORT ? SLAVE : MASTER];
}

uint8_t pic_read(struct pic *p, uint16_t port)
{
	const struct pic_chip *c = chip_of(p, port);
	if (port & 1)
		return c->imr;
	return c->read_isr ? c->isr : c->irr;
}

void pic_write(struct pic *p, uint16_t port, uint8_t value)
{
	struct pic_chip *c = chip_of(p, port);
	if (port & 1)
		data_write(c, value);
	else
		command_write(c, value);
}

/* A wider access reaches the chip's two ports a byte at a time, as on the ISA bus; past them it floats. */
static bool same_chip(uint16_t port, unsigned i)
{
	return ((port + i) & ~1u) == (port & ~1u);
}

static uint32_t pic_port_read(void *state, uint16_t port, unsigned size)
{
	struct vm *vm = state;
	uint32_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)(same_chip(port, i) ? pic_read(vm->pic, (uint16_t)(port + i)) : 0xff) << (8 * i);
	return v;
}

static void pic_port_write(void *state, uint16_t port, unsigned size, uint32_t value)
{
	struct vm *vm = state;
	for (unsigned i = 0; i < size && same_chip(port, i); i++)
		pic_write(vm->pic, (uint16_t)(port + i), (uint8_t)(value >> (8 * i)));
	/* An unmask, an EOI or a new initialization may have raised INTR. */
	irq_kick(&vm->vcpu);
}

static const struct io_device pic_device = {
	.name = "pic",
	.read = pic_port_read,
	.write = pic_port_write,
};

/* The ExtINT source's two calls (vm/irq.h): INTR, and the interrupt acknowledge. */
static bool pic_line_pending(void *dev)
{
	return pic_intr(dev);
}

static uint8_t pic_line_acknowledge(void *dev)
{
	return pic_acknowledge(dev);
}

bool pic_attach(struct vm *vm)
{
	struct pic *p = vm_device_state(vm, sizeof(*p));
	if (!p)
		return false;
	pic_reset(p);
	vm->pic = p;
	irq_connect_extint(&vm->vcpu, &(struct irq_line){ pic_line_pending, pic_line_acknowledge, p });
	return io_bus_add(&vm->bus, &pic_device, vm, PIC_MASTER_PORT, 2) &&
	       io_bus_add(&vm->bus, &pic_device, vm, PIC_SLAVE_PORT, 2);
}
