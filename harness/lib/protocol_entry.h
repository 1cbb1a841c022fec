/*
 * The entry-failure lines of the protocol (docs/protocol.md, "Entry failures"):
 * the entry checker's verdicts, the exit history, the VMCS dump, breakage
 * requests and debugger stops. protocol.c's table of line kinds hands these here.
 */
#ifndef VEXIT_HARNESS_PROTOCOL_ENTRY_H
#define VEXIT_HARNESS_PROTOCOL_ENTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "strlist.h"

struct entry_report {
	bool checked_after_failure;       /* an `entry-check <g> after-failure` line was seen */
	unsigned long long announced;     /* its violations= count */
	struct strlist rules;             /* rule of each entry-violation after it, in order */
	struct strlist families;          /* the family= of each */
	struct strlist texts;             /* "rule family=.. sdm=.. text" of each, for messages */
	unsigned long long precheck_violations; /* violations= of a before-launch entry-check */
	bool prechecked;
	unsigned long long history_exits; /* exits= of the exit-history line */
	unsigned history_records;         /* exit-record lines */
	struct strlist records;           /* each: "<seq> <REASON> <qual>", qual 0x<hex> or - (none read) */
	unsigned vmcs_fields;             /* vmcs lines */
	char *breakage;                   /* name on the entry-break line, or NULL */
	unsigned debug_stops;             /* debug-stop lines */
	unsigned resume_checks;           /* before-resume entry-check lines (printed only when a rule is broken) */
	char *resume_exit;                /* "<seq> <REASON>" of the exit the first of them names, or NULL */
	struct strlist resume_rules;      /* rules of the entry-violation lines after before-resume checks */
	bool checked_after_break;         /* an `entry-check <g> after-break` line was seen (a breakage was applied) */
	struct strlist break_rules;       /* rules of the entry-violation lines after it */
	int open_check;                   /* 0: none; 1: before-launch; 2: after-failure (violations go there); 3: before-resume;
					     4: after-break */
};

struct run_report;

/* Parse one such line of this kind; `rest` is the text after the kind word. Problems go to r->errors. */
void protocol_entry_line(struct run_report *r, unsigned lineno, const char *kind, const char *rest);
void entry_report_free(struct entry_report *e);
/* Did the after-failure verdict name this rule? */
bool entry_report_names(const struct entry_report *e, const char *rule);

#endif
