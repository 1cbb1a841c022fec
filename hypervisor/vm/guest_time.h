/*
 * Guest time and the tick budget (docs/protocol.md, "budget"). A guest's time is
 * what it spends in VMX non-root operation: hypervisor handling and console
 * output do not count, so a budget means the same on Bochs and on hardware.
 *
 * Where the CPU has the VMX-preemption timer and saves its value at exit
 * (VM-exit control "save VMX-preemption timer value", SDM Vol. 3C 25.7.1,
 * 28.3.4), the timer is armed once with the budget and counts guest time by
 * itself: nothing is done per exit or entry. Else the ticks between each entry
 * and the exit that ends it are added up (RDTSC), and with a timer that does not
 * save its value, it is re-armed with what is left before every entry.
 *
 * Without the preemption timer (or with the kernel option watchdog=apic-timer),
 * the host's local-APIC timer is the watchdog (kernel/apic_watchdog.h): armed before
 * every entry with what is left, its interrupt forces an exit ("external-interrupt
 * exiting", SDM 26.2; RFLAGS.IF of the guest does not block it, SDM 26.4.1), and
 * the exit handler checks the budget.
 */
#ifndef VEXIT_GUEST_TIME_H
#define VEXIT_GUEST_TIME_H

#include <stdbool.h>
#include <stdint.h>

#include "vm/vcpu.h"

/*
 * The rate guest time is read at by the devices that tell time (the PM timer): a
 * nominal 1,000,000 ticks per second, the rate the harness's Bochs is configured
 * with (ips=1000000: one tick per instruction), so Bochs's own clocks and the
 * guest's agree. On hardware the TSC runs faster and these clocks run fast with it.
 */
#define GUEST_TICKS_PER_SECOND 1000000ull

/* What stops a guest that uses up its budget. */
enum watchdog { WATCHDOG_NONE, WATCHDOG_PREEMPTION_TIMER, WATCHDOG_APIC_TIMER };
/*
 * The watchdog of a run: the preemption timer when the CPU has one, unless the APIC
 * timer is forced; else the APIC timer when it is usable; else none.
 */
enum watchdog guest_time_watchdog(bool has_preemption_timer, bool has_apic_timer, bool force_apic_timer);
/* Its name on the protocol's cpu line: preemption-timer, apic-timer or none. */
const char *guest_time_watchdog_name(enum watchdog w);

/* Choose how v's time is counted; budget 0 means none (the harness's timeout is then the only guard). */
void guest_time_configure(struct vcpu *v, uint64_t budget, enum watchdog w, bool timer_saved, unsigned timer_rate);
/* Nothing to do before an entry: the CPU counts the guest's time itself (the hot path's only test). */
static inline bool guest_time_counted_by_cpu(const struct vcpu *v)
{
	return v->timer_saved && v->launched;
}
/* Right before an entry, at tick now. False: the budget is used up, do not enter. */
bool guest_time_enter(struct vcpu *v, uint64_t now);
/* Right after an exit, at tick now. */
void guest_time_exit(struct vcpu *v, uint64_t now);
/* After the VM's last exit: the APIC watchdog stops, and leaves nothing pending for the next VM. */
void guest_time_end(struct vcpu *v);
/* At an external-interrupt exit with the APIC watchdog: true when the budget is used up. */
bool guest_time_watchdog_expired(const struct vcpu *v);
/* At a preemption-timer exit: true when budget is left (the timer fired early because the whole budget did not
 * fit its 32 bits) and it has been re-armed with the rest. */
bool guest_time_timer_expired_early(struct vcpu *v);
/* A clock of `hz` counts per second that started with the guest: its count after `ticks` guest ticks
 * (floor of ticks * hz / GUEST_TICKS_PER_SECOND, exact for every 64-bit tick count with hz < 2^32). */
uint64_t guest_time_at_rate(uint64_t ticks, uint32_t hz);
/*
 * Work the hypervisor did on the guest's behalf that the CPU would have done in the guest (the
 * elements of a REP INS/OUTS it emulates) counts as guest time: ticks more are added to the guest's,
 * and the timer, when it counts, is re-armed with what is left. Without this, a guest whose time
 * is spent in one-instruction string exits could keep the hypervisor busy for ever on a small
 * budget. False when the budget is used up (the caller stops the VM; the VMCS must be current).
 */
bool guest_time_charge(struct vcpu *v, uint64_t ticks);
/*
 * A virtual timer (the local APIC's, the PIT's) wants the VM back when the guest's time reaches `tick`
 * (UINT64_MAX: never), in place of what it asked before: the timer that counts the budget is armed for
 * whichever comes first of the budget and every source's wake-up, and its exit (or the APIC watchdog's)
 * brings the VM back then. Without a budget no timer runs: nothing wakes it.
 */
void guest_time_set_wake(struct vcpu *v, enum wake_source source, uint64_t tick);
/* The guest's ticks so far (reads the saved timer value when it counts them; the VMCS must be current). */
uint64_t guest_time_ticks(const struct vcpu *v);

#endif
