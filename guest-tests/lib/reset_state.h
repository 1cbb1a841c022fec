/*
 * The reset-state check of docs/guest-abi.md ("The state a guest starts in"),
 * shared by the pair reset_state_a and reset_state_b: each first asserts that
 * everything it can reach holds its reset value, then dirties all of it (and
 * proves the writes took). reset_state_b shares its twin's shard whatever -j
 * (`shard-with`, docs/sharding.md) and runs after it, so it checks everything
 * its twin left; reset_state_a checks what the guest before it left.
 */
#ifndef VEXIT_RESET_STATE_H
#define VEXIT_RESET_STATE_H

#include "cpu.h"
#include "fault.h"
#include "vmx/xcr0.h"

/* 18 assertions: 13 checks of the reset state, 5 that the dirtying took. */
#define RESET_STATE_ASSERTS 18
#define RS_TSC_NEAR 1000000ull /* the TSC at the first instructions: far below the host's count (direct boot: 4M+) */
#define RS_TSC_FAR (1ull << 40)

#define RS_CR0_RESET (CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG)
#define RS_MEM ((volatile uint64_t *)0x180000) /* a page of guest memory no image or stack uses */
#define RS_MEM_WORDS 512

static uint8_t rs_area[4096] __attribute__((aligned(64)));

/* The XCR0 components a guest may enable: what CPUID.0DH offers (never PKRU, MPX or AMX's). */
static uint64_t rs_xcr0_all(void)
{
	uint32_t r[4];
	cpuid(0xd, 0, r);
	return ((uint64_t)r[3] << 32) | r[0];
}

/* CR4 for SSE, and XSAVE when the CPU has it; false if the CPU refused. */
static bool rs_enable_cr4(bool xsave)
{
	return try_write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT | (xsave ? CR4_OSXSAVE : 0)) == FAULT_NONE;
}

static void rs_save(bool xsave, uint64_t mask)
{
	for (unsigned i = 0; i < sizeof(rs_area); i++)
		rs_area[i] = 0;
	if (xsave)
		__asm__ volatile("xsave64 %0" : "=m"(rs_area) : "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32)));
	else
		__asm__ volatile("fxsave64 %0" : "=m"(rs_area));
}

static uint64_t rs_bytes_nonzero(unsigned from, unsigned to)
{
	uint64_t n = 0;
	for (unsigned i = from; i < to; i++)
		n += rs_area[i] != 0;
	return n;
}

static uint16_t rs_u16(unsigned off)
{
	return (uint16_t)(rs_area[off] | rs_area[off + 1] << 8);
}

/* Component i's offset and size in the standard format (CPUID.(0DH,i):EBX, EAX). */
static void rs_component(unsigned i, unsigned *off, unsigned *size)
{
	uint32_t r[4];
	cpuid(0xd, i, r);
	*off = r[1];
	*size = r[0];
}

/*
 * The x87 and SSE state after reset (SDM Vol. 1 13.6: XSAVE's initial
 * configuration; FNINIT's x87): FCW 0x37F, everything else of the legacy region
 * 0 but MXCSR 0x1F80 (and MXCSR_MASK, the CPU's own). Nonzero: what differs.
 */
static uint64_t rs_legacy_dirt(void)
{
	uint64_t dirt = (rs_u16(0) != 0x37f) + (rs_u16(24) != 0x1f80) + (rs_u16(26) != 0);
	return dirt + rs_bytes_nonzero(2, 24) + rs_bytes_nonzero(32, 416);
}

/* Bytes of the components past SSE that XSTATE_BV says are not initial yet are not all zero. */
static uint64_t rs_xsave_dirt(uint64_t mask)
{
	uint64_t xstate_bv = *(uint64_t *)&rs_area[512], dirt = 0;
	for (unsigned i = 2; i < 64; i++) {
		if (!(mask & xstate_bv & (1ull << i)))
			continue;
		unsigned off, size;
		rs_component(i, &off, &size);
		if (off + size <= sizeof(rs_area))
			dirt += rs_bytes_nonzero(off, off + size);
	}
	return dirt;
}

static void rs_check(bool xsave, uint64_t tsc)
{
	uint64_t bad = 0;
	for (unsigned i = 0; i < 16; i++)
		bad += guest_entry_regs[i] != (i == 4 ? 0x200000u : 0);
	report_eq(bad, 0, "at the first instruction RSP = 2 MiB and every other general register is 0");
	report_eq(guest_entry_regs[16], 0x2, "at the first instruction RFLAGS = 0x2");
	report(read_cr0() == RS_CR0_RESET && read_cr4() == CR4_PAE && read_cr3() == 0x1000 && read_cr8() == 0,
	       "CR0 = PE|MP|ET|NE|WP|PG, CR3 = 0x1000, CR4 = PAE, CR8 = 0");
	report_eq(read_cr2(), 0, "CR2 = 0");
	report(read_dr0() == 0 && read_dr1() == 0 && read_dr2() == 0 && read_dr3() == 0,
	       "DR0-DR3 = 0");
	report(read_dr6() == 0xffff0ff0 && read_dr7() == 0x400, "DR6 = 0xFFFF0FF0, DR7 = 0x400");
	uint64_t syscall_msrs = rdmsr(MSR_IA32_STAR) | rdmsr(MSR_IA32_LSTAR) | rdmsr(MSR_IA32_CSTAR) |
				rdmsr(MSR_IA32_FMASK) | rdmsr(MSR_IA32_KERNEL_GS_BASE);
	report_eq(syscall_msrs, 0, "STAR, LSTAR, CSTAR, FMASK and KERNEL_GS_BASE = 0");
	/* SWAPGS brings the CPU's own KERNEL_GS_BASE into GS.base, with no exit. */
	__asm__ volatile("swapgs" ::: "memory");
	uint64_t gs_seen = rdmsr(MSR_IA32_GS_BASE);
	__asm__ volatile("swapgs" ::: "memory");
	report_eq(gs_seen, 0, "SWAPGS swaps in a KERNEL_GS_BASE of 0");
	uint64_t other = (rdmsr(MSR_IA32_EFER) ^ (EFER_LME | EFER_LMA)) | (rdmsr(MSR_IA32_PAT) ^ 0x0007040600070406ull) |
			 rdmsr(MSR_IA32_SYSENTER_CS) | rdmsr(MSR_IA32_SYSENTER_ESP) | rdmsr(MSR_IA32_SYSENTER_EIP) |
			 rdmsr(MSR_IA32_FS_BASE) | rdmsr(MSR_IA32_GS_BASE) | rdmsr(MSR_IA32_TSC_AUX) |
			 (rdmsr(MSR_IA32_APIC_BASE) ^ 0xfee00900ull) | rdmsr(VEXIT_MSR_SCRATCH);
	report_eq(other, 0, "EFER, PAT, SYSENTER_*, FS/GS_BASE, TSC_AUX, APIC_BASE and the scratch MSR at reset");
	uint64_t adjust = cpu_has_tsc_adjust() ? rdmsr(MSR_IA32_TSC_ADJUST) : 0;
	report(tsc < RS_TSC_NEAR && adjust == 0 && rdmsr(MSR_IA32_MISC_ENABLE) == 0x1801 &&
		       rdmsr(MSR_IA32_MCG_STATUS) == 0,
	       "TSC counted from 0 at VM creation, TSC_ADJUST 0, MISC_ENABLE 0x1801, MCG_STATUS 0");
	uint64_t mem = 0;
	for (unsigned i = 0; i < RS_MEM_WORDS; i++)
		mem |= RS_MEM[i];
	report(mem == 0 && inl(VEXIT_TEST_LATCH) == 0, "guest memory and the test device's latch are 0");

	bool enabled = rs_enable_cr4(xsave);
	uint64_t xcr0 = enabled && xsave ? xgetbv(0) : XCR0_X87;
	/* Every component enabled, so that XSAVE shows them all. */
	if (!enabled || (xsave && try_xsetbv(0, rs_xcr0_all()) != FAULT_NONE)) {
		report(false, "SSE and XSAVE could be enabled");
		report(false, "the extended state could be read");
		return;
	}
	uint64_t mask = xsave ? rs_xcr0_all() : 0;
	rs_save(xsave, mask);
	report_eq(rs_legacy_dirt() + (xcr0 != XCR0_X87), 0, "XCR0 = x87; x87 and SSE registers, MXCSR at reset");
	report_eq(xsave ? rs_xsave_dirt(mask) : 0, 0, "every later XSAVE component (AVX, AVX-512...) initial");
}

/* Fill the extended state with a pattern through XRSTOR (FXRSTOR without XSAVE). */
static void rs_dirty_extended(bool xsave, uint64_t mask)
{
	for (unsigned i = 0; i < sizeof(rs_area); i++)
		rs_area[i] = (uint8_t)(0x5a + i);
	/* A valid legacy header: FCW, FSW 0, all 8 tags valid, no FOP/FIP/FDP; MXCSR rounding down. */
	for (unsigned i = 0; i < 32; i++)
		rs_area[i] = 0;
	rs_area[0] = 0x7f, rs_area[1] = 0x02, rs_area[4] = 0xff;
	rs_area[24] = 0x80, rs_area[25] = 0x3f;
	if (xsave) {
		for (unsigned i = 512; i < 576; i++)
			rs_area[i] = 0;
		*(uint64_t *)&rs_area[512] = mask; /* XSTATE_BV: every component from the area; XCOMP_BV 0 */
		__asm__ volatile("xrstor64 %0" : : "m"(rs_area), "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32)));
	} else {
		__asm__ volatile("fxrstor64 %0" : : "m"(rs_area));
	}
}

static void rs_dirty(bool xsave)
{
	uint64_t mask = xsave ? rs_xcr0_all() : 0;
	rs_dirty_extended(xsave, mask);
	rs_save(xsave, mask);
	report(rs_legacy_dirt() != 0 && (!xsave || mask == XCR0_X87 + XCR0_SSE || rs_xsave_dirt(mask) != 0),
	       "the extended state now holds a pattern");

	__asm__ volatile("mov %0, %%cr2" : : "r"(0x123456789000ull));
	__asm__ volatile("mov %0, %%dr0; mov %1, %%dr1; mov %2, %%dr2; mov %3, %%dr3"
			 : : "r"(0x5ec0de00ull), "r"(0x5ec0de01ull), "r"(0x5ec0de02ull), "r"(0x5ec0de03ull));
	/* DR6 with B0 set; DR7 with LE and breakpoint 0's R/W and LEN fields but no breakpoint enabled. */
	__asm__ volatile("mov %0, %%dr6; mov %1, %%dr7" : : "r"(0xffff0ff1ull), "r"(0xd0500ull));
	report(read_cr2() == 0x123456789000ull && read_dr3() == 0x5ec0de03 && read_dr6() == 0xffff0ff1 &&
		       read_dr7() == 0xd0500,
	       "CR2, DR0-DR3, DR6 and DR7 now hold patterns");
	write_cr8(0xf);

	wrmsr(MSR_IA32_STAR, 0x0023001000000000ull);
	wrmsr(MSR_IA32_LSTAR, 0xffffffff81000000ull);
	wrmsr(MSR_IA32_CSTAR, 0xffffffff81000100ull);
	wrmsr(MSR_IA32_FMASK, 0x47700);
	/* KERNEL_GS_BASE ends as SWAPGS left it: the GS base written last. */
	wrmsr(MSR_IA32_KERNEL_GS_BASE, 0x00005ec0de001000ull);
	wrmsr(MSR_IA32_GS_BASE, 0x00005ec0de002000ull);
	__asm__ volatile("swapgs" ::: "memory");
	report(rdmsr(MSR_IA32_KERNEL_GS_BASE) == 0x00005ec0de002000ull && rdmsr(MSR_IA32_LSTAR) == 0xffffffff81000000ull,
	       "SWAPGS and WRMSR left KERNEL_GS_BASE, LSTAR... patterns");
	wrmsr(MSR_IA32_EFER, EFER_LME | EFER_SCE);
	wrmsr(MSR_IA32_PAT, 0x0606060606060606ull);
	wrmsr(MSR_IA32_SYSENTER_CS, 0x10);
	wrmsr(MSR_IA32_SYSENTER_ESP, 0x5ec0de00);
	wrmsr(MSR_IA32_SYSENTER_EIP, 0x5ec0de01);
	wrmsr(MSR_IA32_FS_BASE, 0x5ec0de03);
	wrmsr(MSR_IA32_TSC_AUX, 0x5ec0de04);
	wrmsr(MSR_IA32_APIC_BASE, 0xfed00000ull | 0x900);
	wrmsr(VEXIT_MSR_SCRATCH, 0x5ec0de05);
	wrmsr(MSR_IA32_TSC, RS_TSC_FAR);
	if (cpu_has_tsc_adjust())
		wrmsr(MSR_IA32_TSC_ADJUST, rdmsr(MSR_IA32_TSC_ADJUST) + RS_TSC_FAR);
	wrmsr(MSR_IA32_MCG_STATUS, MCG_STATUS_RIPV | MCG_STATUS_EIPV | MCG_STATUS_MCIP);
	/* Last: MONITOR shown, CPUID limited to leaf 2 (no CPUID after this). */
	wrmsr(MSR_IA32_MISC_ENABLE, rdmsr(MSR_IA32_MISC_ENABLE) | MISC_ENABLE_MONITOR | MISC_ENABLE_LIMIT_CPUID);
	report(rdmsr(MSR_IA32_PAT) == 0x0606060606060606ull && read_tsc() >= RS_TSC_FAR &&
		       (rdmsr(MSR_IA32_MISC_ENABLE) & MISC_ENABLE_LIMIT_CPUID) && rdmsr(MSR_IA32_MCG_STATUS) == 7,
	       "the other MSRs (PAT, TSC, MISC_ENABLE, MCG_STATUS) hold patterns");

	for (unsigned i = 0; i < RS_MEM_WORDS; i++)
		RS_MEM[i] = 0x5ec0de0055aa55aaull + i;
	outl(VEXIT_TEST_LATCH, 0x5ec0de06);
	report(RS_MEM[7] == 0x5ec0de0055aa55aaull + 7 && inl(VEXIT_TEST_LATCH) == 0x5ec0de06,
	       "guest memory and the latch hold patterns");
}

static int reset_state_main(void)
{
	uint64_t tsc = read_tsc(); /* first: the closer to the VM's first instruction, the better */
	fault_init();
	bool xsave = cpu_has_xsave();
	rs_check(xsave, tsc);
	rs_dirty(xsave);
	return 0;
}

#endif
