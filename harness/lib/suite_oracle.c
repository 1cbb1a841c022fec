#include "suite_oracle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bochs_oracle.h"
#include "file_read.h"

static struct suite_guest *suite_guest_named(struct suite *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->guests[i].name, name) == 0)
			return &s->guests[i];
	return NULL;
}

static void fail_guest(struct suite *s, struct suite_guest *g)
{
	if (g->verdict == VERDICT_FAIL)
		return;
	if (g->verdict == VERDICT_PASS)
		s->passed--;
	else
		s->skipped--;
	g->verdict = VERDICT_FAIL;
	s->failed++;
}

/* Our rules, comma-separated, for the side-by-side note. */
static void our_rules(const struct entry_report *e, char *buf, size_t n)
{
	buf[0] = '\0';
	if (!e->checked_after_failure) {
		snprintf(buf, n, "no verdict");
		return;
	}
	if (e->rules.n == 0) {
		snprintf(buf, n, "no rule broken");
		return;
	}
	size_t used = 0;
	for (size_t i = 0; i < e->rules.n && used < n; i++)
		used += (size_t)snprintf(buf + used, n - used, "%s%s [%s]", i ? ", " : "", e->rules.v[i],
					 e->families.v[i]);
}

/*
 * The kinds of failed entry (SDM 27.8, 31.4): VMfailValid with error 7 (controls) or 8 (host state), or a
 * VM exit with the entry-failure bit and reason 33 (guest state) or 34 (MSR loading).
 */
enum failure_kind { KIND_NONE, KIND_ERROR_7, KIND_ERROR_8, KIND_VMFAIL_OTHER, KIND_EXIT_33, KIND_EXIT_34, KIND_EXIT_41 };

static const char *kind_text(enum failure_kind k)
{
	static const char *const text[] = {
		[KIND_NONE] = "no failed entry",
		[KIND_ERROR_7] = "VMfailValid error 7",
		[KIND_ERROR_8] = "VMfailValid error 8",
		[KIND_VMFAIL_OTHER] = "VMfail (not error 7 or 8)",
		[KIND_EXIT_33] = "an exit with reason 33 (ENTRY_FAIL_GUEST_STATE)",
		[KIND_EXIT_34] = "an exit with reason 34 (ENTRY_FAIL_MSR_LOADING)",
		[KIND_EXIT_41] = "an exit with reason 41 (ENTRY_FAIL_MACHINE_CHECK)",
	};
	return text[k];
}

/* What the guest's stop line says happened. */
static enum failure_kind kind_of_stop(const struct guest_report *r)
{
	const char *reason = guest_report_field(r, "reason"), *error = guest_report_field(r, "error");
	if (reason)
		return strcmp(reason, "ENTRY_FAIL_GUEST_STATE") == 0   ? KIND_EXIT_33
		       : strcmp(reason, "ENTRY_FAIL_MSR_LOADING") == 0 ? KIND_EXIT_34
		       : strcmp(reason, "ENTRY_FAIL_MACHINE_CHECK") == 0 ? KIND_EXIT_41
									 : KIND_NONE;
	if (error)
		return strcmp(error, "7") == 0 ? KIND_ERROR_7 : strcmp(error, "8") == 0 ? KIND_ERROR_8 : KIND_VMFAIL_OTHER;
	return KIND_NONE;
}

/* The kind a failure of this family has (a checker family, or one of the oracle's own); KIND_NONE: any. */
static enum failure_kind kind_of_family(const char *f)
{
	if (strcmp(f, "ctl") == 0)
		return KIND_ERROR_7;
	if (strcmp(f, "host") == 0)
		return KIND_ERROR_8;
	if (strcmp(f, "msr-load") == 0)
		return KIND_EXIT_34;
	if (strncmp(f, "guest-", 6) == 0)
		return KIND_EXIT_33;
	return KIND_NONE; /* launch: VMfailInvalid or errors 4, 5, 26 */
}

/* Bochs's outcome line says which exit it made; none: a VMfail. Only the exit-or-not class is known from the log. */
static enum failure_kind kind_class(enum failure_kind k)
{
	return k == KIND_ERROR_7 || k == KIND_ERROR_8 ? KIND_VMFAIL_OTHER : k;
}

static enum failure_kind kind_of_outcome(const struct bochs_line *o)
{
	if (!o)
		return KIND_VMFAIL_OTHER;
	return strstr(o->text, "loading guest MSR") ? KIND_EXIT_34 : KIND_EXIT_33;
}

/*
 * Compare one negative test's expected rule with Bochs's reason: same family, or the deviation it declares,
 * and a family whose kind of failure is the one the entry had, so that a reason of the right family on
 * the wrong kind of failure does not pass.
 */
static void judge_rule(struct suite *s, struct suite_guest *g, const struct expectation *x,
		       const struct bochs_line *b, enum failure_kind got)
{
	const struct entry_report *e = &g->report->entry;
	long i = strlist_find(&e->rules, x->key);
	if (i < 0)
		return; /* verdict_guest has already failed it: our checker did not name the rule */
	const char *want = x->value ? x->value : e->families.v[i];
	enum failure_kind want_kind = kind_of_family(want);
	if (want_kind != KIND_NONE && want_kind != got) {
		strlist_addf(&g->why, "%s: expectation '%s': family %s fails an entry with %s, but this entry failed with %s",
			     g->name, x->text, want, kind_text(want_kind), kind_text(got));
		fail_guest(s, g);
	}
	if (!b) {
		strlist_addf(&g->why, "%s: expectation '%s': got no Bochs VMFAIL/VMENTER FAIL reason, want one of family %s",
			     g->name, x->text, want);
		fail_guest(s, g);
	} else if (strcmp(b->family, want) != 0) {
		strlist_addf(&g->why, "%s: expectation '%s': got Bochs reason '%s' (family %s), want family %s", g->name,
			     x->text, b->text, b->family, want);
		fail_guest(s, g);
	}
}

/* The guest whose window holds tick: the last one that began at or before it; -1 before the first. */
static long window_of(const struct run_report *r, unsigned long long tick)
{
	long k = -1;
	for (size_t i = 0; i < r->n_guests && r->guests[i].begin_tsc <= tick; i++)
		k = (long)i;
	return k;
}

/* Bochs's lines for one guest's window, by role. */
struct window {
	const struct bochs_line *cause; /* the first cause; a failed entry has one */
	const struct bochs_line *outcome; /* the first outcome: the entry-failure exit Bochs made, if any */
	size_t causes;
	struct strlist unknown;         /* messages in no row of the catalogue */
};

/* A guest whose breakage Bochs entered (no reason in its window): vexit's after-break verdict beside it. */
static void judge_entered(struct suite_guest *g, const struct guest_report *r)
{
	char *rules = strlist_join(&r->entry.break_rules, ", ");
	strlist_addf(&g->notes, "entry break: vexit: %s | Bochs: entered", r->entry.break_rules.n ? rules : "no rule broken");
	free(rules);
}

static void judge_guest(struct suite *s, const struct guest_report *r, const struct window *w, bool have_log)
{
	struct suite_guest *g = suite_guest_named(s, r->name);
	bool failed = r->ended && strcmp(r->stop, "entry-failed") == 0;
	if (g && r->entry.resume_checks) {
		char *rules = strlist_join(&r->entry.resume_rules, ", ");
		strlist_addf(&g->notes, "precheck: the VMRESUME after exit %s breaks %s", r->entry.resume_exit, rules);
		free(rules);
	}
	for (size_t i = 0; i < w->unknown.n; i++) {
		strlist_addf(&s->problems, "bochs.log: guest %s: Bochs message in no row of the catalogue "
					   "(harness/lib/bochs_oracle.c): '%s'", r->name, w->unknown.v[i]);
		if (g)
			strlist_addf(&g->notes, "entry failure: Bochs: '%s' [unmapped]", w->unknown.v[i]);
	}
	if (!failed) {
		if (w->cause)
			strlist_addf(&s->problems, "bochs.log: Bochs refused an entry of guest %s ('%s'), which did not stop entry-failed",
				     r->name, w->cause->text);
		else if (g && r->entry.checked_after_break && have_log)
			judge_entered(g, r);
		return;
	}
	if (w->causes > 1)
		strlist_addf(&s->problems, "bochs.log: %zu Bochs reasons while guest %s ran, which has one failed entry",
			     w->causes, r->name);
	if (!g)
		return;
	enum failure_kind got = kind_of_stop(r);
	if (have_log && kind_class(got) != kind_of_outcome(w->outcome))
		strlist_addf(&s->problems, "bochs.log: guest %s stopped with %s, but Bochs's outcome is %s%s%s", r->name,
			     kind_text(got), w->outcome ? "'" : "", w->outcome ? w->outcome->text : "no entry-failure exit (a VMfail)",
			     w->outcome ? "'" : "");
	if (have_log && w->cause && kind_of_family(w->cause->family) != KIND_NONE &&
	    kind_class(kind_of_family(w->cause->family)) != kind_of_outcome(w->outcome))
		strlist_addf(&s->problems, "bochs.log: guest %s: Bochs's reason '%s' is of family %s (%s), but Bochs's outcome is %s",
			     r->name, w->cause->text, w->cause->family, kind_text(kind_of_family(w->cause->family)),
			     w->outcome ? w->outcome->text : "a VMfail");
	char ours[512];
	our_rules(&r->entry, ours, sizeof(ours));
	const struct bochs_line *b = w->cause;
	if (!have_log)
		strlist_addf(&g->notes, "entry failure: vexit: %s | Bochs: no bochs.log to compare with", ours);
	else
		strlist_addf(&g->notes, "entry failure: vexit: %s | Bochs: '%s' [%s]", ours, b ? b->text : "no reason logged",
			     b ? b->family : "none");
	/* A guest skipped for a feature the CPU lacks (`needs`) broke something else: its rule is not judged. */
	if (!have_log || !g->report || g->verdict == VERDICT_SKIP)
		return;
	for (size_t j = 0; j < g->expect.n; j++)
		if (g->expect.v[j].kind == EXPECT_ENTRY_RULE)
			judge_rule(s, g, &g->expect.v[j], b, got);
}

void suite_judge_bochs(struct suite *s, const char *log, size_t len)
{
	const struct run_report *run = &s->run;
	struct bochs_lines bl = { 0 };
	if (log)
		bochs_lines_parse(log, len, &bl);
	/* Pair by tick: the host's TSC at each guest-begin is Bochs's tick, so each line falls in one guest's window. */
	bool ticks = true;
	for (size_t k = 0; k < run->n_guests; k++)
		ticks &= run->guests[k].has_tsc;
	if (log && !ticks) {
		strlist_addf(&s->problems, "bochs.log: guest-begin lines without tsc=: Bochs's reasons cannot be paired with guests");
		bochs_lines_free(&bl);
		log = NULL;
	}
	struct window *w = calloc(run->n_guests + 1, sizeof(*w));
	if (!w)
		abort();
	for (size_t i = 0; i < bl.n; i++) {
		const struct bochs_line *b = &bl.v[i];
		long k = window_of(run, b->tick);
		if (k < 0) {
			if (b->role != BOCHS_OUTCOME)
				strlist_addf(&s->problems, "bochs.log: '%s' at tick %llu, before any guest began", b->text,
					     b->tick);
			continue;
		}
		if (b->role == BOCHS_UNKNOWN)
			strlist_addf(&w[k].unknown, "%s", b->text);
		else if (b->role == BOCHS_CAUSE && w[k].causes++ == 0)
			w[k].cause = b;
		else if (b->role == BOCHS_OUTCOME && !w[k].outcome)
			w[k].outcome = b;
	}
	for (size_t k = 0; k < run->n_guests; k++) {
		judge_guest(s, &run->guests[k], &w[k], log != NULL);
		strlist_free(&w[k].unknown);
	}
	free(w);
	bochs_lines_free(&bl);
}

bool suite_judge_run(struct suite *s, const struct bochs_run_opts *o, const struct bochs_run_result *r, char *how,
		     size_t how_len)
{
	bochs_run_describe(r, o, how, how_len);
	/* Whatever it printed, a run that Bochs did not end by itself, or that never began, is not complete. */
	bool bad_end = r->end == BOCHS_RUN_TIMED_OUT || r->end == BOCHS_RUN_SIGNALED || r->end == BOCHS_RUN_NOT_STARTED;
	suite_judge(s, r->serial, r->serial_len, bad_end ? how : NULL);
	/* A run with no directory never started: it has no bochs.log, and no file elsewhere stands in for it. */
	char *log = NULL;
	size_t len = 0;
	if (r->dir[0]) {
		char path[sizeof(r->dir) + 16];
		snprintf(path, sizeof(path), "%s/bochs.log", r->dir);
		log = file_read(path, 1u << 30, &len);
	}
	suite_judge_bochs(s, log, len);
	free(log);
	return suite_ok(s);
}
