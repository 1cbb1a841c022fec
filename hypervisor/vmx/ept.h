/* Extended page tables mapping a VM's guest-physical memory to its host pages (SDM 29.3). */
#ifndef VEXIT_EPT_H
#define VEXIT_EPT_H

#include <stdint.h>

struct vm;

/* Build the four-level EPT for vm->mem_pages; returns the EPTP, or 0 when out of memory. */
uint64_t ept_build(struct vm *vm);
void ept_free(struct vm *vm);

#endif
