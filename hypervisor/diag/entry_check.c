/*
 * VM-entry checks, one function per rule of SDM Vol. 3C chapter 27, each named
 * after its rule. A rule calls violate() once per problem, naming the VMCS
 * fields and their values. The order of the table is the SDM's: controls
 * (27.2.1), host state (27.2.2-27.2.4), guest state (27.3.1.1-27.3.1.5), MSR
 * loading (27.4).
 */
#include "diag/entry_check.h"

#include "include/x86_arch.h"

#include <stdarg.h>

#include "kernel/console.h"
#include "kernel/fmt.h"
#include "kernel/kstring.h"

#define BIT64(n) ((uint64_t)1 << (n))

/* Architectural bits the rules read beyond include/x86_arch.h (SDM Vol. 3A 2.5, 2.2.1; Vol. 3C 25.4.1). */
#define CR4_PCIDE BIT64(17)
#define EFER_ALLOWED ((uint64_t)(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE))
#define RFLAGS_RESERVED ((~(uint64_t)0 << 22) | BIT64(15) | BIT64(5) | BIT64(3))
#define AR_RESERVED (uint64_t)0xfffe0f00
#define SEL_RPL(s) ((s) & 3)
#define SEL_TI (1u << 2)

/* Controls this file reads beyond vmcs_fields.h (SDM 25.6-25.8). */
#define PIN_VIRTUAL_NMIS (1u << 5)
#define PROC_NMI_WINDOW_EXITING (1u << 22)
#define ENTRY_LOAD_DEBUG_CONTROLS (1u << 2)
#define ENTRY_TO_SMM (1u << 10)
#define ENTRY_DEACTIVATE_DUAL_MONITOR (1u << 11)
#define INTR_INFO_VALID (1u << 31)
#define INTR_INFO_TYPE(i) (((i) >> 8) & 7)
#define INTR_INFO_VECTOR(i) ((i) & 0xff)
#define INTR_INFO_DELIVER_CODE (1u << 11)
#define INTR_INFO_RESERVED 0x7ffff000u
#define INTR_TYPE_EXTERNAL 0
#define INTR_TYPE_RESERVED 1
#define INTR_TYPE_NMI 2
#define INTR_TYPE_HW_EXCEPTION 3
#define INTR_TYPE_SW_INTERRUPT 4
#define INTR_TYPE_SW_EXCEPTION 6
#define INTR_TYPE_OTHER 7
#define ACTIVITY_HLT 1
#define ACTIVITY_SHUTDOWN 2
#define ACTIVITY_WAIT_SIPI 3
#define ACTIVITY_MAX 3
#define BLOCK_STI (1u << 0)
#define BLOCK_MOV_SS (1u << 1)
#define BLOCK_SMI (1u << 2)
#define BLOCK_NMI (1u << 3)
#define PROC_MONITOR_TRAP_FLAG (1u << 27)
#define BASIC_NO_ERROR_CODE_CHECK BIT64(56) /* IA32_VMX_BASIC[56]: any hardware exception may deliver an error code */
#define MISC_INJECT_ZERO_LENGTH BIT64(30)   /* IA32_VMX_MISC[30]: software events may have instruction length 0 */
#define DEBUGCTL_BTF BIT64(1)
#define PENDING_DEBUG_BS BIT64(14)
#define VECTOR_DB 1
#define VECTOR_NMI 2
#define VECTOR_MC 18
#define EPT_CAP_UC BIT64(8)
#define EPT_CAP_AD BIT64(21)
#define EPTP_AD BIT64(6)
#define PENDING_DEBUG_B0_3 (uint64_t)0xf
#define PENDING_DEBUG_ENABLED_BP BIT64(12)
#define PENDING_DEBUG_RTM BIT64(16)
#define BLOCK_ENCLAVE (1u << 4)
#define CPUID7_EBX_SGX (1u << 2)
#define CPUID7_EBX_RTM (1u << 11)
/* IA32_DEBUGCTL (SDM Vol. 3B 17.4.1): bits 1:0 and 14:6 are defined; 15 (RTM_DEBUG) with RTM; the rest reserved. */
#define DEBUGCTL_DEFINED ((uint64_t)0x7fc3)
#define DEBUGCTL_RTM BIT64(15)
#define PDPTE_RESERVED ((uint64_t)0x1e6) /* bits 2:1 and 8:5 of a present PDPTE (SDM Vol. 3A 4.4.1) */
#define V8086_AR 0xf3u                    /* present, DPL 3, read/write accessed data (SDM 27.3.1.2) */

/* One check in progress. */
struct ec {
	const struct vmcs_snapshot *s;
	const struct vmx_caps *c;
	const struct entry_rule *rule;
	struct entry_check_result *out;
};

static void violate(struct ec *x, const char *f, ...) __attribute__((format(printf, 2, 3)));
static void violate(struct ec *x, const char *f, ...)
{
	struct entry_check_result *r = x->out;
	if (r->n < ENTRY_CHECK_MAX_VIOLATIONS) {
		struct entry_violation *v = &r->v[r->n];
		v->rule = x->rule;
		va_list ap;
		va_start(ap, f);
		fmt_vsnprintf(v->text, sizeof(v->text), f, ap);
		va_end(ap);
	}
	r->n++;
}

/* --- helpers --------------------------------------------------------------------------------- */

static uint32_t proc2_effective(const struct vmcs_snapshot *s)
{
	/* SDM 27.2.1.1: with "activate secondary controls" 0, the secondary controls count as 0. */
	return (s->proc & PROC_ACTIVATE_SECONDARY) ? (uint32_t)s->proc2 : 0;
}

static bool ia32e_guest(const struct vmcs_snapshot *s)
{
	return s->entry_ctls & ENTRY_IA32E_MODE_GUEST;
}

static bool unrestricted(const struct vmcs_snapshot *s)
{
	return proc2_effective(s) & PROC2_UNRESTRICTED_GUEST;
}

/*
 * SDM 27.3.1.2: RFLAGS.VM makes a virtual-8086 guest, whose CS, SS, DS, ES, FS, GS follow rules of their
 * own. (In an IA-32e mode guest RFLAGS.VM is itself refused, guest_rflags_vm: the segments are judged as usual.)
 */
static bool v8086(const struct vmcs_snapshot *s)
{
	return (s->guest_rflags & RFLAGS_VM) && !ia32e_guest(s);
}

/* Segments 0-5 (CS..GS) of a virtual-8086 guest are judged by guest_v8086_segments only. */
static bool v8086_segment(const struct vmcs_snapshot *s, unsigned i)
{
	return v8086(s) && i < 6;
}

static bool canonical(const struct vmcs_snapshot *s, uint64_t a)
{
	unsigned w = s->linear_width ? s->linear_width : 48;
	int64_t shifted = (int64_t)(a << (64 - w)) >> (64 - w);
	return (uint64_t)shifted == a;
}

static bool beyond_phys(const struct vmcs_snapshot *s, uint64_t a)
{
	unsigned w = s->maxphyaddr ? s->maxphyaddr : 36;
	return w < 64 && (a >> w) != 0;
}

/* A control field against its capability MSR (SDM A.3-A.5): allowed-0 in bits 31:0, allowed-1 in 63:32. */
static void control_allowed(struct ec *x, const char *field, uint64_t value, uint64_t cap)
{
	uint32_t v = (uint32_t)value;
	uint32_t must1 = (uint32_t)cap, may1 = (uint32_t)(cap >> 32);
	uint32_t clear = must1 & ~v, extra = v & ~may1;
	if (clear || extra)
		violate(x, "%s=0x%x: bits 0x%x must be 1 (allowed-0 settings 0x%x), bits 0x%x must be 0 (allowed-1 settings 0x%x)",
			field, v, clear, must1, extra, may1);
}

static void cr_fixed(struct ec *x, const char *field, uint64_t v, uint64_t fixed0, uint64_t fixed1)
{
	uint64_t clear = fixed0 & ~v, extra = v & ~fixed1;
	if (clear || extra)
		violate(x, "%s=0x%lx: bits 0x%lx must be 1 (FIXED0 0x%lx), bits 0x%lx must be 0 (FIXED1 0x%lx)", field,
			v, clear, fixed0, extra, fixed1);
}

/* The segments the 27.3.1.2 rules walk, by their snapshot members. */
struct seg {
	const char *name;
	uint64_t sel, base, limit, ar;
};

static struct seg seg_of(const struct vmcs_snapshot *s, unsigned i)
{
	switch (i) {
	case 0: return (struct seg){ "CS", s->guest_cs_sel, s->guest_cs_base, s->guest_cs_limit, s->guest_cs_ar };
	case 1: return (struct seg){ "SS", s->guest_ss_sel, s->guest_ss_base, s->guest_ss_limit, s->guest_ss_ar };
	case 2: return (struct seg){ "DS", s->guest_ds_sel, s->guest_ds_base, s->guest_ds_limit, s->guest_ds_ar };
	case 3: return (struct seg){ "ES", s->guest_es_sel, s->guest_es_base, s->guest_es_limit, s->guest_es_ar };
	case 4: return (struct seg){ "FS", s->guest_fs_sel, s->guest_fs_base, s->guest_fs_limit, s->guest_fs_ar };
	case 5: return (struct seg){ "GS", s->guest_gs_sel, s->guest_gs_base, s->guest_gs_limit, s->guest_gs_ar };
	case 6: return (struct seg){ "TR", s->guest_tr_sel, s->guest_tr_base, s->guest_tr_limit, s->guest_tr_ar };
	default: return (struct seg){ "LDTR", s->guest_ldtr_sel, s->guest_ldtr_base, s->guest_ldtr_limit, s->guest_ldtr_ar };
	}
}
#define SEG_COUNT 8
#define SEG_DATA_FIRST 2 /* DS, ES, FS, GS */
#define SEG_DATA_LAST 5

static bool usable(const struct seg *g)
{
	return !(g->ar & AR_UNUSABLE);
}

/* --- 27.2.1 checks on VMX controls ----------------------------------------------------------- */

static void ctl_pin_allowed(struct ec *x)
{
	control_allowed(x, VMCS_FIELD_NAME(pin), x->s->pin, x->c->pinbased);
}

static void ctl_proc_allowed(struct ec *x)
{
	control_allowed(x, VMCS_FIELD_NAME(proc), x->s->proc, x->c->procbased);
}

static void ctl_proc2_allowed(struct ec *x)
{
	if (x->s->proc & PROC_ACTIVATE_SECONDARY)
		control_allowed(x, VMCS_FIELD_NAME(proc2), x->s->proc2, x->c->procbased2);
}

static void ctl_exit_allowed(struct ec *x)
{
	control_allowed(x, VMCS_FIELD_NAME(exit_ctls), x->s->exit_ctls, x->c->exit);
}

static void ctl_entry_allowed(struct ec *x)
{
	control_allowed(x, VMCS_FIELD_NAME(entry_ctls), x->s->entry_ctls, x->c->entry);
}

static void ctl_cr3_target_count(struct ec *x)
{
	/* The maximum is IA32_VMX_MISC[24:16] (SDM A.6). */
	uint64_t max = (x->c->misc >> 16) & 0x1ff;
	if (x->s->cr3_target_count > max)
		violate(x, "CR3_TARGET_COUNT=%lu: more than the %lu IA32_VMX_MISC allows", x->s->cr3_target_count, max);
}

static void bitmap_address(struct ec *x, const char *field, uint64_t a)
{
	if ((a & 0xfff) || beyond_phys(x->s, a))
		violate(x, "%s=0x%lx: not 4-KByte aligned or beyond the %u-bit physical-address width", field, a,
			x->s->maxphyaddr);
}

static void ctl_io_bitmap_addr(struct ec *x)
{
	if (!(x->s->proc & PROC_USE_IO_BITMAPS))
		return;
	bitmap_address(x, VMCS_FIELD_NAME(io_bitmap_a), x->s->io_bitmap_a);
	bitmap_address(x, VMCS_FIELD_NAME(io_bitmap_b), x->s->io_bitmap_b);
}

static void ctl_msr_bitmap_addr(struct ec *x)
{
	if (x->s->proc & PROC_USE_MSR_BITMAPS)
		bitmap_address(x, VMCS_FIELD_NAME(msr_bitmap), x->s->msr_bitmap);
}

static void ctl_nmi_controls(struct ec *x)
{
	const struct vmcs_snapshot *s = x->s;
	if (!(s->pin & PIN_NMI_EXITING) && (s->pin & PIN_VIRTUAL_NMIS))
		violate(x, "PIN_BASED_VM_EXEC_CONTROL=0x%lx: virtual NMIs without NMI exiting", s->pin);
	if (!(s->pin & PIN_VIRTUAL_NMIS) && (s->proc & PROC_NMI_WINDOW_EXITING))
		violate(x, "CPU_BASED_VM_EXEC_CONTROL=0x%lx: NMI-window exiting without virtual NMIs", s->proc);
}

static void ctl_eptp(struct ec *x)
{
	uint64_t e = x->s->eptp, cap = x->c->ept_vpid;
	if (!(proc2_effective(x->s) & PROC2_ENABLE_EPT))
		return;
	unsigned type = e & 7, walk = (unsigned)((e >> 3) & 7);
	bool type_ok = (type == 0 && (cap & EPT_CAP_UC)) || (type == 6 && (cap & EPT_CAP_MEMTYPE_WB));
	if (!type_ok)
		violate(x, "EPT_POINTER=0x%lx: memory type %u not supported (IA32_VMX_EPT_VPID_CAP=0x%lx)", e, type, cap);
	if (walk != 3)
		violate(x, "EPT_POINTER=0x%lx: page-walk length %u, want 3 (4 levels)", e, walk + 1);
	if ((e & EPTP_AD) && !(cap & EPT_CAP_AD))
		violate(x, "EPT_POINTER=0x%lx: accessed/dirty flags without the capability", e);
	if ((e & 0xf80) || beyond_phys(x->s, e))
		violate(x, "EPT_POINTER=0x%lx: reserved bits 11:7 or bits beyond the physical-address width set", e);
}

static void ctl_vpid(struct ec *x)
{
	if ((proc2_effective(x->s) & PROC2_ENABLE_VPID) && x->s->vpid == 0)
		violate(x, "VIRTUAL_PROCESSOR_ID=0 with enable VPID: VPID 0 is the host's");
}

static void ctl_tpr_shadow(struct ec *x)
{
	/* SDM 27.2.1.1, use TPR shadow: a 4-KByte aligned virtual-APIC page, and TPR threshold bits 31:4 clear. */
	const struct vmcs_snapshot *s = x->s;
	if (!(s->proc & PROC_USE_TPR_SHADOW))
		return;
	uint64_t a = s->virtual_apic_addr;
	if ((a & 0xfff) || beyond_phys(s, a))
		violate(x, "VIRTUAL_APIC_PAGE_ADDR=0x%lx: not 4-KByte aligned or beyond the %u-bit physical-address width",
			a, s->maxphyaddr);
	if (!(proc2_effective(s) & PROC2_VIRTUAL_INTR_DELIVERY) && (s->tpr_threshold & ~(uint64_t)0xf))
		violate(x, "TPR_THRESHOLD=0x%lx: bits 31:4 must be 0", s->tpr_threshold);
}

static void ctl_tpr_threshold_vtpr(struct ec *x)
{
	/*
	 * SDM 27.2.1.1: with use TPR shadow, and neither virtualize APIC accesses nor virtual-interrupt delivery,
	 * TPR threshold bits 3:0 must not exceed VTPR bits 7:4 (byte 80H of the virtual-APIC page).
	 */
	const struct vmcs_snapshot *s = x->s;
	uint32_t p2 = proc2_effective(s);
	if (!(s->proc & PROC_USE_TPR_SHADOW) || (p2 & (PROC2_VIRTUALIZE_APIC_ACCESSES | PROC2_VIRTUAL_INTR_DELIVERY)) ||
	    !s->vtpr_known)
		return;
	if ((s->tpr_threshold & 0xf) > (uint64_t)(s->vtpr >> 4))
		violate(x, "TPR_THRESHOLD=0x%lx: bits 3:0 above VTPR[7:4] %u (VTPR 0x%x at VIRTUAL_APIC_PAGE_ADDR=0x%lx + 80H)",
			s->tpr_threshold, s->vtpr >> 4, s->vtpr, s->virtual_apic_addr);
}

static void ctl_apic_access_addr(struct ec *x)
{
	/* SDM 27.2.1.1: with virtualize APIC accesses, a 4-KByte aligned APIC-access address within the width. */
	const struct vmcs_snapshot *s = x->s;
	if ((proc2_effective(s) & PROC2_VIRTUALIZE_APIC_ACCESSES) && ((s->apic_access & 0xfff) || beyond_phys(s, s->apic_access)))
		violate(x, "APIC_ACCESS_ADDR=0x%lx: not 4-KByte aligned or beyond the %u-bit physical-address width",
			s->apic_access, s->maxphyaddr);
}

static void ctl_apic_virtualization(struct ec *x)
{
	const struct vmcs_snapshot *s = x->s;
	uint32_t p2 = proc2_effective(s);
	uint32_t needs_tpr = PROC2_VIRTUALIZE_X2APIC | PROC2_APIC_REGISTER_VIRT | PROC2_VIRTUAL_INTR_DELIVERY;
	if (!(s->proc & PROC_USE_TPR_SHADOW) && (p2 & needs_tpr))
		violate(x, "SECONDARY_VM_EXEC_CONTROL=0x%x: x2APIC virtualization, APIC-register virtualization or virtual-interrupt delivery without use TPR shadow",
			p2);
	if ((p2 & PROC2_VIRTUALIZE_X2APIC) && (p2 & PROC2_VIRTUALIZE_APIC_ACCESSES))
		violate(x, "SECONDARY_VM_EXEC_CONTROL=0x%x: virtualize x2APIC mode together with virtualize APIC accesses", p2);
	if ((p2 & PROC2_VIRTUAL_INTR_DELIVERY) && !(s->pin & PIN_EXTERNAL_INTERRUPT_EXITING))
		violate(x, "SECONDARY_VM_EXEC_CONTROL=0x%x: virtual-interrupt delivery without external-interrupt exiting", p2);
}

static void ctl_ug_requires_ept(struct ec *x)
{
	uint32_t p2 = proc2_effective(x->s);
	if ((p2 & PROC2_UNRESTRICTED_GUEST) && !(p2 & PROC2_ENABLE_EPT))
		violate(x, "SECONDARY_VM_EXEC_CONTROL=0x%x: unrestricted guest without enable EPT", p2);
}

/* An MSR area of n entries at a: 16-byte aligned, its last byte within the physical-address width. */
static void msr_area(struct ec *x, const char *field, uint64_t a, uint64_t n)
{
	if (n && ((a & 0xf) || beyond_phys(x->s, a + 16 * n - 1)))
		violate(x, "%s=0x%lx with %lu entries: not 16-byte aligned or beyond the physical-address width", field, a, n);
}

static void ctl_exit_msr_areas(struct ec *x)
{
	/* SDM 27.2.1.2: the VM-exit MSR-store and MSR-load areas. */
	msr_area(x, "VM_EXIT_MSR_STORE_ADDR", x->s->exit_msr_store_addr, x->s->exit_msr_store_count);
	msr_area(x, "VM_EXIT_MSR_LOAD_ADDR", x->s->exit_msr_load_addr, x->s->exit_msr_load_count);
}

static void ctl_preemption_timer_save(struct ec *x)
{
	/* SDM 27.2.1.2: "save VMX-preemption timer value" needs "activate VMX-preemption timer". */
	if ((x->s->exit_ctls & EXIT_SAVE_PREEMPTION_TIMER) && !(x->s->pin & PIN_PREEMPTION_TIMER))
		violate(x, "VM_EXIT_CONTROLS=0x%lx saves the preemption timer but PIN_BASED_VM_EXEC_CONTROL=0x%lx does not activate it",
			x->s->exit_ctls, x->s->pin);
}

/* The exceptions that push an error code (SDM Vol. 3A 6.15): #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP. */
static bool exception_has_error_code(unsigned vec)
{
	return vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21;
}

static void ctl_entry_event_injection(struct ec *x)
{
	const struct vmcs_snapshot *s = x->s;
	uint32_t i = (uint32_t)s->entry_intr_info;
	if (!(i & INTR_INFO_VALID))
		return;
	unsigned type = INTR_INFO_TYPE(i), vec = INTR_INFO_VECTOR(i);
	if (i & INTR_INFO_RESERVED)
		violate(x, "VM_ENTRY_INTR_INFO_FIELD=0x%x: reserved bits 30:12 set", i);
	if (type == INTR_TYPE_RESERVED)
		violate(x, "VM_ENTRY_INTR_INFO_FIELD=0x%x: interruption type 1 is reserved", i);
	if (type == INTR_TYPE_NMI && vec != VECTOR_NMI)
		violate(x, "VM_ENTRY_INTR_INFO_FIELD=0x%x: an NMI must have vector 2, not %u", i, vec);
	if (type == INTR_TYPE_HW_EXCEPTION && vec > 31)
		violate(x, "VM_ENTRY_INTR_INFO_FIELD=0x%x: hardware exception vector %u > 31", i, vec);
	if (type == INTR_TYPE_OTHER && (vec != 0 || !((x->c->procbased >> 32) & PROC_MONITOR_TRAP_FLAG)))
		violate(x, "VM_ENTRY_INTR_INFO_FIELD=0x%x: other event (type 7) needs vector 0 (pending MTF) and the monitor trap flag capability",
			i);
	/*
	 * Deliver-error-code is 1 exactly for a hardware exception that has an error code, in protected mode
	 * (CR0.PE, or no unrestricted guest); with IA32_VMX_BASIC[56], for any hardware exception there.
	 */
	bool pe = !unrestricted(s) || (s->guest_cr0 & CR0_PE), deliver = i & INTR_INFO_DELIVER_CODE;
	bool may = pe && type == INTR_TYPE_HW_EXCEPTION, any = x->c->basic & BASIC_NO_ERROR_CODE_CHECK;
	if ((deliver && !may) || (may && !any && deliver != exception_has_error_code(vec)))
		violate(x, "VM_ENTRY_INTR_INFO_FIELD=0x%x: deliver-error-code %d for type %u vector %u (CR0.PE %d, IA32_VMX_BASIC[56] %d)",
			i, deliver, type, vec, pe, !!(x->c->basic & BASIC_NO_ERROR_CODE_CHECK));
}

static void ctl_entry_intr_error_code(struct ec *x)
{
	/* SDM 27.2.1.3: an error code that is delivered has bits 31:16 clear. */
	uint32_t i = (uint32_t)x->s->entry_intr_info;
	if ((i & INTR_INFO_VALID) && (i & INTR_INFO_DELIVER_CODE) && (x->s->entry_exception_error & 0xffff0000u))
		violate(x, "VM_ENTRY_EXCEPTION_ERROR_CODE=0x%lx: bits 31:16 must be 0", x->s->entry_exception_error);
}

static void ctl_entry_intr_length(struct ec *x)
{
	/* SDM 27.2.1.3: software interrupts and exceptions need an instruction length of 1-15 (0 with IA32_VMX_MISC[30]). */
	uint32_t i = (uint32_t)x->s->entry_intr_info;
	unsigned type = INTR_INFO_TYPE(i);
	uint64_t len = x->s->entry_instruction_length;
	if (!(i & INTR_INFO_VALID) || type < INTR_TYPE_SW_INTERRUPT || type > INTR_TYPE_SW_EXCEPTION)
		return;
	if (len > 15 || (len == 0 && !(x->c->misc & MISC_INJECT_ZERO_LENGTH)))
		violate(x, "VM_ENTRY_INSTRUCTION_LEN=%lu for interruption type %u: want 1-15%s", len, type,
			(x->c->misc & MISC_INJECT_ZERO_LENGTH) ? " or 0" : "");
}

static void ctl_entry_msr_load(struct ec *x)
{
	msr_area(x, "VM_ENTRY_MSR_LOAD_ADDR", x->s->entry_msr_load_addr, x->s->entry_msr_load_count);
}

static void ctl_entry_smm(struct ec *x)
{
	/* SDM 27.2.1.3: outside SMM, "entry to SMM" and "deactivate dual-monitor treatment" must be 0. */
	if (x->s->entry_ctls & (ENTRY_TO_SMM | ENTRY_DEACTIVATE_DUAL_MONITOR))
		violate(x, "VM_ENTRY_CONTROLS=0x%lx: entry to SMM / deactivate dual-monitor treatment outside SMM",
			x->s->entry_ctls);
}

/* --- 27.2.2-27.2.4 checks on host state ------------------------------------------------------ */

static void host_cr0_fixed(struct ec *x)
{
	cr_fixed(x, "HOST_CR0", x->s->host_cr0, x->c->cr0_fixed0, x->c->cr0_fixed1);
}

static void host_cr4_fixed(struct ec *x)
{
	cr_fixed(x, "HOST_CR4", x->s->host_cr4, x->c->cr4_fixed0, x->c->cr4_fixed1);
}

static void host_cr3_width(struct ec *x)
{
	if (beyond_phys(x->s, x->s->host_cr3))
		violate(x, "HOST_CR3=0x%lx: bits beyond the %u-bit physical-address width", x->s->host_cr3,
			x->s->maxphyaddr);
}

static void host_selector_rpl_ti(struct ec *x)
{
	const struct vmcs_snapshot *s = x->s;
	const uint64_t sel[] = { s->host_es_sel, s->host_cs_sel, s->host_ss_sel, s->host_ds_sel,
				 s->host_fs_sel, s->host_gs_sel, s->host_tr_sel };
	const char *names[] = { "HOST_ES_SELECTOR", "HOST_CS_SELECTOR", "HOST_SS_SELECTOR", "HOST_DS_SELECTOR",
				"HOST_FS_SELECTOR", "HOST_GS_SELECTOR", "HOST_TR_SELECTOR" };
	for (unsigned i = 0; i < sizeof(sel) / sizeof(sel[0]); i++)
		if (sel[i] & 7)
			violate(x, "%s=0x%lx: RPL (bits 1:0) and TI (bit 2) must be 0", names[i], sel[i]);
}

static void host_cs_tr_not_null(struct ec *x)
{
	if (x->s->host_cs_sel == 0)
		violate(x, "HOST_CS_SELECTOR=0: must not be null");
	if (x->s->host_tr_sel == 0)
		violate(x, "HOST_TR_SELECTOR=0: must not be null");
	if (x->s->host_ss_sel == 0 && !(x->s->exit_ctls & EXIT_HOST_ADDR_SPACE_SIZE))
		violate(x, "HOST_SS_SELECTOR=0: must not be null for a 32-bit host");
}

static void host_bases_canonical(struct ec *x)
{
	const struct vmcs_snapshot *s = x->s;
	const uint64_t a[] = { s->host_fs_base, s->host_gs_base, s->host_gdtr_base, s->host_idtr_base,
			       s->host_tr_base, s->host_sysenter_esp, s->host_sysenter_eip };
	const char *names[] = { "HOST_FS_BASE", "HOST_GS_BASE", "HOST_GDTR_BASE", "HOST_IDTR_BASE",
				"HOST_TR_BASE", "HOST_IA32_SYSENTER_ESP", "HOST_IA32_SYSENTER_EIP" };
	for (unsigned i = 0; i < sizeof(a) / sizeof(a[0]); i++)
		if (!canonical(s, a[i]))
			violate(x, "%s=0x%lx: not canonical", names[i], a[i]);
}

static void host_efer(struct ec *x)
{
	const struct vmcs_snapshot *s = x->s;
	if (!(s->exit_ctls & EXIT_LOAD_IA32_EFER))
		return;
	bool wide = s->exit_ctls & EXIT_HOST_ADDR_SPACE_SIZE;
	if (s->host_efer & ~EFER_ALLOWED)
		violate(x, "HOST_IA32_EFER=0x%lx: reserved bits 0x%lx set", s->host_efer, s->host_efer & ~EFER_ALLOWED);
	if (!!(s->host_efer & EFER_LMA) != wide || !!(s->host_efer & EFER_LME) != wide)
		violate(x, "HOST_IA32_EFER=0x%lx: LMA and LME must both equal host address-space size (%d)", s->host_efer,
			wide);
}

/* SDM 27.2.2, 27.3.1.1: each byte of a PAT loaded at entry or exit is a memory type: 0, 1, 4, 5, 6 or 7. */
static void pat_types(struct ec *x, const char *field, uint64_t pat)
{
	for (unsigned i = 0; i < 8; i++) {
		unsigned t = (pat >> (8 * i)) & 0xff;
		if (t == 2 || t == 3 || t > 7) {
			violate(x, "%s=0x%lx: PA%u is %u, not a memory type (0, 1, 4, 5, 6, 7)", field, pat, i, t);
			return;
		}
	}
}

static void host_pat(struct ec *x)
{
	if (x->s->exit_ctls & EXIT_LOAD_IA32_PAT)
		pat_types(x, "HOST_IA32_PAT", x->s->host_pat);
}

static void host_address_space(struct ec *x)
{
	const struct vmcs_snapshot *s = x->s;
	/* SDM 27.2.4: this hypervisor runs in IA-32e mode, so the host must be 64-bit. */
	if (!(s->exit_ctls & EXIT_HOST_ADDR_SPACE_SIZE)) {
		violate(x, "VM_EXIT_CONTROLS=0x%lx: host address-space size 0 while the host runs in IA-32e mode",
			s->exit_ctls);
		return;
	}
	if (!(s->host_cr4 & CR4_PAE))
		violate(x, "HOST_CR4=0x%lx: PAE must be 1 for a 64-bit host", s->host_cr4);
	if (!canonical(s, s->host_rip))
		violate(x, "HOST_RIP=0x%lx: not canonical", s->host_rip);
}

/* --- 27.3.1.1 guest control registers, debug registers and MSRs ----------------------------- */

static void guest_cr0_fixed(struct ec *x)
{
	uint64_t fixed0 = x->c->cr0_fixed0;
	/* SDM 27.3.1.1: an unrestricted guest may clear PE and PG. */
	if (unrestricted(x->s))
		fixed0 &= ~(CR0_PE | CR0_PG);
	cr_fixed(x, "GUEST_CR0", x->s->guest_cr0, fixed0, x->c->cr0_fixed1);
}

static void guest_cr0_pg_requires_pe(struct ec *x)
{
	if ((x->s->guest_cr0 & CR0_PG) && !(x->s->guest_cr0 & CR0_PE))
		violate(x, "GUEST_CR0=0x%lx: PG (bit 31) set with PE (bit 0) clear", x->s->guest_cr0);
}

static void guest_cr4_fixed(struct ec *x)
{
	cr_fixed(x, "GUEST_CR4", x->s->guest_cr4, x->c->cr4_fixed0, x->c->cr4_fixed1);
}

static void guest_ia32e_paging(struct ec *x)
{
	const struct vmcs_snapshot *s = x->s;
	if (ia32e_guest(s) && (!(s->guest_cr0 & CR0_PG) || !(s->guest_cr4 & CR4_PAE)))
		violate(x, "IA-32e mode guest with GUEST_CR0=0x%lx GUEST_CR4=0x%lx: CR0.PG and CR4.PAE must be 1",
			s->guest_cr0, s->guest_cr4);
	if (!ia32e_guest(s) && (s->guest_cr4 & CR4_PCIDE))
		violate(x, "GUEST_CR4=0x%lx: PCIDE set outside IA-32e mode", s->guest_cr4);
}

static void guest_cr3_width(struct ec *x)
{
	if (beyond_phys(x->s, x->s->guest_cr3))
		violate(x, "GUEST_CR3=0x%lx: bits beyond the %u-bit physical-address width", x->s->guest_cr3,
			x->s->maxphyaddr);
}

static void guest_dr7_high(struct ec *x)
{
	if ((x->s->entry_ctls & ENTRY_LOAD_DEBUG_CONTROLS) && (x->s->guest_dr7 >> 32))
		violate(x, "GUEST_DR7=0x%lx: bits 63:32 must be 0", x->s->guest_dr7);
}

static void guest_debugctl(struct ec *x)
{
	/* SDM 27.3.1.1: with load debug controls, the bits reserved in IA32_DEBUGCTL are 0 (RTM_DEBUG needs RTM). */
	const struct vmcs_snapshot *s = x->s;
	uint64_t defined = DEBUGCTL_DEFINED | ((s->cpuid7_ebx & CPUID7_EBX_RTM) ? DEBUGCTL_RTM : 0);
	if ((s->entry_ctls & ENTRY_LOAD_DEBUG_CONTROLS) && (s->guest_debugctl & ~defined))
		violate(x, "GUEST_IA32_DEBUGCTL=0x%lx: reserved bits 0x%lx set", s->guest_debugctl, s->guest_debugctl & ~defined);
}

static void guest_sysenter_canonical(struct ec *x)
{
	if (!canonical(x->s, x->s->guest_sysenter_esp))
		violate(x, "GUEST_SYSENTER_ESP=0x%lx: not canonical", x->s->guest_sysenter_esp);
	if (!canonical(x->s, x->s->guest_sysenter_eip))
		violate(x, "GUEST_SYSENTER_EIP=0x%lx: not canonical", x->s->guest_sysenter_eip);
}

static void guest_efer(struct ec *x)
{
	const struct vmcs_snapshot *s = x->s;
	if (!(s->entry_ctls & ENTRY_LOAD_IA32_EFER))
		return;
	uint64_t e = s->guest_efer;
	if (e & ~EFER_ALLOWED)
		violate(x, "GUEST_IA32_EFER=0x%lx: reserved bits 0x%lx set", e, e & ~EFER_ALLOWED);
	if (!!(e & EFER_LMA) != ia32e_guest(s))
		violate(x, "GUEST_IA32_EFER=0x%lx: LMA must equal the IA-32e mode guest control (%d)", e, ia32e_guest(s));
	if ((s->guest_cr0 & CR0_PG) && !!(e & EFER_LMA) != !!(e & EFER_LME))
		violate(x, "GUEST_IA32_EFER=0x%lx: with CR0.PG set, LMA must equal LME", e);
}

static void guest_pat(struct ec *x)
{
	if (x->s->entry_ctls & ENTRY_LOAD_IA32_PAT)
		pat_types(x, "GUEST_IA32_PAT", x->s->guest_pat);
}

/* --- 27.3.1.2 guest segment registers -------------------------------------------------------- */

static void guest_tr(struct ec *x)
{
	struct seg t = seg_of(x->s, 6);
	unsigned want = ia32e_guest(x->s) ? 11 : 3;
	if (t.sel & SEL_TI)
		violate(x, "GUEST_TR_SELECTOR=0x%lx: TI must be 0", t.sel);
	if (!usable(&t) || (t.ar & AR_S) || !(t.ar & AR_P) ||
	    (AR_TYPE(t.ar) != want && !(AR_TYPE(t.ar) == 11 && !ia32e_guest(x->s))))
		violate(x, "GUEST_TR_AR_BYTES=0x%lx: want a usable, present, busy TSS (type %u, S=0)", t.ar, want);
}

static void guest_ldtr(struct ec *x)
{
	struct seg l = seg_of(x->s, 7);
	if (!usable(&l))
		return;
	if ((l.sel & SEL_TI) || AR_TYPE(l.ar) != 2 || (l.ar & AR_S) || !(l.ar & AR_P))
		violate(x, "GUEST_LDTR_SELECTOR=0x%lx GUEST_LDTR_AR_BYTES=0x%lx: a usable LDTR needs TI=0, type 2, S=0, P=1",
			l.sel, l.ar);
}

static void guest_cs_ss_rpl(struct ec *x)
{
	const struct vmcs_snapshot *s = x->s;
	if (!unrestricted(s) && !v8086(s) && SEL_RPL(s->guest_cs_sel) != SEL_RPL(s->guest_ss_sel))
		violate(x, "GUEST_CS_SELECTOR=0x%lx GUEST_SS_SELECTOR=0x%lx: RPLs differ", s->guest_cs_sel,
			s->guest_ss_sel);
}

static void guest_cs_type(struct ec *x)
{
	const struct vmcs_snapshot *s = x->s;
	uint64_t ar = s->guest_cs_ar;
	unsigned t = AR_TYPE(ar);
	if (v8086(s))
		return;
	bool ok_type = t == 9 || t == 11 || t == 13 || t == 15 || (t == 3 && unrestricted(s));
	if (!ok_type || !(ar & AR_S) || !(ar & AR_P) || (ar & AR_UNUSABLE)) {
		violate(x, "GUEST_CS_AR_BYTES=0x%lx: want an accessed code segment (type 9, 11, 13 or 15), S=1, P=1, usable", ar);
		return;
	}
	unsigned ss_dpl = AR_DPL(s->guest_ss_ar);
	if ((t == 9 || t == 11) && AR_DPL(ar) != ss_dpl)
		violate(x, "GUEST_CS_AR_BYTES=0x%lx: non-conforming CS.DPL %lu != SS.DPL %u", ar, AR_DPL(ar), ss_dpl);
	if ((t == 13 || t == 15) && AR_DPL(ar) > ss_dpl)
		violate(x, "GUEST_CS_AR_BYTES=0x%lx: conforming CS.DPL %lu > SS.DPL %u", ar, AR_DPL(ar), ss_dpl);
}

static void guest_cs_l_db(struct ec *x)
{
	uint64_t ar = x->s->guest_cs_ar;
	if (ia32e_guest(x->s) && (ar & AR_L) && (ar & AR_DB))
		violate(x, "GUEST_CS_AR_BYTES=0x%lx: L and D/B both set in an IA-32e mode guest", ar);
}

static void guest_ss(struct ec *x)
{
	const struct vmcs_snapshot *s = x->s;
	struct seg g = seg_of(s, 1);
	if (v8086(s))
		return;
	if (!unrestricted(s) && SEL_RPL(g.sel) != AR_DPL(g.ar))
		violate(x, "GUEST_SS_SELECTOR=0x%lx GUEST_SS_AR_BYTES=0x%lx: SS.RPL != SS.DPL", g.sel, g.ar);
	if (!usable(&g))
		return;
	if ((AR_TYPE(g.ar) != 3 && AR_TYPE(g.ar) != 7) || !(g.ar & AR_S) || !(g.ar & AR_P))
		violate(x, "GUEST_SS_AR_BYTES=0x%lx: want a present read/write data segment (type 3 or 7), S=1", g.ar);
}

static void guest_data_segments(struct ec *x)
{
	for (unsigned i = SEG_DATA_FIRST; i <= SEG_DATA_LAST; i++) {
		struct seg g = seg_of(x->s, i);
		if (!usable(&g) || v8086(x->s))
			continue;
		unsigned t = AR_TYPE(g.ar);
		if (!(t & 1) || !(g.ar & AR_S) || !(g.ar & AR_P) || ((t & 8) && !(t & 2)))
			violate(x, "GUEST_%s_AR_BYTES=0x%lx: want accessed, S=1, P=1, and readable if code", g.name, g.ar);
		else if (!unrestricted(x->s) && t < 12 && AR_DPL(g.ar) < SEL_RPL(g.sel))
			violate(x, "GUEST_%s: DPL %lu < RPL %lu", g.name, AR_DPL(g.ar), SEL_RPL(g.sel));
	}
}

static void guest_seg_limit_granularity(struct ec *x)
{
	for (unsigned i = 0; i < SEG_COUNT; i++) {
		struct seg g = seg_of(x->s, i);
		if (!usable(&g) || v8086_segment(x->s, i))
			continue;
		if ((g.limit & 0xfff) != 0xfff && (g.ar & AR_G))
			violate(x, "GUEST_%s_LIMIT=0x%lx GUEST_%s_AR_BYTES=0x%lx: G=1 needs limit bits 11:0 all ones", g.name,
				g.limit, g.name, g.ar);
		if ((g.limit & 0xfff00000) && !(g.ar & AR_G))
			violate(x, "GUEST_%s_LIMIT=0x%lx GUEST_%s_AR_BYTES=0x%lx: limit bits 31:20 set needs G=1", g.name,
				g.limit, g.name, g.ar);
	}
}

static void guest_ar_reserved(struct ec *x)
{
	for (unsigned i = 0; i < SEG_COUNT; i++) {
		struct seg g = seg_of(x->s, i);
		if (usable(&g) && !v8086_segment(x->s, i) && (g.ar & AR_RESERVED))
			violate(x, "GUEST_%s_AR_BYTES=0x%lx: reserved bits 0x%lx set", g.name, g.ar, g.ar & AR_RESERVED);
	}
}

static void guest_ug_dpl(struct ec *x)
{
	/*
	 * SDM 27.3.1.2 (unrestricted guest): a CS of type 3 (read/write data, allowed only then) has DPL 0, and
	 * SS.DPL is 0 when CS is of type 3 or CR0.PE is 0 (real mode).
	 */
	const struct vmcs_snapshot *s = x->s;
	if (v8086(s))
		return;
	bool cs_data = AR_TYPE(s->guest_cs_ar) == 3;
	if (cs_data && AR_DPL(s->guest_cs_ar) != 0)
		violate(x, "GUEST_CS_AR_BYTES=0x%lx: a CS of type 3 needs DPL 0", s->guest_cs_ar);
	if ((cs_data || !(s->guest_cr0 & CR0_PE)) && AR_DPL(s->guest_ss_ar) != 0)
		violate(x, "GUEST_SS_AR_BYTES=0x%lx: SS.DPL must be 0 with a CS of type 3 or CR0.PE=0 (GUEST_CR0=0x%lx)",
			s->guest_ss_ar, s->guest_cr0);
}

static void guest_v8086_segments(struct ec *x)
{
	/* SDM 27.3.1.2: in a virtual-8086 guest, CS, SS, DS, ES, FS, GS have base = selector << 4, limit FFFFH, AR F3H. */
	if (!v8086(x->s))
		return;
	unsigned bad = 0;
	struct seg first = { 0 };
	for (unsigned i = 0; i < 6; i++) {
		struct seg g = seg_of(x->s, i);
		if ((g.base != g.sel << 4 || g.limit != 0xffff || g.ar != V8086_AR) && !bad++)
			first = g;
	}
	if (bad)
		violate(x, "GUEST_%s_SELECTOR=0x%lx BASE=0x%lx LIMIT=0x%lx AR_BYTES=0x%lx: a virtual-8086 guest needs base 0x%lx, limit 0xffff, access rights 0xf3 (%u of CS, SS, DS, ES, FS, GS are not so)",
			first.name, first.sel, first.base, first.limit, first.ar, first.sel << 4, bad);
}

static void guest_seg_bases(struct ec *x)
{
	for (unsigned i = 0; i < SEG_COUNT; i++) {
		struct seg g = seg_of(x->s, i);
		bool wide = i >= 4; /* FS, GS, TR, LDTR hold 64-bit bases */
		if (wide && (usable(&g) || i == 6) && !canonical(x->s, g.base))
			violate(x, "GUEST_%s_BASE=0x%lx: not canonical", g.name, g.base);
		if (!wide && (usable(&g) || i == 0) && (g.base >> 32))
			violate(x, "GUEST_%s_BASE=0x%lx: bits 63:32 must be 0", g.name, g.base);
	}
}

/* --- 27.3.1.3 descriptor-table registers ----------------------------------------------------- */

static void guest_gdtr_idtr(struct ec *x)
{
	const struct vmcs_snapshot *s = x->s;
	if (!canonical(s, s->guest_gdtr_base) || (s->guest_gdtr_limit >> 16))
		violate(x, "GUEST_GDTR_BASE=0x%lx GUEST_GDTR_LIMIT=0x%lx: base not canonical or limit above 0xffff",
			s->guest_gdtr_base, s->guest_gdtr_limit);
	if (!canonical(s, s->guest_idtr_base) || (s->guest_idtr_limit >> 16))
		violate(x, "GUEST_IDTR_BASE=0x%lx GUEST_IDTR_LIMIT=0x%lx: base not canonical or limit above 0xffff",
			s->guest_idtr_base, s->guest_idtr_limit);
}

/* --- 27.3.1.4 RIP and RFLAGS ----------------------------------------------------------------- */

static void guest_rip(struct ec *x)
{
	const struct vmcs_snapshot *s = x->s;
	bool long_cs = ia32e_guest(s) && (s->guest_cs_ar & AR_L);
	if (long_cs && !canonical(s, s->guest_rip))
		violate(x, "GUEST_RIP=0x%lx: not canonical for a 64-bit code segment", s->guest_rip);
	if (!long_cs && (s->guest_rip >> 32))
		violate(x, "GUEST_RIP=0x%lx: bits 63:32 must be 0 outside 64-bit code", s->guest_rip);
}

static void guest_rflags_reserved(struct ec *x)
{
	uint64_t f = x->s->guest_rflags;
	if ((f & RFLAGS_RESERVED) || !(f & RFLAGS_FIXED1))
		violate(x, "GUEST_RFLAGS=0x%lx: bits 63:22, 15, 5, 3 must be 0 and bit 1 must be 1", f);
}

static void guest_rflags_vm(struct ec *x)
{
	const struct vmcs_snapshot *s = x->s;
	if ((s->guest_rflags & RFLAGS_VM) && (ia32e_guest(s) || !(s->guest_cr0 & CR0_PE)))
		violate(x, "GUEST_RFLAGS=0x%lx: VM set in an IA-32e mode guest or with CR0.PE=0", s->guest_rflags);
}

static void guest_rflags_if_for_injection(struct ec *x)
{
	uint32_t i = (uint32_t)x->s->entry_intr_info;
	if ((i & INTR_INFO_VALID) && INTR_INFO_TYPE(i) == INTR_TYPE_EXTERNAL && !(x->s->guest_rflags & RFLAGS_IF))
		violate(x, "GUEST_RFLAGS=0x%lx: IF must be 1 to inject an external interrupt (VM_ENTRY_INTR_INFO_FIELD=0x%x)",
			x->s->guest_rflags, i);
}

/* --- 27.3.1.5 non-register state ------------------------------------------------------------- */

static void guest_activity_state(struct ec *x)
{
	const struct vmcs_snapshot *s = x->s;
	uint64_t a = s->guest_activity;
	/* IA32_VMX_MISC bits 8:6 say which of HLT (1), shutdown (2), wait-for-SIPI (3) are supported (SDM A.6). */
	if (a > ACTIVITY_MAX || (a && !(x->c->misc & BIT64(5 + a)))) {
		violate(x, "GUEST_ACTIVITY_STATE=%lu: not a state IA32_VMX_MISC=0x%lx supports", a, x->c->misc);
		return;
	}
	if (a == ACTIVITY_HLT && AR_DPL(s->guest_ss_ar) != 0)
		violate(x, "GUEST_ACTIVITY_STATE=HLT with SS.DPL %lu: must be 0", AR_DPL(s->guest_ss_ar));
}

static void guest_interruptibility(struct ec *x)
{
	const struct vmcs_snapshot *s = x->s;
	uint64_t v = s->guest_interruptibility;
	if (v & ~(uint64_t)0x1f)
		violate(x, "GUEST_INTERRUPTIBILITY_INFO=0x%lx: reserved bits 31:5 set", v);
	if ((v & 3) == 3)
		violate(x, "GUEST_INTERRUPTIBILITY_INFO=0x%lx: blocking by STI and by MOV SS together", v);
	if ((v & 1) && !(s->guest_rflags & RFLAGS_IF))
		violate(x, "GUEST_INTERRUPTIBILITY_INFO=0x%lx: blocking by STI with RFLAGS.IF=0 (GUEST_RFLAGS=0x%lx)", v,
			s->guest_rflags);
}

static void guest_activity_blocking(struct ec *x)
{
	const struct vmcs_snapshot *s = x->s;
	if (s->guest_activity && (s->guest_interruptibility & (BLOCK_STI | BLOCK_MOV_SS)))
		violate(x, "GUEST_ACTIVITY_STATE=%lu with GUEST_INTERRUPTIBILITY_INFO=0x%lx: blocking by STI or MOV SS needs the active state",
			s->guest_activity, s->guest_interruptibility);
}

static void guest_smi_blocking(struct ec *x)
{
	/* vexit never runs in SMM, and blocking by SMI outside SMM is refused. */
	if (x->s->guest_interruptibility & BLOCK_SMI)
		violate(x, "GUEST_INTERRUPTIBILITY_INFO=0x%lx: blocking by SMI (bit 2) outside SMM", x->s->guest_interruptibility);
}

static void guest_injection_blocking(struct ec *x)
{
	const struct vmcs_snapshot *s = x->s;
	uint32_t i = (uint32_t)s->entry_intr_info;
	uint64_t b = s->guest_interruptibility;
	if (!(i & INTR_INFO_VALID))
		return;
	unsigned type = INTR_INFO_TYPE(i);
	if (type == INTR_TYPE_EXTERNAL && (b & (BLOCK_STI | BLOCK_MOV_SS)))
		violate(x, "GUEST_INTERRUPTIBILITY_INFO=0x%lx: blocking by STI or MOV SS while injecting an external interrupt", b);
	if (type == INTR_TYPE_NMI && (b & BLOCK_MOV_SS))
		violate(x, "GUEST_INTERRUPTIBILITY_INFO=0x%lx: blocking by MOV SS while injecting an NMI", b);
	if (type == INTR_TYPE_NMI && (s->pin & PIN_VIRTUAL_NMIS) && (b & BLOCK_NMI))
		violate(x, "GUEST_INTERRUPTIBILITY_INFO=0x%lx: blocking by NMI while injecting an NMI with virtual NMIs", b);
}

static void guest_activity_injection(struct ec *x)
{
	/* SDM 27.3.1.5: what may be injected into a guest that starts in HLT, shutdown or wait-for-SIPI. */
	const struct vmcs_snapshot *s = x->s;
	uint32_t i = (uint32_t)s->entry_intr_info;
	if (!(i & INTR_INFO_VALID) || !s->guest_activity)
		return;
	unsigned type = INTR_INFO_TYPE(i), vec = INTR_INFO_VECTOR(i);
	bool ok;
	if (s->guest_activity == ACTIVITY_HLT)
		ok = type == INTR_TYPE_EXTERNAL || type == INTR_TYPE_NMI ||
		     (type == INTR_TYPE_HW_EXCEPTION && (vec == VECTOR_DB || vec == VECTOR_MC)) ||
		     (type == INTR_TYPE_OTHER && vec == 0);
	else if (s->guest_activity == ACTIVITY_SHUTDOWN)
		ok = type == INTR_TYPE_NMI || (type == INTR_TYPE_HW_EXCEPTION && vec == VECTOR_MC);
	else
		ok = false;
	if (!ok)
		violate(x, "GUEST_ACTIVITY_STATE=%lu: VM_ENTRY_INTR_INFO_FIELD=0x%x cannot be injected in this state",
			s->guest_activity, i);
}

static void guest_pending_debug_bs(struct ec *x)
{
	/* SDM 27.3.1.5: with blocking by STI/MOV SS or in HLT, BS records exactly a pending single step. */
	const struct vmcs_snapshot *s = x->s;
	if (!(s->guest_interruptibility & (BLOCK_STI | BLOCK_MOV_SS)) && s->guest_activity != ACTIVITY_HLT)
		return;
	bool step = (s->guest_rflags & RFLAGS_TF) && !(s->guest_debugctl & DEBUGCTL_BTF);
	bool bs = s->guest_pending_debug & PENDING_DEBUG_BS;
	if (step != bs)
		violate(x, "GUEST_PENDING_DBG_EXCEPTIONS=0x%lx: BS must be %d with RFLAGS.TF %d and IA32_DEBUGCTL.BTF %d",
			s->guest_pending_debug, step, !!(s->guest_rflags & RFLAGS_TF), !!(s->guest_debugctl & DEBUGCTL_BTF));
}

static void guest_pending_debug(struct ec *x)
{
	uint64_t v = x->s->guest_pending_debug;
	uint64_t reserved = ~(uint64_t)((uint64_t)0xf | BIT64(12) | BIT64(14) | BIT64(16));
	if (v & reserved)
		violate(x, "GUEST_PENDING_DBG_EXCEPTIONS=0x%lx: reserved bits 0x%lx set", v, v & reserved);
}

static void guest_pending_debug_rtm(struct ec *x)
{
	/*
	 * SDM 27.3.1.5: pending-debug bit 16 (RTM) needs a CPU with RTM (CPUID.(EAX=7,ECX=0):EBX[11]); with it
	 * set, bits 3:0 and 14 are 0, bit 12 is 1, and there is no blocking by MOV SS.
	 */
	const struct vmcs_snapshot *s = x->s;
	uint64_t v = s->guest_pending_debug;
	if (!(v & PENDING_DEBUG_RTM))
		return;
	if (!(s->cpuid7_ebx & CPUID7_EBX_RTM))
		violate(x, "GUEST_PENDING_DBG_EXCEPTIONS=0x%lx: RTM (bit 16) on a CPU without RTM (CPUID.7.0:EBX=0x%x)", v,
			s->cpuid7_ebx);
	else if ((v & (PENDING_DEBUG_B0_3 | PENDING_DEBUG_BS)) || !(v & PENDING_DEBUG_ENABLED_BP) ||
		 (s->guest_interruptibility & BLOCK_MOV_SS))
		violate(x, "GUEST_PENDING_DBG_EXCEPTIONS=0x%lx: with RTM (bit 16), bits 3:0 and 14 must be 0, bit 12 1, and no blocking by MOV SS (GUEST_INTERRUPTIBILITY_INFO=0x%lx)",
			v, s->guest_interruptibility);
}

static void guest_interruptibility_enclave(struct ec *x)
{
	/* SDM 27.3.1.5: interruptibility bit 4 (enclave interruption) needs SGX (CPUID.(EAX=7,ECX=0):EBX[2]). */
	const struct vmcs_snapshot *s = x->s;
	if ((s->guest_interruptibility & BLOCK_ENCLAVE) && !(s->cpuid7_ebx & CPUID7_EBX_SGX))
		violate(x, "GUEST_INTERRUPTIBILITY_INFO=0x%lx: enclave interruption (bit 4) on a CPU without SGX (CPUID.7.0:EBX=0x%x)",
			s->guest_interruptibility, s->cpuid7_ebx);
}

static void guest_link_pointer(struct ec *x)
{
	const struct vmcs_snapshot *s = x->s;
	uint64_t l = s->link_pointer;
	if (l == ~(uint64_t)0)
		return;
	if ((l & 0xfff) || beyond_phys(s, l)) {
		violate(x, "VMCS_LINK_POINTER=0x%lx: not all ones, and not a 4-KByte aligned physical address", l);
		return;
	}
	uint32_t rev = vmx_revision_id(x->c);
	if (!s->link_revision_known)
		violate(x, "VMCS_LINK_POINTER=0x%lx: not all ones; without VMCS shadowing it must reference a VMCS of revision 0x%x",
			l, rev);
	else if (s->link_revision != rev)
		violate(x, "VMCS_LINK_POINTER=0x%lx: not all ones, and the page it references holds 0x%x, not the VMCS revision id 0x%x",
			l, s->link_revision, rev);
}

/* --- 27.3.1.6 PDPTEs ----------------------------------------------------------------------- */

/* PAE paging: CR0.PG and CR4.PAE in a guest that is not IA-32e. */
static bool pae_paging(const struct vmcs_snapshot *s)
{
	return !ia32e_guest(s) && (s->guest_cr0 & CR0_PG) && (s->guest_cr4 & CR4_PAE);
}

static bool pdpte_reserved(const struct vmcs_snapshot *s, uint64_t p)
{
	return (p & 1) && ((p & PDPTE_RESERVED) || beyond_phys(s, p & ~(uint64_t)0xfff));
}

static void guest_pdptes(struct ec *x)
{
	/*
	 * With EPT, a PAE guest (CR0.PG, CR4.PAE, not IA-32e) takes its PDPTEs from the VMCS: each present
	 * one has bits 2:1, 8:5 and those beyond the physical-address width clear.
	 */
	const struct vmcs_snapshot *s = x->s;
	if (!(proc2_effective(s) & PROC2_ENABLE_EPT) || !pae_paging(s))
		return;
	const uint64_t p[] = { s->guest_pdpte0, s->guest_pdpte1, s->guest_pdpte2, s->guest_pdpte3 };
	for (unsigned i = 0; i < 4; i++)
		if (pdpte_reserved(s, p[i]))
			violate(x, "GUEST_PDPTR%u=0x%lx: present with reserved bits (2:1, 8:5, or beyond the physical-address width)",
				i, p[i]);
}

static void guest_pdptes_cr3(struct ec *x)
{
	/* Without EPT the CPU loads the PDPTEs from the 32 bytes at CR3[31:5] and refuses the same reserved bits. */
	const struct vmcs_snapshot *s = x->s;
	if ((proc2_effective(s) & PROC2_ENABLE_EPT) || !pae_paging(s) || !s->cr3_pdptes_known)
		return;
	for (unsigned i = 0; i < 4; i++)
		if (pdpte_reserved(s, s->cr3_pdpte[i]))
			violate(x, "GUEST_CR3=0x%lx PDPTE%u=0x%lx: present with reserved bits (2:1, 8:5, or beyond the physical-address width)",
				s->guest_cr3, i, s->cr3_pdpte[i]);
}

/* --- 27.4 loading MSRs --------------------------------------------------------------------- */

#define MSR_IA32_SMM_MONITOR_CTL 0x9bu

static void msr_load_entry(struct ec *x)
{
	/* SDM 27.4: each entry of the VM-entry MSR-load area, in order; the first bad one ends the entry. */
	const struct vmcs_snapshot *s = x->s;
	for (unsigned i = 0; i < s->msr_load_n && i < VMCS_SNAPSHOT_MSR_LOAD_MAX; i++) {
		const struct vmcs_msr_entry *e = &s->msr_load[i];
		const char *why = NULL;
		if (e->reserved)
			why = "bits 63:32 must be 0";
		else if (e->index == MSR_IA32_FS_BASE || e->index == MSR_IA32_GS_BASE)
			why = "IA32_FS_BASE and IA32_GS_BASE cannot be loaded from the area";
		else if ((e->index >> 8) == 0x8)
			why = "an x2APIC MSR (800H-8FFH) cannot be loaded from the area";
		else if (e->index == MSR_IA32_SMM_MONITOR_CTL)
			why = "IA32_SMM_MONITOR_CTL can be written only in SMM";
		if (why)
			violate(x, "VM_ENTRY_MSR_LOAD_ADDR=0x%lx entry %u (msr-entry=%u): MSR 0x%x value 0x%lx: %s",
				s->entry_msr_load_addr, i + 1, i + 1, e->index, e->value, why);
	}
}

/* Would WRMSR of this value #GP at CPL 0 (SDM Vol. 4, the MSRs' own pages)? Then the entry fails too (SDM 27.4). */
static const char *msr_value_refused(const struct vmcs_snapshot *s, uint32_t index, uint64_t v)
{
	switch (index) {
	case MSR_IA32_EFER:
		return (v & ~EFER_ALLOWED) ? "reserved IA32_EFER bits" : NULL;
	case MSR_IA32_PAT:
		for (unsigned i = 0; i < 8; i++) {
			unsigned t = (v >> (8 * i)) & 0xff;
			if (t == 2 || t == 3 || t > 7)
				return "a PAT entry that is not a memory type (0, 1, 4, 5, 6, 7)";
		}
		return NULL;
	case MSR_IA32_SYSENTER_ESP:
	case MSR_IA32_SYSENTER_EIP:
	case MSR_IA32_LSTAR:
	case MSR_IA32_CSTAR:
	case MSR_IA32_KERNEL_GS_BASE:
		return canonical(s, v) ? NULL : "a non-canonical address";
	default:
		return NULL;
	}
}

/*
 * MSRs that exist only with a CPU feature (SDM Vol. 4, table 2-2): WRMSR to one the CPU lacks #GPs, and so
 * ends the entry that loads it (SDM 27.4). The feature is the snapshot's CPUID word and bit.
 */
static const struct msr_feature {
	uint32_t index;
	unsigned word; /* 0: CPUID.7.0:EBX, 1: CPUID.7.0:ECX, 2: CPUID.(0DH,1):EAX, 3: CPUID.80000001H:EDX */
	uint32_t bit, or_word_bit; /* or_word_bit: a second feature (bit in word 1) that also brings the MSR; 0: none */
	const char *feature;
} msr_features[] = {
	{ MSR_IA32_TSC_AUX, 3, 1u << 27, 1u << 22, "RDTSCP or RDPID" },
	{ MSR_IA32_XSS, 2, 1u << 3, 0, "XSAVES" },
	{ MSR_IA32_BNDCFGS, 0, 1u << 14, 0, "MPX" },
	{ MSR_IA32_PKRS, 1, 1u << 31, 0, "PKS" },
};

static const char *msr_missing_feature(const struct vmcs_snapshot *s, uint32_t index)
{
	const uint32_t words[] = { s->cpuid7_ebx, s->cpuid7_ecx, s->cpuid_d1_eax, s->cpuid_ext1_edx };
	for (unsigned i = 0; i < sizeof(msr_features) / sizeof(msr_features[0]); i++) {
		const struct msr_feature *f = &msr_features[i];
		if (f->index == index && !(words[f->word] & f->bit) && !(s->cpuid7_ecx & f->or_word_bit))
			return f->feature;
	}
	return NULL;
}

static void msr_load_feature(struct ec *x)
{
	const struct vmcs_snapshot *s = x->s;
	for (unsigned i = 0; i < s->msr_load_n && i < VMCS_SNAPSHOT_MSR_LOAD_MAX; i++) {
		const struct vmcs_msr_entry *e = &s->msr_load[i];
		const char *feature = e->reserved ? NULL : msr_missing_feature(s, e->index);
		if (feature)
			violate(x, "VM_ENTRY_MSR_LOAD_ADDR=0x%lx entry %u (msr-entry=%u): MSR 0x%x exists only with %s, which this CPU lacks",
				s->entry_msr_load_addr, i + 1, i + 1, e->index, feature);
	}
}

static void msr_load_value(struct ec *x)
{
	/* SDM 27.4: an entry whose WRMSR would cause #GP ends the entry (the MSR's own checks: reserved bits, canonical). */
	const struct vmcs_snapshot *s = x->s;
	for (unsigned i = 0; i < s->msr_load_n && i < VMCS_SNAPSHOT_MSR_LOAD_MAX; i++) {
		const struct vmcs_msr_entry *e = &s->msr_load[i];
		const char *why = e->reserved ? NULL : msr_value_refused(s, e->index, e->value);
		if (why)
			violate(x, "VM_ENTRY_MSR_LOAD_ADDR=0x%lx entry %u (msr-entry=%u): MSR 0x%x value 0x%lx: WRMSR would #GP: %s",
				s->entry_msr_load_addr, i + 1, i + 1, e->index, e->value, why);
	}
}

/* --- the table ------------------------------------------------------------------------------- */

#define ENTRY_RULES(X)                                                    \
	X(ctl_pin_allowed, ENTRY_FAMILY_CTL, "27.2.1.1")                  \
	X(ctl_proc_allowed, ENTRY_FAMILY_CTL, "27.2.1.1")                 \
	X(ctl_proc2_allowed, ENTRY_FAMILY_CTL, "27.2.1.1")                \
	X(ctl_cr3_target_count, ENTRY_FAMILY_CTL, "27.2.1.1")             \
	X(ctl_io_bitmap_addr, ENTRY_FAMILY_CTL, "27.2.1.1")               \
	X(ctl_msr_bitmap_addr, ENTRY_FAMILY_CTL, "27.2.1.1")              \
	X(ctl_nmi_controls, ENTRY_FAMILY_CTL, "27.2.1.1")                 \
	X(ctl_eptp, ENTRY_FAMILY_CTL, "27.2.1.1")                         \
	X(ctl_vpid, ENTRY_FAMILY_CTL, "27.2.1.1")                         \
	X(ctl_tpr_shadow, ENTRY_FAMILY_CTL, "27.2.1.1")                   \
	X(ctl_tpr_threshold_vtpr, ENTRY_FAMILY_CTL, "27.2.1.1")           \
	X(ctl_apic_access_addr, ENTRY_FAMILY_CTL, "27.2.1.1")             \
	X(ctl_apic_virtualization, ENTRY_FAMILY_CTL, "27.2.1.1")          \
	X(ctl_ug_requires_ept, ENTRY_FAMILY_CTL, "27.2.1.1")              \
	X(ctl_exit_allowed, ENTRY_FAMILY_CTL, "27.2.1.2")                 \
	X(ctl_preemption_timer_save, ENTRY_FAMILY_CTL, "27.2.1.2")        \
	X(ctl_exit_msr_areas, ENTRY_FAMILY_CTL, "27.2.1.2")               \
	X(ctl_entry_allowed, ENTRY_FAMILY_CTL, "27.2.1.3")                \
	X(ctl_entry_event_injection, ENTRY_FAMILY_CTL, "27.2.1.3")        \
	X(ctl_entry_intr_error_code, ENTRY_FAMILY_CTL, "27.2.1.3")        \
	X(ctl_entry_intr_length, ENTRY_FAMILY_CTL, "27.2.1.3")            \
	X(ctl_entry_msr_load, ENTRY_FAMILY_CTL, "27.2.1.3")               \
	X(ctl_entry_smm, ENTRY_FAMILY_CTL, "27.2.1.3")                    \
	X(host_cr0_fixed, ENTRY_FAMILY_HOST, "27.2.2")                    \
	X(host_cr4_fixed, ENTRY_FAMILY_HOST, "27.2.2")                    \
	X(host_cr3_width, ENTRY_FAMILY_HOST, "27.2.2")                    \
	X(host_efer, ENTRY_FAMILY_HOST, "27.2.2")                         \
	X(host_pat, ENTRY_FAMILY_HOST, "27.2.2")                          \
	X(host_selector_rpl_ti, ENTRY_FAMILY_HOST, "27.2.3")              \
	X(host_cs_tr_not_null, ENTRY_FAMILY_HOST, "27.2.3")               \
	X(host_bases_canonical, ENTRY_FAMILY_HOST, "27.2.3")              \
	X(host_address_space, ENTRY_FAMILY_HOST, "27.2.4")                \
	X(guest_cr0_fixed, ENTRY_FAMILY_GUEST_CR, "27.3.1.1")             \
	X(guest_cr0_pg_requires_pe, ENTRY_FAMILY_GUEST_CR, "27.3.1.1")    \
	X(guest_cr4_fixed, ENTRY_FAMILY_GUEST_CR, "27.3.1.1")             \
	X(guest_ia32e_paging, ENTRY_FAMILY_GUEST_CR, "27.3.1.1")          \
	X(guest_cr3_width, ENTRY_FAMILY_GUEST_CR, "27.3.1.1")             \
	X(guest_dr7_high, ENTRY_FAMILY_GUEST_CR, "27.3.1.1")              \
	X(guest_debugctl, ENTRY_FAMILY_GUEST_MSR, "27.3.1.1")             \
	X(guest_sysenter_canonical, ENTRY_FAMILY_GUEST_MSR, "27.3.1.1")   \
	X(guest_efer, ENTRY_FAMILY_GUEST_MSR, "27.3.1.1")                 \
	X(guest_pat, ENTRY_FAMILY_GUEST_MSR, "27.3.1.1")                  \
	X(guest_tr, ENTRY_FAMILY_GUEST_SEG, "27.3.1.2")                   \
	X(guest_ldtr, ENTRY_FAMILY_GUEST_SEG, "27.3.1.2")                 \
	X(guest_cs_ss_rpl, ENTRY_FAMILY_GUEST_SEG, "27.3.1.2")            \
	X(guest_cs_type, ENTRY_FAMILY_GUEST_SEG, "27.3.1.2")              \
	X(guest_cs_l_db, ENTRY_FAMILY_GUEST_SEG, "27.3.1.2")              \
	X(guest_ss, ENTRY_FAMILY_GUEST_SEG, "27.3.1.2")                   \
	X(guest_data_segments, ENTRY_FAMILY_GUEST_SEG, "27.3.1.2")        \
	X(guest_seg_limit_granularity, ENTRY_FAMILY_GUEST_SEG, "27.3.1.2") \
	X(guest_ar_reserved, ENTRY_FAMILY_GUEST_SEG, "27.3.1.2")          \
	X(guest_ug_dpl, ENTRY_FAMILY_GUEST_SEG, "27.3.1.2")               \
	X(guest_v8086_segments, ENTRY_FAMILY_GUEST_SEG, "27.3.1.2")       \
	X(guest_seg_bases, ENTRY_FAMILY_GUEST_SEG, "27.3.1.2")            \
	X(guest_gdtr_idtr, ENTRY_FAMILY_GUEST_SEG, "27.3.1.3")            \
	X(guest_rip, ENTRY_FAMILY_GUEST_RIP, "27.3.1.4")                  \
	X(guest_rflags_reserved, ENTRY_FAMILY_GUEST_RIP, "27.3.1.4")      \
	X(guest_rflags_vm, ENTRY_FAMILY_GUEST_RIP, "27.3.1.4")            \
	X(guest_rflags_if_for_injection, ENTRY_FAMILY_GUEST_RIP, "27.3.1.4") \
	X(guest_activity_state, ENTRY_FAMILY_GUEST_NONREG, "27.3.1.5")    \
	X(guest_interruptibility, ENTRY_FAMILY_GUEST_NONREG, "27.3.1.5")  \
	X(guest_activity_blocking, ENTRY_FAMILY_GUEST_NONREG, "27.3.1.5") \
	X(guest_smi_blocking, ENTRY_FAMILY_GUEST_NONREG, "27.3.1.5")      \
	X(guest_injection_blocking, ENTRY_FAMILY_GUEST_NONREG, "27.3.1.5") \
	X(guest_activity_injection, ENTRY_FAMILY_GUEST_NONREG, "27.3.1.5") \
	X(guest_pending_debug_bs, ENTRY_FAMILY_GUEST_NONREG, "27.3.1.5")  \
	X(guest_pending_debug, ENTRY_FAMILY_GUEST_NONREG, "27.3.1.5")     \
	X(guest_pending_debug_rtm, ENTRY_FAMILY_GUEST_NONREG, "27.3.1.5") \
	X(guest_interruptibility_enclave, ENTRY_FAMILY_GUEST_NONREG, "27.3.1.5") \
	X(guest_link_pointer, ENTRY_FAMILY_GUEST_NONREG, "27.3.1.5")      \
	X(guest_pdptes, ENTRY_FAMILY_GUEST_PDPTE, "27.3.1.6")             \
	X(guest_pdptes_cr3, ENTRY_FAMILY_GUEST_PDPTE, "27.3.1.6")         \
	X(msr_load_entry, ENTRY_FAMILY_MSR_LOAD, "27.4")                  \
	X(msr_load_value, ENTRY_FAMILY_MSR_LOAD, "27.4")                  \
	X(msr_load_feature, ENTRY_FAMILY_MSR_LOAD, "27.4")

const struct entry_rule entry_rules[] = {
#define ENTRY_RULE_ROW(fn, fam, sec) { .name = #fn, .family = fam, .sdm = sec },
	ENTRY_RULES(ENTRY_RULE_ROW)
#undef ENTRY_RULE_ROW
};
const unsigned entry_rule_count = sizeof(entry_rules) / sizeof(entry_rules[0]);

static void (*const entry_rule_fns[])(struct ec *) = {
#define ENTRY_RULE_FN(fn, fam, sec) fn,
	ENTRY_RULES(ENTRY_RULE_FN)
#undef ENTRY_RULE_FN
};

unsigned entry_check_run(const struct vmcs_snapshot *s, const struct vmx_caps *c, struct entry_check_result *out)
{
	memset(out, 0, sizeof(*out));
	struct ec x = { .s = s, .c = c, .out = out };
	for (unsigned i = 0; i < entry_rule_count; i++) {
		x.rule = &entry_rules[i];
		entry_rule_fns[i](&x);
	}
	return out->n;
}

bool entry_check_names(const struct entry_check_result *r, const char *rule)
{
	unsigned kept = r->n < ENTRY_CHECK_MAX_VIOLATIONS ? r->n : ENTRY_CHECK_MAX_VIOLATIONS;
	for (unsigned i = 0; i < kept; i++)
		if (strcmp(r->v[i].rule->name, rule) == 0)
			return true;
	return false;
}

const struct entry_rule *entry_rule_find(const char *name)
{
	for (unsigned i = 0; i < entry_rule_count; i++)
		if (strcmp(entry_rules[i].name, name) == 0)
			return &entry_rules[i];
	return NULL;
}

void entry_check_print(const char *guest, const char *when, const struct entry_check_result *r)
{
	kprintf("VEXIT entry-check %s %s violations=%u\n", guest, when, r->n);
	unsigned kept = r->n < ENTRY_CHECK_MAX_VIOLATIONS ? r->n : ENTRY_CHECK_MAX_VIOLATIONS;
	for (unsigned i = 0; i < kept; i++)
		kprintf("VEXIT entry-violation %s %s family=%s sdm=%s %s\n", guest, r->v[i].rule->name,
			r->v[i].rule->family, r->v[i].rule->sdm, r->v[i].text);
}
