#include "frozen_clock.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The shared object (harness/preload/frozen_clock_blob.S). */
extern const unsigned char frozen_clock_so[], frozen_clock_so_end[];

int frozen_clock_write(const char *path)
{
	char tmp[PATH_MAX + 8];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* Written beside and renamed over: a Bochs still mapping an older copy keeps its own. */
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return -1;
	size_t n = (size_t)(frozen_clock_so_end - frozen_clock_so);
	bool ok = fwrite(frozen_clock_so, 1, n, f) == n;
	int saved = errno;
	if (fclose(f) != 0 && ok) {
		ok = false;
		saved = errno;
	}
	if (ok && rename(tmp, path) == 0)
		return 0;
	if (ok)
		saved = errno;
	unlink(tmp);
	errno = saved;
	return -1;
}

const char *frozen_clock_preload(const char *path, const char *previous, char *buf, size_t len)
{
	int n = previous && *previous ? snprintf(buf, len, "%s %s", path, previous) : snprintf(buf, len, "%s", path);
	return n >= 0 && (size_t)n < len ? buf : NULL;
}
