/*
 * The MSRs a vexit guest sees when RDMSR/WRMSR exit: a table of what the
 * hypervisor emulates, over a plain struct (the exit handler copies the
 * VMCS-backed ones in and out), so the host build tests every rule. Any other
 * MSR, a reserved bit or a bad value gets #GP; the host MSR is never written.
 */
#ifndef VEXIT_VIRTUAL_MSR_H
#define VEXIT_VIRTUAL_MSR_H

#include <stdbool.h>
#include <stdint.h>

#include "include/x86_arch.h"

#define APIC_BASE_BSP (1ull << 8)
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_BASE_DEFAULT (0xfee00000ull | APIC_BASE_ENABLE | APIC_BASE_BSP)
#define PAT_POWER_ON 0x0007040600070406ull

struct virtual_msrs {
	/* Backed by the VMCS guest-state area (the handler syncs them). */
	uint64_t efer, sysenter_cs, sysenter_esp, sysenter_eip, fs_base, gs_base;
	/* Loaded into the CPU while the VM runs (vm/guest_cpu_state.h): SYSCALL, SYSRET and SWAPGS use them. */
	uint64_t star, lstar, cstar, fmask, kernel_gs_base;
	/* Held here only. */
	uint64_t pat, apic_base, tsc_aux, hv_scratch;
	/* Facts the rules need. */
	uint64_t exits;           /* this VM's exits so far, for VEXIT_MSR_EXITS */
	bool paging;              /* guest CR0.PG: EFER.LME cannot change while it is set */
	bool nx;                  /* CPUID.80000001H:EDX.NX: EFER.NXE may be set */
	unsigned phys_addr_bits;  /* CPUID.80000008H:EAX[7:0] */
	bool apic_base_fixed;     /* the VM has a local APIC, whose page EPT maps at the base: a move is #GP */
};

/* Power-on values (SDM Vol. 3A table 10-1) for a guest already in IA-32e mode. */
void virtual_msrs_reset(struct virtual_msrs *m, bool nx, unsigned phys_addr_bits);
/* false means #GP. */
bool virtual_msr_read(const struct virtual_msrs *m, uint32_t msr, uint64_t *value);
bool virtual_msr_write(struct virtual_msrs *m, uint32_t msr, uint64_t value);

#endif
