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
	a->timer_next = LAPIC_TIMER_NEVER;
	a->tsc_deadline = 0;
	a->timer_lvt = LAPIC_LVT_MASKED;
}

void lapic_reset_virtual_wire(struct lapic *a)
{
	lapic_reset(a);
	*reg(a, LAPIC_LVT_LINT0) = (uint32_t)LAPIC_DM_EXTINT << 8;
}

/* The writable bits of each LVT entry (SDM Vol. 3A figure 11-8); delivery status and remote IRR are read-only. */
static uint32_t lvt_writable(unsigned offset)
{
	switch (offset) {
	case LAPIC_LVT_TIMER: return 0x700ffu; /* vector, mask, mode (one-shot, periodic, TSC deadline) */
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
static int highest_vector(const struct lapic *a, unsigned base)
{
	for (int w = 7; w >= 0; w--) {
		uint32_t bits = lapic_reg(a, base + 16 * (unsigned)w);
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

static void vector_set(struct lapic *a, unsigned base, unsigned vector)
{
	*reg(a, base + 16 * (vector / 32)) |= 1u << (vector % 32);
}

static void vector_clear(struct lapic *a, unsigned base, unsigned vector)
{
	*reg(a, base + 16 * (vector / 32)) &= ~(1u << (vector % 32));
}

/*
 * An IPI this APIC sent itself (SDM Vol. 3A 11.6.1): fixed and lowest-priority (on a
 * single APIC it is the lowest) go to its IRR, an NMI to the CPU. SMI, INIT and SIPI to
 * itself are not modelled (a VM has no SMM, and INIT/SIPI only start other processors):
 * dropped. The delivery status bit reads idle at once: the bus never holds it busy.
 */
static enum lapic_effect ipi_to_self(struct lapic *a, uint32_t icr)
{
	switch (LAPIC_LVT_DELIVERY_MODE(icr)) {
	case LAPIC_DM_FIXED:
	case LAPIC_DM_LOWEST:
		return lapic_accept(a, icr & 0xff) ? LAPIC_EVALUATE : LAPIC_DONE;
	case LAPIC_DM_NMI:
		return LAPIC_NMI;
	default:
		return LAPIC_DONE;
	}
}

/* Divide configuration bits 3, 1:0 = n: divide by 2^(n+1), and 111b by 1 (SDM Vol. 3A figure 11-10). */
static unsigned divide_shift(uint32_t dcr)
{
	unsigned n = ((dcr >> 1) & 4) | (dcr & 3);
	return n == 7 ? 0 : n + 1;
}

/* TSC ticks from the initial count to 0. */
static uint64_t timer_period(const struct lapic *a)
{
	return (uint64_t)lapic_reg(a, LAPIC_TIMER_INITIAL) << divide_shift(lapic_reg(a, LAPIC_TIMER_DIVIDE));
}

/*
 * A write to the LVT timer entry (`v`, not yet applied). The count first catches up with `now`
 * under the old mode (a one-shot count that reached 0 stays stopped: kvm-unit-tests' apic checks
 * that a later switch to periodic leaves it at 0). Between one-shot and periodic the count runs
 * on from where it is; into or out of TSC-deadline mode the timer is disarmed (11.5.4.1).
 */
static void timer_mode_write(struct lapic *a, uint32_t v, uint64_t now)
{
	uint32_t old = a->timer_lvt;
	*reg(a, LAPIC_LVT_TIMER) = old; /* the CPU stored v: judge the catch-up by the old entry */
	lapic_timer_tick(a, now);
	*reg(a, LAPIC_LVT_TIMER) = v;
	bool was_tsc = LAPIC_TIMER_MODE(old) == LAPIC_TIMER_TSC_DEADLINE;
	bool is_tsc = LAPIC_TIMER_MODE(v) == LAPIC_TIMER_TSC_DEADLINE;
	if (was_tsc != is_tsc) {
		a->timer_next = LAPIC_TIMER_NEVER;
		a->tsc_deadline = 0;
		*reg(a, LAPIC_TIMER_INITIAL) = 0;
	}
}

enum lapic_effect lapic_write(struct lapic *a, unsigned offset, uint64_t now)
{
	offset &= 0xff0; /* registers are 16-byte aligned */
	uint32_t *r = reg(a, offset);
	uint32_t v = *r;
	enum lapic_effect effect = LAPIC_DONE;
	if (offset == LAPIC_LVT_TIMER)
		timer_mode_write(a, v, now);
	if (is_lvt(offset)) {
		*r = v & lvt_writable(offset);
		if (offset == LAPIC_LVT_TIMER && LAPIC_TIMER_MODE(*r) == 3)
			*r &= ~(3u << 17); /* mode 11b is reserved: one-shot */
		/* SDM Vol. 3A 11.4.7.2: while software-disabled, the mask bits cannot be cleared. */
		if (!(*reg(a, LAPIC_SVR) & LAPIC_SVR_ENABLE))
			*r |= LAPIC_LVT_MASKED;
		a->timer_lvt = *reg(a, LAPIC_LVT_TIMER);
		return offset == LAPIC_LVT_TIMER ? LAPIC_EVALUATE : LAPIC_DONE;
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
		effect = LAPIC_EVALUATE;
		break;
	case LAPIC_EOI: {
		/* SDM Vol. 3A 11.8.5: an EOI retires the highest-priority in-service interrupt. */
		int isrv = highest_vector(a, LAPIC_ISR);
		if (isrv >= 0)
			vector_clear(a, LAPIC_ISR, (unsigned)isrv);
		*r = 0;
		effect = LAPIC_EVALUATE; /* one held back by it may go now */
		break;
	}
	case LAPIC_ESR: *r = 0; break;                    /* a write latches the errors seen since: none */
	case LAPIC_ICR_HIGH: *r = v & 0xff000000u; break; /* destination in bits 31:24 */
	case LAPIC_ICR_LOW:
		/* Vector, delivery and destination modes, level, trigger, shorthand; delivery status reads idle. */
		*r = v & 0xccfffu & ~(1u << 12);
		if (ipi_reaches_self(a))
			effect = ipi_to_self(a, *r);
		break;
	case LAPIC_TIMER_INITIAL:
		/* SDM Vol. 3A 11.5.4: writing the initial count starts the count-down (0 stops it); ignored in TSC-deadline mode. */
		if (LAPIC_TIMER_MODE(lapic_reg(a, LAPIC_LVT_TIMER)) == LAPIC_TIMER_TSC_DEADLINE) {
			*r = 0;
			break;
		}
		a->timer_start = now;
		a->timer_next = v ? now + timer_period(a) : LAPIC_TIMER_NEVER;
		break;
	case LAPIC_TIMER_DIVIDE:
		*r = v & 0xbu; /* bits 0, 1 and 3 */
		if (a->timer_next != LAPIC_TIMER_NEVER && a->timer_next > now)
			a->timer_next = a->timer_start + timer_period(a); /* a running count expires by the new rate */
		break;
	default:
		/* Read-only or reserved: the write is ignored. The CPU has already stored it: put back what was. */
		*r = offset == LAPIC_VERSION ? LAPIC_VERSION_VALUE : 0;
		break;
	}
	update_ppr(a);
	a->timer_lvt = *reg(a, LAPIC_LVT_TIMER);
	if (offset == LAPIC_TIMER_INITIAL || offset == LAPIC_TIMER_DIVIDE)
		effect = LAPIC_EVALUATE; /* the timer's next expiry moved */
	return effect;
}

uint32_t lapic_timer_current(const struct lapic *a, uint64_t now)
{
	/* Stopped (never started, a one-shot count that reached 0, TSC-deadline mode): it reads 0. */
	uint32_t lvt = lapic_reg(a, LAPIC_LVT_TIMER);
	if (a->timer_next == LAPIC_TIMER_NEVER || LAPIC_TIMER_MODE(lvt) == LAPIC_TIMER_TSC_DEADLINE)
		return 0;
	/* Counted back from the next expiry, so a switch between one-shot and periodic runs on from where it is. */
	unsigned shift = divide_shift(lapic_reg(a, LAPIC_TIMER_DIVIDE));
	if (now < a->timer_next)
		return (uint32_t)((a->timer_next - now) >> shift);
	uint64_t period = timer_period(a);
	if (LAPIC_TIMER_MODE(lvt) != LAPIC_TIMER_PERIODIC || !period)
		return 0; /* one-shot: reached 0 */
	return (uint32_t)((period - (now - a->timer_next) % period) >> shift); /* reloads not yet seen by a tick */
}

bool lapic_timer_tick(struct lapic *a, uint64_t now)
{
	if (a->timer_next > now)
		return false;
	uint32_t lvt = lapic_reg(a, LAPIC_LVT_TIMER);
	uint64_t period = timer_period(a);
	if (LAPIC_TIMER_MODE(lvt) == LAPIC_TIMER_PERIODIC && period) {
		/* The next reload after now: one interrupt, however many periods went by unseen. */
		a->timer_next += period * ((now - a->timer_next) / period + 1);
	} else {
		a->timer_next = LAPIC_TIMER_NEVER;
		a->tsc_deadline = 0;
	}
	return !(lvt & LAPIC_LVT_MASKED) && lapic_accept(a, lvt & 0xff);
}

void lapic_tsc_deadline_write(struct lapic *a, uint64_t value, uint64_t now)
{
	if (LAPIC_TIMER_MODE(lapic_reg(a, LAPIC_LVT_TIMER)) != LAPIC_TIMER_TSC_DEADLINE)
		return;
	a->tsc_deadline = value;
	a->timer_next = !value ? LAPIC_TIMER_NEVER : value > now ? value : now;
}

bool lapic_accept(struct lapic *a, unsigned vector)
{
	if (a->disabled || !(lapic_reg(a, LAPIC_SVR) & LAPIC_SVR_ENABLE))
		return false;
	if (vector < 16) {
		*reg(a, LAPIC_ESR) |= 1u << 6; /* received illegal vector (11.5.3) */
		return false;
	}
	vector_set(a, LAPIC_IRR, vector);
	return true;
}

int lapic_pending(struct lapic *a)
{
	if (a->disabled)
		return -1;
	update_ppr(a); /* the guest may have moved TPR through CR8 without an exit (SDM 30.3) */
	int irrv = highest_vector(a, LAPIC_IRR);
	if (irrv < 0 || ((unsigned)irrv & 0xf0) <= (lapic_reg(a, LAPIC_PPR) & 0xf0))
		return -1;
	return irrv;
}

void lapic_acknowledge(struct lapic *a, unsigned vector)
{
	vector_clear(a, LAPIC_IRR, vector);
	vector_set(a, LAPIC_ISR, vector);
	update_ppr(a);
}

uint32_t lapic_tpr_threshold(const struct lapic *a)
{
	int irrv = highest_vector(a, LAPIC_IRR);
	uint32_t tpr_class = (lapic_reg(a, LAPIC_TPR) >> 4) & 0xf;
	if (a->disabled || irrv < 0 || ((unsigned)irrv >> 4) > tpr_class)
		return 0;
	return (unsigned)irrv >> 4;
}

bool lapic_passes_extint(const struct lapic *a)
{
	uint32_t lint0 = lapic_reg(a, LAPIC_LVT_LINT0);
	return a->disabled || (!(lint0 & LAPIC_LVT_MASKED) && LAPIC_LVT_DELIVERY_MODE(lint0) == LAPIC_DM_EXTINT);
}

void lapic_global_enable(struct lapic *a, bool was, bool now)
{
	a->disabled = !now;
	/* SDM Vol. 3A 11.4.3: disabling the APIC globally returns it to its power-up state; the ID stays. */
	if (was && !now) {
		uint32_t id = lapic_reg(a, LAPIC_ID);
		lapic_reset(a);
		*reg(a, LAPIC_ID) = id;
	}
}

uint64_t lapic_mmio_read(const struct lapic *a, unsigned offset, unsigned size, uint64_t now)
{
	uint64_t value = 0;
	for (unsigned k = 0; k < size && k < 8; k++) {
		unsigned at = (offset + k) & 0xfff, byte = at & 0xf;
		if (byte >= 4)
			continue;
		unsigned r = at & 0xff0;
		uint32_t reg_value = r == LAPIC_TIMER_CURRENT ? lapic_timer_current(a, now) : lapic_reg(a, r);
		value |= (uint64_t)((reg_value >> (8 * byte)) & 0xff) << (8 * k);
	}
	return value;
}

/* The registers a write reaches (SDM Vol. 3A table 11-1): the others are read-only or absent. */
static bool writable(unsigned r)
{
	switch (r) {
	case LAPIC_ID: case LAPIC_TPR: case LAPIC_EOI: case LAPIC_LDR: case LAPIC_DFR: case LAPIC_SVR:
	case LAPIC_ESR: case LAPIC_ICR_LOW: case LAPIC_ICR_HIGH: case LAPIC_TIMER_INITIAL: case LAPIC_TIMER_DIVIDE:
		return true;
	default:
		return is_lvt(r);
	}
}

enum lapic_effect lapic_mmio_write(struct lapic *a, unsigned offset, unsigned size, uint64_t value, uint64_t now)
{
	unsigned r = offset & 0xff0, byte = offset & 0xf;
	if (!writable(r) || byte >= 4)
		return LAPIC_DONE;
	uint32_t merged = lapic_reg(a, r);
	for (unsigned k = 0; k < size && byte + k < 4; k++) {
		unsigned shift = 8 * (byte + k);
		merged = (merged & ~(0xffu << shift)) | (uint32_t)((value >> (8 * k)) & 0xff) << shift;
	}
	*reg(a, r) = merged;
	return lapic_write(a, r, now);
}
