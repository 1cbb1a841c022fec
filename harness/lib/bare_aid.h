/*
 * The measurement aid of a bare run (a manifest entry's `bare-aid = keep-apic-enabled`, for
 * vexit-run --bare; docs/external-kernels.md, "On bare Bochs"). On bare Bochs 2.7 every
 * kvm-unit-tests kernel built on cstart64.S hangs at 'enabling apic': its reset_apic() disables
 * the local APIC globally through IA32_APIC_BASE (MSR 0x1B), and Bochs ignores the write that
 * enables it again (real CPUs and KVM do not). The aid changes that one step and nothing else:
 * Bochs's debugger stops at the one WRMSR of the kernel's `disable_apic`, and the kernel goes on
 * at the next instruction, its APIC still enabled as the firmware left it. The kernel file is
 * not touched; the WRMSR is found in its symbol table and code when the run is planned, and the
 * debugger's output shows afterwards that the aid acted, where and on what.
 */
#ifndef VEXIT_HARNESS_BARE_AID_H
#define VEXIT_HARNESS_BARE_AID_H

#include <stddef.h>
#include <stdint.h>

#define BARE_AID_KEEP_APIC "keep-apic-enabled" /* the manifest's value: the only aid */
#define BARE_AID_FUNCTION "disable_apic"

/*
 * The Bochs debugger commands of the aid for the kernel file `kernel`, and in *at the WRMSR's
 * physical address (where GRUB's multiboot loader puts it). NULL with err saying why: the file
 * is no ELF, has no function BARE_AID_FUNCTION, or its code holds no WRMSR (0F 30) or more than
 * one. The caller frees.
 */
char *bare_aid_commands(const char *kernel, uint64_t *at, char *err, size_t errlen);

/*
 * Whether Bochs's own output of a run with those commands (its bochs.out) shows that the aid
 * acted: the debugger stopped exactly once, at `at`, on a WRMSR, with ECX = 0x1B (IA32_APIC_BASE)
 * and EAX's bit 11 (the global enable) clear, and so stepped over that write. 0, or -1 with why.
 */
int bare_aid_acted(const char *bochs_out, uint64_t at, char *why, size_t whylen);

#endif
