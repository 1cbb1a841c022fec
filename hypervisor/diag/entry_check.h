/*
 * The software VM-entry checker: the checks of SDM Vol. 3C 27.2 (VMX controls
 * and host state) and 27.3.1 (guest state), one small function per rule, each
 * named after it, over a plain struct vmcs_snapshot. It explains a failed entry
 * (VMfailValid 7/8, exit reasons 33/34/41) by naming every rule the VMCS breaks,
 * with the fields and their values. Pure C: the host build tests every rule.
 */
#ifndef VEXIT_ENTRY_CHECK_H
#define VEXIT_ENTRY_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "diag/vmcs_snapshot.h"
#include "vmx/vmx_caps.h"

/*
 * Rule families: what kind of failure a broken rule causes (SDM 27.1, 31.4):
 * controls -> VMfailValid error 7, host state -> error 8, guest state -> an
 * exit with reason 33 (ENTRY_FAIL_GUEST_STATE), MSR loading -> reason 34
 * (ENTRY_FAIL_MSR_LOADING). The harness maps Bochs's own
 * reasons to the same families to compare them.
 */
#define ENTRY_FAMILY_CTL "ctl"
#define ENTRY_FAMILY_HOST "host"
#define ENTRY_FAMILY_GUEST_CR "guest-cr"       /* CR0, CR3, CR4, DR7 */
#define ENTRY_FAMILY_GUEST_MSR "guest-msr"     /* IA32_EFER, SYSENTER */
#define ENTRY_FAMILY_GUEST_SEG "guest-seg"     /* segment registers, GDTR, IDTR */
#define ENTRY_FAMILY_GUEST_RIP "guest-rip"     /* RIP and RFLAGS */
#define ENTRY_FAMILY_GUEST_NONREG "guest-nonreg" /* activity, interruptibility, pending debug, link pointer */
#define ENTRY_FAMILY_GUEST_PDPTE "guest-pdpte" /* the PDPTEs of a PAE guest: the VMCS's with EPT, at CR3 without (SDM 27.3.1.6) */
#define ENTRY_FAMILY_MSR_LOAD "msr-load"   /* the VM-entry MSR-load area: an exit with reason 34 (SDM 27.4) */

#define ENTRY_CHECK_MAX_VIOLATIONS 16
#define ENTRY_CHECK_TEXT_MAX 200

struct entry_rule {
	const char *name;   /* e.g. "guest_rflags_reserved" */
	const char *family; /* ENTRY_FAMILY_* */
	const char *sdm;    /* e.g. "27.3.1.4" */
};

struct entry_violation {
	const struct entry_rule *rule;
	char text[ENTRY_CHECK_TEXT_MAX]; /* the fields and values that break it */
};

struct entry_check_result {
	unsigned n;       /* violations found (may exceed the ones kept) */
	struct entry_violation v[ENTRY_CHECK_MAX_VIOLATIONS];
};

/* Run every rule; returns the number of violations (0: the checker sees nothing wrong). */
unsigned entry_check_run(const struct vmcs_snapshot *s, const struct vmx_caps *c, struct entry_check_result *out);
/* Did the result name this rule? */
bool entry_check_names(const struct entry_check_result *r, const char *rule);
/* The rule table, for tests and documentation. */
extern const struct entry_rule entry_rules[];
extern const unsigned entry_rule_count;
const struct entry_rule *entry_rule_find(const char *name);

/* Print `VEXIT entry-check <guest> <when> violations=<n>` and one `entry-violation` line each. */
void entry_check_print(const char *guest, const char *when, const struct entry_check_result *r);

#endif
