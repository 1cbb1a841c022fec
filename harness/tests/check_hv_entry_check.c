/*
 * Check tests of the software VM-entry checker (hypervisor/diag/entry_check.c):
 * every rule passes on the VMCS the hypervisor's own vmcs_setup() writes (run
 * into the fake VMCS, hv_good_vmcs.c) and fails, by name, when one field of it
 * is broken; every breakage a negative guest can ask for (entry_break.c) trips
 * the rule it declares.
 */
#include <check.h>
#include <stddef.h>
#include <string.h>

#include "diag/entry_break.h"
#include "diag/entry_check.h"
#include "fake_hw.h"
#include "hv_good_vmcs.h"
#include "hv_host_fakes.h"
#include "hw/vmcs.h"
#include "include/x86_arch.h"
#include "kernel/page_alloc.h"
#include "run_suite.h"
#include "test_vm.h"

/*
 * Read-only test data: the tests copy the good VMCS before breaking it and never change either.
 * An unchecked fixture builds them once per TCase, in the runner, and every test's process inherits
 * them: building a VM in each of ~300 forked tests cost seconds of page faults.
 */
static struct vmx_caps caps;
static struct vmcs_snapshot good;

static void setup(void)
{
	hv_good_caps(&caps);
	hv_setup_snapshot(&good, 0);
}

#define F(m) offsetof(struct vmcs_snapshot, m)
#define NONE ((size_t)-1)

#define PAT_POWER_ON 0x0007040600070406ull
#define SCRATCH 0x9000ull /* the scratch page a breakage may point the VMCS at: never touched in the host build */

/* A TPR shadow over a virtual-APIC page whose VTPR is 0x30 (TPR threshold 0: no violation). */
static void prep_vtpr(struct vmcs_snapshot *s)
{
	s->proc |= PROC_USE_TPR_SHADOW;
	s->virtual_apic_addr = 0x5000;
	s->vtpr_known = true;
	s->vtpr = 0x30;
}

/* A PAE guest: the 64-bit guest without IA-32e mode, IA32_EFER.LMA and LME. */
static void prep_pae(struct vmcs_snapshot *s)
{
	s->entry_ctls &= ~(uint64_t)ENTRY_IA32E_MODE_GUEST;
	s->guest_efer &= ~(EFER_LMA | EFER_LME);
}

/* A PAE guest without EPT whose PDPTEs at CR3 were read (all not present). */
static void prep_pae_no_ept(struct vmcs_snapshot *s)
{
	prep_pae(s);
	s->proc2 &= ~(uint64_t)(PROC2_ENABLE_EPT | PROC2_UNRESTRICTED_GUEST);
	s->guest_cr3 = 0x5000;
	s->cr3_pdptes_known = true;
}

static void prep_debug_controls(struct vmcs_snapshot *s)
{
	s->entry_ctls |= 1u << 2; /* load debug controls */
}

static void prep_ug(struct vmcs_snapshot *s)
{
	s->proc2 |= PROC2_UNRESTRICTED_GUEST;
}

/* One valid MSR-load entry: IA32_PAT with its power-on value. */
static void prep_msr_pat(struct vmcs_snapshot *s)
{
	s->entry_msr_load_count = 1;
	s->entry_msr_load_addr = 0x5000;
	s->msr_load_n = 1;
	s->msr_load[0] = (struct vmcs_msr_entry){ .index = MSR_IA32_PAT, .value = PAT_POWER_ON };
}

static void prep_ug_ss_dpl3(struct vmcs_snapshot *s)
{
	prep_ug(s);
	s->guest_ss_ar |= AR_DPL_MASK;
	s->guest_ss_sel |= 3;
	s->guest_cs_sel |= 3;
	s->guest_cs_ar |= AR_DPL_MASK;
}

static void prep_ug_cs_data_dpl3(struct vmcs_snapshot *s)
{
	prep_ug(s);
	s->guest_cs_ar = (s->guest_cs_ar & ~0xfull) | 3 | AR_DPL_MASK;
}

/* One rule and the field flips (XOR) that break it: at most two fields, after an optional preparation. */
static const struct rule_case {
	const char *rule;
	size_t off1;
	uint64_t xor1;
	size_t off2;
	uint64_t xor2;
	const char *field; /* a field name the violation text must carry */
	void (*prep)(struct vmcs_snapshot *s); /* a state in which the rule applies and holds; NULL: the good VMCS */
} cases[] = {
	{ "ctl_pin_allowed", F(pin), 1ull << 31, NONE, 0, "PIN_BASED_VM_EXEC_CONTROL", NULL },
	{ "ctl_proc_allowed", F(proc), 1ull << 1, NONE, 0, "CPU_BASED_VM_EXEC_CONTROL", NULL },
	{ "ctl_proc2_allowed", F(proc2), 1ull << 31, NONE, 0, "SECONDARY_VM_EXEC_CONTROL", NULL },
	{ "ctl_cr3_target_count", F(cr3_target_count), 5, NONE, 0, "CR3_TARGET_COUNT", NULL },
	{ "ctl_io_bitmap_addr", F(io_bitmap_a), 0x10, NONE, 0, "IO_BITMAP_A", NULL },
	{ "ctl_msr_bitmap_addr", F(msr_bitmap), 0x80, NONE, 0, "MSR_BITMAP", NULL },
	/* Virtual NMIs on, NMI exiting (bit 3, on in every VM vexit builds) off. */
	{ "ctl_nmi_controls", F(pin), 1ull << 5 | 1ull << 3, NONE, 0, "PIN_BASED_VM_EXEC_CONTROL", NULL },
	{ "ctl_eptp", F(eptp), 0x38, NONE, 0, "EPT_POINTER", NULL },
	{ "ctl_ug_requires_ept", F(proc2), 0x82, NONE, 0, "SECONDARY_VM_EXEC_CONTROL", NULL },
	{ "ctl_exit_allowed", F(exit_ctls), 1ull << 0, NONE, 0, "VM_EXIT_CONTROLS", NULL },
	{ "ctl_preemption_timer_save", F(exit_ctls), 1ull << 22, NONE, 0, "VM_EXIT_CONTROLS", NULL },
	{ "ctl_entry_allowed", F(entry_ctls), 1ull << 0, NONE, 0, "VM_ENTRY_CONTROLS", NULL },
	{ "ctl_entry_event_injection", F(entry_intr_info), 0x80000100, NONE, 0, "VM_ENTRY_INTR_INFO_FIELD", NULL },
	{ "ctl_entry_msr_load", F(entry_msr_load_count), 1, F(entry_msr_load_addr), 0x1008, "VM_ENTRY_MSR_LOAD_ADDR", NULL },
	{ "ctl_exit_msr_areas", F(exit_msr_load_count), 2, F(exit_msr_load_addr), 1ull << 45, "VM_EXIT_MSR_LOAD_ADDR", NULL },
	{ "ctl_entry_smm", F(entry_ctls), 1ull << 10, NONE, 0, "VM_ENTRY_CONTROLS", NULL },
	{ "host_cr0_fixed", F(host_cr0), 1ull << 5, NONE, 0, "HOST_CR0", NULL },
	{ "host_cr4_fixed", F(host_cr4), 1ull << 13, NONE, 0, "HOST_CR4", NULL },
	{ "host_cr3_width", F(host_cr3), 1ull << 50, NONE, 0, "HOST_CR3", NULL },
	{ "host_efer", F(host_efer), 1ull << 2, NONE, 0, "HOST_IA32_EFER", NULL },
	{ "host_selector_rpl_ti", F(host_ds_sel), 3, NONE, 0, "HOST_DS_SELECTOR", NULL },
	{ "host_cs_tr_not_null", F(host_tr_sel), 0x18, NONE, 0, "HOST_TR_SELECTOR", NULL },
	{ "host_bases_canonical", F(host_gs_base), 1ull << 47, NONE, 0, "HOST_GS_BASE", NULL },
	{ "host_address_space", F(host_rip), 1ull << 50, NONE, 0, "HOST_RIP", NULL },
	{ "guest_cr0_fixed", F(guest_cr0), 1ull << 5, NONE, 0, "GUEST_CR0", NULL },
	{ "guest_cr0_pg_requires_pe", F(guest_cr0), 1ull << 0, NONE, 0, "GUEST_CR0", NULL },
	{ "guest_cr4_fixed", F(guest_cr4), 1ull << 13, NONE, 0, "GUEST_CR4", NULL },
	{ "guest_ia32e_paging", F(guest_cr4), 1ull << 5, NONE, 0, "GUEST_CR4", NULL },
	{ "guest_cr3_width", F(guest_cr3), 1ull << 45, NONE, 0, "GUEST_CR3", NULL },
	{ "guest_dr7_high", F(guest_dr7), 1ull << 40, NONE, 0, "GUEST_DR7", NULL },
	{ "guest_sysenter_canonical", F(guest_sysenter_eip), 1ull << 50, NONE, 0, "GUEST_SYSENTER_EIP", NULL },
	{ "guest_efer", F(guest_efer), 1ull << 10, NONE, 0, "GUEST_IA32_EFER", NULL },
	{ "guest_tr", F(guest_tr_ar), 0x2, NONE, 0, "GUEST_TR_AR_BYTES", NULL },
	{ "guest_ldtr", F(guest_ldtr_ar), 1ull << 16, NONE, 0, "GUEST_LDTR_AR_BYTES", NULL },
	{ "guest_cs_ss_rpl", F(guest_ss_sel), 3, NONE, 0, "GUEST_SS_SELECTOR", NULL },
	{ "guest_cs_type", F(guest_cs_ar), 0x8, NONE, 0, "GUEST_CS_AR_BYTES", NULL },
	{ "guest_cs_l_db", F(guest_cs_ar), 1ull << 14, NONE, 0, "GUEST_CS_AR_BYTES", NULL },
	{ "guest_ss", F(guest_ss_ar), 0x1, NONE, 0, "GUEST_SS_AR_BYTES", NULL },
	{ "guest_data_segments", F(guest_ds_ar), 0x1, NONE, 0, "GUEST_DS_AR_BYTES", NULL },
	{ "guest_seg_limit_granularity", F(guest_fs_limit), 0x1, NONE, 0, "GUEST_FS_LIMIT", NULL },
	{ "guest_ar_reserved", F(guest_es_ar), 0x100, NONE, 0, "GUEST_ES_AR_BYTES", NULL },
	{ "guest_seg_bases", F(guest_fs_base), 1ull << 50, NONE, 0, "GUEST_FS_BASE", NULL },
	{ "guest_gdtr_idtr", F(guest_gdtr_limit), 0x10000, NONE, 0, "GUEST_GDTR_LIMIT", NULL },
	{ "guest_rip", F(guest_rip), 1ull << 47, NONE, 0, "GUEST_RIP", NULL },
	{ "guest_rflags_reserved", F(guest_rflags), 0x2, NONE, 0, "GUEST_RFLAGS", NULL },
	{ "guest_rflags_vm", F(guest_rflags), 1ull << 17, NONE, 0, "GUEST_RFLAGS", NULL },
	{ "guest_rflags_if_for_injection", F(entry_intr_info), 0x80000020, NONE, 0, "GUEST_RFLAGS", NULL },
	{ "guest_activity_state", F(guest_activity), 4, NONE, 0, "GUEST_ACTIVITY_STATE", NULL },
	{ "guest_interruptibility", F(guest_interruptibility), 3, NONE, 0, "GUEST_INTERRUPTIBILITY_INFO", NULL },
	{ "guest_pending_debug", F(guest_pending_debug), 1ull << 5, NONE, 0, "GUEST_PENDING_DBG_EXCEPTIONS", NULL },
	{ "guest_link_pointer", F(link_pointer), ~0ull, NONE, 0, "VMCS_LINK_POINTER", NULL },
	{ "ctl_vpid", F(proc2), PROC2_ENABLE_VPID, NONE, 0, "VIRTUAL_PROCESSOR_ID", NULL },
	{ "ctl_tpr_shadow", F(proc), PROC_USE_TPR_SHADOW, F(virtual_apic_addr), 0x1080, "VIRTUAL_APIC_PAGE_ADDR", NULL },
	{ "ctl_apic_virtualization", F(proc2), PROC2_VIRTUAL_INTR_DELIVERY, NONE, 0, "SECONDARY_VM_EXEC_CONTROL", NULL },
	{ "ctl_entry_intr_error_code", F(entry_intr_info), 0x80000b0d, F(entry_exception_error), 0x10000,
	  "VM_ENTRY_EXCEPTION_ERROR_CODE", NULL },
	{ "ctl_entry_intr_length", F(entry_intr_info), 0x80000480, F(entry_instruction_length), 16, "VM_ENTRY_INSTRUCTION_LEN", NULL },
	/* The good VMCS loads both PATs (vm_vmcs.c: the test CPU has the PAT controls): a bad memory type is enough. */
	{ "host_pat", F(host_pat), 0x02, NONE, 0, "HOST_IA32_PAT", NULL },
	{ "guest_pat", F(guest_pat), 0x04, NONE, 0, "GUEST_IA32_PAT", NULL }, /* PA0: WB (6) becomes 2 */
	{ "guest_activity_blocking", F(guest_activity), 1, F(guest_interruptibility), 2, "GUEST_ACTIVITY_STATE", NULL },
	{ "guest_smi_blocking", F(guest_interruptibility), 4, NONE, 0, "GUEST_INTERRUPTIBILITY_INFO", NULL },
	{ "guest_injection_blocking", F(entry_intr_info), 0x80000202, F(guest_interruptibility), 2,
	  "GUEST_INTERRUPTIBILITY_INFO", NULL },
	{ "guest_activity_injection", F(guest_activity), 3, F(entry_intr_info), 0x80000202, "GUEST_ACTIVITY_STATE", NULL },
	{ "guest_pending_debug_bs", F(guest_activity), 1, F(guest_pending_debug), 1ull << 14, "GUEST_PENDING_DBG_EXCEPTIONS", NULL },
	/* A PAE guest (not IA-32e; CR0.PG, CR4.PAE and EPT stay) whose PDPTE 0 is present with bit 1 set. */
	{ "guest_pdptes", F(entry_ctls), ENTRY_IA32E_MODE_GUEST, F(guest_pdpte0), 0x3, "GUEST_PDPTR0", NULL },
	/* One entry read from the area, whose index becomes 800H (an x2APIC MSR). */
	{ "msr_load_entry", F(msr_load_n), 1, F(msr_load[0]), 0x800, "VM_ENTRY_MSR_LOAD_ADDR", NULL },
	/* TPR threshold 4 over VTPR 0x30 */
	{ "ctl_tpr_threshold_vtpr", F(tpr_threshold), 4, NONE, 0, "TPR_THRESHOLD", prep_vtpr },
	{ "ctl_apic_access_addr", F(proc2), PROC2_VIRTUALIZE_APIC_ACCESSES, F(apic_access), 0x80, "APIC_ACCESS_ADDR", NULL },
	{ "guest_debugctl", F(guest_debugctl), 1ull << 20, NONE, 0, "GUEST_IA32_DEBUGCTL", prep_debug_controls },
	/* CS type 11 -> 3 (data), SS.DPL 0 -> 3 */
	{ "guest_ug_dpl", F(guest_cs_ar), 0x8, F(guest_ss_ar), 0x60, "GUEST_SS_AR_BYTES", prep_ug },
	{ "guest_v8086_segments", F(guest_rflags), RFLAGS_VM, NONE, 0, "GUEST_CS_SELECTOR", prep_pae },
	{ "guest_pending_debug_rtm", F(guest_pending_debug), 0x11000, NONE, 0, "GUEST_PENDING_DBG_EXCEPTIONS", NULL },
	{ "guest_interruptibility_enclave", F(guest_interruptibility), 0x10, NONE, 0, "GUEST_INTERRUPTIBILITY_INFO", NULL },
	{ "guest_pdptes_cr3", F(cr3_pdpte[2]), 0x3, NONE, 0, "PDPTE2", prep_pae_no_ept },
	/* PA0 of the loaded IA32_PAT 6 -> 2 */
	{ "msr_load_value", F(msr_load[0].value), 0x4, NONE, 0, "WRMSR would #GP", prep_msr_pat },
	/* The loaded MSR 277H (IA32_PAT) becomes 6E1H (IA32_PKRS), on a CPU without PKS */
	{ "msr_load_feature", F(msr_load[0]), 0x277 ^ 0x6e1, NONE, 0, "exists only with PKS", prep_msr_pat },
};
#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static void flip(struct vmcs_snapshot *s, size_t off, uint64_t x)
{
	if (off != NONE)
		*(uint64_t *)((char *)s + off) ^= x;
}

static const struct entry_violation *violation_of(const struct entry_check_result *r, const char *rule)
{
	for (unsigned i = 0; i < r->n && i < ENTRY_CHECK_MAX_VIOLATIONS; i++)
		if (strcmp(r->v[i].rule->name, rule) == 0)
			return &r->v[i];
	return NULL;
}

START_TEST(test_good_vmcs_breaks_no_rule)
{
	struct entry_check_result r;
	unsigned n = entry_check_run(&good, &caps, &r);
	ck_assert_msg(n == 0, "%u violations, first %s: %s", n, n ? r.v[0].rule->name : "", n ? r.v[0].text : "");
}
END_TEST

START_TEST(test_setup_with_budget_breaks_no_rule)
{
	/* With a budget the preemption timer is on, and saved at exit where the CPU can (SDM 27.2.1.2). */
	struct vmcs_snapshot s;
	hv_setup_snapshot(&s, 20000000);
	ck_assert(s.pin & PIN_PREEMPTION_TIMER);
	ck_assert(s.exit_ctls & EXIT_SAVE_PREEMPTION_TIMER);
	struct entry_check_result r;
	unsigned n = entry_check_run(&s, &caps, &r);
	ck_assert_msg(n == 0, "%u violations, first %s: %s", n, n ? r.v[0].rule->name : "", n ? r.v[0].text : "");
}
END_TEST

START_TEST(test_setup_is_what_the_guest_gets)
{
	/* A few facts of the VMCS that the rules do not pin: it is a 64-bit guest at its entry, as vm_build.c says. */
	ck_assert_uint_eq(good.guest_rip, 0x10000);
	ck_assert(good.entry_ctls & ENTRY_IA32E_MODE_GUEST);
	ck_assert_uint_eq(good.guest_cs_ar, AR_CODE64);
	ck_assert_uint_eq(good.guest_efer, EFER_LME | EFER_LMA);
	ck_assert_uint_eq(good.cr0_mask, ~0ull);
	ck_assert_uint_eq(good.guest_rflags, RFLAGS_FIXED1);
	ck_assert_uint_eq(good.link_pointer, ~0ull);
	ck_assert_uint_eq(good.maxphyaddr, 40);
	ck_assert_uint_eq(good.linear_width, 48);
}
END_TEST

/* Break fields in the fake VMCS that vmcs_setup() filled, as a buggy setup would, and read it back. */
static unsigned check_broken(uint32_t field, uint64_t clear, uint32_t field2, uint64_t clear2,
			     struct entry_check_result *r)
{
	struct test_vm t;
	test_vm_build(&t, "broken", 0, NULL);
	vmcs_write(field, vmcs_read(field) & ~clear);
	if (field2)
		vmcs_write(field2, vmcs_read(field2) & ~clear2);
	struct vmcs_snapshot s;
	vmcs_snapshot_read(&s);
	test_vm_destroy(&t);
	return entry_check_run(&s, &caps, r);
}

START_TEST(test_setup_broken_names_the_rule)
{
	struct entry_check_result r;
	ck_assert_uint_eq(check_broken(VMCS_GUEST_RFLAGS, RFLAGS_FIXED1, 0, 0, &r), 1);
	ck_assert_str_eq(r.v[0].rule->name, "guest_rflags_reserved");
	ck_assert_ptr_nonnull(strstr(r.v[0].text, "GUEST_RFLAGS=0x0"));
	ck_assert_uint_eq(check_broken(VMCS_HOST_CR4, CR4_VMXE, 0, 0, &r), 1);
	ck_assert_str_eq(r.v[0].rule->name, "host_cr4_fixed");
	/* Two fields, two rules, each by name. */
	ck_assert_uint_eq(check_broken(VMCS_GUEST_CR4, CR4_PAE, VMCS_LINK_POINTER, 1, &r), 2);
	ck_assert(entry_check_names(&r, "guest_ia32e_paging"));
	ck_assert(entry_check_names(&r, "guest_link_pointer"));
}
END_TEST

START_TEST(test_rule_passes_on_good_vmcs)
{
	const struct rule_case *c = &cases[_i];
	struct vmcs_snapshot s = good;
	if (c->prep)
		c->prep(&s);
	struct entry_check_result r;
	entry_check_run(&s, &caps, &r);
	ck_assert_msg(r.n == 0, "%s: %u violations on the good VMCS%s, first %s: %s", c->rule, r.n,
		      c->prep ? " as prepared" : "", r.n ? r.v[0].rule->name : "", r.n ? r.v[0].text : "");
}
END_TEST

START_TEST(test_rule_fails_on_broken_field)
{
	const struct rule_case *c = &cases[_i];
	struct vmcs_snapshot s = good;
	if (c->prep)
		c->prep(&s);
	flip(&s, c->off1, c->xor1);
	flip(&s, c->off2, c->xor2);
	struct entry_check_result r;
	entry_check_run(&s, &caps, &r);
	const struct entry_violation *v = violation_of(&r, c->rule);
	ck_assert_msg(v != NULL, "%s not named (%u violations)", c->rule, r.n);
	ck_assert_msg(strstr(v->text, c->field) != NULL, "%s: '%s' does not name %s", c->rule, v->text, c->field);
	ck_assert_ptr_nonnull(entry_rule_find(c->rule));
}
END_TEST

START_TEST(test_every_rule_has_a_case)
{
	ck_assert_uint_ge(entry_rule_count, 20);
	for (unsigned i = 0; i < entry_rule_count; i++) {
		bool found = false;
		for (size_t j = 0; j < N_CASES; j++)
			found |= strcmp(cases[j].rule, entry_rules[i].name) == 0;
		ck_assert_msg(found, "rule %s has no test case", entry_rules[i].name);
	}
}
END_TEST

START_TEST(test_unrestricted_guest_may_clear_pe_pg)
{
	struct vmcs_snapshot s = good;
	s.proc2 |= PROC2_UNRESTRICTED_GUEST;
	s.guest_cr0 &= ~(1ull | (1ull << 31));
	s.entry_ctls &= ~(uint64_t)ENTRY_IA32E_MODE_GUEST;
	s.guest_efer = 0;
	struct entry_check_result r;
	entry_check_run(&s, &caps, &r);
	ck_assert(!entry_check_names(&r, "guest_cr0_fixed"));
	s.proc &= ~(uint64_t)PROC_ACTIVATE_SECONDARY; /* secondary controls then count as 0 (SDM 27.2.1.1) */
	entry_check_run(&s, &caps, &r);
	ck_assert(entry_check_names(&r, "guest_cr0_fixed"));
}
END_TEST

/*
 * The conditions of the newer rules one by one, against the capabilities they depend on: each row sets
 * fields of the good VMCS (and capability bits) and says whether its rule must fire.
 */
struct detail {
	const char *rule;
	uint64_t intr, error, len, interruptibility, activity, rflags_set, pending, debugctl, pin_set, proc_set,
		proc2_set, tpr, vapic, pat, cr0_clear;
	uint64_t basic_set, misc_clear, procbased_clear;
	uint32_t cpuid7_ebx; /* the CPU's SGX (bit 2) and RTM (bit 11) */
	void (*prep)(struct vmcs_snapshot *s);
	bool fires;
};
static const struct detail details[] = {
	/* deliver-error-code: exactly for #DF/#TS/#NP/#SS/#GP/#PF/#AC/#CP, unless IA32_VMX_BASIC[56] */
	{ "ctl_entry_event_injection", .intr = 0x80000b0d, .fires = false },
	{ "ctl_entry_event_injection", .intr = 0x8000030d, .fires = true },
	{ "ctl_entry_event_injection", .intr = 0x80000b06, .fires = true },
	{ "ctl_entry_event_injection", .intr = 0x80000b06, .basic_set = 1ull << 56, .fires = false },
	{ "ctl_entry_event_injection", .intr = 0x80000820, .basic_set = 1ull << 56, .fires = true },
	/* in real mode (unrestricted guest, CR0.PE 0) no error code is delivered */
	{ "ctl_entry_event_injection", .intr = 0x8000030d, .proc2_set = PROC2_UNRESTRICTED_GUEST, .cr0_clear = 0x80000001,
	  .fires = false },
	{ "ctl_entry_event_injection", .intr = 0x80000b0d, .proc2_set = PROC2_UNRESTRICTED_GUEST, .cr0_clear = 0x80000001,
	  .fires = true },
	/* type 7: vector 0 (pending MTF), and only with the monitor trap flag */
	{ "ctl_entry_event_injection", .intr = 0x80000700, .fires = false },
	{ "ctl_entry_event_injection", .intr = 0x80000701, .fires = true },
	{ "ctl_entry_event_injection", .intr = 0x80000700, .procbased_clear = (uint64_t)(1u << 27) << 32, .fires = true },
	{ "ctl_entry_intr_error_code", .intr = 0x80000b0d, .error = 0xffff, .fires = false },
	{ "ctl_entry_intr_error_code", .intr = 0x80000b0d, .error = 0x8000000, .fires = true },
	{ "ctl_entry_intr_error_code", .intr = 0x8000030d, .error = 0x10000, .fires = false }, /* not delivered */
	{ "ctl_entry_intr_length", .intr = 0x80000480, .len = 2, .fires = false },
	{ "ctl_entry_intr_length", .intr = 0x80000480, .len = 0, .fires = false }, /* IA32_VMX_MISC[30] */
	{ "ctl_entry_intr_length", .intr = 0x80000480, .len = 0, .misc_clear = 1ull << 30, .fires = true },
	{ "ctl_entry_intr_length", .intr = 0x80000603, .len = 16, .fires = true },
	{ "ctl_entry_intr_length", .intr = 0x8000030d, .len = 16, .fires = false }, /* hardware exception: no length */
	{ "ctl_tpr_shadow", .proc_set = PROC_USE_TPR_SHADOW, .vapic = 0x5000, .tpr = 0xf, .fires = false },
	{ "ctl_tpr_shadow", .proc_set = PROC_USE_TPR_SHADOW, .vapic = 0x5000, .tpr = 0x10, .fires = true },
	{ "ctl_tpr_shadow", .proc_set = PROC_USE_TPR_SHADOW, .vapic = 0x5000, .tpr = 0x10, .pin_set = 1,
	  .proc2_set = PROC2_VIRTUAL_INTR_DELIVERY, .fires = false },
	{ "ctl_apic_virtualization", .proc_set = PROC_USE_TPR_SHADOW, .vapic = 0x5000,
	  .proc2_set = PROC2_VIRTUALIZE_X2APIC | PROC2_VIRTUALIZE_APIC_ACCESSES, .fires = true },
	{ "ctl_apic_virtualization", .proc_set = PROC_USE_TPR_SHADOW, .vapic = 0x5000, .proc2_set = PROC2_VIRTUALIZE_X2APIC,
	  .fires = false },
	{ "ctl_apic_virtualization", .proc_set = PROC_USE_TPR_SHADOW, .vapic = 0x5000,
	  .proc2_set = PROC2_VIRTUAL_INTR_DELIVERY, .pin_set = 1, .fires = false },
	{ "guest_pat", .pat = 0x0007040600070406, .fires = false },
	{ "guest_pat", .pat = 0x0807040600070406, .fires = true },
	{ "guest_injection_blocking", .intr = 0x80000020, .rflags_set = RFLAGS_IF, .interruptibility = 1, .fires = true },
	{ "guest_injection_blocking", .intr = 0x80000202, .interruptibility = 1, .fires = false }, /* NMI after STI */
	{ "guest_injection_blocking", .intr = 0x80000202, .interruptibility = 8, .fires = false },
	{ "guest_injection_blocking", .intr = 0x80000202, .interruptibility = 8, .pin_set = 0x28, .fires = true },
	{ "guest_activity_injection", .activity = 1, .intr = 0x80000301, .fires = false }, /* #DB into HLT */
	{ "guest_activity_injection", .activity = 1, .intr = 0x8000030d, .fires = true },
	{ "guest_activity_injection", .activity = 2, .intr = 0x80000312, .fires = false }, /* #MC into shutdown */
	{ "guest_activity_injection", .activity = 2, .intr = 0x80000020, .fires = true },
	{ "guest_activity_blocking", .activity = 1, .interruptibility = 8, .fires = false },
	{ "guest_activity_blocking", .activity = 1, .rflags_set = RFLAGS_IF, .interruptibility = 1, .fires = true },
	{ "guest_pending_debug_bs", .interruptibility = 2, .rflags_set = RFLAGS_TF, .pending = 1u << 14, .fires = false },
	{ "guest_pending_debug_bs", .interruptibility = 2, .rflags_set = RFLAGS_TF, .fires = true },
	{ "guest_pending_debug_bs", .interruptibility = 2, .rflags_set = RFLAGS_TF, .debugctl = 2, .fires = false },
	{ "guest_pending_debug_bs", .activity = 1, .pending = 1u << 14, .fires = true },
	{ "guest_pending_debug_bs", .pending = 1u << 14, .fires = false }, /* active, no blocking: not judged */
	/* RTM in the pending debug exceptions: only on a CPU with RTM, with bit 12, without bits 3:0/14, without MOV SS */
	{ "guest_pending_debug_rtm", .pending = 0x11000, .cpuid7_ebx = 1u << 11, .fires = false },
	{ "guest_pending_debug_rtm", .pending = 0x10000, .cpuid7_ebx = 1u << 11, .fires = true },
	{ "guest_pending_debug_rtm", .pending = 0x11001, .cpuid7_ebx = 1u << 11, .fires = true },
	{ "guest_pending_debug_rtm", .pending = 0x11000, .interruptibility = 2, .cpuid7_ebx = 1u << 11, .fires = true },
	{ "guest_pending_debug_rtm", .pending = 0x11000, .fires = true },
	/* enclave interruption: with SGX only */
	{ "guest_interruptibility_enclave", .interruptibility = 0x10, .cpuid7_ebx = 1u << 2, .fires = false },
	{ "guest_interruptibility_enclave", .interruptibility = 0x10, .fires = true },
	/* IA32_DEBUGCTL: bit 15 (RTM_DEBUG) with RTM only; the defined bits; nothing without load debug controls */
	{ "guest_debugctl", .debugctl = 0x7fc3, .prep = prep_debug_controls, .fires = false },
	{ "guest_debugctl", .debugctl = 1u << 15, .cpuid7_ebx = 1u << 11, .prep = prep_debug_controls, .fires = false },
	{ "guest_debugctl", .debugctl = 1u << 15, .prep = prep_debug_controls, .fires = true },
	{ "guest_debugctl", .debugctl = 1u << 3, .prep = prep_debug_controls, .fires = true },
	/* TPR threshold against VTPR 0x30: 3 passes, 4 fails; not judged with virtual-interrupt delivery or APIC accesses */
	{ "ctl_tpr_threshold_vtpr", .tpr = 3, .prep = prep_vtpr, .fires = false },
	{ "ctl_tpr_threshold_vtpr", .tpr = 4, .prep = prep_vtpr, .fires = true },
	{ "ctl_tpr_threshold_vtpr", .tpr = 4, .pin_set = 1, .proc2_set = PROC2_VIRTUAL_INTR_DELIVERY, .prep = prep_vtpr,
	  .fires = false },
	{ "ctl_tpr_threshold_vtpr", .tpr = 4, .proc2_set = PROC2_VIRTUALIZE_APIC_ACCESSES, .prep = prep_vtpr, .fires = false },
	/* unrestricted guest: SS.DPL 0 in real mode (CR0.PE 0); a CS of type 3 needs DPL 0 */
	{ "guest_ug_dpl", .cr0_clear = 0x80000001, .prep = prep_ug, .fires = false },
	{ "guest_ug_dpl", .cr0_clear = 0x80000001, .prep = prep_ug_ss_dpl3, .fires = true },
	{ "guest_ug_dpl", .prep = prep_ug_ss_dpl3, .fires = false }, /* protected mode, CS of type 11 */
	{ "guest_ug_dpl", .prep = prep_ug_cs_data_dpl3, .fires = true },
};

/* A well-formed virtual-8086 guest breaks no rule: the protected-mode segment rules leave its segments alone. */
START_TEST(test_v8086_guest_passes)
{
	struct vmcs_snapshot s = good;
	prep_pae(&s);
	s.guest_rflags |= RFLAGS_VM;
	uint64_t *sel[] = { &s.guest_cs_sel, &s.guest_ss_sel, &s.guest_ds_sel, &s.guest_es_sel, &s.guest_fs_sel, &s.guest_gs_sel };
	uint64_t *base[] = { &s.guest_cs_base, &s.guest_ss_base, &s.guest_ds_base, &s.guest_es_base, &s.guest_fs_base, &s.guest_gs_base };
	uint64_t *lim[] = { &s.guest_cs_limit, &s.guest_ss_limit, &s.guest_ds_limit, &s.guest_es_limit, &s.guest_fs_limit, &s.guest_gs_limit };
	uint64_t *ar[] = { &s.guest_cs_ar, &s.guest_ss_ar, &s.guest_ds_ar, &s.guest_es_ar, &s.guest_fs_ar, &s.guest_gs_ar };
	for (unsigned i = 0; i < 6; i++) {
		*sel[i] = 0x1000 + 0x100 * i + 3;
		*base[i] = *sel[i] << 4;
		*lim[i] = 0xffff;
		*ar[i] = 0xf3;
	}
	struct entry_check_result r;
	unsigned n = entry_check_run(&s, &caps, &r);
	ck_assert_msg(n == 0, "%u violations, first %s: %s", n, n ? r.v[0].rule->name : "", n ? r.v[0].text : "");
	/* One segment off by its base: one violation, naming it and counting the bad ones. */
	s.guest_ds_base += 0x10;
	n = entry_check_run(&s, &caps, &r);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(r.v[0].rule->name, "guest_v8086_segments");
	ck_assert_ptr_nonnull(strstr(r.v[0].text, "GUEST_DS_SELECTOR=0x1203"));
	ck_assert_ptr_nonnull(strstr(r.v[0].text, "(1 of CS"));
}
END_TEST

/* A PAE guest (EPT, PDPTEs from the VMCS) with present, well-formed PDPTEs breaks no rule. */
START_TEST(test_pae_guest_passes)
{
	struct vmcs_snapshot s = good;
	prep_pae(&s);
	s.guest_pdpte0 = 0x5001;
	s.guest_pdpte3 = 0x6019; /* PWT and PCD are allowed */
	struct entry_check_result r;
	unsigned n = entry_check_run(&s, &caps, &r);
	ck_assert_msg(n == 0, "%u violations, first %s: %s", n, n ? r.v[0].rule->name : "", n ? r.v[0].text : "");
	s.guest_pdpte3 |= 1ull << 45; /* beyond the 40-bit physical-address width */
	entry_check_run(&s, &caps, &r);
	ck_assert(entry_check_names(&r, "guest_pdptes"));
}
END_TEST

/* Where Bochs 2.7 is more lenient than the SDM (docs/debugging.md): the checker follows the SDM. */
START_TEST(test_rules_where_bochs_is_lenient)
{
	struct entry_check_result r;
	/* Pending debug exceptions bits 63:32 are reserved; Bochs reads only 31:0. */
	struct vmcs_snapshot s = good;
	s.guest_pending_debug = 1ull << 40;
	entry_check_run(&s, &caps, &r);
	ck_assert(entry_check_names(&r, "guest_pending_debug"));
	/* DPL >= RPL holds for data segments and non-conforming code, type 11 included; Bochs stops below 11. */
	s = good;
	s.guest_ds_sel |= 3;
	s.guest_ds_ar = (s.guest_ds_ar & ~0xfull) | 11;
	entry_check_run(&s, &caps, &r);
	ck_assert(entry_check_names(&r, "guest_data_segments"));
	s.guest_ds_ar = (s.guest_ds_ar & ~0xfull) | 15; /* conforming code: no DPL rule */
	entry_check_run(&s, &caps, &r);
	ck_assert(!entry_check_names(&r, "guest_data_segments"));
	/* An unusable SS still needs DPL = RPL (without unrestricted guest); Bochs skips a null SS of a 64-bit guest. */
	s = good;
	s.guest_ss_sel = 3;
	s.guest_ss_ar = AR_UNUSABLE;
	entry_check_run(&s, &caps, &r);
	ck_assert(entry_check_names(&r, "guest_ss"));
}
END_TEST

START_TEST(test_rule_detail)
{
	const struct detail *d = &details[_i];
	struct vmcs_snapshot s = good;
	struct vmx_caps c = caps;
	s.cpuid7_ebx = d->cpuid7_ebx;
	s.entry_intr_info = d->intr;
	s.entry_exception_error = d->error;
	s.entry_instruction_length = d->len;
	s.guest_interruptibility = d->interruptibility;
	s.guest_activity = d->activity;
	s.guest_rflags |= d->rflags_set;
	s.guest_pending_debug = d->pending;
	s.guest_debugctl = d->debugctl;
	s.pin |= d->pin_set;
	s.proc |= d->proc_set;
	s.proc2 |= d->proc2_set;
	s.tpr_threshold = d->tpr;
	s.virtual_apic_addr = d->vapic;
	s.guest_cr0 &= ~d->cr0_clear;
	if (d->prep)
		d->prep(&s);
	if (d->pat) {
		s.entry_ctls |= ENTRY_LOAD_IA32_PAT;
		s.guest_pat = d->pat;
	}
	c.basic |= d->basic_set;
	c.misc &= ~d->misc_clear;
	c.procbased &= ~d->procbased_clear;
	struct entry_check_result r;
	entry_check_run(&s, &c, &r);
	const struct entry_violation *v = violation_of(&r, d->rule);
	ck_assert_msg((v != NULL) == d->fires, "row %d: %s %s: %s", _i, d->rule, d->fires ? "silent" : "fires",
		      v ? v->text : "");
}
END_TEST

/* SDM 27.4: which MSR-load entries fail, and that the violation names the entry's number (from 1). */
START_TEST(test_msr_load_entries)
{
	static const struct {
		uint32_t index, reserved;
		bool bad;
	} t[] = {
		{ 0x174, 0, false },      { 0x277, 0, false },      { 0x7ff, 0, false },     { 0x900, 0, false },
		{ 0xc0000080, 0, false }, { 0xc0000100, 0, true },  { 0xc0000101, 0, true }, { 0x800, 0, true },
		{ 0x8ff, 0, true },       { 0x9b, 0, true },        { 0x174, 1, true },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct vmcs_snapshot s = good;
		s.entry_msr_load_count = 3;
		s.entry_msr_load_addr = 0x5000;
		s.msr_load_n = 3;
		s.msr_load[0] = (struct vmcs_msr_entry){ .index = 0x174 };
		s.msr_load[1] = (struct vmcs_msr_entry){ .index = t[i].index, .reserved = t[i].reserved, .value = 1 };
		s.msr_load[2] = (struct vmcs_msr_entry){ .index = 0x175 };
		struct entry_check_result r;
		entry_check_run(&s, &caps, &r);
		const struct entry_violation *v = violation_of(&r, "msr_load_entry");
		ck_assert_msg((v != NULL) == t[i].bad, "MSR 0x%x reserved 0x%x: %s", t[i].index, t[i].reserved,
			      v ? v->text : "no violation");
		ck_assert_msg(r.n == (t[i].bad ? 1u : 0u), "MSR 0x%x: %u violations, first %s", t[i].index, r.n,
			      r.n ? r.v[0].text : "");
		if (v)
			ck_assert_msg(strstr(v->text, "entry 2 (msr-entry=2)"), "%s", v->text);
		/* Entries not read (the area was not readable) are not judged. */
		s.msr_load_n = 1;
		entry_check_run(&s, &caps, &r);
		ck_assert(!entry_check_names(&r, "msr_load_entry"));
	}
}
END_TEST

/* SDM 27.4: an MSR that exists only with a CPU feature cannot be loaded on a CPU without it. */
START_TEST(test_msr_load_features)
{
	static const struct {
		uint32_t index, ebx7, ecx7, d1_eax, ext1_edx;
		bool bad;
	} t[] = {
		{ 0xc0000103, 0, 0, 0, 1u << 27, false }, /* IA32_TSC_AUX with RDTSCP */
		{ 0xc0000103, 0, 1u << 22, 0, 0, false }, /* ... or with RDPID */
		{ 0xc0000103, 0, 0, 0, 0, true },
		{ 0xda0, 0, 0, 1u << 3, 0, false },       /* IA32_XSS with XSAVES */
		{ 0xda0, 0, 0, 0, 0, true },
		{ 0xd90, 1u << 14, 0, 0, 0, false },      /* IA32_BNDCFGS with MPX */
		{ 0xd90, 0, 0, 0, 0, true },
		{ 0x6e1, 0, 1u << 31, 0, 0, false },      /* IA32_PKRS with PKS */
		{ 0x6e1, 0xffffffff, 0x7fffffff, 0xffffffff, 0xffffffff, true },
		{ 0x174, 0, 0, 0, 0, false },             /* no feature needed */
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct vmcs_snapshot s = good;
		prep_msr_pat(&s);
		s.msr_load[0].index = t[i].index;
		s.msr_load[0].value = 0;
		s.cpuid7_ebx = t[i].ebx7;
		s.cpuid7_ecx = t[i].ecx7;
		s.cpuid_d1_eax = t[i].d1_eax;
		s.cpuid_ext1_edx = t[i].ext1_edx;
		struct entry_check_result r;
		entry_check_run(&s, &caps, &r);
		const struct entry_violation *v = violation_of(&r, "msr_load_feature");
		ck_assert_msg((v != NULL) == t[i].bad, "row %zu MSR 0x%x: %s", i, t[i].index, v ? v->text : "silent");
		ck_assert_msg(r.n == (t[i].bad ? 1u : 0u), "row %zu: %u violations", i, r.n);
	}
}
END_TEST

/* vmcs_snapshot_read reads the area the VMCS points at; vmcs_msr_load_entry finds one entry by number. */
START_TEST(test_msr_load_area_read)
{
	struct test_vm tv;
	test_vm_build(&tv, "msr", 0, NULL);
	uint64_t page = page_alloc();
	ck_assert_uint_ne(page, 0);
	struct vmcs_msr_entry *area = (struct vmcs_msr_entry *)(uintptr_t)page;
	for (unsigned i = 0; i < 10; i++)
		area[i] = (struct vmcs_msr_entry){ .index = 0x100 + i, .value = i };
	vmcs_write(VMCS_ENTRY_MSR_LOAD_ADDR, page);
	vmcs_write(VMCS_ENTRY_MSR_LOAD_COUNT, 10);
	struct vmcs_snapshot s;
	vmcs_snapshot_read(&s);
	ck_assert_uint_eq(s.msr_load_n, VMCS_SNAPSHOT_MSR_LOAD_MAX);
	ck_assert_uint_eq(s.msr_load[7].index, 0x107);
	struct vmcs_msr_entry e;
	ck_assert(vmcs_msr_load_entry(10, &e));
	ck_assert_uint_eq(e.index, 0x109);
	ck_assert(!vmcs_msr_load_entry(0, &e));
	ck_assert(!vmcs_msr_load_entry(11, &e));
	/* A misaligned area is not read. */
	vmcs_write(VMCS_ENTRY_MSR_LOAD_ADDR, page + 8);
	vmcs_snapshot_read(&s);
	ck_assert_uint_eq(s.msr_load_n, 0);
	ck_assert(!vmcs_msr_load_entry(1, &e));
	page_free(page);
	test_vm_destroy(&tv);
}
END_TEST

START_TEST(test_link_pointer_revision)
{
	struct vmcs_snapshot s = good;
	s.link_pointer = 0x200000;
	s.link_revision_known = true;
	s.link_revision = 0x2b;
	struct entry_check_result r;
	entry_check_run(&s, &caps, &r);
	ck_assert(!entry_check_names(&r, "guest_link_pointer"));
	s.link_revision = 0xf000ff53;
	entry_check_run(&s, &caps, &r);
	const struct entry_violation *v = violation_of(&r, "guest_link_pointer");
	ck_assert_ptr_nonnull(v);
	ck_assert_ptr_nonnull(strstr(v->text, "0xf000ff53"));
}
END_TEST

START_TEST(test_break_trips_its_rule)
{
	const struct entry_break *b = &entry_breaks[_i];
	struct vmcs_snapshot s = good;
	unsigned f = entry_break_apply(b, &s, &caps, SCRATCH);
	ck_assert_uint_lt(f, vmcs_field_count);
	ck_assert_msg(*vmcs_snapshot_slot(&s, f) != *vmcs_snapshot_slot(&good, f), "%s changed nothing", b->name);
	struct entry_check_result r;
	entry_check_run(&s, &caps, &r);
	ck_assert_msg(entry_check_names(&r, b->rule), "%s does not trip %s", b->name, b->rule);
	ck_assert_uint_eq(entry_break_find(b->name, strlen(b->name)), _i + 1);
}
END_TEST

START_TEST(test_break_find_rejects_unknown)
{
	ck_assert_uint_eq(entry_break_find("no-such-break", 13), 0);
	ck_assert_uint_eq(entry_break_find("rflags-bit1-clea", 16), 0);
}
END_TEST

START_TEST(test_print_lines)
{
	struct vmcs_snapshot s = good;
	s.guest_rflags = 0;
	struct entry_check_result r;
	entry_check_run(&s, &caps, &r);
	hv_fake_output_reset();
	entry_check_print("neg", "after-failure", &r);
	ck_assert_str_eq(hv_fake_output(),
			 "VEXIT entry-check neg after-failure violations=1\n"
			 "VEXIT entry-violation neg guest_rflags_reserved family=guest-rip sdm=27.3.1.4 "
			 "GUEST_RFLAGS=0x0: bits 63:22, 15, 5, 3 must be 0 and bit 1 must be 1\n");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hv_entry_check");
	TCase *tc = tcase_create("rules");
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_good_vmcs_breaks_no_rule);
	tcase_add_test(tc, test_setup_with_budget_breaks_no_rule);
	tcase_add_test(tc, test_setup_is_what_the_guest_gets);
	tcase_add_test(tc, test_setup_broken_names_the_rule);
	tcase_add_loop_test(tc, test_rule_passes_on_good_vmcs, 0, (int)N_CASES);
	tcase_add_loop_test(tc, test_rule_fails_on_broken_field, 0, (int)N_CASES);
	tcase_add_test(tc, test_every_rule_has_a_case);
	tcase_add_test(tc, test_unrestricted_guest_may_clear_pe_pg);
	tcase_add_test(tc, test_link_pointer_revision);
	tcase_add_test(tc, test_print_lines);
	suite_add_tcase(s, tc);
	TCase *br = tcase_create("breaks");
	tcase_add_unchecked_fixture(br, setup, NULL);
	tcase_add_loop_test(br, test_break_trips_its_rule, 0, (int)entry_break_count);
	tcase_add_test(br, test_break_find_rejects_unknown);
	tcase_add_test(br, test_msr_load_entries);
	tcase_add_test(br, test_msr_load_features);
	tcase_add_test(br, test_rules_where_bochs_is_lenient);
	tcase_add_test(br, test_v8086_guest_passes);
	tcase_add_test(br, test_pae_guest_passes);
	tcase_add_loop_test(br, test_rule_detail, 0, (int)(sizeof(details) / sizeof(details[0])));
	tcase_add_test(br, test_msr_load_area_read);
	suite_add_tcase(s, br);
	return run_suite(s, CK_NORMAL);
}
