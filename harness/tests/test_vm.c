#include "test_vm.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fake_hw.h"
#include "hv_good_vmcs.h"
#include "include/x86_arch.h"
#include "kernel/page_alloc.h"
#include "quiet_assert.h"
#include "vm/guest_layout.h"
#include "vm/vm_build.h"
#include "vmx/vmx_caps.h"

void test_vm_create(struct test_vm *t, const char *name, uint8_t fill)
{
	*t = (struct test_vm){ 0 };
	t->vm = calloc(1, sizeof(*t->vm));
	t->host = aligned_alloc(PAGE_SIZE, GUEST_MEM_SIZE);
	t->pages = calloc(GUEST_PAGES, sizeof(*t->pages));
	ck_assert(t->vm && t->host && t->pages);
	memset(t->host, fill, GUEST_MEM_SIZE);
	for (uint64_t i = 0; i < GUEST_PAGES; i++)
		t->pages[i] = (uint64_t)(uintptr_t)(t->host + (GUEST_PAGES - 1 - i) * PAGE_SIZE);
	t->vm->mem_pages = t->pages;
	t->vm->mem_size = GUEST_MEM_SIZE;
	vcpu_init(&t->vm->vcpu, t->vm); /* vcpu->gpr points at its regs[], as vm_create leaves it */
	snprintf(t->vm->name, sizeof(t->vm->name), "%s", name);
}

/* Enough pages for one VM: struct vm, its page array, guest memory, EPT, bitmaps, VMCS. */
#define POOL_SIZE (GUEST_MEM_SIZE + (1ull << 20))

/*
 * The pool the page allocator hands out, mapped once per process below 2 GiB. It starts on a 2 MiB
 * boundary and asks for transparent huge pages, so that the guest memory vm_create zeroes (one
 * aligned 2 MiB run) is one page fault in each forked test, not 512 (check_hv_exits, 217 tests that
 * each build a VM: 4.2 s, then 2.3 s). Where the kernel gives no huge pages, only the time differs.
 */
#define HUGE_PAGE (2ull << 20)
static uint64_t pool(void)
{
	static uint64_t p;
	if (!p) {
		void *m = mmap(NULL, POOL_SIZE + HUGE_PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
		ck_assert_msg(m != MAP_FAILED, "no low memory for the page pool");
		p = ((uint64_t)(uintptr_t)m + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
		madvise((void *)(uintptr_t)p, POOL_SIZE, MADV_HUGEPAGE);
	}
	return p;
}

void test_vm_host_cpu(void)
{
	fake_cpu_reset();
	fake_cpu.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	fake_cpu.cr3 = 0x105000;
	fake_cpu.cr4 = CR4_PAE | CR4_VMXE;
	fake_cpu.msr_efer = EFER_LME | EFER_LMA;
	/* CPUID 80000008H: 40 physical-address bits, 48 linear-address bits (the entry checker's widths). */
	fake_cpu_set_cpuid(0x80000008, 0, 48 << 8 | 40, 0, 0, 0);
	/* The highest basic and extended leaves, Bochs's corei7_skylake_x's: 16H, 80000008H; "GenuineIntel". */
	fake_cpu_set_cpuid(0, 0, 0x16, 0x756e6547, 0x6c65746e, 0x49656e69);
	fake_cpu_set_cpuid(0x80000000u, 0, 0x80000008u, 0, 0, 0);
}

/* vm_create of this kind over the pool, on a fresh fake CPU and VMCS, its guest pages reversed on the host. */
uint32_t test_vm_tsc_scale = 1;

static struct vm *build(struct test_vm *t, const char *name, uint64_t budget, const struct vmx_caps *caps,
			enum vm_kind kind)
{
	*t = (struct test_vm){ .built = true };
	if (caps)
		t->caps = *caps;
	else
		hv_good_caps(&t->caps);
	test_vm_host_cpu();
	fake_vmcs_reset();
	page_alloc_reset();
	page_alloc_add_free(pool(), POOL_SIZE);
	/* The CPU has x87, SSE and AVX (XCR0 bits 0-2) and XSAVEOPT; the watchdog is the one the kernel would
	 * choose on it (no usable APIC in the host build). */
	struct vm_config cfg = { .caps = &t->caps, .budget = budget, .nx = true, .xsave = true, .xsave_mask = 7,
				 .xsave_bytes = 832, .xsaveopt = true, .phys_addr_bits = 40, .tsc_adjust = true, .tsc_scale = test_vm_tsc_scale,
				 .watchdog = guest_time_watchdog(vmx_has_preemption_timer(&t->caps), false, false) };
	test_vm_tsc_scale = 1;
	struct vm *vm = vm_create(&cfg, name, kind, GUEST_MEM_SIZE);
	/* The allocator handed out the guest pages one after the other: map them in reverse. */
	for (uint64_t i = 1; i < GUEST_PAGES; i++)
		quiet_assert_uint_eq(vm->mem_pages[i], vm->mem_pages[0] + i * PAGE_SIZE, "guest page %lu", i);
	t->host = (uint8_t *)(uintptr_t)vm->mem_pages[0];
	for (uint64_t i = 0; i < GUEST_PAGES / 2; i++) {
		uint64_t p = vm->mem_pages[i];
		vm->mem_pages[i] = vm->mem_pages[GUEST_PAGES - 1 - i];
		vm->mem_pages[GUEST_PAGES - 1 - i] = p;
	}
	t->vm = vm;
	t->pages = vm->mem_pages;
	return vm;
}

void test_vm_build(struct test_vm *t, const char *name, uint64_t budget, const struct vmx_caps *caps)
{
	struct vm *vm = build(t, name, budget, caps, VM_TEST_GUEST);
	guest_layout_build(vm);
	vm->entry = GUEST_IMAGE_BASE;
	const char *why = vm_setup_vmx(vm);
	ck_assert_msg(why == NULL, "vm_setup_vmx: %s", why);
}

const char *test_vm_build_loaded(struct test_vm *t, const char *name, const struct vm_image *img,
				 const struct vmx_caps *caps)
{
	struct vm *vm = build(t, name, 0, caps, VM_EXTERNAL_KERNEL);
	const char *why = vm_load(vm, img);
	return why ? why : vm_setup_vmx(vm);
}

const char *test_vm_build_external(struct test_vm *t, const char *name, const uint8_t *image, uint64_t size,
				   const char *cmdline, const struct vmx_caps *caps)
{
	struct vm_image img = { image, size, cmdline, NULL, 0 };
	return test_vm_build_loaded(t, name, &img, caps);
}

uint8_t *test_vm_byte(const struct test_vm *t, uint64_t gpa)
{
	return t->host + (GUEST_PAGES - 1 - gpa / PAGE_SIZE) * PAGE_SIZE + gpa % PAGE_SIZE;
}

void test_vm_destroy(struct test_vm *t)
{
	if (t->built) {
		vm_destroy(t->vm);
		ck_assert_uint_eq(page_alloc_free_count(), POOL_SIZE / PAGE_SIZE); /* every page back */
	} else {
		free(t->pages);
		free(t->host);
		free(t->vm);
	}
	*t = (struct test_vm){ 0 };
}
