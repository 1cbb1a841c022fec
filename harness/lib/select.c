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

void select_shard(size_t n, unsigned shards, unsigned *out)
{
	for (size_t i = 0; i < n; i++)
		out[i] = shards ? (unsigned)(i % shards) : 0;
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

int select_image_write(const char *path, const char *list)
{
	/* Guest names are file names: refuse anything that could break out of GRUB's quotes. */
	for (const char *p = list; *p; p++)
		if (*p == '"' || *p == '\\' || *p == '$' || *p == '\n' || *p == ' ') {
			errno = EINVAL;
			return -1;
		}
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	int ok = (*list ? fprintf(f, "set vexit_select=\"tests=%s\"\n", list)
			: fprintf(f, "set vexit_select=\"\"\n")) > 0;
	/* The rest of the sector and the image: zeros, which GRUB's `source` ends at. */
	ok = ok && fseek(f, SELECT_IMAGE_BYTES - 1, SEEK_SET) == 0 && fputc(0, f) != EOF;
	if (fclose(f) != 0 || !ok)
		return -1;
	return 0;
}
