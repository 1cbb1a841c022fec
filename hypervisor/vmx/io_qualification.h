/* Decoding the exit qualification of an I/O-instruction exit (SDM 28.2.1, table 28-5). */
#ifndef VEXIT_IO_QUALIFICATION_H
#define VEXIT_IO_QUALIFICATION_H

#include <stdbool.h>
#include <stdint.h>

/* Bits of the qualification (table 28-5). */
#define IO_QUAL_SIZE 7u          /* bits 2:0: the access's size - 1 (0, 1 or 3) */
#define IO_QUAL_IN (1u << 3)     /* IN/INS, else OUT/OUTS */
#define IO_QUAL_STRING (1u << 4) /* INS/OUTS */
#define IO_QUAL_REP (1u << 5)
#define IO_QUAL_IMMEDIATE (1u << 6)
#define IO_QUAL_PORT_SHIFT 16 /* bits 31:16 */

struct io_access {
	unsigned size;  /* 1, 2 or 4 bytes */
	bool in;        /* IN/INS (true) or OUT/OUTS */
	bool string;    /* INS/OUTS */
	bool rep;       /* REP prefix */
	bool immediate; /* port given as an immediate, not in DX */
	uint16_t port;
};

/* Returns false for an encoding the SDM does not define (size field 2 or above 3). */
bool io_qualification_decode(uint64_t qualification, struct io_access *out);

/*
 * The exit handler's fast path, on the qualification itself: the size in bytes (1, 2
 * or 4) of an IN or OUT; 0 for INS/OUTS and for a size the SDM does not define (the
 * table is indexed by the size field and the string bit)...
 */
extern const uint8_t io_qualification_simple_sizes[IO_QUAL_SIZE + IO_QUAL_STRING + 1];
static inline unsigned io_qualification_simple_size(uint64_t q)
{
	return io_qualification_simple_sizes[q & (IO_QUAL_SIZE | IO_QUAL_STRING)];
}
/* ...and the port of any access. */
static inline uint16_t io_qualification_port(uint64_t q)
{
	return (uint16_t)((uint32_t)q >> IO_QUAL_PORT_SHIFT);
}

/* From the VM-exit instruction-information field of INS/OUTS (SDM 28.2.5, table 28-8). */
unsigned io_string_address_size(uint32_t instruction_info); /* 2, 4 or 8 bytes; 0 if reserved */
unsigned io_string_segment(uint32_t instruction_info);      /* 0=ES 1=CS 2=SS 3=DS 4=FS 5=GS */

#endif
