/*
 * The MSR bitmap (SDM 25.6.9): one 4 KiB page of four 1 KiB regions, one bit per
 * MSR: read-low (MSRs 0x00000000-0x00001FFF), read-high (0xC0000000-0xC0001FFF),
 * write-low, write-high. A set bit makes RDMSR/WRMSR of that MSR exit; an MSR
 * outside both ranges always exits. Plain C over the page, tested on the host.
 */
#ifndef VEXIT_MSR_BITMAP_H
#define VEXIT_MSR_BITMAP_H

#include <stdbool.h>
#include <stdint.h>

#define MSR_BITMAP_BYTES 4096
#define MSR_BITMAP_READ 1u
#define MSR_BITMAP_WRITE 2u

/* Whether the bitmap can name this MSR at all. */
bool msr_bitmap_covers(uint32_t msr);
/* Intercept (or pass) the accesses in `which` (MSR_BITMAP_READ|WRITE); false for an MSR it cannot cover. */
bool msr_bitmap_set(uint8_t *page, uint32_t msr, unsigned which, bool intercept);
/* Whether RDMSR (write=false) or WRMSR (write=true) of msr exits (SDM 26.1.3). */
bool msr_bitmap_access_exits(const uint8_t *page, uint32_t msr, bool write);

#endif
