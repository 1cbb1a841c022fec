#include "protocol_entry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"

/* Split off the first space-separated word of *p (in place); NULL when there is none. */
static char *word(char **p)
{
	while (**p == ' ')
		(*p)++;
	if (!**p)
		return NULL;
	char *w = *p;
	while (**p && **p != ' ')
		(*p)++;
	if (**p)
		*(*p)++ = '\0';
	return w;
}

/* The value of `key=` if word w is that field, else NULL. */
static const char *field(const char *w, const char *key)
{
	size_t n = strlen(key);
	return w && strncmp(w, key, n) == 0 && w[n] == '=' ? w + n + 1 : NULL;
}

static bool number(const char *s, unsigned long long *v)
{
	if (!s || *s < '0' || *s > '9')
		return false;
	char *end;
	*v = strtoull(s, &end, 0);
	return *end == '\0';
}

static void malformed(struct run_report *r, unsigned lineno, const char *kind)
{
	strlist_addf(&r->errors, "line %u: malformed %s line", lineno, kind);
}

void protocol_entry_line(struct run_report *r, unsigned lineno, const char *k, const char *rest)
{
	char *copy = xstrndup(rest, strlen(rest)), *p = copy;
	char *guest = word(&p);
	if (!guest) {
		malformed(r, lineno, k);
		free(copy);
		return;
	}
	struct guest_report *g = protocol_open_guest(r, lineno, k, guest, strlen(guest));
	if (!g) {
		free(copy);
		return;
	}
	struct entry_report *e = &g->entry;
	char *a = word(&p), *b = word(&p);
	unsigned long long n;
	if (strcmp(k, "entry-check") == 0) {
		bool after = a && strcmp(a, "after-failure") == 0, before = a && strcmp(a, "before-launch") == 0;
		bool resume = a && strcmp(a, "before-resume") == 0, brk = a && strcmp(a, "after-break") == 0;
		unsigned long long seq = 0;
		const char *reason = NULL;
		if (resume) { /* before-resume exit=<seq> reason=<NAME> violations=<n> */
			bool ok = number(field(b, "exit"), &seq);
			reason = field(word(&p), "reason");
			b = ok ? word(&p) : NULL;
		}
		if ((!after && !before && !resume && !brk) || (resume && !reason) || !number(field(b, "violations"), &n)) {
			malformed(r, lineno, k);
		} else if (resume) {
			if (!e->resume_checks++) {
				size_t len = strlen(reason) + 24;
				e->resume_exit = malloc(len);
				if (!e->resume_exit)
					abort();
				snprintf(e->resume_exit, len, "%llu %s", seq, reason);
			}
			e->open_check = 3;
		} else if (brk) {
			e->checked_after_break = true;
			e->open_check = 4;
		} else if (after) {
			e->checked_after_failure = true;
			e->announced = n;
			e->open_check = 2;
		} else {
			e->prechecked = true;
			e->precheck_violations = n;
			e->open_check = 1;
		}
	} else if (strcmp(k, "entry-violation") == 0) {
		const char *family = field(b, "family");
		if (!a || !family) {
			malformed(r, lineno, k);
		} else if (!e->open_check) {
			strlist_addf(&r->errors, "line %u: entry-violation for '%s' with no entry-check before it", lineno,
				     g->name);
		} else if (e->open_check == 3) {
			strlist_addf(&e->resume_rules, "%s", a);
		} else if (e->open_check == 4) {
			strlist_addf(&e->break_rules, "%s", a);
		} else if (e->open_check == 2) {
			strlist_addf(&e->rules, "%s", a);
			strlist_addf(&e->families, "%s", family);
			strlist_addf(&e->texts, "%s family=%s %s", a, family, p);
		}
	} else if (strcmp(k, "exit-history") == 0) {
		if (!number(field(a, "exits"), &e->history_exits) || !field(b, "kept"))
			malformed(r, lineno, k);
	} else if (strcmp(k, "exit-record") == 0) {
		const char *qual = field(word(&p), "qual");
		unsigned long long q = 0;
		if (!number(a, &n) || !field(b, "reason") || !qual || (strcmp(qual, "-") != 0 && !number(qual, &q))) {
			malformed(r, lineno, k);
		} else {
			e->history_records++;
			if (strcmp(qual, "-") == 0)
				strlist_addf(&e->records, "%llu %s -", n, field(b, "reason"));
			else
				strlist_addf(&e->records, "%llu %s 0x%llx", n, field(b, "reason"), q);
		}
	} else if (strcmp(k, "vmcs") == 0) {
		if (!a || !b)
			malformed(r, lineno, k);
		else
			e->vmcs_fields++;
	} else if (strcmp(k, "entry-break") == 0) {
		if (!a || !b || !strchr(b, '=')) {
			malformed(r, lineno, k);
		} else {
			free(e->breakage);
			e->breakage = xstrndup(a, strlen(a));
		}
	} else { /* debug-stop */
		if (!a || !field(b, "vmcs"))
			malformed(r, lineno, k);
		else
			e->debug_stops++;
	}
	free(copy);
}

void entry_report_free(struct entry_report *e)
{
	strlist_free(&e->rules);
	strlist_free(&e->families);
	strlist_free(&e->texts);
	strlist_free(&e->resume_rules);
	strlist_free(&e->break_rules);
	strlist_free(&e->records);
	free(e->resume_exit);
	free(e->breakage);
	*e = (struct entry_report){ 0 };
}

bool entry_report_names(const struct entry_report *e, const char *rule)
{
	return strlist_find(&e->rules, rule) >= 0;
}
