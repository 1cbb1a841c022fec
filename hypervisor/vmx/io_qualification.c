#include "vmx/io_qualification.h"

bool io_qualification_decode(uint64_t q, struct io_access *out)
{
	unsigned size_field = q & 7;
	if (size_field != 0 && size_field != 1 && size_field != 3)
		return false;
	out->size = size_field + 1;
	out->in = (q >> 3) & 1;
	out->string = (q >> 4) & 1;
	out->rep = (q >> 5) & 1;
	out->immediate = (q >> 6) & 1;
	out->port = (uint16_t)(q >> 16);
	return true;
}

unsigned io_string_address_size(uint32_t info)
{
	switch ((info >> 7) & 7) {
	case 0:
		return 2;
	case 1:
		return 4;
	case 2:
		return 8;
	default:
		return 0;
	}
}

unsigned io_string_segment(uint32_t info)
{
	return (info >> 15) & 7;
}
