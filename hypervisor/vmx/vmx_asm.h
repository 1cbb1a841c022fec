/*
 * The VMX instructions, one thin wrapper each. VMX instructions report failure
 * in RFLAGS (SDM 31.2): CF=1 is VMfailInvalid, ZF=1 is VMfailValid (the error
 * number is then in the VM-instruction error field).
 */
#ifndef VEXIT_VMX_ASM_H
#define VEXIT_VMX_ASM_H

#include <stdint.h>

enum vmx_result { VMX_OK = 0, VMX_FAIL_INVALID = 1, VMX_FAIL_VALID = 2 };

#define VMX_RESULT_FROM_FLAGS(cf, zf) ((cf) ? VMX_FAIL_INVALID : (zf) ? VMX_FAIL_VALID : VMX_OK)

#define DEFINE_VMX_PA_INSN(name, insn)                                                           \
	static inline enum vmx_result name(uint64_t pa)                                          \
	{                                                                                        \
		uint8_t cf, zf;                                                                  \
		__asm__ volatile(insn " %2" : "=@ccc"(cf), "=@ccz"(zf) : "m"(pa) : "memory", "cc"); \
		return VMX_RESULT_FROM_FLAGS(cf, zf);                                            \
	}
DEFINE_VMX_PA_INSN(vmxon, "vmxon")
DEFINE_VMX_PA_INSN(vmclear, "vmclear")
DEFINE_VMX_PA_INSN(vmptrld, "vmptrld")
#undef DEFINE_VMX_PA_INSN

static inline enum vmx_result vmxoff(void)
{
	uint8_t cf, zf;
	__asm__ volatile("vmxoff" : "=@ccc"(cf), "=@ccz"(zf) : : "memory", "cc");
	return VMX_RESULT_FROM_FLAGS(cf, zf);
}

/* INVEPT (SDM Vol. 3C 31.3): type 1 invalidates one EPTP's mappings, type 2 all of them. */
static inline enum vmx_result invept(uint64_t type, uint64_t eptp)
{
	struct {
		uint64_t eptp, reserved;
	} desc = { eptp, 0 };
	uint8_t cf, zf;
	__asm__ volatile("invept %2, %3" : "=@ccc"(cf), "=@ccz"(zf) : "m"(desc), "r"(type) : "memory", "cc");
	return VMX_RESULT_FROM_FLAGS(cf, zf);
}

static inline enum vmx_result vmread_checked(uint64_t field, uint64_t *value)
{
	uint8_t cf, zf;
	__asm__ volatile("vmread %3, %0" : "=rm"(*value), "=@ccc"(cf), "=@ccz"(zf) : "r"(field) : "cc");
	return VMX_RESULT_FROM_FLAGS(cf, zf);
}

static inline enum vmx_result vmwrite_checked(uint64_t field, uint64_t value)
{
	uint8_t cf, zf;
	__asm__ volatile("vmwrite %3, %2" : "=@ccc"(cf), "=@ccz"(zf) : "r"(field), "rm"(value) : "cc");
	return VMX_RESULT_FROM_FLAGS(cf, zf);
}

#endif
