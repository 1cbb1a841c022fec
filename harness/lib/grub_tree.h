/*
 * The tree of a GRUB ISO that boots external kernels (docs/external-kernels.md, "Through GRUB"):
 * vexit as GRUB's multiboot2 kernel with every kernel of a suite as a module, as the ISO
 * of vexit's own guests holds them, and, for `vexit-run --bare`, each kernel alone as
 * GRUB's multiboot (version 1) kernel, with no hypervisor underneath. make builds the ISO
 * from it with grub-mkrescue.
 *
 *   DIR/boot/vexit.elf      the hypervisor
 *   DIR/ext/<file>          each kernel, under its file's base name
 *   DIR/boot/grub/grub.cfg  sources the run's floppy (select.h) first: `vexit_select` picks
 *                           vexit's modules (tests=...), `vexit_bare` names the one kernel
 *                           to boot bare instead
 *
 * A module's string is the kernel's name then its arguments, as the direct boot gives
 * it; the kernels' memory and budgets ride on vexit's command line (mem.NAME= budget.NAME=).
 */
#ifndef VEXIT_HARNESS_GRUB_TREE_H
#define VEXIT_HARNESS_GRUB_TREE_H

#include <stdio.h>

#include "suite.h"

/*
 * Write grub.cfg for the suite's external kernels, booting `kernel_path` (the path inside the
 * ISO) with `kernel_args` first on its command line. 0, or -1 with err: an argument GRUB would
 * not pass through unchanged (a quote, a backslash, a '$'...), or two kernels of one base name.
 */
int grub_tree_cfg(FILE *f, const struct suite *s, const char *kernel_path, const char *kernel_args, char *err,
		  size_t errlen);
/* Write the whole tree into dir (created; files replaced). 0, or -1 with err. */
int grub_tree_write(const char *dir, const char *kernel, const char *kernel_args, const struct suite *s, char *err,
		    size_t errlen);

#endif
