/*
 * Judging an external kernel booted bare (vexit-run --bare): GRUB boots the kernel itself from
 * an external-kernel ISO (grub_tree.h), on Bochs with no hypervisor underneath, so that a user can
 * put bare Bochs's behaviour beside vexit's. What COM1 captured is the kernel's own console; it is
 * judged by the kernel's manifest entry as under vexit (verdict_external.h), but for `needs` and
 * `stops`, which describe what vexit lacks. The kernel ends by itself when
 *   - it prints its manifest `end` line (the harness then ends Bochs): stop `end-line`; or
 *   - it ends Bochs through Bochs's shutdown port (kvm-unit-tests' exit() writes its status to
 *     QEMU's isa-debug-exit port 0xf4 first, which bare Bochs does not have, so no status is
 *     seen): stop `shutdown`.
 * Anything else (a timeout, a hang at 'enabling apic', GRUB refusing the kernel) fails it. A kernel
 * whose entry asks for the measurement aid (bare-aid) also fails unless Bochs's output shows the aid
 * acted as bare_aid.h says.
 */
#ifndef VEXIT_HARNESS_SUITE_BARE_H
#define VEXIT_HARNESS_SUITE_BARE_H

#include <stdbool.h>
#include <stddef.h>

#include "bochs_run.h"
#include "suite.h"

/* GRUB's line on COM1 when it could not boot the bare kernel (grub_tree.c). */
#define SUITE_BARE_GRUB_FAILED "vexit-bare: GRUB could not boot "

/*
 * The capture of a bare run as the protocol would carry it: guest-begin, one console line per
 * line of the capture (empty lines left out, a CR at the end dropped), guest-end with `stop`
 * (NULL: none, the kernel never ended). The caller frees it.
 */
char *suite_bare_capture(const char *name, const char *raw, size_t len, const char *stop);
/*
 * Judge a finished bare run of the suite's one kernel: `how` gets how Bochs ended (also a run
 * problem when it timed out, died or never started). True when the kernel passed or was skipped.
 */
bool suite_judge_bare(struct suite *s, const struct bochs_run_opts *o, const struct bochs_run_result *r, char *how,
		      size_t how_len);

#endif
