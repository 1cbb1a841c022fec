#include "hw/apic.h"

#include <stdint.h>

#include "hw/cpu.h"
#include "include/x86_arch.h"

/* IA32_APIC_BASE (SDM Vol. 3A 11.4.4) and the xAPIC registers (table 11-1). */
#define APIC_BASE_X2APIC (1ull << 10)
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_BASE_ADDR(msr) ((msr) & 0x000ffffffffff000ull)
#define APIC_REG_ID 0x20
#define APIC_REG_ICR_LOW 0x300
#define APIC_REG_ICR_HIGH 0x310
#define ICR_DELIVERY_NMI (4u << 8)
#define ICR_LEVEL_ASSERT (1u << 14)
#define ICR_DEST_SHIFT 24

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
