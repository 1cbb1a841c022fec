/*
 * Unit tests of hypervisor/vm/guest_time.c, the arithmetic of the tick budget
 * (docs/protocol.md "budget"): guest time counted by the VMX-preemption timer
 * itself where the CPU saves its value at exit (armed once), or with RDTSC
 * between entry and exit (the timer re-armed with what is left before every
 * entry); a budget bigger than the timer's 32 bits, less than one timer unit
 * left, and budget 0 meaning none. The timer field is the fake VMCS's. Then the
 * fallback watchdog: which one a run gets, the local-APIC timer's calibration and
 * conversion (kernel/apic_watchdog.c) over the fake APIC, armed before every entry.
 */
#include <check.h>
#include <stdint.h>

#include "fake_hw.h"
#include "hw/vmcs.h"
#include "kernel/apic_watchdog.h"
#include "run_suite.h"
#include "vm/guest_time.h"
#include "vm/vcpu.h"

static struct vcpu v;

static void setup(void)
{
	fake_vmcs_reset();
	fake_cpu_reset();
	vcpu_init(&v, NULL);
}

static uint64_t timer_field(void)
{
	return fake_vmcs.preemption_timer;
}

/* The CPU ran the guest until the timer reached 0 and saved that (SDM 28.3.4 with "save timer value"). */
static void timer_fired(void)
{
	fake_vmcs.preemption_timer = 0;
}

START_TEST(test_budget_zero_is_none)
{
	/* No budget: nothing is armed, every entry is allowed, whatever the CPU has. */
	for (int saved = 0; saved < 2; saved++) {
		fake_vmcs_reset();
		guest_time_configure(&v, 0, WATCHDOG_PREEMPTION_TIMER, saved, 5);
		ck_assert(!v.budget_timer);
		ck_assert(!v.timer_saved);
		ck_assert(guest_time_enter(&v, 100));
		guest_time_exit(&v, 1000000100);
		v.launched = true;
		ck_assert(guest_time_enter(&v, 1000000200));
		ck_assert_uint_eq(fake_vmcs_writes(), 0);
		ck_assert_uint_eq(guest_time_ticks(&v), 1000000000); /* still counted, for the guest-end line */
	}
}
END_TEST

START_TEST(test_no_timer_counts_but_never_stops)
{
	/* Without a preemption timer the budget cannot be enforced (guests that need it say so). */
	guest_time_configure(&v, 50, WATCHDOG_NONE, true, 0);
	ck_assert(!v.budget_timer);
	ck_assert(!v.timer_saved); /* "save timer value" is meaningless without the timer */
	ck_assert(guest_time_enter(&v, 0));
	guest_time_exit(&v, 80);
	ck_assert(guest_time_enter(&v, 90));
	ck_assert_uint_eq(guest_time_ticks(&v), 80);
	ck_assert_uint_eq(fake_vmcs_writes(), 0);
}
END_TEST

START_TEST(test_rdtsc_counts_only_guest_time)
{
	/* Ticks between each entry and its exit count; the hypervisor's own time between them does not. */
	guest_time_configure(&v, 1000, WATCHDOG_PREEMPTION_TIMER, false, 0);
	ck_assert(v.budget_timer && !v.timer_saved);
	ck_assert(guest_time_enter(&v, 10000));
	ck_assert_uint_eq(timer_field(), 1000);
	guest_time_exit(&v, 10300); /* 300 in the guest */
	v.launched = true;
	ck_assert_uint_eq(guest_time_ticks(&v), 300);
	ck_assert(guest_time_enter(&v, 50000)); /* 39700 ticks of hypervisor time: not counted */
	ck_assert_uint_eq(timer_field(), 700);   /* re-armed with what is left */
	guest_time_exit(&v, 50650);
	ck_assert_uint_eq(guest_time_ticks(&v), 950);
	ck_assert(guest_time_timer_expired_early(&v)); /* 50 left: a timer exit here came early */
	ck_assert(guest_time_enter(&v, 60000));
	ck_assert_uint_eq(timer_field(), 50);
	guest_time_exit(&v, 60050);
	ck_assert_uint_eq(guest_time_ticks(&v), 1000);
	ck_assert(!guest_time_timer_expired_early(&v)); /* all used: the stop */
	ck_assert(!guest_time_enter(&v, 70000));
}
END_TEST

START_TEST(test_rdtsc_timer_rate)
{
	/* The timer counts once every 2^rate ticks: it is armed in its units, rounded down. */
	guest_time_configure(&v, 1000, WATCHDOG_PREEMPTION_TIMER, false, 3);
	ck_assert(guest_time_enter(&v, 0));
	ck_assert_uint_eq(timer_field(), 1000 >> 3);
	guest_time_exit(&v, 997);
	v.launched = true;
	/* 3 ticks left, less than one unit of 8: a timer of 0 would exit at once, for ever, so this is the end. */
	ck_assert(guest_time_timer_expired_early(&v));
	ck_assert(!guest_time_enter(&v, 2000));
	/* 8 left is exactly one unit. */
	guest_time_configure(&v, 1000, WATCHDOG_PREEMPTION_TIMER, false, 3);
	v.guest_ticks = 992;
	ck_assert(guest_time_enter(&v, 0));
	ck_assert_uint_eq(timer_field(), 1);
}
END_TEST

START_TEST(test_rdtsc_budget_past_32_bits)
{
	/* A budget the 32-bit timer cannot hold takes several timer exits, each re-arming with the rest. */
	const uint64_t budget = 0x280000000ull; /* 2.5 x 2^32 */
	guest_time_configure(&v, budget, WATCHDOG_PREEMPTION_TIMER, false, 0);
	uint64_t now = 0;
	unsigned timer_exits = 0;
	for (;;) {
		if (!guest_time_enter(&v, now))
			break;
		v.launched = true;
		uint64_t armed = timer_field();
		ck_assert_uint_ge(armed, 1);
		ck_assert_uint_le(armed, 0xffffffffull);
		now += armed; /* the guest runs until the timer fires */
		guest_time_exit(&v, now);
		timer_exits++;
		now += 1234; /* the hypervisor's time */
		if (!guest_time_timer_expired_early(&v))
			break;
	}
	ck_assert_uint_eq(timer_exits, 3);
	ck_assert_uint_eq(guest_time_ticks(&v), budget);
}
END_TEST

START_TEST(test_saved_timer_armed_once)
{
	/* With "save timer value" the timer is written before the first entry only; the CPU carries it on. */
	guest_time_configure(&v, 1000, WATCHDOG_PREEMPTION_TIMER, true, 0);
	ck_assert(v.timer_saved);
	ck_assert(guest_time_enter(&v, 5));
	ck_assert_uint_eq(timer_field(), 1000);
	ck_assert_uint_eq(fake_vmcs_writes(), 1);
	v.launched = true;
	fake_vmcs.preemption_timer = 640; /* what the CPU saved at the exit: 360 ticks run */
	guest_time_exit(&v, 999999);      /* no RDTSC arithmetic */
	ck_assert_uint_eq(v.guest_ticks, 0);
	ck_assert(guest_time_enter(&v, 1999999));
	ck_assert_uint_eq(fake_vmcs_writes(), 1); /* no rewrite per entry */
	ck_assert_uint_eq(timer_field(), 640);
	ck_assert_uint_eq(guest_time_ticks(&v), 360);
	timer_fired();
	ck_assert_uint_eq(guest_time_ticks(&v), 1000);
	ck_assert(!guest_time_timer_expired_early(&v)); /* it fired with the whole budget in it: the end */
	ck_assert_uint_eq(guest_time_ticks(&v), 1000);
}
END_TEST

/* The wake slot: the timer is armed for the earliest of the budget and every source's wake-up, and a
 * source's new wake-up replaces its old one (the PIT's edge and the APIC timer's expiry, vm/vcpu.h). */
START_TEST(test_wake_earliest_of_sources)
{
	guest_time_configure(&v, 100000, WATCHDOG_PREEMPTION_TIMER, true, 0);
	guest_time_set_wake(&v, WAKE_PIT, 5000);
	ck_assert(guest_time_enter(&v, 0));
	ck_assert_uint_eq(timer_field(), 5000);
	v.launched = true;
	guest_time_set_wake(&v, WAKE_APIC_TIMER, 3000); /* sooner: re-armed now, guest time still 0 */
	ck_assert_uint_eq(timer_field(), 3000);
	guest_time_set_wake(&v, WAKE_APIC_TIMER, 9000); /* moved past the PIT's: the PIT's edge again */
	ck_assert_uint_eq(timer_field(), 5000);
	guest_time_set_wake(&v, WAKE_PIT, UINT64_MAX);
	ck_assert_uint_eq(timer_field(), 9000);
	guest_time_set_wake(&v, WAKE_APIC_TIMER, UINT64_MAX); /* no wake-up: the budget */
	ck_assert_uint_eq(timer_field(), 100000);
	ck_assert_uint_eq(v.wake_at, UINT64_MAX);
}
END_TEST

START_TEST(test_saved_timer_rate)
{
	guest_time_configure(&v, 1000, WATCHDOG_PREEMPTION_TIMER, true, 5);
	ck_assert(guest_time_enter(&v, 0));
	ck_assert_uint_eq(timer_field(), 1000 >> 5); /* 31 units: 992 ticks */
	v.launched = true;
	fake_vmcs.preemption_timer = 30;
	ck_assert_uint_eq(guest_time_ticks(&v), 32);
	timer_fired();
	/* 992 ticks counted, 8 left: less than one unit, so the budget is over. */
	ck_assert(!guest_time_timer_expired_early(&v));
	ck_assert_uint_eq(v.guest_ticks, 992);
}
END_TEST

START_TEST(test_saved_timer_budget_past_32_bits)
{
	const uint64_t budget = 0x100000010ull; /* 2^32 + 16 */
	guest_time_configure(&v, budget, WATCHDOG_PREEMPTION_TIMER, true, 0);
	ck_assert(guest_time_enter(&v, 0));
	ck_assert_uint_eq(timer_field(), 0xffffffffull); /* as much as fits */
	v.launched = true;
	timer_fired();
	ck_assert(guest_time_timer_expired_early(&v)); /* budget left: re-armed with the rest */
	ck_assert_uint_eq(timer_field(), 0x11);
	ck_assert_uint_eq(v.guest_ticks, 0xffffffffull);
	ck_assert(guest_time_enter(&v, 0));
	fake_vmcs.preemption_timer = 0x10;
	ck_assert_uint_eq(guest_time_ticks(&v), 0x100000000ull);
	timer_fired();
	ck_assert(!guest_time_timer_expired_early(&v));
	ck_assert_uint_eq(guest_time_ticks(&v), budget);
}
END_TEST

/* Emulated work charged to the guest: the saved timer loses it, and a charge past the budget ends it. */
START_TEST(test_charge_saved_timer)
{
	guest_time_configure(&v, 1000, WATCHDOG_PREEMPTION_TIMER, true, 0);
	ck_assert(guest_time_enter(&v, 0));
	v.launched = true;
	fake_vmcs.preemption_timer = 900; /* 100 ticks run */
	ck_assert(guest_time_charge(&v, 300));
	ck_assert_uint_eq(guest_time_ticks(&v), 400);
	ck_assert_uint_eq(timer_field(), 600);
	fake_vmcs.preemption_timer = 550; /* 50 more */
	ck_assert_uint_eq(guest_time_ticks(&v), 450);
	ck_assert(!guest_time_charge(&v, 550)); /* exactly used up */
	ck_assert_uint_eq(guest_time_ticks(&v), 1000);
}
END_TEST

START_TEST(test_charge_rdtsc)
{
	guest_time_configure(&v, 1000, WATCHDOG_PREEMPTION_TIMER, false, 0);
	ck_assert(guest_time_charge(&v, 999));
	ck_assert(!guest_time_charge(&v, 1));
	ck_assert_uint_eq(v.guest_ticks, 1000);
	/* Without a timer (or a budget) nothing stops, but the ticks still count. */
	guest_time_configure(&v, 1000, WATCHDOG_NONE, false, 0);
	ck_assert(guest_time_charge(&v, 5000));
	ck_assert_uint_eq(guest_time_ticks(&v), 5000);
}
END_TEST

START_TEST(test_first_entry_with_nothing_to_arm)
{
	/* A budget below one timer unit never enters the guest at all. */
	guest_time_configure(&v, 31, WATCHDOG_PREEMPTION_TIMER, true, 5);
	ck_assert(!guest_time_enter(&v, 0));
	guest_time_configure(&v, 31, WATCHDOG_PREEMPTION_TIMER, false, 5);
	ck_assert(!guest_time_enter(&v, 0));
	ck_assert_uint_eq(fake_vmcs_writes(), 0);
}
END_TEST

START_TEST(test_watchdog_choice)
{
	ck_assert_int_eq(guest_time_watchdog(true, true, false), WATCHDOG_PREEMPTION_TIMER);
	ck_assert_int_eq(guest_time_watchdog(true, false, false), WATCHDOG_PREEMPTION_TIMER);
	ck_assert_int_eq(guest_time_watchdog(true, true, true), WATCHDOG_APIC_TIMER);
	ck_assert_int_eq(guest_time_watchdog(false, true, false), WATCHDOG_APIC_TIMER);
	ck_assert_int_eq(guest_time_watchdog(false, false, false), WATCHDOG_NONE);
	ck_assert_str_eq(guest_time_watchdog_name(WATCHDOG_PREEMPTION_TIMER), "preemption-timer");
	ck_assert_str_eq(guest_time_watchdog_name(WATCHDOG_APIC_TIMER), "apic-timer");
	ck_assert_str_eq(guest_time_watchdog_name(WATCHDOG_NONE), "none");
}
END_TEST

START_TEST(test_apic_ratio)
{
	/* Counts per tick in 32.32 fixed point, rounded up; unusable measurements give 0. */
	ck_assert_uint_eq(apic_watchdog_ratio(1000, 1000), 1ull << 32);
	ck_assert_uint_eq(apic_watchdog_ratio(1, 30), ((1ull << 32) + 29) / 30);
	ck_assert_uint_eq(apic_watchdog_ratio(3, 2), 3ull << 31);
	ck_assert_uint_eq(apic_watchdog_ratio(0, 1000), 0);
	ck_assert_uint_eq(apic_watchdog_ratio(1000, 0), 0);
	ck_assert_uint_eq(apic_watchdog_ratio(1ull << 31, 1000), 0);
	ck_assert_uint_eq(apic_watchdog_ratio(1000, 1ull << 31), 0);
}
END_TEST

START_TEST(test_apic_count_for)
{
	uint64_t one = 1ull << 32, half = 1ull << 31, thirtieth = apic_watchdog_ratio(1, 30);
	ck_assert_uint_eq(apic_watchdog_count_for(one, 700), 700);
	ck_assert_uint_eq(apic_watchdog_count_for(half, 4), 2);
	/* Rounded up: the timer may fire late, never early. */
	ck_assert_uint_eq(apic_watchdog_count_for(half, 3), 2);
	ck_assert_uint_eq(apic_watchdog_count_for(thirtieth, 29), 1);
	ck_assert_uint_eq(apic_watchdog_count_for(half, 3000000000ull), 1500000000);
	/* Never 0 (that stops the timer), never past 32 bits (it fires, and is re-armed). */
	ck_assert_uint_eq(apic_watchdog_count_for(thirtieth, 0), 1);
	ck_assert_uint_eq(apic_watchdog_count_for(one, 0x100000000ull), 0xffffffffu);
	ck_assert_uint_eq(apic_watchdog_count_for(3ull << 31, UINT64_MAX), 0xffffffffu);
	ck_assert_uint_eq(apic_watchdog_count_for(thirtieth, UINT64_MAX), 0xffffffffu);
}
END_TEST

START_TEST(test_apic_calibration)
{
	/* An APIC at 3 counts per tick: the ratio errs high, by the TSC reads inside the APIC's interval. */
	fake_cpu.apic_per_tick = 3;
	ck_assert_ptr_null(apic_watchdog_init());
	ck_assert_uint_eq(fake_cpu.apic_start, 0); /* stopped after measuring */
	apic_watchdog_arm(1000);
	ck_assert_uint_ge(fake_cpu.apic_start, 3000);
	ck_assert_uint_le(fake_cpu.apic_start, 3001);
	/* An APIC that does not count, or cannot be used, is refused with the reason. */
	fake_cpu_reset();
	ck_assert_str_eq(apic_watchdog_init(), "the local-APIC timer did not count against the TSC");
	fake_cpu.apic_why = "no local APIC";
	ck_assert_str_eq(apic_watchdog_init(), "no local APIC");
}
END_TEST

START_TEST(test_apic_armed_before_every_entry)
{
	fake_cpu.apic_per_tick = 1;
	ck_assert_ptr_null(apic_watchdog_init());
	guest_time_configure(&v, 1000, WATCHDOG_APIC_TIMER, true, 5);
	/* No preemption timer, whatever the CPU could do; time is counted with RDTSC. */
	ck_assert(!v.budget_timer && !v.timer_saved && v.budget_apic);
	ck_assert(!guest_time_counted_by_cpu(&v));
	ck_assert(guest_time_enter(&v, 100));
	ck_assert_uint_ge(fake_cpu.apic_start, 1000);
	ck_assert_uint_le(fake_cpu.apic_start, 1001);
	guest_time_exit(&v, 400);
	ck_assert(!guest_time_watchdog_expired(&v));
	ck_assert(guest_time_enter(&v, 500));
	ck_assert_uint_ge(fake_cpu.apic_start, 700);
	ck_assert_uint_le(fake_cpu.apic_start, 701);
	guest_time_exit(&v, 1200);
	ck_assert(guest_time_watchdog_expired(&v));
	/* Used up: no entry, the timer not armed again; the end stops it. */
	unsigned starts = fake_cpu.apic_starts;
	ck_assert(!guest_time_enter(&v, 1300));
	ck_assert_uint_eq(fake_cpu.apic_starts, starts);
	guest_time_end(&v);
	ck_assert_uint_eq(fake_cpu.apic_stops, 2); /* the calibration's and this one */
	ck_assert_uint_eq(fake_vmcs_writes(), 0);  /* nothing of the preemption timer */
}
END_TEST

START_TEST(test_apic_not_touched_without_it)
{
	guest_time_configure(&v, 1000, WATCHDOG_PREEMPTION_TIMER, false, 0);
	ck_assert(guest_time_enter(&v, 0));
	guest_time_end(&v);
	guest_time_configure(&v, 0, WATCHDOG_APIC_TIMER, false, 0);
	ck_assert(!v.budget_apic);
	ck_assert(guest_time_enter(&v, 0));
	guest_time_end(&v);
	ck_assert_uint_eq(fake_cpu.apic_starts + fake_cpu.apic_stops, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hv_guest_time");
	TCase *tc = tcase_create("budget");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_budget_zero_is_none);
	tcase_add_test(tc, test_wake_earliest_of_sources);
	tcase_add_test(tc, test_no_timer_counts_but_never_stops);
	tcase_add_test(tc, test_rdtsc_counts_only_guest_time);
	tcase_add_test(tc, test_rdtsc_timer_rate);
	tcase_add_test(tc, test_rdtsc_budget_past_32_bits);
	tcase_add_test(tc, test_saved_timer_armed_once);
	tcase_add_test(tc, test_saved_timer_rate);
	tcase_add_test(tc, test_saved_timer_budget_past_32_bits);
	tcase_add_test(tc, test_first_entry_with_nothing_to_arm);
	tcase_add_test(tc, test_watchdog_choice);
	tcase_add_test(tc, test_apic_ratio);
	tcase_add_test(tc, test_apic_count_for);
	tcase_add_test(tc, test_apic_calibration);
	tcase_add_test(tc, test_apic_armed_before_every_entry);
	tcase_add_test(tc, test_apic_not_touched_without_it);
	tcase_add_test(tc, test_charge_saved_timer);
	tcase_add_test(tc, test_charge_rdtsc);
	suite_add_tcase(s, tc);
	return run_suite(s, CK_NORMAL);
}
