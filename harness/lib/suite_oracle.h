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
 * The n-th guest of the run that stopped `entry-failed` is paired with the n-th
 * entry-failure reason of the log (Bochs logs exactly one per failed entry).
 * Each such guest gets a note with our rule beside Bochs's reason. A guest with
 * an `entry-rule` expectation fails when Bochs gave no reason, or a reason whose
 * family is not the family of that rule. log == NULL: there is no Bochs log
 * (a --capture run); guests with entry-rule expectations get a note saying so.
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
