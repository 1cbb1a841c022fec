/*
 * instruction_length: RIP moves by the VM-exit instruction-length field, never
 * by a guessed length. Each exiting instruction below carries prefixes (segment
 * overrides, operand size, REX), so a handler that assumed the short form would
 * resume in the middle of it. Each is followed by an instruction whose effect
 * is checked.
 */
#include "cpu.h"

EXPECT("stop done");
EXPECT("asserts 5");
/* The two prefixed OUTs, one IN, five report lines, the exit-port OUT. */
EXPECT("exit IO_INSTRUCTION 9");
/*
 * MOV to CR8 written with REX.R (44 0F 22 C0), MOV from CR8 with REX.W+R, MOV to
 * CR0 (setting TS) with a CS prefix, the MOV restoring CR0.
 */
EXPECT("exit CR_ACCESS 4");
EXPECT("exit CPUID 1");

int main(void)
{
	uint64_t marker = 0;
	__asm__ volatile(".byte 0x3e, 0x40; outb %%al, %%dx; movq $1, %0" : "+r"(marker) : "a"(0x5a), "d"((uint16_t)0x5000));
	report_eq(marker, 1, "OUT with DS and REX prefixes resumes after itself");
	__asm__ volatile(".byte 0x66, 0x2e; outl %%eax, %%dx; movq $2, %0" : "+r"(marker) : "a"(0x1234), "d"((uint16_t)0x5000));
	report_eq(marker | ((uint64_t)inw(VEXIT_TEST_LATCH) << 8), 2 | (0x1234ull << 8),
		  "a 16-bit OUT (66h prefix) wrote two bytes and resumed after itself");
	uint64_t cr8;
	__asm__ volatile(".byte 0x44, 0x0f, 0x22, 0xc0; movq $3, %0" : "+r"(marker) : "a"(9ull) : "memory");
	__asm__ volatile(".byte 0x4c, 0x0f, 0x20, 0xc0; movq $4, %0" : "+r"(marker), "=a"(cr8) : : "memory");
	report_eq(marker | (cr8 << 8), 4 | (9 << 8), "MOV to and from CR8 via REX.R resume after themselves");
	/* A MOV to CR0 exits only when it changes a bit the host owns: set TS, then clear it. */
	uint64_t cr0 = read_cr0();
	__asm__ volatile(".byte 0x2e; mov %1, %%cr0; movq $5, %0" : "+r"(marker) : "r"(cr0 | 8) : "memory");
	write_cr0(cr0);
	report_eq(marker, 5, "MOV to CR0 with a CS prefix resumes after itself");
	uint32_t r[4];
	__asm__ volatile(".byte 0x3e, 0x2e; cpuid; movq $6, %0" : "+r"(marker), "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(0), "c"(0));
	report_eq(marker, 6, "CPUID with two prefixes resumes after itself");
	return 0;
}
