/* Decoding the exit qualification of an I/O-instruction exit (SDM 28.2.1, table 28-5). */
#ifndef VEXIT_IO_QUALIFICATION_H
#define VEXIT_IO_QUALIFICATION_H

#include <stdbool.h>
#include <stdint.h>

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

/* From the VM-exit instruction-information field of INS/OUTS (SDM 28.2.5, table 28-8). */
unsigned io_string_address_size(uint32_t instruction_info); /* 2, 4 or 8 bytes; 0 if reserved */
unsigned io_string_segment(uint32_t instruction_info);      /* 0=ES 1=CS 2=SS 3=DS 4=FS 5=GS */

#endif
