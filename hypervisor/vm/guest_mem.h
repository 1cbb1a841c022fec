/* A VM's guest-physical memory, and linear-to-physical translation through the guest's page tables. */
#ifndef VEXIT_GUEST_MEM_H
#define VEXIT_GUEST_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vm;

/* Copy between guest-physical memory and the host; false if any byte is outside guest memory. */
bool guest_mem_read(const struct vm *vm, uint64_t gpa, void *dst, size_t n);
bool guest_mem_write(struct vm *vm, uint64_t gpa, const void *src, size_t n);
bool guest_mem_fill(struct vm *vm, uint64_t gpa, uint8_t byte, size_t n);

/* The paging controls a translation obeys (SDM Vol. 3A 4.6), from the guest's CR0, CR3, CR4, EFER, RFLAGS and CPL. */
struct guest_paging {
	uint64_t cr3;
	bool wp;                 /* CR0.WP: supervisor writes obey read-only pages */
	bool smep, smap;         /* CR4.SMEP, CR4.SMAP */
	bool nxe;                /* EFER.NXE: bit 63 of an entry is XD; without it, a reserved bit */
	bool ac;                 /* RFLAGS.AC: SMAP lets explicit supervisor data accesses through */
	bool user;               /* CPL 3 */
	unsigned phys_addr_bits; /* MAXPHYADDR: address bits from it up to 51 are reserved */
};

/* What an access does, for guest_walk. */
#define GUEST_ACCESS_READ 0u
#define GUEST_ACCESS_WRITE 1u
#define GUEST_ACCESS_FETCH 2u

/* The page-fault error code (SDM Vol. 3A 4.7). */
#define PF_ERROR_P (1u << 0)    /* a protection or reserved-bit fault, not a non-present page */
#define PF_ERROR_W (1u << 1)    /* a write */
#define PF_ERROR_U (1u << 2)    /* from CPL 3 */
#define PF_ERROR_RSVD (1u << 3) /* a reserved bit set in an entry */
#define PF_ERROR_I (1u << 4)    /* an instruction fetch (with NXE or SMEP) */

enum guest_walk {
	GUEST_WALK_OK,
	GUEST_WALK_PAGE_FAULT, /* the CPU would raise #PF with *pf_error */
	GUEST_WALK_NO_MEMORY,  /* a paging structure lies outside guest memory (an EPT violation on hardware) */
};

/*
 * Translate linear address la for one access with the guest's 4-level page
 * tables (IA-32e paging, SDM Vol. 3A 4.5), 1 GiB and 2 MiB pages included, and
 * check it as the CPU does: present entries, reserved bits (address bits at or
 * above MAXPHYADDR, XD without EFER.NXE, PS in a PML4E, the low bits of a large
 * page's address), U/S and R/W of every level (CR0.WP for supervisor writes),
 * XD for fetches, SMEP and SMAP (4.6). On success sets the accessed flag of each
 * entry used and, for a write, the dirty flag of the page's entry (4.8), as the
 * CPU would. GUEST_WALK_NO_MEMORY leaves the entry's guest-physical address in *gpa.
 */
enum guest_walk guest_walk(struct vm *vm, const struct guest_paging *pg, uint64_t la, unsigned access, uint64_t *gpa,
			   uint32_t *pf_error);

#endif
