/*
 * The verdict on an external kernel (docs/external-kernels.md): it passes when
 * it ends by itself (isa-debug-exit, power-off, or the manifest's end line
 * followed by HLT) with every `FAIL:` (or `XPASS:`) console line absent or
 * listed in its manifest entry with a reason, its `SKIP:` lines exactly the
 * listed ones, and a nonzero exit status only with listed failures. A kernel
 * the manifest says needs what vexit does not virtualize yet is skipped with
 * that reason when it stops where the manifest says, and fails when it stops
 * anywhere else, or runs to its end (the manifest is then out of date).
 */
#ifndef VEXIT_HARNESS_VERDICT_EXTERNAL_H
#define VEXIT_HARNESS_VERDICT_EXTERNAL_H

#include "manifest.h"
#include "protocol.h"
#include "strlist.h"
#include "verdict.h"

/* Judge kernel e (g NULL: the run never began it). Reasons go to why; the assertion counts to notes. */
enum verdict verdict_external(const struct manifest_entry *e, const struct guest_report *g, struct strlist *why,
			      struct strlist *notes);

#endif
