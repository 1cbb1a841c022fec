/*
 * Unit tests of hypervisor/vmx/cpuid_table.c, the CPUID answers a vCPU computes ahead:
 *  - every answer the table gives equals the policy's (cpuid_guest_answer) for the same
 *    leaf, any subleaf, and the VM's state, over many states, and still after the guest's
 *    CR4 (OSXSAVE) and the CPU's XCR0 and CR4 change, which the table must not have frozen;
 *  - it holds what it should: the basic leaves without subleaves, the extended leaves, and
 *    every out-of-range leaf (as the highest basic leaf); and not leaves with subleaves (4, 7,
 *    0BH, 0DH) nor vexit's own;
 *  - leaf 1 is the one that follows CR4.OSXSAVE; an invalidated table holds nothing.
 * The host is a model of Bochs's corei7_skylake_x (make bench's), with the parts of a real
 * CPU's answers that move: OSXSAVE and OSPKE with its CR4, leaf 0DH's EBX with its XCR0, its
 * APIC ID in leaf 1 and 0BH.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "include/x86_arch.h"
#include "quiet_assert.h"
#include "run_suite.h"
#include "vmx/cpuid_policy.h"
#include "vmx/cpuid_table.h"
#include "vmx/xcr0.h"

#define MODEL_MAX_BASIC 0x16u
#define MODEL_MAX_EXTENDED 0x80000008u
#define MODEL_APIC_ID 3u
#define CR4_PKE (1ull << 22) /* protection keys for user-mode pages */

static uint64_t host_cr4, host_xcr0; /* the CPU's, as the exit finds them */

/* Standard-format XSAVE sizes: each enabled component's end (x87 and SSE in the legacy area). */
static uint32_t model_xsave_bytes(uint64_t xcr0)
{
	uint32_t end = XSAVE_LEGACY_AND_HEADER;
	if (xcr0 & XCR0_AVX)
		end = 576 + 256;
	if (xcr0 & XCR0_AVX512)
		end = 2688;
	return end;
}

static void model_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	/* Above the highest leaves: the highest basic leaf's data (SDM Vol. 2A CPUID). */
	if ((leaf > MODEL_MAX_BASIC && leaf < CPUID_EXTENDED_BASE) || leaf > MODEL_MAX_EXTENDED)
		leaf = MODEL_MAX_BASIC;
	r[0] = r[1] = r[2] = r[3] = 0;
	switch (leaf) {
	case 0:
		r[0] = MODEL_MAX_BASIC, r[1] = 0x756e6547, r[2] = 0x6c65746e, r[3] = 0x49656e69;
		break;
	case 1:
		r[0] = 0x50654;
		r[1] = 0x00100800 | MODEL_APIC_ID << 24;
		r[2] = 0x7ffefbff & ~CPUID1_ECX_OSXSAVE;
		if (host_cr4 & CR4_OSXSAVE)
			r[2] |= CPUID1_ECX_OSXSAVE;
		r[3] = 0xbfebfbff;
		break;
	case 2:
		r[0] = 0x76036301, r[1] = 0x00f0b5ff, r[3] = 0x00c30000;
		break;
	case 4:
		if (sub < 4)
			r[0] = 0x1c004121 + sub * 0x20, r[1] = 0x01c0003f, r[2] = 0x3f + sub, r[3] = sub;
		break;
	case 5:
		r[0] = 0x40, r[1] = 0x40, r[2] = 3, r[3] = 0x11142120;
		break;
	case 6:
		r[0] = 0x77, r[1] = 2, r[2] = 9;
		break;
	case 7:
		if (sub == 0) {
			r[1] = 0xd19f4fbb;
			r[2] = CPUID7_ECX_PKU | CPUID7_ECX_RDPID | (host_cr4 & CR4_PKE ? CPUID7_ECX_OSPKE : 0);
			r[3] = CPUID7_EDX_SPEC_CTRL | (1u << 10);
		} else if (sub == 1) {
			r[0] = 1u << 5;
		}
		break;
	case 0xa:
		r[0] = 0x07300805, r[3] = 0x603;
		break;
	case 0xb:
		if (sub < 2)
			r[0] = sub, r[1] = 1, r[2] = sub << 8 | (sub + 1);
		r[3] = MODEL_APIC_ID;
		break;
	case 0xd:
		if (sub == 0) {
			r[0] = (uint32_t)(XCR0_X87 | XCR0_SSE | XCR0_AVX | XCR0_AVX512 | XCR0_PKRU);
			r[1] = model_xsave_bytes(host_xcr0);
			r[2] = 2696;
		} else if (sub == 1) {
			r[0] = 0xf, r[1] = model_xsave_bytes(host_xcr0);
		} else if (sub == 2) {
			r[0] = 256, r[1] = 576;
		}
		break;
	case 0x15:
		r[0] = 2, r[1] = 0x120, r[2] = 24000000;
		break;
	case 0x16:
		r[0] = 3500, r[1] = 4000, r[2] = 100;
		break;
	case 0x80000000u:
		r[0] = MODEL_MAX_EXTENDED;
		break;
	case 0x80000001u:
		r[2] = 0x121, r[3] = CPUID80000001_EDX_RDTSCP | CPUID80000001_EDX_NX | (1u << 29) | (1u << 11);
		break;
	case 0x80000002u:
	case 0x80000003u:
	case 0x80000004u:
		r[0] = leaf, r[1] = 0x20202020, r[2] = 0x6c65746e, r[3] = 0x49656e69;
		break;
	case 0x80000006u:
		r[2] = 0x01006040;
		break;
	case 0x80000007u:
		r[3] = 1u << 8;
		break;
	case 0x80000008u:
		r[0] = 0x3028;
		break;
	default:
		break;
	}
}

/* The VM states a table is filled for: MISC_ENABLE's bits that CPUID reads, an APIC or not, RDTSCP, XSAVE. */
static const uint64_t misc_enables[] = {
	MISC_ENABLE_FAST_STRINGS | MISC_ENABLE_BTS_UNAVAILABLE | MISC_ENABLE_PEBS_UNAVAILABLE,
	MISC_ENABLE_MONITOR,
	MISC_ENABLE_LIMIT_CPUID,
	MISC_ENABLE_XD_DISABLE,
	MISC_ENABLE_MONITOR | MISC_ENABLE_LIMIT_CPUID | MISC_ENABLE_XD_DISABLE,
};
static const struct xsave_offer no_xsave = { 0 }, avx_offer = { XCR0_X87 | XCR0_SSE | XCR0_AVX, 832 },
				 avx512_offer = { XCR0_X87 | XCR0_SSE | XCR0_AVX | XCR0_AVX512, 2688 };
static const struct xsave_offer *const offers[] = { &no_xsave, &avx_offer, &avx512_offer };
#define N_STATES (sizeof(misc_enables) / sizeof(misc_enables[0]) * 2 * 2 * (sizeof(offers) / sizeof(offers[0])))

static struct cpuid_vm state_at(unsigned i)
{
	unsigned n_misc = sizeof(misc_enables) / sizeof(misc_enables[0]);
	return (struct cpuid_vm){
		.misc_enable = misc_enables[i % n_misc],
		.apic = (i / n_misc) & 1,
		.rdtscp = (i / n_misc / 2) & 1,
		.xsave = offers[i / n_misc / 4],
	};
}

/* The leaves asked: every one the table may hold, around its edges, and beyond. */
static const uint32_t leaves[] = {
	0x0, 0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x7, 0x8, 0x9, 0xa, 0xb, 0xc, 0xd, 0xe, 0xf, 0x10, 0x12, 0x14, 0x15,
	0x16, 0x17, 0x19, 0x1a, 0x1c, 0x1d, 0x1f, 0x20, 0x21, 0x3fffffffu, 0x40000000u, 0x40000001u, 0x40000002u,
	0x50000000u, 0x7fffffffu, 0x80000000u, 0x80000001u, 0x80000002u, 0x80000004u, 0x80000005u, 0x80000006u,
	0x80000007u, 0x80000008u, 0x80000009u, 0x8000000fu, 0x80000010u, 0x8000001du, 0xffffffffu,
};
static const uint32_t subleaves[] = { 0, 1, 2, 5, 0xffffffffu };
static const uint64_t guest_cr4s[] = { 0, CR4_OSXSAVE, CR4_PAE | CR4_OSXSAVE, ~CR4_OSXSAVE, ~0ull };
static const uint64_t xcr0s[] = { XCR0_X87, XCR0_X87 | XCR0_SSE | XCR0_AVX, XCR0_X87 | XCR0_SSE | XCR0_AVX | XCR0_AVX512 };
static const uint64_t host_cr4s[] = { CR4_PAE | CR4_VMXE, CR4_PAE | CR4_VMXE | CR4_OSXSAVE | CR4_PKE };

/* Every answer the table gives for state vm equals the policy's, whatever the CPU's and the guest's CR4 and XCR0. */
static unsigned check_against_policy(const struct cpuid_table *t, const struct cpuid_vm *vm, unsigned state)
{
	unsigned held = 0;
	for (size_t x = 0; x < sizeof(xcr0s) / sizeof(xcr0s[0]); x++) {
		for (size_t h = 0; h < sizeof(host_cr4s) / sizeof(host_cr4s[0]); h++) {
			host_xcr0 = xcr0s[x];
			host_cr4 = host_cr4s[h];
			for (size_t c = 0; c < sizeof(guest_cr4s) / sizeof(guest_cr4s[0]); c++) {
				struct cpuid_vm now = *vm;
				now.cr4 = guest_cr4s[c];
				for (size_t l = 0; l < sizeof(leaves) / sizeof(leaves[0]); l++) {
					uint32_t from_table[4];
					if (!cpuid_table_answer(t, leaves[l], now.cr4, from_table))
						continue;
					held++;
					for (size_t s = 0; s < sizeof(subleaves) / sizeof(subleaves[0]); s++) {
						uint32_t policy[4];
						cpuid_guest_answer(leaves[l], subleaves[s], &now, &t->max, model_cpuid,
								   policy);
						for (unsigned r = 0; r < 4; r++)
							quiet_assert_uint_eq(
								from_table[r], policy[r],
								"state %u, leaf 0x%x subleaf 0x%x, register %u, guest CR4 0x%lx, "
								"XCR0 0x%lx, host CR4 0x%lx",
								state, leaves[l], subleaves[s], r, now.cr4, host_xcr0, host_cr4);
					}
				}
			}
		}
	}
	return held;
}

START_TEST(test_table_equals_policy)
{
	for (unsigned i = 0; i < N_STATES; i++) {
		struct cpuid_vm vm = state_at(i);
		/* Filled with the CPU's XCR0 and CR4 of the moment, the guest's CR4 not read. */
		host_xcr0 = XCR0_X87;
		host_cr4 = CR4_PAE | CR4_VMXE | CR4_OSXSAVE;
		struct cpuid_table t;
		memset(&t, 0xa5, sizeof(t));
		vm.cr4 = ~0ull;
		cpuid_table_fill(&t, &vm, model_cpuid);
		ck_assert(t.filled);
		ck_assert_uint_eq(t.max.basic, MODEL_MAX_BASIC);
		ck_assert_uint_eq(t.max.extended, MODEL_MAX_EXTENDED);
		unsigned held = check_against_policy(&t, &vm, i);
		/* Not vacuous: each (XCR0, host CR4, guest CR4) found at least the 25 held leaves of the list. */
		ck_assert_uint_ge(held, 3 * 2 * 5 * 25);
	}
}
END_TEST

START_TEST(test_table_holds_what_it_can)
{
	struct cpuid_vm vm = state_at(0);
	host_xcr0 = XCR0_X87;
	host_cr4 = CR4_PAE;
	struct cpuid_table t;
	memset(&t, 0, sizeof(t));
	cpuid_table_fill(&t, &vm, model_cpuid);
	uint32_t r[4];
	static const uint32_t held[] = { 0, 1, 2, 3, 5, 6, 0xa, 0x15, 0x16, 0x17, 0x1f, 0x20, 0x3fffffffu, 0x50000000u,
					 0x80000000u, 0x80000001u, 0x80000008u, 0x80000009u, 0x8000000fu, 0x80000010u,
					 0xffffffffu };
	for (size_t i = 0; i < sizeof(held) / sizeof(held[0]); i++)
		ck_assert_msg(cpuid_table_answer(&t, held[i], 0, r), "leaf 0x%x not held", held[i]);
	static const uint32_t not_held[] = { 4, 7, 0xb, 0xd, 0xf, 0x10, 0x12, 0x14, 0x40000000u, 0x40000001u,
					     0x40000002u, 0x4fffffffu };
	for (size_t i = 0; i < sizeof(not_held) / sizeof(not_held[0]); i++)
		ck_assert_msg(!cpuid_table_answer(&t, not_held[i], 0, r), "leaf 0x%x held", not_held[i]);
	/* Above the highest basic or extended leaf: leaf 16H's values, in the table's range or not. */
	uint32_t l16[4];
	ck_assert(cpuid_table_answer(&t, 0x16, 0, l16));
	static const uint32_t above[] = { 0x17, 0x1f, 0x20, 0xdac, 0x80000009u, 0x80000010u, 0xffffffffu };
	for (size_t i = 0; i < sizeof(above) / sizeof(above[0]); i++) {
		ck_assert(cpuid_table_answer(&t, above[i], 0, r));
		ck_assert_mem_eq(r, l16, sizeof(r));
	}
	/* The fast path's: every held basic leaf but 1 is fixed; leaf 1 follows CR4.OSXSAVE. */
	ck_assert(cpuid_table_fixed(&t, 0));
	ck_assert(!cpuid_table_fixed(&t, 1));
	ck_assert_uint_eq(t.kind[1], CPUID_ENTRY_OSXSAVE);
	ck_assert(!cpuid_table_fixed(&t, 4));
	ck_assert(!cpuid_table_fixed(&t, 0x80000000u));
	ck_assert(cpuid_table_answer(&t, 1, CR4_OSXSAVE, r));
	ck_assert_uint_eq(r[2] & CPUID1_ECX_OSXSAVE, CPUID1_ECX_OSXSAVE);
	ck_assert(cpuid_table_answer(&t, 1, ~CR4_OSXSAVE, r));
	ck_assert_uint_eq(r[2] & CPUID1_ECX_OSXSAVE, 0);
	/* The host's APIC ID is not the guest's. */
	ck_assert_uint_eq(r[1] >> 24, 0);
}
END_TEST

START_TEST(test_table_limit_cpuid)
{
	/* With MISC_ENABLE's limit CPUID maxval, basic leaves above 2 are leaf 2, leaf 4 and 7 included. */
	struct cpuid_vm vm = { .misc_enable = MISC_ENABLE_LIMIT_CPUID };
	struct cpuid_table t;
	memset(&t, 0, sizeof(t));
	cpuid_table_fill(&t, &vm, model_cpuid);
	uint32_t leaf2[4], r[4];
	ck_assert(cpuid_table_answer(&t, 2, 0, leaf2));
	static const uint32_t above[] = { 3, 4, 7, 0xd, 0x16, 0x1f };
	for (size_t i = 0; i < sizeof(above) / sizeof(above[0]); i++) {
		ck_assert_msg(cpuid_table_fixed(&t, above[i]), "leaf 0x%x", above[i]);
		ck_assert(cpuid_table_answer(&t, above[i], 0, r));
		ck_assert_mem_eq(r, leaf2, sizeof(r));
	}
	ck_assert(cpuid_table_answer(&t, 0, 0, r));
	ck_assert_uint_eq(r[0], 2);
}
END_TEST

START_TEST(test_invalidated_table_holds_nothing)
{
	struct cpuid_vm vm = state_at(0);
	struct cpuid_table t;
	memset(&t, 0, sizeof(t));
	/* A zeroed table holds nothing, as a new vCPU's. */
	uint32_t r[4];
	for (size_t i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++)
		ck_assert(!cpuid_table_answer(&t, leaves[i], 0, r) && !cpuid_table_fixed(&t, leaves[i]));
	ck_assert(!t.filled);
	cpuid_table_fill(&t, &vm, model_cpuid);
	ck_assert(cpuid_table_fixed(&t, 0));
	cpuid_table_invalidate(&t);
	ck_assert(!t.filled);
	for (size_t i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++)
		ck_assert(!cpuid_table_answer(&t, leaves[i], 0, r) && !cpuid_table_fixed(&t, leaves[i]));
	/* Filled again for another state, it answers for that one. */
	vm.misc_enable |= MISC_ENABLE_LIMIT_CPUID;
	cpuid_table_fill(&t, &vm, model_cpuid);
	ck_assert(cpuid_table_answer(&t, 0, 0, r));
	ck_assert_uint_eq(r[0], 2);
	ck_assert_uint_gt(check_against_policy(&t, &vm, 0), 0);
}
END_TEST

static Suite *cpuid_table_suite(void)
{
	Suite *s = suite_create("hv_cpuid_table");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, test_table_equals_policy);
	tcase_add_test(tc, test_table_holds_what_it_can);
	tcase_add_test(tc, test_table_limit_cpuid);
	tcase_add_test(tc, test_invalidated_table_holds_nothing);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(cpuid_table_suite(), CK_NORMAL);
}
