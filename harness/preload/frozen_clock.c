/*
 * A host clock that never moves, preloaded (LD_PRELOAD) into every Bochs the harness starts
 * (harness/lib/frozen_clock.h). Bochs 2.7 keeps a "realtime" timer engine even with
 * `clock: sync=none`: it reads gettimeofday() to pace its realtime timers (the VGA refresh, the
 * status-bar LEDs) and schedules its own timer events at emulated ticks that follow how fast the
 * host ran. Those events must not touch the guest, but they do: through BIOS and GRUB, two runs of
 * one ISO reached vexit's entry 23 to 92 ticks apart (docs/external-kernels.md, "Reproducible
 * runs"). Frozen, the host clock gives the engine nothing to pace by, so no run depends on the
 * host's speed. time() is frozen too: Bochs seeds RDRAND's values with srand(time(NULL)).
 */
#include <stddef.h>
#include <sys/time.h>
#include <time.h>

#include "frozen_clock.h"

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	(void)tz; /* glibc declares tv non-null */
	tv->tv_sec = FROZEN_CLOCK_SECONDS;
	tv->tv_usec = 0;
	return 0;
}

time_t time(time_t *t)
{
	if (t)
		*t = FROZEN_CLOCK_SECONDS;
	return FROZEN_CLOCK_SECONDS;
}
