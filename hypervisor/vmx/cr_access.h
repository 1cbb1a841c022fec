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

#define CR0_PE (1ull << 0)
#define CR0_MP (1ull << 1)
#define CR0_EM (1ull << 2)
#define CR0_TS (1ull << 3)
#define CR0_ET (1ull << 4)
#define CR0_NE (1ull << 5)
#define CR0_WP (1ull << 16)
#define CR0_AM (1ull << 18)
#define CR0_NW (1ull << 29)
#define CR0_CD (1ull << 30)
#define CR0_PG (1ull << 31)
#define CR0_DEFINED (CR0_PE | CR0_MP | CR0_EM | CR0_TS | CR0_ET | CR0_NE | CR0_WP | CR0_AM | CR0_NW | CR0_CD | CR0_PG)

#define CR4_VME (1ull << 0)
#define CR4_PVI (1ull << 1)
#define CR4_TSD (1ull << 2)
#define CR4_DE (1ull << 3)
#define CR4_PSE (1ull << 4)
#define CR4_PAE (1ull << 5)
#define CR4_MCE (1ull << 6)
#define CR4_PGE (1ull << 7)
#define CR4_PCE (1ull << 8)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CR4_UMIP (1ull << 11)
#define CR4_VMXE (1ull << 13)
#define CR4_FSGSBASE (1ull << 16)
#define CR4_OSXSAVE (1ull << 18)
#define CR4_SMEP (1ull << 20)
#define CR4_SMAP (1ull << 21)
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
