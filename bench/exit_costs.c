/*
 * exit_costs: what one round trip guest -> hypervisor -> guest costs, per kind
 * of exit, in Bochs ticks (RDTSC counts retired instructions there, so these are
 * the same on every run). Each figure is the mean over 1000 operations; the
 * baseline rows are operations that do not exit. The floor is the null
 * hypercall (VERSION), which the dispatcher answers with a constant once it has
 * checked the caller's CPL: every other exit is also shown as a multiple of it.
 * `make bench` prints them.
 */
#include "cpu.h"

EXPECT("stop done");

#define OPS 1000

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t floor_ticks;

/* The mean cost of `op` in ticks, and (once the floor is known) as hundredths of the floor. */
#define MEASURE(name, op)                                                                      \
	do {                                                                                   \
		uint64_t t0 = rdtsc();                                                         \
		for (unsigned i_ = 0; i_ < OPS; i_++) {                                        \
			op;                                                                    \
		}                                                                              \
		uint64_t t = (rdtsc() - t0) / OPS;                                             \
		if (!floor_ticks) {                                                            \
			guest_printf("BENCH %-36s %6lu ticks/op", name, t);                   \
		} else {                                                                       \
			uint64_t r = t * 100 / floor_ticks;                                    \
			guest_printf("BENCH %-36s %6lu ticks/op %3lu.%02lux floor", name, t,   \
				     r / 100, r % 100);                                        \
		}                                                                              \
	} while (0)

/*
 * String I/O: REP OUTSB to an unclaimed port and REP INSB from the test device, a
 * page at a time (4096 bytes: all one exit emulates, vexit's IO_REP_CHUNK), as ticks
 * per byte moved, the exit's own cost included.
 */
#define STRING_OPS 2
#define STRING_BYTES 4096
static uint8_t string_page[STRING_BYTES] __attribute__((aligned(STRING_BYTES)));

static void measure_string(const char *name, bool in)
{
	uint64_t t0 = rdtsc();
	for (unsigned i = 0; i < STRING_OPS; i++) {
		void *p = string_page;
		uint64_t n = STRING_BYTES;
		if (in)
			__asm__ volatile("cld; rep insb" : "+D"(p), "+c"(n) : "d"((uint16_t)VEXIT_TEST_LATCH) : "memory");
		else
			__asm__ volatile("cld; rep outsb" : "+S"(p), "+c"(n) : "d"((uint16_t)0x81) : "memory");
	}
	guest_printf("BENCH %-36s %6lu ticks/byte", name, (rdtsc() - t0) / (STRING_OPS * STRING_BYTES));
}

static uint64_t measure_floor(void)
{
	uint64_t t0 = rdtsc();
	for (unsigned i = 0; i < OPS; i++)
		vmcall0(VEXIT_HC_VERSION);
	return (rdtsc() - t0) / OPS;
}

int main(void)
{
	uint32_t r[4];
	vmcall4(VEXIT_HC_IO_BITMAP, VEXIT_IO_DELAY_PORT, 1, 0, 0);
	vmcall4(VEXIT_HC_MSR_BITMAP, 0xc0000100u, VEXIT_MSR_WRITE, 0, 0);
	MEASURE("baseline: empty loop", __asm__ volatile("" ::: "memory"));
	MEASURE("baseline: OUT to passed 0xED", outb(VEXIT_IO_DELAY_PORT, 0));
	MEASURE("baseline: WRMSR passed FS_BASE", wrmsr(0xc0000100u, 0));
	floor_ticks = measure_floor();
	guest_printf("BENCH %-36s %6lu ticks/op", "floor: VMCALL VERSION (null hypercall)", floor_ticks);
	MEASURE("CPUID leaf 0", cpuid(0, 0, r));
	MEASURE("VMCALL EXIT_COUNT", vmcall4(VEXIT_HC_EXIT_COUNT, 10, 0, 0, 0));
	MEASURE("OUT to test device", outb(VEXIT_TEST_LATCH, 1));
	MEASURE("IN from test device", (void)inl(VEXIT_TEST_LATCH));
	MEASURE("OUT to unclaimed port", outb(0x81, 1));
	MEASURE("RDMSR synthetic scratch", (void)rdmsr(VEXIT_MSR_SCRATCH));
	MEASURE("WRMSR synthetic scratch", wrmsr(VEXIT_MSR_SCRATCH, 1));
	MEASURE("MOV to CR8", write_cr8(i_ & 15));
	MEASURE("MOV from CR8", (void)read_cr8());
	MEASURE("MOV to CR0 (toggle TS)", write_cr0(read_cr0() ^ 8));
	measure_string("REP OUTSB, a page to an unclaimed port", false);
	measure_string("REP INSB, a page from the test device", true);
	return 0;
}
