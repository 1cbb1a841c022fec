/* VMX capability MSRs (SDM appendix A) and the adjustment of controls to them. */
#ifndef VEXIT_VMX_CAPS_H
#define VEXIT_VMX_CAPS_H

#include <stdbool.h>
#include <stdint.h>

#define MSR_IA32_VMX_BASIC 0x480
#define MSR_IA32_VMX_PINBASED_CTLS 0x481
#define MSR_IA32_VMX_PROCBASED_CTLS 0x482
#define MSR_IA32_VMX_EXIT_CTLS 0x483
#define MSR_IA32_VMX_ENTRY_CTLS 0x484
#define MSR_IA32_VMX_MISC 0x485
#define MSR_IA32_VMX_CR0_FIXED0 0x486
#define MSR_IA32_VMX_CR0_FIXED1 0x487
#define MSR_IA32_VMX_CR4_FIXED0 0x488
#define MSR_IA32_VMX_CR4_FIXED1 0x489
#define MSR_IA32_VMX_PROCBASED_CTLS2 0x48b
#define MSR_IA32_VMX_EPT_VPID_CAP 0x48c
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS 0x48d
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x48e
#define MSR_IA32_VMX_TRUE_EXIT_CTLS 0x48f
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS 0x490

#define VMX_BASIC_TRUE_CTLS (1ull << 55)
#define EPT_CAP_WALK_LENGTH_4 (1ull << 6)
#define EPT_CAP_MEMTYPE_WB (1ull << 14)
#define EPT_CAP_INVEPT (1ull << 20)
#define EPT_CAP_INVEPT_SINGLE (1ull << 25)
#define EPT_CAP_INVEPT_ALL (1ull << 26)

/* The capability MSR values, read once at bring-up. */
struct vmx_caps {
	uint64_t basic;
	uint64_t pinbased, procbased, exit, entry; /* the TRUE_ variants when VMX_BASIC[55] says they exist */
	uint64_t procbased2;                       /* 0 when secondary controls cannot be activated */
	uint64_t misc;
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	uint64_t ept_vpid;                         /* 0 without EPT */
};

/*
 * A capability MSR holds the allowed 0-settings in bits 31:0 (a 1 there means
 * the control must be 1) and the allowed 1-settings in bits 63:32 (a 0 there
 * means the control must be 0): SDM A.3.1.
 */
uint32_t vmx_adjust_controls(uint32_t wanted, uint64_t cap_msr);
bool vmx_control_allowed(uint32_t bit, uint64_t cap_msr);

uint32_t vmx_revision_id(const struct vmx_caps *c);
bool vmx_has_ept(const struct vmx_caps *c);
bool vmx_has_unrestricted_guest(const struct vmx_caps *c);
/* TPR shadow, APIC-access virtualization and APIC-register virtualization: what vm/lapic.h is built on. */
bool vmx_has_apic_virtualization(const struct vmx_caps *c);
bool vmx_has_preemption_timer(const struct vmx_caps *c);
/* IA32_VMX_MISC bit 6: VM entry can load the HLT activity state (SDM A.6). */
#define VMX_MISC_ACTIVITY_HLT (1ull << 6)
/* Bits 4:0 of IA32_VMX_MISC: the preemption timer counts down once every 2^rate TSC ticks (SDM 26.5.1). */
unsigned vmx_preemption_timer_rate(const struct vmx_caps *c);

#endif
