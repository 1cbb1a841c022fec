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

/*
 * The exit path's own accesses, unchecked: a field every VMX processor has (the exit
 * information, RIP, the interruptibility state, SS's access rights), while the VMCS
 * that just exited is current. SDM 31.3: VMREAD and VMWRITE fail only without a
 * current VMCS, on a field the processor does not support, or (VMWRITE) on a
 * read-only field; and SDM 28 leaves the current VMCS in place across an exit. So
 * neither can fail there, and the exit path skips the test each access would cost.
 */
#ifdef VEXIT_HOST
uint64_t vmcs_read(uint32_t field);
void vmcs_write(uint32_t field, uint64_t value);
static inline uint64_t vmcs_read_known(uint32_t field) { return vmcs_read(field); }
static inline void vmcs_write_known(uint32_t field, uint64_t value) { vmcs_write(field, value); }
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

static inline uint64_t vmcs_read_known(uint32_t field)
{
	uint64_t v;
	__asm__ volatile("vmread %1, %0" : "=r"(v) : "r"((uint64_t)field) : "cc");
	return v;
}

static inline void vmcs_write_known(uint32_t field, uint64_t value)
{
	__asm__ volatile("vmwrite %1, %0" : : "r"((uint64_t)field), "rm"(value) : "cc", "memory");
}
#endif

#endif
