/* The host's local APIC through its xAPIC MMIO registers (SDM Vol. 3A chapter 11). */
#include "hw/lapic.h"

#include <stddef.h>

#include "hw/cpu.h"
#include "include/x86_arch.h"

/* Register offsets in the APIC page (SDM Vol. 3A table 11-1). */
#define LAPIC_TPR 0x080
#define LAPIC_EOI 0x0b0
#define LAPIC_SVR 0x0f0
#define LAPIC_IRR 0x200 /* eight 32-bit registers, 16 bytes apart */
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3e0

#define CPUID_1_EDX_APIC (1u << 9)
#define APIC_BASE_X2APIC (1ull << 10)
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_BASE_ADDR_MASK 0x000ffffffffff000ull
#define SVR_APIC_ENABLE (1u << 8)
#define SVR_SPURIOUS_VECTOR 0xff
#define DIVIDE_BY_1 0xb /* SDM Vol. 3A figure 11-10 */

static volatile uint32_t *apic;
/* The EOI register, for the gate of LAPIC_TIMER_VECTOR in hw/isr.S. */
volatile uint32_t *lapic_eoi_register;

static uint32_t reg_read(unsigned off)
{
	return apic[off / 4];
}

static void reg_write(unsigned off, uint32_t v)
{
	apic[off / 4] = v;
}

const char *lapic_init(void)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	if (!(r[3] & CPUID_1_EDX_APIC))
		return "no local APIC";
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
	if (!(base & APIC_BASE_ENABLE))
		return "the local APIC is disabled (IA32_APIC_BASE[11] clear)";
	if (base & APIC_BASE_X2APIC)
		return "the local APIC is in x2APIC mode (only xAPIC MMIO is supported)";
	/* The boot page tables map the first 4 GiB one to one; the APIC page sits there unless moved. */
	if ((base & APIC_BASE_ADDR_MASK) >= (4ull << 30))
		return "the local APIC page is above 4 GiB";
	apic = (volatile uint32_t *)(uintptr_t)(base & APIC_BASE_ADDR_MASK);
	lapic_eoi_register = apic + LAPIC_EOI / 4;
	reg_write(LAPIC_SVR, SVR_APIC_ENABLE | SVR_SPURIOUS_VECTOR);
	reg_write(LAPIC_TPR, 0);
	reg_write(LAPIC_TIMER_DIVIDE, DIVIDE_BY_1);
	reg_write(LAPIC_TIMER_INITIAL, 0);
	reg_write(LAPIC_LVT_TIMER, LAPIC_TIMER_VECTOR); /* one-shot (bits 18:17 = 0), unmasked */
	return NULL;
}

void lapic_timer_start(uint32_t count)
{
	reg_write(LAPIC_TIMER_INITIAL, count);
}

uint32_t lapic_timer_current(void)
{
	return reg_read(LAPIC_TIMER_CURRENT);
}

void lapic_timer_stop(void)
{
	reg_write(LAPIC_TIMER_INITIAL, 0);
	uint32_t irr = reg_read(LAPIC_IRR + (LAPIC_TIMER_VECTOR / 32) * 0x10);
	if (irr & (1u << (LAPIC_TIMER_VECTOR % 32))) {
		/* Fired in the host, where IF is 0: let the gate take it (it only signals EOI). */
		__asm__ volatile("sti; nop; cli" ::: "memory");
	}
}

void lapic_eoi(void)
{
	reg_write(LAPIC_EOI, 0);
}
