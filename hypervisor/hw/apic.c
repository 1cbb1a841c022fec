#include "hw/apic.h"

#include <stddef.h>
#include <stdint.h>

#include "hw/cpu.h"
#include "include/x86_arch.h"

/* IA32_APIC_BASE (SDM Vol. 3A 11.4.4) and the xAPIC registers (table 11-1). */
#define APIC_BASE_X2APIC (1ull << 10)
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_BASE_ADDR(msr) ((msr) & 0x000ffffffffff000ull)
#define APIC_REG_ID 0x20
#define APIC_REG_TPR 0x080
#define APIC_REG_EOI 0x0b0
#define APIC_REG_SVR 0x0f0
#define APIC_REG_IRR 0x200 /* eight 32-bit registers, 16 bytes apart */
#define APIC_REG_ICR_LOW 0x300
#define APIC_REG_ICR_HIGH 0x310
#define APIC_REG_LVT_TIMER 0x320
#define APIC_REG_TIMER_INITIAL 0x380
#define APIC_REG_TIMER_CURRENT 0x390
#define APIC_REG_TIMER_DIVIDE 0x3e0
#define ICR_DELIVERY_NMI (4u << 8)
#define ICR_LEVEL_ASSERT (1u << 14)
#define ICR_DEST_SHIFT 24
#define CPUID_1_EDX_APIC (1u << 9)
#define SVR_APIC_ENABLE (1u << 8)
#define SVR_SPURIOUS_VECTOR 0xff
#define DIVIDE_BY_1 0xb /* SDM Vol. 3A figure 11-10 */

static volatile uint32_t *apic_reg(uint64_t base, uint32_t offset)
{
	return (volatile uint32_t *)(uintptr_t)(APIC_BASE_ADDR(base) + offset);
}

bool apic_send_self_nmi(void)
{
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
	if (!(base & APIC_BASE_ENABLE) || (base & APIC_BASE_X2APIC))
		return false;
	uint32_t id = *apic_reg(base, APIC_REG_ID) >> ICR_DEST_SHIFT;
	*apic_reg(base, APIC_REG_ICR_HIGH) = id << ICR_DEST_SHIFT;
	*apic_reg(base, APIC_REG_ICR_LOW) = ICR_DELIVERY_NMI | ICR_LEVEL_ASSERT;
	return true;
}

/* IA32_APIC_BASE as apic_init found it, for the timer's registers. */
static uint64_t timer_base;
/* The EOI register, for the gate of APIC_TIMER_VECTOR in hw/isr.S. */
volatile uint32_t *apic_eoi_register;

const char *apic_init(void)
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
	if (APIC_BASE_ADDR(base) >= (4ull << 30))
		return "the local APIC page is above 4 GiB";
	timer_base = base;
	apic_eoi_register = apic_reg(base, APIC_REG_EOI);
	*apic_reg(base, APIC_REG_SVR) = SVR_APIC_ENABLE | SVR_SPURIOUS_VECTOR;
	*apic_reg(base, APIC_REG_TPR) = 0;
	*apic_reg(base, APIC_REG_TIMER_DIVIDE) = DIVIDE_BY_1;
	*apic_reg(base, APIC_REG_TIMER_INITIAL) = 0;
	*apic_reg(base, APIC_REG_LVT_TIMER) = APIC_TIMER_VECTOR; /* one-shot (bits 18:17 = 0), unmasked */
	return NULL;
}

void apic_timer_start(uint32_t count)
{
	*apic_reg(timer_base, APIC_REG_TIMER_INITIAL) = count;
}

uint32_t apic_timer_current(void)
{
	return *apic_reg(timer_base, APIC_REG_TIMER_CURRENT);
}

void apic_timer_stop(void)
{
	*apic_reg(timer_base, APIC_REG_TIMER_INITIAL) = 0;
	uint32_t irr = *apic_reg(timer_base, APIC_REG_IRR + (APIC_TIMER_VECTOR / 32) * 0x10);
	if (irr & (1u << (APIC_TIMER_VECTOR % 32))) {
		/* Fired in the host, where IF is 0: let the gate take it (it only signals EOI). */
		__asm__ volatile("sti; nop; cli" ::: "memory");
	}
}

void apic_eoi(void)
{
	*apic_eoi_register = 0;
}
