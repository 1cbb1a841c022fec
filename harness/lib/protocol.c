#include "protocol.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A cursor over the space-separated words of one line. */
struct words {
	const char *p, *end;
};

static bool next_word(struct words *w, const char **start, size_t *len)
{
	while (w->p < w->end && *w->p == ' ')
		w->p++;
	if (w->p == w->end)
		return false;
	*start = w->p;
	while (w->p < w->end && *w->p != ' ')
		w->p++;
	*len = (size_t)(w->p - *start);
	return true;
}

/* The rest of the line after one separating space (may be empty). */
static char *rest_of_line(struct words *w)
{
	if (w->p < w->end && *w->p == ' ')
		w->p++;
	return xstrndup(w->p, (size_t)(w->end - w->p));
}

static bool word_is(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && memcmp(s, lit, len) == 0;
}

static bool parse_ull(const char *s, size_t len, unsigned long long *v)
{
	if (len == 0 || len > 20)
		return false;
	char buf[24];
	memcpy(buf, s, len);
	buf[len] = '\0';
	char *end;
	int base = (len > 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) ? 16 : 10;
	if (buf[0] == '-' || buf[0] == '+')
		return false;
	*v = strtoull(buf, &end, base);
	return *end == '\0';
}

static struct guest_report *find_guest(struct run_report *r, const char *s, size_t len)
{
	for (size_t i = 0; i < r->n_guests; i++)
		if (word_is(s, len, r->guests[i].name))
			return &r->guests[i];
	return NULL;
}

/* The guest a per-guest line names; it must have begun and not ended yet. */
struct guest_report *protocol_open_guest(struct run_report *r, unsigned lineno, const char *kind, const char *s,
					 size_t len)
{
	struct guest_report *g = find_guest(r, s, len);
	if (!g)
		strlist_addf(&r->errors, "line %u: %s for guest '%.*s' with no guest-begin", lineno, kind,
			     (int)len, s);
	else if (g->ended)
		strlist_addf(&r->errors, "line %u: %s for guest '%s' after its guest-end", lineno, kind,
			     g->name);
	else
		return g;
	return NULL;
}

static void classify_guest_line(struct guest_report *g, const char *text)
{
	if (strncmp(text, "PASS", 4) == 0 && (text[4] == ' ' || text[4] == '\0'))
		g->passes++;
	else if (strncmp(text, "FAIL", 4) == 0 && (text[4] == ' ' || text[4] == '\0'))
		g->fails++;
	else if (strncmp(text, "SKIP", 4) == 0 && (text[4] == ' ' || text[4] == '\0'))
		g->skips++;
}

static void parse_line(struct run_report *r, unsigned lineno, const char *line, size_t len)
{
	struct words w = { line + 6, line + len }; /* after "VEXIT " */
	const char *kind, *a, *b;
	size_t kind_len, a_len, b_len;
	if (!next_word(&w, &kind, &kind_len)) {
		strlist_addf(&r->errors, "line %u: empty protocol line", lineno);
		return;
	}
	if (r->end_seen)
		strlist_addf(&r->errors, "line %u: protocol line after 'VEXIT end'", lineno);

	if (word_is(kind, kind_len, "protocol")) {
		unsigned long long v;
		if (!next_word(&w, &a, &a_len) || !parse_ull(a, a_len, &v) || v == 0 || v > 1000000)
			strlist_addf(&r->errors, "line %u: malformed protocol line", lineno);
		else if (r->version)
			strlist_addf(&r->errors, "line %u: second protocol line", lineno);
		else
			r->version = (int)v;
	} else if (word_is(kind, kind_len, "cpu")) {
		free(r->cpu);
		r->cpu = rest_of_line(&w);
	} else if (word_is(kind, kind_len, "guest-begin")) {
		if (!next_word(&w, &a, &a_len)) {
			strlist_addf(&r->errors, "line %u: guest-begin without a name", lineno);
			return;
		}
		if (find_guest(r, a, a_len)) {
			strlist_addf(&r->errors, "line %u: guest '%.*s' begins twice", lineno, (int)a_len, a);
			return;
		}
		r->guests = xrealloc(r->guests, (r->n_guests + 1) * sizeof(*r->guests));
		r->guests[r->n_guests++] = (struct guest_report){ .name = xstrndup(a, a_len) };
	} else if (word_is(kind, kind_len, "guest")) {
		if (!next_word(&w, &a, &a_len)) {
			strlist_addf(&r->errors, "line %u: guest line without a name", lineno);
			return;
		}
		struct guest_report *g = protocol_open_guest(r, lineno, "guest line", a, a_len);
		if (!g)
			return;
		char *text = rest_of_line(&w);
		classify_guest_line(g, text);
		strlist_addf(&g->lines, "%s", text);
		free(text);
	} else if (word_is(kind, kind_len, "exit-count")) {
		unsigned long long n;
		if (!next_word(&w, &a, &a_len) || !next_word(&w, &b, &b_len)) {
			strlist_addf(&r->errors, "line %u: malformed exit-count line", lineno);
			return;
		}
		const char *num;
		size_t num_len;
		if (!next_word(&w, &num, &num_len) || !parse_ull(num, num_len, &n)) {
			strlist_addf(&r->errors, "line %u: exit-count without a number", lineno);
			return;
		}
		struct guest_report *g = protocol_open_guest(r, lineno, "exit-count", a, a_len);
		if (!g)
			return;
		for (size_t i = 0; i < g->n_exits; i++)
			if (word_is(b, b_len, g->exits[i].reason)) {
				strlist_addf(&r->errors, "line %u: second exit-count of %s for '%s'", lineno,
					     g->exits[i].reason, g->name);
				return;
			}
		g->exits = xrealloc(g->exits, (g->n_exits + 1) * sizeof(*g->exits));
		g->exits[g->n_exits++] = (struct exit_count){ .reason = xstrndup(b, b_len), .n = n };
	} else if (word_is(kind, kind_len, "exit-trace")) {
		const char *idx, *reason, *qual;
		size_t idx_len, reason_len, qual_len;
		unsigned long long i, q;
		if (!next_word(&w, &a, &a_len) || !next_word(&w, &idx, &idx_len) || !parse_ull(idx, idx_len, &i) ||
		    !next_word(&w, &reason, &reason_len) || !next_word(&w, &qual, &qual_len) ||
		    !parse_ull(qual, qual_len, &q)) {
			strlist_addf(&r->errors, "line %u: malformed exit-trace line", lineno);
			return;
		}
		struct guest_report *g = protocol_open_guest(r, lineno, "exit-trace", a, a_len);
		if (!g)
			return;
		if (i != g->trace.n) {
			strlist_addf(&r->errors, "line %u: exit-trace entry %llu of '%s' out of order (want %zu)",
				     lineno, i, g->name, g->trace.n);
			return;
		}
		strlist_addf(&g->trace, "%.*s 0x%llx", (int)reason_len, reason, q);
	} else if (word_is(kind, kind_len, "guest-end")) {
		if (!next_word(&w, &a, &a_len) || !next_word(&w, &b, &b_len)) {
			strlist_addf(&r->errors, "line %u: guest-end without a name and a stop token", lineno);
			return;
		}
		struct guest_report *g = protocol_open_guest(r, lineno, "guest-end", a, a_len);
		if (!g)
			return;
		g->ended = true;
		g->stop = xstrndup(b, b_len);
		while (next_word(&w, &a, &a_len)) {
			if (!memchr(a, '=', a_len))
				strlist_addf(&r->errors, "line %u: guest-end field '%.*s' is not key=value",
					     lineno, (int)a_len, a);
			else
				strlist_addf(&g->fields, "%.*s", (int)a_len, a);
		}
		if (!guest_report_field(g, "exits") || !guest_report_field(g, "ticks"))
			strlist_addf(&r->errors, "line %u: guest-end of '%s' lacks exits= or ticks=", lineno,
				     g->name);
	} else if (word_is(kind, kind_len, "summary")) {
		bool have_guests = false, have_leak = false;
		while (next_word(&w, &a, &a_len)) {
			if (a_len > 7 && memcmp(a, "guests=", 7) == 0)
				have_guests = parse_ull(a + 7, a_len - 7, &r->summary_guests);
			else if (a_len > 13 && memcmp(a, "pages-leaked=", 13) == 0)
				have_leak = parse_ull(a + 13, a_len - 13, &r->pages_leaked);
		}
		if (!have_guests || !have_leak)
			strlist_addf(&r->errors, "line %u: malformed summary line", lineno);
		else
			r->summary_seen = true;
	} else if (word_is(kind, kind_len, "panic")) {
		if (!r->panic)
			r->panic = rest_of_line(&w);
	} else if (word_is(kind, kind_len, "end")) {
		r->end_seen = true;
	} else if (protocol_entry_kind(kind, kind_len)) {
		char *rest = rest_of_line(&w);
		protocol_entry_line(r, lineno, kind, kind_len, rest);
		free(rest);
	} else {
		strlist_addf(&r->errors, "line %u: unknown protocol line 'VEXIT %.*s'", lineno, (int)kind_len,
			     kind);
	}
}

void protocol_parse(const char *text, size_t len, struct run_report *out)
{
	*out = (struct run_report){ 0 };
	unsigned lineno = 0;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = nl ? nl : end;
		size_t n = (size_t)(line_end - p);
		lineno++;
		while (n > 0 && (p[n - 1] == '\r'))
			n--;
		if (n >= 6 && memcmp(p, "VEXIT ", 6) == 0) {
			if (!nl)
				strlist_addf(&out->errors, "line %u: last protocol line is cut off", lineno);
			else if (memchr(p, '\0', n))
				strlist_addf(&out->errors, "line %u: NUL byte in a protocol line", lineno);
			else
				parse_line(out, lineno, p, n);
		}
		p = nl ? nl + 1 : end;
	}
}

void run_report_free(struct run_report *r)
{
	for (size_t i = 0; i < r->n_guests; i++) {
		struct guest_report *g = &r->guests[i];
		free(g->name);
		free(g->stop);
		strlist_free(&g->fields);
		strlist_free(&g->lines);
		strlist_free(&g->trace);
		for (size_t j = 0; j < g->n_exits; j++)
			free(g->exits[j].reason);
		free(g->exits);
		entry_report_free(&g->entry);
	}
	free(r->guests);
	free(r->cpu);
	free(r->panic);
	strlist_free(&r->errors);
	*r = (struct run_report){ 0 };
}

const struct guest_report *run_report_guest(const struct run_report *r, const char *name)
{
	for (size_t i = 0; i < r->n_guests; i++)
		if (strcmp(r->guests[i].name, name) == 0)
			return &r->guests[i];
	return NULL;
}

const char *guest_report_field(const struct guest_report *g, const char *key)
{
	size_t klen = strlen(key);
	for (size_t i = 0; i < g->fields.n; i++) {
		const char *f = g->fields.v[i];
		if (strncmp(f, key, klen) == 0 && f[klen] == '=')
			return f + klen + 1;
	}
	return NULL;
}

unsigned long long guest_report_exits(const struct guest_report *g, const char *reason)
{
	for (size_t i = 0; i < g->n_exits; i++)
		if (strcmp(g->exits[i].reason, reason) == 0)
			return g->exits[i].n;
	return 0;
}
