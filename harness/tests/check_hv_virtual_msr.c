/*
 * Unit tests of hypervisor/vm/virtual_msr.c: the MSRs a vexit guest reads and
 * writes when RDMSR/WRMSR exit. The rules come from the SDM:
 *  - Vol. 3A table 10-1 and 12.12.2: power-on PAT 0007040600070406H; APIC base
 *    FEE00000H with the enable and BSP flags (Vol. 3A 12.4.4, the IA32_APIC_BASE
 *    layout: 7:0 reserved, 8 BSP, 9 reserved, 10 x2APIC enable, 11 enable,
 *    MAXPHYADDR-1:12 base, the rest reserved; a VM with a local APIC cannot move the base);
 *  - Vol. 3A 2.2.1: IA32_EFER SCE 0, LME 8, LMA 10 (set by the processor),
 *    NXE 11 (only when CPUID.80000001H:EDX.NX); 10.8.5: LME cannot change
 *    while paging is on;
 *  - Vol. 3A 12.12.2: each PAT entry is UC 0, WC 1, WT 4, WP 5, WB 6 or UC- 7,
 *    anything else (2, 3, 8-FFH) is #GP;
 *  - Vol. 2 WRMSR: #GP for a non-canonical IA32_SYSENTER_ESP/EIP, FS/GS base,
 *    KERNEL_GS_BASE, LSTAR and CSTAR; Vol. 4 table 2-2: IA32_FMASK bits 63:32
 *    are reserved, IA32_STAR has none;
 *    IA32_TSC_AUX bits 63:32 are reserved.
 *  - Vol. 3B 18.17.3: a WRMSR that adds X to IA32_TSC adds X to IA32_TSC_ADJUST
 *    and the reverse; the guest's TSC is the host's plus the VMCS TSC offset;
 *    IA32_TSC_ADJUST exists only with CPUID.(EAX=07H,ECX=0):EBX.TSC_ADJUST;
 *  - Vol. 4 table 2-2, IA32_MISC_ENABLE: R/W bits 0, 3, 16, 18, 22, 23 and 34
 *    (34 only with NX); read-only 7, 11, 12; the rest reserved. XD Bit Disable
 *    makes EFER.NXE reserved;
 *  - Vol. 3B 16.3.1: IA32_MCG_CAP read-only (0 banks, no MCG_CTL), IA32_MCG_STATUS
 *    bits 2:0 (RIPV, EIPV, MCIP), 63:3 reserved without LMCE; no MCG_CTL, no bank MSR.
 * Plus the synthetic MSRs of hypervisor/include/vexit_abi.h.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "include/vexit_abi.h"
#include "quiet_assert.h"
#include "run_suite.h"
#include "vm/virtual_msr.h"
#include "vmx/tsc_scale.h"

#define SENTINEL 0x5a5a5a5a5a5a5a5aull

static struct virtual_msrs m;

static void setup(void)
{
	memset(&m, 0xee, sizeof(m)); /* reset must not depend on what was there */
	virtual_msrs_reset(&m, true, 39, true);
}

static uint64_t rd(uint32_t msr)
{
	uint64_t v = SENTINEL;
	ck_assert_msg(virtual_msr_read(&m, msr, &v), "rdmsr 0x%x: #GP", msr);
	return v;
}

static void wr_ok(uint32_t msr, uint64_t v)
{
	ck_assert_msg(virtual_msr_write(&m, msr, v), "wrmsr 0x%x <- 0x%llx: #GP", msr, (unsigned long long)v);
}

/* The write must #GP and leave every MSR as it was. */
static void wr_gp(uint32_t msr, uint64_t v)
{
	struct virtual_msrs before;
	memcpy(&before, &m, sizeof(m));
	ck_assert_msg(!virtual_msr_write(&m, msr, v), "wrmsr 0x%x <- 0x%llx accepted", msr, (unsigned long long)v);
	ck_assert_msg(memcmp(&before, &m, sizeof(m)) == 0, "wrmsr 0x%x <- 0x%llx changed state", msr,
		      (unsigned long long)v);
}

/* --- reset and reads ------------------------------------------------------------------- */

START_TEST(test_reset_values)
{
	ck_assert_uint_eq(m.efer, EFER_LME | EFER_LMA);
	ck_assert_uint_eq(m.pat, 0x0007040600070406ull);
	ck_assert_uint_eq(m.apic_base, 0xfee00900ull); /* base, enable (11), BSP (8) */
	ck_assert_uint_eq(m.sysenter_cs, 0);
	ck_assert_uint_eq(m.sysenter_esp, 0);
	ck_assert_uint_eq(m.sysenter_eip, 0);
	ck_assert_uint_eq(m.fs_base, 0);
	ck_assert_uint_eq(m.gs_base, 0);
	ck_assert_uint_eq(m.tsc_aux, 0);
	ck_assert_uint_eq(m.hv_scratch, 0);
	ck_assert_uint_eq(m.star | m.lstar | m.cstar | m.fmask | m.kernel_gs_base, 0);
	ck_assert_uint_eq(m.exits, 0);
	ck_assert(m.paging);
	ck_assert(m.nx);
	ck_assert_uint_eq(m.phys_addr_bits, 39);
	ck_assert(m.has_tsc_adjust);
	ck_assert_uint_eq(m.tsc_adjust | m.tsc_offset | m.mcg_status, 0);
	ck_assert_uint_eq(m.misc_enable, 0x1801); /* fast strings; BTS and PEBS unavailable */
	/* Through the read path too. */
	ck_assert_uint_eq(rd(MSR_IA32_EFER), EFER_LME | EFER_LMA);
	ck_assert_uint_eq(rd(MSR_IA32_PAT), PAT_POWER_ON);
	ck_assert_uint_eq(rd(MSR_IA32_APIC_BASE), APIC_BASE_DEFAULT);
	ck_assert_uint_eq(rd(VEXIT_MSR_SCRATCH), 0);
	ck_assert_uint_eq(rd(MSR_IA32_MISC_ENABLE), MISC_ENABLE_POWER_ON);
	ck_assert_uint_eq(rd(MSR_IA32_TSC_ADJUST), 0);
	ck_assert_uint_eq(rd(MSR_IA32_MCG_CAP), 0);
	ck_assert_uint_eq(rd(MSR_IA32_MCG_STATUS), 0);
	/* The facts follow the arguments. */
	virtual_msrs_reset(&m, false, 52, false);
	ck_assert(!m.nx);
	ck_assert(!m.has_tsc_adjust);
	ck_assert_uint_eq(m.phys_addr_bits, 52);
}
END_TEST

START_TEST(test_read_each)
{
	m.apic_base = 0x1111;
	m.sysenter_cs = 0x2222;
	m.sysenter_esp = 0x3333;
	m.sysenter_eip = 0x4444;
	m.pat = 0x5555;
	m.efer = 0x6666;
	m.fs_base = 0x7777;
	m.gs_base = 0x8888;
	m.tsc_aux = 0x9999;
	m.hv_scratch = 0xaaaa;
	m.exits = 0xbbbb;
	ck_assert_uint_eq(rd(MSR_IA32_APIC_BASE), 0x1111);
	ck_assert_uint_eq(rd(MSR_IA32_SYSENTER_CS), 0x2222);
	ck_assert_uint_eq(rd(MSR_IA32_SYSENTER_ESP), 0x3333);
	ck_assert_uint_eq(rd(MSR_IA32_SYSENTER_EIP), 0x4444);
	ck_assert_uint_eq(rd(MSR_IA32_PAT), 0x5555);
	ck_assert_uint_eq(rd(MSR_IA32_EFER), 0x6666);
	ck_assert_uint_eq(rd(MSR_IA32_FS_BASE), 0x7777);
	ck_assert_uint_eq(rd(MSR_IA32_GS_BASE), 0x8888);
	ck_assert_uint_eq(rd(MSR_IA32_TSC_AUX), 0x9999);
	ck_assert_uint_eq(rd(VEXIT_MSR_SCRATCH), 0xaaaa);
	ck_assert_uint_eq(rd(VEXIT_MSR_EXITS), 0xbbbb);
	ck_assert_uint_eq(rd(VEXIT_MSR_ID), VEXIT_MSR_ID_VALUE);
}
END_TEST

START_TEST(test_abi_msrs)
{
	ck_assert_uint_eq(VEXIT_MSR_ID, 0x40000000u);
	ck_assert_uint_eq(VEXIT_MSR_SCRATCH, 0x40000001u);
	ck_assert_uint_eq(VEXIT_MSR_EXITS, 0x40000002u);
	/* "vexit" in memory order (little endian). */
	uint64_t id = rd(VEXIT_MSR_ID);
	unsigned char bytes[8];
	for (int i = 0; i < 8; i++)
		bytes[i] = (unsigned char)(id >> (8 * i));
	ck_assert_mem_eq(bytes, "vexit\0\0\0", 8);
}
END_TEST

START_TEST(test_unknown_msrs)
{
	static const uint32_t unknown[] = { 0, 0x3a, 0x480, 0x48e, 0x174 + 3, 0x276, 0x278, 0x17b /* MCG_CTL */,
					    0x19f, 0x1a1, 0x3a + 2, 0x11, 0x6e0 /* TSC_DEADLINE */,
					    0xc0000085u, 0xc0000104u, 0x40000003u,
					    0x3fffffffu, 0x4000ffffu, 0xffffffffu, 0x800 /* x2APIC */, 0x1b + 0x100 };
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		uint64_t v = SENTINEL;
		ck_assert_msg(!virtual_msr_read(&m, unknown[i], &v), "rdmsr 0x%x accepted", unknown[i]);
		ck_assert_uint_eq(v, SENTINEL);
		wr_gp(unknown[i], 0);
		wr_gp(unknown[i], 1);
	}
}
END_TEST

/* --- EFER ------------------------------------------------------------------------------ */

START_TEST(test_efer_reserved_bits)
{
	for (unsigned b = 0; b < 64; b++) {
		uint64_t bit = 1ull << b;
		if (bit & (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE))
			continue;
		wr_gp(MSR_IA32_EFER, EFER_LME | EFER_LMA | bit);
	}
}
END_TEST

START_TEST(test_efer_sce_nxe)
{
	wr_ok(MSR_IA32_EFER, EFER_LME | EFER_LMA | EFER_SCE);
	ck_assert_uint_eq(rd(MSR_IA32_EFER), EFER_LME | EFER_LMA | EFER_SCE);
	wr_ok(MSR_IA32_EFER, EFER_LME | EFER_LMA | EFER_SCE | EFER_NXE);
	ck_assert_uint_eq(rd(MSR_IA32_EFER), EFER_LME | EFER_LMA | EFER_SCE | EFER_NXE);
	wr_ok(MSR_IA32_EFER, EFER_LME | EFER_LMA);
	ck_assert_uint_eq(rd(MSR_IA32_EFER), EFER_LME | EFER_LMA);
	/* Without NX in CPUID, NXE is reserved. */
	virtual_msrs_reset(&m, false, 39, true);
	wr_gp(MSR_IA32_EFER, EFER_LME | EFER_LMA | EFER_NXE);
	wr_ok(MSR_IA32_EFER, EFER_LME | EFER_LMA | EFER_SCE);
	ck_assert_uint_eq(rd(MSR_IA32_EFER), EFER_LME | EFER_LMA | EFER_SCE);
}
END_TEST

START_TEST(test_efer_lme_while_paging)
{
	/* Paging on (reset state): LME cannot be cleared, with or without LMA in the value. */
	wr_gp(MSR_IA32_EFER, EFER_LMA);
	wr_gp(MSR_IA32_EFER, 0);
	wr_gp(MSR_IA32_EFER, EFER_SCE);
	/* ... nor set when it was clear. */
	m.efer = 0;
	wr_gp(MSR_IA32_EFER, EFER_LME);
	wr_ok(MSR_IA32_EFER, EFER_SCE);
	ck_assert_uint_eq(rd(MSR_IA32_EFER), EFER_SCE);
}
END_TEST

START_TEST(test_efer_lme_without_paging)
{
	m.paging = false;
	wr_ok(MSR_IA32_EFER, 0);
	ck_assert_uint_eq(rd(MSR_IA32_EFER) & EFER_LME, 0);
	wr_ok(MSR_IA32_EFER, EFER_LME | EFER_SCE);
	ck_assert_uint_eq(rd(MSR_IA32_EFER) & (EFER_LME | EFER_SCE), EFER_LME | EFER_SCE);
}
END_TEST

START_TEST(test_efer_lma_ignored)
{
	/* LMA set by the processor: clearing it in the value changes nothing. */
	wr_ok(MSR_IA32_EFER, EFER_LME);
	ck_assert_uint_eq(rd(MSR_IA32_EFER), EFER_LME | EFER_LMA);
	wr_ok(MSR_IA32_EFER, EFER_LME | EFER_SCE);
	ck_assert_uint_eq(rd(MSR_IA32_EFER), EFER_LME | EFER_LMA | EFER_SCE);
	/* And setting it when clear does not set it. */
	m.paging = false;
	m.efer = 0;
	wr_ok(MSR_IA32_EFER, EFER_LMA);
	ck_assert_uint_eq(rd(MSR_IA32_EFER), 0);
	wr_ok(MSR_IA32_EFER, EFER_LME | EFER_LMA);
	ck_assert_uint_eq(rd(MSR_IA32_EFER), EFER_LME);
}
END_TEST

/* --- APIC base ------------------------------------------------------------------------- */

START_TEST(test_apic_base_reserved)
{
	/* 7:0, 9 and 10 (x2APIC: not offered). */
	for (unsigned b = 0; b < 8; b++)
		wr_gp(MSR_IA32_APIC_BASE, APIC_BASE_DEFAULT | 1ull << b);
	wr_gp(MSR_IA32_APIC_BASE, APIC_BASE_DEFAULT | 1ull << 9);
	wr_gp(MSR_IA32_APIC_BASE, APIC_BASE_DEFAULT | 1ull << 10);
	/* Above the physical-address width (39 here). */
	for (unsigned b = 39; b < 64; b++)
		wr_gp(MSR_IA32_APIC_BASE, APIC_BASE_DEFAULT | 1ull << b);
	wr_ok(MSR_IA32_APIC_BASE, APIC_BASE_DEFAULT | 1ull << 38);
	ck_assert_uint_eq(rd(MSR_IA32_APIC_BASE), APIC_BASE_DEFAULT | 1ull << 38);
}
END_TEST

START_TEST(test_apic_base_width)
{
	virtual_msrs_reset(&m, true, 36, true);
	wr_gp(MSR_IA32_APIC_BASE, 0xf00000000ull | APIC_BASE_ENABLE | 0x1000000000ull);
	wr_ok(MSR_IA32_APIC_BASE, 0xffffff000ull | APIC_BASE_ENABLE);
	ck_assert_uint_eq(rd(MSR_IA32_APIC_BASE), 0xffffff000ull | APIC_BASE_ENABLE | APIC_BASE_BSP);
	virtual_msrs_reset(&m, true, 52, true);
	wr_ok(MSR_IA32_APIC_BASE, 0x000ffffffffff000ull | APIC_BASE_ENABLE);
	wr_gp(MSR_IA32_APIC_BASE, 0x0010000000000000ull | APIC_BASE_ENABLE);
	/* A 64-bit width reserves no high bits (no undefined shift). */
	virtual_msrs_reset(&m, true, 64, true);
	wr_ok(MSR_IA32_APIC_BASE, 0xfffffffffffff000ull);
	wr_gp(MSR_IA32_APIC_BASE, 0xfee00001ull);
}
END_TEST

START_TEST(test_apic_base_reserved_bits)
{
	/* SDM Vol. 3A 11.4.4, figure 11-5: bits 7:0, 9 and 10 (x2APIC, not offered) are reserved; the base moves. */
	for (unsigned b = 0; b < 11; b++)
		if (b != 8)
			wr_gp(MSR_IA32_APIC_BASE, APIC_BASE_DEFAULT | 1ull << b);
	ck_assert_uint_eq(rd(MSR_IA32_APIC_BASE), APIC_BASE_DEFAULT);
	wr_ok(MSR_IA32_APIC_BASE, 0xfed40000ull | APIC_BASE_ENABLE | APIC_BASE_BSP);
	ck_assert_uint_eq(rd(MSR_IA32_APIC_BASE), 0xfed40000ull | APIC_BASE_ENABLE | APIC_BASE_BSP);
}
END_TEST

START_TEST(test_apic_base_enable_and_bsp)
{
	/* Enable is the guest's; BSP is read-only in both directions. */
	wr_ok(MSR_IA32_APIC_BASE, 0xfee00000ull);
	ck_assert_uint_eq(rd(MSR_IA32_APIC_BASE), 0xfee00000ull | APIC_BASE_BSP);
	wr_ok(MSR_IA32_APIC_BASE, 0xfec00000ull | APIC_BASE_ENABLE | APIC_BASE_BSP);
	ck_assert_uint_eq(rd(MSR_IA32_APIC_BASE), 0xfec00000ull | APIC_BASE_ENABLE | APIC_BASE_BSP);
	m.apic_base = 0xfee00000ull | APIC_BASE_ENABLE; /* an AP */
	wr_ok(MSR_IA32_APIC_BASE, 0xfee00000ull | APIC_BASE_ENABLE | APIC_BASE_BSP);
	ck_assert_uint_eq(rd(MSR_IA32_APIC_BASE), 0xfee00000ull | APIC_BASE_ENABLE);
}
END_TEST

/* --- PAT ------------------------------------------------------------------------------- */

START_TEST(test_pat_valid_types)
{
	static const uint8_t types[] = { 0, 1, 4, 5, 6, 7 };
	for (int pos = 0; pos < 8; pos++)
		for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
			uint64_t v = (PAT_POWER_ON & ~(0xffull << (8 * pos))) | (uint64_t)types[t] << (8 * pos);
			wr_ok(MSR_IA32_PAT, v);
			ck_assert_uint_eq(rd(MSR_IA32_PAT), v);
		}
	wr_ok(MSR_IA32_PAT, 0);
	ck_assert_uint_eq(rd(MSR_IA32_PAT), 0);
	wr_ok(MSR_IA32_PAT, 0x0606060606060606ull);
	ck_assert_uint_eq(rd(MSR_IA32_PAT), 0x0606060606060606ull);
}
END_TEST

START_TEST(test_pat_invalid_types)
{
	static const uint8_t bad[] = { 2, 3, 8, 0xff, 0x10, 0x46, 0x80 };
	wr_ok(MSR_IA32_PAT, 0x0001040506070406ull);
	for (int pos = 0; pos < 8; pos++)
		for (size_t t = 0; t < sizeof(bad) / sizeof(bad[0]); t++) {
			uint64_t v = (PAT_POWER_ON & ~(0xffull << (8 * pos))) | (uint64_t)bad[t] << (8 * pos);
			wr_gp(MSR_IA32_PAT, v);
		}
	ck_assert_uint_eq(rd(MSR_IA32_PAT), 0x0001040506070406ull);
}
END_TEST

/* --- canonical addresses --------------------------------------------------------------------- */

/* STAR has no reserved bit; FMASK's bits 63:32 are reserved (SDM Vol. 4 table 2-2). */
START_TEST(test_syscall_msrs)
{
	wr_ok(MSR_IA32_STAR, 0xffffffffffffffffull);
	ck_assert_uint_eq(rd(MSR_IA32_STAR), 0xffffffffffffffffull);
	wr_ok(MSR_IA32_STAR, 0x0023001000000000ull);
	ck_assert_uint_eq(rd(MSR_IA32_STAR), 0x0023001000000000ull);
	wr_ok(MSR_IA32_FMASK, 0xffffffffull);
	ck_assert_uint_eq(rd(MSR_IA32_FMASK), 0xffffffffull);
	wr_gp(MSR_IA32_FMASK, 0x100000000ull);
	wr_gp(MSR_IA32_FMASK, 0x8000000000000700ull);
	ck_assert_uint_eq(rd(MSR_IA32_FMASK), 0xffffffffull);
	ck_assert_uint_eq(rd(MSR_IA32_STAR), 0x0023001000000000ull);
}
END_TEST

START_TEST(test_canonical_msrs)
{
	static const uint32_t msrs[] = { MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP, MSR_IA32_FS_BASE,
					 MSR_IA32_GS_BASE,	MSR_IA32_KERNEL_GS_BASE, MSR_IA32_LSTAR,
					 MSR_IA32_CSTAR };
	const size_t n = sizeof(msrs) / sizeof(msrs[0]);
	static const uint64_t good[] = { 0, 0x1000, 0x00007fffffffffffull, 0xffff800000000000ull,
					 0xffffffffffffffffull, 0xffffffff80000000ull };
	static const uint64_t bad[] = { 0x0000800000000000ull, 0xffff7fffffffffffull, 0x8000000000000000ull,
					0x00ff000000000000ull, 0x7fffffffffffffffull, 0x0001000000000000ull };
	for (size_t i = 0; i < n; i++) {
		for (size_t g = 0; g < sizeof(good) / sizeof(good[0]); g++) {
			/* Each write reaches its own MSR and no other. */
			uint64_t others[sizeof(msrs) / sizeof(msrs[0])];
			for (size_t j = 0; j < n; j++)
				wr_ok(msrs[j], 0x1000 * (j + 1));
			wr_ok(msrs[i], good[g]);
			ck_assert_uint_eq(rd(msrs[i]), good[g]);
			for (size_t j = 0; j < n; j++) {
				others[j] = rd(msrs[j]);
				if (j != i)
					ck_assert_uint_eq(others[j], 0x1000 * (j + 1));
			}
		}
		for (size_t b = 0; b < sizeof(bad) / sizeof(bad[0]); b++)
			wr_gp(msrs[i], bad[b]);
	}
	/* The VMCS-backed fields, by name. */
	wr_ok(MSR_IA32_SYSENTER_ESP, 0xffff800000001000ull);
	wr_ok(MSR_IA32_SYSENTER_EIP, 0x2000);
	wr_ok(MSR_IA32_FS_BASE, 0x00007fffffffffffull);
	wr_ok(MSR_IA32_GS_BASE, 0xffff800000000000ull);
	ck_assert_uint_eq(m.sysenter_esp, 0xffff800000001000ull);
	ck_assert_uint_eq(m.sysenter_eip, 0x2000);
	ck_assert_uint_eq(m.fs_base, 0x00007fffffffffffull);
	ck_assert_uint_eq(m.gs_base, 0xffff800000000000ull);
}
END_TEST

START_TEST(test_sysenter_cs)
{
	wr_ok(MSR_IA32_SYSENTER_CS, 0x10);
	ck_assert_uint_eq(rd(MSR_IA32_SYSENTER_CS), 0x10);
	/* The VMCS field is 32 bits: the upper half is dropped, not refused. */
	wr_ok(MSR_IA32_SYSENTER_CS, 0xffffffff00000008ull);
	ck_assert_uint_eq(rd(MSR_IA32_SYSENTER_CS), 8);
	wr_ok(MSR_IA32_SYSENTER_CS, 0xffffffffull);
	ck_assert_uint_eq(rd(MSR_IA32_SYSENTER_CS), 0xffffffffull);
}
END_TEST

/* --- TSC, TSC_ADJUST (SDM Vol. 3B 18.17.3) --------------------------------------------------- */

START_TEST(test_tsc_reads_host_plus_offset)
{
	m.host_tsc = 1000;
	m.tsc_offset = 0 - 600ull;
	ck_assert_uint_eq(rd(MSR_IA32_TSC), 400);
	m.host_tsc = 1500;
	ck_assert_uint_eq(rd(MSR_IA32_TSC), 900);
	/* The offset wraps as the CPU's addition does. */
	m.tsc_offset = 0xffffffffffffff00ull;
	m.host_tsc = 0x100;
	ck_assert_uint_eq(rd(MSR_IA32_TSC), 0);
}
END_TEST

START_TEST(test_tsc_write_moves_offset_and_adjust)
{
	m.host_tsc = 1000;
	m.tsc_offset = 0 - 1000ull; /* the guest's TSC reads 0 */
	wr_ok(MSR_IA32_TSC, 100000000000ull);
	ck_assert_uint_eq(rd(MSR_IA32_TSC), 100000000000ull);
	ck_assert_uint_eq(m.tsc_offset, 100000000000ull - 1000);
	/* Written from 0 to 10^11: the adjust value moved by the same amount. */
	ck_assert_uint_eq(rd(MSR_IA32_TSC_ADJUST), 100000000000ull);
	m.host_tsc = 3000; /* the host's TSC goes on counting, the guest's with it */
	ck_assert_uint_eq(rd(MSR_IA32_TSC), 100000002000ull);
	/* Backwards: the adjust value goes down by as much (to a negative value, wrapped). */
	wr_ok(MSR_IA32_TSC, 0);
	ck_assert_uint_eq(rd(MSR_IA32_TSC), 0);
	ck_assert_uint_eq(rd(MSR_IA32_TSC_ADJUST), 100000000000ull - 100000002000ull);
	/* Every bit of the value is written. */
	wr_ok(MSR_IA32_TSC, 0xffffffffffffffffull);
	ck_assert_uint_eq(rd(MSR_IA32_TSC), 0xffffffffffffffffull);
}
END_TEST

START_TEST(test_tsc_adjust_write_moves_tsc)
{
	m.host_tsc = 5000;
	m.tsc_offset = 0 - 5000ull;
	wr_ok(MSR_IA32_TSC_ADJUST, 700);
	ck_assert_uint_eq(rd(MSR_IA32_TSC_ADJUST), 700);
	ck_assert_uint_eq(rd(MSR_IA32_TSC), 700);
	wr_ok(MSR_IA32_TSC_ADJUST, 200); /* adds -500 to both */
	ck_assert_uint_eq(rd(MSR_IA32_TSC_ADJUST), 200);
	ck_assert_uint_eq(rd(MSR_IA32_TSC), 200);
	/* A TSC write after it keeps the two in step. */
	wr_ok(MSR_IA32_TSC, 1200);
	ck_assert_uint_eq(rd(MSR_IA32_TSC_ADJUST), 1200);
	wr_ok(MSR_IA32_TSC_ADJUST, 0);
	ck_assert_uint_eq(rd(MSR_IA32_TSC), 0);
	ck_assert_uint_eq(m.tsc_offset, 0 - 5000ull);
	/* No reserved bit. */
	wr_ok(MSR_IA32_TSC_ADJUST, 0x8000000000000000ull);
	ck_assert_uint_eq(rd(MSR_IA32_TSC_ADJUST), 0x8000000000000000ull);
}
END_TEST


/*
 * Under "use TSC scaling" (SDM 25.6.5, 26.3) the guest's TSC is (host * multiplier) >> 48 + offset,
 * from the full 128-bit product: IA32_TSC as vexit emulates it reads that clock, as RDTSC does.
 */
START_TEST(test_tsc_scaled_arithmetic)
{
	ck_assert_uint_eq(tsc_scaled(1000, TSC_MULTIPLIER_ONE), 1000);
	ck_assert_uint_eq(tsc_scaled(1000, 64ull << 48), 64000);
	ck_assert_uint_eq(tsc_scaled(3, TSC_MULTIPLIER_ONE | 1ull << 47), 4);    /* 4.5, the fraction dropped */
	ck_assert_uint_eq(tsc_scaled(1000, 1ull << 47), 500);                    /* 0.5 */
	/* Past 64 bits: 2^40 * 2^56 = 2^96, >> 48 = 2^48 (a 64-bit product would wrap to 0). */
	ck_assert_uint_eq(tsc_scaled(1ull << 40, 256ull << 48), 1ull << 48);
	/* (2^64 - 1) * 256: bits 63:0 of the shifted product are 2^64 - 256. */
	ck_assert_uint_eq(tsc_scaled(UINT64_MAX, 256ull << 48), 0xffffffffffffff00ull);
	/* The largest multiplier vexit sets, 65535.0, on a host TSC of 2^50: bits 63:0 of 65535 * 2^50. */
	ck_assert_uint_eq(tsc_scaled(1ull << 50, 65535ull << 48), (uint64_t)(65535ull << 50));
	/* The offset adds modulo 2^64. */
	ck_assert_uint_eq(tsc_guest(1000, 64ull << 48, 0 - 64000ull), 0);
	ck_assert_uint_eq(tsc_guest(1001, 64ull << 48, 0 - 64000ull), 64);
	ck_assert_uint_eq(tsc_guest(5, TSC_MULTIPLIER_ONE, 0 - 6ull), UINT64_MAX);
}
END_TEST

START_TEST(test_tsc_host_ticks)
{
	ck_assert_uint_eq(tsc_host_ticks(1000, TSC_MULTIPLIER_ONE), 1000);
	ck_assert_uint_eq(tsc_host_ticks(1000, 64ull << 48), 16); /* 15.625, rounded up: never early */
	ck_assert_uint_eq(tsc_host_ticks(64, 64ull << 48), 1);
	ck_assert_uint_eq(tsc_host_ticks(0, 64ull << 48), 0);
	ck_assert_uint_eq(tsc_host_ticks(UINT64_MAX, 256ull << 48), (UINT64_MAX >> 8) + 1);
	/* A fraction makes the guest's TSC faster still: the integer part gives a wake-up at or after. */
	ck_assert_uint_eq(tsc_host_ticks(1000, 3ull << 47), 1000);
	ck_assert_uint_eq(tsc_host_ticks(1000, 1ull << 47), 1000);
}
END_TEST

START_TEST(test_tsc_msr_scaled)
{
	m.tsc_multiplier = 64ull << 48;
	m.host_tsc = 1000;
	m.tsc_offset = 0 - 64000ull; /* the guest's TSC reads 0, as RDTSC would */
	ck_assert_uint_eq(rd(MSR_IA32_TSC), 0);
	m.host_tsc = 1010;
	ck_assert_uint_eq(rd(MSR_IA32_TSC), 640); /* 64 guest ticks per host tick, as RDTSC counts */
	/* A write of V: the next read (the same host TSC) is V, then it counts on 64 times as fast. */
	wr_ok(MSR_IA32_TSC, 1ull << 40);
	ck_assert_uint_eq(rd(MSR_IA32_TSC), 1ull << 40);
	ck_assert_uint_eq(tsc_guest(1010, m.tsc_multiplier, m.tsc_offset), 1ull << 40); /* RDTSC's view */
	m.host_tsc = 1011;
	ck_assert_uint_eq(rd(MSR_IA32_TSC), (1ull << 40) + 64);
	/* The adjust value moved by what the write added to the guest's TSC (SDM Vol. 3B 18.17.3). */
	ck_assert_uint_eq(rd(MSR_IA32_TSC_ADJUST), (1ull << 40) - 640);
	/* TSC_ADJUST moves the guest's TSC by as much, scaled or not. */
	wr_ok(MSR_IA32_TSC_ADJUST, (1ull << 40) - 640 + 5);
	ck_assert_uint_eq(rd(MSR_IA32_TSC), (1ull << 40) + 64 + 5);
}
END_TEST

START_TEST(test_tsc_adjust_absent)
{
	virtual_msrs_reset(&m, true, 39, false);
	uint64_t v = SENTINEL;
	ck_assert(!virtual_msr_read(&m, MSR_IA32_TSC_ADJUST, &v));
	ck_assert_uint_eq(v, SENTINEL);
	wr_gp(MSR_IA32_TSC_ADJUST, 0);
	wr_gp(MSR_IA32_TSC_ADJUST, 5);
	/* The TSC itself is still there. */
	m.host_tsc = 10;
	wr_ok(MSR_IA32_TSC, 20);
	ck_assert_uint_eq(rd(MSR_IA32_TSC), 20);
}
END_TEST

/* --- MISC_ENABLE (SDM Vol. 4 table 2-2) ---------------------------------------------------------- */

START_TEST(test_misc_enable_bit_numbers)
{
	ck_assert_uint_eq(MISC_ENABLE_WRITABLE, (1ull << 0) | (1ull << 3) | (1ull << 16) | (1ull << 18) |
							 (1ull << 22) | (1ull << 23));
	ck_assert_uint_eq(MISC_ENABLE_READ_ONLY, (1ull << 7) | (1ull << 11) | (1ull << 12));
	ck_assert_uint_eq(MISC_ENABLE_XD_DISABLE, 1ull << 34);
}
END_TEST

START_TEST(test_misc_enable_rw)
{
	/* kvm-unit-tests' msr test: 0x400c50809 with the read-only bits kept. */
	uint64_t v = (0x400c50809ull & ~0x1880ull) | (MISC_ENABLE_POWER_ON & 0x1880ull);
	wr_ok(MSR_IA32_MISC_ENABLE, v);
	ck_assert_uint_eq(rd(MSR_IA32_MISC_ENABLE), v);
	wr_ok(MSR_IA32_MISC_ENABLE, MISC_ENABLE_POWER_ON);
	ck_assert_uint_eq(rd(MSR_IA32_MISC_ENABLE), MISC_ENABLE_POWER_ON);
	/* Each R/W bit alone. */
	for (unsigned b = 0; b < 64; b++) {
		uint64_t bit = 1ull << b;
		if (!(bit & (MISC_ENABLE_WRITABLE | MISC_ENABLE_XD_DISABLE)))
			continue;
		wr_ok(MSR_IA32_MISC_ENABLE, MISC_ENABLE_POWER_ON | bit);
		ck_assert_uint_eq(rd(MSR_IA32_MISC_ENABLE), MISC_ENABLE_POWER_ON | bit);
	}
}
END_TEST

START_TEST(test_misc_enable_read_only_and_reserved)
{
	/* Writes to the read-only bits are ignored, whichever way they go. */
	wr_ok(MSR_IA32_MISC_ENABLE, MISC_ENABLE_PERFMON);
	ck_assert_uint_eq(rd(MSR_IA32_MISC_ENABLE), MISC_ENABLE_BTS_UNAVAILABLE | MISC_ENABLE_PEBS_UNAVAILABLE);
	wr_ok(MSR_IA32_MISC_ENABLE, MISC_ENABLE_FAST_STRINGS);
	ck_assert_uint_eq(rd(MSR_IA32_MISC_ENABLE), MISC_ENABLE_POWER_ON);
	/* Every other bit is reserved. */
	for (unsigned b = 0; b < 64; b++) {
		uint64_t bit = 1ull << b;
		if (bit & (MISC_ENABLE_WRITABLE | MISC_ENABLE_READ_ONLY | MISC_ENABLE_XD_DISABLE))
			continue;
		wr_gp(MSR_IA32_MISC_ENABLE, MISC_ENABLE_POWER_ON | bit);
	}
}
END_TEST

START_TEST(test_misc_enable_xd_disable)
{
	/* With XD disabled, NX is gone: EFER.NXE is reserved (and stays as it was). */
	ck_assert(virtual_msr_nx(&m));
	wr_ok(MSR_IA32_MISC_ENABLE, MISC_ENABLE_POWER_ON | MISC_ENABLE_XD_DISABLE);
	ck_assert(!virtual_msr_nx(&m));
	wr_gp(MSR_IA32_EFER, EFER_LME | EFER_LMA | EFER_NXE);
	wr_ok(MSR_IA32_MISC_ENABLE, MISC_ENABLE_POWER_ON);
	wr_ok(MSR_IA32_EFER, EFER_LME | EFER_LMA | EFER_NXE);
	/* Without NX, bit 34 is reserved. */
	virtual_msrs_reset(&m, false, 39, true);
	ck_assert(!virtual_msr_nx(&m));
	wr_gp(MSR_IA32_MISC_ENABLE, MISC_ENABLE_POWER_ON | MISC_ENABLE_XD_DISABLE);
}
END_TEST

/* --- machine check (SDM Vol. 3B 16.3.1) ------------------------------------------------------------ */

START_TEST(test_mcg)
{
	ck_assert_uint_eq(rd(MSR_IA32_MCG_CAP), 0);
	wr_gp(MSR_IA32_MCG_CAP, 0);
	wr_gp(MSR_IA32_MCG_CAP, 10);
	for (uint64_t v = 0; v < 8; v++) {
		wr_ok(MSR_IA32_MCG_STATUS, v);
		ck_assert_uint_eq(rd(MSR_IA32_MCG_STATUS), v);
	}
	for (unsigned b = 3; b < 64; b++)
		wr_gp(MSR_IA32_MCG_STATUS, 1ull << b);
	ck_assert_uint_eq(rd(MSR_IA32_MCG_STATUS), 7);
	/* No MCG_CTL (MCG_CAP.MCG_CTL_P clear) and no bank: the 32 banks' MSRs up to 0x47F #GP. */
	uint64_t v;
	ck_assert(!virtual_msr_read(&m, 0x17b, &v));
	wr_gp(0x17b, 0);
	for (uint32_t msr = 0x400; msr < 0x480; msr++) {
		ck_assert_msg(!virtual_msr_read(&m, msr, &v), "bank MSR 0x%x readable", msr);
		wr_gp(msr, 0);
	}
}
END_TEST

/* --- TSC_AUX, synthetic ------------------------------------------------------------------- */

START_TEST(test_tsc_aux)
{
	wr_ok(MSR_IA32_TSC_AUX, 0xffffffffull);
	ck_assert_uint_eq(rd(MSR_IA32_TSC_AUX), 0xffffffffull);
	wr_ok(MSR_IA32_TSC_AUX, 0);
	ck_assert_uint_eq(rd(MSR_IA32_TSC_AUX), 0);
	wr_ok(MSR_IA32_TSC_AUX, 7);
	wr_gp(MSR_IA32_TSC_AUX, 1ull << 32);
	wr_gp(MSR_IA32_TSC_AUX, 1ull << 63);
	wr_gp(MSR_IA32_TSC_AUX, 0x100000007ull);
	ck_assert_uint_eq(rd(MSR_IA32_TSC_AUX), 7);
}
END_TEST

START_TEST(test_read_only_synthetic)
{
	m.exits = 42;
	wr_gp(VEXIT_MSR_ID, 0);
	wr_gp(VEXIT_MSR_ID, VEXIT_MSR_ID_VALUE);
	wr_gp(VEXIT_MSR_EXITS, 0);
	wr_gp(VEXIT_MSR_EXITS, 43);
	ck_assert_uint_eq(rd(VEXIT_MSR_ID), VEXIT_MSR_ID_VALUE);
	ck_assert_uint_eq(rd(VEXIT_MSR_EXITS), 42);
}
END_TEST

START_TEST(test_scratch_any_value)
{
	static const uint64_t vals[] = { 0, 1, 0xffffffffffffffffull, 0x8000000000000000ull, 0x0000800000000000ull,
					 0x0102030405060708ull };
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		wr_ok(VEXIT_MSR_SCRATCH, vals[i]);
		ck_assert_uint_eq(rd(VEXIT_MSR_SCRATCH), vals[i]);
		ck_assert_uint_eq(m.hv_scratch, vals[i]);
	}
	/* Scratch is not the ID and not the exit count. */
	ck_assert_uint_eq(rd(VEXIT_MSR_ID), VEXIT_MSR_ID_VALUE);
	ck_assert_uint_eq(rd(VEXIT_MSR_EXITS), 0);
}
END_TEST

START_TEST(test_read_has_no_side_effects)
{
	struct virtual_msrs before;
	memcpy(&before, &m, sizeof(m));
	static const uint32_t msrs[] = { MSR_IA32_APIC_BASE, MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP,
					 MSR_IA32_SYSENTER_EIP, MSR_IA32_PAT, MSR_IA32_EFER, MSR_IA32_FS_BASE, MSR_IA32_GS_BASE,
					 MSR_IA32_TSC_AUX, VEXIT_MSR_ID, VEXIT_MSR_SCRATCH, VEXIT_MSR_EXITS, MSR_IA32_TSC,
					 MSR_IA32_TSC_ADJUST, MSR_IA32_MISC_ENABLE, MSR_IA32_MCG_CAP, MSR_IA32_MCG_STATUS, 0x11 };
	for (size_t i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++) {
		uint64_t v;
		(void)virtual_msr_read(&m, msrs[i], &v);
	}
	ck_assert_int_eq(memcmp(&before, &m, sizeof(m)), 0);
}
END_TEST

/* --- the plain MSRs (virtual_msr.h): the exit path's loads and stores, which must agree with the rules --- */

/* The plain MSRs, as virtual_msr.h defines them: held in the table alone. */
static const uint32_t plain_reads[] = { MSR_IA32_APIC_BASE, MSR_IA32_MCG_STATUS, MSR_IA32_MISC_ENABLE, MSR_IA32_PAT,
					MSR_IA32_STAR,      MSR_IA32_LSTAR,      MSR_IA32_CSTAR,       MSR_IA32_FMASK,
					MSR_IA32_TSC_AUX,   VEXIT_MSR_SCRATCH };
/* Of those, the ones whose WRMSR is a bound and a store (the CPU holds STAR... and TSC_AUX for the guest). */
static const uint32_t plain_writes[] = { MSR_IA32_MCG_STATUS, VEXIT_MSR_SCRATCH };

static bool listed(const uint32_t *list, size_t n, uint32_t msr)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == msr)
			return true;
	return false;
}

/* Every MSR vexit has, MSR 0 and the numbers around them: the architectural and synthetic ranges. */
static bool next_msr(uint32_t *msr)
{
	static const uint32_t ranges[][2] = { { 0, 0x2000 }, { 0x40000000, 0x40000100 }, { 0xc0000000, 0xc0002000 },
					      { 0xfffffff0, 0xffffffff } };
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		if (*msr >= ranges[i][0] && *msr < ranges[i][1]) {
			++*msr;
			return true;
		}
		if (*msr < ranges[i][0]) {
			*msr = ranges[i][0];
			return true;
		}
	}
	return false;
}

/* A value of its own in each 64-bit field, so that a load of the wrong field shows. */
static void distinct_fields(void)
{
	uint64_t *fields[] = { &m.efer, &m.sysenter_cs, &m.sysenter_esp, &m.sysenter_eip, &m.fs_base, &m.gs_base,
			       &m.star, &m.lstar, &m.cstar, &m.fmask, &m.kernel_gs_base, &m.tsc_offset, &m.tsc_adjust,
			       &m.tsc_multiplier, &m.pat, &m.tsc_aux, &m.apic_base, &m.misc_enable, &m.mcg_status,
			       &m.hv_scratch, &m.exits, &m.host_tsc };
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		*fields[i] = 0x0101010101010101ull * (i + 1);
}

/* VIRTUAL_MSR_SLOT leaves each MSR vexit has alone in a slot, none in slot 0 (MSR 0's): any may become plain. */
START_TEST(test_plain_slots_one_msr_each)
{
	uint32_t owner[VIRTUAL_MSR_SLOTS] = { 0 };
	unsigned msrs = 0;
	uint32_t msr = 0;
	do {
		uint64_t v;
		if (!virtual_msr_read(&m, msr, &v))
			continue;
		uint32_t slot = VIRTUAL_MSR_SLOT(msr);
		ck_assert_msg(slot != 0, "MSR 0x%x in slot 0", msr);
		ck_assert_msg(!owner[slot], "MSRs 0x%x and 0x%x share slot %u", owner[slot], msr, slot);
		owner[slot] = msr;
		msrs++;
	} while (next_msr(&msr));
	ck_assert_uint_eq(msrs, 22);
}
END_TEST

START_TEST(test_plain_reads_are_the_rules)
{
	distinct_fields();
	unsigned plain = 0;
	uint32_t msr = 0;
	do {
		const uint64_t *field = virtual_msr_plain_read(&m, msr);
		quiet_assert((field != NULL) == listed(plain_reads, sizeof(plain_reads) / sizeof(plain_reads[0]), msr),
			     "MSR 0x%x: plain read %s", msr, field ? "found" : "missed");
		if (!field)
			continue;
		plain++;
		uint64_t v;
		quiet_assert(virtual_msr_read(&m, msr, &v), "MSR 0x%x: a plain read of an MSR that #GPs", msr);
		quiet_assert(v == *field, "MSR 0x%x: plain read 0x%lx, the rules read 0x%lx", msr, *field, v);
	} while (next_msr(&msr));
	ck_assert_uint_eq(plain, sizeof(plain_reads) / sizeof(plain_reads[0]));
}
END_TEST

START_TEST(test_plain_writes_are_the_rules)
{
	static const uint64_t values[] = { 0, 1, 7, 8, 0xf, 0x10, 0x7fffffff, 0xffffffff, 1ull << 32, 1ull << 63,
					   UINT64_MAX, 0xfeedfacecafef00d };
	struct virtual_msrs fast, rules;
	unsigned plain = 0;
	uint32_t msr = 0;
	do {
		bool is_plain = listed(plain_writes, sizeof(plain_writes) / sizeof(plain_writes[0]), msr);
		for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
			memcpy(&fast, &m, sizeof(m));
			memcpy(&rules, &m, sizeof(m));
			bool stored = virtual_msr_plain_write(&fast, msr, values[i]);
			bool ok = virtual_msr_write(&rules, msr, values[i]);
			plain += stored;
			if (is_plain)
				quiet_assert(stored == ok, "MSR 0x%x <- 0x%lx: plain store %d, the rules %d", msr, values[i],
					     stored, ok);
			else
				quiet_assert(!stored, "MSR 0x%x <- 0x%lx: a plain store of an MSR that has rules", msr,
					     values[i]);
			quiet_assert(memcmp(&fast, stored ? &rules : &m, sizeof(m)) == 0,
				     "MSR 0x%x <- 0x%lx: the plain store left another state", msr, values[i]);
		}
	} while (next_msr(&msr));
	ck_assert_uint_gt(plain, 0);
}
END_TEST

static Suite *virtual_msr_suite(void)
{
	Suite *s = suite_create("hv_virtual_msr");
	TCase *r = tcase_create("reset_read");
	tcase_add_checked_fixture(r, setup, NULL);
	tcase_add_test(r, test_reset_values);
	tcase_add_test(r, test_read_each);
	tcase_add_test(r, test_abi_msrs);
	tcase_add_test(r, test_unknown_msrs);
	tcase_add_test(r, test_read_has_no_side_effects);
	suite_add_tcase(s, r);
	TCase *e = tcase_create("efer");
	tcase_add_checked_fixture(e, setup, NULL);
	tcase_add_test(e, test_efer_reserved_bits);
	tcase_add_test(e, test_efer_sce_nxe);
	tcase_add_test(e, test_efer_lme_while_paging);
	tcase_add_test(e, test_efer_lme_without_paging);
	tcase_add_test(e, test_efer_lma_ignored);
	suite_add_tcase(s, e);
	TCase *a = tcase_create("apic_base");
	tcase_add_checked_fixture(a, setup, NULL);
	tcase_add_test(a, test_apic_base_reserved);
	tcase_add_test(a, test_apic_base_width);
	tcase_add_test(a, test_apic_base_reserved_bits);
	tcase_add_test(a, test_apic_base_enable_and_bsp);
	suite_add_tcase(s, a);
	TCase *o = tcase_create("others");
	tcase_add_checked_fixture(o, setup, NULL);
	tcase_add_test(o, test_pat_valid_types);
	tcase_add_test(o, test_pat_invalid_types);
	tcase_add_test(o, test_canonical_msrs);
	tcase_add_test(o, test_syscall_msrs);
	tcase_add_test(o, test_sysenter_cs);
	tcase_add_test(o, test_tsc_aux);
	tcase_add_test(o, test_read_only_synthetic);
	tcase_add_test(o, test_scratch_any_value);
	suite_add_tcase(s, o);
	TCase *p = tcase_create("plain");
	tcase_add_checked_fixture(p, setup, NULL);
	tcase_add_test(p, test_plain_slots_one_msr_each);
	tcase_add_test(p, test_plain_reads_are_the_rules);
	tcase_add_test(p, test_plain_writes_are_the_rules);
	suite_add_tcase(s, p);
	TCase *t = tcase_create("tsc_misc_mcg");
	tcase_add_checked_fixture(t, setup, NULL);
	tcase_add_test(t, test_tsc_reads_host_plus_offset);
	tcase_add_test(t, test_tsc_write_moves_offset_and_adjust);
	tcase_add_test(t, test_tsc_adjust_write_moves_tsc);
	tcase_add_test(t, test_tsc_adjust_absent);
	tcase_add_test(t, test_tsc_scaled_arithmetic);
	tcase_add_test(t, test_tsc_host_ticks);
	tcase_add_test(t, test_tsc_msr_scaled);
	tcase_add_test(t, test_misc_enable_bit_numbers);
	tcase_add_test(t, test_misc_enable_rw);
	tcase_add_test(t, test_misc_enable_read_only_and_reserved);
	tcase_add_test(t, test_misc_enable_xd_disable);
	tcase_add_test(t, test_mcg);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return run_suite(virtual_msr_suite(), CK_NORMAL);
}
