/* Little-endian byte stores, for the tables and device registers vexit writes for a guest. */
#ifndef VEXIT_LE_BYTES_H
#define VEXIT_LE_BYTES_H

#include <stdint.h>

/* The low `bytes` bytes of v at `to`, least significant first. */
static inline void le_put(uint8_t *to, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		to[i] = (uint8_t)(v >> (8 * i));
}

#endif
