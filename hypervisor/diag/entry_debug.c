/*
 * The kernel side of entry-failure explanations: read the VMCS into a
 * snapshot, run the checker, print its verdict, the exit history and the VMCS
 * dump, and stop at a Bochs magic breakpoint (`xchg %bx, %bx`, a no-op on
 * hardware) when the VM was booted with debug=<guest>.
 */
#include "diag/entry_debug.h"

#include "diag/entry_break.h"
#include "diag/entry_check.h"
#include "diag/vmcs_dump.h"
#include "hw/cpu.h"
#include "hw/vmcs.h"
#include "hw/vmx_entry.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/fmt.h"
#include "kernel/kstring.h"
#include "kernel/page_alloc.h"
#include "kernel/panic.h"
#include "vmx/exit_reason.h"


static void print_verdict(const struct entry_debug *d, const char *when, const struct vmcs_snapshot *s)
{
	struct entry_check_result r;
	entry_check_run(s, d->caps, &r);
	entry_check_print(d->guest, when, &r);
}

/* What a debugger user needs to find the VMCS and the entry/exit code (docs/debugging.md). */
/* exit_stub: where the next exit lands, the VMCS's HOST_RIP (hw/vmx_entry.h has two). */
static void debug_stop(const struct entry_debug *d, const char *where, uint64_t exit_stub)
{
	kprintf("VEXIT debug-stop %s %s vmcs=0x%lx vmx_run=0x%lx exit_stub=0x%lx\n", d->guest, where, d->vmcs,
		(uint64_t)(uintptr_t)vmx_run, exit_stub);
	console_drain();
	magic_break();
}

/* Copy len bytes of a breakage's memory image to addr, when addr lies in its scratch page (never elsewhere). */
static void scratch_write(uint64_t scratch, uint64_t addr, const void *src, uint64_t len)
{
	if (addr >= scratch && addr + len <= scratch + PAGE_SIZE)
		memcpy((void *)(uintptr_t)addr, src, len);
}

static void apply_break(struct entry_debug *d, unsigned which)
{
	const struct entry_break *b = &entry_breaks[which - 1];
	struct vmcs_snapshot s;
	vmcs_snapshot_read(&s);
	s.msr_load_n = 0;
	s.cr3_pdptes_known = s.vtpr_known = false;
	struct vmcs_snapshot before = s;
	/* A zeroed page of this VM's own for the memory a breakage points the VMCS at (entry_break.h). */
	if (!d->scratch && !(d->scratch = page_alloc()))
		panic("out of memory for the breakage page of %s", d->guest);
	memset((void *)(uintptr_t)d->scratch, 0, PAGE_SIZE);
	unsigned f = entry_break_apply(b, &s, d->caps, d->scratch);
	scratch_write(d->scratch, s.entry_msr_load_addr, s.msr_load, s.msr_load_n * sizeof(s.msr_load[0]));
	if (s.cr3_pdptes_known)
		scratch_write(d->scratch, s.guest_cr3 & 0xffffffe0u, s.cr3_pdpte, sizeof(s.cr3_pdpte));
	if (s.vtpr_known)
		scratch_write(d->scratch, s.virtual_apic_addr + VMCS_SNAPSHOT_VTPR_OFFSET, &s.vtpr, 1);
	/* The breakage's own field first, then any other it changed (a breakage may need several). */
	kprintf("VEXIT entry-break %s %s %s=0x%lx", d->guest, b->name, vmcs_field_table[f].name,
		*vmcs_snapshot_slot(&s, f));
	vmcs_write(vmcs_field_table[f].encoding, *vmcs_snapshot_slot(&s, f));
	for (unsigned i = 0; i < vmcs_field_count; i++)
		if (i != f && *vmcs_snapshot_slot(&s, i) != *vmcs_snapshot_slot(&before, i)) {
			vmcs_write(vmcs_field_table[i].encoding, *vmcs_snapshot_slot(&s, i));
			kprintf(" %s=0x%lx", vmcs_field_table[i].name, *vmcs_snapshot_slot(&s, i));
		}
	kprintf("\n");
	/* The verdict on the broken VMCS, whatever the CPU then does with it: where it enters anyway, this is vexit's. */
	print_verdict(d, "after-break", &s);
}

/* The checker before a VMRESUME: silent unless a rule is broken; then it names the exit just handled. */
static void precheck_resume(const struct entry_debug *d, const struct vmcs_snapshot *s, const struct exit_history *h)
{
	struct entry_check_result r;
	if (!entry_check_run(s, d->caps, &r))
		return;
	unsigned kept = exit_history_kept(h);
	uint32_t last = kept ? exit_history_at(h, kept - 1).reason : 0;
	const char *name = kept ? exit_reason_name(EXIT_REASON_BASIC(last)) : NULL;
	char when[96];
	if (name)
		fmt_snprintf(when, sizeof(when), "before-resume exit=%lu reason=%s", h->total - 1, name);
	else
		fmt_snprintf(when, sizeof(when), "before-resume exit=%lu reason=%u", h->total - 1,
			     EXIT_REASON_BASIC(last));
	entry_check_print(d->guest, when, &r);
}

void entry_debug_before_entry(struct entry_debug *d, bool first, const struct exit_history *h)
{
	if (d->break_pending) {
		apply_break(d, d->break_pending);
		d->break_pending = 0;
	}
	if (!d->dump_pending && !d->precheck && !(first && (d->dump_first || d->stop)))
		return;
	struct vmcs_snapshot s;
	vmcs_snapshot_read(&s);
	if (d->dump_pending || (first && d->dump_first))
		vmcs_dump_print(d->guest, &s);
	d->dump_pending = false;
	if (first && (d->precheck || d->stop))
		print_verdict(d, "before-launch", &s);
	else if (!first && d->precheck)
		precheck_resume(d, &s, h);
	if (first && d->stop)
		debug_stop(d, "before-launch", s.host_rip);
}

void entry_debug_after_failure(struct entry_debug *d, const struct exit_history *h, bool vmcs_current)
{
	struct vmcs_snapshot s;
	if (vmcs_current) {
		vmcs_snapshot_read(&s);
		print_verdict(d, "after-failure", &s);
	}
	exit_history_print(d->guest, h);
	if (vmcs_current)
		vmcs_dump_print(d->guest, &s);
	if (d->stop)
		debug_stop(d, "after-failure", vmcs_current ? s.host_rip : (uint64_t)(uintptr_t)vmx_exit_entry_point);
}

void entry_debug_release(struct entry_debug *d)
{
	if (d->scratch)
		page_free(d->scratch);
	d->scratch = 0;
}

static bool selects(const char *list, const char *guest)
{
	return list && (strcmp(list, "all") == 0 || cmdline_list_has(list, guest));
}

void entry_debug_configure(struct entry_debug *d, const char *guest, const struct vmx_caps *caps,
			   const char *precheck, const char *debug, const char *dump)
{
	d->guest = guest;
	d->caps = caps;
	d->precheck = selects(precheck, guest);
	d->stop = selects(debug, guest);
	d->dump_first = selects(dump, guest);
}
