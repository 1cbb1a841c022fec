/*
 * The VMX instructions, one out-of-line function each (hw/vmx_insn.c; the host
 * build links stand-ins). VMX instructions report failure in RFLAGS (SDM Vol. 3C
 * 31.2): CF=1 is VMfailInvalid, ZF=1 is VMfailValid (the error number is then in
 * the VM-instruction error field).
 */
#ifndef VEXIT_HW_VMX_INSN_H
#define VEXIT_HW_VMX_INSN_H

#include <stdbool.h>
#include <stdint.h>

enum vmx_result { VMX_OK = 0, VMX_FAIL_INVALID = 1, VMX_FAIL_VALID = 2 };

enum vmx_result vmxon(uint64_t pa);
enum vmx_result vmclear(uint64_t pa);
enum vmx_result vmptrld(uint64_t pa);
enum vmx_result vmxoff(void);
/* VMPTRST (SDM 31.3): the current-VMCS pointer, VMCS_NONE when there is none. */
#define VMCS_NONE (~0ull)
uint64_t vmptrst(void);
/* INVEPT (SDM Vol. 3C 31.3): type 1 invalidates one EPTP's mappings, type 2 all of them. */
enum vmx_result invept(uint64_t type, uint64_t eptp);
enum vmx_result vmread_checked(uint64_t field, uint64_t *value);
enum vmx_result vmwrite_checked(uint64_t field, uint64_t value);

/*
 * Executes one VMREAD that must raise #UD because the CPU is not in VMX operation
 * (SDM 31.3, VMREAD: "IF (not in VMX operation) ... THEN #UD"): hw/isr.S resumes
 * past it instead of reporting the fault. Returns whether it faulted: the proof
 * that VMXOFF took effect.
 */
bool vmread_raises_ud(void);

#endif
