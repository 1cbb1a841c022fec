/*
 * Unit tests of the local APIC's registers (hypervisor/vm/dev_lapic.c) over a
 * virtual-APIC page, written as the CPU writes it before an APIC-write exit (SDM
 * 30.4.3.3: the value lands in the page, then lapic_write applies it). The rules
 * are SDM Vol. 3A chapter 11's: the reset state (11.4.7.1), software disable
 * (11.4.7.2), PPR (11.8.3.1), EOI (11.8.5), the timer (11.5.4), IPI destinations
 * (11.6.1, 11.6.2) and the global disable through IA32_APIC_BASE (11.4.3).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "run_suite.h"
#include "vm/lapic.h"

static struct lapic a;

static void setup(void)
{
	a.page = aligned_alloc(LAPIC_PAGE_SIZE, LAPIC_PAGE_SIZE);
	ck_assert_ptr_nonnull(a.page);
	lapic_reset(&a);
}

static void teardown(void)
{
	free(a.page);
	a.page = NULL;
}

/* The guest's MOV to the register, then the APIC-write exit. */
static enum lapic_effect wr(unsigned offset, uint32_t v, uint64_t now)
{
	*(uint32_t *)(void *)(a.page + offset) = v;
	return lapic_write(&a, offset, now);
}

static uint32_t rd(unsigned offset)
{
	return lapic_reg(&a, offset);
}

START_TEST(test_reset_state)
{
	ck_assert_uint_eq(rd(LAPIC_ID), 0);
	ck_assert_uint_eq(rd(LAPIC_VERSION), 0x00050014u); /* version 14H, max LVT entry 5 */
	ck_assert_uint_eq(rd(LAPIC_DFR), 0xffffffffu);
	ck_assert_uint_eq(rd(LAPIC_SVR), 0xff); /* software-disabled, spurious vector FFH */
	for (unsigned o = LAPIC_LVT_TIMER; o <= LAPIC_LVT_ERROR; o += 0x10)
		ck_assert_uint_eq(rd(o), LAPIC_LVT_MASKED);
	static const unsigned zero[] = { LAPIC_TPR, LAPIC_PPR, LAPIC_LDR, LAPIC_ESR, LAPIC_ICR_LOW, LAPIC_ICR_HIGH,
					 LAPIC_TIMER_INITIAL, LAPIC_TIMER_DIVIDE, LAPIC_ISR, LAPIC_IRR + 0x70 };
	for (unsigned i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		ck_assert_uint_eq(rd(zero[i]), 0);
}
END_TEST

START_TEST(test_writable_bits)
{
	wr(LAPIC_ID, 0xffffffffu, 0);
	ck_assert_uint_eq(rd(LAPIC_ID), 0xff000000u);
	wr(LAPIC_TPR, 0xffffffffu, 0);
	ck_assert_uint_eq(rd(LAPIC_TPR), 0xff);
	wr(LAPIC_LDR, 0x12345678u, 0);
	ck_assert_uint_eq(rd(LAPIC_LDR), 0x12000000u);
	wr(LAPIC_DFR, 0x0u, 0);
	ck_assert_uint_eq(rd(LAPIC_DFR), 0x0fffffffu); /* cluster model; bits 27:0 read as ones */
	wr(LAPIC_SVR, 0xffffffffu, 0);
	ck_assert_uint_eq(rd(LAPIC_SVR), 0x3ff); /* no EOI-broadcast suppression (bit 12) */
	wr(LAPIC_TIMER_DIVIDE, 0xffffffffu, 0);
	ck_assert_uint_eq(rd(LAPIC_TIMER_DIVIDE), 0xb);
	wr(LAPIC_ICR_HIGH, 0xffffffffu, 0);
	ck_assert_uint_eq(rd(LAPIC_ICR_HIGH), 0xff000000u);
	/* Read-only registers keep their value. */
	wr(LAPIC_VERSION, 0, 0);
	ck_assert_uint_eq(rd(LAPIC_VERSION), LAPIC_VERSION_VALUE);
	wr(LAPIC_PPR, 0xff, 0);
	ck_assert_uint_eq(rd(LAPIC_PPR), 0xff); /* PPR follows TPR (FFH, no interrupt in service) */
	/* A write latches ESR: no error is ever recorded. */
	wr(LAPIC_ESR, 0xffffffffu, 0);
	ck_assert_uint_eq(rd(LAPIC_ESR), 0);
}
END_TEST

START_TEST(test_lvt_bits_and_software_disable)
{
	wr(LAPIC_SVR, LAPIC_SVR_ENABLE | 0xff, 0);
	wr(LAPIC_LVT_TIMER, 0xfffdffffu, 0); /* mode 10b */
	ck_assert_uint_eq(rd(LAPIC_LVT_TIMER), 0x500ffu); /* vector, mask, mode (TSC deadline); delivery status read-only */
	wr(LAPIC_LVT_LINT0, 0xffffffffu, 0);
	ck_assert_uint_eq(rd(LAPIC_LVT_LINT0), 0x1a7ffu); /* remote IRR and delivery status read-only */
	wr(LAPIC_LVT_ERROR, 0xffffffffu, 0);
	ck_assert_uint_eq(rd(LAPIC_LVT_ERROR), 0x100ffu);
	wr(LAPIC_LVT_THERMAL, 0x20, 0);
	ck_assert_uint_eq(rd(LAPIC_LVT_THERMAL), 0x20); /* unmasked while the APIC is enabled */
	/* Software disable masks every LVT entry, and keeps them masked. */
	wr(LAPIC_SVR, 0xff, 0);
	for (unsigned o = LAPIC_LVT_TIMER; o <= LAPIC_LVT_ERROR; o += 0x10)
		ck_assert_uint_ne(rd(o) & LAPIC_LVT_MASKED, 0);
	wr(LAPIC_LVT_THERMAL, 0x20, 0);
	ck_assert_uint_eq(rd(LAPIC_LVT_THERMAL), 0x20 | LAPIC_LVT_MASKED);
}
END_TEST

START_TEST(test_eoi_and_ppr)
{
	/* Two interrupts in service, vectors 0x31 and 0x85: PPR is the higher class, EOI retires the higher. */
	*(uint32_t *)(void *)(a.page + LAPIC_ISR + 0x10) = 1u << (0x31 - 32);
	*(uint32_t *)(void *)(a.page + LAPIC_ISR + 0x40) = 1u << (0x85 - 128);
	wr(LAPIC_TPR, 0x40, 0);
	ck_assert_uint_eq(rd(LAPIC_PPR), 0x80);
	wr(LAPIC_EOI, 0, 0);
	ck_assert_uint_eq(rd(LAPIC_ISR + 0x40), 0);
	ck_assert_uint_eq(rd(LAPIC_ISR + 0x10), 1u << (0x31 - 32));
	ck_assert_uint_eq(rd(LAPIC_PPR), 0x40); /* TPR's class is now the higher */
	wr(LAPIC_EOI, 0, 0);
	ck_assert_uint_eq(rd(LAPIC_ISR + 0x10), 0);
	wr(LAPIC_EOI, 0, 0); /* nothing in service: no change */
	ck_assert_uint_eq(rd(LAPIC_PPR), 0x40);
}
END_TEST

START_TEST(test_ipi_destinations)
{
	/* kvm-unit-tests' INIT to all excluding self reaches nobody in a one-CPU VM. */
	wr(LAPIC_SVR, LAPIC_SVR_ENABLE | 0xff, 0);
	ck_assert_int_eq(wr(LAPIC_ICR_LOW, 0xc4500, 0), LAPIC_DONE);
	ck_assert_uint_eq(rd(LAPIC_ICR_LOW), 0xc4500); /* delivery status idle */
	ck_assert_int_eq(wr(LAPIC_ICR_LOW, 0x41040, 0), LAPIC_EVALUATE);  /* self */
	ck_assert_int_eq(wr(LAPIC_ICR_LOW, 0x81040, 0), LAPIC_EVALUATE);  /* all including self */
	wr(LAPIC_ICR_HIGH, 0x01000000u, 0);
	ck_assert_int_eq(wr(LAPIC_ICR_LOW, 0x40, 0), LAPIC_DONE);    /* physical, APIC ID 1: not us */
	wr(LAPIC_ICR_HIGH, 0x00000000u, 0);
	ck_assert_int_eq(wr(LAPIC_ICR_LOW, 0x1040, 0), LAPIC_EVALUATE);   /* physical, APIC ID 0; bit 12 dropped */
	ck_assert_uint_eq(rd(LAPIC_ICR_LOW), 0x40);
	wr(LAPIC_ICR_HIGH, 0xff000000u, 0);
	ck_assert_int_eq(wr(LAPIC_ICR_LOW, 0x40, 0), LAPIC_EVALUATE);     /* physical broadcast */
	/* Logical, flat model: a bit of the logical ID in common. */
	wr(LAPIC_LDR, 0x02000000u, 0);
	wr(LAPIC_ICR_HIGH, 0x04000000u, 0);
	ck_assert_int_eq(wr(LAPIC_ICR_LOW, 0x840, 0), LAPIC_DONE);
	wr(LAPIC_ICR_HIGH, 0x06000000u, 0);
	ck_assert_int_eq(wr(LAPIC_ICR_LOW, 0x840, 0), LAPIC_EVALUATE);
	/* Cluster model: the cluster (bits 7:4) must match. */
	wr(LAPIC_DFR, 0, 0);
	wr(LAPIC_LDR, 0x12000000u, 0);
	wr(LAPIC_ICR_HIGH, 0x22000000u, 0);
	ck_assert_int_eq(wr(LAPIC_ICR_LOW, 0x840, 0), LAPIC_DONE);
	wr(LAPIC_ICR_HIGH, 0x12000000u, 0);
	ck_assert_int_eq(wr(LAPIC_ICR_LOW, 0x840, 0), LAPIC_EVALUATE);
}
END_TEST

START_TEST(test_timer_counts_guest_time)
{
	ck_assert_uint_eq(lapic_timer_current(&a, 500), 0); /* no initial count: stopped */
	wr(LAPIC_TIMER_DIVIDE, 0xb, 0);                     /* divide by 1 */
	wr(LAPIC_TIMER_INITIAL, 1000, 100);
	ck_assert_uint_eq(lapic_timer_current(&a, 100), 1000);
	ck_assert_uint_eq(lapic_timer_current(&a, 400), 700);
	ck_assert_uint_eq(lapic_timer_current(&a, 1100), 0); /* one-shot: stays at 0 */
	ck_assert_uint_eq(lapic_timer_current(&a, 5000), 0);
	wr(LAPIC_TIMER_DIVIDE, 0x3, 0); /* divide by 16 */
	ck_assert_uint_eq(lapic_timer_current(&a, 100 + 16 * 10), 990);
	wr(LAPIC_TIMER_DIVIDE, 0x0, 0); /* divide by 2 */
	wr(LAPIC_SVR, LAPIC_SVR_ENABLE, 0);
	wr(LAPIC_LVT_TIMER, LAPIC_LVT_PERIODIC | 0x40, 0);
	ck_assert_uint_eq(lapic_timer_current(&a, 100 + 2 * 1000 + 2 * 300), 700); /* periodic: reloads */
}
END_TEST

START_TEST(test_global_disable_resets)
{
	wr(LAPIC_ID, 0x05000000u, 0);
	wr(LAPIC_SVR, LAPIC_SVR_ENABLE | 0xff, 0);
	wr(LAPIC_TPR, 0x30, 0);
	lapic_global_enable(&a, true, true); /* no change: nothing happens */
	ck_assert_uint_eq(rd(LAPIC_SVR), LAPIC_SVR_ENABLE | 0xff);
	lapic_global_enable(&a, true, false);
	ck_assert_uint_eq(rd(LAPIC_SVR), 0xff);
	ck_assert_uint_eq(rd(LAPIC_TPR), 0);
	ck_assert_uint_eq(rd(LAPIC_ID), 0x05000000u); /* the ID survives */
	lapic_global_enable(&a, false, true);
	ck_assert_uint_eq(rd(LAPIC_SVR), 0xff);
	wr(LAPIC_SVR, LAPIC_SVR_ENABLE | 0xff, 0); /* and it can be enabled again (bare Bochs 2.7 cannot) */
	ck_assert_uint_eq(rd(LAPIC_SVR), LAPIC_SVR_ENABLE | 0xff);
}
END_TEST

START_TEST(test_self_ipi_modes)
{
	/* A software-disabled APIC (SVR bit 8 clear, its reset state) accepts no fixed interrupt (11.4.7.2). */
	ck_assert_int_eq(wr(LAPIC_ICR_LOW, 0x40041, 0), LAPIC_DONE);
	ck_assert_uint_eq(rd(LAPIC_IRR + 0x20), 0);
	wr(LAPIC_SVR, LAPIC_SVR_ENABLE | 0xff, 0);
	ck_assert_int_eq(wr(LAPIC_ICR_LOW, 0x40041, 0), LAPIC_EVALUATE); /* fixed */
	ck_assert_int_eq(wr(LAPIC_ICR_LOW, 0x40142, 0), LAPIC_EVALUATE); /* lowest priority: the only APIC is the lowest */
	ck_assert_uint_eq(rd(LAPIC_IRR + 0x20), (1u << 1) | (1u << 2));
	ck_assert_int_eq(wr(LAPIC_ICR_LOW, 0x40400, 0), LAPIC_NMI);      /* NMI */
	ck_assert_int_eq(wr(LAPIC_ICR_LOW, 0x00400, 0), LAPIC_NMI);      /* NMI, physical destination 0 (eventinj's) */
	ck_assert_int_eq(wr(LAPIC_ICR_LOW, 0x40500, 0), LAPIC_DONE);     /* INIT to itself: not modelled */
	ck_assert_int_eq(wr(LAPIC_ICR_LOW, 0x40200, 0), LAPIC_DONE);     /* SMI: no SMM */
	/* A vector below 16 is illegal (11.8.1): not accepted, the ESR's received-illegal-vector bit (11.5.3). */
	ck_assert_int_eq(wr(LAPIC_ICR_LOW, 0x4000f, 0), LAPIC_DONE);
	ck_assert_uint_eq(rd(LAPIC_IRR), 0);
	ck_assert_uint_eq(rd(LAPIC_ESR) & (1u << 6), 1u << 6);
}
END_TEST

START_TEST(test_pending_follows_priority)
{
	wr(LAPIC_SVR, LAPIC_SVR_ENABLE | 0xff, 0);
	ck_assert_int_eq(lapic_pending(&a), -1);
	ck_assert(lapic_accept(&a, 0x45));
	ck_assert(lapic_accept(&a, 0x38));
	ck_assert_int_eq(lapic_pending(&a), 0x45); /* the highest vector first (11.8.3) */
	lapic_acknowledge(&a, 0x45);
	ck_assert_uint_eq(rd(LAPIC_ISR + 0x20), 1u << (0x45 - 64));
	ck_assert_uint_eq(rd(LAPIC_IRR + 0x20), 0);
	ck_assert_uint_eq(rd(LAPIC_PPR), 0x40);
	ck_assert_int_eq(lapic_pending(&a), -1); /* 0x38's class 3 is not above PPR's 4 */
	ck_assert_uint_eq(lapic_tpr_threshold(&a), 0); /* held back by the ISR, not by TPR: the EOI releases it */
	ck_assert_int_eq(wr(LAPIC_EOI, 0, 0), LAPIC_EVALUATE);
	ck_assert_int_eq(lapic_pending(&a), 0x38);
	/* The task priority, as the CPU's TPR virtualization leaves it in the page (no exit): PPR follows it. */
	*(uint32_t *)(void *)(a.page + LAPIC_TPR) = 0x30;
	ck_assert_int_eq(lapic_pending(&a), -1);
	ck_assert_uint_eq(rd(LAPIC_PPR), 0x30);
	ck_assert_uint_eq(lapic_tpr_threshold(&a), 3); /* TPR below 0x30 must exit */
	*(uint32_t *)(void *)(a.page + LAPIC_TPR) = 0x2f;
	ck_assert_int_eq(lapic_pending(&a), 0x38);
	/* Accepting twice is one request (an IRR bit). */
	ck_assert(lapic_accept(&a, 0x38));
	lapic_acknowledge(&a, 0x38);
	ck_assert_uint_eq(rd(LAPIC_IRR + 0x10), 0);
	/* Globally disabled: nothing pending, nothing accepted, INTR passes straight to the CPU (11.4.3, 11.5.1). */
	ck_assert(!lapic_passes_extint(&a)); /* LINT0 masked */
	wr(LAPIC_LVT_LINT0, 0x700, 0);
	ck_assert(lapic_passes_extint(&a));
	ck_assert(lapic_accept(&a, 0x99));
	lapic_global_enable(&a, true, false);
	ck_assert_int_eq(lapic_pending(&a), -1);
	ck_assert(!lapic_accept(&a, 0x99));
	ck_assert(lapic_passes_extint(&a));
}
END_TEST

#define ONE_SHOT 0u
#define PERIODIC (1u << 17)
#define TSC_DEADLINE (2u << 17)

static void timer_setup(uint32_t mode, unsigned vector)
{
	wr(LAPIC_SVR, LAPIC_SVR_ENABLE | 0xff, 0);
	wr(LAPIC_TIMER_DIVIDE, 0xb, 0); /* divide by 1: one count per TSC tick */
	wr(LAPIC_LVT_TIMER, mode | vector, 0);
}

static bool requested(unsigned vector)
{
	return rd(LAPIC_IRR + 16 * (vector / 32)) & (1u << (vector % 32));
}

START_TEST(test_timer_one_shot_fires_once)
{
	timer_setup(ONE_SHOT, 0xee);
	ck_assert_int_eq(wr(LAPIC_TIMER_INITIAL, 1000, 100), LAPIC_EVALUATE); /* the next expiry moved */
	ck_assert_uint_eq(a.timer_next, 1100);
	ck_assert(!lapic_timer_tick(&a, 1099));
	ck_assert_uint_eq(lapic_timer_current(&a, 1099), 1);
	ck_assert(lapic_timer_tick(&a, 1100)); /* SDM Vol. 3A 11.5.4: at 0, the LVT vector */
	ck_assert(requested(0xee));
	ck_assert_uint_eq(a.timer_next, LAPIC_TIMER_NEVER);
	ck_assert_uint_eq(lapic_timer_current(&a, 1200), 0);
	ck_assert(!lapic_timer_tick(&a, 5000));
	/* Initial count 0 stops it. */
	wr(LAPIC_TIMER_INITIAL, 50, 6000);
	wr(LAPIC_TIMER_INITIAL, 0, 6010);
	ck_assert_uint_eq(a.timer_next, LAPIC_TIMER_NEVER);
}
END_TEST

START_TEST(test_timer_periodic_reloads)
{
	timer_setup(PERIODIC, 0x40);
	wr(LAPIC_TIMER_INITIAL, 100, 0);
	ck_assert(lapic_timer_tick(&a, 350)); /* three periods unseen: one interrupt (an IRR bit), next at 400 */
	ck_assert_uint_eq(a.timer_next, 400);
	ck_assert_uint_eq(lapic_timer_current(&a, 350), 50);
	ck_assert_uint_eq(lapic_timer_current(&a, 420), 80); /* past an expiry no tick saw yet: reloaded */
	/* Masked: it still counts and reloads, but requests nothing. */
	*(uint32_t *)(void *)(a.page + LAPIC_IRR + 0x20) = 0;
	wr(LAPIC_LVT_TIMER, PERIODIC | LAPIC_LVT_MASKED | 0x40, 360);
	ck_assert(!lapic_timer_tick(&a, 400));
	ck_assert(!requested(0x40));
	ck_assert_uint_eq(a.timer_next, 500);
	/* Divide by 2 (DCR 0): the period is 200 ticks from the initial count's start. */
	wr(LAPIC_TIMER_DIVIDE, 0, 410);
	ck_assert_uint_eq(lapic_timer_current(&a, 410), 0 + (200 - 10) / 2);
}
END_TEST

START_TEST(test_timer_mode_switches)
{
	/* kvm-unit-tests' apic_change_mode: a one-shot count that reached 0 stays at 0 when switched to periodic. */
	timer_setup(ONE_SHOT, 0x50);
	wr(LAPIC_TIMER_INITIAL, 100, 0);
	wr(LAPIC_LVT_TIMER, PERIODIC | 0x50, 150);
	ck_assert_uint_eq(lapic_timer_current(&a, 160), 0);
	ck_assert(requested(0x50)); /* the expiry under one-shot, caught up at the switch */
	/* Switched mid-count, the count runs on from where it is, then reloads. */
	wr(LAPIC_LVT_TIMER, ONE_SHOT | 0x50, 200);
	wr(LAPIC_TIMER_INITIAL, 100, 200);
	wr(LAPIC_LVT_TIMER, PERIODIC | 0x50, 240);
	ck_assert_uint_eq(lapic_timer_current(&a, 240), 60);
	ck_assert_uint_eq(lapic_timer_current(&a, 310), 90);
	/* Into TSC-deadline mode the count stops, and the initial count is ignored there (11.5.4.1). */
	wr(LAPIC_LVT_TIMER, TSC_DEADLINE | 0x50, 320);
	ck_assert_uint_eq(a.timer_next, LAPIC_TIMER_NEVER);
	wr(LAPIC_TIMER_INITIAL, 100, 330);
	ck_assert_uint_eq(rd(LAPIC_TIMER_INITIAL), 0);
	ck_assert_uint_eq(lapic_timer_current(&a, 340), 0);
	/* Mode 11b is reserved: read back as one-shot. */
	wr(LAPIC_LVT_TIMER, (3u << 17) | 0x50, 400);
	ck_assert_uint_eq(rd(LAPIC_LVT_TIMER), 0x50);
}
END_TEST

START_TEST(test_tsc_deadline)
{
	timer_setup(ONE_SHOT, 0xef);
	lapic_tsc_deadline_write(&a, 5000, 1000); /* not in TSC-deadline mode: ignored */
	ck_assert_uint_eq(a.tsc_deadline, 0);
	wr(LAPIC_LVT_TIMER, TSC_DEADLINE | 0xef, 1000);
	lapic_tsc_deadline_write(&a, 5000, 1000);
	ck_assert_uint_eq(a.tsc_deadline, 5000);
	ck_assert(!lapic_timer_tick(&a, 4999));
	ck_assert(lapic_timer_tick(&a, 5000));
	ck_assert(requested(0xef));
	ck_assert_uint_eq(a.tsc_deadline, 0); /* it reads 0 once it fired */
	/* A deadline already passed fires at once (kvm-unit-tests writes the current TSC). */
	lapic_tsc_deadline_write(&a, 10, 6000);
	ck_assert(lapic_timer_tick(&a, 6000));
	/* 0 disarms; leaving the mode disarms. */
	lapic_tsc_deadline_write(&a, 9000, 7000);
	lapic_tsc_deadline_write(&a, 0, 7001);
	ck_assert_uint_eq(a.timer_next, LAPIC_TIMER_NEVER);
	lapic_tsc_deadline_write(&a, 9000, 7002);
	wr(LAPIC_LVT_TIMER, ONE_SHOT | 0xef, 7003);
	ck_assert_uint_eq(a.timer_next, LAPIC_TIMER_NEVER);
	ck_assert_uint_eq(a.tsc_deadline, 0);
}
END_TEST

START_TEST(test_mmio_emulated_accesses)
{
	/* Reads of any size and offset: the register's bytes, 0 past its first 4 bytes; TMCCT counted at now. */
	ck_assert_uint_eq(lapic_mmio_read(&a, LAPIC_VERSION, 4, 0), 0x00050014u);
	ck_assert_uint_eq(lapic_mmio_read(&a, LAPIC_VERSION + 2, 1, 0), 0x05);
	ck_assert_uint_eq(lapic_mmio_read(&a, LAPIC_VERSION + 4, 4, 0), 0);
	ck_assert_uint_eq(lapic_mmio_read(&a, LAPIC_VERSION, 8, 0), 0x00050014u);
	timer_setup(ONE_SHOT, 0x60);
	wr(LAPIC_TIMER_INITIAL, 1000, 0);
	ck_assert_uint_eq(lapic_mmio_read(&a, LAPIC_TIMER_CURRENT, 4, 250), 750);
	/* Writes to read-only registers change nothing (11.4.1): version, ISR, PPR, the current count. */
	*(uint32_t *)(void *)(a.page + LAPIC_ISR + 0x30) = 1u << 5;
	ck_assert_int_eq(lapic_mmio_write(&a, LAPIC_ISR + 0x30, 4, 0, 0), LAPIC_DONE);
	ck_assert_uint_eq(rd(LAPIC_ISR + 0x30), 1u << 5);
	lapic_mmio_write(&a, LAPIC_VERSION, 1, 0xff, 0);
	ck_assert_uint_eq(rd(LAPIC_VERSION), 0x00050014u);
	/* A byte write to a writable register merges into it, then takes effect as a whole write: an EOI. */
	ck_assert_int_eq(lapic_mmio_write(&a, LAPIC_EOI + 1, 1, 0, 0), LAPIC_EVALUATE);
	ck_assert_uint_eq(rd(LAPIC_ISR + 0x30), 0);
	lapic_mmio_write(&a, LAPIC_TPR + 1, 1, 0xff, 0); /* TPR's bits 31:8 are reserved */
	ck_assert_uint_eq(rd(LAPIC_TPR), 0);
	lapic_mmio_write(&a, LAPIC_TPR, 2, 0x1234, 0);
	ck_assert_uint_eq(rd(LAPIC_TPR), 0x34);
}
END_TEST

static Suite *lapic_suite(void)
{
	Suite *s = suite_create("hv_lapic");
	TCase *tc = tcase_create("lapic");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_reset_state);
	tcase_add_test(tc, test_writable_bits);
	tcase_add_test(tc, test_lvt_bits_and_software_disable);
	tcase_add_test(tc, test_eoi_and_ppr);
	tcase_add_test(tc, test_ipi_destinations);
	tcase_add_test(tc, test_timer_counts_guest_time);
	tcase_add_test(tc, test_global_disable_resets);
	tcase_add_test(tc, test_self_ipi_modes);
	tcase_add_test(tc, test_pending_follows_priority);
	tcase_add_test(tc, test_timer_one_shot_fires_once);
	tcase_add_test(tc, test_timer_periodic_reloads);
	tcase_add_test(tc, test_timer_mode_switches);
	tcase_add_test(tc, test_tsc_deadline);
	tcase_add_test(tc, test_mmio_emulated_accesses);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(lapic_suite(), CK_NORMAL);
}
