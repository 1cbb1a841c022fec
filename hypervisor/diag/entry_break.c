#include "diag/entry_break.h"

#include "include/x86_arch.h"
#include "kernel/kstring.h"

static unsigned field_index(unsigned offset)
{
	for (unsigned i = 0; i < vmcs_field_count; i++)
		if (vmcs_field_table[i].offset == offset)
			return i;
	return 0;
}
#define FIELD(member) field_index((unsigned)__builtin_offsetof(struct vmcs_snapshot, member))

/* SDM 27.3.1.1: PG without PE (the fixed-0 bits of CR0 also require PE here). */
static unsigned cr0_pg_without_pe(struct vmcs_snapshot *s, const struct vmx_caps *c)
{
	(void)c;
	s->guest_cr0 &= ~1ull;
	return FIELD(guest_cr0);
}

/* SDM 27.3.1.4: RFLAGS bit 1 is reserved and must be 1. */
static unsigned rflags_bit1_clear(struct vmcs_snapshot *s, const struct vmx_caps *c)
{
	(void)c;
	s->guest_rflags &= ~2ull;
	return FIELD(guest_rflags);
}

/* SDM 27.3.1.2: CS must be a code segment; make it a read/write data segment (type 3). */
static unsigned cs_data_type(struct vmcs_snapshot *s, const struct vmx_caps *c)
{
	(void)c;
	s->guest_cs_ar = (s->guest_cs_ar & ~0xfull) | 3;
	return FIELD(guest_cs_ar);
}

/* SDM 27.3.1.4: RIP of a 64-bit guest must be canonical. */
static unsigned rip_noncanonical(struct vmcs_snapshot *s, const struct vmx_caps *c)
{
	(void)c;
	s->guest_rip = 0x0000800000000000ull | (s->guest_rip & 0xffffffffull);
	return FIELD(guest_rip);
}

/* SDM 27.3.1.1: reserved IA32_EFER bits (bit 2 is reserved on every CPU). */
static unsigned efer_reserved(struct vmcs_snapshot *s, const struct vmx_caps *c)
{
	(void)c;
	s->guest_efer |= 1ull << 2;
	return FIELD(guest_efer);
}

/* SDM 27.2.1.1: a pin-based control whose allowed-1 setting is 0 (the highest such bit). */
static unsigned pin_allowed1(struct vmcs_snapshot *s, const struct vmx_caps *c)
{
	uint32_t may1 = (uint32_t)(c->pinbased >> 32);
	for (int b = 31; b >= 0; b--)
		if (!(may1 & (1u << b))) {
			s->pin |= 1u << b;
			break;
		}
	return FIELD(pin);
}

/* SDM 27.2.1.1: the MSR-bitmap address must be 4-KByte aligned. */
static unsigned msr_bitmap_unaligned(struct vmcs_snapshot *s, const struct vmx_caps *c)
{
	(void)c;
	s->msr_bitmap |= 0x80;
	return FIELD(msr_bitmap);
}

/* SDM 27.2.3: host selectors must have RPL 0 and TI 0. */
static unsigned host_ds_rpl3(struct vmcs_snapshot *s, const struct vmx_caps *c)
{
	(void)c;
	s->host_ds_sel |= 3;
	return FIELD(host_ds_sel);
}

/* SDM 27.2.3: HOST_CS_SELECTOR must not be null. */
static unsigned host_cs_null(struct vmcs_snapshot *s, const struct vmx_caps *c)
{
	(void)c;
	s->host_cs_sel = 0;
	return FIELD(host_cs_sel);
}

/* SDM 27.3.1.5: without VMCS shadowing the link pointer must be all ones. */
static unsigned link_pointer_zero(struct vmcs_snapshot *s, const struct vmx_caps *c)
{
	(void)c;
	s->link_pointer = 0;
	return FIELD(link_pointer);
}

/* SDM 27.3.1.5: activity states above 3 do not exist. */
static unsigned activity_state_bad(struct vmcs_snapshot *s, const struct vmx_caps *c)
{
	(void)c;
	s->guest_activity = 4;
	return FIELD(guest_activity);
}

/* SDM 27.3.1.3: the GDTR limit is 16 bits. */
static unsigned gdtr_limit_wide(struct vmcs_snapshot *s, const struct vmx_caps *c)
{
	(void)c;
	s->guest_gdtr_limit = 0x10000;
	return FIELD(guest_gdtr_limit);
}

/*
 * SDM 27.4: a VM-entry MSR-load area whose second entry is IA32_FS_BASE, which the
 * area cannot load: entry 1 (IA32_SYSENTER_CS) loads, entry 2 ends the entry with
 * reason 34 and qualification 2. The entries are the snapshot's; the caller
 * puts them in an area of its own and points VM_ENTRY_MSR_LOAD_ADDR at it.
 */
static unsigned msr_load_fs_base(struct vmcs_snapshot *s, const struct vmx_caps *c)
{
	(void)c;
	s->msr_load[0] = (struct vmcs_msr_entry){ .index = MSR_IA32_SYSENTER_CS, .value = 0 };
	s->msr_load[1] = (struct vmcs_msr_entry){ .index = MSR_IA32_FS_BASE, .value = 0 };
	s->msr_load_n = 2;
	s->entry_msr_load_count = 2;
	return FIELD(entry_msr_load_count);
}

const struct entry_break entry_breaks[] = {
	{ "cr0-pg-without-pe", "guest_cr0_pg_requires_pe", cr0_pg_without_pe },
	{ "rflags-bit1-clear", "guest_rflags_reserved", rflags_bit1_clear },
	{ "cs-data-type", "guest_cs_type", cs_data_type },
	{ "rip-noncanonical", "guest_rip", rip_noncanonical },
	{ "efer-reserved", "guest_efer", efer_reserved },
	{ "pin-allowed1", "ctl_pin_allowed", pin_allowed1 },
	{ "msr-bitmap-unaligned", "ctl_msr_bitmap_addr", msr_bitmap_unaligned },
	{ "host-ds-rpl3", "host_selector_rpl_ti", host_ds_rpl3 },
	{ "host-cs-null", "host_cs_tr_not_null", host_cs_null },
	{ "link-pointer-zero", "guest_link_pointer", link_pointer_zero },
	{ "activity-state-bad", "guest_activity_state", activity_state_bad },
	{ "gdtr-limit-wide", "guest_gdtr_idtr", gdtr_limit_wide },
	{ "msr-load-fs-base", "msr_load_entry", msr_load_fs_base },
};
const unsigned entry_break_count = sizeof(entry_breaks) / sizeof(entry_breaks[0]);

unsigned entry_break_find(const char *name, unsigned long n)
{
	for (unsigned i = 0; i < entry_break_count; i++)
		if (strlen(entry_breaks[i].name) == n && memcmp(entry_breaks[i].name, name, n) == 0)
			return i + 1;
	return 0;
}
