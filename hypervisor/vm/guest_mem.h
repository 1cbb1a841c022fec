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

/*
 * Translate a linear address with the guest's 4-level page tables at cr3
 * (IA-32e paging, SDM Vol. 3A 4.5), honouring 1 GiB and 2 MiB pages. Returns
 * false on a non-present entry or a table outside guest memory.
 */
bool guest_linear_to_phys(const struct vm *vm, uint64_t cr3, uint64_t la, uint64_t *gpa);

#endif
