/*
 * io_bitmap_edges: where bitmap A (ports 0-0x7FFF) meets bitmap B
 * (0x8000-0xFFFF), and the top of the port space. An access exits when any
 * port it touches is intercepted, and always when it wraps past 0xFFFF
 * (SDM 26.1.3), so each access below is counted exactly.
 */
#include "cpu.h"

EXPECT("stop done");
EXPECT("asserts 7");
/* 7 report lines, the exit-port OUT, and the 3 accesses that must exit. */
EXPECT("exit IO_INSTRUCTION 11");

/* Exits one IN of `size` bytes at `port` takes. */
static uint64_t exits_for_in(uint16_t port, unsigned size)
{
	uint64_t before = exits_of(REASON_IO);
	if (size == 1)
		(void)inb(port);
	else if (size == 2)
		(void)inw(port);
	else
		(void)inl(port);
	return exits_of(REASON_IO) - before;
}

int main(void)
{
	/* Pass 0x7FF0-0x7FFF (the end of bitmap A) and 0x8004-0x800F (in bitmap B); 0x8000-0x8003 stay intercepted. */
	vmcall4(VEXIT_HC_IO_BITMAP, 0x7ff0, 0x10, 0, 0);
	vmcall4(VEXIT_HC_IO_BITMAP, 0x8004, 0x0c, 0, 0);
	uint64_t a_passed = exits_for_in(0x7ffc, 4);
	uint64_t b_passed = exits_for_in(0x8008, 4);
	uint64_t straddle_ab = exits_for_in(0x7ffe, 4); /* 0x7FFE-0x7FFF passed, 0x8000-0x8001 not */
	uint64_t straddle_b = exits_for_in(0x8003, 2);  /* 0x8003 intercepted, 0x8004 passed */
	/*
	 * Pass all of 0xFFF0-0xFFFF: a 2-byte access at 0xFFFF wraps, so it exits (port 0, where
	 * it wraps to, cannot be passed: the DMA controller; check_hv_io_bitmap tests the wrap rule
	 * with both ends passed).
	 */
	vmcall4(VEXIT_HC_IO_BITMAP, 0xfff0, 0x10, 0, 0);
	uint64_t top_passed = exits_for_in(0xfffe, 2);
	uint64_t wrap = exits_for_in(0xffff, 2);

	report_eq(a_passed, 0, "a 4-byte IN inside the passed end of bitmap A takes no exit");
	report_eq(b_passed, 0, "a 4-byte IN inside a passed range of bitmap B takes no exit");
	report_eq(straddle_ab, 1, "a 4-byte IN straddling bitmaps A and B exits for its intercepted half");
	report_eq(straddle_b, 1, "a 2-byte IN with one intercepted port exits");
	report_eq(top_passed, 0, "a 2-byte IN at 0xFFFE, both ports passed, takes no exit");
	report_eq(wrap, 1, "a 2-byte IN at 0xFFFF wraps past 0xFFFF and exits although both ports are passed");
	report_eq(vmcall4(VEXIT_HC_IO_BITMAP, 0xfff0, 0x11, 0, 0), VEXIT_HC_EINVAL,
		  "a range running past 0xFFFF is refused");
	return 0;
}
