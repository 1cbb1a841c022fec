/*
 * libFuzzer target: the external-kernel loader (hypervisor/vm/kernel_image.c):
 * the multiboot v1 and v2 header search and checksum, the ELF32 and ELF64
 * program headers, the a.out-kludge and address-tag flat images. The bytes are
 * any multiboot kernel a user runs (`vexit-run --external`, a manifest). The
 * VM's memory is GUEST_PAGES separate host pages in reverse order, as in the
 * Check tests, so a write that assumed them contiguous, or one outside them, is
 * caught by ASan; and what a successful load reports must hold: every range
 * inside guest memory, the entry inside one of them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vm/kernel_image.h"
#include "vm/vm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vm vm;
	static uint64_t pages[GUEST_PAGES];
	if (!vm.mem_pages) {
		for (unsigned i = 0; i < GUEST_PAGES; i++)
			pages[GUEST_PAGES - 1 - i] = (uint64_t)(uintptr_t)malloc(PAGE_SIZE);
		vm.mem_pages = pages;
		vm.mem_size = GUEST_MEM_SIZE;
	}
	/* An exact-size copy: a read past the image is a heap overflow. */
	uint8_t *image = malloc(size ? size : 1);
	memcpy(image, data, size);
	(void)kernel_image_is_multiboot(image, size);
	enum kernel_format format = kernel_image_format(image, size);
	uint32_t entry = 0;
	struct kernel_ranges used = { 0 };
	const char *why = kernel_image_load(&vm, image, size, &entry, &used);
	if (!why) {
		bool entry_loaded = false;
		if (format == KERNEL_NOT_MULTIBOOT || used.n == 0 || used.n > KERNEL_IMAGE_MAX_RANGES)
			abort();
		for (unsigned i = 0; i < used.n; i++) {
			if (used.r[i].start >= used.r[i].end || used.r[i].end > vm.mem_size)
				abort();
			entry_loaded |= entry >= used.r[i].start && entry < used.r[i].end;
		}
		if (!entry_loaded)
			abort();
	}
	free(image);
	return 0;
}
