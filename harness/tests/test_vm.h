/*
 * A VM for host unit tests whose GUEST_PAGES pages of guest memory are mapped in
 * *reverse* order on the host, so code that assumed guest pages contiguous on the
 * host would read the wrong bytes. Two ways to get one:
 *  - test_vm_create: a zeroed struct vm, its vCPU at power-on (vcpu_init), over one
 *    host buffer: for the pure code that needs guest memory and nothing else;
 *  - test_vm_build: the VM the kernel builds, by its own vm_create and
 *    vm_setup_vmx, over pages of a pool of low host memory (below 2 GiB, so host
 *    addresses are plausible physical ones), on the fake CPU of fake_hw.h with a
 *    64-bit host's state: the VMCS that vmcs_setup() writes is then in fake_vmcs,
 *    and the exit handlers run against it.
 */
#ifndef VEXIT_TESTS_TEST_VM_H
#define VEXIT_TESTS_TEST_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "vm/vm.h"
#include "vm/vm_build.h"
#include "vmx/vmx_caps.h"

struct test_vm {
	struct vm *vm;
	uint8_t *host;    /* GUEST_MEM_SIZE bytes backing the guest (guest page 0 is the last host page) */
	uint64_t *pages;  /* vm->mem_pages */
	struct vmx_caps caps; /* test_vm_build: the CPU's capabilities, vm->caps */
	bool built;
};

/* Every guest byte starts as `fill`; the VM is named `name`. Fails the test when out of memory. */
void test_vm_create(struct test_vm *t, const char *name, uint8_t fill);
/*
 * vm_create + the guest layout (page tables, GDT, TSS; entry at GUEST_IMAGE_BASE) + vm_setup_vmx,
 * with `budget` guest ticks and the capabilities `caps` (NULL: hv_good_caps). The fake CPU and VMCS
 * are reset first. Fails the test if vm_setup_vmx refuses.
 */
void test_vm_build(struct test_vm *t, const char *name, uint64_t budget, const struct vmx_caps *caps);
/*
 * The same for an external kernel: a VM of that kind with GUEST_MEM_SIZE bytes,
 * the multiboot kernel `image` loaded with `cmdline` by vm_load, then vm_setup_vmx.
 * Returns vm_setup_vmx's or vm_load's refusal (NULL when the VM is ready).
 */
const char *test_vm_build_external(struct test_vm *t, const char *name, const uint8_t *image, uint64_t size,
				   const char *cmdline, const struct vmx_caps *caps);
/* The same from a whole vm_image: the kernel with its boot modules. */
const char *test_vm_build_loaded(struct test_vm *t, const char *name, const struct vm_image *img,
				 const struct vmx_caps *caps);
/* The TSC scale (vm_config.tsc_scale) of the next VM test_vm_build* builds; each build resets it to 1. */
extern uint32_t test_vm_tsc_scale;
/* The fake CPU's host state as the kernel runs it (64-bit, paging, VMX on; 40-bit physical addresses). */
void test_vm_host_cpu(void);
/* The host byte that backs guest-physical address gpa. */
uint8_t *test_vm_byte(const struct test_vm *t, uint64_t gpa);
/* Free the VM (vm_destroy for a built one, which must give every page back). */
void test_vm_destroy(struct test_vm *t);

#endif
