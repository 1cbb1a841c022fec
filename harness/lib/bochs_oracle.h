/*
 * Bochs as an oracle for failed VM entries: Bochs logs its own reason for each
 * (`VMFAIL: ...` for VMfailValid, `VMENTER FAIL: ...` before an entry-failure
 * exit, `VMX LoadMSRs n: ...` before an MSR-loading failure; ../shared/BOCHS.md).
 * This reads them from a run's bochs.log, each with the tick Bochs stamped it
 * with, and maps every message Bochs 2.7's cpu/vmx.cc can log on the VM-entry
 * path to the entry checker's rule families (hypervisor/diag/entry_check.h).
 * A line that looks like an entry message but is in no row of the catalogue is
 * kept as BOCHS_UNKNOWN, never guessed at.
 */
#ifndef VEXIT_HARNESS_BOCHS_ORACLE_H
#define VEXIT_HARNESS_BOCHS_ORACLE_H

#include <stdbool.h>
#include <stddef.h>

enum bochs_role {
	BOCHS_CAUSE,   /* why the entry failed: the one reason a failed entry has */
	BOCHS_OUTCOME, /* what Bochs did about it: an entry-failure exit (33 or 34) */
	BOCHS_DETAIL,  /* more about the cause that follows it (is_eptptr_valid: ...) */
	BOCHS_IGNORED, /* a VMX message that is not about VMLAUNCH/VMRESUME (VMREAD, VMCLEAR...) */
	BOCHS_UNKNOWN, /* looks like an entry message, but is in no row of the catalogue */
};

/* One row of the catalogue: a Bochs format (%d, %u, %x, %s, %c as Bochs prints them). */
struct bochs_message {
	const char *format;
	const char *family; /* the checker family of a cause; NULL for the other roles */
	enum bochs_role role;
};
extern const struct bochs_message bochs_messages[];
extern const size_t bochs_message_count;

struct bochs_line {
	unsigned long long tick; /* Bochs's tick count, the number that starts the log line */
	char *text;              /* e.g. "VMENTER FAIL: RFLAGS[1] cleared" */
	const char *family;      /* for a cause: its family */
	enum bochs_role role;    /* never BOCHS_IGNORED: those lines are dropped */
};

struct bochs_lines {
	struct bochs_line *v;
	size_t n;
};

/* The entry-related lines of a Bochs log, in order. */
void bochs_lines_parse(const char *log, size_t len, struct bochs_lines *out);
void bochs_lines_free(struct bochs_lines *l);
/* The catalogue row a message matches (first match), or NULL when it is not in the catalogue. */
const struct bochs_message *bochs_message_find(const char *text);
/* The family of one cause text, or NULL (not a cause, or not in the catalogue). */
const char *bochs_reason_family(const char *text);

#endif
