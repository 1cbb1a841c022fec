/*
 * exit_costs: what one round trip guest -> hypervisor -> guest costs, per kind
 * of exit, in Bochs ticks (RDTSC counts retired instructions there, so these are
 * the same on every run). Each figure is the mean over 1000 operations; the
 * baseline rows are operations that do not exit. `make bench` prints them.
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

#define MEASURE(name, op)                                                                      \
	do {                                                                                   \
		uint64_t t0 = rdtsc();                                                         \
		for (unsigned i_ = 0; i_ < OPS; i_++) {                                        \
			op;                                                                    \
		}                                                                              \
		uint64_t t = rdtsc() - t0;                                                     \
		guest_printf("BENCH %-32s %6lu ticks/op", name, t / OPS);                     \
	} while (0)

int main(void)
{
	uint32_t r[4];
	vmcall4(VEXIT_HC_IO_BITMAP, 0x80, 1, 0, 0);
	vmcall4(VEXIT_HC_MSR_BITMAP, 0xc0000100u, VEXIT_MSR_WRITE, 0, 0);
	MEASURE("baseline: empty loop", __asm__ volatile("" ::: "memory"));
	MEASURE("baseline: OUT to passed 0x80", outb(0x80, 0));
	MEASURE("baseline: WRMSR passed FS_BASE", wrmsr(0xc0000100u, 0));
	MEASURE("CPUID leaf 0", cpuid(0, 0, r));
	MEASURE("VMCALL VERSION", vmcall0(VEXIT_HC_VERSION));
	MEASURE("OUT to test device", outb(VEXIT_TEST_LATCH, 1));
	MEASURE("IN from test device", (void)inl(VEXIT_TEST_LATCH));
	MEASURE("OUT to unclaimed port", outb(0x81, 1));
	MEASURE("RDMSR synthetic scratch", (void)rdmsr(VEXIT_MSR_SCRATCH));
	MEASURE("WRMSR synthetic scratch", wrmsr(VEXIT_MSR_SCRATCH, 1));
	MEASURE("MOV to CR8", write_cr8(i_ & 15));
	MEASURE("MOV from CR8", (void)read_cr8());
	MEASURE("MOV to CR0 (toggle TS)", write_cr0(read_cr0() ^ 8));
	return 0;
}
