/*
 * Seeded permutations for `vexit-run --shuffle[=SEED]`: the order guests run in,
 * and how they are dealt to shards, change from repeat to repeat, so that a guest
 * whose verdict depends on which guests ran before it in its VM sequence shows up.
 * The same seed gives the same permutations on every machine (splitmix64, a fixed
 * generator, not the C library's rand).
 */
#ifndef VEXIT_HARNESS_SHUFFLE_H
#define VEXIT_HARNESS_SHUFFLE_H

#include <stddef.h>
#include <stdint.h>

/* A seed from the clock and the process ID, for --shuffle without one (printed, so it can be given back). */
uint64_t shuffle_new_seed(void);
/* Mix a seed with a number (a repeat, a shard) into the seed of that use. */
uint64_t shuffle_derive(uint64_t seed, uint64_t n);
/* order[0..n) becomes a permutation of 0..n-1 chosen by the seed (Fisher-Yates). */
void shuffle_order(size_t n, uint64_t seed, size_t *order);

#endif
