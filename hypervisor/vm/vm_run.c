#include "vm_run.h"

#include "console.h"
#include "devices.h"
#include "entry_debug.h"
#include "ept.h"
#include "guest_image.h"
#include "guest_layout.h"
#include "kstring.h"
#include "panic.h"
#include "vm.h"
#include "vmcs.h"
#include "vmcs_setup.h"
#include "vmx_asm.h"
#include "vmx_caps.h"
#include "x86.h"
#include "xcr0.h"

_Static_assert(sizeof(struct vm) <= PAGE_SIZE, "struct vm lives in one page");
_Static_assert(GUEST_PAGES * sizeof(uint64_t) <= PAGE_SIZE, "the guest page array lives in one page");

static uint64_t zeroed_page(void)
{
	uint64_t p = page_alloc();
	if (!p)
		panic("out of memory building a VM");
	memset((void *)(uintptr_t)p, 0, PAGE_SIZE);
	return p;
}

static struct vm *vm_create(const struct vm_config *cfg, const char *name)
{
	struct vm *vm = (struct vm *)(uintptr_t)zeroed_page();
	for (unsigned i = 0; name[i] && i < VM_NAME_MAX - 1; i++)
		vm->name[i] = name[i];
	vm->caps = cfg->caps;
	vm->mem_pages = (uint64_t *)(uintptr_t)zeroed_page();
	for (uint64_t i = 0; i < GUEST_PAGES; i++)
		vm->mem_pages[i] = zeroed_page();
	vm->vcpu.vm = vm;
	virtual_msrs_reset(&vm->msrs, cfg->nx, cfg->phys_addr_bits);
	/* Each VM starts with the power-on XCR0 (x87 only), whatever the last one loaded. */
	vm->xcr0 = XCR0_X87;
	if (cfg->xsave)
		xsetbv(0, vm->xcr0);
	vm->vcpu.budget = cfg->budget;
	vm->vcpu.budget_timer = cfg->budget && vmx_has_preemption_timer(cfg->caps);
	vm->vcpu.timer_rate = vmx_preemption_timer_rate(cfg->caps);
	entry_debug_configure(&vm->dbg, vm->name, cfg->precheck, cfg->debug, cfg->dump);
	io_bus_add(&vm->bus, &debug_port_device);
	io_bus_add(&vm->bus, &exit_port_device);
	io_bus_add(&vm->bus, &test_device);
	return vm;
}

static void vm_destroy(struct vm *vm)
{
	if (vm->vmcs && vmclear(vm->vmcs) != VMX_OK)
		panic("VMCLEAR failed tearing down %s", vm->name);
	ept_free(vm);
	uint64_t pages[] = { vm->vmcs, vm->io_bitmap_a, vm->io_bitmap_b, vm->msr_bitmap };
	for (unsigned i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		if (pages[i])
			page_free(pages[i]);
	for (uint64_t i = 0; i < GUEST_PAGES; i++)
		page_free(vm->mem_pages[i]);
	page_free((uint64_t)(uintptr_t)vm->mem_pages);
	page_free((uint64_t)(uintptr_t)vm);
}

/* VMCS, bitmaps and EPT; returns NULL or why the VM cannot run on this CPU. */
static const char *vm_setup_vmx(struct vm *vm, uint64_t entry)
{
	if (!vmx_has_ept(vm->caps))
		return "no-ept";
	uint64_t eptp = ept_build(vm);
	if (!eptp)
		panic("out of memory building EPT for %s", vm->name);
	ept_invalidate(vm, eptp);
	/* Every port and every MSR traps for now: all bits set (SDM 25.6.4, 25.6.9). */
	vm->io_bitmap_a = zeroed_page();
	vm->io_bitmap_b = zeroed_page();
	vm->msr_bitmap = zeroed_page();
	memset((void *)(uintptr_t)vm->io_bitmap_a, 0xff, PAGE_SIZE);
	memset((void *)(uintptr_t)vm->io_bitmap_b, 0xff, PAGE_SIZE);
	memset((void *)(uintptr_t)vm->msr_bitmap, 0xff, PAGE_SIZE);

	/* SDM 25.11.3: a new VMCS gets the revision id, then VMCLEAR, then VMPTRLD. */
	vm->vmcs = zeroed_page();
	*(uint32_t *)(uintptr_t)vm->vmcs = vmx_revision_id(vm->caps);
	if (vmclear(vm->vmcs) != VMX_OK || vmptrld(vm->vmcs) != VMX_OK)
		panic("VMCLEAR/VMPTRLD of a fresh VMCS failed for %s", vm->name);
	return vmcs_setup(vm, eptp, entry);
}

static void report_end(const struct vm *vm)
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
	for (unsigned i = 0; i < vm->n_trace; i++) {
		const char *name = exit_reason_name(vm->trace[i].reason);
		kprintf("VEXIT exit-trace %s %u %s 0x%lx\n", vm->name, i, name ? name : "UNKNOWN",
			vm->trace[i].qualification);
	}
	uint64_t ticks = v->launched || v->exits ? v->last_exit_tick - v->first_entry_tick : 0;
	kprintf("VEXIT guest-end %s %s exits=%lu ticks=%lu", vm->name, vm_stop_name(vm->stop), v->exits, ticks);
	if (vm->n_trace || vm->trace_dropped)
		kprintf(" traced=%u trace-dropped=%u", vm->n_trace, vm->trace_dropped);
	kprintf(" %s\n", vm->stop_fields);
}

void vm_run_module(const struct vm_config *cfg, const char *name, const uint8_t *image, uint64_t size)
{
	kprintf("VEXIT guest-begin %s\n", name);
	struct vm *vm = vm_create(cfg, name);
	uint64_t entry = 0;
	const char *why;

	guest_layout_build(vm);
	if ((why = guest_image_load(vm, image, size, &entry))) {
		vm_stop(vm, VM_STOP_BAD_IMAGE, "why=%s", why);
	} else if ((why = entry_debug_image_request(&vm->dbg, image, size))) {
		vm_stop(vm, VM_STOP_BAD_IMAGE, "why=%s", why);
	} else if ((why = vm_setup_vmx(vm, entry))) {
		vm_stop(vm, VM_STOP_SKIPPED, "why=%s", why);
	} else {
		while (vm->stop == VM_RUNNING) {
			if (vcpu_run(&vm->vcpu) != EXIT_TO_CALLER)
				continue;
			/* No built-in handler and nobody above us to take it: stop, naming the exit. */
			uint32_t basic = EXIT_REASON_BASIC(vm->vcpu.exit_reason);
			const char *rn = exit_reason_name(basic);
			if (rn)
				vm_stop(vm, VM_STOP_UNHANDLED_EXIT, "reason=%s qual=0x%lx rip=0x%lx", rn,
					vm->vcpu.exit_qualification, vm->vcpu.rip);
			else
				vm_stop(vm, VM_STOP_UNHANDLED_EXIT, "reason=%u qual=0x%lx rip=0x%lx", basic,
					vm->vcpu.exit_qualification, vm->vcpu.rip);
		}
	}
	debug_port_flush(vm);
	report_end(vm);
	vm_destroy(vm);
}
