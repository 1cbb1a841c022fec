/*
 * The legacy PIC of a PC, for external kernels: two cascaded 8259As (Intel 8259A
 * datasheet, 1988), master at 0x20-0x21 and slave at 0xA0-0xA1 on the master's
 * IR2, as firmware leaves them (pic_reset). vm/dev_pic.c owns their state and
 * their ports; what drives the CPU's INTR line is pic_intr, and the CPU's
 * interrupt acknowledge is pic_acknowledge: the pair connected as the vCPU's
 * ExtINT source (vm/irq.h). Inputs are edge
 * triggered, priorities fixed (IR0 highest); not modelled: level-triggered mode
 * (ICW1.LTIM, the ELCR), priority rotation (its OCW2 forms act as the plain
 * EOIs), special mask and special fully nested modes, poll mode, and buffered
 * mode. Plain C, host-tested.
 */
#ifndef VEXIT_PIC_H
#define VEXIT_PIC_H

#include <stdbool.h>
#include <stdint.h>

#define PIC_MASTER_PORT 0x20
#define PIC_SLAVE_PORT 0xa0
#define PIC_IRQS 16
#define PIC_CASCADE_IRQ 2 /* the slave's INT drives the master's IR2 */
/* Where a PC's firmware puts the IRQs (IBM PC/AT BIOS; SeaBIOS and Bochs's BIOS do the same). */
#define PIC_BIOS_MASTER_BASE 0x08
#define PIC_BIOS_SLAVE_BASE 0x70
/* The masks firmware leaves: only the timer (IRQ0) and the cascade open. */
#define PIC_BIOS_MASTER_MASK 0xfa
#define PIC_BIOS_SLAVE_MASK 0xff

/* Command words (8259A datasheet, "Initialization Command Words", "Operation Command Words"). */
#define PIC_ICW1 0x10        /* a command-port write with bit 4: initialization starts */
#define PIC_ICW1_IC4 0x01    /* ICW4 follows */
#define PIC_ICW1_SNGL 0x02   /* a single 8259A: no ICW3 */
#define PIC_OCW3 0x08        /* a command-port write with bits 4:3 = 01 */
#define PIC_OCW3_RR 0x02     /* bit 0 then picks the register reads return: 1 ISR, 0 IRR */
#define PIC_OCW2_EOI 0x20    /* non-specific EOI */
#define PIC_OCW2_SL 0x40     /* with EOI: specific, bits 2:0 the level */
#define PIC_ICW4_AEOI 0x02   /* automatic end of interrupt */

struct pic_chip {
	uint8_t irr, isr, imr;
	uint8_t level;       /* the inputs' levels: a rising edge sets the IRR bit */
	uint8_t vector_base; /* ICW2, bits 7:3 */
	uint8_t cascade;     /* ICW3 */
	uint8_t init_step;   /* 0: operating; 2, 3, 4: the ICW the next data-port write is */
	bool need_icw4, single, auto_eoi, read_isr;
};

struct pic {
	struct pic_chip chip[2]; /* 0: master, 1: slave */
};

/* The pair as firmware leaves it: initialized (edge triggered, cascaded, 8086 mode, normal EOI),
 * vectors 0x08 and 0x70, every IRQ masked but the timer and the cascade, nothing requested. */
void pic_reset(struct pic *p);
/* Input irq (0-15) is now at this level; a rising edge requests it. */
void pic_set_irq(struct pic *p, unsigned irq, bool level);
/* Whether the master's INT output (the CPU's INTR) is asserted: an unmasked request of higher
 * priority than anything in service. */
bool pic_intr(const struct pic *p);
/* The CPU's interrupt acknowledge: the request goes in service (unless in automatic-EOI mode)
 * and its vector is returned; with nothing requested, the spurious IRQ7 (or IRQ15) vector. */
uint8_t pic_acknowledge(struct pic *p);
/* A port access (ports PIC_MASTER_PORT..+1, PIC_SLAVE_PORT..+1), byte wide. */
uint8_t pic_read(struct pic *p, uint16_t port);
void pic_write(struct pic *p, uint16_t port, uint8_t value);

#endif
