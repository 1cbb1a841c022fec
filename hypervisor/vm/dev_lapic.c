/*
 * The local APIC's registers (vm/lapic.h). Pure C over the virtual-APIC page: the
 * CPU stores each virtualized write there and exits (SDM 30.4.3.3); this file then
 * keeps only the register's writable bits and gives the write its effect.
 */
#include "vm/lapic.h"

#include "kernel/kstring.h"

#define LVT_COUNT 6
static const unsigned lvt_offsets[LVT_COUNT] = { LAPIC_LVT_TIMER, LAPIC_LVT_THERMAL, LAPIC_LVT_PMC,
						 LAPIC_LVT_LINT0, LAPIC_LVT_LINT1, LAPIC_LVT_ERROR };

static uint32_t *reg(struct lapic *a, unsigned offset)
{
	return (uint32_t *)(void *)(a->page + offset);
}

void lapic_reset(struct lapic *a)
{
	/* SDM Vol. 3A 11.4.7.1: IRR, ISR, TMR, ICR, LDR, TPR, timer zero; DFR all ones; LVTs masked; SVR FFH. */
	memset(a->page, 0, LAPIC_PAGE_SIZE);
	*reg(a, LAPIC_VERSION) = LAPIC_VERSION_VALUE;
	*reg(a, LAPIC_DFR) = 0xffffffffu;
	*reg(a, LAPIC_SVR) = 0xff;
	for (unsigned i = 0; i < LVT_COUNT; i++)
		*reg(a, lvt_offsets[i]) = LAPIC_LVT_MASKED;
	a->timer_start = 0;
}

/* The writable bits of each LVT entry (SDM Vol. 3A figure 11-8); delivery status and remote IRR are read-only. */
static uint32_t lvt_writable(unsigned offset)
{
	switch (offset) {
	case LAPIC_LVT_TIMER: return 0x300ffu; /* vector, mask, one-shot/periodic (no TSC-deadline mode) */
	case LAPIC_LVT_LINT0:
	case LAPIC_LVT_LINT1: return 0x1a7ffu; /* vector, delivery mode, polarity, trigger mode, mask */
	case LAPIC_LVT_ERROR: return 0x100ffu; /* vector, mask */
	default: return 0x107ffu;              /* thermal, PMC: vector, delivery mode, mask */
	}
}

static bool is_lvt(unsigned offset)
{
	for (unsigned i = 0; i < LVT_COUNT; i++)
		if (lvt_offsets[i] == offset)
			return true;
	return false;
}

/* The highest vector set in a 256-bit register (ISR, IRR): eight words 16 bytes apart; -1 if none. */
static int highest_vector(struct lapic *a, unsigned base)
{
	for (int w = 7; w >= 0; w--) {
		uint32_t bits = *reg(a, base + 16 * (unsigned)w);
		for (int b = 31; bits && b >= 0; b--)
			if (bits & (1u << b))
				return 32 * w + b;
	}
	return -1;
}

/* SDM Vol. 3A 11.8.3.1: PPR is TPR when TPR[7:4] >= ISRV[7:4], else ISRV[7:4] with bits 3:0 clear. */
static void update_ppr(struct lapic *a)
{
	uint32_t tpr = *reg(a, LAPIC_TPR) & 0xff;
	int isrv = highest_vector(a, LAPIC_ISR);
	uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xf0;
	*reg(a, LAPIC_PPR) = (tpr & 0xf0) >= isr_class ? tpr : isr_class;
}

static void mask_all_lvts(struct lapic *a)
{
	for (unsigned i = 0; i < LVT_COUNT; i++)
		*reg(a, lvt_offsets[i]) |= LAPIC_LVT_MASKED;
}

/*
 * Whether the IPI now in the ICR reaches this APIC, the only one a vexit VM has
 * (SDM Vol. 3A 11.6.1, 11.6.2): by shorthand, else by its destination, physical
 * (the APIC ID, or FFH for all) or logical (flat: a bit of the logical ID in common;
 * cluster: the same cluster, or all, and a bit in common).
 */
static bool ipi_reaches_self(struct lapic *a)
{
	uint32_t icr = *reg(a, LAPIC_ICR_LOW);
	uint32_t dest = *reg(a, LAPIC_ICR_HIGH) >> 24;
	switch ((icr >> 18) & 3) {
	case 1: return true;  /* self */
	case 2: return true;  /* all including self */
	case 3: return false; /* all excluding self: nobody else is there */
	default: break;
	}
	if (!(icr & (1u << 11)))
		return dest == 0xff || dest == *reg(a, LAPIC_ID) >> 24;
	uint32_t ldr = *reg(a, LAPIC_LDR) >> 24;
	if ((*reg(a, LAPIC_DFR) >> 28) == 0xf)
		return (dest & ldr) != 0;
	return ((dest >> 4) == 0xf || (dest >> 4) == (ldr >> 4)) && (dest & ldr & 0xf) != 0;
}

enum lapic_effect lapic_write(struct lapic *a, unsigned offset, uint64_t now)
{
	offset &= 0xff0; /* registers are 16-byte aligned */
	uint32_t *r = reg(a, offset);
	uint32_t v = *r;
	enum lapic_effect effect = LAPIC_DONE;
	if (is_lvt(offset)) {
		*r = v & lvt_writable(offset);
		/* SDM Vol. 3A 11.4.7.2: while software-disabled, the mask bits cannot be cleared. */
		if (!(*reg(a, LAPIC_SVR) & LAPIC_SVR_ENABLE))
			*r |= LAPIC_LVT_MASKED;
		return LAPIC_DONE;
	}
	switch (offset) {
	case LAPIC_ID: *r = v & 0xff000000u; break;  /* xAPIC ID in bits 31:24 */
	case LAPIC_TPR: *r = v & 0xff; break;
	case LAPIC_LDR: *r = v & 0xff000000u; break; /* logical ID in bits 31:24 */
	case LAPIC_DFR: *r = v | 0x0fffffffu; break; /* model in bits 31:28; the rest reads as ones */
	case LAPIC_SVR:
		/* Vector, APIC software enable, focus check; no EOI-broadcast suppression (version bit 24 clear). */
		*r = v & 0x3ffu;
		if (!(*r & LAPIC_SVR_ENABLE))
			mask_all_lvts(a); /* SDM Vol. 3A 11.4.7.2 */
		break;
	case LAPIC_EOI: {
		/* SDM Vol. 3A 11.8.5: an EOI retires the highest-priority in-service interrupt. */
		int isrv = highest_vector(a, LAPIC_ISR);
		if (isrv >= 0)
			*reg(a, LAPIC_ISR + 16 * ((unsigned)isrv / 32)) &= ~(1u << (isrv % 32));
		*r = 0;
		break;
	}
	case LAPIC_ESR: *r = 0; break;                    /* a write latches the errors seen since: none */
	case LAPIC_ICR_HIGH: *r = v & 0xff000000u; break; /* destination in bits 31:24 */
	case LAPIC_ICR_LOW:
		/* Vector, delivery and destination modes, level, trigger, shorthand; delivery status reads idle. */
		*r = v & 0xccfffu & ~(1u << 12);
		if (ipi_reaches_self(a))
			effect = LAPIC_IPI;
		break;
	case LAPIC_TIMER_INITIAL:
		a->timer_start = now; /* SDM Vol. 3A 11.5.4: writing the initial count starts the count-down */
		break;
	case LAPIC_TIMER_DIVIDE: *r = v & 0xbu; break; /* bits 0, 1 and 3 */
	default:
		/* Read-only or reserved: the write is ignored. The CPU has already stored it: put back what was. */
		*r = offset == LAPIC_VERSION ? LAPIC_VERSION_VALUE : 0;
		break;
	}
	update_ppr(a);
	return effect;
}

/* Divide configuration bits 3, 1:0 = n: divide by 2^(n+1), and 111b by 1 (SDM Vol. 3A figure 11-10). */
static unsigned divide_shift(uint32_t dcr)
{
	unsigned n = ((dcr >> 1) & 4) | (dcr & 3);
	return n == 7 ? 0 : n + 1;
}

uint32_t lapic_timer_current(const struct lapic *a, uint64_t now)
{
	uint32_t initial = lapic_reg(a, LAPIC_TIMER_INITIAL);
	if (!initial)
		return 0;
	uint64_t counts = (now - a->timer_start) >> divide_shift(lapic_reg(a, LAPIC_TIMER_DIVIDE));
	if (lapic_reg(a, LAPIC_LVT_TIMER) & LAPIC_LVT_PERIODIC)
		return initial - (uint32_t)(counts % initial);
	return counts >= initial ? 0 : initial - (uint32_t)counts;
}

void lapic_global_enable(struct lapic *a, bool was, bool now)
{
	/* SDM Vol. 3A 11.4.3: disabling the APIC globally returns it to its power-up state; the ID stays. */
	if (was && !now) {
		uint32_t id = lapic_reg(a, LAPIC_ID);
		lapic_reset(a);
		*reg(a, LAPIC_ID) = id;
	}
}
