#include "screen_dump.h"

#include "screen_text.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCREEN_BASE 0xb8000u

char *screen_dump_commands(uint64_t stop_at, unsigned cols, unsigned rows)
{
	char *s = NULL;
	if (asprintf(&s, "lb 0x%" PRIx64 "\nc\nxp /%uhx 0x%x\nquit\n", stop_at, cols * rows, SCREEN_BASE) < 0)
		return NULL;
	return s;
}

/*
 * One dump line into cells[] (marking them in seen[]); a line that is no dump line of
 * the screen's memory changes nothing.
 */
static void parse_dump_line(const char *line, uint16_t *cells, unsigned char *seen, unsigned n)
{
	char *end;
	unsigned long long addr = strtoull(line, &end, 16);
	if (end == line || strncmp(end, " <bogus+", 8) != 0 || addr < SCREEN_BASE || (addr - SCREEN_BASE) % 2)
		return;
	const char *p = strchr(end, ':');
	unsigned long long i = (addr - SCREEN_BASE) / 2;
	while (p && *++p && *p != '\n' && i < n) {
		if (*p == '\t' || *p == ' ')
			continue;
		unsigned long v = strtoul(p, &end, 16);
		if (end == p)
			return;
		cells[i] = (uint16_t)v;
		seen[i++] = 1;
		p = end - 1;
	}
}

char *screen_dump_text(const char *bochs_out, unsigned cols, unsigned rows)
{
	unsigned n = cols * rows;
	uint16_t *cells = calloc(n, sizeof(*cells));
	unsigned char *seen = calloc(n, 1);
	char *chars = malloc(n ? n : 1);
	if (!cells || !seen || !chars)
		abort();
	for (const char *line = bochs_out; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		/* The last dump wins: the debugger prints "[bochs]:" before each. */
		if (strncmp(line, "[bochs]:", 8) == 0)
			memset(seen, 0, n);
		parse_dump_line(line, cells, seen, n);
	}
	bool whole = true;
	for (unsigned i = 0; i < n; i++) {
		whole &= seen[i];
		chars[i] = (char)(cells[i] & 0xff);
	}
	char *text = whole ? screen_text(chars, cols, rows) : NULL;
	free(cells);
	free(seen);
	free(chars);
	return text;
}
