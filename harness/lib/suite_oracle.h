/*
 * Judging a suite by one Bochs run: its capture, how Bochs ended, and Bochs's
 * own reasons for the failed entries (bochs_oracle.h). vexit-run and
 * check_guests both judge with suite_judge_run, so both judge a run alike.
 */
#ifndef VEXIT_HARNESS_SUITE_ORACLE_H
#define VEXIT_HARNESS_SUITE_ORACLE_H

#include <stdbool.h>
#include <stddef.h>

#include "bochs_run.h"
#include "suite.h"

/*
 * Pairs Bochs's reasons with the guests by tick, never by order: each guest's
 * guest-begin carries the host's TSC, which is Bochs's tick count, so a log
 * line belongs to the guest whose window [its tsc, the next guest's tsc) holds
 * it. Each guest that stopped `entry-failed` gets a note with our rule beside
 * the first reason of its window (or "no reason logged"). A guest with an
 * `entry-rule` expectation fails when its window has no reason, or one whose
 * family is not that rule's. Run problems: a message of the window that is in
 * no row of Bochs's catalogue (bochs_oracle.c), a reason in the window of a
 * guest that did not fail its entry, two reasons in one window, a reason before
 * the first guest, guest-begin lines without tsc=. log == NULL: there is no
 * Bochs log (a --capture run); the notes say so.
 */
void suite_judge_bochs(struct suite *s, const char *log, size_t len);
/*
 * Judge a finished run (bochs_run.h): `how` gets one line saying how it ended,
 * which is also a run problem when Bochs timed out, died of a signal or never
 * started; then suite_judge on its capture and suite_judge_bochs on the
 * bochs.log in its directory. True when suite_ok.
 */
bool suite_judge_run(struct suite *s, const struct bochs_run_opts *o, const struct bochs_run_result *r, char *how,
		     size_t how_len);

#endif
