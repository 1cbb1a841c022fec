#include "vmx/mmio_decode.h"

static uint64_t size_mask(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

/* The bytes of a ModRM memory operand after the ModRM byte (SIB, displacement), 32/64-bit addressing (SDM Vol. 2A 2.1.5). */
static int modrm_tail(const uint8_t *p, unsigned avail)
{
	if (avail < 1)
		return -1;
	unsigned mod = p[0] >> 6, rm = p[0] & 7;
	if (mod == 3)
		return -1; /* a register operand: no memory access */
	unsigned n = 1;
	if (rm == 4) {
		if (avail < 2)
			return -1;
		if (mod == 0 && (p[1] & 7) == 5)
			n += 4; /* SIB with no base: disp32 */
		n++;
	} else if (mod == 0 && rm == 5) {
		n += 4; /* disp32 (RIP-relative in 64-bit mode) */
	}
	if (mod == 1)
		n += 1;
	else if (mod == 2)
		n += 4;
	return (int)n;
}

bool mmio_decode(const uint8_t *b, unsigned avail, bool long_mode, struct mmio_insn *out)
{
	unsigned i = 0, rex = 0;
	bool opsize16 = false, addr16 = false, addr32_in_long = false;
	if (avail > MMIO_INSN_MAX)
		avail = MMIO_INSN_MAX;
	for (;; i++) {
		if (i >= avail)
			return false;
		uint8_t c = b[i];
		if (c == 0x66)
			opsize16 = true;
		else if (c == 0x67) {
			addr16 = !long_mode; /* 64-bit mode: 32-bit addressing, the same ModRM forms */
			addr32_in_long = long_mode;
		}
		else if (c != 0xf0 && c != 0xf2 && c != 0xf3 && c != 0x2e && c != 0x36 && c != 0x3e && c != 0x26 &&
			 c != 0x64 && c != 0x65)
			break;
	}
	if (long_mode && (b[i] & 0xf0) == 0x40) {
		rex = b[i++]; /* REX must come last, right before the opcode */
		if (i >= avail)
			return false;
	}
	if (addr16)
		return false;
	unsigned wide = rex & 8 ? 8 : opsize16 ? 2 : 4;
	struct mmio_insn r = { 0 };
	uint8_t op = b[i++];
	bool two_byte = op == 0x0f;
	if (two_byte) {
		if (i >= avail)
			return false;
		op = b[i++];
	}
	if (!two_byte && op >= 0xa0 && op <= 0xa3) {
		/* MOV AL/eAX to or from an absolute offset (moffs): as wide as the address, 8 bytes in 64-bit mode. */
		unsigned moffs = long_mode && !addr32_in_long ? 8 : 4;
		r.size = r.reg_size = op & 1 ? wide : 1;
		r.write = op >= 0xa2;
		r.reg = 0; /* AL, AX, EAX or RAX */
		if (i + moffs > avail)
			return false;
		r.length = i + moffs;
		*out = r;
		return true;
	}
	if (i >= avail)
		return false;
	unsigned modrm = b[i];
	r.reg = ((modrm >> 3) & 7) | (rex & 4 ? 8 : 0);
	unsigned imm_size = 0;
	if (two_byte && (op == 0xb6 || op == 0xb7)) {
		r.size = op == 0xb6 ? 1 : 2;
		r.reg_size = wide;
	} else if (two_byte) {
		return false;
	} else if (op == 0x88 || op == 0x8a) {
		r.size = r.reg_size = 1;
		r.write = op == 0x88;
	} else if (op == 0x89 || op == 0x8b) {
		r.size = r.reg_size = wide;
		r.write = op == 0x89;
	} else if ((op == 0xc6 || op == 0xc7) && ((modrm >> 3) & 7) == 0) {
		r.size = op == 0xc6 ? 1 : wide;
		r.write = r.has_imm = true;
		imm_size = r.size > 4 ? 4 : r.size; /* a 64-bit store takes a sign-extended imm32 */
	} else {
		return false;
	}
	r.high_byte = r.size == 1 && r.reg_size == 1 && !rex && r.reg >= 4 && !r.has_imm;
	if (r.high_byte)
		r.reg -= 4;
	int tail = modrm_tail(b + i, avail - i);
	if (tail < 0)
		return false;
	i += (unsigned)tail;
	if (i > avail)
		return false;
	if (imm_size) {
		if (i + imm_size > avail)
			return false;
		uint64_t v = 0;
		for (unsigned k = 0; k < imm_size; k++)
			v |= (uint64_t)b[i + k] << (8 * k);
		if (imm_size == 4 && r.size == 8 && (v & 0x80000000u))
			v |= 0xffffffff00000000ull;
		r.imm = v;
		i += imm_size;
	}
	r.length = i;
	*out = r;
	return true;
}

uint64_t mmio_load_result(const struct mmio_insn *in, uint64_t old, uint64_t loaded)
{
	uint64_t v = loaded & size_mask(in->size);
	if (in->high_byte)
		return (old & ~0xff00ull) | (v << 8);
	if (in->reg_size == 4)
		return v; /* a 32-bit destination is zero-extended to 64 bits */
	if (in->reg_size == 8)
		return v;
	return (old & ~size_mask(in->reg_size)) | v; /* 8- and 16-bit destinations keep the rest */
}

uint64_t mmio_store_value(const struct mmio_insn *in, uint64_t reg_value)
{
	if (in->has_imm)
		return in->imm & size_mask(in->size);
	if (in->high_byte)
		return (reg_value >> 8) & 0xff;
	return reg_value & size_mask(in->size);
}
