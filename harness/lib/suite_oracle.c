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

/* Compare one negative test's expected rule with Bochs's reason. */
static void judge_rule(struct suite *s, struct suite_guest *g, const struct expectation *x,
		       const struct bochs_reason *b)
{
	const struct entry_report *e = &g->report->entry;
	long i = strlist_find(&e->rules, x->key);
	if (i < 0)
		return; /* verdict_guest has already failed it: our checker did not name the rule */
	const char *ours = e->families.v[i];
	if (!b) {
		strlist_addf(&g->why, "%s: expectation '%s': got no Bochs VMFAIL/VMENTER FAIL reason, want one of family %s",
			     g->name, x->text, ours);
		fail_guest(s, g);
	} else if (b->family && strcmp(b->family, ours) != 0) {
		strlist_addf(&g->why, "%s: expectation '%s': got Bochs reason '%s' (family %s), want family %s", g->name,
			     x->text, b->text, b->family, ours);
		fail_guest(s, g);
	}
}

void suite_judge_bochs(struct suite *s, const char *log, size_t len)
{
	struct bochs_reasons br = { 0 };
	if (log)
		bochs_reasons_parse(log, len, &br);
	size_t next = 0;
	for (size_t k = 0; k < s->run.n_guests; k++) {
		const struct guest_report *r = &s->run.guests[k];
		if (!r->ended || strcmp(r->stop, "entry-failed") != 0)
			continue;
		const struct bochs_reason *b = next < br.n ? &br.v[next] : NULL;
		next++;
		struct suite_guest *g = suite_guest_named(s, r->name);
		if (!g)
			continue;
		char ours[512];
		our_rules(&r->entry, ours, sizeof(ours));
		if (!log)
			strlist_addf(&g->notes, "entry failure: vexit: %s | Bochs: no bochs.log to compare with", ours);
		else
			strlist_addf(&g->notes, "entry failure: vexit: %s | Bochs: '%s' [%s]", ours,
				     b ? b->text : "no reason logged", b && b->family ? b->family : "unmapped");
		if (!log || !g->report)
			continue;
		for (size_t j = 0; j < g->expect.n; j++)
			if (g->expect.v[j].kind == EXPECT_ENTRY_RULE)
				judge_rule(s, g, &g->expect.v[j], b);
	}
	if (log && next != br.n)
		strlist_addf(&s->problems, "bochs.log has %zu entry-failure reasons but the run has %zu failed entries",
			     br.n, next);
	bochs_reasons_free(&br);
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
