/* Extended page tables mapping a VM's guest-physical memory to its host pages (SDM 29.3). */
#ifndef VEXIT_EPT_H
#define VEXIT_EPT_H

#include <stdint.h>

struct vm;

/* Build the four-level EPT for vm->mem_pages; returns the EPTP, or 0 when out of memory. */
uint64_t ept_build(struct vm *vm);
void ept_free(struct vm *vm);
/*
 * Drop any cached mappings tagged with eptp before a VM first uses it: its tables
 * may sit in pages an earlier VM's EPT used, and guest-physical mappings survive
 * VM exits and entries until INVEPT (SDM Vol. 3C 29.4.3.1). Panics if INVEPT fails.
 */
void ept_invalidate(const struct vm *vm, uint64_t eptp);

#endif
