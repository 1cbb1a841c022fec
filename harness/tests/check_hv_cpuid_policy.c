/*
 * Unit tests of hypervisor/vmx/cpuid_policy.c: what CPUID returns to a vexit
 * guest, given the host's values (SDM Vol. 2 CPUID):
 *  - leaf 1 ECX: VMX 5, SMX 6, MONITOR 3, PCID 17, x2APIC 21, TSC-deadline 24,
 *    and the MSR-backed DTES64 2, DS-CPL 4, EST 7, TM2 8, xTPR 14, PDCM 15, DCA 18
 *    hidden; OSXSAVE 27 mirrors the guest's CR4.OSXSAVE; bit 31 (reserved for
 *    hypervisor use) set; EDX: APIC 9, MTRR 12, MCA 14, DS 21, ACPI 22, TM 29,
 *    PBE 31 hidden, but APIC 9 shown to a VM with a local APIC (an external
 *    kernel's); EBX 31:24 (the initial APIC ID) 0, the ID vexit's APIC has;
 *    EAX, the rest of EBX and every other bit as the host's;
 *  - leaf 7 subleaf 0: EBX SGX 2, INVPCID 10, RDT-M 12, MPX 14, RDT-A 15, PT 25;
 *    ECX PKU 3, OSPKE 4, LA57 16; EDX 26-31 (speculation-control and capability
 *    MSRs) hidden; other subleaves untouched;
 *    TSC_ADJUST (EBX 1) passes (vexit virtualizes it); RDPID (ECX 22) and, in
 *    leaf 80000001H EDX, RDTSCP (27) only with "enable RDTSCP" (SDM 26.3);
 *  - a leaf above the highest basic or extended one answers as the guest's highest basic leaf;
 *  - IA32_MISC_ENABLE (Vol. 4 table 2-2): bit 18 shows MONITOR (leaf 1 ECX 3) and
 *    leaf 5; bit 22 limits leaf 0 EAX to 2, a higher basic leaf answering as leaf 2;
 *    bit 34 hides NX (leaf 80000001H EDX 20);
 *  - leaf 0DH: no IA32_XSS, so subleaf 1 ECX:EDX and supervisor components' subleaves 0;
 *  - leaves 6 (thermal/power), 0xA (PMU: vexit #GPs every PMU MSR), 0xF and 0x10
 *    (RDT), 0x12 (SGX), 0x14 (processor trace): all zero;
 *  - 0x40000000: EAX max hypervisor leaf, EBX:ECX:EDX "vexit-vmm-v1";
 *    0x40000001: EAX features, EBX ABI version; the rest of 0x4000xxxx-0x4FFFFFFF zero.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "include/vexit_abi.h"
#include "run_suite.h"
#include "vmx/cpuid_policy.h"
#include "vmx/cr_access.h"

#define HIDDEN1 CPUID1_ECX_HIDDEN

static void view_vm(uint32_t leaf, uint32_t subleaf, const struct cpuid_vm *vm, const uint32_t in[4], uint32_t out[4])
{
	memcpy(out, in, 4 * sizeof(uint32_t));
	cpuid_guest_view(leaf, subleaf, vm, out);
}

/* A VM at power-on (MISC_ENABLE's R/W bits clear), without an APIC or RDTSCP, with this CR4. */
static void view(uint32_t leaf, uint32_t subleaf, uint64_t cr4, const uint32_t in[4], uint32_t out[4])
{
	const struct cpuid_vm vm = { .cr4 = cr4 };
	view_vm(leaf, subleaf, &vm, in, out);
}

/* --- leaf 1 ---------------------------------------------------------------------------- */

START_TEST(test_leaf1_bit_numbers)
{
	/* The SDM's bit positions, so a wrong define would show. */
	ck_assert_uint_eq(CPUID1_ECX_MONITOR, 1u << 3);
	ck_assert_uint_eq(CPUID1_ECX_VMX, 1u << 5);
	ck_assert_uint_eq(CPUID1_ECX_SMX, 1u << 6);
	ck_assert_uint_eq(CPUID1_ECX_PCID, 1u << 17);
	ck_assert_uint_eq(CPUID1_ECX_X2APIC, 1u << 21);
	ck_assert_uint_eq(CPUID1_ECX_TSC_DEADLINE, 1u << 24);
	ck_assert_uint_eq(CPUID1_ECX_OSXSAVE, 1u << 27);
	ck_assert_uint_eq(CPUID1_ECX_HYPERVISOR, 1u << 31);
	ck_assert_uint_eq(CPUID7_EBX_INVPCID, 1u << 10);
	ck_assert_uint_eq(CPUID7_ECX_PKU, 1u << 3);
	ck_assert_uint_eq(CPUID7_ECX_OSPKE, 1u << 4);
	ck_assert_uint_eq(CPUID7_ECX_LA57, 1u << 16);
	ck_assert_uint_eq(CPUID1_ECX_HIDDEN, (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) | (1u << 7) |
						     (1u << 8) | (1u << 14) | (1u << 15) | (1u << 17) | (1u << 18) |
						     (1u << 21) | (1u << 24));
	ck_assert_uint_eq(CPUID1_EDX_HIDDEN, (1u << 9) | (1u << 12) | (1u << 14) | (1u << 21) | (1u << 22) |
						     (1u << 29) | (1u << 31));
	ck_assert_uint_eq(CPUID7_EBX_HIDDEN, (1u << 2) | (1u << 10) | (1u << 12) | (1u << 14) | (1u << 15) | (1u << 25));
	ck_assert_uint_eq(CPUID7_EDX_HIDDEN, 0xfc000000u);
}
END_TEST

START_TEST(test_leaf1_all_ones)
{
	const uint32_t host[4] = { 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu };
	uint32_t r[4];
	view(1, 0, CR4_PAE | CR4_OSXSAVE, host, r);
	ck_assert_uint_eq(r[0], 0xffffffffu);
	ck_assert_uint_eq(r[1], 0x00ffffffu);
	ck_assert_uint_eq(r[2], 0xffffffffu & ~HIDDEN1);
	ck_assert_uint_eq(r[3], 0xffffffffu & ~CPUID1_EDX_HIDDEN);
	/* Without the guest's OSXSAVE, bit 27 goes too. */
	view(1, 0, CR4_PAE, host, r);
	ck_assert_uint_eq(r[2], 0xffffffffu & ~(HIDDEN1 | CPUID1_ECX_OSXSAVE));
	ck_assert_uint_eq(r[0], 0xffffffffu);
	ck_assert_uint_eq(r[1], 0x00ffffffu);
	ck_assert_uint_eq(r[3], 0xffffffffu & ~CPUID1_EDX_HIDDEN);
}
END_TEST

START_TEST(test_leaf1_apic)
{
	/* A VM with a local APIC sees CPUID.1:EDX.APIC, set or not on the host; x2APIC stays hidden. */
	const uint32_t host[4] = { 0x000906ea, 0x05100800, CPUID1_ECX_X2APIC, 0 };
	uint32_t r[4];
	memcpy(r, host, sizeof(r));
	const struct cpuid_vm with_apic = { .apic = true }, without = { .apic = false };
	cpuid_guest_view(1, 0, &with_apic, r);
	ck_assert_uint_eq(r[3], CPUID1_EDX_APIC);
	ck_assert_uint_eq(r[2] & CPUID1_ECX_X2APIC, 0);
	ck_assert_uint_eq(r[1], 0x00100800); /* APIC ID 5 on the host, 0 in the guest */
	memcpy(r, host, sizeof(r));
	r[3] = CPUID1_EDX_APIC;
	cpuid_guest_view(1, 0, &without, r);
	ck_assert_uint_eq(r[3], 0);
}
END_TEST

START_TEST(test_leaf1_all_zeros)
{
	const uint32_t host[4] = { 0, 0, 0, 0 };
	uint32_t r[4];
	view(1, 0, 0, host, r);
	ck_assert_uint_eq(r[0], 0);
	ck_assert_uint_eq(r[1], 0);
	ck_assert_uint_eq(r[2], CPUID1_ECX_HYPERVISOR); /* set even when the host did not */
	ck_assert_uint_eq(r[3], 0);
	/* OSXSAVE follows the guest's CR4 even when the host's bit is clear. */
	view(1, 0, CR4_OSXSAVE, host, r);
	ck_assert_uint_eq(r[2], CPUID1_ECX_HYPERVISOR | CPUID1_ECX_OSXSAVE);
}
END_TEST

START_TEST(test_leaf1_each_hidden_bit)
{
	static const uint32_t hidden[] = { CPUID1_ECX_VMX, CPUID1_ECX_SMX, CPUID1_ECX_MONITOR, CPUID1_ECX_PCID,
					   CPUID1_ECX_X2APIC, CPUID1_ECX_TSC_DEADLINE };
	for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++) {
		const uint32_t host[4] = { 0x000906ea, 0x00100800, hidden[i] | 0x1, 0x178bfbff };
		uint32_t r[4];
		view(1, 0, CR4_PAE, host, r);
		ck_assert_uint_eq(r[2], 0x1 | CPUID1_ECX_HYPERVISOR);
		ck_assert_uint_eq(r[0], 0x000906ea);
		ck_assert_uint_eq(r[1], 0x00100800);
		ck_assert_uint_eq(r[3], 0x178bfbff & ~CPUID1_EDX_HIDDEN);
	}
}
END_TEST

START_TEST(test_leaf1_other_ecx_bits_kept)
{
	/* Each ECX bit that is not hidden (and not OSXSAVE/31) passes through alone. */
	for (unsigned b = 0; b < 31; b++) {
		uint32_t bit = 1u << b;
		if (bit & (HIDDEN1 | CPUID1_ECX_OSXSAVE))
			continue;
		const uint32_t host[4] = { 0, 0, bit, 0 };
		uint32_t r[4];
		view(1, 0, 0, host, r);
		ck_assert_msg(r[2] == (bit | CPUID1_ECX_HYPERVISOR), "ECX bit %u: 0x%x", b, r[2]);
	}
}
END_TEST

START_TEST(test_leaf1_osxsave_both_ways)
{
	/* Host OSXSAVE on, guest CR4.OSXSAVE off: hidden. */
	const uint32_t on[4] = { 0, 0, CPUID1_ECX_OSXSAVE | (1u << 26), 0 };
	uint32_t r[4];
	view(1, 0, CR4_PAE | CR4_OSFXSR, on, r);
	ck_assert_uint_eq(r[2] & CPUID1_ECX_OSXSAVE, 0);
	ck_assert_uint_eq(r[2] & (1u << 26), 1u << 26); /* XSAVE itself stays */
	/* Host off, guest on: shown. */
	const uint32_t off[4] = { 0, 0, 1u << 26, 0 };
	view(1, 0, CR4_OSXSAVE, off, r);
	ck_assert_uint_eq(r[2] & CPUID1_ECX_OSXSAVE, CPUID1_ECX_OSXSAVE);
	/* Only bit 18 of CR4 matters: every other bit set, OSXSAVE still clear. */
	view(1, 0, ~CR4_OSXSAVE, on, r);
	ck_assert_uint_eq(r[2] & CPUID1_ECX_OSXSAVE, 0);
	view(1, 0, CR4_OSXSAVE, on, r);
	ck_assert_uint_eq(r[2] & CPUID1_ECX_OSXSAVE, CPUID1_ECX_OSXSAVE);
}
END_TEST

/* --- leaf 7 ---------------------------------------------------------------------------- */

START_TEST(test_leaf7_subleaf0)
{
	const uint32_t host[4] = { 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu };
	uint32_t r[4];
	view(7, 0, CR4_PAE | CR4_OSXSAVE, host, r);
	ck_assert_uint_eq(r[0], 0xffffffffu);
	ck_assert_uint_eq(r[1], 0xffffffffu & ~CPUID7_EBX_HIDDEN);
	ck_assert_uint_eq(r[2], 0xffffffffu & ~(CPUID7_ECX_PKU | CPUID7_ECX_OSPKE | CPUID7_ECX_LA57 |
						CPUID7_ECX_RDPID | CPUID7_ECX_WAITPKG));
	ck_assert_uint_eq(r[3], 0xffffffffu & ~(CPUID7_EDX_HIDDEN | CPUID7_EDX_AMX));
	/* Each hidden bit alone. */
	const uint32_t inv[4] = { 0, CPUID7_EBX_INVPCID | 1u, 0, 0 };
	view(7, 0, 0, inv, r);
	ck_assert_uint_eq(r[1], 1u);
	const uint32_t pk[4] = { 0, 0, CPUID7_ECX_PKU | 0x4u, 0 };
	view(7, 0, 0, pk, r);
	ck_assert_uint_eq(r[2], 0x4u);
	const uint32_t ospke[4] = { 0, 0, CPUID7_ECX_OSPKE, 0 };
	view(7, 0, 0, ospke, r);
	ck_assert_uint_eq(r[2], 0);
	const uint32_t la57[4] = { 0, 0, CPUID7_ECX_LA57, 0 };
	view(7, 0, 0, la57, r);
	ck_assert_uint_eq(r[2], 0);
	/* No hypervisor bit added here. */
	const uint32_t zero[4] = { 0, 0, 0, 0 };
	view(7, 0, 0, zero, r);
	ck_assert(r[0] == 0 && r[1] == 0 && r[2] == 0 && r[3] == 0);
}
END_TEST

START_TEST(test_leaf7_other_subleaves_untouched)
{
	/* Subleaf 1 loses only AMX's bits (test_amx_hidden). */
	const uint32_t host[4] = { 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu };
	static const uint32_t subs[] = { 2, 0x80000000u, 0xffffffffu };
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		uint32_t r[4];
		view(7, subs[i], CR4_OSXSAVE, host, r);
		ck_assert_msg(memcmp(r, host, sizeof(r)) == 0, "leaf 7 subleaf %u changed", subs[i]);
	}
}
END_TEST

/* --- hypervisor leaves ---------------------------------------------------------------------- */

START_TEST(test_hv_signature)
{
	const uint32_t host[4] = { 0x12345678u, 0x9abcdef0u, 0x0fedcba9u, 0x87654321u };
	uint32_t r[4];
	view(0x40000000u, 0, 0, host, r);
	ck_assert_uint_eq(r[0], 0x40000001u); /* the largest hypervisor leaf */
	char sig[13];
	memcpy(sig, &r[1], 4);
	memcpy(sig + 4, &r[2], 4);
	memcpy(sig + 8, &r[3], 4);
	sig[12] = '\0';
	ck_assert_str_eq(sig, "vexit-vmm-v1");
	ck_assert_str_eq(VEXIT_CPUID_SIGNATURE, "vexit-vmm-v1");
	/* By value too, independent of host byte order: "vexi" = 76 65 78 69. */
	ck_assert_uint_eq(r[1], 0x69786576u);
	ck_assert_uint_eq(r[2], 0x6d762d74u); /* "t-vm" */
	ck_assert_uint_eq(r[3], 0x31762d6du); /* "m-v1" */
}
END_TEST

START_TEST(test_hv_features)
{
	const uint32_t host[4] = { 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu };
	uint32_t r[4];
	view(0x40000001u, 0, 0, host, r);
	ck_assert_uint_eq(r[0], VEXIT_CPUID_FEATURES);
	ck_assert_uint_eq(r[0], 0x7u); /* hypercalls, synthetic MSRs, exit trace */
	ck_assert_uint_eq(r[1], VEXIT_ABI_VERSION);
	ck_assert_uint_eq(r[2], 0);
	ck_assert_uint_eq(r[3], 0);
	/* The subleaf and CR4 do not matter. */
	view(0x40000001u, 5, CR4_OSXSAVE, host, r);
	ck_assert_uint_eq(r[0], VEXIT_CPUID_FEATURES);
	ck_assert_uint_eq(r[1], VEXIT_ABI_VERSION);
}
END_TEST

START_TEST(test_hv_range_zero)
{
	const uint32_t host[4] = { 0xdeadbeefu, 0xdeadbeefu, 0xdeadbeefu, 0xdeadbeefu };
	static const uint32_t leaves[] = { 0x40000002u, 0x40000003u, 0x40000010u, 0x40000100u, 0x40010000u,
					   0x4fffffffu };
	for (size_t i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		uint32_t r[4];
		view(leaves[i], 0, CR4_OSXSAVE, host, r);
		ck_assert_msg(r[0] == 0 && r[1] == 0 && r[2] == 0 && r[3] == 0, "leaf 0x%x not zero", leaves[i]);
	}
}
END_TEST

START_TEST(test_other_leaves_untouched)
{
	const uint32_t host[4] = { 0xffffffffu, 0xa5a5a5a5u, 0xffffffffu, 0x5a5a5a5au };
	static const uint32_t leaves[] = { 0, 2, 4, 0xb, 0x13, 0x15, 0x3fffffffu, 0x50000000u, 0x80000000u,
					   0x80000008u, 0xffffffffu };
	for (size_t i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		uint32_t r[4];
		view(leaves[i], 0, CR4_OSXSAVE, host, r);
		ck_assert_msg(memcmp(r, host, sizeof(r)) == 0, "leaf 0x%x changed", leaves[i]);
		view(leaves[i], 1, 0, host, r);
		ck_assert_msg(memcmp(r, host, sizeof(r)) == 0, "leaf 0x%x subleaf 1 changed", leaves[i]);
	}
}
END_TEST

START_TEST(test_controls_we_leave_off_are_hidden)
{
	/* SDM 26.3: these #UD unless an "enable" control vexit does not set is 1. */
	const uint32_t ones[4] = { 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu };
	uint32_t r[4];
	view(0x80000001u, 0, 0, ones, r);
	ck_assert_uint_eq(r[3], 0xffffffffu & ~CPUID80000001_EDX_RDTSCP);
	ck_assert_uint_eq(r[0] & r[1] & r[2], 0xffffffffu);
	view(0xd, 1, 0, ones, r);
	ck_assert_uint_eq(r[0], 0xffffffffu & ~(CPUIDD1_EAX_XSAVES | CPUIDD1_EAX_XFD));
	view(7, 0, 0, ones, r);
	ck_assert_uint_eq(r[2] & (CPUID7_ECX_RDPID | CPUID7_ECX_WAITPKG), 0);
}
END_TEST

START_TEST(test_leaf1_each_hidden_edx_bit)
{
	for (unsigned b = 0; b < 32; b++) {
		uint32_t bit = 1u << b;
		const uint32_t host[4] = { 0, 0, 0, bit };
		uint32_t r[4];
		view(1, 0, 0, host, r);
		ck_assert_msg(r[3] == ((bit & CPUID1_EDX_HIDDEN) ? 0 : bit), "EDX bit %u: 0x%x", b, r[3]);
	}
}
END_TEST

/* vexit advertised a PMU (leaf 0xA) and #GPed on every PMU MSR: a leaf that describes only what it
 * does not virtualize now reads as all zero, for every subleaf and whatever the host says. */
START_TEST(test_unvirtualized_leaves_zero)
{
	const uint32_t host[4] = { 0x07300805u, 0xffffffffu, 0xffffffffu, 0x00000603u };
	static const uint32_t leaves[] = { CPUID_LEAF_THERMAL_POWER, CPUID_LEAF_PMU, CPUID_LEAF_RDT_MONITORING,
					   CPUID_LEAF_RDT_ALLOCATION, CPUID_LEAF_SGX, CPUID_LEAF_PT };
	static const uint32_t numbers[] = { 6, 0xa, 0xf, 0x10, 0x12, 0x14 };
	for (size_t i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		ck_assert_uint_eq(leaves[i], numbers[i]);
		for (uint32_t sub = 0; sub < 3; sub++) {
			uint32_t r[4];
			view(leaves[i], sub, CR4_OSXSAVE, host, r);
			ck_assert_msg(r[0] == 0 && r[1] == 0 && r[2] == 0 && r[3] == 0, "leaf 0x%x.%u not zero",
				      leaves[i], sub);
		}
	}
}
END_TEST

/* --- what the VM's state and controls make CPUID say ----------------------------------------------- */

START_TEST(test_rdtscp_when_enabled)
{
	/* With "enable RDTSCP" (SDM 26.3), RDTSCP and RDPID work, and CPUID says so. */
	const uint32_t ones[4] = { 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu };
	const struct cpuid_vm vm = { .rdtscp = true };
	uint32_t r[4];
	view_vm(0x80000001u, 0, &vm, ones, r);
	ck_assert_uint_eq(r[3], 0xffffffffu);
	view_vm(7, 0, &vm, ones, r);
	ck_assert_uint_eq(r[2] & CPUID7_ECX_RDPID, CPUID7_ECX_RDPID);
	ck_assert_uint_eq(r[2] & CPUID7_ECX_WAITPKG, 0);
	/* Not shown where the host has neither. */
	const uint32_t zero[4] = { 0, 0, 0, 0 };
	view_vm(0x80000001u, 0, &vm, zero, r);
	ck_assert_uint_eq(r[3], 0);
	/* TSC_ADJUST (leaf 7 EBX bit 1) is virtualized: the host's bit passes. */
	ck_assert_uint_eq(CPUID7_EBX_TSC_ADJUST, 1u << 1);
	ck_assert_uint_eq(CPUID7_EBX_HIDDEN & CPUID7_EBX_TSC_ADJUST, 0);
	view_vm(7, 0, &vm, ones, r);
	ck_assert_uint_eq(r[1] & CPUID7_EBX_TSC_ADJUST, CPUID7_EBX_TSC_ADJUST);
}
END_TEST

START_TEST(test_monitor_follows_misc_enable)
{
	/* SDM Vol. 4 table 2-2, IA32_MISC_ENABLE bit 18: CPUID.01H:ECX.MONITOR follows it. */
	const uint32_t host1[4] = { 0, 0, CPUID1_ECX_MONITOR | 1u, 0 };
	const uint32_t host5[4] = { 0x40, 0x40, 3, 0x11142120 };
	const struct cpuid_vm off = { .misc_enable = 0x1801 }, on = { .misc_enable = 0x1801 | (1ull << 18) };
	uint32_t r[4];
	view_vm(1, 0, &off, host1, r);
	ck_assert_uint_eq(r[2], 1u | CPUID1_ECX_HYPERVISOR);
	view_vm(1, 0, &on, host1, r);
	ck_assert_uint_eq(r[2], CPUID1_ECX_MONITOR | 1u | CPUID1_ECX_HYPERVISOR);
	/* Never where the host has none. */
	const uint32_t none[4] = { 0, 0, 1u, 0 };
	view_vm(1, 0, &on, none, r);
	ck_assert_uint_eq(r[2], 1u | CPUID1_ECX_HYPERVISOR);
	/* Leaf 5, MONITOR/MWAIT's parameters: only while MONITOR is there. */
	ck_assert_uint_eq(CPUID_LEAF_MONITOR, 5);
	view_vm(5, 0, &off, host5, r);
	ck_assert(r[0] == 0 && r[1] == 0 && r[2] == 0 && r[3] == 0);
	view_vm(5, 0, &on, host5, r);
	ck_assert_mem_eq(r, host5, sizeof(r));
}
END_TEST

/* A VM offered x87, SSE, AVX and AVX-512 (2688 bytes), as test_xcr0_components_offered's. */
static const struct xsave_offer range_offer = { .xcr0 = 0xe7, .bytes = 2688 };
static const struct cpuid_vm spr_vm_for_range = { .xsave = &range_offer };

START_TEST(test_limit_cpuid_maxval)
{
	/* SDM Vol. 4 table 2-2, IA32_MISC_ENABLE bit 22: CPUID.00H:EAX reads 2. */
	const uint32_t host0[4] = { 0x16, 0x756e6547, 0x6c65746e, 0x49656e69 };
	const struct cpuid_vm limited = { .misc_enable = 1ull << 22 }, open = { 0 };
	uint32_t r[4];
	view_vm(0, 0, &limited, host0, r);
	ck_assert_uint_eq(r[0], 2);
	ck_assert_uint_eq(r[1], host0[1]);
	ck_assert_uint_eq(r[2], host0[2]);
	ck_assert_uint_eq(r[3], host0[3]);
	view_vm(0, 0, &open, host0, r);
	ck_assert_uint_eq(r[0], 0x16);
	/* A basic leaf above 2 answers as leaf 2 (the highest one then); the others are themselves. */
	static const struct cpuid_limits skx = { 0x16, 0x80000008u }; /* Bochs's corei7_skylake_x */
	static const uint32_t above[] = { 3, 4, 7, 0xd, 0x16 };
	for (size_t i = 0; i < sizeof(above) / sizeof(above[0]); i++) {
		ck_assert_uint_eq(cpuid_guest_leaf(above[i], 1ull << 22, &skx), 2);
		ck_assert_uint_eq(cpuid_guest_leaf(above[i], 0, &skx), above[i]);
	}
	static const uint32_t kept[] = { 0, 1, 2, 0x40000000u, 0x40000001u, 0x4fffffffu, 0x80000000u, 0x80000001u,
					 0x80000008u };
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		ck_assert_uint_eq(cpuid_guest_leaf(kept[i], 1ull << 22, &skx), kept[i]);
	/* Out of range, limited: leaf 2 too, the extended ones above the highest included. */
	ck_assert_uint_eq(cpuid_guest_leaf(0x3fffffffu, 1ull << 22, &skx), 2);
	ck_assert_uint_eq(cpuid_guest_leaf(0xffffffffu, 1ull << 22, &skx), 2);
}
END_TEST

/* A host answering each leaf with its number in EAX and ones elsewhere, and leaf 0DH as a CPU would. */
static void numbered_host(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	r[0] = leaf;
	r[1] = r[2] = r[3] = 0xffffffffu;
	if (leaf == 0xd && subleaf == 0) {
		r[0] = 0x2e7; /* x87, SSE, AVX, AVX-512, PKRU */
		r[2] = 2696;
	}
}

START_TEST(test_out_of_range_leaves)
{
	/*
	 * SDM Vol. 2A CPUID: a leaf above the highest basic or extended one returns the highest basic
	 * leaf's data, as the guest sees that leaf: its policy applies, not the requested leaf's.
	 */
	static const struct cpuid_limits skx = { 0x16, 0x80000008u }, hsw = { 0xd, 0x80000008u };
	static const uint32_t out[] = { 0x17, 0x20, 0x3fffffffu, 0x50000000u, 0x7fffffffu, 0x80000009u, 0xffffffffu };
	for (size_t i = 0; i < sizeof(out) / sizeof(out[0]); i++) {
		ck_assert_uint_eq(cpuid_guest_leaf(out[i], 0, &skx), 0x16);
		ck_assert_uint_eq(cpuid_guest_leaf(out[i], 0, &hsw), 0xd);
	}
	ck_assert_uint_eq(cpuid_guest_leaf(0x16, 0, &hsw), 0xd);
	/* A host whose highest basic leaf is 0DH: leaf 0x20 answers as the guest's 0DH, components filtered. */
	uint32_t r[4];
	cpuid_guest_answer(0x20, 0, &spr_vm_for_range, &hsw, numbered_host, r);
	ck_assert_uint_eq(r[0], 0xe7); /* not PKRU */
	ck_assert_uint_eq(r[2], 2688);
	/* In range, each leaf is its own. */
	cpuid_guest_answer(0x80000008u, 0, &spr_vm_for_range, &hsw, numbered_host, r);
	ck_assert_uint_eq(r[0], 0x80000008u);
	cpuid_guest_answer(0x40000001u, 0, &spr_vm_for_range, &hsw, numbered_host, r);
	ck_assert_uint_eq(r[0], VEXIT_CPUID_FEATURES);
}
END_TEST

START_TEST(test_xd_disable_hides_nx)
{
	const uint32_t host[4] = { 0, 0, 0x121, CPUID80000001_EDX_NX | (1u << 29) };
	const struct cpuid_vm xd_off = { .misc_enable = 1ull << 34 }, xd_on = { 0 };
	uint32_t r[4];
	ck_assert_uint_eq(CPUID80000001_EDX_NX, 1u << 20);
	view_vm(0x80000001u, 0, &xd_off, host, r);
	ck_assert_uint_eq(r[3], 1u << 29);
	ck_assert_uint_eq(r[2], 0x121);
	view_vm(0x80000001u, 0, &xd_on, host, r);
	ck_assert_uint_eq(r[3], CPUID80000001_EDX_NX | (1u << 29));
}
END_TEST

/* A Sapphire Rapids' leaf 0DH: x87, SSE, AVX, AVX-512, PKRU and AMX; of them a VM is offered all but PKRU and
 * AMX (vmx/xcr0.h), whose area ends with Hi16_ZMM at 2688 bytes. */
static const struct xsave_offer spr_offer = { .xcr0 = 0xe7, .bytes = 2688 };
static const struct cpuid_vm spr_vm = { .xsave = &spr_offer };

START_TEST(test_no_supervisor_xsave_state)
{
	/* IA32_XSS is not offered: subleaf 1 ECX:EDX (its bits) read 0, and so do the subleaves of
	 * supervisor components (SDM Vol. 2A CPUID leaf 0DH); offered user ones stay. */
	const uint32_t sub1[4] = { 0x1f, 0x3c0, 0x1900, 0x1 };
	const uint32_t pt[4] = { 0x80, 0, 1, 0 };       /* component 8 (PT): supervisor */
	const uint32_t avx[4] = { 0x100, 0x240, 0, 0 };  /* component 2 (AVX): user */
	uint32_t r[4];
	view_vm(0xd, 1, &spr_vm, sub1, r);
	ck_assert_uint_eq(r[0], 0x7); /* XSAVEOPT, XSAVEC, XGETBV with ECX=1; not XSAVES, nor XFD */
	ck_assert_uint_eq(r[1], 0x3c0);
	ck_assert_uint_eq(r[2] | r[3], 0);
	view_vm(0xd, 8, &spr_vm, pt, r);
	ck_assert(r[0] == 0 && r[1] == 0 && r[2] == 0 && r[3] == 0);
	view_vm(0xd, 2, &spr_vm, avx, r);
	ck_assert_mem_eq(r, avx, sizeof(r));
}
END_TEST

START_TEST(test_xcr0_components_offered)
{
	/* Subleaf 0: EDX:EAX only what XSETBV accepts, ECX that area; EBX (the current XCR0's area) the host's. */
	const uint32_t sub0[4] = { 0x602e7, 0xa88, 0x2b00, 0 };
	uint32_t r[4];
	view_vm(0xd, 0, &spr_vm, sub0, r);
	ck_assert_uint_eq(r[0], 0xe7);
	ck_assert_uint_eq(r[1], 0xa88);
	ck_assert_uint_eq(r[2], 2688);
	ck_assert_uint_eq(r[3], 0);
	/* The subleaves of PKRU (9), TILECFG (17), TILEDATA (18), and of no component (63, 64, and beyond), read 0. */
	const uint32_t ones[4] = { 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu };
	static const uint32_t hidden[] = { 9, 17, 18, 63, 64, 0xffffffffu };
	for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++) {
		view_vm(0xd, hidden[i], &spr_vm, ones, r);
		ck_assert_msg((r[0] | r[1] | r[2] | r[3]) == 0, "subleaf %u shown", hidden[i]);
	}
	/* AVX-512's (7) stays. */
	const uint32_t hi16[4] = { 1024, 1664, 0, 0 };
	view_vm(0xd, 7, &spr_vm, hi16, r);
	ck_assert_mem_eq(r, hi16, sizeof(r));
	/* No XSAVE offered at all (0 components): nothing named, and no area. */
	const struct cpuid_vm none = { 0 };
	view_vm(0xd, 0, &none, sub0, r);
	ck_assert_uint_eq(r[0] | r[2] | r[3], 0);
}
END_TEST

START_TEST(test_amx_hidden)
{
	/* Leaf 7: AMX-BF16, AMX-TILE, AMX-INT8 (subleaf 0 EDX 22, 24, 25), AMX-FP16 (subleaf 1 EAX 21) and
	 * AMX-COMPLEX (subleaf 1 EDX 8) hidden; AVX512-FP16 (EDX 23) kept; leaves 1DH and 1EH all zero. */
	const uint32_t edx = (1u << 22) | (1u << 23) | (1u << 24) | (1u << 25);
	const uint32_t leaf7[4] = { 0, 0, 0, edx }, leaf7_1[4] = { (1u << 21) | (1u << 5), 0, 0, (1u << 8) | (1u << 4) };
	uint32_t r[4];
	view(7, 0, 0, leaf7, r);
	ck_assert_uint_eq(r[3], 1u << 23);
	view(7, 1, 0, leaf7_1, r);
	ck_assert_uint_eq(r[0], 1u << 5);
	ck_assert_uint_eq(r[3], 1u << 4);
	const uint32_t ones[4] = { 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu };
	view(CPUID_LEAF_AMX_PALETTE, 1, 0, ones, r);
	ck_assert_uint_eq(r[0] | r[1] | r[2] | r[3], 0);
	view(CPUID_LEAF_AMX_TMUL, 0, 0, ones, r);
	ck_assert_uint_eq(r[0] | r[1] | r[2] | r[3], 0);
}
END_TEST

static Suite *cpuid_policy_suite(void)
{
	Suite *s = suite_create("hv_cpuid_policy");
	TCase *vmstate = tcase_create("vm_state");
	tcase_add_test(vmstate, test_rdtscp_when_enabled);
	tcase_add_test(vmstate, test_monitor_follows_misc_enable);
	tcase_add_test(vmstate, test_limit_cpuid_maxval);
	tcase_add_test(vmstate, test_out_of_range_leaves);
	tcase_add_test(vmstate, test_xd_disable_hides_nx);
	tcase_add_test(vmstate, test_no_supervisor_xsave_state);
	tcase_add_test(vmstate, test_xcr0_components_offered);
	tcase_add_test(vmstate, test_amx_hidden);
	suite_add_tcase(s, vmstate);
	TCase *l1 = tcase_create("leaf1");
	tcase_add_test(l1, test_leaf1_bit_numbers);
	tcase_add_test(l1, test_leaf1_all_ones);
	tcase_add_test(l1, test_leaf1_all_zeros);
	tcase_add_test(l1, test_leaf1_apic);
	tcase_add_test(l1, test_leaf1_each_hidden_bit);
	tcase_add_test(l1, test_leaf1_other_ecx_bits_kept);
	tcase_add_test(l1, test_leaf1_osxsave_both_ways);
	tcase_add_test(l1, test_leaf1_each_hidden_edx_bit);
	suite_add_tcase(s, l1);
	TCase *l7 = tcase_create("leaf7");
	tcase_add_test(l7, test_leaf7_subleaf0);
	tcase_add_test(l7, test_leaf7_other_subleaves_untouched);
	tcase_add_test(l7, test_controls_we_leave_off_are_hidden);
	suite_add_tcase(s, l7);
	TCase *hv = tcase_create("hypervisor_leaves");
	tcase_add_test(hv, test_hv_signature);
	tcase_add_test(hv, test_hv_features);
	tcase_add_test(hv, test_hv_range_zero);
	tcase_add_test(hv, test_other_leaves_untouched);
	tcase_add_test(hv, test_unvirtualized_leaves_zero);
	suite_add_tcase(s, hv);
	return s;
}

int main(void)
{
	return run_suite(cpuid_policy_suite(), CK_NORMAL);
}
