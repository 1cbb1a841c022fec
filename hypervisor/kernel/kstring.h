/* The few libc string functions a freestanding kernel needs (GCC may emit calls to mem*). */
#ifndef VEXIT_KSTRING_H
#define VEXIT_KSTRING_H

#ifdef VEXIT_HOST
/* The host build tests pure kernel code against the C library's versions. */
#include <string.h>
#else
#include <stddef.h>

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
#endif

#endif
