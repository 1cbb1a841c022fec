#include "verdict.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_PASS:
		return "PASS";
	case VERDICT_FAIL:
		return "FAIL";
	case VERDICT_SKIP:
		return "SKIP";
	}
	return "?";
}

static bool check_one(const char *name, const struct guest_report *g, const struct expectation *e,
		      const char *note, struct strlist *why)
{
	const char *got_s = NULL;
	switch (e->kind) {
	case EXPECT_STOP:
		if (strcmp(g->stop, e->key) == 0)
			return true;
		strlist_addf(why, "%s: expectation '%s'%s: got %s, want %s", name, e->text, note, g->stop, e->key);
		return false;
	case EXPECT_EXIT: {
		unsigned long long got = guest_report_exits(g, e->key);
		if (got == e->n)
			return true;
		strlist_addf(why, "%s: expectation '%s'%s: got %llu, want %llu", name, e->text, note, got, e->n);
		return false;
	}
	case EXPECT_ASSERTS:
		if (g->passes == e->n)
			return true;
		strlist_addf(why, "%s: expectation '%s'%s: got %u, want %llu", name, e->text, note, g->passes,
			     e->n);
		return false;
	case EXPECT_STATUS: {
		char want[24];
		snprintf(want, sizeof(want), "%llu", e->n);
		got_s = guest_report_field(g, "status");
		if (got_s && strcmp(got_s, want) == 0)
			return true;
		strlist_addf(why, "%s: expectation '%s'%s: got %s, want %s", name, e->text, note,
			     got_s ? got_s : "no status= field", want);
		return false;
	}
	case EXPECT_TRACE: {
		const char *got = e->n < g->trace.n ? g->trace.v[e->n] : NULL;
		if (got && strcmp(got, e->value) == 0)
			return true;
		strlist_addf(why, "%s: expectation '%s'%s: got %s, want %s", name, e->text, note,
			     got ? got : "no such trace entry", e->value);
		return false;
	}
	case EXPECT_HISTORY: {
		/* The exit-record line numbered seq (the history keeps the last exits only: any of them). */
		const struct strlist *h = &g->entry.records;
		for (size_t i = 0; i < h->n; i++)
			if (strtoull(h->v[i], NULL, 10) == e->n) {
				if (strcmp(h->v[i], e->value) == 0)
					return true;
				strlist_addf(why, "%s: expectation '%s'%s: got %s, want %s", name, e->text, note, h->v[i],
					     e->value);
				return false;
			}
		strlist_addf(why, "%s: expectation '%s'%s: got no exit-record %llu, want %s", name, e->text, note, e->n,
			     e->value);
		return false;
	}
	case EXPECT_NEEDS:
		return true; /* judged before the run's lines: verdict_needs_missing */
	case EXPECT_COST:
	case EXPECT_SHARD_WITH:
		return true; /* a scheduling hint (select_shard), nothing to check */
	case EXPECT_ENTRY_RULE: {
		const struct entry_report *er = &g->entry;
		if (e->value && strcmp(e->value, EXPECT_BOCHS_ENTERED) == 0) {
			/* Bochs enters where the SDM refuses: vexit's verdict is the one printed after the breakage. */
			if (strcmp(g->stop, "entry-failed") == 0)
				strlist_addf(why, "%s: expectation '%s'%s: got a failed entry, want one that Bochs enters", name,
					     e->text, note);
			else if (strlist_find(&er->break_rules, e->key) >= 0)
				return true;
			else
				strlist_addf(why, "%s: expectation '%s'%s: got %s, want the after-break verdict to name %s", name,
					     e->text, note, er->checked_after_break ? "a verdict without it" : "no after-break verdict",
					     e->key);
			return false;
		}
		if (entry_report_names(er, e->key))
			return true;
		if (!er->checked_after_failure)
			strlist_addf(why, "%s: expectation '%s'%s: got no entry-check after a failed entry, want %s", name,
				     e->text, note, e->key);
		else if (er->rules.n == 0)
			strlist_addf(why, "%s: expectation '%s'%s: got a checker verdict naming no rule, want %s", name,
				     e->text, note, e->key);
		else
			strlist_addf(why, "%s: expectation '%s'%s: got %s%s, want %s", name, e->text, note,
				     er->rules.v[0], er->rules.n > 1 ? " (and others)" : "", e->key);
		return false;
	}
	case EXPECT_FIELD:
		got_s = guest_report_field(g, e->key);
		if (got_s && strcmp(got_s, e->value) == 0)
			return true;
		if (got_s)
			strlist_addf(why, "%s: expectation '%s'%s: got %s, want %s", name, e->text, note, got_s,
				     e->value);
		else
			strlist_addf(why, "%s: expectation '%s'%s: got no %s= field, want %s", name, e->text,
				     note, e->key, e->value);
		return false;
	}
	return false;
}

enum verdict verdict_guest(const char *name, const struct guest_report *g, const struct expect_set *e,
			   struct strlist *why)
{
	if (!g) {
		strlist_addf(why, "%s: never ran (no guest-begin line in the output)", name);
		return VERDICT_FAIL;
	}
	if (!g->ended) {
		strlist_addf(why, "%s: no guest-end line: the run stopped while this guest was running", name);
		return VERDICT_FAIL;
	}
	if (strcmp(g->stop, "skipped") == 0) {
		const char *w = guest_report_field(g, "why");
		strlist_addf(why, "%s: skipped by the hypervisor: %s", name, w ? w : "no reason given");
		return VERDICT_SKIP;
	}
	enum verdict v = VERDICT_PASS;
	for (size_t i = 0; i < g->lines.n; i++)
		if (strncmp(g->lines.v[i], "FAIL", 4) == 0 && (g->lines.v[i][4] == ' ' || !g->lines.v[i][4])) {
			strlist_addf(why, "%s: the guest reported %s", name, g->lines.v[i]);
			v = VERDICT_FAIL;
		}
	/*
	 * A guest that skips itself must still end cleanly (stop done, status 0): a SKIP
	 * line followed by a crash, a budget stop or an unhandled exit is a failure.
	 */
	const char *status = guest_report_field(g, "status");
	bool clean_end = strcmp(g->stop, "done") == 0 && status && strcmp(status, "0") == 0;
	if (v == VERDICT_PASS && g->skips && clean_end) {
		for (size_t i = 0; i < g->lines.n; i++)
			if (strncmp(g->lines.v[i], "SKIP", 4) == 0 && (g->lines.v[i][4] == ' ' || !g->lines.v[i][4]))
				strlist_addf(why, "%s: skipped by the guest: %s", name, g->lines.v[i]);
		return VERDICT_SKIP;
	}
	if (v == VERDICT_PASS && g->skips)
		strlist_addf(why, "%s: the guest said SKIP but then ended with stop=%s%s%s", name, g->stop,
			     status ? " status=" : "", status ? status : "");

	bool have_stop = false, have_status = false;
	for (size_t i = 0; i < e->n; i++) {
		have_stop |= e->v[i].kind == EXPECT_STOP;
		have_status |= e->v[i].kind == EXPECT_STATUS;
		if (!check_one(name, g, &e->v[i], "", why))
			v = VERDICT_FAIL;
	}
	/* Defaults of docs/protocol.md: stop done, and status 0 when the stop is done. */
	bool wants_done = !have_stop;
	for (size_t i = 0; i < e->n; i++)
		if (e->v[i].kind == EXPECT_STOP && strcmp(e->v[i].key, "done") == 0)
			wants_done = true;
	if (!have_stop) {
		struct expectation d = { .kind = EXPECT_STOP, .text = "stop done", .key = "done" };
		if (!check_one(name, g, &d, " (default)", why))
			v = VERDICT_FAIL;
	}
	if (wants_done && !have_status) {
		struct expectation d = { .kind = EXPECT_STATUS, .text = "status 0", .n = 0 };
		if (!check_one(name, g, &d, " (default)", why))
			v = VERDICT_FAIL;
	}
	return v;
}

/* Whether the space-separated words of `line` include `word`. */
static bool has_word(const char *line, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = strstr(line, word); p; p = strstr(p + 1, word))
		if ((p == line || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

bool verdict_needs_missing(const char *name, const char *cpu_line, const struct expect_set *e,
			   struct strlist *why)
{
	for (size_t i = 0; cpu_line && i < e->n; i++) {
		if (e->v[i].kind != EXPECT_NEEDS)
			continue;
		const char *need = e->v[i].key;
		if (strchr(need, '=')) {
			/* key=value: this run must have exactly that (e.g. watchdog=apic-timer). */
			if (!has_word(cpu_line, need)) {
				strlist_addf(why, "%s: needs %s, which this run does not have (VEXIT cpu %s)", name, need,
					     cpu_line);
				return true;
			}
			continue;
		}
		char lacks[128];
		snprintf(lacks, sizeof(lacks), "%s=no", need);
		if (has_word(cpu_line, lacks)) {
			strlist_addf(why, "%s: needs %s, which this CPU lacks (VEXIT cpu %s)", name, need, cpu_line);
			return true;
		}
	}
	return false;
}

size_t verdict_run(const struct run_report *r, const struct strlist *expected, struct strlist *problems)
{
	size_t before = problems->n;
	if (r->version == 0)
		strlist_addf(problems, "no 'VEXIT protocol' line: the hypervisor never started talking");
	else if (r->version != PROTOCOL_VERSION)
		strlist_addf(problems, "protocol version %d, this harness reads version %d", r->version,
			     PROTOCOL_VERSION);
	if (r->panic)
		strlist_addf(problems, "the hypervisor panicked: %s", r->panic);
	/* The cpu line comes right after VMXON: from then on, every end of the run must leave VMX. */
	if (r->cpu && !r->vmx_off)
		strlist_addf(problems, "VMX left on: no 'VEXIT vmx-off' line after VMXON");
	else if (r->vmx_off && !has_word(r->vmx_off, "vmread=ud"))
		strlist_addf(problems, "VMX still on after VMXOFF: a VMREAD did not raise #UD (VEXIT vmx-off %s)",
			     r->vmx_off);
	if (r->version && !r->end_seen)
		strlist_addf(problems, "truncated run: no 'VEXIT end' line");
	if (r->summary_seen) {
		if (r->pages_leaked)
			strlist_addf(problems, "the hypervisor leaked %llu pages over the run", r->pages_leaked);
		if (r->summary_guests != r->n_guests)
			strlist_addf(problems, "the summary counts %llu guests, the output shows %zu",
				     r->summary_guests, r->n_guests);
	} else if (r->end_seen) {
		strlist_addf(problems, "no summary line before 'VEXIT end'");
	}
	for (size_t i = 0; i < r->errors.n; i++)
		strlist_addf(problems, "protocol error: %s", r->errors.v[i]);
	for (size_t i = 0; i < r->n_guests; i++)
		if (strlist_find(expected, r->guests[i].name) < 0)
			strlist_addf(problems, "guest '%s' ran but is not among the selected guest images",
				     r->guests[i].name);
	return problems->n - before;
}
