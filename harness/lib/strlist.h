/* A growable list of owned strings, for the harness's reports and messages. */
#ifndef VEXIT_HARNESS_STRLIST_H
#define VEXIT_HARNESS_STRLIST_H

#include <stddef.h>

struct strlist {
	char **v;
	size_t n, cap;
};

/* Append a copy of the formatted string; aborts on out-of-memory (a host tool, not the kernel). */
void strlist_addf(struct strlist *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strlist_free(struct strlist *l);
/* Index of the first element equal to s, or -1. */
long strlist_find(const struct strlist *l, const char *s);

/* The elements joined by sep, in a new string the caller frees. */
char *strlist_join(const struct strlist *l, const char *sep);

/* malloc/realloc/strdup that abort with a message instead of returning NULL. */
void *xrealloc(void *p, size_t size);
char *xstrndup(const char *s, size_t n);

#endif
