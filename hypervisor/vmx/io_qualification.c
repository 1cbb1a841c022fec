#include "vmx/io_qualification.h"

const uint8_t io_qualification_simple_sizes[IO_QUAL_SIZE + IO_QUAL_STRING + 1] = { [0] = 1, [1] = 2, [3] = 4 };

bool io_qualification_decode(uint64_t q, struct io_access *out)
{
	unsigned size_field = q & IO_QUAL_SIZE;
	if (size_field != 0 && size_field != 1 && size_field != 3)
		return false;
	out->size = size_field + 1;
	out->in = q & IO_QUAL_IN;
	out->string = q & IO_QUAL_STRING;
	out->rep = q & IO_QUAL_REP;
	out->immediate = q & IO_QUAL_IMMEDIATE;
	out->port = io_qualification_port(q);
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
