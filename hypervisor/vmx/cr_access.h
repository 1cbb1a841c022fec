/*
 * Control-register accesses: decoding the exit qualification (SDM 28.2.1,
 * table 28-3) and the architectural rules for the values a guest may load
 * (SDM Vol. 3A 2.5 and Vol. 2 MOV CR), over plain values so the host build
 * tests them. The exit handler (exit_cr.c) does the VMCS reads and writes.
 */
#ifndef VEXIT_CR_ACCESS_H
#define VEXIT_CR_ACCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "include/x86_arch.h"


/* The CR4 bits a vexit guest may own, when the CPU has them (VMXE is the hypervisor's, and hidden). */
#define CR4_GUEST_ALLOWED (CR4_VME | CR4_PVI | CR4_TSD | CR4_DE | CR4_PSE | CR4_PAE | CR4_MCE | CR4_PGE | \
			   CR4_PCE | CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_UMIP | CR4_FSGSBASE | CR4_OSXSAVE |  \
			   CR4_SMEP | CR4_SMAP)

enum cr_access_type { CR_MOV_TO = 0, CR_MOV_FROM = 1, CR_CLTS = 2, CR_LMSW = 3 };

struct cr_access {
	unsigned cr;              /* 0, 3, 4 or 8 */
	enum cr_access_type type;
	unsigned gpr;             /* MOV: the general-purpose register, by encoding (0 = RAX, 4 = RSP) */
	bool lmsw_memory;         /* LMSW: the operand was in memory */
	uint16_t lmsw_source;     /* LMSW: the source data */
};

/* Returns false for a control register the SDM does not allow here. */
bool cr_access_decode(uint64_t qualification, struct cr_access *out);

/*
 * The CR0 a guest in IA-32e mode may load (SDM Vol. 2 MOV CR; Vol. 3A 2.5):
 * #GP for bits 63:32, PG without PE, NW without CD, clearing PG in IA-32e
 * mode. Reserved bits 31:0 are ignored (they read back 0); ET reads as 1.
 * Returns false when the write must raise #GP; else *shadow is the guest's view.
 */
bool cr0_guest_write(uint64_t value, bool long_mode, uint64_t *shadow);
/*
 * The mode switch a CR0 write makes (SDM Vol. 3A 10.8.5): setting PG with
 * EFER.LME activates IA-32e mode (EFER.LMA set), which needs CR4.PAE and a CS
 * without L; clearing PG outside 64-bit mode deactivates it (LMA clear).
 * Returns false when the write must raise #GP; else *efer is EFER after it.
 */
bool cr0_paging_switch(uint64_t old_cr0, uint64_t new_cr0, uint64_t cr4, bool cs_l, uint64_t *efer);
/* Paging is PAE paging outside IA-32e mode, whose PDPTEs VM entry loads from the VMCS (SDM 27.3.2.4). */
bool cr_pae_legacy_paging(uint64_t cr0, uint64_t cr4, uint64_t efer);
/* A PDPTE that is present with reserved bits set (2:1, 8:5, above the physical-address width): MOV CR #GPs. */
bool cr_pdpte_ok(uint64_t pdpte, unsigned phys_addr_bits);
/* CR0 after LMSW: it loads PE, MP, EM and TS, and cannot clear PE (SDM Vol. 2 LMSW). */
uint64_t cr0_after_lmsw(uint64_t old, uint16_t source);
/*
 * The CR4 a guest may load: only bits in `supported` (CR4_GUEST_ALLOWED and
 * what the CPU offers), and PAE stays set in IA-32e mode. false: #GP.
 */
bool cr4_guest_write(uint64_t value, bool long_mode, uint64_t supported);
/* The real CR0/CR4 for a guest view: the VMX fixed bits applied (SDM A.7, A.8), CR4.VMXE set. */
uint64_t cr0_real(uint64_t shadow, uint64_t fixed0, uint64_t fixed1);
uint64_t cr4_real(uint64_t shadow, uint64_t fixed0, uint64_t fixed1);
/* CR3 bits above the physical-address width are reserved (no PCIDs): false means #GP. */
bool cr3_guest_write_ok(uint64_t value, unsigned phys_addr_bits);
/* CR8 holds a 4-bit task priority; bits 63:4 are reserved. */
bool cr8_guest_write_ok(uint64_t value);

#endif
