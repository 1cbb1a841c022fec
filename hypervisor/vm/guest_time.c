#include "vm/guest_time.h"

#include "hw/vmcs.h"
#include "kernel/apic_watchdog.h"
#include "vm/vcpu.h"

#define TIMER_MAX 0xffffffffull

enum watchdog guest_time_watchdog(bool has_preemption_timer, bool has_apic_timer, bool force_apic_timer)
{
	if (has_preemption_timer && !force_apic_timer)
		return WATCHDOG_PREEMPTION_TIMER;
	return has_apic_timer ? WATCHDOG_APIC_TIMER : WATCHDOG_NONE;
}

const char *guest_time_watchdog_name(enum watchdog w)
{
	switch (w) {
	case WATCHDOG_PREEMPTION_TIMER:
		return "preemption-timer";
	case WATCHDOG_APIC_TIMER:
		return "apic-timer";
	default:
		return "none";
	}
}

void guest_time_configure(struct vcpu *v, uint64_t budget, enum watchdog w, bool timer_saved, unsigned timer_rate)
{
	v->budget = budget;
	v->budget_timer = budget && w == WATCHDOG_PREEMPTION_TIMER;
	v->budget_apic = budget && w == WATCHDOG_APIC_TIMER;
	v->timer_saved = v->budget_timer && timer_saved;
	v->timer_rate = timer_rate;
	v->guest_ticks = 0;
	v->timer_value = 0;
	if (!v->timer_saved)
		v->work |= WORK_AT_EXIT | WORK_AT_ENTRY; /* guest_time_exit and guest_time_enter have work */
}

/* Guest ticks until the wake-up a virtual timer asked for (0 when it is due); UINT64_MAX: none. */
static uint64_t wake_left(const struct vcpu *v)
{
	if (v->wake_at == UINT64_MAX)
		return UINT64_MAX;
	return v->wake_at > v->guest_ticks ? v->wake_at - v->guest_ticks : 0;
}

/* Write what is left of the budget, or the time to the wake-up when sooner, into the timer, in its units; false when
 * no budget is left. */
static bool arm(struct vcpu *v)
{
	if (v->guest_ticks >= v->budget)
		return false;
	uint64_t left = (v->budget - v->guest_ticks) >> v->timer_rate;
	if (left == 0)
		return false; /* less than one timer unit left: a timer of 0 would exit at once, for ever */
	uint64_t wake = wake_left(v);
	if (wake != UINT64_MAX) {
		/* In whole units, rounded up, and one at least: a timer of 0 would exit before the guest moves. */
		uint64_t units = (wake >> v->timer_rate) + ((wake & ((1ull << v->timer_rate) - 1)) != 0);
		if (units < 1)
			units = 1;
		if (units < left)
			left = units;
	}
	v->timer_value = (uint32_t)(left > TIMER_MAX ? TIMER_MAX : left);
	vmcs_write(VMCS_PREEMPTION_TIMER_VALUE, v->timer_value);
	return true;
}

bool guest_time_enter(struct vcpu *v, uint64_t now)
{
	if (v->timer_saved) {
		/* Armed once, before the first entry; the CPU carries the count from exit to entry. */
		return v->launched || arm(v);
	}
	if (v->budget_apic) {
		if (v->guest_ticks >= v->budget)
			return false;
		uint64_t left = v->budget - v->guest_ticks, wake = wake_left(v);
		apic_watchdog_arm(wake < left ? (wake ? wake : 1) : left);
	}
	v->entry_tick = now;
	return !v->budget_timer || arm(v);
}

void guest_time_exit(struct vcpu *v, uint64_t now)
{
	if (!v->timer_saved)
		v->guest_ticks += now - v->entry_tick;
}

void guest_time_end(struct vcpu *v)
{
	if (v->budget_apic)
		apic_watchdog_stop();
}

bool guest_time_watchdog_expired(const struct vcpu *v)
{
	/* The timer counted host time too, so it may fire before the guest used it all: then it is re-armed. */
	return v->guest_ticks >= v->budget;
}

bool guest_time_timer_expired_early(struct vcpu *v)
{
	if (!v->timer_saved)
		return v->guest_ticks < v->budget; /* guest_time_enter re-arms it */
	/* The timer counted all it was given down to 0 (SDM 28.3.4: the exit saved it so). */
	v->guest_ticks += (uint64_t)v->timer_value << v->timer_rate;
	v->timer_value = 0;
	return arm(v);
}

uint64_t guest_time_ticks(const struct vcpu *v)
{
	if (!v->timer_saved || !v->launched)
		return v->guest_ticks;
	uint32_t now = (uint32_t)vmcs_read(VMCS_PREEMPTION_TIMER_VALUE);
	return v->guest_ticks + ((uint64_t)(v->timer_value - now) << v->timer_rate);
}

uint64_t guest_time_at_rate(uint64_t ticks, uint32_t hz)
{
	/* Whole seconds, then the rest: neither product overflows 64 bits. */
	uint64_t seconds = ticks / GUEST_TICKS_PER_SECOND, rest = ticks % GUEST_TICKS_PER_SECOND;
	return seconds * hz + rest * hz / GUEST_TICKS_PER_SECOND;
}

bool guest_time_charge(struct vcpu *v, uint64_t ticks)
{
	if (v->timer_saved && v->launched) {
		/* Fold what the timer counted into guest_ticks, add the charge, and arm the timer with the rest. */
		v->guest_ticks = guest_time_ticks(v) + ticks;
		v->timer_value = 0;
		vmcs_write(VMCS_PREEMPTION_TIMER_VALUE, 0); /* used up: guest_time_ticks reads guest_ticks alone */
		return arm(v);
	}
	v->guest_ticks += ticks; /* with the APIC watchdog, guest_time_enter arms it with what is left */
	return !(v->budget_timer || v->budget_apic) || v->guest_ticks < v->budget;
}

void guest_time_set_wake(struct vcpu *v, enum wake_source source, uint64_t tick)
{
	v->wake[source] = tick;
	for (unsigned i = 0; i < WAKE_SOURCES; i++)
		if (v->wake[i] < tick)
			tick = v->wake[i];
	if (tick == v->wake_at)
		return;
	v->wake_at = tick;
	/* A timer armed once counts on by itself: arm it again now (a charge of nothing does that). */
	if (v->timer_saved && v->launched)
		guest_time_charge(v, 0);
}
