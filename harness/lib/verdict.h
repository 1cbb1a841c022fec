/*
 * Verdicts: a guest test passes when its run shows guest-begin and guest-end,
 * no FAIL line, and every expectation of its image holds (docs/protocol.md).
 * Every message names the guest; an expectation that fails names itself and
 * the value seen beside the value wanted.
 */
#ifndef VEXIT_HARNESS_VERDICT_H
#define VEXIT_HARNESS_VERDICT_H

#include <stdbool.h>

#include "expect.h"
#include "protocol.h"
#include "strlist.h"

enum verdict { VERDICT_PASS, VERDICT_FAIL, VERDICT_SKIP };

const char *verdict_name(enum verdict v);

/* Judge guest `name` (g is NULL when the run never began it). Reasons are appended to why. */
enum verdict verdict_guest(const char *name, const struct guest_report *g, const struct expect_set *e,
			   struct strlist *why);

/*
 * A guest that declares `needs <feature>` is skipped when the run's cpu line
 * (`VEXIT cpu ... <feature>=no`) says the CPU lacks it: true, with the reason in why.
 */
bool verdict_needs_missing(const char *name, const char *cpu_line, const struct expect_set *e,
			   struct strlist *why);

/*
 * Problems of the run as a whole: no or wrong protocol version, a panic, VMX
 * not left after VMXON (no vmx-off line, or one whose VMREAD did not #UD), a
 * truncated capture (no 'VEXIT end'), leaked pages, a summary that disagrees with
 * the guests seen, protocol errors, guests nobody asked for. `expected` lists the
 * guests the run should have run. Returns how many problems it appended.
 */
size_t verdict_run(const struct run_report *r, const struct strlist *expected, struct strlist *problems);

#endif
