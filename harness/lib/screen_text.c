#include "screen_text.h"

#include <stdlib.h>

char *screen_text(const char *chars, unsigned cols, unsigned rows)
{
	char *text = malloc((size_t)cols * rows + rows + 1);
	if (!text)
		abort();
	/* Blank rows below the last line are no part of the text. */
	unsigned used = rows;
	while (used > 1) {
		unsigned r = used - 1, c = 0;
		while (c < cols && chars[r * cols + c] == ' ')
			c++;
		if (c < cols)
			break;
		used--;
	}
	size_t t = 0;
	for (unsigned r = 0; r < used; r++) {
		unsigned len = cols;
		while (len && chars[r * cols + len - 1] == ' ')
			len--;
		for (unsigned c = 0; c < len; c++) {
			unsigned char ch = (unsigned char)chars[r * cols + c];
			text[t++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
		}
		if (len < cols || r + 1 == used)
			text[t++] = '\n';
	}
	text[t] = '\0';
	return text;
}
