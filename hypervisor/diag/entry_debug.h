/*
 * Explaining failed VM entries, and stopping in the Bochs debugger around
 * them. Per-VM options come from the kernel command line (precheck=, debug=,
 * dump=) and from the guest (its `.vexit.break` section, hypercalls); see
 * README "Debugging" and docs/debugging.md.
 */
#ifndef VEXIT_ENTRY_DEBUG_H
#define VEXIT_ENTRY_DEBUG_H

#include <stdbool.h>
#include <stdint.h>

#include "diag/exit_history.h"

#define ENTRY_BREAK_SECTION ".vexit.break"

struct vmx_caps;

struct entry_debug {
	const char *guest;            /* the VM's name */
	const struct vmx_caps *caps;
	uint64_t vmcs;                /* the VMCS's host-physical address, for the debugger */
	bool precheck;                /* run the entry checker before the first VMLAUNCH and before every VMRESUME */
	bool stop;                    /* magic breakpoint before the first VMLAUNCH and after a failed entry */
	bool dump_first;              /* dump the VMCS before the first VMLAUNCH */
	bool dump_pending;            /* a hypercall asked for a dump before the next entry */
	unsigned break_pending;       /* 1 + index into entry_breaks[] to apply before the next entry; 0: none */
	uint64_t scratch;             /* the page of the memory a breakage points the VMCS at (entry_break.h), or 0 */
};

/* Whether entry_debug_before_entry has anything to do: all the run loop pays per entry when nothing is armed. */
static inline bool entry_debug_armed(const struct entry_debug *d, bool first)
{
	return d->break_pending || d->dump_pending || d->precheck || (first && (d->dump_first || d->stop));
}
/*
 * Before an entry (first: before VMLAUNCH): apply a requested breakage, dump, precheck, stop. Before a
 * VMRESUME the precheck prints only when a rule is broken, naming the exit (the last of h) whose
 * handling left the VMCS so.
 */
void entry_debug_before_entry(struct entry_debug *d, bool first, const struct exit_history *h);
/*
 * After VMfailValid or an entry-failure exit (vmcs_current), or VMfailInvalid (no current VMCS, SDM 31.2:
 * nothing to read, so only the exit history is printed).
 */
void entry_debug_after_failure(struct entry_debug *d, const struct exit_history *h, bool vmcs_current);
/* Return what a breakage allocated (the VM is being torn down). */
void entry_debug_release(struct entry_debug *d);
/* Options of the kernel command line for the VM of `guest` (each a comma list of names, or "all"). */
void entry_debug_configure(struct entry_debug *d, const char *guest, const struct vmx_caps *caps,
			   const char *precheck, const char *debug, const char *dump);

#endif
