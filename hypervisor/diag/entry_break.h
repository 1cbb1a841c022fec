/*
 * Deliberate VMCS breakage for negative tests: a guest asks for one named
 * piece of state to be broken before its entry (its image's `.vexit.break`
 * section, or the VEXIT_HC_BREAK_STATE hypercall before a VMRESUME; see
 * docs/guest-abi.md). Each breakage edits one field of a snapshot and names the
 * entry-check rule it must trip, so the host build proves the pairing. Pure C.
 */
#ifndef VEXIT_ENTRY_BREAK_H
#define VEXIT_ENTRY_BREAK_H

#include <stdint.h>

#include "diag/vmcs_snapshot.h"
#include "vmx/vmx_caps.h"

struct entry_break {
	const char *name; /* e.g. "rflags-bit1-clear" */
	const char *rule; /* the entry-check rule it breaks */
	/* Edit one field of s; returns the index of that field in vmcs_field_table. */
	unsigned (*apply)(struct vmcs_snapshot *s, const struct vmx_caps *c);
};

extern const struct entry_break entry_breaks[];
extern const unsigned entry_break_count;
/* 1 + the index of the named breakage, or 0 when there is none by that name (n bytes of name). */
unsigned entry_break_find(const char *name, unsigned long n);

#endif
