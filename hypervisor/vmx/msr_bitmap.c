#include "vmx/msr_bitmap.h"

#define MSR_LOW_LAST 0x00001fffu
#define MSR_HIGH_FIRST 0xc0000000u
#define MSR_HIGH_LAST 0xc0001fffu

bool msr_bitmap_covers(uint32_t msr)
{
	return msr <= MSR_LOW_LAST || (msr >= MSR_HIGH_FIRST && msr <= MSR_HIGH_LAST);
}

/* Byte offset of msr's bit inside the page for a read or a write access. */
static unsigned region_offset(uint32_t msr, bool write)
{
	unsigned off = msr <= MSR_LOW_LAST ? 0 : 0x400; /* low or high */
	return off + (write ? 0x800 : 0) + ((msr & 0x1fff) >> 3);
}

bool msr_bitmap_set(uint8_t *page, uint32_t msr, unsigned which, bool intercept)
{
	if (!msr_bitmap_covers(msr) || (which & ~(MSR_BITMAP_READ | MSR_BITMAP_WRITE)))
		return false;
	uint8_t bit = (uint8_t)(1u << (msr & 7));
	for (int w = 0; w < 2; w++) {
		if (!(which & (w ? MSR_BITMAP_WRITE : MSR_BITMAP_READ)))
			continue;
		uint8_t *b = &page[region_offset(msr, w)];
		*b = intercept ? (uint8_t)(*b | bit) : (uint8_t)(*b & ~bit);
	}
	return true;
}

bool msr_bitmap_access_exits(const uint8_t *page, uint32_t msr, bool write)
{
	if (!msr_bitmap_covers(msr))
		return true;
	return page[region_offset(msr, write)] & (1u << (msr & 7));
}
