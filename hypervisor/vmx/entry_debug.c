/*
 * The kernel side of entry-failure explanations: read the VMCS into a
 * snapshot, run the checker, print its verdict, the exit history and the VMCS
 * dump, and stop at a Bochs magic breakpoint (`xchg %bx, %bx`, a no-op on
 * hardware) when the VM was booted with debug=<guest>.
 */
#include "entry_debug.h"

#include "cmdline.h"
#include "console.h"
#include "entry_break.h"
#include "entry_check.h"
#include "exit_history.h"
#include "guest_section.h"
#include "kstring.h"
#include "vcpu.h"
#include "vm.h"
#include "vmcs.h"
#include "vmcs_dump.h"

/* The Bochs magic breakpoint (bochsrc `magic_break: enabled=1`). */
static inline void magic_break(void)
{
	__asm__ volatile("xchg %%bx, %%bx" : : : "memory");
}

static void print_verdict(const struct vm *vm, const char *when, const struct vmcs_snapshot *s)
{
	struct entry_check_result r;
	entry_check_run(s, vm->caps, &r);
	entry_check_print(vm->name, when, &r);
}

/* What a debugger user needs to find the VMCS and the entry/exit code (docs/debugging.md). */
static void debug_stop(const struct vm *vm, const char *where)
{
	kprintf("VEXIT debug-stop %s %s vmcs=0x%lx vmx_enter=0x%lx exit_stub=0x%lx\n", vm->name, where, vm->vmcs,
		(uint64_t)(uintptr_t)vmx_enter, (uint64_t)(uintptr_t)vmx_exit_entry_point);
	console_drain();
	magic_break();
}

static void apply_break(struct vm *vm, unsigned which)
{
	const struct entry_break *b = &entry_breaks[which - 1];
	struct vmcs_snapshot s;
	vmcs_snapshot_read(&s);
	unsigned f = b->apply(&s, vm->caps);
	uint64_t value = *vmcs_snapshot_slot(&s, f);
	vmcs_write(vmcs_field_table[f].encoding, value);
	kprintf("VEXIT entry-break %s %s %s=0x%lx\n", vm->name, b->name, vmcs_field_table[f].name, value);
}

void entry_debug_before_entry(struct vcpu *v)
{
	struct vm *vm = v->vm;
	struct entry_debug *d = &vm->dbg;
	if (d->break_pending) {
		apply_break(vm, d->break_pending);
		d->break_pending = 0;
	}
	bool first = !v->launched;
	if (!d->dump_pending && !(first && (d->dump_first || d->precheck || d->stop)))
		return;
	struct vmcs_snapshot s;
	vmcs_snapshot_read(&s);
	if (d->dump_pending || (first && d->dump_first))
		vmcs_dump_print(vm->name, &s);
	d->dump_pending = false;
	if (first && (d->precheck || d->stop))
		print_verdict(vm, "before-launch", &s);
	if (first && d->stop)
		debug_stop(vm, "before-launch");
}

void entry_debug_after_failure(struct vcpu *v, bool vmcs_current)
{
	struct vm *vm = v->vm;
	struct vmcs_snapshot s;
	if (vmcs_current) {
		vmcs_snapshot_read(&s);
		print_verdict(vm, "after-failure", &s);
	}
	exit_history_print(vm->name, &v->history);
	if (vmcs_current)
		vmcs_dump_print(vm->name, &s);
	if (vm->dbg.stop)
		debug_stop(vm, "after-failure");
}

static bool selects(const char *list, const char *guest)
{
	return list && (strcmp(list, "all") == 0 || cmdline_list_has(list, guest));
}

void entry_debug_configure(struct entry_debug *d, const char *guest, const char *precheck, const char *debug,
			   const char *dump)
{
	d->precheck = selects(precheck, guest);
	d->stop = selects(debug, guest);
	d->dump_first = selects(dump, guest);
}

const char *entry_debug_image_request(struct entry_debug *d, const uint8_t *image, uint64_t size)
{
	const uint8_t *data;
	uint64_t len;
	if (!guest_section_find(image, size, ENTRY_BREAK_SECTION, &data, &len))
		return NULL;
	/* One NUL-terminated name (the section may carry alignment padding after it). */
	uint64_t n = 0;
	while (n < len && data[n])
		n++;
	d->break_pending = entry_break_find((const char *)data, n);
	return d->break_pending ? NULL : "unknown-break";
}
