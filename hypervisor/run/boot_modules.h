/*
 * Boot modules of external kernels among the multiboot2 modules vexit was
 * booted with. Every module is a guest, named by its string's first word,
 * except one whose string begins with BOOT_MODULE_MARK: `+NAME STRING` is a
 * module that guest NAME's boot loader (vexit) hands it, with STRING as the
 * module's own string (docs/external-kernels.md, "Boot modules"). '+' is no
 * character of a guest name (include/vexit_abi.h), so the two never mix.
 */
#ifndef VEXIT_BOOT_MODULES_H
#define VEXIT_BOOT_MODULES_H

#include <stdbool.h>
#include <stddef.h>

#include "kernel/multiboot2.h"
#include "vm/multiboot_info.h"

#define BOOT_MODULE_MARK '+'

/* Is this module a boot module (of some guest) rather than a guest? */
bool boot_module_is_attached(const struct mb2_module *m);
/*
 * Guest `name`'s boot modules among all[0..n), in boot order: how many there
 * are; out[] holds the first `max` of them (their bytes, and their strings:
 * what follows `+NAME` and its spaces).
 */
unsigned boot_modules_of(const struct mb2_module *all, size_t n, const char *name, struct mb1_module *out,
			 unsigned max);
/* The first boot module whose NAME is no guest's among all[0..n), or NULL. */
const struct mb2_module *boot_module_orphan(const struct mb2_module *all, size_t n);

#endif
