/* Running one guest module in a VM of its own: build, run, report, tear down. */
#ifndef VEXIT_VM_RUN_H
#define VEXIT_VM_RUN_H

#include <stdint.h>

#include "vm/vm_build.h"

/*
 * Run one module: a vexit test guest, or an external kernel when the image has
 * a multiboot header (vm/kernel_image.h), which gets the image's command line
 * (its name, then its arguments) and boot modules, and mem_size bytes of memory
 * (0: VM_MEM_EXTERNAL_DEFAULT; test guests always get GUEST_MEM_SIZE). Prints
 * the guest's protocol lines from guest-begin to guest-end.
 */
void vm_run_module(const struct vm_config *cfg, const char *name, const struct vm_image *img, uint64_t mem_size);

#endif
