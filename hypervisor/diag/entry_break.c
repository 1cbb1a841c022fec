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
#define OFF(member) ((unsigned)__builtin_offsetof(struct vmcs_snapshot, member))
#define FIELD(member) field_index(OFF(member))

#define NONCANONICAL 0x0000800000000000ull    /* bit 47 set, 63:48 clear: not canonical with 48-bit addresses */
#define WIDE_ADDRESS (1ull << 52)             /* beyond any physical-address width */
#define PAT_WITH_TYPE_2 0x0007040600070402ull /* the power-on PAT with PA0 = 2, a reserved memory type */
#define ALL ~0ull                             /* clear: the whole field is replaced by set */
#define PDPTE_PRESENT_BIT1 0x3ull             /* a present PDPTE with reserved bit 1 set (SDM Vol. 3A 4.4.1) */
#define PIN_VIRTUAL_NMIS_BIT (1u << 5)
#define ENTRY_LOAD_DEBUG_CONTROLS_BIT (1u << 2)
#define ENTRY_TO_SMM_BIT (1u << 10)
#define ENTRY_DEACTIVATE_DUAL_MONITOR_BIT (1u << 11)

/* --- the breakages that depend on the CPU's capabilities -------------------------------------- */

/* Set the highest bit of a control whose allowed-1 setting (bits 63:32 of its capability MSR) is 0 (SDM A.3-A.5). */
static void set_forbidden(uint64_t *v, uint64_t cap)
{
	uint32_t may1 = (uint32_t)(cap >> 32);
	for (int b = 31; b >= 0; b--)
		if (!(may1 & (1u << b))) {
			*v |= 1u << b;
			return;
		}
}

/* Clear the lowest bit of a control whose allowed-0 setting is 1 (or, when there is none, set a forbidden one). */
static void clear_required(uint64_t *v, uint64_t cap)
{
	uint32_t must1 = (uint32_t)cap;
	for (int b = 0; b < 32; b++)
		if (must1 & (1u << b)) {
			*v &= ~(uint64_t)(1u << b);
			return;
		}
	set_forbidden(v, cap);
}

/* SDM 27.2.1.1: a pin-based control whose allowed-1 setting is 0 (the highest such bit). */
static unsigned pin_allowed1(struct vmcs_snapshot *s, const struct vmx_caps *c, uint64_t scratch)
{
	(void)scratch;
	set_forbidden(&s->pin, c->pinbased);
	return FIELD(pin);
}

/*
 * SDM 27.4: a VM-entry MSR-load area whose second entry is IA32_FS_BASE, which the
 * area cannot load: entry 1 (IA32_SYSENTER_CS) loads, entry 2 ends the entry with
 * reason 34 and qualification 2. The entries are the snapshot's; the caller
 * puts them in an area of its own and points VM_ENTRY_MSR_LOAD_ADDR at it.
 */
static unsigned msr_load_fs_base(struct vmcs_snapshot *s, const struct vmx_caps *c, uint64_t scratch)
{
	(void)c;
	s->msr_load[0] = (struct vmcs_msr_entry){ .index = MSR_IA32_SYSENTER_CS, .value = 0 };
	s->msr_load[1] = (struct vmcs_msr_entry){ .index = MSR_IA32_FS_BASE, .value = 0 };
	s->msr_load_n = 2;
	s->entry_msr_load_count = 2;
	s->entry_msr_load_addr = scratch + ENTRY_BREAK_SCRATCH_MSR_AREA;
	return FIELD(entry_msr_load_count);
}

/* SDM 27.4: an MSR-load entry whose WRMSR would #GP: IA32_PAT with PA0 = 2, a reserved memory type. */
static unsigned msr_load_pat_type2(struct vmcs_snapshot *s, const struct vmx_caps *c, uint64_t scratch)
{
	(void)c;
	s->msr_load[0] = (struct vmcs_msr_entry){ .index = MSR_IA32_PAT, .value = PAT_WITH_TYPE_2 };
	s->msr_load_n = 1;
	s->entry_msr_load_count = 1;
	s->entry_msr_load_addr = scratch + ENTRY_BREAK_SCRATCH_MSR_AREA;
	return FIELD(entry_msr_load_count);
}

/* SDM 27.4: an MSR-load entry for IA32_PKRS, an MSR only CPUs with PKS have (none of Bochs 2.7's). */
static unsigned msr_load_pkrs(struct vmcs_snapshot *s, const struct vmx_caps *c, uint64_t scratch)
{
	(void)c;
	s->msr_load[0] = (struct vmcs_msr_entry){ .index = MSR_IA32_PKRS, .value = 0 };
	s->msr_load_n = 1;
	s->entry_msr_load_count = 1;
	s->entry_msr_load_addr = scratch + ENTRY_BREAK_SCRATCH_MSR_AREA;
	return FIELD(entry_msr_load_count);
}

/* The 64-bit guest made a PAE guest: no IA-32e mode guest, IA32_EFER.LMA and LME clear (SDM 27.3.1.1). */
static void make_pae_guest(struct vmcs_snapshot *s)
{
	s->entry_ctls &= ~(uint64_t)ENTRY_IA32E_MODE_GUEST;
	s->guest_efer &= ~(EFER_LMA | EFER_LME);
}

/*
 * SDM 27.3.1.6: a PAE guest without EPT (and so without unrestricted guest) whose CR3 points at PDPTEs
 * of which the first is present with reserved bit 1 set; the CPU reads them at entry.
 */
static unsigned pdpte_reserved_cr3(struct vmcs_snapshot *s, const struct vmx_caps *c, uint64_t scratch)
{
	(void)c;
	make_pae_guest(s);
	s->proc2 &= ~(uint64_t)(PROC2_ENABLE_EPT | PROC2_UNRESTRICTED_GUEST);
	s->guest_cr3 = scratch + ENTRY_BREAK_SCRATCH_PDPT;
	s->cr3_pdpte[0] = PDPTE_PRESENT_BIT1;
	s->cr3_pdpte[1] = s->cr3_pdpte[2] = s->cr3_pdpte[3] = 0;
	s->cr3_pdptes_known = true;
	return FIELD(guest_cr3);
}

/* SDM 27.2.1.1: use TPR shadow with a TPR threshold of 1 over a virtual-APIC page whose VTPR is 0. */
static unsigned tpr_threshold_above_vtpr(struct vmcs_snapshot *s, const struct vmx_caps *c, uint64_t scratch)
{
	(void)c;
	s->proc |= PROC_USE_TPR_SHADOW;
	s->virtual_apic_addr = scratch;
	s->vtpr = 0;
	s->vtpr_known = true;
	s->tpr_threshold = 1;
	return FIELD(tpr_threshold);
}

static unsigned proc_allowed0(struct vmcs_snapshot *s, const struct vmx_caps *c, uint64_t scratch)
{
	(void)scratch;
	clear_required(&s->proc, c->procbased);
	return FIELD(proc);
}

/* The highest secondary control the CPU does not allow, with the secondary controls activated. */
static unsigned proc2_allowed1(struct vmcs_snapshot *s, const struct vmx_caps *c, uint64_t scratch)
{
	(void)scratch;
	s->proc |= PROC_ACTIVATE_SECONDARY;
	set_forbidden(&s->proc2, c->procbased2);
	return FIELD(proc2);
}

static unsigned exit_allowed0(struct vmcs_snapshot *s, const struct vmx_caps *c, uint64_t scratch)
{
	(void)scratch;
	clear_required(&s->exit_ctls, c->exit);
	return FIELD(exit_ctls);
}

static unsigned entry_allowed0(struct vmcs_snapshot *s, const struct vmx_caps *c, uint64_t scratch)
{
	(void)scratch;
	clear_required(&s->entry_ctls, c->entry);
	return FIELD(entry_ctls);
}

static unsigned cr3_target_count_high(struct vmcs_snapshot *s, const struct vmx_caps *c, uint64_t scratch)
{
	(void)scratch;
	s->cr3_target_count = ((c->misc >> 16) & 0x1ff) + 1; /* one more than IA32_VMX_MISC[24:16] */
	return FIELD(cr3_target_count);
}

/* --- the table: SDM 27.2 (controls, host state), 27.3 (guest state), 27.4 (MSR loading) ---------- */

#define E(member, c, st) { .offset = OFF(member), .clear = (c), .set = (st) }

const struct entry_break entry_breaks[] = {
	/* 27.3.1.1: PG without PE (the fixed-0 bits of CR0 also require PE here) */
	{ "cr0-pg-without-pe", "guest_cr0_pg_requires_pe", .edit = { E(guest_cr0, CR0_PE, 0) } },
	/* 27.3.1.4: RFLAGS bit 1 is reserved and must be 1 */
	{ "rflags-bit1-clear", "guest_rflags_reserved", .edit = { E(guest_rflags, RFLAGS_FIXED1, 0) } },
	/* 27.3.1.2: CS must be a code segment; a read/write data segment (type 3) */
	{ "cs-data-type", "guest_cs_type", .edit = { E(guest_cs_ar, 0xf, 3) } },
	/* 27.3.1.4: RIP of a 64-bit guest must be canonical */
	{ "rip-noncanonical", "guest_rip", .edit = { E(guest_rip, 0xffffffff00000000ull, NONCANONICAL) } },
	/* 27.3.1.1: reserved IA32_EFER bits (bit 2 is reserved on every CPU) */
	{ "efer-reserved", "guest_efer", .edit = { E(guest_efer, 0, 1ull << 2) } },
	/* 27.2.1.1: a pin-based control whose allowed-1 setting is 0 (the highest such bit) */
	{ "pin-allowed1", "ctl_pin_allowed", .apply = pin_allowed1 },
	/* 27.2.1.1: the MSR-bitmap address must be 4-KByte aligned */
	{ "msr-bitmap-unaligned", "ctl_msr_bitmap_addr", .edit = { E(msr_bitmap, 0, 0x80) } },
	/* 27.2.3: host selectors must have RPL 0 and TI 0 */
	{ "host-ds-rpl3", "host_selector_rpl_ti", .edit = { E(host_ds_sel, 0, 3) } },
	/* 27.2.3: HOST_CS_SELECTOR must not be null */
	{ "host-cs-null", "host_cs_tr_not_null", .edit = { E(host_cs_sel, ALL, 0) } },
	/* 27.3.1.5: without VMCS shadowing the link pointer must be all ones */
	{ "link-pointer-zero", "guest_link_pointer", .edit = { E(link_pointer, ALL, 0) } },
	/* 27.3.1.5: activity states above 3 do not exist */
	{ "activity-state-bad", "guest_activity_state", .edit = { E(guest_activity, ALL, 4) } },
	/* 27.3.1.3: the GDTR limit is 16 bits */
	{ "gdtr-limit-wide", "guest_gdtr_idtr", .edit = { E(guest_gdtr_limit, ALL, 0x10000) } },
	{ "msr-load-fs-base", "msr_load_entry", .apply = msr_load_fs_base },
	/* 27.2.2: CR4 fixed bits (VMXE), CR3 width, IA32_EFER and IA32_PAT when the exit loads them */
	{ "host-cr0-ne-clear", "host_cr0_fixed", .edit = { E(host_cr0, CR0_NE, 0) } },
	{ "host-cr4-vmxe-clear", "host_cr4_fixed", .edit = { E(host_cr4, CR4_VMXE, 0) } },
	{ "host-cr3-wide", "host_cr3_width", .edit = { E(host_cr3, 0, WIDE_ADDRESS) } },
	{ "host-efer-reserved", "host_efer", .edit = { E(host_efer, 0, 1ull << 2) } },
	{ "host-pat-type2", "host_pat", .edit = { E(host_pat, ALL, PAT_WITH_TYPE_2), E(exit_ctls, 0, EXIT_LOAD_IA32_PAT) } },
	/* 27.2.3: a null TR, non-canonical bases; 27.2.4: the RIP of a 64-bit host */
	{ "host-tr-null", "host_cs_tr_not_null", .edit = { E(host_tr_sel, ALL, 0) } },
	{ "host-gs-base-noncanonical", "host_bases_canonical", .edit = { E(host_gs_base, ALL, NONCANONICAL) } },
	{ "host-rip-noncanonical", "host_address_space", .edit = { E(host_rip, 0xffffffff00000000ull, NONCANONICAL) } },
	/* 27.2.1: controls against their capability MSRs, CR3 targets, bitmaps, NMI controls, VPID, TPR shadow */
	{ "proc-allowed0", "ctl_proc_allowed", .apply = proc_allowed0 },
	{ "proc2-allowed1", "ctl_proc2_allowed", .apply = proc2_allowed1 },
	{ "exit-allowed0", "ctl_exit_allowed", .apply = exit_allowed0 },
	{ "entry-allowed0", "ctl_entry_allowed", .apply = entry_allowed0 },
	{ "cr3-target-count-high", "ctl_cr3_target_count", .apply = cr3_target_count_high },
	{ "io-bitmap-unaligned", "ctl_io_bitmap_addr", .edit = { E(io_bitmap_a, 0, 0x80) } },
	{ "virtual-nmis-without-nmi-exiting", "ctl_nmi_controls",
	  .edit = { E(pin, PIN_NMI_EXITING, PIN_VIRTUAL_NMIS_BIT) } },
	{ "exit-msr-store-unaligned", "ctl_exit_msr_areas",
	  .edit = { E(exit_msr_store_addr, ALL, 0x1008), E(exit_msr_store_count, ALL, 1) } },
	{ "eptp-walk-2", "ctl_eptp", .edit = { E(eptp, 0x38, 0x08) } },
	{ "ug-without-ept", "ctl_ug_requires_ept",
	  .edit = { E(proc2, PROC2_ENABLE_EPT, PROC2_UNRESTRICTED_GUEST), E(proc, 0, PROC_ACTIVATE_SECONDARY) } },
	{ "timer-save-without-timer", "ctl_preemption_timer_save",
	  .edit = { E(exit_ctls, 0, EXIT_SAVE_PREEMPTION_TIMER), E(pin, PIN_PREEMPTION_TIMER, 0) } },
	{ "vid-without-tpr-shadow", "ctl_apic_virtualization",
	  .edit = { E(proc2, 0, PROC2_VIRTUAL_INTR_DELIVERY), E(proc, PROC_USE_TPR_SHADOW, PROC_ACTIVATE_SECONDARY),
		    E(pin, 0, PIN_EXTERNAL_INTERRUPT_EXITING) } },
	{ "entry-msr-load-unaligned", "ctl_entry_msr_load",
	  .edit = { E(entry_msr_load_addr, ALL, 0x1008), E(entry_msr_load_count, ALL, 1) } },
	{ "vpid-zero", "ctl_vpid",
	  .edit = { E(proc2, 0, PROC2_ENABLE_VPID), E(vpid, ALL, 0), E(proc, 0, PROC_ACTIVATE_SECONDARY) } },
	{ "tpr-shadow-unaligned", "ctl_tpr_shadow",
	  .edit = { E(virtual_apic_addr, ALL, 0x1080), E(proc, 0, PROC_USE_TPR_SHADOW) } },
	/* 27.2.1.3: event injection: an external interrupt with an error code; error-code bits 31:16; length */
	{ "inject-without-if", "guest_rflags_if_for_injection", .edit = { E(entry_intr_info, ALL, 0x80000020) } },
	{ "inject-error-code-mismatch", "ctl_entry_event_injection", .edit = { E(entry_intr_info, ALL, 0x80000820) } },
	{ "inject-error-code-reserved", "ctl_entry_intr_error_code",
	  .edit = { E(entry_exception_error, ALL, 0x10000), E(entry_intr_info, ALL, 0x80000b0d) } },
	{ "inject-length-16", "ctl_entry_intr_length",
	  .edit = { E(entry_instruction_length, ALL, 16), E(entry_intr_info, ALL, 0x80000603) } },
	/* 27.2.1.3: outside SMM, no "deactivate dual-monitor treatment", no "entry to SMM" */
	{ "entry-dual-monitor", "ctl_entry_smm", .edit = { E(entry_ctls, 0, ENTRY_DEACTIVATE_DUAL_MONITOR_BIT) } },
	{ "entry-to-smm", "ctl_entry_smm", .edit = { E(entry_ctls, 0, ENTRY_TO_SMM_BIT) } },
	/* 27.3.1.1: CR4 fixed bits, CR4.PAE of an IA-32e guest, CR3 width, SYSENTER_EIP, IA32_PAT, EFER.LMA */
	{ "guest-cr4-vmxe-clear", "guest_cr4_fixed", .edit = { E(guest_cr4, CR4_VMXE, 0) } },
	{ "guest-cr4-pae-clear", "guest_ia32e_paging", .edit = { E(guest_cr4, CR4_PAE, 0) } },
	{ "guest-cr3-wide", "guest_cr3_width", .edit = { E(guest_cr3, 0, WIDE_ADDRESS) } },
	{ "dr7-high", "guest_dr7_high", .edit = { E(guest_dr7, 0, 1ull << 40), E(entry_ctls, 0, ENTRY_LOAD_DEBUG_CONTROLS_BIT) } },
	{ "sysenter-eip-noncanonical", "guest_sysenter_canonical", .edit = { E(guest_sysenter_eip, ALL, NONCANONICAL) } },
	{ "guest-pat-type2", "guest_pat", .edit = { E(guest_pat, ALL, PAT_WITH_TYPE_2), E(entry_ctls, 0, ENTRY_LOAD_IA32_PAT) } },
	{ "efer-lma-clear", "guest_efer", .edit = { E(guest_efer, EFER_LMA, 0) } },
	/* 27.3.1.2: CS.L with CS.D/B, SS read-only (type 1), DS not accessed, FS base, a 16-bit busy TSS, LDTR type 3 */
	{ "cs-l-and-db", "guest_cs_l_db", .edit = { E(guest_cs_ar, 0, AR_DB) } },
	{ "ss-rpl3", "guest_cs_ss_rpl", .edit = { E(guest_ss_sel, 0, 3) } },
	{ "fs-limit-granularity", "guest_seg_limit_granularity", .edit = { E(guest_fs_limit, 1, 0) } },
	{ "es-ar-reserved", "guest_ar_reserved", .edit = { E(guest_es_ar, 0, 0x100) } },
	{ "ss-read-only", "guest_ss", .edit = { E(guest_ss_ar, 0xf, 1) } },
	{ "ds-not-accessed", "guest_data_segments", .edit = { E(guest_ds_ar, 1, 0) } },
	{ "fs-base-noncanonical", "guest_seg_bases", .edit = { E(guest_fs_base, ALL, NONCANONICAL) } },
	{ "tr-16bit-tss", "guest_tr", .edit = { E(guest_tr_ar, 0xf, 3) } },
	{ "ldtr-type3", "guest_ldtr", .edit = { E(guest_ldtr_ar, ALL, 0x83) } },
	/* 27.3.1.4: RFLAGS.VM in an IA-32e guest */
	{ "rflags-vm-set", "guest_rflags_vm", .edit = { E(guest_rflags, 0, RFLAGS_VM) } },
	/* 27.3.1.5: pending debug bit 5; STI blocking with IF 0; HLT with MOV-SS blocking; SMI blocking; injection
	   under MOV-SS blocking, into wait-for-SIPI (an NMI), into shutdown (an external interrupt) */
	{ "pending-debug-reserved", "guest_pending_debug", .edit = { E(guest_pending_debug, 0, 1ull << 5) } },
	{ "sti-blocking-if-clear", "guest_interruptibility",
	  .edit = { E(guest_interruptibility, ALL, 1), E(guest_rflags, RFLAGS_IF, 0) } },
	{ "hlt-mov-ss-blocking", "guest_activity_blocking",
	  .edit = { E(guest_activity, ALL, 1), E(guest_interruptibility, ALL, 2) } },
	{ "smi-blocking", "guest_smi_blocking", .edit = { E(guest_interruptibility, ALL, 4) } },
	{ "inject-under-mov-ss", "guest_injection_blocking",
	  .edit = { E(guest_interruptibility, ALL, 2), E(entry_intr_info, ALL, 0x80000020), E(guest_rflags, 0, RFLAGS_IF) } },
	{ "inject-into-wait-for-sipi", "guest_activity_injection",
	  .edit = { E(guest_activity, ALL, 3), E(entry_intr_info, ALL, 0x80000202) } },
	{ "inject-into-shutdown", "guest_activity_injection",
	  .edit = { E(guest_activity, ALL, 2), E(entry_intr_info, ALL, 0x80000020), E(guest_rflags, 0, RFLAGS_IF) } },
	/* 27.3.1.5: BS clear while TF is set under blocking by MOV SS; an NMI injected under blocking by NMI */
	{ "pending-debug-bs-clear", "guest_pending_debug_bs",
	  .edit = { E(guest_rflags, 0, RFLAGS_TF), E(guest_interruptibility, ALL, 2), E(guest_pending_debug, ALL, 0) } },
	{ "inject-nmi-under-nmi-blocking", "guest_injection_blocking",
	  .edit = { E(entry_intr_info, ALL, 0x80000202), E(guest_interruptibility, ALL, 8), E(pin, 0, PIN_VIRTUAL_NMIS_BIT) } },
	/* 27.3.1.5: enclave interruption without SGX; RTM (with bit 12) without RTM */
	{ "interruptibility-enclave", "guest_interruptibility_enclave", .edit = { E(guest_interruptibility, ALL, 0x10) } },
	{ "pending-debug-rtm", "guest_pending_debug_rtm", .edit = { E(guest_pending_debug, ALL, 0x11000) } },
	/* 27.3.1.6: a PAE guest whose PDPTE 0 is present with reserved bit 1, from the VMCS (EPT) or through CR3 */
	{ "pdpte-reserved-ept", "guest_pdptes",
	  .edit = { E(guest_pdpte0, ALL, PDPTE_PRESENT_BIT1), E(entry_ctls, ENTRY_IA32E_MODE_GUEST, 0),
		    E(guest_efer, EFER_LMA | EFER_LME, 0) } },
	{ "pdpte-reserved-cr3", "guest_pdptes_cr3", .apply = pdpte_reserved_cr3 },
	/* 27.2.1.1: an unaligned APIC-access address; a TPR threshold above VTPR */
	{ "apic-access-unaligned", "ctl_apic_access_addr",
	  .edit = { E(apic_access, ALL, 0x1080), E(proc2, 0, PROC2_VIRTUALIZE_APIC_ACCESSES), E(proc, 0, PROC_ACTIVATE_SECONDARY) } },
	{ "tpr-threshold-above-vtpr", "ctl_tpr_threshold_vtpr", .apply = tpr_threshold_above_vtpr },
	/* 27.3.1.2: a virtual-8086 guest (RFLAGS.VM in a 32-bit guest) whose segments are the 64-bit guest's */
	{ "v8086-segments", "guest_v8086_segments",
	  .edit = { E(guest_rflags, 0, RFLAGS_VM), E(entry_ctls, ENTRY_IA32E_MODE_GUEST, 0), E(guest_efer, EFER_LMA | EFER_LME, 0) } },
	/* 27.3.1.2: unrestricted guest with a CS of type 3 (DPL 0) and SS.DPL 3 */
	{ "ug-ss-dpl3", "guest_ug_dpl",
	  .edit = { E(guest_ss_ar, 0, AR_DPL_MASK), E(guest_cs_ar, 0xf, 3), E(proc2, 0, PROC2_UNRESTRICTED_GUEST) } },
	/* 27.3.1.1: IA32_DEBUGCTL bit 2 (reserved) with load debug controls */
	{ "debugctl-reserved", "guest_debugctl", .edit = { E(guest_debugctl, 0, 1ull << 2), E(entry_ctls, 0, ENTRY_LOAD_DEBUG_CONTROLS_BIT) } },
	/* 27.4: an MSR-load entry whose WRMSR would #GP */
	{ "msr-load-pat-type2", "msr_load_value", .apply = msr_load_pat_type2 },
	{ "msr-load-pkrs", "msr_load_feature", .apply = msr_load_pkrs },
};
const unsigned entry_break_count = sizeof(entry_breaks) / sizeof(entry_breaks[0]);

unsigned entry_break_find(const char *name, unsigned long n)
{
	for (unsigned i = 0; i < entry_break_count; i++)
		if (strlen(entry_breaks[i].name) == n && memcmp(entry_breaks[i].name, name, n) == 0)
			return i + 1;
	return 0;
}

unsigned entry_break_apply(const struct entry_break *b, struct vmcs_snapshot *s, const struct vmx_caps *c,
			   uint64_t scratch)
{
	if (b->apply)
		return b->apply(s, c, scratch);
	for (unsigned i = 0; i < 3 && (b->edit[i].clear | b->edit[i].set); i++) {
		uint64_t *m = (uint64_t *)((char *)s + b->edit[i].offset);
		*m = (*m & ~b->edit[i].clear) | b->edit[i].set;
	}
	return field_index(b->edit[0].offset);
}
