/* Extended page tables mapping a VM's guest-physical memory to its host pages (SDM 29.3). */
#ifndef VEXIT_EPT_H
#define VEXIT_EPT_H

#include <stdbool.h>
#include <stdint.h>

struct vmx_caps;

/* A four-level EPT; its tables are found again from the PML4 when it is freed. */
struct ept {
	uint64_t pml4;
};

/* Guest pages one PML4 entry covers (512 GiB): the most ept_build maps. */
#define EPT_MAX_PAGES (512ull * 512 * 512)
#define EPT_PAGES_PER_LARGE 512ull /* 4 KiB pages in one 2 MiB page */

/*
 * Map guest page i to host page pages[i] for i < n, write-back, RWX. With
 * large_pages, every 2 MiB of guest memory whose host pages are one 2 MiB-aligned
 * run is one 2 MiB leaf (SDM 29.3.2, table 29-4); the rest gets 4 KiB leaves.
 * Guest memory past n is not mapped: an access there is an EPT violation.
 * Returns the EPTP (SDM 25.6.11), or 0 when out of memory or n is too large
 * (what was allocated stays in *e for ept_free).
 */
uint64_t ept_build(struct ept *e, const uint64_t *pages, uint64_t n, bool large_pages);
/* Map the 4 KiB guest page at gpa (outside what ept_build mapped) to host page hpa, RW; false when out of memory. */
bool ept_map_page(struct ept *e, uint64_t gpa, uint64_t hpa);
/* Map the 4 KiB guest page at gpa back to its guest memory page hpa, as ept_build maps memory (RWX); false as above. */
bool ept_map_memory_page(struct ept *e, uint64_t gpa, uint64_t hpa);
/* Unmap the 4 KiB guest page at gpa that ept_map_page mapped: accesses to it become EPT violations (INVEPT after). */
bool ept_unmap_page(struct ept *e, uint64_t gpa);
/* Free every table page of *e. */
void ept_free(struct ept *e);
/* The CPU can map 2 MiB pages with EPT (IA32_VMX_EPT_VPID_CAP bit 16, SDM A.10). */
bool ept_has_large_pages(const struct vmx_caps *caps);
/*
 * Drop any cached mappings tagged with eptp before a VM first uses it: its tables
 * may sit in pages an earlier VM's EPT used, and guest-physical mappings survive
 * VM exits and entries until INVEPT (SDM Vol. 3C 29.4.3.1). False if INVEPT failed.
 */
bool ept_invalidate(const struct vmx_caps *caps, uint64_t eptp);

#endif
