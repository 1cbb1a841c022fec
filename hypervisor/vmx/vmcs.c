#include "vmcs.h"

#include "panic.h"
#include "vmx_asm.h"

uint64_t vmcs_read(uint32_t field)
{
	uint64_t v = 0;
	enum vmx_result r = vmread_checked(field, &v);
	if (r != VMX_OK) {
		uint64_t err = 0;
		vmread_checked(VMCS_VM_INSTRUCTION_ERROR, &err);
		panic("VMREAD of field 0x%x failed (result %d, VM-instruction error %lu)", field, r, err);
	}
	return v;
}

void vmcs_write(uint32_t field, uint64_t value)
{
	enum vmx_result r = vmwrite_checked(field, value);
	if (r != VMX_OK) {
		uint64_t err = 0;
		vmread_checked(VMCS_VM_INSTRUCTION_ERROR, &err);
		panic("VMWRITE of 0x%lx to field 0x%x failed (result %d, VM-instruction error %lu)", value, field, r,
		      err);
	}
}
