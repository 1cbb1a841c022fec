#include "vm/virtual_msr.h"

#include "include/vexit_abi.h"
#include "vmx/tsc_scale.h"

/* The plain MSRs (virtual_msr.h): each slot names its MSR and field, so that any other MSR misses. */
#define PLAIN(msr, field) [VIRTUAL_MSR_SLOT(msr)] = { (msr), offsetof(struct virtual_msrs, field) }
_Static_assert(VIRTUAL_MSR_SLOT(0) == 0 && VIRTUAL_MSR_SLOT(VIRTUAL_MSR_NONE) != 0,
	       "slot 0, where MSR 0 lands, names an MSR that hashes elsewhere");

const struct virtual_msr_slot virtual_msr_plain_reads[VIRTUAL_MSR_SLOTS] = {
	[0] = { VIRTUAL_MSR_NONE, 0 },
	PLAIN(MSR_IA32_APIC_BASE, apic_base),
	PLAIN(MSR_IA32_MCG_STATUS, mcg_status),
	PLAIN(MSR_IA32_MISC_ENABLE, misc_enable),
	PLAIN(MSR_IA32_PAT, pat),
	PLAIN(MSR_IA32_STAR, star),
	PLAIN(MSR_IA32_LSTAR, lstar),
	PLAIN(MSR_IA32_CSTAR, cstar),
	PLAIN(MSR_IA32_FMASK, fmask),
	PLAIN(MSR_IA32_TSC_AUX, tsc_aux),
	PLAIN(VEXIT_MSR_SCRATCH, hv_scratch),
};

/*
 * Of those, the ones the CPU does not hold for the guest and whose only WRMSR rule is a bound:
 * the bits above their low ones are reserved (virtual_msr_write's rules, which a host test
 * compares these with for every value around each bound).
 */
const struct virtual_msr_slot virtual_msr_plain_writes[VIRTUAL_MSR_SLOTS] = {
	[0] = { VIRTUAL_MSR_NONE, 0 },
	PLAIN(MSR_IA32_MCG_STATUS, mcg_status),
	PLAIN(VEXIT_MSR_SCRATCH, hv_scratch),
};
const uint64_t virtual_msr_plain_max[VIRTUAL_MSR_SLOTS] = {
	[VIRTUAL_MSR_SLOT(MSR_IA32_MCG_STATUS)] = MCG_STATUS_WRITABLE, /* bits 2:0 */
	[VIRTUAL_MSR_SLOT(VEXIT_MSR_SCRATCH)] = UINT64_MAX,
};

static bool canonical(uint64_t v)
{
	/* 48-bit linear addresses: bits 63:47 all equal. */
	uint64_t top = v >> 47;
	return top == 0 || top == 0x1ffff;
}

/* Each PAT entry must name a memory type: UC 0, WC 1, WT 4, WP 5, WB 6, UC- 7 (SDM Vol. 3A 12.12.2). */
static bool pat_valid(uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		unsigned t = (v >> (8 * i)) & 0xff;
		if (t != 0 && t != 1 && t != 4 && t != 5 && t != 6 && t != 7)
			return false;
	}
	return true;
}

void virtual_msrs_reset(struct virtual_msrs *m, bool nx, unsigned phys_addr_bits, bool has_tsc_adjust)
{
	*m = (struct virtual_msrs){
		.efer = EFER_LME | EFER_LMA,
		.pat = PAT_POWER_ON,
		.apic_base = APIC_BASE_DEFAULT,
		.misc_enable = MISC_ENABLE_POWER_ON,
		.paging = true,
		.nx = nx,
		.phys_addr_bits = phys_addr_bits,
		.has_tsc_adjust = has_tsc_adjust,
		.tsc_multiplier = TSC_MULTIPLIER_ONE,
	};
}

bool virtual_msr_nx(const struct virtual_msrs *m)
{
	return m->nx && !(m->misc_enable & MISC_ENABLE_XD_DISABLE);
}

bool virtual_msr_read(const struct virtual_msrs *m, uint32_t msr, uint64_t *value)
{
	switch (msr) {
	case MSR_IA32_TSC: *value = tsc_guest(m->host_tsc, m->tsc_multiplier, m->tsc_offset); return true;
	case MSR_IA32_TSC_ADJUST:
		if (!m->has_tsc_adjust)
			return false;
		*value = m->tsc_adjust;
		return true;
	case MSR_IA32_MISC_ENABLE: *value = m->misc_enable; return true;
	/* No error-reporting bank, no MCG_CTL, no extended state or LMCE (SDM Vol. 3B 16.3.1.1): nothing ever reports a machine check. */
	case MSR_IA32_MCG_CAP: *value = 0; return true;
	case MSR_IA32_MCG_STATUS: *value = m->mcg_status; return true;
	case MSR_IA32_APIC_BASE: *value = m->apic_base; return true;
	case MSR_IA32_SYSENTER_CS: *value = m->sysenter_cs; return true;
	case MSR_IA32_SYSENTER_ESP: *value = m->sysenter_esp; return true;
	case MSR_IA32_SYSENTER_EIP: *value = m->sysenter_eip; return true;
	case MSR_IA32_PAT: *value = m->pat; return true;
	case MSR_IA32_EFER: *value = m->efer; return true;
	case MSR_IA32_FS_BASE: *value = m->fs_base; return true;
	case MSR_IA32_GS_BASE: *value = m->gs_base; return true;
	case MSR_IA32_TSC_AUX: *value = m->tsc_aux; return true;
	case MSR_IA32_STAR: *value = m->star; return true;
	case MSR_IA32_LSTAR: *value = m->lstar; return true;
	case MSR_IA32_CSTAR: *value = m->cstar; return true;
	case MSR_IA32_FMASK: *value = m->fmask; return true;
	case MSR_IA32_KERNEL_GS_BASE: *value = m->kernel_gs_base; return true;
	case VEXIT_MSR_ID: *value = VEXIT_MSR_ID_VALUE; return true;
	case VEXIT_MSR_SCRATCH: *value = m->hv_scratch; return true;
	case VEXIT_MSR_EXITS: *value = m->exits; return true;
	default: return false;
	}
}

static bool write_efer(struct virtual_msrs *m, uint64_t v)
{
	uint64_t allowed = EFER_SCE | EFER_LME | EFER_LMA | (virtual_msr_nx(m) ? EFER_NXE : 0);
	if (v & ~allowed)
		return false;
	/* SDM Vol. 3A 10.8.5: LME cannot change while paging is on. LMA is the processor's: writes are ignored. */
	if (m->paging && ((v ^ m->efer) & EFER_LME))
		return false;
	m->efer = (v & ~EFER_LMA) | (m->efer & EFER_LMA);
	return true;
}

/* CPUID answers from MISC_ENABLE and APIC_BASE (vmx/cpuid_policy.h): the next CPUID exit computes them again. */
static void forget_cpuid(struct virtual_msrs *m)
{
	if (m->cpuid)
		cpuid_table_invalidate(m->cpuid);
}

static bool write_apic_base(struct virtual_msrs *m, uint64_t v)
{
	/* Bits 7:0, 9 and 10 (x2APIC, not offered) and those above the physical width are reserved. */
	uint64_t base_mask = (m->phys_addr_bits >= 64 ? ~0ull : (1ull << m->phys_addr_bits) - 1) & ~0xfffull;
	if (v & ~(base_mask | APIC_BASE_ENABLE | APIC_BASE_BSP))
		return false;
	/*
	 * Any other base is the guest's (SDM Vol. 3A 11.4.4): a VM with a local APIC moves its page in
	 * EPT after the write (exits/exit_apic.c); without an APIC the base is a plain value.
	 */
	/* BSP is read-only. */
	m->apic_base = (v & ~APIC_BASE_BSP) | (m->apic_base & APIC_BASE_BSP);
	forget_cpuid(m);
	return true;
}

/*
 * SDM Vol. 3B 18.17.3: a WRMSR that adds X to the TSC adds X to IA32_TSC_ADJUST, and one
 * that adds X to IA32_TSC_ADJUST adds X to the TSC. The guest's TSC moves by moving the offset.
 */
static void tsc_add(struct virtual_msrs *m, uint64_t x)
{
	m->tsc_offset += x;
	m->tsc_adjust += x;
}

/*
 * IA32_MISC_ENABLE (SDM Vol. 4 table 2-2): the R/W bits are kept (those with an effect a
 * guest sees take it: CPUID and EFER.NXE read them); writes to the read-only bits 7, 11 and 12
 * are ignored; a reserved bit is #GP, and so is XD Bit Disable on a CPU without NX. EIST
 * (bit 16) and xTPR Message Disable (bit 23) stay plain R/W bits, as on the CPU models vexit
 * runs on (which have EIST and xTPR), though CPUID hides those features: nothing else reads them.
 * Setting ENABLE MONITOR FSM (bit 18) #GPs only without SSE3, which no VMX-capable CPU lacks.
 */
static bool write_misc_enable(struct virtual_msrs *m, uint64_t v)
{
	uint64_t writable = MISC_ENABLE_WRITABLE | (m->nx ? MISC_ENABLE_XD_DISABLE : 0);
	if (v & ~(writable | MISC_ENABLE_READ_ONLY))
		return false;
	m->misc_enable = (v & writable) | (m->misc_enable & MISC_ENABLE_READ_ONLY);
	forget_cpuid(m);
	return true;
}

/* The slot of an MSR that holds a linear address. */
static uint64_t *address_msr(struct virtual_msrs *m, uint32_t msr)
{
	switch (msr) {
	case MSR_IA32_SYSENTER_ESP: return &m->sysenter_esp;
	case MSR_IA32_SYSENTER_EIP: return &m->sysenter_eip;
	case MSR_IA32_FS_BASE: return &m->fs_base;
	case MSR_IA32_GS_BASE: return &m->gs_base;
	case MSR_IA32_KERNEL_GS_BASE: return &m->kernel_gs_base;
	case MSR_IA32_LSTAR: return &m->lstar;
	default: return &m->cstar;
	}
}

bool virtual_msr_write(struct virtual_msrs *m, uint32_t msr, uint64_t v)
{
	switch (msr) {
	case MSR_IA32_TSC:
		/* All 64 bits are written (SDM Vol. 3B 18.17): the guest's next read, scaled, starts from v. */
		tsc_add(m, v - tsc_guest(m->host_tsc, m->tsc_multiplier, m->tsc_offset));
		return true;
	case MSR_IA32_TSC_ADJUST:
		if (!m->has_tsc_adjust)
			return false;
		tsc_add(m, v - m->tsc_adjust);
		return true;
	case MSR_IA32_MISC_ENABLE:
		return write_misc_enable(m, v);
	case MSR_IA32_MCG_STATUS:
		/* SDM Vol. 3B 16.3.1.2: bits 63:3 reserved without LMCE (MCG_CAP.MCG_LMCE_P, clear here). */
		if (v & ~MCG_STATUS_WRITABLE)
			return false;
		m->mcg_status = v;
		return true;
	case MSR_IA32_APIC_BASE:
		return write_apic_base(m, v);
	case MSR_IA32_SYSENTER_CS:
		m->sysenter_cs = v & 0xffffffffull;
		return true;
	case MSR_IA32_SYSENTER_ESP:
	case MSR_IA32_SYSENTER_EIP:
	case MSR_IA32_FS_BASE:
	case MSR_IA32_GS_BASE:
	case MSR_IA32_KERNEL_GS_BASE:
	case MSR_IA32_LSTAR:
	case MSR_IA32_CSTAR:
		/* SDM Vol. 2 WRMSR: #GP for a non-canonical address in any of these. */
		if (!canonical(v))
			return false;
		*address_msr(m, msr) = v;
		return true;
	case MSR_IA32_STAR:
		m->star = v; /* SYSRET and SYSCALL selectors, bits 31:0 unused in 64-bit mode: no reserved bit */
		return true;
	case MSR_IA32_FMASK:
		if (v >> 32) /* bits 63:32 are reserved (SDM Vol. 4 table 2-2) */
			return false;
		m->fmask = v;
		return true;
	case MSR_IA32_PAT:
		if (!pat_valid(v))
			return false;
		m->pat = v;
		return true;
	case MSR_IA32_EFER:
		return write_efer(m, v);
	case MSR_IA32_TSC_AUX:
		if (v >> 32)
			return false;
		m->tsc_aux = v;
		return true;
	case VEXIT_MSR_SCRATCH:
		m->hv_scratch = v;
		return true;
	default:
		return false; /* unknown, or read-only (MCG_CAP, VEXIT_MSR_ID, VEXIT_MSR_EXITS) */
	}
}
