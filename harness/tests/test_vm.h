/*
 * A VM for host unit tests: a zeroed struct vm, its vCPU at power-on (vcpu_init),
 * whose GUEST_PAGES pages of guest memory come from one host buffer mapped in
 * *reverse* order, so code that assumed guest pages contiguous on the host would
 * read the wrong bytes.
 */
#ifndef VEXIT_TESTS_TEST_VM_H
#define VEXIT_TESTS_TEST_VM_H

#include <stdint.h>

#include "vm/vm.h"

struct test_vm {
	struct vm *vm;
	uint8_t *host;    /* GUEST_MEM_SIZE bytes backing the guest */
	uint64_t *pages;  /* vm->mem_pages */
};

/* Every guest byte starts as `fill`; the VM is named `name`. Fails the test when out of memory. */
void test_vm_create(struct test_vm *t, const char *name, uint8_t fill);
/* The host byte that backs guest-physical address gpa. */
uint8_t *test_vm_byte(const struct test_vm *t, uint64_t gpa);
void test_vm_destroy(struct test_vm *t);

#endif
