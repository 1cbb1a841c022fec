/* printf-style formatting into a buffer; pure, so the host build tests it. */
#ifndef VEXIT_FMT_H
#define VEXIT_FMT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Supports %d %i %u %x %X %p %s %c %%, the length modifiers l, ll and z,
 * a field width, '0' padding and '-' (left justify). Always NUL-terminates
 * when n > 0; returns the length the full output would have had.
 */
int fmt_vsnprintf(char *buf, size_t n, const char *f, va_list ap);
int fmt_snprintf(char *buf, size_t n, const char *f, ...) __attribute__((format(printf, 3, 4)));

#endif
