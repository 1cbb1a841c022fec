/*
 * Negative tests: ask the hypervisor to break one piece of VMCS state (names in
 * hypervisor/vmx/entry_break.c, documented in docs/guest-abi.md).
 *
 * VEXIT_BREAK("rflags-bit1-clear") breaks it before the first VMLAUNCH: the
 * name lands in the image's .vexit.break section, which the hypervisor reads
 * from the module, so the guest's code never runs. break_state() asks for it
 * before the next VMRESUME instead, from a running guest.
 */
#ifndef VEXIT_BREAK_H
#define VEXIT_BREAK_H

#include "vexit_guest.h"

/*
 * A failed entry makes the hypervisor print the whole VMCS and the checker's
 * verdict: such a guest takes about twice an ordinary guest's time (the `cost`
 * hint vexit-run -j balances its shards by).
 */
#define VEXIT_FAILED_ENTRY_COST "cost 2"

#define VEXIT_BREAK_SECTION(name)                                                          \
	static const char vexit_break_request[] __attribute__((section(".vexit.break"), used, \
							       aligned(1))) = name
#define VEXIT_BREAK(name)       \
	VEXIT_BREAK_SECTION(name); \
	EXPECT(VEXIT_FAILED_ENTRY_COST)

/*
 * A whole negative guest whose first entry must fail: the breakage, the failure its stop line shows
 * ("error=7", "reason=ENTRY_FAIL_GUEST_STATE"...), and the rule vexit must name, whose family
 * Bochs's own reason must share. Its code never runs. (One EXPECT: its strings are NUL-separated.)
 */
#define VEXIT_NEGATIVE(breakage, failure, rule)                                                     \
	VEXIT_BREAK_SECTION(breakage);                                                                \
	EXPECT(VEXIT_FAILED_ENTRY_COST "\0stop entry-failed\0field " failure "\0entry-rule " rule "\0asserts 0"); \
	int main(void)                                                                                \
	{                                                                                             \
		return 1;                                                                             \
	}

/* VEXIT_HC_BREAK_STATE: 0 when the hypervisor accepted the name. The guest identity-maps its memory. */
static inline uint64_t break_state(const char *name)
{
	return vmcall4(VEXIT_HC_BREAK_STATE, (uint64_t)(uintptr_t)name, 0, 0, 0);
}

#endif
