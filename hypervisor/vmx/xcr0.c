#include "xcr0.h"

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
	return true;
}
