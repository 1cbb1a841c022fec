#include "diag/vmcs_dump.h"

#include "kernel/console.h"
#include "kernel/fmt.h"
#include "vmx/exit_reason.h"

/* Flag names by bit (SDM 25.6.1, 25.6.2, 25.7.1, 25.8.1; Vol. 3A 2.5, 2.2.1, 2.3); NULL: print bitN. */
static const char *const pin_bits[32] = {
	[0] = "EXT_INTR_EXITING", [3] = "NMI_EXITING", [5] = "VIRTUAL_NMIS", [6] = "PREEMPTION_TIMER",
	[7] = "POSTED_INTR",
};
static const char *const proc_bits[32] = {
	[2] = "INTR_WINDOW_EXITING", [3] = "TSC_OFFSETTING", [7] = "HLT_EXITING", [9] = "INVLPG_EXITING",
	[10] = "MWAIT_EXITING", [11] = "RDPMC_EXITING", [12] = "RDTSC_EXITING", [15] = "CR3_LOAD_EXITING",
	[16] = "CR3_STORE_EXITING", [17] = "TERTIARY_CONTROLS", [19] = "CR8_LOAD_EXITING",
	[20] = "CR8_STORE_EXITING", [21] = "TPR_SHADOW", [22] = "NMI_WINDOW_EXITING", [23] = "MOV_DR_EXITING",
	[24] = "UNCOND_IO_EXITING", [25] = "USE_IO_BITMAPS", [27] = "MONITOR_TRAP_FLAG",
	[28] = "USE_MSR_BITMAPS", [29] = "MONITOR_EXITING", [30] = "PAUSE_EXITING", [31] = "SECONDARY_CONTROLS",
};
static const char *const proc2_bits[32] = {
	[0] = "VIRT_APIC_ACCESSES", [1] = "ENABLE_EPT", [2] = "DESC_TABLE_EXITING", [3] = "ENABLE_RDTSCP",
	[4] = "VIRT_X2APIC", [5] = "ENABLE_VPID", [6] = "WBINVD_EXITING", [7] = "UNRESTRICTED_GUEST",
	[8] = "APIC_REGISTER_VIRT", [9] = "VIRT_INTR_DELIVERY", [10] = "PAUSE_LOOP_EXITING",
	[11] = "RDRAND_EXITING", [12] = "ENABLE_INVPCID", [13] = "ENABLE_VMFUNC", [14] = "VMCS_SHADOWING",
	[15] = "ENCLS_EXITING", [16] = "RDSEED_EXITING", [17] = "ENABLE_PML", [18] = "EPT_VIOLATION_VE",
	[19] = "CONCEAL_FROM_PT", [20] = "ENABLE_XSAVES", [22] = "MODE_BASED_EPT_EXEC", [25] = "TSC_SCALING",
};
static const char *const exit_bits[32] = {
	[2] = "SAVE_DEBUG_CONTROLS", [9] = "HOST_ADDR_SPACE_SIZE", [12] = "LOAD_PERF_GLOBAL_CTRL",
	[15] = "ACK_INTR_ON_EXIT", [18] = "SAVE_IA32_PAT", [19] = "LOAD_IA32_PAT", [20] = "SAVE_IA32_EFER",
	[21] = "LOAD_IA32_EFER", [22] = "SAVE_PREEMPTION_TIMER", [23] = "CLEAR_BNDCFGS",
};
static const char *const entry_bits[32] = {
	[2] = "LOAD_DEBUG_CONTROLS", [9] = "IA32E_MODE_GUEST", [10] = "ENTRY_TO_SMM",
	[11] = "DEACTIVATE_DUAL_MONITOR", [13] = "LOAD_PERF_GLOBAL_CTRL", [14] = "LOAD_IA32_PAT",
	[15] = "LOAD_IA32_EFER", [16] = "LOAD_BNDCFGS",
};
static const char *const cr0_bits[32] = {
	[0] = "PE", [1] = "MP", [2] = "EM", [3] = "TS", [4] = "ET", [5] = "NE", [16] = "WP", [18] = "AM",
	[29] = "NW", [30] = "CD", [31] = "PG",
};
static const char *const cr4_bits[32] = {
	[0] = "VME", [1] = "PVI", [2] = "TSD", [3] = "DE", [4] = "PSE", [5] = "PAE", [6] = "MCE", [7] = "PGE",
	[8] = "PCE", [9] = "OSFXSR", [10] = "OSXMMEXCPT", [11] = "UMIP", [12] = "LA57", [13] = "VMXE",
	[14] = "SMXE", [16] = "FSGSBASE", [17] = "PCIDE", [18] = "OSXSAVE", [20] = "SMEP", [21] = "SMAP",
	[22] = "PKE", [23] = "CET",
};
static const char *const efer_bits[32] = { [0] = "SCE", [8] = "LME", [10] = "LMA", [11] = "NXE" };
static const char *const rflags_bits[32] = {
	[0] = "CF", [1] = "FIXED1", [2] = "PF", [4] = "AF", [6] = "ZF", [7] = "SF", [8] = "TF", [9] = "IF",
	[10] = "DF", [11] = "OF", [14] = "NT", [16] = "RF", [17] = "VM", [18] = "AC", [19] = "VIF",
	[20] = "VIP", [21] = "ID",
};
static const char *const activity_names[] = { "ACTIVE", "HLT", "SHUTDOWN", "WAIT_FOR_SIPI" };
static const char *const seg_types[16] = {
	"data-r", "data-r-a", "data-rw", "data-rw-a", "data-r-down", "data-r-down-a", "data-rw-down",
	"data-rw-down-a", "code-x", "code-x-a", "code-xr", "code-xr-a", "code-x-conf", "code-x-conf-a",
	"code-xr-conf", "code-xr-conf-a",
};
static const char *const sys_types[16] = {
	"reserved0", "tss16-avail", "ldt", "tss16-busy", "call16", "task-gate", "int16", "trap16",
	"reserved8", "tss-avail", "reserved10", "tss-busy", "call", "reserved13", "int", "trap",
};

struct out {
	char *p;
	size_t left;
};

static void put(struct out *o, const char *f, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	int n = fmt_vsnprintf(o->p, o->left, f, ap);
	va_end(ap);
	size_t used = n < 0 ? 0 : (size_t)n;
	if (used >= o->left)
		used = o->left ? o->left - 1 : 0;
	o->p += used;
	o->left -= used;
}

static void flags(struct out *o, const char *const names[32], uint64_t v)
{
	bool first = true;
	for (unsigned b = 0; b < 64; b++) {
		if (!(v & (1ull << b)))
			continue;
		const char *name = b < 32 ? names[b] : NULL;
		if (name)
			put(o, "%s%s", first ? "" : "|", name);
		else
			put(o, "%sbit%u", first ? "" : "|", b);
		first = false;
	}
	if (first)
		put(o, "none");
}

static void access_rights(struct out *o, uint64_t ar)
{
	if (ar & (1u << 16)) {
		put(o, "unusable");
		return;
	}
	bool s = ar & (1u << 4);
	put(o, "type=%lu(%s) S=%d DPL=%lu P=%d AVL=%d L=%d D/B=%d G=%d", ar & 0xf,
	    s ? seg_types[ar & 0xf] : sys_types[ar & 0xf], s, (ar >> 5) & 3, !!(ar & (1u << 7)),
	    !!(ar & (1u << 12)), !!(ar & (1u << 13)), !!(ar & (1u << 14)), !!(ar & (1u << 15)));
	if (ar & 0xfffe0f00u)
		put(o, " reserved=0x%lx", ar & 0xfffe0f00u);
}

void vmcs_dump_decode(enum vmcs_decode how, uint64_t v, char *buf, size_t n)
{
	struct out o = { buf, n };
	if (n)
		buf[0] = '\0';
	switch (how) {
	case DEC_HEX: break;
	case DEC_PIN: flags(&o, pin_bits, v); break;
	case DEC_PROC: flags(&o, proc_bits, v); break;
	case DEC_PROC2: flags(&o, proc2_bits, v); break;
	case DEC_EXIT: flags(&o, exit_bits, v); break;
	case DEC_ENTRY: flags(&o, entry_bits, v); break;
	case DEC_CR0: flags(&o, cr0_bits, v); break;
	case DEC_CR4: flags(&o, cr4_bits, v); break;
	case DEC_EFER: flags(&o, efer_bits, v); break;
	case DEC_RFLAGS: flags(&o, rflags_bits, v); break;
	case DEC_AR: access_rights(&o, v); break;
	case DEC_ACTIVITY:
		put(&o, "%s", v < 4 ? activity_names[v] : "invalid");
		break;
	case DEC_EXIT_REASON: {
		const char *name = exit_reason_name((uint32_t)EXIT_REASON_BASIC(v));
		put(&o, "%s%s", name ? name : "unnamed", (v & EXIT_REASON_ENTRY_FAILURE) ? "|ENTRY_FAILURE" : "");
		break;
	}
	}
}

void vmcs_dump_print(const char *guest, const struct vmcs_snapshot *s)
{
	char dec[256];
	for (unsigned i = 0; i < vmcs_field_count; i++) {
		const struct vmcs_field_info *f = &vmcs_field_table[i];
		if (!vmcs_snapshot_readable(s, i)) {
			kprintf("VEXIT vmcs %s %s unsupported\n", guest, f->name);
			continue;
		}
		uint64_t v = *(const uint64_t *)((const char *)s + f->offset);
		vmcs_dump_decode(f->decode, v, dec, sizeof(dec));
		kprintf("VEXIT vmcs %s %s 0x%lx%s%s\n", guest, f->name, v, dec[0] ? " " : "", dec);
	}
}
