/* Extended page tables mapping a VM's guest-physical memory to its host pages (SDM 29.3). */
#ifndef VEXIT_EPT_H
#define VEXIT_EPT_H

#include <stdbool.h>
#include <stdint.h>

struct vmx_caps;

/* The host pages of one four-level EPT that maps at most 2 MiB (one page table). */
struct ept {
	uint64_t pml4, pdpt, pd, pt;
};

#define EPT_MAX_PAGES 512

/* Map guest page i to host page pages[i] (n <= EPT_MAX_PAGES), write-back, RWX; returns the EPTP, or 0
 * when out of memory (what was allocated stays in *e for ept_free). */
uint64_t ept_build(struct ept *e, const uint64_t *pages, uint64_t n);
void ept_free(struct ept *e);
/*
 * Drop any cached mappings tagged with eptp before a VM first uses it: its tables
 * may sit in pages an earlier VM's EPT used, and guest-physical mappings survive
 * VM exits and entries until INVEPT (SDM Vol. 3C 29.4.3.1). False if INVEPT failed.
 */
bool ept_invalidate(const struct vmx_caps *caps, uint64_t eptp);

#endif
