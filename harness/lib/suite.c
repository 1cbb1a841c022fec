#include "suite.h"

#include "include/vexit_abi.h"

#include "select.h"
#include "verdict_external.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_elf_suffix(const char *s)
{
	size_t n = strlen(s);
	return n > 4 && strcmp(s + n - 4, ".elf") == 0;
}

int guest_name_check(const char *name, char *err, size_t errlen)
{
	size_t n = strlen(name);
	if (n == 0) {
		snprintf(err, errlen, "a guest name is empty");
		return -1;
	}
	if (n > VEXIT_GUEST_NAME_MAX) {
		snprintf(err, errlen, "guest name '%.60s...' is %zu characters long; the limit is %d", name, n,
			 VEXIT_GUEST_NAME_MAX);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (!VEXIT_GUEST_NAME_CHAR(name[i])) {
			snprintf(err, errlen, "guest name '");
			for (size_t j = 0; j < n; j++) { /* shown with its odd bytes escaped */
				size_t used = strlen(err);
				unsigned char c = (unsigned char)name[j];
				snprintf(err + used, errlen - used, c > 0x20 && c < 0x7f ? "%c" : "\\x%02x", c);
			}
			size_t used = strlen(err);
			snprintf(err + used, errlen - used,
				 "' has a character other than letters, digits, '_', '-' and '.' (byte %zu)", i);
			return -1;
		}
	return 0;
}

/* The names of `found` that `select` matches, in order, become the suite's guests (zeroed). 0, or -1 with err. */
static int choose(struct suite *s, struct strlist *found, const char *select, const char *where, const char *what,
		  char *err, size_t errlen)
{
	if (select && *select) {
		struct strlist unmatched = { 0 };
		if (select_unmatched(select, found, &unmatched)) {
			snprintf(err, errlen, "no guest in %s matches '%s'", where, unmatched.v[0]);
			strlist_free(&unmatched);
			strlist_free(found);
			suite_free(s);
			return -1;
		}
	}
	for (size_t i = 0; i < found->n; i++)
		if (select_match(select, found->v[i]))
			strlist_addf(&s->names, "%s", found->v[i]);
	strlist_free(found);
	if (s->names.n == 0) {
		snprintf(err, errlen, "no %s in %s", what, where);
		suite_free(s);
		return -1;
	}
	s->n = s->names.n;
	s->guests = xrealloc(NULL, s->n * sizeof(*s->guests));
	memset(s->guests, 0, s->n * sizeof(*s->guests));
	return 0;
}

int suite_load(struct suite *s, const char *guests_dir, const char *select, char *err, size_t errlen)
{
	*s = (struct suite){ 0 };
	DIR *d = opendir(guests_dir);
	if (!d) {
		snprintf(err, errlen, "cannot open the guest image directory %s (run `make` first?)", guests_dir);
		return -1;
	}
	struct strlist found = { 0 };
	for (struct dirent *e; (e = readdir(d));)
		if (has_elf_suffix(e->d_name))
			strlist_addf(&found, "%.*s", (int)(strlen(e->d_name) - 4), e->d_name);
	closedir(d);
	for (size_t i = 0; i < found.n; i++)
		if (guest_name_check(found.v[i], err, errlen)) {
			size_t used = strlen(err);
			snprintf(err + used, errlen - used, " (image %s/%s.elf)", guests_dir, found.v[i]);
			strlist_free(&found);
			return -1;
		}
	/* Run order is the module order of the ISO, which is sorted: keep the suite sorted too. */
	if (found.n)
		qsort(found.v, found.n, sizeof(*found.v), by_name);

	if (choose(s, &found, select, guests_dir, "guest images (*.elf)", err, errlen))
		return -1;
	for (size_t i = 0; i < s->n; i++) {
		struct suite_guest *g = &s->guests[i];
		*g = (struct suite_guest){ .name = s->names.v[i] };
		g->module = xstrndup(g->name, strlen(g->name));
		size_t plen = strlen(guests_dir) + strlen(g->name) + 6;
		g->image = xrealloc(NULL, plen);
		snprintf(g->image, plen, "%s/%s.elf", guests_dir, g->name);
		char why[512];
		if (expect_read_image(g->image, &g->expect, why, sizeof(why))) {
			size_t n = strlen(why) + strlen(g->image) + 32;
			g->expect_error = xrealloc(NULL, n);
			snprintf(g->expect_error, n, "%s: %s", g->image, why);
		}
	}
	return 0;
}

int suite_load_external(struct suite *s, const struct manifest *m, const char *kernel_dir, const char *select,
			char *err, size_t errlen)
{
	*s = (struct suite){ 0 };
	struct strlist found = { 0 };
	for (size_t i = 0; i < m->n; i++)
		strlist_addf(&found, "%s", m->v[i].name);
	if (choose(s, &found, select, "the manifest", "kernels", err, errlen))
		return -1;
	for (size_t i = 0; i < s->n; i++) {
		struct suite_guest *g = &s->guests[i];
		const struct manifest_entry *e = manifest_find(m, s->names.v[i]);
		bool as_is = strchr(e->file, '/') != NULL;
		g->name = s->names.v[i];
		g->ext = e;
		size_t n = strlen(kernel_dir) + strlen(e->file) + 2;
		g->image = xrealloc(NULL, n);
		snprintf(g->image, n, "%s%s%s", as_is ? "" : kernel_dir, as_is ? "" : "/", e->file);
		n = strlen(e->name) + strlen(e->args) + 2;
		g->module = xrealloc(NULL, n);
		snprintf(g->module, n, "%s%s%s", e->name, e->args[0] ? " " : "", e->args);
		if (e->env) {
			strlist_addf(&g->boot_paths, "the env of %s", e->name);
			strlist_addf(&g->boot_strings, "+%s %s", e->name, MANIFEST_ENV_STRING);
		}
		for (size_t k = 0; k < e->n_modules; k++) {
			bool mod_as_is = strchr(e->modules[k].file, '/') != NULL;
			strlist_addf(&g->boot_paths, "%s%s%s", mod_as_is ? "" : kernel_dir, mod_as_is ? "" : "/",
				     e->modules[k].file);
			strlist_addf(&g->boot_strings, "+%s %s", e->name, e->modules[k].string);
		}
		/* The kernel's file, then its modules' (the environment's text is no file). */
		for (size_t k = 0; k <= e->n_modules; k++) {
			const char *path = k ? g->boot_paths.v[g->boot_paths.n - e->n_modules + k - 1] : g->image;
			FILE *f = fopen(path, "rb");
			if (!f) {
				snprintf(err, errlen, "kernel %s: cannot open %s (KUT_DIR or --kut-dir names the directory)",
					 e->name, path);
				suite_free(s);
				return -1;
			}
			fclose(f);
		}
	}
	return 0;
}

char *suite_kernel_options(const struct suite *s)
{
	struct strlist o = { 0 };
	for (size_t i = 0; i < s->n; i++)
		if (s->guests[i].ext) {
			strlist_addf(&o, "mem.%s=%llu budget.%s=%llu", s->guests[i].name, s->guests[i].ext->mem_mib,
				     s->guests[i].name, s->guests[i].ext->budget);
			if (s->guests[i].ext->tsc_scale > 1)
				strlist_addf(&o, "tscscale.%s=%llu", s->guests[i].name, s->guests[i].ext->tsc_scale);
		}
	char *joined = strlist_join(&o, " ");
	strlist_free(&o);
	return joined;
}

struct direct_boot_module *suite_boot_modules(const struct suite *s, size_t *n)
{
	size_t total = s->n;
	for (size_t i = 0; i < s->n; i++)
		total += s->guests[i].boot_paths.n;
	struct direct_boot_module *m = xrealloc(NULL, (total + 1) * sizeof(*m));
	*n = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct suite_guest *g = &s->guests[i];
		m[(*n)++] = (struct direct_boot_module){ g->image, g->module, NULL, 0 };
		/* The environment is the first boot module, its text in memory; the files follow. */
		for (size_t k = 0; k < g->boot_paths.n; k++) {
			const char *env = k == 0 && g->ext->env ? g->ext->env : NULL;
			m[(*n)++] = (struct direct_boot_module){ g->boot_paths.v[k], g->boot_strings.v[k], env,
								 env ? strlen(env) : 0 };
		}
	}
	return m;
}

void suite_judge(struct suite *s, const char *capture, size_t len, const char *run_problem)
{
	run_report_free(&s->run);
	strlist_free(&s->problems);
	s->passed = s->failed = s->skipped = 0;
	protocol_parse(capture, len, &s->run);
	if (run_problem)
		strlist_addf(&s->problems, "%s", run_problem);
	verdict_run(&s->run, &s->names, &s->problems);
	for (size_t i = 0; i < s->n; i++) {
		struct suite_guest *g = &s->guests[i];
		strlist_free(&g->why);
		strlist_free(&g->notes);
		g->report = run_report_guest(&s->run, g->name);
		if (g->ext) {
			g->verdict = verdict_external(g->ext, g->report, &g->why, &g->notes, &g->counts);
		} else if (g->expect_error) {
			strlist_addf(&g->why, "%s: bad expectations in %s", g->name, g->expect_error);
			g->verdict = VERDICT_FAIL;
		} else if (verdict_needs_missing(g->name, s->run.cpu, &g->expect, &g->why)) {
			g->verdict = VERDICT_SKIP;
		} else {
			g->verdict = verdict_guest(g->name, g->report, &g->expect, &g->why);
		}
		if (g->verdict == VERDICT_PASS)
			s->passed++;
		else if (g->verdict == VERDICT_FAIL)
			s->failed++;
		else
			s->skipped++;
	}
}

bool suite_ok(const struct suite *s)
{
	return s->failed == 0 && s->problems.n == 0 && s->n > 0;
}

void suite_reorder(struct suite *s, const size_t *order)
{
	struct suite_guest *guests = xrealloc(NULL, (s->n + 1) * sizeof(*guests));
	char **names = xrealloc(NULL, (s->n + 1) * sizeof(*names));
	for (size_t i = 0; i < s->n; i++) {
		guests[i] = s->guests[order[i]];
		names[i] = s->names.v[order[i]];
	}
	memcpy(s->guests, guests, s->n * sizeof(*guests));
	memcpy(s->names.v, names, s->n * sizeof(*names));
	free(guests);
	free(names);
}

void suite_free(struct suite *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct suite_guest *g = &s->guests[i];
		free(g->image);
		free(g->module);
		strlist_free(&g->boot_paths);
		strlist_free(&g->boot_strings);
		free(g->expect_error);
		expect_set_free(&g->expect);
		strlist_free(&g->why);
		strlist_free(&g->notes);
	}
	free(s->guests);
	strlist_free(&s->names);
	run_report_free(&s->run);
	strlist_free(&s->problems);
	*s = (struct suite){ 0 };
}
