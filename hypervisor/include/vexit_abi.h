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
 * register is preserved.
 */
#define VEXIT_HC_VERSION 0    /* () -> VEXIT_ABI_VERSION */
#define VEXIT_HC_EXIT_COUNT 1 /* (basic exit reason) -> exits of that reason so far, this VMCALL included */
#define VEXIT_HC_CHECKSUM 2   /* (a, b, c, d) -> a + 2b + 3c + 4d (mod 2^64): proves argument order */
/* (guest-physical address of a NUL-terminated breakage name) -> 0, or VEXIT_HC_EINVAL for an unknown
 * name: break that piece of VMCS state before the next entry (a negative test; docs/guest-abi.md). */
#define VEXIT_HC_BREAK_STATE 3
#define VEXIT_HC_VMCS_DUMP 4  /* () -> 0: print the VMCS dump before the next entry */

#define VEXIT_ABI_VERSION 1
/* Result of an unknown hypercall number: -ENOSYS as a 64-bit two's complement value. */
#define VEXIT_HC_ENOSYS ((unsigned long long)-38)
#define VEXIT_HC_EINVAL ((unsigned long long)-22)
#define VEXIT_BREAK_NAME_MAX 48 /* longest breakage name VEXIT_HC_BREAK_STATE reads, NUL included */

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
