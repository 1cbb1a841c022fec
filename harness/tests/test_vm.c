#include "test_vm.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void test_vm_create(struct test_vm *t, const char *name, uint8_t fill)
{
	t->vm = calloc(1, sizeof(*t->vm));
	t->host = aligned_alloc(PAGE_SIZE, GUEST_MEM_SIZE);
	t->pages = calloc(GUEST_PAGES, sizeof(*t->pages));
	ck_assert(t->vm && t->host && t->pages);
	memset(t->host, fill, GUEST_MEM_SIZE);
	for (uint64_t i = 0; i < GUEST_PAGES; i++)
		t->pages[i] = (uint64_t)(uintptr_t)(t->host + (GUEST_PAGES - 1 - i) * PAGE_SIZE);
	t->vm->mem_pages = t->pages;
	vcpu_init(&t->vm->vcpu, t->vm); /* vcpu->gpr points at its regs[], as vm_create leaves it */
	snprintf(t->vm->name, sizeof(t->vm->name), "%s", name);
}

uint8_t *test_vm_byte(const struct test_vm *t, uint64_t gpa)
{
	return t->host + (GUEST_PAGES - 1 - gpa / PAGE_SIZE) * PAGE_SIZE + gpa % PAGE_SIZE;
}

void test_vm_destroy(struct test_vm *t)
{
	free(t->pages);
	free(t->host);
	free(t->vm);
	*t = (struct test_vm){ 0 };
}
