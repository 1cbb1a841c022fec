/*
 * Running many jobs, a few at a time: vexit-run's Bochs runs (bochs_run.h's
 * start and poll). The jobs are callbacks, not Bochs itself, so that the
 * scheduling can be tested without starting a process.
 */
#ifndef VEXIT_HARNESS_SCHEDULER_H
#define VEXIT_HARNESS_SCHEDULER_H

#include <stdbool.h>
#include <stddef.h>

struct scheduler_ops {
	/* Start job i: 0 when it runs; -1 when it could not start (it holds no slot, and its poll ends it). */
	int (*start)(void *ctx, size_t i);
	/* Is job i over? Asked of every started job every few milliseconds until it says so, then never again. */
	bool (*poll)(void *ctx, size_t i);
	/* Job i is over: called once per job, in the order the jobs end. */
	void (*done)(void *ctx, size_t i);
};

/*
 * Run jobs 0..n-1, starting them in order and at most `at_once` (>= 1) of them
 * at a time; return when every job is done.
 */
void scheduler_run(size_t n, unsigned at_once, const struct scheduler_ops *ops, void *ctx);

#endif
