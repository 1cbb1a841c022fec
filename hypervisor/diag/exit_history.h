/*
 * The exit history: each vCPU keeps a ring of its last exits (reason,
 * qualification, RIP, tick), printed with every failed entry so the path into
 * a bad state is visible. Pure C.
 */
#ifndef VEXIT_EXIT_HISTORY_H
#define VEXIT_EXIT_HISTORY_H

#include <stdbool.h>
#include <stdint.h>

#define EXIT_HISTORY_LEN 16

/* One exit, as exit_history_at gives it. */
struct exit_record {
	uint32_t reason;          /* the full exit-reason field */
	bool qualification_read;  /* the exit's handler read its qualification (vm/vcpu.h, vcpu_exit_qualification) */
	uint64_t qualification;   /* what it read; 0 when it read none */
	uint64_t rip;
	uint64_t tick;          /* the TSC at the exit (RDTSC's halves, joined) */
};

/*
 * The ring keeps each field in an array of its own (not an array of records): a slot's
 * fields are then at index*4 and index*8, which x86 addressing scales, where a 32-byte
 * record needed a shift and an add on every exit (one instruction fewer per exit in all:
 * gcc still forms one base for the three 4-byte stores).
 */
struct exit_history {
	/* First, in this order: the exit stub records the exits it answers itself here (hw/vmx_entry.h). */
	uint64_t total; /* exits ever recorded; the ring keeps the last EXIT_HISTORY_LEN */
	uint32_t reason[EXIT_HISTORY_LEN];
	uint32_t tick_lo[EXIT_HISTORY_LEN]; /* the TSC at the exit as RDTSC leaves it, EDX:EAX apart */
	uint32_t tick_hi[EXIT_HISTORY_LEN];
	uint64_t rip[EXIT_HISTORY_LEN];
	/*
	 * A slot's qualification is its exit's when qualification_of names that exit (its
	 * number + 1, as total was then): a handler that reads the qualification notes both, and
	 * recording an exit writes neither, so a slot no handler read shows a stale stamp.
	 */
	uint64_t qualification[EXIT_HISTORY_LEN];
	uint32_t qualification_of[EXIT_HISTORY_LEN]; /* 32 bits: a stale stamp would need 2^32 exits to match */
	uint64_t base; /* the tick printed as 0 (the first entry's): deterministic under Bochs */
};

/*
 * Inline: the run loop records every exit, and this is all it costs (a few stores of what
 * it has in registers: the tick is joined only when read, the qualification noted only
 * when a handler reads it). hw/vmx_entry.S does the same for the exits it answers itself.
 */
static inline void exit_history_record(struct exit_history *h, uint32_t reason, uint64_t rip, uint32_t tick_lo,
				       uint32_t tick_hi)
{
	unsigned i = (unsigned)(h->total++ % EXIT_HISTORY_LEN);
	h->reason[i] = reason;
	h->tick_lo[i] = tick_lo;
	h->rip[i] = rip;
	h->tick_hi[i] = tick_hi;
}
/* The qualification of the last exit recorded, once something has read it (before any: a slot no one reads). */
static inline void exit_history_note_qualification(struct exit_history *h, uint64_t qual)
{
	unsigned i = (unsigned)((h->total - 1) % EXIT_HISTORY_LEN);
	h->qualification[i] = qual;
	h->qualification_of[i] = (uint32_t)h->total;
}
static inline uint64_t exit_history_tick(const struct exit_history *h, unsigned slot)
{
	return (uint64_t)h->tick_hi[slot] << 32 | h->tick_lo[slot];
}
/* The tick of the last exit recorded (0 before any). */
static inline uint64_t exit_history_last_tick(const struct exit_history *h)
{
	return h->total ? exit_history_tick(h, (unsigned)((h->total - 1) % EXIT_HISTORY_LEN)) : 0;
}
/* The reason of the last exit recorded (0 before any). */
static inline uint32_t exit_history_last_reason(const struct exit_history *h)
{
	return h->total ? h->reason[(h->total - 1) % EXIT_HISTORY_LEN] : 0;
}
/* Records kept, at most EXIT_HISTORY_LEN. */
unsigned exit_history_kept(const struct exit_history *h);
/* The i-th kept record, oldest first (i < exit_history_kept). */
struct exit_record exit_history_at(const struct exit_history *h, unsigned i);
/* `VEXIT exit-history <guest> exits=<total> kept=<n>`, then one `exit-record` line per record. */
void exit_history_print(const char *guest, const struct exit_history *h);

#endif
