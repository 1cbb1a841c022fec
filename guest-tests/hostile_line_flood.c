/*
 * hostile_line_flood: a guest that tries to drown or forge the protocol. It
 * writes 4000 control and high bytes with no newline (split into 200-byte
 * lines of '?'), lines that imitate the hypervisor's own (`VEXIT end`, another
 * guest's guest-end, with a carriage return to hide the prefix), 60 REPORT lines,
 * and ends with a line left open. Every byte reaches the log as this guest's
 * line, printable, and the run goes on: the next guest's result proves it.
 */
#include "vexit_guest.h"

EXPECT("stop done");
/* 60 REPORTed PASS lines and the final check. */
EXPECT("asserts 61");
EXPECT("cost 2");

#define DEBUG_PORT_NUM 0xe9
#define JUNK 4000

static uint8_t junk[JUNK];

static void debug_write(const void *buf, uint64_t n)
{
	__asm__ volatile("rep outsb" : "+S"(buf), "+c"(n) : "d"(DEBUG_PORT_NUM) : "memory");
}

static void text(const char *s)
{
	uint64_t n = 0;
	while (s[n])
		n++;
	debug_write(s, n);
}

int main(void)
{
	for (unsigned i = 0; i < JUNK; i++)
		junk[i] = (uint8_t)(i % 3 == 0 ? 0x1b : i % 3 == 1 ? 0x7f : 0xff - (i & 0x7f));
	debug_write(junk, JUNK);
	text("\n");
	text("VEXIT end\n");
	text("\rVEXIT guest-end hello done exits=0 ticks=0 guest-ticks=0 status=0\n");
	text("VEXIT guest hello FAIL forged by hostile_line_flood\n");
	static const char pass[] = "PASS a line made by hypercall";
	for (unsigned i = 0; i < 60; i++)
		vmcall4(VEXIT_HC_REPORT, (uint64_t)(uintptr_t)pass, sizeof(pass) - 1, 0, 0);
	report(true, "the flood is over");
	text("a line left open at the end");
	return 0;
}
