/*
 * A plain copy of the VMCS fields the entry checker and the dump look at, so
 * both are pure C the host build tests. One table (VMCS_SNAPSHOT_FIELDS) gives
 * each field its member name, SDM encoding (Vol. 3D appendix B), SDM name and
 * how the dump decodes it; vmcs_snapshot_read.c fills the struct with VMREAD.
 */
#ifndef VEXIT_VMCS_SNAPSHOT_H
#define VEXIT_VMCS_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>

#include "include/vmcs_fields.h"

/* How the dump shows a field's value. */
enum vmcs_decode {
	DEC_HEX,   /* the number */
	DEC_PIN,   /* pin-based controls, by flag name */
	DEC_PROC,  /* primary processor-based controls */
	DEC_PROC2, /* secondary processor-based controls */
	DEC_EXIT,  /* VM-exit controls */
	DEC_ENTRY, /* VM-entry controls */
	DEC_AR,    /* segment access rights (SDM 25.4.1 table 25-2) */
	DEC_CR0,
	DEC_CR4,
	DEC_EFER,
	DEC_RFLAGS,
	DEC_EXIT_REASON,
	DEC_ACTIVITY,
};

/* X(member, encoding, "SDM name", decode); the encodings are include/vmcs_fields.h's. */
#define VMCS_SNAPSHOT_FIELDS(X)                                                                      \
	/* VM-execution, exit and entry controls (SDM 25.6-25.8) */                                     \
	X(pin, VMCS_PIN_BASED_CONTROLS, "PIN_BASED_VM_EXEC_CONTROL", DEC_PIN)                           \
	X(proc, VMCS_PROC_BASED_CONTROLS, "CPU_BASED_VM_EXEC_CONTROL", DEC_PROC)                        \
	X(proc2, VMCS_PROC_BASED_CONTROLS2, "SECONDARY_VM_EXEC_CONTROL", DEC_PROC2)                     \
	X(exit_ctls, VMCS_EXIT_CONTROLS, "VM_EXIT_CONTROLS", DEC_EXIT)                                  \
	X(entry_ctls, VMCS_ENTRY_CONTROLS, "VM_ENTRY_CONTROLS", DEC_ENTRY)                              \
	X(exception_bitmap, VMCS_EXCEPTION_BITMAP, "EXCEPTION_BITMAP", DEC_HEX)                         \
	X(cr3_target_count, VMCS_CR3_TARGET_COUNT, "CR3_TARGET_COUNT", DEC_HEX)                         \
	X(io_bitmap_a, VMCS_IO_BITMAP_A, "IO_BITMAP_A", DEC_HEX)                                        \
	X(io_bitmap_b, VMCS_IO_BITMAP_B, "IO_BITMAP_B", DEC_HEX)                                        \
	X(msr_bitmap, VMCS_MSR_BITMAP, "MSR_BITMAP", DEC_HEX)                                           \
	X(eptp, VMCS_EPT_POINTER, "EPT_POINTER", DEC_HEX)                                               \
	X(tsc_offset, VMCS_TSC_OFFSET, "TSC_OFFSET", DEC_HEX)                                           \
	X(tsc_multiplier, VMCS_TSC_MULTIPLIER, "TSC_MULTIPLIER", DEC_HEX)                               \
	X(virtual_apic_addr, VMCS_VIRTUAL_APIC_ADDR, "VIRTUAL_APIC_PAGE_ADDR", DEC_HEX)                 \
	X(apic_access, VMCS_APIC_ACCESS_ADDRESS, "APIC_ACCESS_ADDR", DEC_HEX)                          \
	X(tpr_threshold, VMCS_TPR_THRESHOLD, "TPR_THRESHOLD", DEC_HEX)                                  \
	X(vpid, VMCS_VPID, "VIRTUAL_PROCESSOR_ID", DEC_HEX)                                             \
	X(preemption_timer, VMCS_PREEMPTION_TIMER_VALUE, "VMX_PREEMPTION_TIMER_VALUE", DEC_HEX)         \
	X(cr0_mask, VMCS_CR0_GUEST_HOST_MASK, "CR0_GUEST_HOST_MASK", DEC_HEX)                           \
	X(cr4_mask, VMCS_CR4_GUEST_HOST_MASK, "CR4_GUEST_HOST_MASK", DEC_HEX)                           \
	X(cr0_shadow, VMCS_CR0_READ_SHADOW, "CR0_READ_SHADOW", DEC_CR0)                                 \
	X(cr4_shadow, VMCS_CR4_READ_SHADOW, "CR4_READ_SHADOW", DEC_CR4)                                 \
	X(exit_msr_store_count, VMCS_EXIT_MSR_STORE_COUNT, "VM_EXIT_MSR_STORE_COUNT", DEC_HEX)          \
	X(exit_msr_load_count, VMCS_EXIT_MSR_LOAD_COUNT, "VM_EXIT_MSR_LOAD_COUNT", DEC_HEX)             \
	X(exit_msr_store_addr, VMCS_EXIT_MSR_STORE_ADDR, "VM_EXIT_MSR_STORE_ADDR", DEC_HEX)             \
	X(exit_msr_load_addr, VMCS_EXIT_MSR_LOAD_ADDR, "VM_EXIT_MSR_LOAD_ADDR", DEC_HEX)                \
	X(entry_msr_load_count, VMCS_ENTRY_MSR_LOAD_COUNT, "VM_ENTRY_MSR_LOAD_COUNT", DEC_HEX)          \
	X(entry_msr_load_addr, VMCS_ENTRY_MSR_LOAD_ADDR, "VM_ENTRY_MSR_LOAD_ADDR", DEC_HEX)             \
	X(entry_intr_info, VMCS_ENTRY_INTR_INFO, "VM_ENTRY_INTR_INFO_FIELD", DEC_HEX)                   \
	X(entry_exception_error, VMCS_ENTRY_EXCEPTION_ERROR_CODE, "VM_ENTRY_EXCEPTION_ERROR_CODE", DEC_HEX) \
	X(entry_instruction_length, VMCS_ENTRY_INSTRUCTION_LENGTH, "VM_ENTRY_INSTRUCTION_LEN", DEC_HEX) \
	/* Read-only exit information (SDM 25.9) */                                                     \
	X(instruction_error, VMCS_VM_INSTRUCTION_ERROR, "VM_INSTRUCTION_ERROR", DEC_HEX)                \
	X(exit_reason, VMCS_EXIT_REASON, "VM_EXIT_REASON", DEC_EXIT_REASON)                             \
	X(exit_qualification, VMCS_EXIT_QUALIFICATION, "EXIT_QUALIFICATION", DEC_HEX)                   \
	X(exit_intr_info, VMCS_EXIT_INTR_INFO, "VM_EXIT_INTR_INFO", DEC_HEX)                            \
	X(idt_vectoring_info, VMCS_IDT_VECTORING_INFO, "IDT_VECTORING_INFO_FIELD", DEC_HEX)             \
	X(idt_vectoring_error, VMCS_IDT_VECTORING_ERROR_CODE, "IDT_VECTORING_ERROR_CODE", DEC_HEX)      \
	X(exit_instruction_length, VMCS_EXIT_INSTRUCTION_LENGTH, "VM_EXIT_INSTRUCTION_LEN", DEC_HEX)    \
	X(exit_instruction_info, VMCS_EXIT_INSTRUCTION_INFO, "VMX_INSTRUCTION_INFO", DEC_HEX)           \
	X(guest_physical_address, VMCS_GUEST_PHYSICAL_ADDRESS, "GUEST_PHYSICAL_ADDRESS", DEC_HEX)       \
	/* Host state (SDM 25.5) */                                                                     \
	X(host_cr0, VMCS_HOST_CR0, "HOST_CR0", DEC_CR0)                                                 \
	X(host_cr3, VMCS_HOST_CR3, "HOST_CR3", DEC_HEX)                                                 \
	X(host_cr4, VMCS_HOST_CR4, "HOST_CR4", DEC_CR4)                                                 \
	X(host_es_sel, VMCS_HOST_ES_SELECTOR, "HOST_ES_SELECTOR", DEC_HEX)                              \
	X(host_cs_sel, VMCS_HOST_CS_SELECTOR, "HOST_CS_SELECTOR", DEC_HEX)                              \
	X(host_ss_sel, VMCS_HOST_SS_SELECTOR, "HOST_SS_SELECTOR", DEC_HEX)                              \
	X(host_ds_sel, VMCS_HOST_DS_SELECTOR, "HOST_DS_SELECTOR", DEC_HEX)                              \
	X(host_fs_sel, VMCS_HOST_FS_SELECTOR, "HOST_FS_SELECTOR", DEC_HEX)                              \
	X(host_gs_sel, VMCS_HOST_GS_SELECTOR, "HOST_GS_SELECTOR", DEC_HEX)                              \
	X(host_tr_sel, VMCS_HOST_TR_SELECTOR, "HOST_TR_SELECTOR", DEC_HEX)                              \
	X(host_fs_base, VMCS_HOST_FS_BASE, "HOST_FS_BASE", DEC_HEX)                                     \
	X(host_gs_base, VMCS_HOST_GS_BASE, "HOST_GS_BASE", DEC_HEX)                                     \
	X(host_tr_base, VMCS_HOST_TR_BASE, "HOST_TR_BASE", DEC_HEX)                                     \
	X(host_gdtr_base, VMCS_HOST_GDTR_BASE, "HOST_GDTR_BASE", DEC_HEX)                               \
	X(host_idtr_base, VMCS_HOST_IDTR_BASE, "HOST_IDTR_BASE", DEC_HEX)                               \
	X(host_sysenter_cs, VMCS_HOST_IA32_SYSENTER_CS, "HOST_IA32_SYSENTER_CS", DEC_HEX)               \
	X(host_sysenter_esp, VMCS_HOST_IA32_SYSENTER_ESP, "HOST_IA32_SYSENTER_ESP", DEC_HEX)            \
	X(host_sysenter_eip, VMCS_HOST_IA32_SYSENTER_EIP, "HOST_IA32_SYSENTER_EIP", DEC_HEX)            \
	X(host_efer, VMCS_HOST_IA32_EFER, "HOST_IA32_EFER", DEC_EFER)                                   \
	X(host_pat, VMCS_HOST_IA32_PAT, "HOST_IA32_PAT", DEC_HEX)                                       \
	X(host_rsp, VMCS_HOST_RSP, "HOST_RSP", DEC_HEX)                                                 \
	X(host_rip, VMCS_HOST_RIP, "HOST_RIP", DEC_HEX)                                                 \
	/* Guest state (SDM 25.4) */                                                                    \
	X(guest_cr0, VMCS_GUEST_CR0, "GUEST_CR0", DEC_CR0)                                              \
	X(guest_cr3, VMCS_GUEST_CR3, "GUEST_CR3", DEC_HEX)                                              \
	X(guest_cr4, VMCS_GUEST_CR4, "GUEST_CR4", DEC_CR4)                                              \
	X(guest_dr7, VMCS_GUEST_DR7, "GUEST_DR7", DEC_HEX)                                              \
	X(guest_rsp, VMCS_GUEST_RSP, "GUEST_RSP", DEC_HEX)                                              \
	X(guest_rip, VMCS_GUEST_RIP, "GUEST_RIP", DEC_HEX)                                              \
	X(guest_rflags, VMCS_GUEST_RFLAGS, "GUEST_RFLAGS", DEC_RFLAGS)                                  \
	X(guest_es_sel, VMCS_GUEST_ES_SELECTOR, "GUEST_ES_SELECTOR", DEC_HEX)                           \
	X(guest_es_base, VMCS_GUEST_ES_BASE, "GUEST_ES_BASE", DEC_HEX)                                  \
	X(guest_es_limit, VMCS_GUEST_ES_LIMIT, "GUEST_ES_LIMIT", DEC_HEX)                               \
	X(guest_es_ar, VMCS_GUEST_ES_ACCESS_RIGHTS, "GUEST_ES_AR_BYTES", DEC_AR)                        \
	X(guest_cs_sel, VMCS_GUEST_CS_SELECTOR, "GUEST_CS_SELECTOR", DEC_HEX)                           \
	X(guest_cs_base, VMCS_GUEST_CS_BASE, "GUEST_CS_BASE", DEC_HEX)                                  \
	X(guest_cs_limit, VMCS_GUEST_CS_LIMIT, "GUEST_CS_LIMIT", DEC_HEX)                               \
	X(guest_cs_ar, VMCS_GUEST_CS_ACCESS_RIGHTS, "GUEST_CS_AR_BYTES", DEC_AR)                        \
	X(guest_ss_sel, VMCS_GUEST_SS_SELECTOR, "GUEST_SS_SELECTOR", DEC_HEX)                           \
	X(guest_ss_base, VMCS_GUEST_SS_BASE, "GUEST_SS_BASE", DEC_HEX)                                  \
	X(guest_ss_limit, VMCS_GUEST_SS_LIMIT, "GUEST_SS_LIMIT", DEC_HEX)                               \
	X(guest_ss_ar, VMCS_GUEST_SS_ACCESS_RIGHTS, "GUEST_SS_AR_BYTES", DEC_AR)                        \
	X(guest_ds_sel, VMCS_GUEST_DS_SELECTOR, "GUEST_DS_SELECTOR", DEC_HEX)                           \
	X(guest_ds_base, VMCS_GUEST_DS_BASE, "GUEST_DS_BASE", DEC_HEX)                                  \
	X(guest_ds_limit, VMCS_GUEST_DS_LIMIT, "GUEST_DS_LIMIT", DEC_HEX)                               \
	X(guest_ds_ar, VMCS_GUEST_DS_ACCESS_RIGHTS, "GUEST_DS_AR_BYTES", DEC_AR)                        \
	X(guest_fs_sel, VMCS_GUEST_FS_SELECTOR, "GUEST_FS_SELECTOR", DEC_HEX)                           \
	X(guest_fs_base, VMCS_GUEST_FS_BASE, "GUEST_FS_BASE", DEC_HEX)                                  \
	X(guest_fs_limit, VMCS_GUEST_FS_LIMIT, "GUEST_FS_LIMIT", DEC_HEX)                               \
	X(guest_fs_ar, VMCS_GUEST_FS_ACCESS_RIGHTS, "GUEST_FS_AR_BYTES", DEC_AR)                        \
	X(guest_gs_sel, VMCS_GUEST_GS_SELECTOR, "GUEST_GS_SELECTOR", DEC_HEX)                           \
	X(guest_gs_base, VMCS_GUEST_GS_BASE, "GUEST_GS_BASE", DEC_HEX)                                  \
	X(guest_gs_limit, VMCS_GUEST_GS_LIMIT, "GUEST_GS_LIMIT", DEC_HEX)                               \
	X(guest_gs_ar, VMCS_GUEST_GS_ACCESS_RIGHTS, "GUEST_GS_AR_BYTES", DEC_AR)                        \
	X(guest_ldtr_sel, VMCS_GUEST_LDTR_SELECTOR, "GUEST_LDTR_SELECTOR", DEC_HEX)                     \
	X(guest_ldtr_base, VMCS_GUEST_LDTR_BASE, "GUEST_LDTR_BASE", DEC_HEX)                            \
	X(guest_ldtr_limit, VMCS_GUEST_LDTR_LIMIT, "GUEST_LDTR_LIMIT", DEC_HEX)                         \
	X(guest_ldtr_ar, VMCS_GUEST_LDTR_ACCESS_RIGHTS, "GUEST_LDTR_AR_BYTES", DEC_AR)                  \
	X(guest_tr_sel, VMCS_GUEST_TR_SELECTOR, "GUEST_TR_SELECTOR", DEC_HEX)                           \
	X(guest_tr_base, VMCS_GUEST_TR_BASE, "GUEST_TR_BASE", DEC_HEX)                                  \
	X(guest_tr_limit, VMCS_GUEST_TR_LIMIT, "GUEST_TR_LIMIT", DEC_HEX)                               \
	X(guest_tr_ar, VMCS_GUEST_TR_ACCESS_RIGHTS, "GUEST_TR_AR_BYTES", DEC_AR)                        \
	X(guest_gdtr_base, VMCS_GUEST_GDTR_BASE, "GUEST_GDTR_BASE", DEC_HEX)                            \
	X(guest_gdtr_limit, VMCS_GUEST_GDTR_LIMIT, "GUEST_GDTR_LIMIT", DEC_HEX)                         \
	X(guest_idtr_base, VMCS_GUEST_IDTR_BASE, "GUEST_IDTR_BASE", DEC_HEX)                            \
	X(guest_idtr_limit, VMCS_GUEST_IDTR_LIMIT, "GUEST_IDTR_LIMIT", DEC_HEX)                         \
	X(guest_debugctl, VMCS_GUEST_IA32_DEBUGCTL, "GUEST_IA32_DEBUGCTL", DEC_HEX)                     \
	X(guest_sysenter_cs, VMCS_GUEST_IA32_SYSENTER_CS, "GUEST_SYSENTER_CS", DEC_HEX)                 \
	X(guest_sysenter_esp, VMCS_GUEST_IA32_SYSENTER_ESP, "GUEST_SYSENTER_ESP", DEC_HEX)              \
	X(guest_sysenter_eip, VMCS_GUEST_IA32_SYSENTER_EIP, "GUEST_SYSENTER_EIP", DEC_HEX)              \
	X(guest_efer, VMCS_GUEST_IA32_EFER, "GUEST_IA32_EFER", DEC_EFER)                                \
	X(guest_pat, VMCS_GUEST_IA32_PAT, "GUEST_IA32_PAT", DEC_HEX)                                    \
	X(guest_pdpte0, VMCS_GUEST_PDPTE0, "GUEST_PDPTR0", DEC_HEX)                                     \
	X(guest_pdpte1, VMCS_GUEST_PDPTE1, "GUEST_PDPTR1", DEC_HEX)                                     \
	X(guest_pdpte2, VMCS_GUEST_PDPTE2, "GUEST_PDPTR2", DEC_HEX)                                     \
	X(guest_pdpte3, VMCS_GUEST_PDPTE3, "GUEST_PDPTR3", DEC_HEX)                                     \
	X(guest_interruptibility, VMCS_GUEST_INTERRUPTIBILITY, "GUEST_INTERRUPTIBILITY_INFO", DEC_HEX)  \
	X(guest_activity, VMCS_GUEST_ACTIVITY_STATE, "GUEST_ACTIVITY_STATE", DEC_ACTIVITY)              \
	X(guest_pending_debug, VMCS_GUEST_PENDING_DEBUG, "GUEST_PENDING_DBG_EXCEPTIONS", DEC_HEX)       \
	X(link_pointer, VMCS_LINK_POINTER, "VMCS_LINK_POINTER", DEC_HEX)

/* One entry of a VM-entry MSR-load area (SDM 25.8.2, table 25-15): 16 bytes. */
struct vmcs_msr_entry {
	uint32_t index;
	uint32_t reserved; /* bits 63:32: must be 0 */
	uint64_t value;
};
#define VMCS_SNAPSHOT_MSR_LOAD_MAX 8
#define VMCS_SNAPSHOT_VTPR_OFFSET 0x80 /* VTPR's offset in the virtual-APIC page (SDM 30.1.1) */

struct vmcs_snapshot {
#define VMCS_SNAPSHOT_MEMBER(m, enc, name, dec) uint64_t m;
	VMCS_SNAPSHOT_FIELDS(VMCS_SNAPSHOT_MEMBER)
#undef VMCS_SNAPSHOT_MEMBER
	/* Bit i set: field i of the table could not be read (the CPU lacks it); its value is 0. */
	uint64_t unreadable[2];
	/* Not VMCS fields: what the entry checks need from outside the VMCS. */
	bool link_revision_known;  /* the 32 bits at the link pointer were read */
	uint32_t link_revision;    /* SDM 27.3.1.5: they must hold the VMCS revision id */
	unsigned maxphyaddr;       /* physical-address width (CPUID 80000008H:EAX[7:0]) */
	unsigned linear_width;     /* linear-address width, for canonical checks (CPUID 80000008H:EAX[15:8]) */
	/* CPU features that decide what an entry accepts (0 when the CPUID leaf is beyond the CPU's maximum): */
	uint32_t cpuid7_ebx;       /* CPUID.(EAX=7,ECX=0):EBX: SGX (bit 2), RTM (11), MPX (14) */
	uint32_t cpuid7_ecx;       /* CPUID.(EAX=7,ECX=0):ECX: RDPID (bit 22), PKS (31) */
	uint32_t cpuid_d1_eax;     /* CPUID.(EAX=0DH,ECX=1):EAX: XSAVES (bit 3) */
	uint32_t cpuid_ext1_edx;   /* CPUID.80000001H:EDX: RDTSCP (bit 27) */
	/* Memory the entry reads through VMCS addresses, when it could be read (the identity map, below 4 GiB): */
	bool vtpr_known;           /* VTPR, byte 80H of the virtual-APIC page (SDM 27.2.1.1: the TPR threshold) */
	uint8_t vtpr;
	bool cr3_pdptes_known;     /* the PDPTEs at GUEST_CR3 of a PAE guest without EPT (SDM 27.3.1.6) */
	uint64_t cr3_pdpte[4];
	/* The first entries of the VM-entry MSR-load area, when it could be read (SDM 27.4 checks them). */
	uint64_t msr_load_n;        /* how many of msr_load[] were read (at most VMCS_SNAPSHOT_MSR_LOAD_MAX) */
	struct vmcs_msr_entry msr_load[VMCS_SNAPSHOT_MSR_LOAD_MAX];
};

struct vmcs_field_info {
	uint32_t encoding;
	const char *name;
	unsigned offset; /* of the member in struct vmcs_snapshot */
	enum vmcs_decode decode;
};

extern const struct vmcs_field_info vmcs_field_table[];
extern const unsigned vmcs_field_count;

static inline uint64_t *vmcs_snapshot_slot(struct vmcs_snapshot *s, unsigned i)
{
	return (uint64_t *)((char *)s + vmcs_field_table[i].offset);
}

static inline bool vmcs_snapshot_readable(const struct vmcs_snapshot *s, unsigned i)
{
	return !(s->unreadable[i / 64] & (1ull << (i % 64)));
}

/* The table entry of a field by its member offset, e.g. vmcs_field_name(offsetof(..., guest_cr0)). */
const char *vmcs_field_name_at(unsigned offset);
#define VMCS_FIELD_NAME(member) vmcs_field_name_at((unsigned)__builtin_offsetof(struct vmcs_snapshot, member))

/* Hardware: VMREAD every field of the table from the current VMCS (vmcs_snapshot_read.c). */
void vmcs_snapshot_read(struct vmcs_snapshot *s);
/* Entry n (from 1, as an exit qualification of reason 34 counts) of the current VMCS's VM-entry MSR-load area. */
bool vmcs_msr_load_entry(uint64_t n, struct vmcs_msr_entry *out);

#endif
