/*
 * cr0_shadow: the guest owns no CR0 bit, so every MOV to CR0 exits while reads
 * come from the read shadow without one. The guest sees the value it wrote (TS,
 * MP, AM, CD, WP), reserved bits 31:0 read back as 0 and ET as 1.
 */
#include "cpu.h"

EXPECT("stop done");
EXPECT("asserts 6");
/* Four MOVs to CR0; reads of CR0 never exit. */
EXPECT("exit CR_ACCESS 4");
EXPECT("exit IO_INSTRUCTION 7");


int main(void)
{
	uint64_t cr0 = read_cr0();
	report_eq(cr0, 0x80010033, "the guest starts with PG, WP, NE, ET, MP and PE");
	uint64_t before = exits_of(REASON_CR_ACCESS);
	for (int i = 0; i < 10; i++)
		(void)read_cr0();
	report_eq(exits_of(REASON_CR_ACCESS) - before, 0, "reading CR0 takes no exit");

	write_cr0(cr0 | CR0_TS | CR0_AM);
	report_eq(read_cr0(), cr0 | CR0_TS | CR0_AM, "TS and AM read back as written");
	write_cr0((cr0 & ~(CR0_WP | CR0_MP)) | (1ull << 7) | (1ull << 20));
	report_eq(read_cr0(), cr0 & ~(CR0_WP | CR0_MP), "reserved bits 7 and 20 are ignored; WP and MP clear");
	write_cr0((cr0 | CR0_CD) & ~CR0_ET);
	report_eq(read_cr0(), cr0 | CR0_CD, "CD sets; ET stays 1 (hardwired)");
	write_cr0(cr0);
	report_eq(read_cr0(), cr0, "CR0 is back to its first value");
	return 0;
}
