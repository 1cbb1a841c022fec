/*
 * The 8254 programmable interval timer of a PC, for external kernels: counter 0,
 * whose output is IRQ0 of the legacy PIC (vm/pic.h), at 0x40 with the mode
 * register at 0x43 (Intel 82C54 datasheet). It counts guest time
 * (vm/guest_time.h) at 1.193182 MHz, so the same instructions see the same
 * counts on every run. Firmware leaves it in mode 3 with the count 65536 (18.2
 * IRQ0 edges a second: pit_reset). Modes 0 and 4 give one IRQ0 edge when the
 * count runs out, 2 and 3 one a period; 1 and 5 wait for a gate edge that
 * counter 0's gate (tied high) never gives. Counters 1 and 2 are not there
 * (0x41 and 0x42 float), nor is BCD counting (binary always) or the read-back
 * command's status byte (its count latch is). vm/dev_pit.c owns the state.
 * Plain C, host-tested.
 */
#ifndef VEXIT_PIT_H
#define VEXIT_PIT_H

#include <stdbool.h>
#include <stdint.h>

#define PIT_HZ 1193182u
#define PIT_COUNTER0_PORT 0x40
#define PIT_MODE_PORT 0x43
#define PIT_PORTS 4
#define PIT_IRQ 0
#define PIT_BIOS_MODE 3
/* Mode register fields (82C54 datasheet, "Control Word Format"). */
#define PIT_SC(v) ((v) >> 6)          /* 0-2: the counter; 3: read-back */
#define PIT_RW(v) (((v) >> 4) & 3)    /* 0: counter latch; 1 LSB; 2 MSB; 3 LSB then MSB */
#define PIT_MODE(v) (((v) >> 1) & 7)  /* 6 and 7 are modes 2 and 3 */
#define PIT_READ_BACK_NO_COUNT 0x20   /* read-back: bit 5 clear latches the counts named in bits 3:1 */
#define PIT_READ_BACK_COUNTER0 0x02

struct pic;

struct pit {
	uint32_t reload;   /* the count written: 1-65536 (a written 0 is 65536) */
	uint8_t mode;      /* 0-5 */
	uint8_t rw;        /* how the count is written and read: PIT_RW */
	bool loaded;       /* a count was written since the mode: the counter runs */
	bool write_msb;    /* with rw 3: the next write is the count's high byte */
	bool read_msb;     /* with rw 3: the next read is the high byte */
	uint8_t low;       /* the low byte written, waiting for the high one */
	bool latched;      /* a latched count waits to be read */
	uint16_t latch;
	uint64_t start;    /* PIT clocks of guest time when the count was loaded */
	uint64_t edges;    /* IRQ0 edges since then that pit_update already gave the PIC */
	struct pic *pic;   /* where IRQ0 goes; NULL: nowhere */
};

/* As firmware leaves it: mode 3, count 65536, loaded at guest time 0; IRQ0 to pic. */
void pit_reset(struct pit *t, struct pic *pic);
/* PIT clocks in this much guest time, and the guest time (ticks, rounded up) of so many clocks. */
uint64_t pit_clocks(uint64_t guest_ticks);
uint64_t pit_guest_ticks(uint64_t clocks);
/* The counter's value at `clocks` (what a latch would read). */
uint16_t pit_count(const struct pit *t, uint64_t clocks);
/* IRQ0's rising edges from the load to `clocks`. */
uint64_t pit_edges(const struct pit *t, uint64_t clocks);
/* The guest time (ticks) of the next IRQ0 edge after `guest_ticks`; UINT64_MAX: none will come. */
uint64_t pit_next_edge(const struct pit *t, uint64_t guest_ticks);
/* Bring IRQ0 up to this guest time: one edge to the PIC when any came since the last update
 * (several become one, as an 8259A's edge latch takes them). Whether one did. */
bool pit_update(struct pit *t, uint64_t guest_ticks);
/* A port access at this guest time (ports PIT_COUNTER0_PORT.. PIT_MODE_PORT), byte wide. */
uint8_t pit_read(struct pit *t, uint16_t port, uint64_t guest_ticks);
void pit_write(struct pit *t, uint16_t port, uint8_t value, uint64_t guest_ticks);

#endif
