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

/* One protocol line as its handler sees it. */
struct line {
	struct run_report *r;
	unsigned lineno;
	const char *kind; /* the line's kind, as the table below spells it */
	struct words w;   /* the words after the kind */
};

static void malformed(const struct line *l)
{
	strlist_addf(&l->r->errors, "line %u: malformed %s line", l->lineno, l->kind);
}

static void on_protocol(struct line *l)
{
	const char *a;
	size_t a_len;
	unsigned long long v;
	if (!next_word(&l->w, &a, &a_len) || !parse_ull(a, a_len, &v) || v == 0 || v > 1000000)
		malformed(l);
	else if (l->r->version)
		strlist_addf(&l->r->errors, "line %u: second protocol line", l->lineno);
	else
		l->r->version = (int)v;
}

static void on_cpu(struct line *l)
{
	free(l->r->cpu);
	l->r->cpu = rest_of_line(&l->w);
}

static void on_vmx_off(struct line *l)
{
	free(l->r->vmx_off);
	l->r->vmx_off = rest_of_line(&l->w);
}

static void on_guest_begin(struct line *l)
{
	struct run_report *r = l->r;
	const char *a;
	size_t a_len;
	if (!next_word(&l->w, &a, &a_len)) {
		strlist_addf(&r->errors, "line %u: guest-begin without a name", l->lineno);
		return;
	}
	if (find_guest(r, a, a_len)) {
		strlist_addf(&r->errors, "line %u: guest '%.*s' begins twice", l->lineno, (int)a_len, a);
		return;
	}
	/* Optional `tsc=<n>`: the host's tick at the guest's start, which files bochs.log lines under it. */
	const char *t;
	size_t t_len;
	unsigned long long tsc = 0;
	bool has_tsc = next_word(&l->w, &t, &t_len);
	if (has_tsc && (t_len < 5 || memcmp(t, "tsc=", 4) != 0 || !parse_ull(t + 4, t_len - 4, &tsc))) {
		malformed(l);
		has_tsc = false;
	}
	r->guests = xrealloc(r->guests, (r->n_guests + 1) * sizeof(*r->guests));
	r->guests[r->n_guests++] = (struct guest_report){ .name = xstrndup(a, a_len), .begin_tsc = tsc,
							  .has_tsc = has_tsc };
}

/* A `guest` or `console` line: its text, kept in the guest's lines of that kind. */
static void on_text_line(struct line *l, bool console)
{
	const char *a;
	size_t a_len;
	if (!next_word(&l->w, &a, &a_len)) {
		strlist_addf(&l->r->errors, "line %u: %s line without a name", l->lineno, l->kind);
		return;
	}
	struct guest_report *g =
		protocol_open_guest(l->r, l->lineno, console ? "console line" : "guest line", a, a_len);
	if (!g)
		return;
	char *text = rest_of_line(&l->w);
	if (console) {
		strlist_addf(&g->console, "%s", text);
	} else {
		classify_guest_line(g, text);
		strlist_addf(&g->lines, "%s", text);
	}
	free(text);
}

static void on_guest(struct line *l)
{
	on_text_line(l, false);
}

/* An external kernel's serial console (docs/protocol.md, "Console lines"): its words mean nothing here. */
static void on_console(struct line *l)
{
	on_text_line(l, true);
}

static void on_exit_count(struct line *l)
{
	struct run_report *r = l->r;
	const char *a, *b, *num;
	size_t a_len, b_len, num_len;
	unsigned long long n;
	if (!next_word(&l->w, &a, &a_len) || !next_word(&l->w, &b, &b_len)) {
		malformed(l);
		return;
	}
	if (!next_word(&l->w, &num, &num_len) || !parse_ull(num, num_len, &n)) {
		strlist_addf(&r->errors, "line %u: exit-count without a number", l->lineno);
		return;
	}
	struct guest_report *g = protocol_open_guest(r, l->lineno, l->kind, a, a_len);
	if (!g)
		return;
	for (size_t i = 0; i < g->n_exits; i++)
		if (word_is(b, b_len, g->exits[i].reason)) {
			strlist_addf(&r->errors, "line %u: second exit-count of %s for '%s'", l->lineno,
				     g->exits[i].reason, g->name);
			return;
		}
	g->exits = xrealloc(g->exits, (g->n_exits + 1) * sizeof(*g->exits));
	g->exits[g->n_exits++] = (struct exit_count){ .reason = xstrndup(b, b_len), .n = n };
}

static void on_exit_trace(struct line *l)
{
	const char *a, *idx, *reason, *qual;
	size_t a_len, idx_len, reason_len, qual_len;
	unsigned long long i, q;
	if (!next_word(&l->w, &a, &a_len) || !next_word(&l->w, &idx, &idx_len) || !parse_ull(idx, idx_len, &i) ||
	    !next_word(&l->w, &reason, &reason_len) || !next_word(&l->w, &qual, &qual_len) ||
	    !parse_ull(qual, qual_len, &q)) {
		malformed(l);
		return;
	}
	struct guest_report *g = protocol_open_guest(l->r, l->lineno, l->kind, a, a_len);
	if (!g)
		return;
	if (i != g->trace.n) {
		strlist_addf(&l->r->errors, "line %u: exit-trace entry %llu of '%s' out of order (want %zu)",
			     l->lineno, i, g->name, g->trace.n);
		return;
	}
	strlist_addf(&g->trace, "%.*s 0x%llx", (int)reason_len, reason, q);
}

static void on_guest_end(struct line *l)
{
	struct run_report *r = l->r;
	const char *a, *b;
	size_t a_len, b_len;
	if (!next_word(&l->w, &a, &a_len) || !next_word(&l->w, &b, &b_len)) {
		strlist_addf(&r->errors, "line %u: guest-end without a name and a stop token", l->lineno);
		return;
	}
	struct guest_report *g = protocol_open_guest(r, l->lineno, l->kind, a, a_len);
	if (!g)
		return;
	g->ended = true;
	g->stop = xstrndup(b, b_len);
	while (next_word(&l->w, &a, &a_len)) {
		if (!memchr(a, '=', a_len))
			strlist_addf(&r->errors, "line %u: guest-end field '%.*s' is not key=value", l->lineno,
				     (int)a_len, a);
		else
			strlist_addf(&g->fields, "%.*s", (int)a_len, a);
	}
	if (!guest_report_field(g, "exits") || !guest_report_field(g, "ticks"))
		strlist_addf(&r->errors, "line %u: guest-end of '%s' lacks exits= or ticks=", l->lineno, g->name);
}

static void on_summary(struct line *l)
{
	struct run_report *r = l->r;
	const char *a;
	size_t a_len;
	bool have_guests = false, have_leak = false;
	while (next_word(&l->w, &a, &a_len)) {
		if (a_len > 7 && memcmp(a, "guests=", 7) == 0)
			have_guests = parse_ull(a + 7, a_len - 7, &r->summary_guests);
		else if (a_len > 13 && memcmp(a, "pages-leaked=", 13) == 0)
			have_leak = parse_ull(a + 13, a_len - 13, &r->pages_leaked);
	}
	if (!have_guests || !have_leak)
		malformed(l);
	else
		r->summary_seen = true;
}

static void on_panic(struct line *l)
{
	if (!l->r->panic)
		l->r->panic = rest_of_line(&l->w);
}

static void on_end(struct line *l)
{
	l->r->end_seen = true;
}

static void on_entry_line(struct line *l)
{
	char *rest = rest_of_line(&l->w);
	protocol_entry_line(l->r, l->lineno, l->kind, rest);
	free(rest);
}

/*
 * Every line kind of docs/protocol.md and its handler, looked up by the word
 * after "VEXIT ": the shape of the hypervisor's exit dispatch table, and as
 * there, one handler may serve several kinds (the entry-failure lines).
 */
static const struct {
	const char *kind;
	void (*handle)(struct line *l);
} line_kinds[] = {
	{ "protocol", on_protocol },
	{ "cpu", on_cpu },
	{ "guest-begin", on_guest_begin },
	{ "guest", on_guest },
	{ "console", on_console },
	{ "exit-count", on_exit_count },
	{ "exit-trace", on_exit_trace },
	{ "guest-end", on_guest_end },
	{ "summary", on_summary },
	{ "panic", on_panic },
	{ "vmx-off", on_vmx_off },
	{ "end", on_end },
	{ "entry-check", on_entry_line },
	{ "entry-violation", on_entry_line },
	{ "exit-history", on_entry_line },
	{ "exit-record", on_entry_line },
	{ "vmcs", on_entry_line },
	{ "entry-break", on_entry_line },
	{ "debug-stop", on_entry_line },
};

static void parse_line(struct run_report *r, unsigned lineno, const char *text, size_t len)
{
	struct line l = { .r = r, .lineno = lineno, .w = { text + 6, text + len } }; /* after "VEXIT " */
	const char *kind;
	size_t kind_len;
	if (!next_word(&l.w, &kind, &kind_len)) {
		strlist_addf(&r->errors, "line %u: empty protocol line", lineno);
		return;
	}
	if (r->end_seen)
		strlist_addf(&r->errors, "line %u: protocol line after 'VEXIT end'", lineno);
	for (size_t i = 0; i < sizeof(line_kinds) / sizeof(line_kinds[0]); i++)
		if (word_is(kind, kind_len, line_kinds[i].kind)) {
			l.kind = line_kinds[i].kind;
			line_kinds[i].handle(&l);
			return;
		}
	strlist_addf(&r->errors, "line %u: unknown protocol line 'VEXIT %.*s'", lineno, (int)kind_len, kind);
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
		/* Carriage returns move no text: GRUB's EFI console leaves one before our first line. */
		while (n > 0 && *p == '\r') {
			p++;
			n--;
		}
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
		strlist_free(&g->console);
		strlist_free(&g->trace);
		for (size_t j = 0; j < g->n_exits; j++)
			free(g->exits[j].reason);
		free(g->exits);
		entry_report_free(&g->entry);
	}
	free(r->guests);
	free(r->cpu);
	free(r->panic);
	free(r->vmx_off);
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
