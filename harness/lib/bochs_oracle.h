/*
 * Bochs as an oracle for failed VM entries: Bochs logs its own reason for each
 * (`VMFAIL: ...` for VMfailValid, `VMENTER FAIL: ...` before an entry-failure
 * exit; see ../shared/BOCHS.md). These are read from the run's bochs.log, mapped
 * conservatively to the entry checker's rule families, and set beside the
 * hypervisor's own verdict for each guest whose entry failed.
 */
#ifndef VEXIT_HARNESS_BOCHS_ORACLE_H
#define VEXIT_HARNESS_BOCHS_ORACLE_H

#include <stddef.h>

struct bochs_reason {
	char *text;         /* e.g. "VMENTER FAIL: RFLAGS[1] cleared" */
	const char *family; /* the checker family it maps to, or NULL when the text is not mapped */
};

struct bochs_reasons {
	struct bochs_reason *v;
	size_t n;
};

/* The entry-failure reasons of a Bochs log, in the order Bochs logged them (one per failed entry). */
void bochs_reasons_parse(const char *log, size_t len, struct bochs_reasons *out);
void bochs_reasons_free(struct bochs_reasons *r);
/* The family of one reason text (as logged, "VMFAIL: ..." or "VMENTER FAIL: ..."), or NULL. */
const char *bochs_reason_family(const char *text);

#endif
