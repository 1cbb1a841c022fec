/*
 * hostile_apic_init_sipi: a guest tries to wake or reset other processors. The
 * x2APIC interrupt command register (MSR 0x830) and turning x2APIC mode on both
 * raise #GP (no x2APIC here); then it maps the local APIC's page (0xFEE00000)
 * and writes an INIT IPI to its ICR. The VM has no APIC page in EPT: the write
 * stops the VM naming it, and no IPI leaves it.
 */
#include "cpu.h"
#include "fault.h"
#include "paging.h"

EXPECT("stop ept-violation");
EXPECT("field gpa=0xfee00300");
EXPECT("field access=w");
EXPECT("asserts 3");

#define MSR_X2APIC_ICR 0x830
#define APIC_BASE_X2APIC_ENABLE (1ull << 10)
#define ICR_INIT_ALL_BUT_SELF 0x000c4500u
#define ICR_SIPI_ALL_BUT_SELF 0x000c4600u

int main(void)
{
	fault_init();
	report_eq(try_wrmsr(MSR_X2APIC_ICR, ICR_INIT_ALL_BUT_SELF), 13, "x2APIC ICR INIT raises #GP");
	report_eq(try_wrmsr(MSR_X2APIC_ICR, ICR_SIPI_ALL_BUT_SELF | 0x10), 13, "x2APIC ICR SIPI raises #GP");
	report_eq(try_wrmsr(MSR_IA32_APIC_BASE, 0xfee00000 | 0x900 | APIC_BASE_X2APIC_ENABLE), 13,
		  "turning x2APIC on raises #GP");
	map_2m(0x400000, 0xfee00000);
	*(volatile uint32_t *)(0x400000 + 0x300) = ICR_INIT_ALL_BUT_SELF;
	guest_printf("FAIL the INIT IPI went through");
	return 1;
}
