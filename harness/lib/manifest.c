#include "manifest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bare_aid.h"
#include "file_read.h"
#include "strlist.h"

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static int parse_num(const char *v, unsigned long long *out)
{
	char *end;
	if (!*v || *v == '-')
		return -1;
	errno = 0;
	*out = strtoull(v, &end, 10);
	return *end || errno ? -1 : 0;
}

/* "prefix: reason", split at the last ": " so a prefix may hold colons of its own. */
static int parse_allow(const char *v, struct manifest_allow **list, size_t *n)
{
	const char *sep = NULL;
	for (const char *p = strstr(v, ": "); p; p = strstr(p + 1, ": "))
		sep = p;
	if (!sep || sep == v || !*trim((char *)sep + 2))
		return -1;
	*list = xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[*n].prefix = xstrndup(v, (size_t)(sep - v));
	(*list)[*n].reason = xstrndup(sep + 2, strlen(sep + 2));
	(*n)++;
	return 0;
}

static struct manifest_entry *new_entry(struct manifest *m, const char *name)
{
	m->v = xrealloc(m->v, (m->n + 1) * sizeof(*m->v));
	struct manifest_entry *e = &m->v[m->n++];
	*e = (struct manifest_entry){ .name = xstrndup(name, strlen(name)), .args = xstrndup("", 0),
				      .mem_mib = MANIFEST_DEFAULT_MEM_MIB, .budget = MANIFEST_DEFAULT_BUDGET,
				      .cost = 1, .tsc_scale = 1 };
	return e;
}

static void set_string(char **slot, const char *v)
{
	free(*slot);
	*slot = xstrndup(v, strlen(v));
}

/* `env = KEY=VALUE ...`: each word a line of the environment, KEY as lib/argv.c accepts one. */
static const char *add_env(struct manifest_entry *e, const char *v)
{
	struct strlist lines = { 0 };
	if (e->env)
		strlist_addf(&lines, "%s", e->env);
	char *copy = xstrndup(v, strlen(v)), *save = NULL;
	const char *why = NULL;
	for (char *w = strtok_r(copy, " \t", &save); w && !why; w = strtok_r(NULL, " \t", &save)) {
		size_t key = strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
		if (key == 0 || w[key] != '=' || (w[0] >= '0' && w[0] <= '9'))
			why = "env is KEY=VALUE words, each KEY letters, digits and _, not starting with a digit";
		else
			strlist_addf(&lines, "%s\n", w);
	}
	if (!why && lines.n == (e->env ? 1u : 0u))
		why = "env names no KEY=VALUE";
	if (!why) {
		free(e->env);
		e->env = strlist_join(&lines, "");
	}
	free(copy);
	strlist_free(&lines);
	return why;
}

/* `module = FILE [ARGS]`: the module's string is the whole value, as GRUB's module line gives it. */
static const char *add_module(struct manifest_entry *e, const char *v)
{
	size_t file_len = strcspn(v, " \t");
	if (file_len == 0)
		return "module names a file, then maybe its arguments";
	e->modules = xrealloc(e->modules, (e->n_modules + 1) * sizeof(*e->modules));
	e->modules[e->n_modules++] = (struct manifest_module){ xstrndup(v, file_len), xstrndup(v, strlen(v)) };
	return NULL;
}

size_t manifest_module_count(const struct manifest_entry *e)
{
	return (e->env ? 1 : 0) + e->n_modules;
}

/* One `key = value` line of entry e: NULL, or what is wrong. */
const char *manifest_entry_set(struct manifest_entry *e, const char *key, const char *v)
{
	if (strcmp(key, "env") == 0 || strcmp(key, "module") == 0) {
		const char *why = key[0] == 'e' ? add_env(e, v) : add_module(e, v);
		if (!why && manifest_module_count(e) > MANIFEST_MAX_MODULES)
			why = "more than 8 boot modules (the hypervisor's MB1_MAX_MODULES)";
		return why;
	}
	if (strcmp(key, "file") == 0)
		set_string(&e->file, v);
	else if (strcmp(key, "args") == 0)
		set_string(&e->args, v);
	else if (strcmp(key, "end") == 0)
		set_string(&e->end_line, v);
	else if (strcmp(key, "bare-aid") == 0) {
		if (strcmp(v, BARE_AID_KEEP_APIC) != 0)
			return "bare-aid is " BARE_AID_KEEP_APIC " (the only measurement aid of a bare run)";
		e->bare_keep_apic = true;
	} else if (strcmp(key, "needs") == 0)
		set_string(&e->needs, v);
	else if (strcmp(key, "stops") == 0)
		set_string(&e->stops, v);
	else if (strcmp(key, "mem") == 0) {
		if (parse_num(v, &e->mem_mib) || e->mem_mib == 0 || e->mem_mib % 2 || e->mem_mib > 1024)
			return "mem is a whole number of MiB, even, from 2 to 1024";
	} else if (strcmp(key, "budget") == 0) {
		if (parse_num(v, &e->budget))
			return "budget is a number of guest ticks";
	} else if (strcmp(key, "tscscale") == 0) {
		if (parse_num(v, &e->tsc_scale) || e->tsc_scale == 0 || e->tsc_scale > 65535)
			return "tscscale is a whole number from 1 to 65535";
	} else if (strcmp(key, "cost") == 0) {
		if (parse_num(v, &e->cost) || e->cost == 0)
			return "cost is a whole number > 0";
	} else if (strcmp(key, "long") == 0) {
		if (!*v)
			return "long wants the reason: what makes the kernel too long for make check";
		set_string(&e->long_why, v);
	} else if (strcmp(key, "fail") == 0) {
		if (parse_allow(v, &e->fails, &e->n_fails))
			return "fail wants '<prefix>: <reason>'";
	} else if (strcmp(key, "skip") == 0) {
		if (parse_allow(v, &e->skips, &e->n_skips))
			return "skip wants '<prefix>: <reason>'";
	} else {
		return "unknown key";
	}
	return NULL;
}

static const char *check_entry(const struct manifest_entry *e)
{
	if (!e->file)
		return "has no file";
	if (!e->needs != !e->stops)
		return "needs and stops go together";
	return NULL;
}

int manifest_parse(const char *text, struct manifest *m, char *err, size_t errlen)
{
	*m = (struct manifest){ 0 };
	char *copy = xstrndup(text, strlen(text));
	unsigned lineno = 0;
	const char *why = NULL;
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line && !why; line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		char *s = trim(line);
		if (!*s || *s == '#')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']');
			if (!close || close[1] || close == s + 1 || strcspn(s + 1, " \t") < (size_t)(close - s - 1)) {
				why = "a section is [name], one word";
				break;
			}
			*close = '\0';
			if (m->n && (why = check_entry(&m->v[m->n - 1])))
				break;
			if (manifest_find(m, s + 1)) {
				why = "a kernel of that name is already listed";
				break;
			}
			new_entry(m, s + 1);
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq) {
			why = "not a [name] or a key = value line";
			break;
		}
		if (!m->n) {
			why = "a key before the first [name]";
			break;
		}
		*eq = '\0';
		why = manifest_entry_set(&m->v[m->n - 1], trim(s), trim(eq + 1));
	}
	if (!why && m->n && (why = check_entry(&m->v[m->n - 1])))
		lineno++;
	free(copy);
	if (!why && !m->n)
		why = "no kernel listed";
	if (why) {
		snprintf(err, errlen, "line %u: %s", lineno, why);
		manifest_free(m);
		return -1;
	}
	return 0;
}

int manifest_read(const char *path, struct manifest *m, char *err, size_t errlen)
{
	size_t len;
	char *text = file_read(path, 1u << 20, &len);
	if (!text) {
		snprintf(err, errlen, "cannot read the manifest %s: %s", path, strerror(errno));
		return -1;
	}
	char why[512];
	int rc = manifest_parse(text, m, why, sizeof(why));
	if (rc)
		snprintf(err, errlen, "manifest %s: %s", path, why);
	free(text);
	return rc;
}

void manifest_single(struct manifest *m, const char *file, const char *args)
{
	*m = (struct manifest){ 0 };
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	size_t n = strcspn(base, ".");
	char *name = xstrndup(base, n ? n : strlen(base));
	struct manifest_entry *e = new_entry(m, name);
	free(name);
	set_string(&e->file, file);
	set_string(&e->args, args);
}

const struct manifest_entry *manifest_find(const struct manifest *m, const char *name)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->v[i].name, name) == 0)
			return &m->v[i];
	return NULL;
}

static void free_allows(struct manifest_allow *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(a[i].prefix);
		free(a[i].reason);
	}
	free(a);
}

static void entry_free(struct manifest_entry *e)
{
	free(e->name);
	free(e->file);
	free(e->args);
	free(e->end_line);
	free(e->needs);
	free(e->stops);
	free(e->long_why);
	free(e->env);
	for (size_t k = 0; k < e->n_modules; k++) {
		free(e->modules[k].file);
		free(e->modules[k].string);
	}
	free(e->modules);
	free_allows(e->fails, e->n_fails);
	free_allows(e->skips, e->n_skips);
}

void manifest_free(struct manifest *m)
{
	for (size_t i = 0; i < m->n; i++)
		entry_free(&m->v[i]);
	free(m->v);
	*m = (struct manifest){ 0 };
}

size_t manifest_leave_long(struct manifest *m, struct strlist *left)
{
	size_t kept = 0, taken = 0;
	for (size_t i = 0; i < m->n; i++) {
		struct manifest_entry *e = &m->v[i];
		if (!e->long_why) {
			m->v[kept++] = *e;
			continue;
		}
		strlist_addf(left, "%s: %s", e->name, e->long_why);
		entry_free(e);
		taken++;
	}
	m->n = kept;
	return taken;
}
