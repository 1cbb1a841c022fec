/*
 * Unit tests of hypervisor/vmx/cr_access.c.
 *
 * The exit qualification for control-register accesses (SDM Vol. 3C 28.2.1,
 * table 28-3 "Exit Qualification for Control-Register Accesses"):
 *   3:0   number of the control register (0 for CLTS and LMSW)
 *   5:4   access type: 0 MOV to CR, 1 MOV from CR, 2 CLTS, 3 LMSW
 *   6     LMSW operand type: 0 register, 1 memory
 *   7     reserved      11:8 MOV CR: the general-purpose register (0 RAX .. 15 R15)
 *   15:12 reserved      31:16 LMSW source data      63:32 reserved
 * and the rules for the values a guest may load (SDM Vol. 3A 2.5 and Vol. 2
 * MOV CR, LMSW; VMX fixed bits: Vol. 3D appendix A.7, A.8).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "run_suite.h"
#include "vmx/cr_access.h"

enum { RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, R9 = 9, R15 = 15 };

static uint64_t qual(unsigned cr, unsigned type, unsigned gpr, int lmsw_mem, uint16_t lmsw_src)
{
	return (uint64_t)cr | (uint64_t)type << 4 | (uint64_t)lmsw_mem << 6 | (uint64_t)gpr << 8 |
	       (uint64_t)lmsw_src << 16;
}

static struct cr_access decode_ok(uint64_t q)
{
	struct cr_access a;
	memset(&a, 0xa5, sizeof(a));
	ck_assert_msg(cr_access_decode(q, &a), "qualification 0x%llx rejected", (unsigned long long)q);
	return a;
}

static int decode_refused(uint64_t q)
{
	struct cr_access a;
	return !cr_access_decode(q, &a);
}

/* --- decode ---------------------------------------------------------------------------- */

START_TEST(test_sdm_examples)
{
	struct cr_access a = decode_ok(0x3); /* MOV CR3, RAX */
	ck_assert_uint_eq(a.cr, 3);
	ck_assert_int_eq(a.type, CR_MOV_TO);
	ck_assert_uint_eq(a.gpr, RAX);
	ck_assert(!a.lmsw_memory);
	ck_assert_uint_eq(a.lmsw_source, 0);

	a = decode_ok(0x18); /* MOV RAX, CR8 */
	ck_assert_uint_eq(a.cr, 8);
	ck_assert_int_eq(a.type, CR_MOV_FROM);
	ck_assert_uint_eq(a.gpr, RAX);

	a = decode_ok(0x313); /* MOV RBX, CR3 */
	ck_assert_uint_eq(a.cr, 3);
	ck_assert_int_eq(a.type, CR_MOV_FROM);
	ck_assert_uint_eq(a.gpr, RBX);

	a = decode_ok(0x903); /* MOV CR3, R9 */
	ck_assert_uint_eq(a.cr, 3);
	ck_assert_int_eq(a.type, CR_MOV_TO);
	ck_assert_uint_eq(a.gpr, R9);

	a = decode_ok(0x20); /* CLTS */
	ck_assert_uint_eq(a.cr, 0);
	ck_assert_int_eq(a.type, CR_CLTS);

	a = decode_ok(0xb0030); /* LMSW with a register holding 0xB */
	ck_assert_uint_eq(a.cr, 0);
	ck_assert_int_eq(a.type, CR_LMSW);
	ck_assert(!a.lmsw_memory);
	ck_assert_uint_eq(a.lmsw_source, 0xb);

	a = decode_ok(0x10070); /* LMSW from memory holding 1 */
	ck_assert_int_eq(a.type, CR_LMSW);
	ck_assert(a.lmsw_memory);
	ck_assert_uint_eq(a.lmsw_source, 1);
}
END_TEST

START_TEST(test_mov_every_cr_and_gpr)
{
	static const unsigned crs[] = { 0, 3, 4, 8 };
	for (size_t i = 0; i < 4; i++)
		for (unsigned type = CR_MOV_TO; type <= CR_MOV_FROM; type++)
			for (unsigned gpr = 0; gpr < 16; gpr++) {
				struct cr_access a = decode_ok(qual(crs[i], type, gpr, 0, 0));
				ck_assert_uint_eq(a.cr, crs[i]);
				ck_assert_int_eq(a.type, (int)type);
				ck_assert_uint_eq(a.gpr, gpr);
			}
}
END_TEST

START_TEST(test_lmsw_source_extremes)
{
	struct cr_access a = decode_ok(qual(0, CR_LMSW, 0, 1, 0xffff));
	ck_assert(a.lmsw_memory);
	ck_assert_uint_eq(a.lmsw_source, 0xffff);
	a = decode_ok(qual(0, CR_LMSW, 0, 0, 0x8000));
	ck_assert(!a.lmsw_memory);
	ck_assert_uint_eq(a.lmsw_source, 0x8000);
}
END_TEST

START_TEST(test_reserved_bits_ignored)
{
	/* Bits 7, 15:12 and 63:32 are reserved: they change nothing. */
	const uint64_t noise = 0xffffffff00000000ull | 0xf000ull | 0x80ull;
	struct cr_access a = decode_ok(0x903 | noise);
	ck_assert_uint_eq(a.cr, 3);
	ck_assert_int_eq(a.type, CR_MOV_TO);
	ck_assert_uint_eq(a.gpr, R9);
	ck_assert(!a.lmsw_memory);
	a = decode_ok(qual(0, CR_LMSW, 0, 1, 0x1234) | noise);
	ck_assert_int_eq(a.type, CR_LMSW);
	ck_assert(a.lmsw_memory);
	ck_assert_uint_eq(a.lmsw_source, 0x1234);
	a = decode_ok(0x20 | noise);
	ck_assert_int_eq(a.type, CR_CLTS);
	ck_assert_uint_eq(a.cr, 0);
}
END_TEST

START_TEST(test_invalid_cr_numbers)
{
	/* MOV to/from: only CR0, CR3, CR4 and CR8 exist to be intercepted. */
	for (unsigned cr = 0; cr < 16; cr++) {
		int valid = cr == 0 || cr == 3 || cr == 4 || cr == 8;
		for (unsigned type = CR_MOV_TO; type <= CR_MOV_FROM; type++)
			ck_assert_msg(decode_refused(qual(cr, type, RAX, 0, 0)) == !valid, "MOV type %u CR%u", type, cr);
	}
	ck_assert(decode_refused(0x1));  /* MOV CR1 */
	ck_assert(decode_refused(0x2));  /* MOV CR2: never intercepted */
	ck_assert(decode_refused(0x15)); /* MOV from CR5 */
	/* CLTS and LMSW name CR0 only. */
	ck_assert(decode_refused(0x24));                     /* "CLTS on CR4" */
	ck_assert(decode_refused(0x23));
	ck_assert(decode_refused(qual(4, CR_LMSW, 0, 0, 1)));
	ck_assert(decode_refused(qual(8, CR_LMSW, 0, 1, 1)));
	ck_assert(!decode_refused(qual(0, CR_LMSW, 0, 0, 1)));
}
END_TEST

/* --- CR0 ------------------------------------------------------------------------------- */

#define LONG true
#define LEGACY false
#define SENTINEL 0x5a5a5a5a5a5a5a5aull

static uint64_t cr0_ok(uint64_t v, bool long_mode)
{
	uint64_t shadow = SENTINEL;
	ck_assert_msg(cr0_guest_write(v, long_mode, &shadow), "CR0 0x%llx refused", (unsigned long long)v);
	return shadow;
}

static void cr0_gp(uint64_t v, bool long_mode)
{
	uint64_t shadow = SENTINEL;
	ck_assert_msg(!cr0_guest_write(v, long_mode, &shadow), "CR0 0x%llx accepted", (unsigned long long)v);
	ck_assert_uint_eq(shadow, SENTINEL); /* the view is not touched on #GP */
}

START_TEST(test_cr0_typical)
{
	const uint64_t lm = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_AM | CR0_PG;
	ck_assert_uint_eq(cr0_ok(lm, LONG), lm);
	ck_assert_uint_eq(cr0_ok(lm | CR0_TS, LONG), lm | CR0_TS);
	ck_assert_uint_eq(cr0_ok(CR0_PE | CR0_PG | CR0_CD | CR0_NW, LONG), CR0_PE | CR0_PG | CR0_CD | CR0_NW | CR0_ET);
	ck_assert_uint_eq(cr0_ok(CR0_PE | CR0_PG | CR0_CD, LONG), CR0_PE | CR0_PG | CR0_CD | CR0_ET);
	/* Outside IA-32e mode, PE alone or nothing at all is fine. */
	ck_assert_uint_eq(cr0_ok(CR0_PE, LEGACY), CR0_PE | CR0_ET);
	ck_assert_uint_eq(cr0_ok(0, LEGACY), CR0_ET);
	ck_assert_uint_eq(cr0_ok(CR0_PE | CR0_PG, LEGACY), CR0_PE | CR0_PG | CR0_ET);
}
END_TEST

START_TEST(test_cr0_upper_bits_gp)
{
	const uint64_t base = CR0_PE | CR0_PG | CR0_ET;
	for (unsigned b = 32; b < 64; b++) {
		cr0_gp(base | 1ull << b, LONG);
		cr0_gp(CR0_PE | 1ull << b, LEGACY);
	}
	cr0_gp(0xffffffff00000000ull | base, LONG);
}
END_TEST

START_TEST(test_cr0_pg_without_pe)
{
	cr0_gp(CR0_PG, LEGACY);
	cr0_gp(CR0_PG | CR0_ET | CR0_NE, LEGACY);
	cr0_gp(CR0_PG | CR0_ET, LONG);
}
END_TEST

START_TEST(test_cr0_nw_without_cd)
{
	cr0_gp(CR0_PE | CR0_PG | CR0_NW, LONG);
	cr0_gp(CR0_NW, LEGACY);
	cr0_gp(CR0_PE | CR0_NW, LEGACY);
	/* With CD it is a valid (if odd) combination. */
	(void)cr0_ok(CR0_CD | CR0_NW, LEGACY);
}
END_TEST

START_TEST(test_cr0_clear_pg_in_long_mode)
{
	cr0_gp(CR0_PE, LONG);
	cr0_gp(CR0_PE | CR0_ET | CR0_NE | CR0_WP, LONG);
	cr0_gp(0, LONG);
	/* The same value is fine outside IA-32e mode. */
	(void)cr0_ok(CR0_PE | CR0_ET | CR0_NE | CR0_WP, LEGACY);
}
END_TEST

START_TEST(test_cr0_reserved_low_bits_ignored)
{
	/* Bits 15:6, 17, 28:19 are reserved; writes are dropped and read back 0. */
	const uint64_t reserved = 0xffffffffull & ~CR0_DEFINED;
	ck_assert_uint_eq(reserved, 0x1ffaffc0ull);
	const uint64_t v = CR0_PE | CR0_PG | CR0_NE;
	ck_assert_uint_eq(cr0_ok(v | reserved, LONG), v | CR0_ET);
	for (unsigned b = 0; b < 32; b++)
		if (reserved >> b & 1)
			ck_assert_uint_eq(cr0_ok(v | 1ull << b, LONG), v | CR0_ET);
	/* All 32 low bits: every defined one kept. */
	ck_assert_uint_eq(cr0_ok(0xffffffffull, LONG), CR0_DEFINED);
}
END_TEST

START_TEST(test_cr0_et_forced)
{
	ck_assert_uint_eq(cr0_ok(CR0_PE | CR0_PG, LONG) & CR0_ET, CR0_ET);
	ck_assert_uint_eq(cr0_ok(CR0_PE | CR0_PG | CR0_ET, LONG), CR0_PE | CR0_PG | CR0_ET);
	/* Every defined bit alone that is valid alone keeps only itself and ET. */
	static const uint64_t alone[] = { CR0_PE, CR0_MP, CR0_EM, CR0_TS, CR0_ET, CR0_NE, CR0_WP, CR0_AM, CR0_CD };
	for (size_t i = 0; i < sizeof(alone) / sizeof(alone[0]); i++)
		ck_assert_uint_eq(cr0_ok(alone[i], LEGACY), alone[i] | CR0_ET);
}
END_TEST

/* --- LMSW ------------------------------------------------------------------------------ */

START_TEST(test_lmsw)
{
	const uint64_t high = CR0_ET | CR0_NE | CR0_WP | CR0_AM | CR0_PG;
	/* Loads MP, EM, TS. */
	ck_assert_uint_eq(cr0_after_lmsw(high | CR0_PE, 0xf), high | CR0_PE | CR0_MP | CR0_EM | CR0_TS);
	ck_assert_uint_eq(cr0_after_lmsw(high | CR0_PE | CR0_TS, 0x1), high | CR0_PE);
	ck_assert_uint_eq(cr0_after_lmsw(high | CR0_PE | CR0_MP | CR0_EM | CR0_TS, CR0_PE | CR0_EM),
			  high | CR0_PE | CR0_EM);
	/* Cannot clear PE. */
	ck_assert_uint_eq(cr0_after_lmsw(high | CR0_PE, 0), high | CR0_PE);
	ck_assert_uint_eq(cr0_after_lmsw(CR0_PE | CR0_MP, 0), CR0_PE);
	/* Can set it. */
	ck_assert_uint_eq(cr0_after_lmsw(CR0_ET, CR0_PE), CR0_ET | CR0_PE);
	ck_assert_uint_eq(cr0_after_lmsw(0, CR0_PE | CR0_TS), CR0_PE | CR0_TS);
	/* Source bits 15:4 are not loaded (ET, NE, ... unaffected), in either direction. */
	ck_assert_uint_eq(cr0_after_lmsw(CR0_PE, 0xfff0), CR0_PE);
	ck_assert_uint_eq(cr0_after_lmsw(high | CR0_PE, 0x0000), high | CR0_PE);
	ck_assert_uint_eq(cr0_after_lmsw(CR0_ET | CR0_NE, 0xffff), CR0_ET | CR0_NE | 0xf);
	/* Whatever lies above bit 3 of the old value is left alone, upper half included. */
	ck_assert_uint_eq(cr0_after_lmsw(0xfffffffffffffff0ull, 0x6), 0xfffffffffffffff6ull);
	ck_assert_uint_eq(cr0_after_lmsw(0xffffffffffffffffull, 0x0), 0xfffffffffffffff1ull);
}
END_TEST

/* --- CR4 ------------------------------------------------------------------------------- */

START_TEST(test_cr4_each_allowed_bit)
{
	static const uint64_t bits[] = { CR4_VME, CR4_PVI, CR4_TSD, CR4_DE, CR4_PSE, CR4_PAE, CR4_MCE, CR4_PGE,
					 CR4_PCE, CR4_OSFXSR, CR4_OSXMMEXCPT, CR4_UMIP, CR4_FSGSBASE, CR4_OSXSAVE,
					 CR4_SMEP, CR4_SMAP };
	uint64_t all = 0;
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		all |= bits[i];
		/* Accepted when supported (PAE with it, in IA-32e mode). */
		ck_assert(cr4_guest_write(bits[i] | CR4_PAE, LONG, bits[i] | CR4_PAE));
		ck_assert(cr4_guest_write(bits[i], LEGACY, bits[i]));
		ck_assert(cr4_guest_write(bits[i] | CR4_PAE, LONG, ~0ull));
		/* Refused when the CPU does not offer it. */
		if (bits[i] != CR4_PAE) {
			ck_assert_msg(!cr4_guest_write(bits[i] | CR4_PAE, LONG, CR4_GUEST_ALLOWED & ~bits[i]),
				      "CR4 bit 0x%llx accepted unsupported", (unsigned long long)bits[i]);
			ck_assert(!cr4_guest_write(bits[i], LEGACY, CR4_PAE));
		}
	}
	ck_assert_uint_eq(all, CR4_GUEST_ALLOWED);
	ck_assert(cr4_guest_write(CR4_GUEST_ALLOWED, LONG, CR4_GUEST_ALLOWED));
	ck_assert(cr4_guest_write(CR4_GUEST_ALLOWED, LONG, ~0ull));
	ck_assert(!cr4_guest_write(CR4_GUEST_ALLOWED, LONG, CR4_GUEST_ALLOWED & ~CR4_SMAP));
}
END_TEST

START_TEST(test_cr4_vmxe_refused)
{
	ck_assert(!cr4_guest_write(CR4_VMXE | CR4_PAE, LONG, ~0ull));
	ck_assert(!cr4_guest_write(CR4_VMXE | CR4_PAE, LONG, CR4_GUEST_ALLOWED | CR4_VMXE));
	ck_assert(!cr4_guest_write(CR4_VMXE, LEGACY, ~0ull));
}
END_TEST

START_TEST(test_cr4_other_bits_refused)
{
	/* Bits the guest may never own, even when the CPU has them (12 LA57, 14 SMXE, 17 PCIDE,
	 * 22 PKE, 23 CET, 24 PKS...), the reserved ones, and all of 63:32. */
	for (unsigned b = 0; b < 64; b++) {
		uint64_t bit = 1ull << b;
		if (bit & CR4_GUEST_ALLOWED)
			continue;
		ck_assert_msg(!cr4_guest_write(CR4_PAE | bit, LONG, ~0ull), "CR4 bit %u accepted", b);
	}
	/* 0 outside IA-32e mode: nothing set, nothing to refuse. */
	ck_assert(cr4_guest_write(0, LEGACY, 0));
}
END_TEST

START_TEST(test_cr4_pae_in_long_mode)
{
	ck_assert(!cr4_guest_write(0, LONG, ~0ull));
	ck_assert(!cr4_guest_write(CR4_PSE | CR4_PGE | CR4_OSFXSR, LONG, ~0ull));
	ck_assert(cr4_guest_write(CR4_PSE | CR4_PGE | CR4_OSFXSR, LEGACY, ~0ull));
	ck_assert(cr4_guest_write(CR4_PAE, LONG, CR4_PAE));
	/* PAE that the CPU does not report is refused like any other bit. */
	ck_assert(!cr4_guest_write(CR4_PAE, LONG, CR4_GUEST_ALLOWED & ~CR4_PAE));
}
END_TEST

/* --- the real CR0/CR4 ----------------------------------------------------------------------- */

START_TEST(test_cr0_real)
{
	/* Typical fixed values: PE, NE, PG must be 1; bits 63:32 must be 0. */
	const uint64_t f0 = CR0_PE | CR0_NE | CR0_PG, f1 = 0xffffffffull;
	ck_assert_uint_eq(cr0_real(CR0_PE | CR0_PG | CR0_ET, f0, f1), CR0_PE | CR0_PG | CR0_ET | CR0_NE);
	ck_assert_uint_eq(cr0_real(0, f0, f1), f0);
	ck_assert_uint_eq(cr0_real(0xffffffffffffffffull, f0, f1), 0xffffffffull);
	/* A bit clear in FIXED1 is forced to 0 even when the guest sets it. */
	ck_assert_uint_eq(cr0_real(CR0_PE | CR0_PG | CR0_CD | CR0_NW, f0, f1 & ~(CR0_CD | CR0_NW)),
			  CR0_PE | CR0_PG | CR0_NE);
	/* With nothing fixed the view passes through unchanged. */
	ck_assert_uint_eq(cr0_real(CR0_PE | CR0_TS, 0, ~0ull), CR0_PE | CR0_TS);
}
END_TEST

START_TEST(test_cr4_real)
{
	const uint64_t f0 = CR4_VMXE, f1 = 0x3727ffull; /* a Bochs-like FIXED1 */
	ck_assert_uint_eq(cr4_real(CR4_PAE, f0, f1), CR4_PAE | CR4_VMXE);
	/* VMXE set even when FIXED0 does not demand it. */
	ck_assert_uint_eq(cr4_real(CR4_PAE, 0, ~0ull), CR4_PAE | CR4_VMXE);
	ck_assert_uint_eq(cr4_real(0, 0, ~0ull), CR4_VMXE);
	/* FIXED0 bits added, FIXED1 zeros cleared. */
	ck_assert_uint_eq(cr4_real(CR4_PAE, f0 | CR4_MCE, f1), CR4_PAE | CR4_MCE | CR4_VMXE);
	ck_assert_uint_eq(cr4_real(CR4_PAE | CR4_SMAP, f0, f1 & ~CR4_SMAP), CR4_PAE | CR4_VMXE);
	ck_assert_uint_eq(cr4_real(~0ull, f0, f1), f1);
}
END_TEST

/* --- CR3, CR8 ---------------------------------------------------------------------------- */

START_TEST(test_cr3_width)
{
	static const unsigned widths[] = { 36, 39, 46, 52 };
	for (size_t i = 0; i < 4; i++) {
		unsigned w = widths[i];
		ck_assert(cr3_guest_write_ok(0, w));
		ck_assert(cr3_guest_write_ok(0x1000, w));
		ck_assert(cr3_guest_write_ok((1ull << w) - 1, w));          /* every bit below the width */
		ck_assert(cr3_guest_write_ok((1ull << (w - 1)) | 0xfff, w)); /* top legal bit */
		ck_assert_msg(!cr3_guest_write_ok(1ull << w, w), "width %u: bit %u accepted", w, w);
		ck_assert(!cr3_guest_write_ok((1ull << w) | 0x1000, w));
		ck_assert(!cr3_guest_write_ok(1ull << 63, w));
		ck_assert(!cr3_guest_write_ok(~0ull, w));
	}
	/* The same value, legal at one width and not at a narrower one. */
	ck_assert(cr3_guest_write_ok(0x8000000000ull, 46));  /* bit 39 */
	ck_assert(!cr3_guest_write_ok(0x8000000000ull, 39));
	ck_assert(!cr3_guest_write_ok(0x8000000000ull, 36));
	ck_assert(cr3_guest_write_ok(0xff000000000ull, 52)); /* bits 43:36 */
	ck_assert(!cr3_guest_write_ok(0xff000000000ull, 39));
	/* A 64-bit (or wider) width reserves nothing; the shift must not be undefined. */
	ck_assert(cr3_guest_write_ok(~0ull, 64));
}
END_TEST

START_TEST(test_cr8)
{
	for (uint64_t v = 0; v < 16; v++)
		ck_assert(cr8_guest_write_ok(v));
	ck_assert(!cr8_guest_write_ok(16));
	ck_assert(!cr8_guest_write_ok(0x1f));
	ck_assert(!cr8_guest_write_ok(1ull << 32));
	ck_assert(!cr8_guest_write_ok(1ull << 63));
	ck_assert(!cr8_guest_write_ok(~0ull));
}
END_TEST

/* --- mode switches of an external kernel (SDM Vol. 3A 10.8.5) and PAE's PDPTEs (4.4.1) -------- */

START_TEST(test_paging_on_with_lme_enters_ia32e)
{
	uint64_t efer = EFER_LME;
	ck_assert(cr0_paging_switch(CR0_PE, CR0_PE | CR0_PG, CR4_PAE, false, &efer));
	ck_assert_uint_eq(efer, EFER_LME | EFER_LMA);
	/* Without CR4.PAE, or with CS.L set: #GP, EFER untouched. */
	efer = EFER_LME;
	ck_assert(!cr0_paging_switch(CR0_PE, CR0_PE | CR0_PG, 0, false, &efer));
	ck_assert(!cr0_paging_switch(CR0_PE, CR0_PE | CR0_PG, CR4_PAE, true, &efer));
	ck_assert_uint_eq(efer, EFER_LME);
}
END_TEST

START_TEST(test_paging_on_without_lme_stays_legacy)
{
	uint64_t efer = EFER_NXE;
	ck_assert(cr0_paging_switch(CR0_PE, CR0_PE | CR0_PG, 0, false, &efer));
	ck_assert_uint_eq(efer, EFER_NXE);
	ck_assert(cr0_paging_switch(CR0_PE, CR0_PE | CR0_PG, CR4_PAE, false, &efer));
	ck_assert_uint_eq(efer, EFER_NXE);
	/* A CR0 write that leaves PG as it was changes no mode. */
	efer = EFER_LME;
	ck_assert(cr0_paging_switch(CR0_PE, CR0_PE | CR0_TS, 0, true, &efer));
	ck_assert_uint_eq(efer, EFER_LME);
	efer = EFER_LME | EFER_LMA;
	ck_assert(cr0_paging_switch(CR0_PE | CR0_PG, CR0_PE | CR0_PG | CR0_TS, CR4_PAE, true, &efer));
	ck_assert_uint_eq(efer, EFER_LME | EFER_LMA);
}
END_TEST

START_TEST(test_paging_off_leaves_ia32e)
{
	/* From compatibility mode (cr0_guest_write refuses it from 64-bit mode): LMA clears, LME stays. */
	uint64_t efer = EFER_LME | EFER_LMA;
	ck_assert(cr0_paging_switch(CR0_PE | CR0_PG, CR0_PE, CR4_PAE, false, &efer));
	ck_assert_uint_eq(efer, EFER_LME);
	uint64_t shadow;
	ck_assert(!cr0_guest_write(CR0_PE, true, &shadow));
	ck_assert(cr0_guest_write(CR0_PE, false, &shadow));
	/* Real mode: PE and PG clear is a value a guest may load (an unrestricted guest runs it). */
	ck_assert(cr0_guest_write(0, false, &shadow));
	ck_assert_uint_eq(shadow, CR0_ET);
}
END_TEST

START_TEST(test_pae_legacy_paging)
{
	ck_assert(cr_pae_legacy_paging(CR0_PE | CR0_PG, CR4_PAE, 0));
	ck_assert(cr_pae_legacy_paging(CR0_PE | CR0_PG, CR4_PAE, EFER_LME)); /* LME before PG: LMA is what counts */
	ck_assert(!cr_pae_legacy_paging(CR0_PE | CR0_PG, CR4_PAE, EFER_LME | EFER_LMA));
	ck_assert(!cr_pae_legacy_paging(CR0_PE, CR4_PAE, 0));
	ck_assert(!cr_pae_legacy_paging(CR0_PE | CR0_PG, 0, 0));
}
END_TEST

START_TEST(test_pdpte_reserved_bits)
{
	ck_assert(cr_pdpte_ok(0, 36));
	ck_assert(cr_pdpte_ok(0x12345001, 36));
	ck_assert(cr_pdpte_ok(0xfffffffe, 36));                   /* not present: anything goes */
	ck_assert(cr_pdpte_ok(0x1 | (1ull << 35) | 0x18, 36));    /* PWT, PCD, the top address bit */
	for (unsigned b = 1; b < 9; b++) {
		bool reserved = b == 1 || b == 2 || (b >= 5 && b <= 8);
		ck_assert_msg(cr_pdpte_ok(1 | (1ull << b), 36) == !reserved, "bit %u", b);
	}
	ck_assert(!cr_pdpte_ok(1 | (1ull << 36), 36));
	ck_assert(cr_pdpte_ok(1 | (1ull << 36), 40));
	ck_assert(!cr_pdpte_ok(1 | (1ull << 63), 52)); /* XD is reserved in a PDPTE */
}
END_TEST

static Suite *cr_access_suite(void)
{
	Suite *s = suite_create("hv_cr_access");
	TCase *d = tcase_create("decode");
	tcase_add_test(d, test_sdm_examples);
	tcase_add_test(d, test_mov_every_cr_and_gpr);
	tcase_add_test(d, test_lmsw_source_extremes);
	tcase_add_test(d, test_reserved_bits_ignored);
	tcase_add_test(d, test_invalid_cr_numbers);
	suite_add_tcase(s, d);
	TCase *c0 = tcase_create("cr0");
	tcase_add_test(c0, test_cr0_typical);
	tcase_add_test(c0, test_cr0_upper_bits_gp);
	tcase_add_test(c0, test_cr0_pg_without_pe);
	tcase_add_test(c0, test_cr0_nw_without_cd);
	tcase_add_test(c0, test_cr0_clear_pg_in_long_mode);
	tcase_add_test(c0, test_cr0_reserved_low_bits_ignored);
	tcase_add_test(c0, test_cr0_et_forced);
	tcase_add_test(c0, test_lmsw);
	suite_add_tcase(s, c0);
	TCase *c4 = tcase_create("cr4");
	tcase_add_test(c4, test_cr4_each_allowed_bit);
	tcase_add_test(c4, test_cr4_vmxe_refused);
	tcase_add_test(c4, test_cr4_other_bits_refused);
	tcase_add_test(c4, test_cr4_pae_in_long_mode);
	suite_add_tcase(s, c4);
	TCase *r = tcase_create("real_and_others");
	tcase_add_test(r, test_cr0_real);
	tcase_add_test(r, test_cr4_real);
	tcase_add_test(r, test_cr3_width);
	tcase_add_test(r, test_cr8);
	tcase_add_test(r, test_paging_on_with_lme_enters_ia32e);
	tcase_add_test(r, test_paging_on_without_lme_stays_legacy);
	tcase_add_test(r, test_paging_off_leaves_ia32e);
	tcase_add_test(r, test_pae_legacy_paging);
	tcase_add_test(r, test_pdpte_reserved_bits);
	suite_add_tcase(s, r);
	return s;
}

int main(void)
{
	return run_suite(cr_access_suite(), CK_NORMAL);
}
