/*
 * libFuzzer target: the guest image loader (hypervisor/vm/guest_image.c) and the
 * section finder the kernel reads breakage names with (vm/guest_section.c): the
 * bytes are a multiboot2 module, anything a user puts on the ISO. The guest's
 * memory is GUEST_PAGES separate host pages in reverse order, as in the Check
 * tests (harness/tests/test_vm.h), so a write that assumed them contiguous, or
 * one outside them, is caught by ASan.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vm/guest_image.h"
#include "vm/guest_section.h"
#include "vm/vm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vm vm;
	static uint64_t pages[GUEST_PAGES];
	static uint8_t *page[GUEST_PAGES];
	if (!vm.mem_pages) {
		for (unsigned i = 0; i < GUEST_PAGES; i++)
			page[i] = malloc(PAGE_SIZE);
		for (unsigned i = 0; i < GUEST_PAGES; i++)
			pages[i] = (uint64_t)(uintptr_t)page[GUEST_PAGES - 1 - i];
		vm.mem_pages = pages;
	}
	/* An exact-size copy: a read past the module is a heap overflow. */
	uint8_t *image = malloc(size ? size : 1);
	memcpy(image, data, size);
	uint64_t entry;
	(void)guest_image_load(&vm, image, size, &entry);
	const uint8_t *sec;
	uint64_t len;
	if (guest_section_find(image, size, ".vexit.break", &sec, &len) && (sec < image || len > size - (uint64_t)(sec - image)))
		abort();
	free(image);
	return 0;
}
