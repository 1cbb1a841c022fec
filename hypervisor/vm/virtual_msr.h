/*
 * The MSRs a vexit guest sees when RDMSR/WRMSR exit: a table of what the
 * hypervisor emulates, over a plain struct (the exit handler copies the
 * VMCS-backed ones in and out), so the host build tests every rule. Any other
 * MSR, a reserved bit or a bad value gets #GP; the host MSR is never written.
 */
#ifndef VEXIT_VIRTUAL_MSR_H
#define VEXIT_VIRTUAL_MSR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "include/x86_arch.h"
#include "vmx/cpuid_table.h"

#define APIC_BASE_BSP (1ull << 8)
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_BASE_DEFAULT (0xfee00000ull | APIC_BASE_ENABLE | APIC_BASE_BSP)
/* The APIC page's physical address in an IA32_APIC_BASE value (bits 11:0 are flags and reserved bits). */
#define APIC_BASE_PAGE(v) ((v) & ~0xfffull)
#define PAT_POWER_ON 0x0007040600070406ull
/*
 * IA32_MISC_ENABLE at power-on: fast strings on (the SDM's default); no performance monitoring,
 * branch trace store or PEBS (CPUID hides the PMU and the debug store); MONITOR/MWAIT off, as
 * CPUID then says (bit 18 clear hides CPUID.01H:ECX.MONITOR).
 */
#define MISC_ENABLE_POWER_ON (MISC_ENABLE_FAST_STRINGS | MISC_ENABLE_BTS_UNAVAILABLE | MISC_ENABLE_PEBS_UNAVAILABLE)
#define MISC_ENABLE_READ_ONLY (MISC_ENABLE_PERFMON | MISC_ENABLE_BTS_UNAVAILABLE | MISC_ENABLE_PEBS_UNAVAILABLE)
#define MISC_ENABLE_WRITABLE (MISC_ENABLE_FAST_STRINGS | MISC_ENABLE_AUTO_THERMAL | MISC_ENABLE_EIST | \
			      MISC_ENABLE_MONITOR | MISC_ENABLE_LIMIT_CPUID | MISC_ENABLE_XTPR_DISABLE)
/* MCG_STATUS bits a write may set: no LMCE (bit 3), as MCG_CAP offers none. */
#define MCG_STATUS_WRITABLE (MCG_STATUS_RIPV | MCG_STATUS_EIPV | MCG_STATUS_MCIP)

struct virtual_msrs {
	/* Backed by the VMCS guest-state area (the handler syncs them). */
	uint64_t efer, sysenter_cs, sysenter_esp, sysenter_eip, fs_base, gs_base;
	/* Loaded into the CPU while the VM runs (vm/guest_cpu_state.h): SYSCALL, SYSRET and SWAPGS use them. */
	uint64_t star, lstar, cstar, fmask, kernel_gs_base;
	/*
	 * The guest's TSC is the host's times tsc_multiplier plus tsc_offset, the VMCS TSC multiplier
	 * and offset (vmx/tsc_scale.h: RDTSC, RDTSCP and RDMSR of IA32_TSC all read that one clock);
	 * writing IA32_TSC or IA32_TSC_ADJUST moves both the offset and the adjust value (SDM Vol. 3B
	 * 18.17.3). The multiplier is TSC_MULTIPLIER_ONE unless the VM's TSC is scaled (tscscale).
	 */
	uint64_t tsc_offset, tsc_adjust, tsc_multiplier;
	/* Loaded into the CPU by the VMCS when the CPU has the PAT controls, else held here only. */
	uint64_t pat;
	/* In the CPU while the VM runs when RDTSCP is enabled for it (vm/guest_cpu_state.h), else held here only. */
	uint64_t tsc_aux;
	/* Held here only. */
	uint64_t apic_base, misc_enable, mcg_status, hv_scratch;
	/* Facts the rules need. */
	uint64_t exits;           /* this VM's exits so far, for VEXIT_MSR_EXITS */
	uint64_t host_tsc;        /* the host's TSC at this access (the guest's: vmx/tsc_scale.h, tsc_guest) */
	bool paging;              /* guest CR0.PG: EFER.LME cannot change while it is set */
	bool nx;                  /* CPUID.80000001H:EDX.NX: EFER.NXE may be set */
	unsigned phys_addr_bits;  /* CPUID.80000008H:EAX[7:0] */
	bool has_tsc_adjust;      /* CPUID.(EAX=07H,ECX=0):EBX.TSC_ADJUST: IA32_TSC_ADJUST exists */
	/* The vCPU's CPUID answers, which depend on MISC_ENABLE and APIC_BASE: a write to either empties them. */
	struct cpuid_table *cpuid; /* NULL: none */
};

/*
 * The plain MSRs, which the exit path handles without the rules above. An RDMSR of one is a
 * load of its field here, which holds its value: it changes only by WRMSR (no VMCS field the
 * CPU changes; SYSCALL and RDTSCP read their MSRs and never write them). A WRMSR, for those
 * whose one rule is that the bits above their low ones are reserved and that the CPU does not
 * hold for the guest, is a compare and a store. Each table has a slot per MSR, found by a
 * perfect hash, a multiply and a shift: VIRTUAL_MSR_SLOT puts each MSR of virtual_msr_read in
 * a slot of its own (a host test checks it), and a slot names its MSR, so that another MSR
 * sharing it misses. Two MSRs in one slot of a table do not compile (-Woverride-init); slot 0,
 * where MSR 0 lands, names an MSR that does not (VIRTUAL_MSR_NONE). An MSR that collides with
 * a plain one needs another odd multiplier: any that leaves every MSR alone in its slot.
 */
#define VIRTUAL_MSR_SLOT_BITS 5
#define VIRTUAL_MSR_SLOTS (1u << VIRTUAL_MSR_SLOT_BITS)
#define VIRTUAL_MSR_SLOT(msr) ((uint32_t)((uint32_t)(msr) * 0x6351b217u) >> (32 - VIRTUAL_MSR_SLOT_BITS))
#define VIRTUAL_MSR_NONE 1u /* an MSR vexit does not have, whose slot is not 0 */

struct virtual_msr_slot {
	uint32_t msr;    /* the MSR whose slot this is (0 in an unused slot, which MSR 0 never reaches) */
	uint32_t offset; /* its field in struct virtual_msrs */
};

/* Indexed by VIRTUAL_MSR_SLOT: the plain reads; the plain writes, and the largest value each takes. */
extern const struct virtual_msr_slot virtual_msr_plain_reads[VIRTUAL_MSR_SLOTS];
extern const struct virtual_msr_slot virtual_msr_plain_writes[VIRTUAL_MSR_SLOTS];
extern const uint64_t virtual_msr_plain_max[VIRTUAL_MSR_SLOTS];

/* The field of msr when its RDMSR is a plain load; NULL: virtual_msr_read decides. */
static inline const uint64_t *virtual_msr_plain_read(const struct virtual_msrs *m, uint32_t msr)
{
	const struct virtual_msr_slot *s = &virtual_msr_plain_reads[VIRTUAL_MSR_SLOT(msr)];
	if (s->msr != msr)
		return NULL;
	return (const uint64_t *)(const void *)((const uint8_t *)m + s->offset);
}

/*
 * WRMSR of msr when it is a plain store of a value without reserved bits: true when done.
 * false changes nothing: virtual_msr_write decides (the #GP of a reserved bit included).
 */
static inline bool virtual_msr_plain_write(struct virtual_msrs *m, uint32_t msr, uint64_t value)
{
	uint32_t i = VIRTUAL_MSR_SLOT(msr);
	const struct virtual_msr_slot *s = &virtual_msr_plain_writes[i];
	if (s->msr != msr || value > virtual_msr_plain_max[i])
		return false;
	*(uint64_t *)(void *)((uint8_t *)m + s->offset) = value;
	return true;
}

/*
 * Power-on values (SDM Vol. 3A table 10-1) for a guest already in IA-32e mode; the TSC
 * offset is the VMCS setup's (the guest's TSC starts at 0 at its first entry).
 */
void virtual_msrs_reset(struct virtual_msrs *m, bool nx, unsigned phys_addr_bits, bool has_tsc_adjust);
/* Whether CPUID.80000001H:EDX.NX is shown and EFER.NXE may be set: the CPU has NX and MISC_ENABLE does not disable it. */
bool virtual_msr_nx(const struct virtual_msrs *m);
/* false means #GP. */
bool virtual_msr_read(const struct virtual_msrs *m, uint32_t msr, uint64_t *value);
bool virtual_msr_write(struct virtual_msrs *m, uint32_t msr, uint64_t value);

#endif
