#include "verdict_external.h"

#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The listed entry whose prefix begins the text after "FAIL: " (or "SKIP: "), or NULL. */
static const struct manifest_allow *allowed(const struct manifest_allow *list, size_t n, const char *what)
{
	for (size_t i = 0; i < n; i++)
		if (starts_with(what, list[i].prefix))
			return &list[i];
	return NULL;
}

/* The text after a kvm-unit-tests report word ("FAIL: "...), or NULL when the line is not one. */
static const char *after(const char *line, const char *word)
{
	size_t n = strlen(word);
	if (strncmp(line, word, n) != 0)
		return NULL;
	return line + n + (line[n] == ' ');
}

/* ", <n> <what>" at *p: its number, *p moved past it. false when the text there is not that. */
static bool summary_item(const char **p, const char *what, unsigned *n)
{
	char *end;
	if (strncmp(*p, ", ", 2) != 0 || !isdigit((unsigned char)(*p)[2]))
		return false;
	unsigned long v = strtoul(*p + 2, &end, 10);
	size_t len = strlen(what);
	if (*end != ' ' || strncmp(end + 1, what, len) != 0 || v > UINT_MAX)
		return false;
	*n = (unsigned)v;
	*p = end + 1 + len;
	return true;
}

bool external_summary_parse(const char *line, struct external_counts *c)
{
	const char *p = after(line, "SUMMARY:");
	char *end;
	if (!p || !isdigit((unsigned char)*p))
		return false;
	unsigned long tests = strtoul(p, &end, 10);
	if (strncmp(end, " tests", 6) != 0 || tests > UINT_MAX)
		return false;
	p = end + 6;
	unsigned fail = 0, kfail = 0, xfail = 0, skip = 0;
	/* In lib/report.c's order, each only when not 0. */
	summary_item(&p, "unexpected failures", &fail);
	summary_item(&p, "known failures", &kfail);
	summary_item(&p, "expected failures", &xfail);
	summary_item(&p, "skipped", &skip);
	if (*p)
		return false;
	c->summary = true;
	c->sum_tests = (unsigned)tests;
	c->sum_fail = fail;
	c->sum_kfail = kfail;
	c->sum_xfail = xfail;
	c->sum_skip = skip;
	return true;
}

/* The SUMMARY line must count what the console's report lines count: true when it does (or there is none). */
static bool cross_check(const struct manifest_entry *e, const struct external_counts *c, struct strlist *why)
{
	unsigned lines = c->pass + c->fail + c->xfail + c->kfail + c->skip;
	if (!c->summary || (c->sum_tests == lines && c->sum_fail == c->fail && c->sum_kfail == c->kfail &&
			    c->sum_xfail == c->xfail && c->sum_skip == c->skip))
		return true;
	strlist_addf(why, "%s: its SUMMARY line (%u tests, %u unexpected failures, %u known, %u expected, %u skipped) "
		     "disagrees with its report lines (%u: %u PASS, %u FAIL or XPASS, %u KFAIL, %u XFAIL, %u SKIP)",
		     e->name, c->sum_tests, c->sum_fail, c->sum_kfail, c->sum_xfail, c->sum_skip, lines, c->pass, c->fail,
		     c->kfail, c->xfail, c->skip);
	return false;
}

/* Every console line: count, and each unlisted FAIL/XPASS or SKIP is a reason. */
static void read_console(const struct manifest_entry *e, const struct guest_report *g, struct external_counts *c,
			 struct strlist *why)
{
	const struct strlist *con = &g->console;
	for (size_t i = 0; i < con->n; i++) {
		const char *l = con->v[i], *what;
		if (after(l, "PASS:")) {
			c->pass++;
		} else if (after(l, "XFAIL:")) {
			c->xfail++;
		} else if (after(l, "KFAIL:")) {
			c->kfail++;
		} else if (external_summary_parse(l, c)) {
			continue;
		} else if ((what = after(l, "FAIL:")) || (what = after(l, "XPASS:"))) {
			c->fail++;
			if (allowed(e->fails, e->n_fails, what))
				c->listed_fail++;
			else
				strlist_addf(why, "%s: unexpected failure: '%s'", e->name, l);
		} else if ((what = after(l, "SKIP:"))) {
			c->skip++;
			if (!allowed(e->skips, e->n_skips, what))
				strlist_addf(why, "%s: unlisted skip: '%s'", e->name, l);
		}
	}
	/* Every listed skip must still happen: a SKIP that went away means the manifest is stale. */
	for (size_t k = 0; k < e->n_skips; k++) {
		bool seen = false;
		for (size_t i = 0; i < con->n && !seen; i++) {
			const char *what = after(con->v[i], "SKIP:");
			seen = what && starts_with(what, e->skips[k].prefix);
		}
		if (!seen)
			strlist_addf(why, "%s: the listed skip '%s' (%s) did not happen", e->name, e->skips[k].prefix,
				     e->skips[k].reason);
	}
}

/* An end of its own: the exit port, power-off, or its end line then HLT; bare (suite_bare.h), Bochs's shutdown port or its end line. */
static bool ended_by_itself(const struct manifest_entry *e, const struct guest_report *g)
{
	if (strcmp(g->stop, "done") == 0 || strcmp(g->stop, "power-off") == 0 || strcmp(g->stop, "shutdown") == 0)
		return true;
	if (!e->end_line || (strcmp(g->stop, "halted") != 0 && strcmp(g->stop, "end-line") != 0))
		return false;
	return strlist_find(&g->console, e->end_line) >= 0;
}

/* The stop is the one `stops` names: its first word the stop token, each further word one of its fields. */
static bool stops_as_listed(const char *stops, const struct guest_report *g)
{
	char *copy = xstrndup(stops, strlen(stops));
	char *save = NULL, *w = strtok_r(copy, " ", &save);
	bool same = w && strcmp(w, g->stop) == 0;
	while (same && (w = strtok_r(NULL, " ", &save)))
		same = strlist_find(&g->fields, w) >= 0;
	free(copy);
	return same;
}

static char *stop_text(const struct guest_report *g)
{
	char *fields = strlist_join(&g->fields, " ");
	size_t n = strlen(g->stop) + strlen(fields) + 2;
	char *s = xrealloc(NULL, n);
	snprintf(s, n, "%s%s%s", g->stop, fields[0] ? " " : "", fields);
	free(fields);
	return s;
}

static enum verdict judge_end(const struct manifest_entry *e, const struct guest_report *g,
			      const struct external_counts *c,
			      struct strlist *why)
{
	char *stop = stop_text(g);
	bool ended = ended_by_itself(e, g);
	if (e->needs) {
		/* A skip only when nothing else was wrong (an unexpected FAIL before the stop still fails it). */
		/* An end can be the listed stop too: a kernel's own exit on an unhandled exception (`done status=63`). */
		bool as_listed = stops_as_listed(e->stops, g), clean = why->n == 0;
		if (ended && !as_listed)
			strlist_addf(why, "%s: ran to its end (%s), but the manifest says it needs %s: update the manifest",
				     e->name, stop, e->needs);
		else if (as_listed)
			strlist_addf(why, "%s: needs %s (stopped as the manifest says: %s)", e->name, e->needs, stop);
		else
			strlist_addf(why, "%s: stopped at '%s', not where the manifest says it stops ('%s')", e->name, stop,
				     e->stops);
		free(stop);
		return as_listed && clean ? VERDICT_SKIP : VERDICT_FAIL;
	}
	if (!ended) {
		strlist_addf(why, "%s: did not end by itself: stop=%s", e->name, stop);
	} else if (strcmp(g->stop, "done") == 0) {
		const char *status = guest_report_field(g, "status");
		if (!status || (strcmp(status, "0") != 0 && c->listed_fail == 0))
			strlist_addf(why, "%s: exit status %s with no listed failure", e->name, status ? status : "?");
	}
	free(stop);
	return why->n ? VERDICT_FAIL : VERDICT_PASS;
}

enum verdict verdict_external(const struct manifest_entry *e, const struct guest_report *g, struct strlist *why,
			      struct strlist *notes, struct external_counts *c)
{
	*c = (struct external_counts){ 0 };
	if (!g) {
		strlist_addf(why, "%s: the run never began it", e->name);
		return VERDICT_FAIL;
	}
	if (!g->ended) {
		strlist_addf(why, "%s: never ended (no guest-end line)", e->name);
		return VERDICT_FAIL;
	}
	const char *reason = guest_report_field(g, "why");
	if (strcmp(g->stop, "skipped") == 0) {
		strlist_addf(why, "%s: skipped by the hypervisor: %s", e->name, reason ? reason : "?");
		return VERDICT_SKIP;
	}
	if (strcmp(g->stop, "bad-image") == 0) {
		strlist_addf(why, "%s: the hypervisor refused the kernel: %s", e->name, reason ? reason : "?");
		return VERDICT_FAIL;
	}
	read_console(e, g, c, why);
	bool agrees = cross_check(e, c, why);
	strlist_addf(notes, "%s: %u PASS, %u FAIL (%u listed), %u SKIP, %u XFAIL, %u KFAIL%s", e->name, c->pass,
		     c->fail, c->listed_fail, c->skip, c->xfail, c->kfail,
		     !c->summary ? "; no SUMMARY line" : agrees ? "; its SUMMARY line agrees" : "; its SUMMARY line disagrees");
	enum verdict v = judge_end(e, g, c, why);
	return why->n && v == VERDICT_PASS ? VERDICT_FAIL : v;
}
