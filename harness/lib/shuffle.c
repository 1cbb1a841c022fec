#include "shuffle.h"

#include <time.h>
#include <unistd.h>

/* splitmix64: one step of the state, and its output (Steele, Lea and Flood's constants). */
static uint64_t next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t shuffle_new_seed(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t state = ((uint64_t)ts.tv_sec << 32) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 16);
	/* Small enough to type back: 32 bits of a mixed value. */
	return next(&state) >> 32;
}

uint64_t shuffle_derive(uint64_t seed, uint64_t n)
{
	uint64_t state = seed ^ (n * 0xd1b54a32d192ed03ull);
	return next(&state);
}

void shuffle_order(size_t n, uint64_t seed, size_t *order)
{
	uint64_t state = seed;
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = n; i > 1; i--) {
		/* A uniform pick in [0, i) (the modulo bias of a 64-bit value over a few hundred guests is nil). */
		size_t k = (size_t)(next(&state) % i);
		size_t t = order[i - 1];
		order[i - 1] = order[k];
		order[k] = t;
	}
}
