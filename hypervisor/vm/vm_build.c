#include "vm/vm_build.h"

#include "diag/entry_break.h"
#include "hw/cpu.h"
#include "hw/vmx_insn.h"
#include "include/x86_arch.h"
#include "kernel/kstring.h"
#include "kernel/panic.h"
#include "vm/acpi_tables.h"
#include "vm/bios_ivt.h"
#include "vm/demand_page.h"
#include "vm/guest_image.h"
#include "vm/guest_layout.h"
#include "vm/guest_section.h"
#include "vm/guest_time.h"
#include "vm/kernel_image.h"
#include "vm/multiboot_info.h"
#include "vm/vm.h"
#include "vm/vm_cpuid.h"
#include "vm/vm_vmcs.h"
#include "vmx/vmx_caps.h"
#include "vmx/xcr0.h"

/* struct vm, with its bus's port table (vm/io_bus.h) and its vCPU's CPUID table, lives in a run of pages of its own. */
#define VM_STRUCT_PAGES ((sizeof(struct vm) + PAGE_SIZE - 1) / PAGE_SIZE)

static uint64_t zeroed_page(void)
{
	uint64_t p = page_alloc();
	if (!p)
		panic("out of memory building a VM");
	memset((void *)(uintptr_t)p, 0, PAGE_SIZE);
	return p;
}

uint64_t vm_pages_needed(uint64_t mem_size)
{
	/* Guest memory, its page array, the VM itself, and room for EPT tables, bitmaps and VMCS. */
	return mem_size / PAGE_SIZE + vm_mem_array_pages(mem_size) + VM_STRUCT_PAGES + mem_size / (2ull << 20) + 16;
}

/* Guest memory, one 2 MiB unit at a time: an aligned run when there is one (EPT maps it with one
 * large page), else single pages. */
static void alloc_guest_memory(struct vm *vm)
{
	uint64_t array_pages = vm_mem_array_pages(vm->mem_size);
	vm->mem_pages = (uint64_t *)(uintptr_t)page_alloc_run(array_pages, 1);
	if (!vm->mem_pages)
		panic("out of memory building a VM");
	for (uint64_t first = 0; first < vm_mem_pages(vm); first += EPT_PAGES_PER_LARGE) {
		uint64_t run = page_alloc_run(EPT_PAGES_PER_LARGE, EPT_PAGES_PER_LARGE);
		if (run)
			memset((void *)(uintptr_t)run, 0, EPT_PAGES_PER_LARGE * PAGE_SIZE);
		for (uint64_t i = 0; i < EPT_PAGES_PER_LARGE; i++)
			vm->mem_pages[first + i] = run ? run + i * PAGE_SIZE : zeroed_page();
	}
}

struct vm *vm_create(const struct vm_config *cfg, const char *name, enum vm_kind kind, uint64_t mem_size)
{
	if (!mem_size || mem_size % VM_MEM_GRANULE || mem_size > VM_MEM_MAX)
		panic("VM %s: memory size 0x%lx is not a whole number of 2 MiB up to 1 GiB", name, mem_size);
	struct vm *vm = (struct vm *)(uintptr_t)page_alloc_run(VM_STRUCT_PAGES, 1);
	if (!vm)
		panic("out of memory building a VM");
	memset(vm, 0, VM_STRUCT_PAGES * PAGE_SIZE);
	for (unsigned i = 0; name[i] && i < VM_NAME_MAX - 1; i++)
		vm->name[i] = name[i];
	vm->kind = kind;
	vm->caps = cfg->caps;
	vm->mem_size = mem_size;
	vm->tsc_scale = cfg->tsc_scale;
	vm->cr0_fixed0 = cfg->caps->cr0_fixed0;
	alloc_guest_memory(vm);
	vcpu_init(&vm->vcpu, vm);
	virtual_msrs_reset(&vm->msrs, cfg->nx, cfg->phys_addr_bits, cfg->tsc_adjust);
	vm->msrs.cpuid = &vm->vcpu.cpuid;
	/* Each VM starts with the power-on XCR0 (x87 only), loaded with the rest of its CPU state. */
	vm->xcr0 = XCR0_X87;
	guest_cpu_state_init(&vm->cpu_state, (uint8_t *)(uintptr_t)zeroed_page(), cfg->xsave_mask, cfg->xsave_bytes,
			     cfg->xsaveopt);
	guest_time_configure(&vm->vcpu, cfg->budget, cfg->watchdog,
			     vmx_control_allowed(EXIT_SAVE_PREEMPTION_TIMER, cfg->caps->exit),
			     vmx_preemption_timer_rate(cfg->caps));
	entry_debug_configure(&vm->dbg, vm->name, vm->caps, cfg->precheck, cfg->debug, cfg->dump);
	const char *device;
	if (!vm_attach_devices(vm, &device))
		panic("no room to attach device %s to %s", device, vm->name);
	return vm;
}

/* A guest image's `.vexit.break` request: NULL, or a `why=` token when it names no breakage. */
static const char *break_request(struct vm *vm, const uint8_t *image, uint64_t size)
{
	const uint8_t *data;
	uint64_t len;
	if (!guest_section_find(image, size, ENTRY_BREAK_SECTION, &data, &len))
		return NULL;
	/* One NUL-terminated name (the section may carry alignment padding after it). */
	uint64_t n = 0;
	while (n < len && data[n])
		n++;
	vm->dbg.break_pending = entry_break_find((const char *)data, n);
	return vm->dbg.break_pending ? NULL : "unknown-break";
}

/*
 * An external kernel: loaded and entered as a multiboot boot loader would
 * (Multiboot 0.6.96, 3.2; Multiboot 2.0, 3.3, the same machine state): EAX
 * the boot loader's magic, EBX the boot information; the ACPI tables in the
 * BIOS area, as firmware leaves them; the rest is vm_vmcs.c's.
 */
static const char *load_external(struct vm *vm, const struct vm_image *img)
{
	struct kernel_ranges used;
	uint32_t entry, mbi;
	/* Firmware's real-mode vectors first: a kernel loaded over them replaces them. */
	const char *why = bios_ivt_write(vm);
	if (why)
		return why;
	why = kernel_image_load(vm, img->data, img->size, &entry, &used);
	if (why)
		return why;
	why = acpi_tables_write(vm, &used);
	if (why)
		return why;
	bool v2 = kernel_image_format(img->data, img->size) == KERNEL_MULTIBOOT2;
	why = v2 ? multiboot2_info_write(vm, &used, img->cmdline, img->mods, img->n_mods, &mbi)
		 : multiboot_info_write(vm, &used, img->cmdline, img->mods, img->n_mods, &mbi);
	if (why)
		return why;
	vm->entry = entry;
	vm->vcpu.regs[GPR_RAX] = v2 ? MB2_BOOT_MAGIC : MB1_BOOTLOADER_MAGIC;
	vm->vcpu.regs[GPR_RBX] = mbi;
	/* Power-on EFER: long mode is the kernel's to turn on. */
	vm->msrs.efer = 0;
	return NULL;
}

const char *vm_load(struct vm *vm, const struct vm_image *img)
{
	if (img->n_mods > MB1_MAX_MODULES)
		return "too-many-modules";
	if (vm->kind == VM_EXTERNAL_KERNEL)
		return load_external(vm, img);
	/* A test guest has no boot information to name a module in (docs/guest-abi.md). */
	if (img->n_mods)
		return "test-guest-takes-no-modules";
	guest_layout_build(vm);
	const char *why = guest_image_load(vm, img->data, img->size, &vm->entry);
	return why ? why : break_request(vm, img->data, img->size);
}

/*
 * An external kernel's local APIC (vm/lapic.h): the APIC-access page EPT maps at
 * LAPIC_BASE, whose accesses the CPU virtualizes (SDM 30.4; its contents never
 * matter), and the virtual-APIC page that holds the registers.
 */
static void attach_lapic(struct vm *vm)
{
	struct lapic *a = vm_device_state(vm, sizeof(*a));
	if (!a)
		panic("no room for the local APIC of %s", vm->name);
	vm->apic_access_page = zeroed_page();
	a->page = (uint8_t *)(uintptr_t)zeroed_page();
	if (!ept_map_page(&vm->ept, LAPIC_BASE, vm->apic_access_page))
		panic("out of memory mapping the APIC page of %s", vm->name);
	lapic_reset_virtual_wire(a);
	vm->lapic = a;
}

const char *vm_setup_vmx(struct vm *vm)
{
	if (!vmx_has_ept(vm->caps))
		return "no-ept";
	/* An external kernel starts with paging off, which VMX allows only an unrestricted guest (SDM 27.2.1.1). */
	if (vm->kind == VM_EXTERNAL_KERNEL) {
		if (!vmx_has_unrestricted_guest(vm->caps))
			return "no-unrestricted-guest";
		vm->cr0_fixed0 &= ~(CR0_PE | CR0_PG);
	}
	uint64_t eptp = ept_build(&vm->ept, vm->mem_pages, vm_mem_pages(vm), ept_has_large_pages(vm->caps));
	if (!eptp)
		panic("out of memory building EPT for %s", vm->name);
	if (vm->kind == VM_EXTERNAL_KERNEL && vmx_has_apic_virtualization(vm->caps))
		attach_lapic(vm);
	if (!ept_invalidate(vm->caps, eptp))
		panic("INVEPT of 0x%lx failed for %s", eptp, vm->name);
	/* Every port and every MSR traps for now: all bits set (SDM 25.6.4, 25.6.9). */
	vm->io_bitmap_a = zeroed_page();
	vm->io_bitmap_b = zeroed_page();
	vm->msr_bitmap = zeroed_page();
	memset((void *)(uintptr_t)vm->io_bitmap_a, 0xff, PAGE_SIZE);
	memset((void *)(uintptr_t)vm->io_bitmap_b, 0xff, PAGE_SIZE);
	memset((void *)(uintptr_t)vm->msr_bitmap, 0xff, PAGE_SIZE);

	/* SDM 25.11.3: a new VMCS gets the revision id, then VMCLEAR, then VMPTRLD. */
	vm->vmcs = zeroed_page();
	vm->dbg.vmcs = vm->vmcs;
	*(uint32_t *)(uintptr_t)vm->vmcs = vmx_revision_id(vm->caps);
	if (vmclear(vm->vmcs) != VMX_OK || vmptrld(vm->vmcs) != VMX_OK)
		panic("VMCLEAR/VMPTRLD of a fresh VMCS failed for %s", vm->name);
	const char *why = vmcs_setup(vm, eptp, vm->entry);
	/* The VM's CPUID answers, now that its controls (RDTSCP) and APIC are known. */
	if (!why)
		vm_cpuid_refill(vm);
	return why;
}

void vm_destroy(struct vm *vm)
{
	if (vm->vmcs && vmclear(vm->vmcs) != VMX_OK)
		panic("VMCLEAR failed tearing down %s", vm->name);
	ept_free(&vm->ept);
	demand_page_free(vm);
	entry_debug_release(&vm->dbg);
	uint64_t pages[] = { vm->vmcs, vm->io_bitmap_a, vm->io_bitmap_b, vm->msr_bitmap, vm->apic_access_page,
			     vm->lapic ? (uint64_t)(uintptr_t)vm->lapic->page : 0 };
	for (unsigned i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		if (pages[i])
			page_free(pages[i]);
	for (uint64_t i = 0; i < vm_mem_pages(vm); i++)
		page_free(vm->mem_pages[i]);
	for (uint64_t i = 0; i < vm_mem_array_pages(vm->mem_size); i++)
		page_free((uint64_t)(uintptr_t)vm->mem_pages + i * PAGE_SIZE);
	page_free((uint64_t)(uintptr_t)vm->cpu_state.area);
	for (uint64_t i = 0; i < VM_STRUCT_PAGES; i++)
		page_free((uint64_t)(uintptr_t)vm + i * PAGE_SIZE);
}
