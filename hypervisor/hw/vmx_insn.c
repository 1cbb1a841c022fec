/* The VMX instructions of hw/vmx_insn.h. */
#include "hw/vmx_insn.h"

#include "include/vmcs_fields.h"

/* Any field: the probe must fault before it reads one. */
#define VMCS_PROBE_FIELD VMCS_GUEST_RIP

#define VMX_RESULT_FROM_FLAGS(cf, zf) ((cf) ? VMX_FAIL_INVALID : (zf) ? VMX_FAIL_VALID : VMX_OK)

#define DEFINE_VMX_PA_INSN(name)                                                                 \
	enum vmx_result name(uint64_t pa)                                                        \
	{                                                                                        \
		uint8_t cf, zf;                                                                  \
		__asm__ volatile(#name " %2" : "=@ccc"(cf), "=@ccz"(zf) : "m"(pa) : "memory", "cc"); \
		return VMX_RESULT_FROM_FLAGS(cf, zf);                                            \
	}
DEFINE_VMX_PA_INSN(vmxon)
DEFINE_VMX_PA_INSN(vmclear)
DEFINE_VMX_PA_INSN(vmptrld)
#undef DEFINE_VMX_PA_INSN

enum vmx_result vmxoff(void)
{
	uint8_t cf, zf;
	__asm__ volatile("vmxoff" : "=@ccc"(cf), "=@ccz"(zf) : : "memory", "cc");
	return VMX_RESULT_FROM_FLAGS(cf, zf);
}

uint64_t vmptrst(void)
{
	uint64_t pa;
	__asm__ volatile("vmptrst %0" : "=m"(pa) : : "memory");
	return pa;
}

/* Never inlined nor cloned: isr.S knows the two labels, which must exist once. */
__attribute__((noinline, noclone)) bool vmread_raises_ud(void)
{
	uint64_t faulted = 0, value, field = VMCS_PROBE_FIELD;
	__asm__ volatile(".globl vmread_probe, vmread_probe_resume\n"
			 "vmread_probe: vmread %2, %1\n"
			 "vmread_probe_resume:"
			 : "+a"(faulted), "=r"(value)
			 : "r"(field)
			 : "cc", "memory");
	(void)value;
	return faulted != 0;
}

enum vmx_result invept(uint64_t type, uint64_t eptp)
{
	struct {
		uint64_t eptp, reserved;
	} desc = { eptp, 0 };
	uint8_t cf, zf;
	__asm__ volatile("invept %2, %3" : "=@ccc"(cf), "=@ccz"(zf) : "m"(desc), "r"(type) : "memory", "cc");
	return VMX_RESULT_FROM_FLAGS(cf, zf);
}

enum vmx_result vmread_checked(uint64_t field, uint64_t *value)
{
	uint8_t cf, zf;
	__asm__ volatile("vmread %3, %0" : "=rm"(*value), "=@ccc"(cf), "=@ccz"(zf) : "r"(field) : "cc");
	return VMX_RESULT_FROM_FLAGS(cf, zf);
}

enum vmx_result vmwrite_checked(uint64_t field, uint64_t value)
{
	uint8_t cf, zf;
	__asm__ volatile("vmwrite %3, %2" : "=@ccc"(cf), "=@ccz"(zf) : "r"(field), "rm"(value) : "cc");
	return VMX_RESULT_FROM_FLAGS(cf, zf);
}
