#include "diag/exit_history.h"

#include "kernel/console.h"
#include "kernel/fmt.h"
#include "vmx/exit_reason.h"

unsigned exit_history_kept(const struct exit_history *h)
{
	return h->total < EXIT_HISTORY_LEN ? (unsigned)h->total : EXIT_HISTORY_LEN;
}

struct exit_record exit_history_at(const struct exit_history *h, unsigned i)
{
	uint64_t first = h->total - exit_history_kept(h);
	unsigned slot = (unsigned)((first + i) % EXIT_HISTORY_LEN);
	bool read = h->qualification_of[slot] == (uint32_t)(first + i + 1);
	return (struct exit_record){ .reason = h->reason[slot],
				     .qualification_read = read,
				     .qualification = read ? h->qualification[slot] : 0,
				     .rip = h->rip[slot],
				     .tick = exit_history_tick(h, slot) };
}

void exit_history_print(const char *guest, const struct exit_history *h)
{
	unsigned kept = exit_history_kept(h);
	kprintf("VEXIT exit-history %s exits=%lu kept=%u\n", guest, h->total, kept);
	for (unsigned i = 0; i < kept; i++) {
		struct exit_record r = exit_history_at(h, i);
		uint32_t basic = EXIT_REASON_BASIC(r.reason);
		const char *name = exit_reason_name(basic);
		char reason[16], qual[24];
		if (!name)
			fmt_snprintf(reason, sizeof(reason), "%u", basic);
		/* qual=-: the exit's handler never read it (most exits have none: SDM 28.2.1). */
		if (r.qualification_read)
			fmt_snprintf(qual, sizeof(qual), "0x%lx", r.qualification);
		kprintf("VEXIT exit-record %s %lu reason=%s qual=%s rip=0x%lx tick=%lu\n", guest, h->total - kept + i,
			name ? name : reason, r.qualification_read ? qual : "-", r.rip, r.tick - h->base);
	}
}
