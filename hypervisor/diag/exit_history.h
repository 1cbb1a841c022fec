/*
 * The exit history: each vCPU keeps a ring of its last exits (reason,
 * qualification, RIP, tick), printed with every failed entry so the path into
 * a bad state is visible. Pure C.
 */
#ifndef VEXIT_EXIT_HISTORY_H
#define VEXIT_EXIT_HISTORY_H

#include <stdint.h>

#define EXIT_HISTORY_LEN 16

struct exit_record {
	uint32_t reason;  /* the full exit-reason field */
	uint32_t tick_lo; /* the TSC at the exit as RDTSC leaves it, EDX:EAX apart: exit_record_tick joins them */
	uint64_t qualification; /* 0 until the exit's handler reads it (vm/vcpu.h, vcpu_exit_qualification) */
	uint64_t rip;
	uint32_t tick_hi;
};

struct exit_history {
	struct exit_record ring[EXIT_HISTORY_LEN];
	uint64_t total; /* exits ever recorded; the ring keeps the last EXIT_HISTORY_LEN */
	uint64_t base;  /* the tick printed as 0 (the first entry's): deterministic under Bochs */
};

/*
 * Inline: the run loop records every exit, and this is all it costs (a few stores of what
 * it has in registers: the tick is joined only when read, the qualification noted only
 * when a handler reads it).
 */
static inline void exit_history_record(struct exit_history *h, uint32_t reason, uint64_t rip, uint32_t tick_lo,
				       uint32_t tick_hi)
{
	struct exit_record *r = &h->ring[h->total++ % EXIT_HISTORY_LEN];
	r->reason = reason;
	r->tick_lo = tick_lo;
	r->qualification = 0;
	r->rip = rip;
	r->tick_hi = tick_hi;
}
/* The qualification of the last exit recorded, once something has read it (before any: a slot no one reads). */
static inline void exit_history_note_qualification(struct exit_history *h, uint64_t qual)
{
	h->ring[(h->total - 1) % EXIT_HISTORY_LEN].qualification = qual;
}
static inline uint64_t exit_record_tick(const struct exit_record *r)
{
	return (uint64_t)r->tick_hi << 32 | r->tick_lo;
}
/* The tick of the last exit recorded (0 before any). */
static inline uint64_t exit_history_last_tick(const struct exit_history *h)
{
	return h->total ? exit_record_tick(&h->ring[(h->total - 1) % EXIT_HISTORY_LEN]) : 0;
}
/* Records kept, at most EXIT_HISTORY_LEN. */
unsigned exit_history_kept(const struct exit_history *h);
/* The i-th kept record, oldest first (i < exit_history_kept). */
const struct exit_record *exit_history_at(const struct exit_history *h, unsigned i);
/* `VEXIT exit-history <guest> exits=<total> kept=<n>`, then one `exit-record` line per record. */
void exit_history_print(const char *guest, const struct exit_history *h);

#endif
