#include "hw/apic.h"

#include <stddef.h>
#include <stdint.h>

#include "hw/cpu.h"
#include "include/x86_arch.h"

/*
 * IA32_APIC_BASE (SDM Vol. 3A 11.4.4) and the APIC's registers by their xAPIC MMIO offsets
 * (table 11-1); in x2APIC mode the same register is MSR 0x800 + offset / 16 (11.12.1.2),
 * and the ICR one 64-bit MSR with the destination in its high half (11.12.9).
 */
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
#define X2APIC_MSR_BASE 0x800u
#define X2APIC_ICR_DEST_SHIFT 32
#define CPUID_1_EDX_APIC (1u << 9)
#define CPUID_1_ECX_X2APIC (1u << 21)
#define SVR_APIC_ENABLE (1u << 8)
#define SVR_SPURIOUS_VECTOR 0xff
#define DIVIDE_BY_1 0xb /* SDM Vol. 3A figure 11-10 */

static volatile uint32_t *apic_reg(uint64_t base, uint32_t offset)
{
	return (volatile uint32_t *)(uintptr_t)(APIC_BASE_ADDR(base) + offset);
}

/* A register of the APIC whose IA32_APIC_BASE is `base`, in either mode (not the ICR). */
static uint32_t reg_read(uint64_t base, uint32_t offset)
{
	if (base & APIC_BASE_X2APIC)
		return (uint32_t)rdmsr(X2APIC_MSR_BASE + offset / 16);
	return *apic_reg(base, offset);
}

static void reg_write(uint64_t base, uint32_t offset, uint32_t v)
{
	if (base & APIC_BASE_X2APIC)
		wrmsr(X2APIC_MSR_BASE + offset / 16, v);
	else
		*apic_reg(base, offset) = v;
}

bool apic_send_self_nmi(void)
{
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
	if (!(base & APIC_BASE_ENABLE))
		return false;
	if (base & APIC_BASE_X2APIC) {
		uint64_t id = reg_read(base, APIC_REG_ID); /* the whole 32-bit x2APIC ID */
		wrmsr(X2APIC_MSR_BASE + APIC_REG_ICR_LOW / 16,
		      (id << X2APIC_ICR_DEST_SHIFT) | ICR_DELIVERY_NMI | ICR_LEVEL_ASSERT);
		return true;
	}
	uint32_t id = *apic_reg(base, APIC_REG_ID) >> ICR_DEST_SHIFT;
	*apic_reg(base, APIC_REG_ICR_HIGH) = id << ICR_DEST_SHIFT;
	*apic_reg(base, APIC_REG_ICR_LOW) = ICR_DELIVERY_NMI | ICR_LEVEL_ASSERT;
	return true;
}

const char *apic_enter_x2apic(void)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	if (!(r[2] & CPUID_1_ECX_X2APIC))
		return "this CPU has no x2APIC mode (CPUID.1:ECX[21] is 0)";
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
	if (!(base & APIC_BASE_ENABLE))
		return "the local APIC is disabled (IA32_APIC_BASE[11] clear)";
	/* xAPIC to x2APIC is a legal transition with EN set (SDM Vol. 3A figure 11-27). */
	wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_X2APIC);
	return NULL;
}

/* IA32_APIC_BASE as apic_init found it, for the timer's registers. */
static uint64_t timer_base;
/* For the gate of APIC_TIMER_VECTOR in hw/isr.S: the xAPIC EOI register; in x2APIC mode, the EOI MSR. */
volatile uint32_t *apic_eoi_register;
bool apic_x2apic_mode;

const char *apic_init(void)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	if (!(r[3] & CPUID_1_EDX_APIC))
		return "no local APIC";
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
	if (!(base & APIC_BASE_ENABLE))
		return "the local APIC is disabled (IA32_APIC_BASE[11] clear)";
	/* The boot page tables map the first 4 GiB one to one; the xAPIC page sits there unless moved. */
	if (!(base & APIC_BASE_X2APIC) && APIC_BASE_ADDR(base) >= (4ull << 30))
		return "the local APIC page is above 4 GiB";
	timer_base = base;
	apic_x2apic_mode = base & APIC_BASE_X2APIC;
	apic_eoi_register = apic_x2apic_mode ? NULL : apic_reg(base, APIC_REG_EOI);
	reg_write(base, APIC_REG_SVR, SVR_APIC_ENABLE | SVR_SPURIOUS_VECTOR);
	reg_write(base, APIC_REG_TPR, 0);
	reg_write(base, APIC_REG_TIMER_DIVIDE, DIVIDE_BY_1);
	reg_write(base, APIC_REG_TIMER_INITIAL, 0);
	reg_write(base, APIC_REG_LVT_TIMER, APIC_TIMER_VECTOR); /* one-shot (bits 18:17 = 0), unmasked */
	return NULL;
}

void apic_timer_start(uint32_t count)
{
	reg_write(timer_base, APIC_REG_TIMER_INITIAL, count);
}

uint32_t apic_timer_current(void)
{
	return reg_read(timer_base, APIC_REG_TIMER_CURRENT);
}

void apic_timer_stop(void)
{
	reg_write(timer_base, APIC_REG_TIMER_INITIAL, 0);
	uint32_t irr = reg_read(timer_base, APIC_REG_IRR + (APIC_TIMER_VECTOR / 32) * 0x10);
	if (irr & (1u << (APIC_TIMER_VECTOR % 32))) {
		/* Fired in the host, where IF is 0: let the gate take it (it only signals EOI). */
		__asm__ volatile("sti; nop; cli" ::: "memory");
	}
}

void apic_eoi(void)
{
	reg_write(timer_base, APIC_REG_EOI, 0);
}
