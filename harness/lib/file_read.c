#include "file_read.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "strlist.h"

char *file_read(const char *path, size_t max_bytes, size_t *len)
{
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0;
	for (;;) {
		if (*len + 4096 + 1 > cap) {
			cap = 2 * cap + 4096 + 1;
			buf = xrealloc(buf, cap);
		}
		size_t got = fread(buf + *len, 1, cap - *len - 1, f);
		*len += got;
		if (*len > max_bytes) {
			fclose(f);
			free(buf);
			errno = EFBIG;
			return NULL;
		}
		if (got == 0)
			break;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		errno = EIO;
		return NULL;
	}
	buf[*len] = '\0';
	return buf;
}
