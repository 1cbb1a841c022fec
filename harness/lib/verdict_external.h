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

/*
 * A kernel's assertions, counted from its console as kvm-unit-tests' lib/report.c prints them:
 * `PASS:`, `FAIL:` and `XPASS:` (both unexpected failures), `XFAIL:` (expected), `KFAIL:` (known)
 * and `SKIP:` lines; and its `SUMMARY: N tests[, F unexpected failures][, K known failures]
 * [, X expected failures][, S skipped]` line, when it printed one.
 */
struct external_counts {
	unsigned pass, fail, listed_fail, skip, xfail, kfail;
	bool summary;                 /* a SUMMARY: line was seen (the last one counts) */
	unsigned sum_tests, sum_fail, sum_kfail, sum_xfail, sum_skip;
};

/* A SUMMARY: line's numbers into c (summary set). false when the line is not one, or malformed. */
bool external_summary_parse(const char *line, struct external_counts *c);

/*
 * Judge kernel e (g NULL: the run never began it). Reasons go to why; the assertion counts to
 * counts (zeroed first) and, as a sentence, to notes. A SUMMARY line whose numbers differ from the
 * report lines counted (a console line lost or garbled on the way) fails the kernel, whatever else.
 */
enum verdict verdict_external(const struct manifest_entry *e, const struct guest_report *g, struct strlist *why,
			      struct strlist *notes, struct external_counts *counts);

#endif
