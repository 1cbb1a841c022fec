/*
 * The I/O bitmaps (SDM 25.6.4): bitmap A covers ports 0x0000-0x7FFF, bitmap B
 * 0x8000-0xFFFF, one bit per port; a set bit makes an access to that port exit.
 * Plain C over the two 4 KiB pages, so the host build tests it.
 */
#ifndef VEXIT_IO_BITMAP_H
#define VEXIT_IO_BITMAP_H

#include <stdbool.h>
#include <stdint.h>

#define IO_BITMAP_BYTES 4096

struct io_bitmaps {
	uint8_t *a, *b;
};

/* Intercept (or pass) count ports from first; false (nothing changed) if the range passes 0xFFFF. */
bool io_bitmap_set(const struct io_bitmaps *bm, uint16_t first, uint32_t count, bool intercept);
bool io_bitmap_intercepts(const struct io_bitmaps *bm, uint16_t port);
/*
 * Whether an access of size bytes at port exits (SDM 26.1.3): when any of its
 * ports has its bit set, and always when it wraps past 0xFFFF.
 */
bool io_bitmap_access_exits(const struct io_bitmaps *bm, uint16_t port, unsigned size);

#endif
