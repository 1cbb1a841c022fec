#include "vmx/io_bitmap.h"

static uint8_t *byte_of(const struct io_bitmaps *bm, uint16_t port)
{
	uint8_t *page = port < 0x8000 ? bm->a : bm->b;
	return &page[(port & 0x7fff) >> 3];
}

bool io_bitmap_set(const struct io_bitmaps *bm, uint16_t first, uint32_t count, bool intercept)
{
	/* Compare against the room left: first + count could wrap a uint32_t and pass. */
	if (count > 0x10000u - first)
		return false;
	for (uint32_t p = first; p < (uint32_t)first + count; p++) {
		uint8_t bit = (uint8_t)(1u << (p & 7));
		if (intercept)
			*byte_of(bm, (uint16_t)p) |= bit;
		else
			*byte_of(bm, (uint16_t)p) &= (uint8_t)~bit;
	}
	return true;
}

bool io_bitmap_intercepts(const struct io_bitmaps *bm, uint16_t port)
{
	return *byte_of(bm, port) & (1u << (port & 7));
}

bool io_bitmap_access_exits(const struct io_bitmaps *bm, uint16_t port, unsigned size)
{
	if ((uint32_t)port + size > 0x10000)
		return true;
	for (unsigned i = 0; i < size; i++)
		if (io_bitmap_intercepts(bm, (uint16_t)(port + i)))
			return true;
	return false;
}
