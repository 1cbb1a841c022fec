#include "run/vm_run.h"

#include "diag/exit_trace.h"
#include "hw/cpu.h"
#include "include/vexit_abi.h"
#include "kernel/console.h"
#include "kernel/kstring.h"
#include "kernel/page_alloc.h"
#include "run/vcpu_run.h"
#include "vm/guest_time.h"
#include "vm/kernel_image.h"
#include "vm/vm.h"

static void report_end(const struct vm *vm, uint64_t guest_ticks)
{
	const struct vcpu *v = &vm->vcpu;
	for (uint32_t r = 0; r < EXIT_REASON_MAX; r++) {
		if (!v->exit_counts[r])
			continue;
		const char *name = exit_reason_name(r);
		if (name)
			kprintf("VEXIT exit-count %s %s %lu\n", vm->name, name, v->exit_counts[r]);
		else
			kprintf("VEXIT exit-count %s REASON_%u %lu\n", vm->name, r, v->exit_counts[r]);
	}
	exit_trace_print(vm->name, &vm->trace);
	uint64_t ticks = v->launched || vcpu_exits(v) ? v->last_exit_tick - v->first_entry_tick : 0;
	kprintf("VEXIT guest-end %s %s exits=%lu ticks=%lu guest-ticks=%lu", vm->name, vm_stop_name(vm->stop), vcpu_exits(v),
		ticks, guest_ticks);
	if (vm->trace.n || vm->trace.dropped)
		kprintf(" traced=%u trace-dropped=%u", vm->trace.n, vm->trace.dropped);
	kprintf(" %s\n", vm->stop_fields);
}

/* No built-in handler took the exit, and nobody above us will: stop, naming it. */
static void stop_unhandled(struct vm *vm)
{
	struct vcpu *v = &vm->vcpu;
	uint32_t basic = EXIT_REASON_BASIC(vcpu_exit_reason(v));
	const char *name = exit_reason_name(basic);
	uint64_t q = vcpu_exit_qualification(v); /* the exit's VMCS is still the current one */
	if (name)
		vm_stop(vm, VM_STOP_UNHANDLED_EXIT, "reason=%s qual=0x%lx rip=0x%lx", name, q, v->rip);
	else
		vm_stop(vm, VM_STOP_UNHANDLED_EXIT, "reason=%u qual=0x%lx rip=0x%lx", basic, q, v->rip);
}

void vm_run_module(const struct vm_config *cfg, const char *name, const struct vm_image *img, uint64_t mem_size)
{
	/* Every line names the guest by the same characters: a name longer than the protocol's is refused. */
	if (strlen(name) > VEXIT_GUEST_NAME_MAX) {
		char cut[VEXIT_GUEST_NAME_MAX + 1];
		memcpy(cut, name, VEXIT_GUEST_NAME_MAX);
		cut[VEXIT_GUEST_NAME_MAX] = '\0';
		kprintf("VEXIT guest-begin %s tsc=%lu\n", cut, rdtsc());
		kprintf("VEXIT guest-end %s bad-image exits=0 ticks=0 guest-ticks=0 why=name-too-long\n", cut);
		return;
	}
	/* The host's TSC counts Bochs ticks: the harness files each line of bochs.log under the guest it falls in. */
	kprintf("VEXIT guest-begin %s tsc=%lu\n", name, rdtsc());
	enum vm_kind kind = kernel_image_is_multiboot(img->data, img->size) ? VM_EXTERNAL_KERNEL : VM_TEST_GUEST;
	if (kind == VM_TEST_GUEST)
		mem_size = GUEST_MEM_SIZE;
	else if (!mem_size)
		mem_size = VM_MEM_EXTERNAL_DEFAULT;
	if (vm_pages_needed(mem_size) > page_alloc_free_count()) {
		kprintf("VEXIT guest-end %s skipped exits=0 ticks=0 guest-ticks=0 why=not-enough-memory mem-mib=%lu\n",
			name, mem_size >> 20);
		return;
	}
	struct vm *vm = vm_create(cfg, name, kind, mem_size);
	const char *why;
	uint64_t guest_ticks = 0;

	if ((why = vm_load(vm, img))) {
		vm_stop(vm, VM_STOP_BAD_IMAGE, "why=%s", why);
	} else if ((why = vm_setup_vmx(vm))) {
		vm_stop(vm, VM_STOP_SKIPPED, "why=%s", why);
	} else {
		while (vm->stop == VM_RUNNING)
			if (vcpu_run(&vm->vcpu) == EXIT_TO_CALLER)
				stop_unhandled(vm);
		guest_time_end(&vm->vcpu);
		guest_ticks = guest_time_ticks(&vm->vcpu);
	}
	io_bus_stop(&vm->bus);
	report_end(vm, guest_ticks);
	vm_destroy(vm);
}
