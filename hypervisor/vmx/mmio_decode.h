/*
 * The instruction behind an access to a page the hypervisor emulates (the APIC page: an
 * APIC-access exit, SDM 30.4.1, or an EPT violation), decoded from its bytes. Such exits are
 * fault-like and carry no instruction length or information (SDM 28.2.5), so the hypervisor
 * reads the instruction and decodes it itself. Only what a kernel uses on device registers:
 * MOV between a register and memory (88, 89, 8A, 8B), between AL/eAX and an absolute offset (A0-A3),
 * MOV of an immediate to memory (C6 /0, C7 /0) and MOVZX from memory (0F B6, 0F B7), with operand-size, address-size, segment, LOCK
 * and REP prefixes and REX, in 64-bit mode or with 32-bit addressing (SDM Vol. 2A chapter 2,
 * Vol. 2B MOV, MOVZX). Anything else is refused.
 */
#ifndef VEXIT_MMIO_DECODE_H
#define VEXIT_MMIO_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#define MMIO_INSN_MAX 15 /* the longest x86 instruction */

struct mmio_insn {
	unsigned length;    /* bytes, prefixes included: RIP moves by this much */
	unsigned size;      /* bytes of memory accessed: 1, 2, 4 or 8 */
	bool write;         /* a store to memory; else a load into reg */
	bool has_imm;       /* a store of imm; else of (or into) register reg */
	uint64_t imm;       /* the immediate, sign-extended to size */
	unsigned reg;       /* the register operand, by encoding (0-15) */
	bool high_byte;     /* reg is AH, CH, DH or BH (a byte operand 4-7 without REX) */
	unsigned reg_size;  /* a load's destination size (MOVZX: wider than size, the rest zero) */
};

/*
 * Decode the instruction in bytes[0..avail). long_mode: 64-bit code (CS.L); else 32-bit code
 * (CS.D; 16-bit code is refused). False when it is not one of the instructions above, does not
 * touch memory, or is cut short.
 */
bool mmio_decode(const uint8_t *bytes, unsigned avail, bool long_mode, struct mmio_insn *out);
/* The `size` bytes of a load, merged into a register's old value as the CPU writes it (SDM Vol. 1 3.4.1.1). */
uint64_t mmio_load_result(const struct mmio_insn *in, uint64_t old, uint64_t loaded);
/* The value a store writes, from the register's value (or the immediate), `size` bytes. */
uint64_t mmio_store_value(const struct mmio_insn *in, uint64_t reg_value);

#endif
