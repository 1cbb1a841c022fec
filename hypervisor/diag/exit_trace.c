#include "diag/exit_trace.h"

#include "kernel/console.h"
#include "vmx/exit_reason.h"

void exit_trace_record(struct exit_trace *t, uint16_t basic_reason, uint64_t qualification)
{
	if (t->n == EXIT_TRACE_MAX) {
		t->dropped++;
		return;
	}
	t->entries[t->n].reason = basic_reason;
	t->entries[t->n].qualification = qualification;
	t->n++;
}

void exit_trace_set(struct exit_trace *t, bool on)
{
	/*
	 * The VMCALL that stops the trace was traced itself (the last entry, or one more
	 * dropped when the buffer was full): it is not part of what the guest measured.
	 */
	if (!on && t->on) {
		if (t->dropped)
			t->dropped--;
		else if (t->n)
			t->n--;
	}
	t->on = on;
}

void exit_trace_print(const char *guest, const struct exit_trace *t)
{
	for (unsigned i = 0; i < t->n; i++) {
		const char *name = exit_reason_name(t->entries[i].reason);
		kprintf("VEXIT exit-trace %s %u %s 0x%lx\n", guest, i, name ? name : "UNKNOWN",
			t->entries[i].qualification);
	}
}
