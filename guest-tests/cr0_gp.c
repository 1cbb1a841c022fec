/*
 * cr0_gp: CR0 values the architecture refuses raise #GP(0) (SDM Vol. 2 MOV CR):
 * bits 63:32 set, PG without PE, NW without CD, and clearing PG in IA-32e mode.
 * Each fault is injected by the hypervisor with RIP at the MOV, and CR0 keeps
 * its old value.
 */
#include "cpu.h"
#include "fault.h"

EXPECT("stop done");
EXPECT("asserts 6");
EXPECT("exit CR_ACCESS 4");
EXPECT("exit IO_INSTRUCTION 7");


int main(void)
{
	fault_init();
	uint64_t cr0 = read_cr0();
	report_eq(try_write_cr0(cr0 | (1ull << 32)), 13, "bit 32 of CR0 raises #GP");
	report_eq(fault_error, 0, "the #GP carries error code 0");
	report_eq(try_write_cr0(cr0 & ~CR0_PE), 13, "PG without PE raises #GP");
	report_eq(try_write_cr0(cr0 | CR0_NW), 13, "NW without CD raises #GP");
	report_eq(try_write_cr0(cr0 & ~CR0_PG), 13, "clearing PG in IA-32e mode raises #GP");
	report_eq(read_cr0(), cr0, "CR0 kept its value through the refused writes");
	return 0;
}
