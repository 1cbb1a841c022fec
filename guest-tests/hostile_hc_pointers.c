/*
 * hostile_hc_pointers: hypercalls that take a guest-physical address, handed
 * addresses a malicious kernel would try: past the end of guest memory, a
 * buffer straddling that end, addresses that wrap the 64-bit space, lengths
 * that overflow, and a breakage name with no NUL before the end of memory. Each
 * answers EINVAL and reads nothing outside the VM; the VM runs on.
 */
#include "paging.h"
#include "vexit_guest.h"

EXPECT("stop done");
EXPECT("asserts 12");
EXPECT("exit VMCALL 12");

static uint64_t hc(uint64_t nr, uint64_t a, uint64_t b)
{
	return vmcall4(nr, a, b, 0, 0);
}

int main(void)
{
	const uint64_t einval = VEXIT_HC_EINVAL;
	report_eq(hc(VEXIT_HC_REPORT, GUEST_MEM_BYTES, 1), einval, "REPORT at the end of guest memory");
	report_eq(hc(VEXIT_HC_REPORT, GUEST_MEM_BYTES - 10, 20), einval, "REPORT straddling the end of memory");
	report_eq(hc(VEXIT_HC_REPORT, 0x40000000, 16), einval, "REPORT at 1 GiB");
	report_eq(hc(VEXIT_HC_REPORT, ~0ull, 2), einval, "REPORT at the top of the address space (wraps)");
	report_eq(hc(VEXIT_HC_REPORT, ~0ull - 100, 200), einval, "REPORT wrapping past 2^64");
	report_eq(hc(VEXIT_HC_REPORT, 0x10000, ~0ull), einval, "REPORT of length 2^64-1");
	report_eq(hc(VEXIT_HC_REPORT, 0x10000, 1ull << 63), einval, "REPORT of length 2^63");
	report_eq(hc(VEXIT_HC_REPORT, 0x10000, 201), einval, "REPORT one byte too long");
	/* A name running into the end of memory with no NUL: the last 3 bytes of RAM are "abc". */
	/* They are the top of the stack (main's caller's frame): put them back after. */
	volatile char *end = (volatile char *)(GUEST_MEM_BYTES - 3);
	char saved[3] = { end[0], end[1], end[2] };
	end[0] = 'a', end[1] = 'b', end[2] = 'c';
	uint64_t r = hc(VEXIT_HC_BREAK_STATE, GUEST_MEM_BYTES - 3, 0);
	end[0] = saved[0], end[1] = saved[1], end[2] = saved[2];
	report_eq(r, einval, "BREAK_STATE name unterminated at the end");
	report_eq(hc(VEXIT_HC_BREAK_STATE, ~0ull, 0), einval, "BREAK_STATE at 2^64-1");
	static char long_name[64];
	for (unsigned i = 0; i < sizeof(long_name); i++)
		long_name[i] = 'x';
	report_eq(hc(VEXIT_HC_BREAK_STATE, (uint64_t)(uintptr_t)long_name, 0), einval, "BREAK_STATE name past 47 bytes");
	report_eq(hc(VEXIT_HC_EXIT_COUNT, ~0ull, 0), 0, "EXIT_COUNT of reason 2^64-1 reads 0");
	return 0;
}
