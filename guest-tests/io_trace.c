/*
 * io_trace: the exact exits of four port accesses, reason and qualification
 * in order (SDM 28.2.1, table 28-5: size-1 in bits 2:0, IN in bit 3, string in
 * bit 4, REP in bit 5, immediate port in bit 6, port in bits 31:16).
 */
#include "cpu.h"

EXPECT("stop done");
EXPECT("asserts 1");
EXPECT("trace 0 IO_INSTRUCTION 0x50000000");
EXPECT("trace 1 IO_INSTRUCTION 0x800040");
EXPECT("trace 2 IO_INSTRUCTION 0x5004000b");
EXPECT("trace 3 IO_INSTRUCTION 0x50000030");
EXPECT("trace 4 IO_INSTRUCTION 0x50040009");
EXPECT("field traced=5");

int main(void)
{
	static const char two[2] = { 'a', 'b' };
	const char *s = two;
	uint64_t n = 2;
	uint32_t v;
	(void)v;
	vmcall4(VEXIT_HC_TRACE, 1, 0, 0, 0);
	__asm__ volatile("outb %%al, %%dx" : : "a"(1), "d"((uint16_t)0x5000));              /* OUT DX, AL */
	__asm__ volatile("outb %%al, $0x80" : : "a"(2));                                     /* OUT imm8, AL */
	__asm__ volatile("inl %%dx, %%eax" : "=a"(v) : "d"((uint16_t)0x5004));               /* IN EAX, DX */
	__asm__ volatile("cld; rep outsb" : "+S"(s), "+c"(n) : "d"((uint16_t)0x5000) : "memory"); /* REP OUTSB */
	uint32_t w = 0;
	__asm__ volatile("inw %%dx, %%ax" : "+a"(w) : "d"((uint16_t)0x5004));                /* IN AX, DX */
	vmcall4(VEXIT_HC_TRACE, 0, 0, 0, 0);
	report_eq(inl(VEXIT_TEST_LATCH) & 0xff, 'b', "the traced REP OUTSB reached the device");
	return 0;
}
