#include "vmx/tsc_scale.h"

uint64_t tsc_scaled(uint64_t tsc, uint64_t multiplier)
{
	return (uint64_t)(((unsigned __int128)tsc * multiplier) >> 48);
}

uint64_t tsc_guest(uint64_t host_tsc, uint64_t multiplier, uint64_t offset)
{
	return tsc_scaled(host_tsc, multiplier) + offset;
}

uint64_t tsc_host_ticks(uint64_t guest_ticks, uint64_t multiplier)
{
	uint64_t whole = multiplier >> 48;
	if (whole <= 1)
		return guest_ticks;
	return guest_ticks / whole + (guest_ticks % whole != 0);
}
