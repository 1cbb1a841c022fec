#include "vmx/vmx_caps.h"

#include "include/vmcs_fields.h"

uint32_t vmx_adjust_controls(uint32_t wanted, uint64_t cap_msr)
{
	uint32_t must_be_one = (uint32_t)cap_msr;
	uint32_t may_be_one = (uint32_t)(cap_msr >> 32);
	return (wanted | must_be_one) & may_be_one;
}

bool vmx_control_allowed(uint32_t bit, uint64_t cap_msr)
{
	return (uint32_t)(cap_msr >> 32) & bit;
}

uint32_t vmx_revision_id(const struct vmx_caps *c)
{
	return (uint32_t)c->basic & 0x7fffffff;
}

bool vmx_has_ept(const struct vmx_caps *c)
{
	return vmx_control_allowed(PROC2_ENABLE_EPT, c->procbased2) &&
	       (c->ept_vpid & EPT_CAP_WALK_LENGTH_4) && (c->ept_vpid & EPT_CAP_MEMTYPE_WB);
}

bool vmx_has_unrestricted_guest(const struct vmx_caps *c)
{
	return vmx_control_allowed(PROC2_UNRESTRICTED_GUEST, c->procbased2);
}

bool vmx_has_apic_virtualization(const struct vmx_caps *c)
{
	/* APIC-register virtualization needs the TPR shadow (SDM 27.2.1.1). */
	return vmx_control_allowed(PROC_USE_TPR_SHADOW, c->procbased) &&
	       vmx_control_allowed(PROC2_VIRTUALIZE_APIC_ACCESSES, c->procbased2) &&
	       vmx_control_allowed(PROC2_APIC_REGISTER_VIRT, c->procbased2);
}

bool vmx_has_preemption_timer(const struct vmx_caps *c)
{
	return vmx_control_allowed(PIN_PREEMPTION_TIMER, c->pinbased);
}

unsigned vmx_preemption_timer_rate(const struct vmx_caps *c)
{
	return (unsigned)(c->misc & 0x1f);
}
