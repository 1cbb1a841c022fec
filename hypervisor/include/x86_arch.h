/*
 * Architectural constants of x86-64 that the hypervisor, its host tests and the
 * guest runtime share: control-register, EFER and RFLAGS bits, MSR numbers,
 * exception vectors, and the VMCS access-rights and interruptibility formats.
 * Plain #defines only, so assembly may include it too. SDM (README, "SDM
 * citations"): Vol. 3A 2.5 (CR0/CR4), 2.2.1 (EFER), Vol. 1 3.4.3 (RFLAGS),
 * Vol. 4 (MSR numbers), Vol. 3A 6.3.1 (vectors), Vol. 3C 25.4.1 and 25.4.2
 * (access rights, interruptibility).
 */
#ifndef VEXIT_X86_ARCH_H
#define VEXIT_X86_ARCH_H

#define CR0_PE (1ull << 0)
#define CR0_MP (1ull << 1)
#define CR0_EM (1ull << 2)
#define CR0_TS (1ull << 3)
#define CR0_ET (1ull << 4)
#define CR0_NE (1ull << 5)
#define CR0_WP (1ull << 16)
#define CR0_AM (1ull << 18)
#define CR0_NW (1ull << 29)
#define CR0_CD (1ull << 30)
#define CR0_PG (1ull << 31)
#define CR0_DEFINED (CR0_PE | CR0_MP | CR0_EM | CR0_TS | CR0_ET | CR0_NE | CR0_WP | CR0_AM | CR0_NW | CR0_CD | CR0_PG)

#define CR4_VME (1ull << 0)
#define CR4_PVI (1ull << 1)
#define CR4_TSD (1ull << 2)
#define CR4_DE (1ull << 3)
#define CR4_PSE (1ull << 4)
#define CR4_PAE (1ull << 5)
#define CR4_MCE (1ull << 6)
#define CR4_PGE (1ull << 7)
#define CR4_PCE (1ull << 8)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CR4_UMIP (1ull << 11)
#define CR4_VMXE (1ull << 13)
#define CR4_FSGSBASE (1ull << 16)
#define CR4_OSXSAVE (1ull << 18)
#define CR4_SMEP (1ull << 20)
#define CR4_SMAP (1ull << 21)

#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

#define RFLAGS_FIXED1 (1ull << 1) /* bit 1 is always 1 */
#define RFLAGS_TF (1ull << 8)
#define RFLAGS_IF (1ull << 9)
#define RFLAGS_DF (1ull << 10)
#define RFLAGS_RF (1ull << 16)
#define RFLAGS_VM (1ull << 17)
#define RFLAGS_AC (1ull << 18)

#define DR7_FIXED1 0x400ull /* bit 10 is always 1 */
#define DR6_FIXED1 0xffff0ff0ull /* DR6 at power-on (SDM Vol. 3A 18.2.3): its reserved bits read 1 */

#define MSR_IA32_TSC 0x10
#define MSR_IA32_APIC_BASE 0x1b
#define MSR_IA32_TSC_DEADLINE 0x6e0
#define MSR_IA32_FEATURE_CONTROL 0x3a
#define MSR_IA32_TSC_ADJUST 0x3b /* SDM Vol. 3B 18.17.3; present when CPUID.(EAX=07H,ECX=0):EBX.TSC_ADJUST[bit 1] */
#define MSR_IA32_SYSENTER_CS 0x174
#define MSR_IA32_SYSENTER_ESP 0x175
#define MSR_IA32_SYSENTER_EIP 0x176
#define MSR_IA32_PAT 0x277
#define MSR_IA32_PKRS 0x6e1 /* with PKS only */
#define MSR_IA32_BNDCFGS 0xd90 /* with MPX only */
#define MSR_IA32_XSS 0xda0 /* with XSAVES only */
/* Machine-check architecture (SDM Vol. 3B 16.3, "Machine-Check MSRs"): MCG_CAP[7:0] banks of 4 MSRs from MC0_CTL. */
#define MSR_IA32_MCG_CAP 0x179
#define MSR_IA32_MCG_STATUS 0x17a
#define MSR_IA32_MCG_CTL 0x17b /* present only when MCG_CAP.MCG_CTL_P[bit 8] */
#define MCG_STATUS_RIPV (1ull << 0)
#define MCG_STATUS_EIPV (1ull << 1)
#define MCG_STATUS_MCIP (1ull << 2)
#define MSR_IA32_MC0_STATUS 0x401
#define MSR_IA32_MC0_ADDR 0x402
#define MSR_IA32_MC0_MISC 0x403
#define MSR_MC_BANK_STRIDE 4
/* IA32_MISC_ENABLE (SDM Vol. 4 table 2-2): its architectural bits. */
#define MSR_IA32_MISC_ENABLE 0x1a0
#define MISC_ENABLE_FAST_STRINGS (1ull << 0)      /* R/W */
#define MISC_ENABLE_AUTO_THERMAL (1ull << 3)      /* R/W: automatic thermal control circuit */
#define MISC_ENABLE_PERFMON (1ull << 7)           /* RO: performance monitoring available */
#define MISC_ENABLE_BTS_UNAVAILABLE (1ull << 11)  /* RO */
#define MISC_ENABLE_PEBS_UNAVAILABLE (1ull << 12) /* RO */
#define MISC_ENABLE_EIST (1ull << 16)             /* R/W: Enhanced Intel SpeedStep */
#define MISC_ENABLE_MONITOR (1ull << 18)          /* R/W: CPUID.01H:ECX.MONITOR follows it */
#define MISC_ENABLE_LIMIT_CPUID (1ull << 22)      /* R/W: CPUID.00H:EAX reads 2 */
#define MISC_ENABLE_XTPR_DISABLE (1ull << 23)     /* R/W */
#define MISC_ENABLE_XD_DISABLE (1ull << 34)       /* R/W when the CPU has NX: hides NX, EFER.NXE #GPs */
#define MSR_IA32_EFER 0xc0000080
#define MSR_IA32_STAR 0xc0000081
#define MSR_IA32_LSTAR 0xc0000082
#define MSR_IA32_CSTAR 0xc0000083
#define MSR_IA32_FMASK 0xc0000084
#define MSR_IA32_FS_BASE 0xc0000100
#define MSR_IA32_GS_BASE 0xc0000101
#define MSR_IA32_KERNEL_GS_BASE 0xc0000102
#define MSR_IA32_TSC_AUX 0xc0000103

#define VECTOR_NMI 2
#define VECTOR_UD 6
#define VECTOR_DF 8
#define VECTOR_SS 12
#define VECTOR_GP 13
#define VECTOR_PF 14
#define VECTOR_MC 18

/* Segment access rights as the VMCS holds them (SDM Vol. 3C 25.4.1, table 25-2). */
#define AR_TYPE(ar) ((ar) & 0xf)
#define AR_S (1u << 4)
#define AR_DPL_SHIFT 5
#define AR_DPL_MASK (3u << AR_DPL_SHIFT)
#define AR_DPL(ar) (((ar) >> AR_DPL_SHIFT) & 3)
#define AR_P (1u << 7)
#define AR_L (1u << 13)
#define AR_DB (1u << 14)
#define AR_G (1u << 15)
#define AR_UNUSABLE (1u << 16)
#define AR_CODE64 0xa09bu /* type 11 (execute/read, accessed), S, P, L, G */
#define AR_CODE32 0xc09bu /* type 11 (execute/read, accessed), S, P, D/B, G */
#define AR_DATA 0xc093u   /* type 3 (read/write, accessed), S, P, D/B, G */
#define AR_TSS_BUSY 0x8bu /* type 11 (64-bit busy TSS), P */

/* The 64-bit TSS (SDM Vol. 3A 9.7): its size and the offsets of the fields a kernel fills. */
#define TSS64_RSP0 0x04
#define TSS64_IOMAP_BASE 0x66 /* 16 bits: an I/O map base past the limit means no I/O permission bitmap */
#define TSS64_SIZE 0x68
#define DESC_TSS_BUSY (2ull << 40) /* in a TSS descriptor: type 11 (busy) rather than 9 (available) */

/* Guest interruptibility state (SDM Vol. 3C 25.4.2, table 25-3). */
#define INTERRUPTIBILITY_STI (1u << 0)
#define INTERRUPTIBILITY_MOV_SS (1u << 1)
#define INTERRUPTIBILITY_NMI (1u << 3)
/* Guest activity state (SDM Vol. 3C 25.4.2). */
#define GUEST_ACTIVITY_ACTIVE 0
#define GUEST_ACTIVITY_HLT 1

#endif
