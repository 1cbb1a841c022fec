#include "select.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Calls fn for each non-empty comma-separated item of list until it returns true. */
static bool any_item(const char *list, bool (*fn)(const char *item, const void *arg), const void *arg)
{
	char *copy = xstrndup(list, strlen(list));
	bool hit = false;
	for (char *save = NULL, *t = strtok_r(copy, ",", &save); t && !hit; t = strtok_r(NULL, ",", &save))
		hit = fn(t, arg);
	free(copy);
	return hit;
}

static bool pattern_matches(const char *pattern, const void *name)
{
	return fnmatch(pattern, name, 0) == 0;
}

bool select_match(const char *patterns, const char *name)
{
	if (!patterns || !*patterns)
		return true;
	return any_item(patterns, pattern_matches, name);
}

size_t select_unmatched(const char *patterns, const struct strlist *names, struct strlist *unmatched)
{
	size_t before = unmatched->n;
	if (!patterns)
		return 0;
	char *copy = xstrndup(patterns, strlen(patterns));
	for (char *save = NULL, *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		bool hit = false;
		for (size_t i = 0; i < names->n && !hit; i++)
			hit = pattern_matches(t, names->v[i]);
		if (!hit)
			strlist_addf(unmatched, "%s", t);
	}
	free(copy);
	return unmatched->n - before;
}

static int by_cost_desc(const void *a, const void *b, void *costs)
{
	const unsigned long long *cost = costs;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	if (cost[i] != cost[j])
		return cost[i] < cost[j] ? 1 : -1;
	return i < j ? -1 : i > j;
}

void select_shard(size_t n, unsigned shards, const unsigned long long *cost, unsigned *out)
{
	if (shards <= 1) {
		for (size_t i = 0; i < n; i++)
			out[i] = 0;
		return;
	}
	size_t *order = xrealloc(NULL, (n + 1) * sizeof(*order));
	unsigned long long *load = xrealloc(NULL, shards * sizeof(*load));
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, n, sizeof(*order), by_cost_desc, (void *)cost);
	for (unsigned s = 0; s < shards; s++)
		load[s] = 0;
	for (size_t k = 0; k < n; k++) {
		unsigned best = 0;
		for (unsigned s = 1; s < shards; s++)
			if (load[s] < load[best])
				best = s;
		out[order[k]] = best;
		load[best] += cost[order[k]];
	}
	free(order);
	free(load);
}

/* The group of item i: the least index on its with[] path (which ends in a loop: itself, or a cycle). */
static size_t group_of(size_t n, const size_t *with, size_t i)
{
	size_t least = n, at = i;
	/* n steps reach the loop; n more go round it once whatever its length. */
	for (size_t step = 0; step < 2 * n; step++) {
		at = with[at] < n ? with[at] : at;
		if (step >= n && at < least)
			least = at;
	}
	/* least is the smallest index on the loop; the path into it joins that group too. */
	return least;
}

unsigned select_shard_count(size_t n, unsigned shards, const size_t *with)
{
	size_t groups = 0;
	for (size_t i = 0; i < n; i++)
		groups += group_of(n, with, i) == i;
	return groups < shards ? (unsigned)groups : shards;
}

unsigned select_shard_grouped(size_t n, unsigned shards, const unsigned long long *cost, const size_t *with,
			      unsigned *out)
{
	size_t *group = xrealloc(NULL, (n + 1) * sizeof(*group)), *unit = xrealloc(NULL, (n + 1) * sizeof(*unit));
	unsigned long long *unit_cost = xrealloc(NULL, (n + 1) * sizeof(*unit_cost));
	unsigned *unit_out = xrealloc(NULL, (n + 1) * sizeof(*unit_out));
	size_t units = 0;
	for (size_t i = 0; i < n; i++) {
		group[i] = group_of(n, with, i);
		if (group[i] == i) {
			unit[i] = units;
			unit_cost[units++] = 0;
		}
	}
	for (size_t i = 0; i < n; i++)
		unit_cost[unit[group[i]]] += cost[i];
	unsigned used = select_shard_count(n, shards, with);
	select_shard(units, used, unit_cost, unit_out);
	for (size_t i = 0; i < n; i++)
		out[i] = unit_out[unit[group[i]]];
	free(group);
	free(unit);
	free(unit_cost);
	free(unit_out);
	return used;
}

char *select_join(const struct strlist *names)
{
	char *s = strlist_join(names, ",");
	if (strlen(s) > SELECT_MAX_LIST) {
		free(s);
		return NULL;
	}
	return s;
}

/* The selection image: one GRUB line setting `var` to `prefix` + value ("" when value is ""), then zeros. */
static int image_write(const char *path, const char *var, const char *prefix, const char *value)
{
	/* Guest names are file names: refuse anything that could break out of GRUB's quotes. */
	for (const char *p = value; *p; p++)
		if (*p == '"' || *p == '\\' || *p == '$' || *p == '\n' || *p == ' ') {
			errno = EINVAL;
			return -1;
		}
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	int ok = fprintf(f, "set %s=\"%s%s\"\n", var, *value ? prefix : "", value) > 0;
	/* The rest of the sector and the image: zeros, which GRUB's `source` ends at. */
	ok = ok && fseek(f, SELECT_IMAGE_BYTES - 1, SEEK_SET) == 0 && fputc(0, f) != EOF;
	if (fclose(f) != 0 || !ok)
		return -1;
	return 0;
}

int select_image_write(const char *path, const char *list)
{
	return image_write(path, "vexit_select", "tests=", list);
}

int select_bare_image_write(const char *path, const char *name)
{
	if (!*name) {
		errno = EINVAL;
		return -1;
	}
	return image_write(path, "vexit_bare", "", name);
}
