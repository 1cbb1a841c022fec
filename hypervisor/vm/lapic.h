/*
 * The local APIC an external kernel sees (xAPIC at 0xFEE00000), built on the CPU's APIC
 * virtualization (SDM 30): the guest reads its registers straight from the virtual-APIC
 * page; each write the CPU virtualizes lands there and then exits (APIC-write, SDM 30.4.3.3),
 * and vm/dev_lapic.c gives it its architectural effect (SDM Vol. 3A chapter 11).
 */
#ifndef VEXIT_LAPIC_H
#define VEXIT_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#define LAPIC_BASE 0xfee00000ull
#define LAPIC_PAGE_SIZE 4096
/* Register offsets in the APIC page (SDM Vol. 3A table 11-1). */
#define LAPIC_ID 0x020
#define LAPIC_VERSION 0x030
#define LAPIC_TPR 0x080
#define LAPIC_APR 0x090
#define LAPIC_PPR 0x0a0
#define LAPIC_EOI 0x0b0
#define LAPIC_LDR 0x0d0
#define LAPIC_DFR 0x0e0
#define LAPIC_SVR 0x0f0
#define LAPIC_ISR 0x100
#define LAPIC_TMR 0x180
#define LAPIC_IRR 0x200
#define LAPIC_ESR 0x280
#define LAPIC_ICR_LOW 0x300
#define LAPIC_ICR_HIGH 0x310
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_THERMAL 0x330
#define LAPIC_LVT_PMC 0x340
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3e0
/* Version 14H (an integrated APIC), six LVT entries: timer, thermal, PMC, LINT0, LINT1, error. */
#define LAPIC_VERSION_VALUE 0x00050014u
#define LAPIC_SVR_ENABLE (1u << 8)
#define LAPIC_LVT_MASKED (1u << 16)
#define LAPIC_LVT_PERIODIC (1u << 17)

struct lapic {
	uint8_t *page;        /* the virtual-APIC page (SDM 30.1): the registers the guest reads */
	uint64_t timer_start; /* guest time when the initial count was last written */
};

/* What a register write asks of the VM beyond the page. */
enum lapic_effect {
	LAPIC_DONE,
	LAPIC_IPI, /* an ICR write sent this APIC an interrupt: vexit delivers none yet */
};

/* The power-up and reset state (SDM Vol. 3A 11.4.7.1), with APIC ID 0. */
void lapic_reset(struct lapic *a);
/* The guest wrote the register at `offset` (the value already in the page): apply it at guest time `now`. */
enum lapic_effect lapic_write(struct lapic *a, unsigned offset, uint64_t now);
/* The timer's current count at guest time `now`: one count per guest tick before the divider. */
uint32_t lapic_timer_current(const struct lapic *a, uint64_t now);
/* IA32_APIC_BASE changed its global enable flag from `was` to `now` (SDM Vol. 3A 11.4.3). */
void lapic_global_enable(struct lapic *a, bool was, bool now);

static inline uint32_t lapic_reg(const struct lapic *a, unsigned offset)
{
	return *(const uint32_t *)(const void *)(a->page + offset);
}

#endif
