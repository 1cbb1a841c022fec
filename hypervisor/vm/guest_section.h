/* Finding a named section in a guest image (ELF64) held in memory: how a guest asks things of the hypervisor before it runs. */
#ifndef VEXIT_GUEST_SECTION_H
#define VEXIT_GUEST_SECTION_H

#include <stdbool.h>
#include <stdint.h>

/* The bytes of section `name`; false when the image has no such section or its headers are out of the image. */
bool guest_section_find(const uint8_t *image, uint64_t size, const char *name, const uint8_t **data, uint64_t *len);

#endif
