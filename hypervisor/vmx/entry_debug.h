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

#define ENTRY_BREAK_SECTION ".vexit.break"

struct entry_debug {
	bool precheck;         /* run the entry checker before the first VMLAUNCH */
	bool stop;             /* magic breakpoint before the first VMLAUNCH and after a failed entry */
	bool dump_first;       /* dump the VMCS before the first VMLAUNCH */
	bool dump_pending;     /* a hypercall asked for a dump before the next entry */
	unsigned break_pending; /* 1 + index into entry_breaks[] to apply before the next entry; 0: none */
};

struct vcpu;
struct vm;

/* Before every entry: apply a requested breakage, dump, precheck, stop (kernel only). */
void entry_debug_before_entry(struct vcpu *v);
/*
 * After VMfailValid or an entry-failure exit (vmcs_current), or VMfailInvalid (no current VMCS, SDM 31.2:
 * nothing to read, so only the exit history is printed).
 */
void entry_debug_after_failure(struct vcpu *v, bool vmcs_current);
/* Options of the kernel command line for the VM of `guest` (each a comma list of names, or "all"). */
void entry_debug_configure(struct entry_debug *d, const char *guest, const char *precheck, const char *debug,
			   const char *dump);
/* A guest image's `.vexit.break` request: NULL, or a `why=` token when it names no breakage. */
const char *entry_debug_image_request(struct entry_debug *d, const uint8_t *image, uint64_t size);

#endif
