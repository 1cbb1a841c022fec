/* VMCS field access for the current VMCS; a failed access is a hypervisor bug and panics. */
#ifndef VEXIT_VMCS_H
#define VEXIT_VMCS_H

#include <stdint.h>

#include "vmcs_fields.h"

uint64_t vmcs_read(uint32_t field);
void vmcs_write(uint32_t field, uint64_t value);

#endif
