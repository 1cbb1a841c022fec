/*
 * The interface between a guest and the vexit hypervisor, shared by both
 * sides (documented in docs/guest-abi.md): hypercall numbers and results, and
 * the ports of the virtual devices every VM has.
 */
#ifndef VEXIT_ABI_H
#define VEXIT_ABI_H

/*
 * Hypercalls: VMCALL with the number in RAX and up to four arguments in RBX,
 * RCX, RDX and RSI (the KVM order). The result comes back in RAX; every other
 * register is preserved. Only the guest kernel may call: from CPL > 0 every
 * number answers VEXIT_HC_EPERM and changes nothing (KVM answers -KVM_EPERM).
 */
#define VEXIT_HC_VERSION 0    /* () -> VEXIT_ABI_VERSION */
#define VEXIT_HC_EXIT_COUNT 1 /* (basic exit reason) -> exits of that reason so far, this VMCALL included */
#define VEXIT_HC_CHECKSUM 2   /* (a, b, c, d) -> a + 2b + 3c + 4d (mod 2^64): proves argument order */
#define VEXIT_HC_EXIT 3       /* (status) -> does not return: the VM ends as done with that status */
#define VEXIT_HC_REPORT 4     /* (guest-physical address, length <= 200) -> 0: the text is one guest line */
#define VEXIT_HC_IO_BITMAP 5  /* (first port, count, intercept) -> 0; EPERM outside the passable ports */
#define VEXIT_HC_MSR_BITMAP 6 /* (msr, VEXIT_MSR_READ|VEXIT_MSR_WRITE, intercept) -> 0; EPERM if not passable */
#define VEXIT_HC_CR3_EXITING 7 /* (on) -> 0: MOV to/from CR3 exit (on) or not; EPERM if the CPU insists */
#define VEXIT_HC_TRACE 8      /* (on) -> 0: record each exit's reason and qualification (see docs/protocol.md) */
#define VEXIT_HC_IO_UNCLAIMED 9 /* () -> accesses to ports no device claims so far (reads + dropped writes) */
/* (guest-physical address of a NUL-terminated breakage name) -> 0, or VEXIT_HC_EINVAL for an unknown
 * name: break that piece of VMCS state before the next entry (a negative test; docs/guest-abi.md). */
#define VEXIT_HC_BREAK_STATE 10
#define VEXIT_HC_VMCS_DUMP 11 /* () -> 0: print the VMCS dump before the next entry */
/* (guest-physical page in the 2 MiB above guest memory) -> 0, EINVAL, ENOMEM: the page is mapped at its
 * next access, which exits first (an EPT violation vexit resolves; docs/guest-abi.md) */
#define VEXIT_HC_DEMAND_PAGE 12
#define VEXIT_HC_COUNT 13     /* the numbers above are 0 .. VEXIT_HC_COUNT - 1; any other is ENOSYS */

#define VEXIT_ABI_VERSION 1
/* Result of an unknown hypercall number: -ENOSYS as a 64-bit two's complement value. */
#define VEXIT_HC_ENOSYS ((unsigned long long)-38)
/* -EPERM: a hypercall from CPL > 0; a port or MSR that may not be passed; a control the CPU insists on. */
#define VEXIT_HC_EPERM ((unsigned long long)-1)
#define VEXIT_HC_EINVAL ((unsigned long long)-22)
#define VEXIT_HC_ENOMEM ((unsigned long long)-12)
#define VEXIT_MSR_READ 1
#define VEXIT_MSR_WRITE 2

/*
 * Ports a guest may pass through to the hardware with VEXIT_HC_IO_BITMAP: only
 * ports that reach no device on a PC, so nothing a guest writes there can stay
 * for the next VM (docs/guest-abi.md, "What a guest may pass through"): the
 * I/O-delay port 0xED and two windows at the edges the bitmap tests need
 * (bitmap A/B at 0x8000, the top of the port space). Not 0x80 (a latch: the POST
 * port, a DMA page register in the chipset) nor 0x0000 (DMA channel 0).
 */
#define VEXIT_IO_DELAY_PORT 0xed
#define VEXIT_IO_PASSABLE(p) ((p) == VEXIT_IO_DELAY_PORT || ((p) >= 0x7ff0 && (p) <= 0x800f) || (p) >= 0xfff0)

/* Synthetic MSRs (RDMSR/WRMSR always exit for them). */
#define VEXIT_MSR_ID 0x40000000u      /* read-only: VEXIT_MSR_ID_VALUE */
#define VEXIT_MSR_SCRATCH 0x40000001u /* read/write: any 64-bit value */
#define VEXIT_MSR_EXITS 0x40000002u   /* read-only: this VM's exits so far, this RDMSR included */
#define VEXIT_MSR_ID_VALUE 0x7469786576ull /* "vexit" in memory order */

/* CPUID leaf 0x40000000: EBX, ECX, EDX spell this; leaf 0x40000001: EAX = features, EBX = ABI version. */
#define VEXIT_CPUID_SIGNATURE "vexit-vmm-v1"
#define VEXIT_CPUID_FEATURE_HYPERCALLS (1u << 0)
#define VEXIT_CPUID_FEATURE_SYNTHETIC_MSRS (1u << 1)
#define VEXIT_CPUID_FEATURE_EXIT_TRACE (1u << 2)
#define VEXIT_CPUID_FEATURES \
	(VEXIT_CPUID_FEATURE_HYPERCALLS | VEXIT_CPUID_FEATURE_SYNTHETIC_MSRS | VEXIT_CPUID_FEATURE_EXIT_TRACE)
#define VEXIT_BREAK_NAME_MAX 48 /* longest breakage name VEXIT_HC_BREAK_STATE reads, NUL included */
/*
 * A guest's name (its module string; the harness takes it from the image's file name): at most
 * VEXIT_GUEST_NAME_MAX characters, each a letter, a digit, '_', '-' or '.', so that it is one
 * protocol token. The harness refuses any other name before Bochs starts; the kernel refuses a
 * longer one (bad-image why=name-too-long) and prints it cut to this length on every line.
 */
#define VEXIT_GUEST_NAME_MAX 47
#define VEXIT_GUEST_NAME_CHAR(c) \
	(((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') || ((c) >= '0' && (c) <= '9') || (c) == '_' || \
	 (c) == '-' || (c) == '.')

/* Virtual devices (port I/O). */
#define VEXIT_DEBUG_PORT 0xe9   /* write: text, one line per '\n'; read: 0xe9 */
#define VEXIT_EXIT_PORT 0xf4    /* write: end the VM, the value written is its status */
#define VEXIT_TEST_DEVICE 0x5000 /* 16 byte-addressed registers, see docs/guest-abi.md */
#define VEXIT_TEST_LATCH (VEXIT_TEST_DEVICE + 0x0)
#define VEXIT_TEST_INVERTED (VEXIT_TEST_DEVICE + 0x4)
#define VEXIT_TEST_ID (VEXIT_TEST_DEVICE + 0x8)
#define VEXIT_TEST_ACCESSES (VEXIT_TEST_DEVICE + 0xc)
#define VEXIT_TEST_ID_VALUE 0x31545856u /* "VXT1" */

#endif
