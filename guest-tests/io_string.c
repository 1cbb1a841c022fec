/*
 * io_string: INS/OUTS with and without REP, forwards and backwards (DF), with
 * 64- and 32-bit addressing (a 0x67 prefix), through the test device's latch.
 * A REP string instruction is one exit however long it is; RCX ends at 0 and
 * RSI/RDI move by the element size in the DF direction.
 */
#include "cpu.h"

EXPECT("stop done");
EXPECT("asserts 10");
/* 5 string instructions, 3 INs reading the latch, 10 report lines, the exit-port OUT. */
EXPECT("exit IO_INSTRUCTION 19");

static uint8_t buf[64] __attribute__((aligned(16)));

int main(void)
{
	/* REP OUTSB of 4 bytes into the latch: byte after byte at port 0x5000, so the last one stays. */
	for (int i = 0; i < 16; i++)
		buf[i] = (uint8_t)(0x10 + i);
	const uint8_t *src = buf;
	uint64_t count = 4;
	__asm__ volatile("cld; rep outsb" : "+S"(src), "+c"(count) : "d"((uint16_t)VEXIT_TEST_LATCH) : "memory");
	report_eq(count, 0, "REP OUTSB ends with RCX = 0");
	report_eq((uint64_t)(src - buf), 4, "REP OUTSB moved RSI forward by 4");
	report_eq(inl(VEXIT_TEST_LATCH) & 0xff, 0x13, "the latch holds the last byte written");

	/* REP OUTSD of 2 dwords to the latch, then REP INSW of 2 words backwards from the latch. */
	uint32_t dwords[2] = { 0x11223344, 0xa1b2c3d4 };
	const uint32_t *s32 = dwords;
	count = 2;
	__asm__ volatile("cld; rep outsl" : "+S"(s32), "+c"(count) : "d"((uint16_t)VEXIT_TEST_LATCH) : "memory");
	report_eq(inl(VEXIT_TEST_LATCH), 0xa1b2c3d4, "REP OUTSD left the second dword in the latch");
	uint16_t words[4] = { 0, 0, 0, 0 };
	uint16_t *dst = &words[3];
	count = 2;
	__asm__ volatile("std; rep insw; cld" : "+D"(dst), "+c"(count) : "d"((uint16_t)VEXIT_TEST_LATCH) : "memory");
	report(words[3] == 0xc3d4 && words[2] == 0xc3d4 && words[1] == 0, "REP INSW with DF=1 fills downwards");
	report_eq((uint64_t)(dst - words), 1, "REP INSW with DF=1 moved RDI back by two words");

	/* OUTSB without REP moves one byte and leaves RCX alone. */
	src = buf + 8;
	count = 77;
	__asm__ volatile("cld; outsb" : "+S"(src), "+c"(count) : "d"((uint16_t)VEXIT_TEST_LATCH) : "memory");
	report(count == 77 && src == buf + 9, "OUTSB without REP moves one byte and keeps RCX");
	report_eq(inl(VEXIT_TEST_LATCH) & 0xff, 0x18, "OUTSB wrote its byte");

	/* 32-bit addressing (0x67): ESI/ECX are used and written as 32-bit registers, the upper halves cleared. */
	uint64_t rsi = (uint64_t)(uintptr_t)buf, rcx = 0xdead000000000003ull;
	__asm__ volatile("cld; .byte 0x67; rep outsb" : "+S"(rsi), "+c"(rcx) : "d"((uint16_t)VEXIT_TEST_LATCH) : "memory");
	report_eq(rcx, 0, "REP OUTSB with a 32-bit address size counts ECX and zero-extends it");
	report_eq(rsi, (uint64_t)(uintptr_t)buf + 3, "REP OUTSB with a 32-bit address size advances ESI");
	return 0;
}
