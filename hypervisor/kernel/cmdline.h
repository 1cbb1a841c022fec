/* The kernel command line: space-separated key=value options (see README, "Command line"). */
#ifndef VEXIT_CMDLINE_H
#define VEXIT_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copy the value of `key` into out (NUL-terminated, truncated to n-1); false if the key is absent. */
bool cmdline_get(const char *cmdline, const char *key, char *out, size_t n);
/* Parse a decimal number; false on anything else (empty, sign, junk, overflow). */
bool cmdline_parse_u64(const char *s, uint64_t *out);
/* Copy the first space-separated word of s into out (NUL-terminated, truncated to n-1, n > 0). */
void cmdline_first_word(const char *s, char *out, size_t n);
/* Is name one of the comma-separated items of list? */
bool cmdline_list_has(const char *list, const char *name);

#endif
