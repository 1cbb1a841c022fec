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

#define LAPIC_BASE 0xfee00000ull /* its base at power-up; IA32_APIC_BASE moves it (SDM Vol. 3A 11.4.4) */
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
/* The timer's mode, LVT timer bits 18:17 (SDM Vol. 3A 11.5.4, figure 11-8). */
#define LAPIC_TIMER_MODE(lvt) (((lvt) >> 17) & 3u)
#define LAPIC_TIMER_ONE_SHOT 0
#define LAPIC_TIMER_PERIODIC 1
#define LAPIC_TIMER_TSC_DEADLINE 2
#define LAPIC_TIMER_NEVER UINT64_MAX

#define LAPIC_LVT_DELIVERY_MODE(lvt) (((lvt) >> 8) & 7u)
#define LAPIC_DM_FIXED 0
#define LAPIC_DM_LOWEST 1
#define LAPIC_DM_NMI 4
#define LAPIC_DM_EXTINT 7

struct lapic {
	uint8_t *page;        /* the virtual-APIC page (SDM 30.1): the registers the guest reads */
	uint64_t timer_start; /* the TSC when the initial count was last written */
	uint64_t timer_next;  /* the TSC at the timer's next expiry; LAPIC_TIMER_NEVER: not armed */
	uint64_t tsc_deadline; /* IA32_TSC_DEADLINE as the guest wrote it; 0 once it fired (11.5.4.1) */
	uint32_t timer_lvt;   /* the LVT timer entry as last applied (the CPU overwrites the page before the exit) */
	bool disabled;        /* globally disabled through IA32_APIC_BASE (SDM Vol. 3A 11.4.3) */
};

/* What a register write asks of the VM beyond the page. */
enum lapic_effect {
	LAPIC_DONE,
	LAPIC_EVALUATE, /* an interrupt may now be deliverable (an IPI to itself, an EOI...): irq_kick */
	LAPIC_NMI,      /* an NMI IPI reached this APIC: irq_raise_nmi */
};

/* The power-up and reset state (SDM Vol. 3A 11.4.7.1), with APIC ID 0. */
void lapic_reset(struct lapic *a);
/*
 * The reset state as PC firmware leaves it for a kernel it boots: LINT0 unmasked in ExtINT mode,
 * the virtual-wire mode of the MP specification (1.4, 3.6.2.2; SDM Vol. 3A 11.5.1), so the legacy
 * PIC's INTR reaches the CPU through the enabled APIC. A kernel that disables its APIC globally
 * (every kvm-unit-tests kernel on cstart64.S does) gets lapic_reset's masked LINT0 back.
 */
void lapic_reset_virtual_wire(struct lapic *a);
/* The guest wrote the register at `offset` (the value already in the page): apply it at TSC `now`. */
enum lapic_effect lapic_write(struct lapic *a, unsigned offset, uint64_t now);
/*
 * The timer's clock (SDM Vol. 3A 11.5.4) is the TSC: one count per TSC tick before the divider
 * (in Bochs, one per instruction retired, the hypervisor's included: the same counts on every
 * run). `now` below is the TSC. Its current count at `now`:
 */
uint32_t lapic_timer_current(const struct lapic *a, uint64_t now);
/*
 * Let the timer catch up with TSC `now`: at an expiry it requests its LVT vector unless
 * masked, reloads in periodic mode, stops in one-shot mode, disarms in TSC-deadline mode
 * (IA32_TSC_DEADLINE reads 0 again). True when a vector went to the IRR.
 */
bool lapic_timer_tick(struct lapic *a, uint64_t now);
/*
 * A write of `value` to IA32_TSC_DEADLINE when the TSC reads `now`: in TSC-deadline mode it arms
 * the timer for that TSC value (0 disarms; one already passed fires at once), else it is ignored
 * (11.5.4.1).
 */
void lapic_tsc_deadline_write(struct lapic *a, uint64_t value, uint64_t now);

/*
 * An access the CPU did not virtualize (an APIC-access exit, SDM 30.4.1), emulated: `size` bytes
 * at `offset`. Each register is the first 4 bytes of its 16-byte slot; the rest read 0. A read of
 * the timer's current count counts it at TSC `now`. A write goes to a writable register
 * as the CPU's virtualized write would (its bytes merged into the register, then lapic_write);
 * a write to a read-only register or to no register is ignored (SDM Vol. 3A 11.4.1).
 */
uint64_t lapic_mmio_read(const struct lapic *a, unsigned offset, unsigned size, uint64_t now);
enum lapic_effect lapic_mmio_write(struct lapic *a, unsigned offset, unsigned size, uint64_t value, uint64_t now);
/* IA32_APIC_BASE changed its global enable flag from `was` to `now` (SDM Vol. 3A 11.4.3). */
void lapic_global_enable(struct lapic *a, bool was, bool now);

/*
 * Accept fixed interrupt `vector` into the IRR (SDM Vol. 3A 11.8.4). A disabled APIC
 * (globally, or by software as KVM treats it) accepts none; vectors 0-15 are illegal
 * (11.8.1): the ESR records it (11.5.3) and nothing is delivered. False: not accepted.
 */
bool lapic_accept(struct lapic *a, unsigned vector);
/* The vector the APIC would have the CPU take now: its highest IRR vector whose class is above the processor priority (11.8.3.1); -1 when none. Brings PPR in the page up to date. */
int lapic_pending(struct lapic *a);
/* The CPU takes `vector` (the interrupt acknowledge, 11.8.4): its IRR bit moves to the ISR, PPR rises. */
void lapic_acknowledge(struct lapic *a, unsigned vector);
/*
 * The TPR threshold for the next entry (SDM 30.1.2, 26.7.7): the class of the highest IRR vector
 * when the task priority alone holds it back, so that the guest lowering TPR below it exits
 * ("TPR below threshold"); else 0. Never above VTPR[7:4], as SDM 27.2.1.1 requires.
 */
uint32_t lapic_tpr_threshold(const struct lapic *a);
/* Whether the CPU's INTR line (the PIC's ExtINT) reaches the CPU: LINT0 unmasked in ExtINT mode, or the APIC globally disabled (11.5.1). */
bool lapic_passes_extint(const struct lapic *a);

static inline uint32_t lapic_reg(const struct lapic *a, unsigned offset)
{
	return *(const uint32_t *)(const void *)(a->page + offset);
}

#endif
