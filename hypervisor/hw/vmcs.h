/*
 * Field access to the current VMCS: the seam between the exit path and the
 * hardware. In the kernel these are VMREAD/VMWRITE, inline because every exit
 * makes several; the host build (VEXIT_HOST) links a fake VMCS over a struct
 * vmcs_snapshot instead (harness/tests/fake_vmcs.c), so every handler above
 * runs under Check. A failed access is a hypervisor bug: vmcs_access_failed.
 */
#ifndef VEXIT_HW_VMCS_H
#define VEXIT_HW_VMCS_H

#include <stdint.h>

#include "include/vmcs_fields.h"

/* Defined by the kernel (main.c: it panics, naming the field and the VM-instruction error). */
__attribute__((noreturn, cold)) void vmcs_access_failed(const char *op, uint32_t field, uint64_t value);

#ifdef VEXIT_HOST
uint64_t vmcs_read(uint32_t field);
void vmcs_write(uint32_t field, uint64_t value);
#else
/* CF or ZF set: VMfailInvalid or VMfailValid (SDM Vol. 3C 31.2); "be" is CF|ZF. */
static inline uint64_t vmcs_read(uint32_t field)
{
	uint64_t v;
	uint8_t failed;
	__asm__ volatile("vmread %2, %0" : "=r"(v), "=@ccbe"(failed) : "r"((uint64_t)field) : "cc");
	if (__builtin_expect(failed, 0))
		vmcs_access_failed("VMREAD", field, 0);
	return v;
}

static inline void vmcs_write(uint32_t field, uint64_t value)
{
	uint8_t failed;
	__asm__ volatile("vmwrite %2, %1" : "=@ccbe"(failed) : "r"((uint64_t)field), "rm"(value) : "cc", "memory");
	if (__builtin_expect(failed, 0))
		vmcs_access_failed("VMWRITE", field, value);
}
#endif

#endif
