/*
 * A kernel a loader puts away from its link address: a copy of the kernel ELF64
 * whose PT_LOAD segments have physical addresses `by` bytes higher (a multiboot2
 * loader loads an ELF at its physical addresses). check_boot_panics boots it in
 * Bochs, check_qemu in QEMU: boot/entry.S must name the panic and power off.
 */
#ifndef VEXIT_TESTS_MOVED_KERNEL_H
#define VEXIT_TESTS_MOVED_KERNEL_H

#include <stdint.h>

/* The copy, written as DIR/moved.elf: its path (static storage), or NULL with a line on stderr. */
const char *moved_kernel(const char *kernel, uint64_t by, const char *dir);

#endif
