/*
 * Machine-readable results: TAP version 13 and JUnit XML, one test case per
 * guest per CPU model; and the determinism check that compares the captures
 * of two runs of one build byte for byte.
 */
#ifndef VEXIT_HARNESS_REPORT_H
#define VEXIT_HARNESS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "strlist.h"
#include "verdict.h"
#include "verdict_external.h"

struct report_case {
	const char *model;            /* the Bochs CPU model: the JUnit testsuite */
	const char *name;             /* the guest */
	enum verdict verdict;
	const struct strlist *why;    /* reasons of a FAIL or SKIP (may be NULL) */
	const struct strlist *lines;  /* the guest's own lines, an external kernel's console (may be NULL) */
	const struct external_counts *counts; /* an external kernel's assertions; NULL for a test guest */
	double seconds;               /* wall time of the Bochs run that ran it (JUnit time=) */
};

/*
 * A failing guest contributes at most REPORT_LINES_MAX of its own lines, and as many reasons, to
 * stdout, TAP and JUnit; the rest are counted in a last line, "N more lines in the log" (the run's
 * serial.txt has them all). report_lines_shown: how many of l's lines to write; report_lines_more:
 * write that last line (prefix first, XML-escaped when xml), if any were left out.
 */
#define REPORT_LINES_MAX 40
size_t report_lines_shown(const struct strlist *l);
void report_lines_more(FILE *f, const char *prefix, const struct strlist *l);

/* Write s with &, <, >, " and ' escaped, and control bytes XML 1.0 forbids replaced by '?'. */
void report_xml_escape(FILE *f, const char *s);
/*
 * TAP 13: version line, plan, one ok / not ok line per case ("# SKIP why" for skips), YAML for failures
 * (why, the guest's lines) and for external kernels (their assertion counts, `assertions:`).
 */
void report_tap(FILE *f, const struct report_case *c, size_t n, const struct strlist *problems);
/*
 * JUnit XML: <testsuites>, one <testsuite> per model (in first-seen order), one <testcase> per case.
 * An external kernel's testcase has assertions= (its report lines), a <properties> of its counts
 * (pass, fail, listed-fail, skip, xfail, kfail, summary) and its whole console as <system-out>.
 */
void report_junit(FILE *f, const struct report_case *c, size_t n, const struct strlist *problems);

/*
 * Compare two captures of the same run. true when byte-identical; else false,
 * with the first differing line (1-based) and both versions of it in why.
 */
bool report_same_output(const char *a, size_t alen, const char *b, size_t blen, char *why, size_t whylen);

#endif
