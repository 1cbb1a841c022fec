/* Loading a guest test image (ELF64, x86-64, statically linked) into a VM's memory. */
#ifndef VEXIT_GUEST_IMAGE_H
#define VEXIT_GUEST_IMAGE_H

#include <stdint.h>

struct vm;

/*
 * Validate the image and copy its PT_LOAD segments into guest memory
 * (zero-filling the part of each segment past its file size). Every segment
 * must lie in [GUEST_IMAGE_BASE, GUEST_IMAGE_LIMIT) and the entry point inside
 * an executable segment. Returns NULL and sets *entry, or a short token saying
 * what is wrong (it goes into the protocol's `why=` field), and then guest
 * memory may hold a partial image.
 */
const char *guest_image_load(struct vm *vm, const uint8_t *image, uint64_t size, uint64_t *entry);

#endif
