/*
 * Deliberate VMCS breakage for negative tests: a guest asks for one named
 * piece of state to be broken before its entry (its image's `.vexit.break`
 * section, or the VEXIT_HC_BREAK_STATE hypercall before a VMRESUME; see
 * docs/guest-abi.md). Each breakage edits a snapshot (most by a table row of at
 * most three field edits, the ones that depend on the CPU's capabilities by a
 * function) and names the entry-check rule it must trip, so the host build
 * proves the pairing. Pure C.
 */
#ifndef VEXIT_ENTRY_BREAK_H
#define VEXIT_ENTRY_BREAK_H

#include <stdint.h>

#include "diag/vmcs_snapshot.h"
#include "vmx/vmx_caps.h"

/* One field edit: member = (member & ~clear) | set. */
struct entry_break_edit {
	unsigned offset; /* of the member in struct vmcs_snapshot */
	uint64_t clear, set; /* both 0: the list ends */
};

struct entry_break {
	const char *name; /* e.g. "rflags-bit1-clear" */
	const char *rule; /* the entry-check rule it breaks */
	struct entry_break_edit edit[3];
	/*
	 * Instead of edit[]: edit s from the capabilities. Returns the index in vmcs_field_table of its main field.
	 * A breakage that needs memory the entry reads (an MSR-load area, PDPTEs at CR3, a virtual-APIC page)
	 * points the VMCS field into `scratch`, a zeroed page of its own (at ENTRY_BREAK_SCRATCH_* offsets), and
	 * puts the bytes in the snapshot's images of that memory (msr_load[], cr3_pdpte[], vtpr); the kernel
	 * writes them there.
	 */
	unsigned (*apply)(struct vmcs_snapshot *s, const struct vmx_caps *c, uint64_t scratch);
};

/* Where in the scratch page each piece of memory goes: the virtual-APIC page is the whole page (VTPR at 80H). */
#define ENTRY_BREAK_SCRATCH_PDPT 0x100
#define ENTRY_BREAK_SCRATCH_MSR_AREA 0x800

extern const struct entry_break entry_breaks[];
extern const unsigned entry_break_count;
/* 1 + the index of the named breakage, or 0 when there is none by that name (n bytes of name). */
unsigned entry_break_find(const char *name, unsigned long n);
/* Apply b to s, with a scratch page at `scratch`; returns the index in vmcs_field_table of the field it is about. */
unsigned entry_break_apply(const struct entry_break *b, struct vmcs_snapshot *s, const struct vmx_caps *c,
			   uint64_t scratch);

#endif
