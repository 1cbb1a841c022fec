/*
 * Bochs's host clock, frozen: every Bochs the harness starts runs with the shared object of
 * harness/preload/frozen_clock.c preloaded (linked into the harness as data), whose gettimeofday()
 * and time() return one constant. Without it GRUB boots did not repeat byte for byte
 * (docs/external-kernels.md, "Reproducible runs").
 */
#ifndef VEXIT_HARNESS_FROZEN_CLOCK_H
#define VEXIT_HARNESS_FROZEN_CLOCK_H

#include <stddef.h>

/* The value gettimeofday() and time() return under it, in seconds: bochsrc/'s time0 (any constant would do). */
#define FROZEN_CLOCK_SECONDS 946681200

/* Write the shared object to path (replacing any file there); 0, or -1 with errno set. */
int frozen_clock_write(const char *path);
/*
 * The LD_PRELOAD value that loads path before what `previous` (the caller's LD_PRELOAD, or NULL)
 * preloads, in buf. NULL when it does not fit.
 */
const char *frozen_clock_preload(const char *path, const char *previous, char *buf, size_t len);

#endif
