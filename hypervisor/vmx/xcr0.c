#include "vmx/xcr0.h"

bool xcr0_valid(uint32_t index, uint64_t value, uint64_t supported)
{
	if (index != 0)
		return false;
	if (!(value & XCR0_X87) || (value & ~supported))
		return false;
	if ((value & XCR0_AVX) && !(value & XCR0_SSE))
		return false;
	uint64_t avx512 = value & XCR0_AVX512;
	if (avx512 && (avx512 != XCR0_AVX512 || !(value & XCR0_AVX)))
		return false;
	uint64_t mpx = value & (XCR0_BNDREGS | XCR0_BNDCSR);
	if (mpx && mpx != (XCR0_BNDREGS | XCR0_BNDCSR))
		return false;
	/* SDM Vol. 1 13.3: #GP if XCR0[17] != XCR0[18] (TILECFG and TILEDATA are enabled together). */
	uint64_t amx = value & (XCR0_TILECFG | XCR0_TILEDATA);
	if (amx && amx != (XCR0_TILECFG | XCR0_TILEDATA))
		return false;
	return true;
}

uint32_t xsave_area_bytes(uint64_t mask, const struct xsave_component comp[XCR0_COMPONENTS])
{
	uint32_t end = XSAVE_LEGACY_AND_HEADER;
	for (unsigned i = 2; i < XCR0_COMPONENTS; i++)
		if ((mask >> i & 1) && comp[i].offset + comp[i].size > end)
			end = comp[i].offset + comp[i].size;
	return end;
}
