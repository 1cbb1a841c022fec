/*
 * Judging a suite's failed entries against Bochs's own reasons (bochs_oracle.h).
 * Run after suite_judge, with the run's bochs.log.
 */
#ifndef VEXIT_HARNESS_SUITE_ORACLE_H
#define VEXIT_HARNESS_SUITE_ORACLE_H

#include <stddef.h>

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
/* Read `<dir>/bochs.log` and judge with it (NULL log when the file cannot be read). */
void suite_judge_bochs_dir(struct suite *s, const char *dir);

#endif
