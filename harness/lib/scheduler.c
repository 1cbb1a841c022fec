#include "scheduler.h"

#include <stdlib.h>
#include <time.h>

#include "strlist.h"

/* How long to wait when no job ended in a round of polls: short beside a Bochs boot (about a second). */
#define POLL_NS 5000000L

/* Where each job is: the scheduler's own record, so that a job's slot is given back exactly once. */
enum job_state { HOLDS_SLOT, NOT_STARTED, OVER };

void scheduler_run(size_t n, unsigned at_once, const struct scheduler_ops *ops, void *ctx)
{
	unsigned char *state = xrealloc(NULL, n);
	size_t next = 0, running = 0, over = 0;
	while (over < n) {
		while (running < at_once && next < n) {
			state[next] = ops->start(ctx, next) == 0 ? HOLDS_SLOT : NOT_STARTED;
			running += state[next++] == HOLDS_SLOT;
		}
		bool any = false;
		for (size_t i = 0; i < next; i++) {
			if (state[i] == OVER || !ops->poll(ctx, i))
				continue;
			running -= state[i] == HOLDS_SLOT;
			state[i] = OVER;
			over++;
			any = true;
			ops->done(ctx, i);
		}
		if (!any)
			nanosleep(&(struct timespec){ 0, POLL_NS }, NULL);
	}
	free(state);
}
