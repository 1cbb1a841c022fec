/* Running one guest module in a VM of its own: build, run, report, tear down. */
#ifndef VEXIT_VM_RUN_H
#define VEXIT_VM_RUN_H

#include <stdint.h>

#include "vm/vm_build.h"

/* Prints the guest's protocol lines from guest-begin to guest-end. */
void vm_run_module(const struct vm_config *cfg, const char *name, const uint8_t *image, uint64_t size);

#endif
