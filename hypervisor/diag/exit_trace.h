/*
 * The exit trace a guest turns on with VEXIT_HC_TRACE: the basic reason and
 * qualification of each exit while on, printed as exit-trace lines at the end of
 * the VM (docs/protocol.md). Pure C.
 */
#ifndef VEXIT_EXIT_TRACE_H
#define VEXIT_EXIT_TRACE_H

#include <stdbool.h>
#include <stdint.h>

#define EXIT_TRACE_MAX 32

struct exit_trace {
	bool on;
	unsigned n, dropped; /* entries kept; exits seen while full */
	struct {
		uint16_t reason;
		uint64_t qualification;
	} entries[EXIT_TRACE_MAX];
};

/* Append one exit (the caller checks t->on first: the hot path pays one test). */
void exit_trace_record(struct exit_trace *t, uint16_t basic_reason, uint64_t qualification);
/* Turn the trace on or off; turning it off drops the VMCALL that did so, which was traced itself. */
void exit_trace_set(struct exit_trace *t, bool on);
/* One `VEXIT exit-trace <guest> <i> <reason> <qual>` line per entry. */
void exit_trace_print(const char *guest, const struct exit_trace *t);

#endif
