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

/* Compare one negative test's expected rule with Bochs's reason: same family, or the deviation it declares. */
static void judge_rule(struct suite *s, struct suite_guest *g, const struct expectation *x,
		       const struct bochs_line *b)
{
	const struct entry_report *e = &g->report->entry;
	long i = strlist_find(&e->rules, x->key);
	if (i < 0)
		return; /* verdict_guest has already failed it: our checker did not name the rule */
	const char *want = x->value ? x->value : e->families.v[i];
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
	size_t causes;
	struct strlist unknown;         /* messages in no row of the catalogue */
};

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
		return;
	}
	if (w->causes > 1)
		strlist_addf(&s->problems, "bochs.log: %zu Bochs reasons while guest %s ran, which has one failed entry",
			     w->causes, r->name);
	if (!g)
		return;
	char ours[512];
	our_rules(&r->entry, ours, sizeof(ours));
	const struct bochs_line *b = w->cause;
	if (!have_log)
		strlist_addf(&g->notes, "entry failure: vexit: %s | Bochs: no bochs.log to compare with", ours);
	else
		strlist_addf(&g->notes, "entry failure: vexit: %s | Bochs: '%s' [%s]", ours, b ? b->text : "no reason logged",
			     b ? b->family : "none");
	if (!have_log || !g->report)
		return;
	for (size_t j = 0; j < g->expect.n; j++)
		if (g->expect.v[j].kind == EXPECT_ENTRY_RULE)
			judge_rule(s, g, &g->expect.v[j], b);
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
