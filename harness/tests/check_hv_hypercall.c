/*
 * Unit tests of hypervisor/vm/hypercall.c against the guest ABI of
 * hypervisor/include/vexit_abi.h: VERSION, EXIT_COUNT, CHECKSUM (a + 2b + 3c
 * + 4d mod 2^64) and -ENOSYS for anything else. The hypercalls that act on
 * the VM are in check_hv_hypercall_ext.c.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "include/vexit_abi.h"
#include "run_suite.h"
#include "vm/hypercall.h"
#include "vm/vm.h"

static struct vm *vm;

static void setup(void)
{
	vm = calloc(1, sizeof(*vm));
	ck_assert_ptr_nonnull(vm);
	vcpu_init(&vm->vcpu, vm);
}

static void teardown(void)
{
	free(vm);
}

static uint64_t hc(uint64_t nr, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	/* The guest's registers as a VMCALL leaves them: the number in RAX, the arguments in RBX, RCX, RDX, RSI. */
	uint64_t gpr[GPR_COUNT] = { [GPR_RAX] = nr, [GPR_RBX] = a, [GPR_RCX] = b, [GPR_RDX] = c, [GPR_RSI] = d };
	return hypercall(vm, gpr);
}

START_TEST(test_abi_numbers)
{
	/* Guests are built against these; changing one is an ABI break. */
	ck_assert_uint_eq(VEXIT_HC_VERSION, 0);
	ck_assert_uint_eq(VEXIT_HC_EXIT_COUNT, 1);
	ck_assert_uint_eq(VEXIT_HC_CHECKSUM, 2);
	ck_assert_uint_eq(VEXIT_ABI_VERSION, 1);
	ck_assert_uint_eq(VEXIT_HC_ENOSYS, 0xffffffffffffffdaull);
	ck_assert_int_eq((int64_t)VEXIT_HC_ENOSYS, -38);
}
END_TEST

START_TEST(test_version)
{
	ck_assert_uint_eq(hc(VEXIT_HC_VERSION, 0, 0, 0, 0), VEXIT_ABI_VERSION);
	/* Arguments do not matter. */
	ck_assert_uint_eq(hc(VEXIT_HC_VERSION, 1, 2, 3, UINT64_MAX), VEXIT_ABI_VERSION);
	/* Nor does the VM's state. */
	vm->vcpu.exit_counts[EXIT_REASON_VMCALL] = 99;
	ck_assert_uint_eq(hc(VEXIT_HC_VERSION, 0, 0, 0, 0), 1);
}
END_TEST

START_TEST(test_exit_count)
{
	vm->vcpu.exit_counts[EXIT_REASON_VMCALL] = 4;
	vm->vcpu.exit_counts[EXIT_REASON_IO_INSTRUCTION] = 12345678901ull;
	vm->vcpu.exit_counts[EXIT_REASON_MAX - 1] = 7;
	ck_assert_uint_eq(hc(VEXIT_HC_EXIT_COUNT, EXIT_REASON_VMCALL, 0, 0, 0), 4);
	ck_assert_uint_eq(hc(VEXIT_HC_EXIT_COUNT, EXIT_REASON_IO_INSTRUCTION, 0, 0, 0), 12345678901ull);
	ck_assert_uint_eq(hc(VEXIT_HC_EXIT_COUNT, EXIT_REASON_HLT, 0, 0, 0), 0);
	ck_assert_uint_eq(hc(VEXIT_HC_EXIT_COUNT, EXIT_REASON_MAX - 1, 0, 0, 0), 7);
	/* Only the first argument selects; the others are ignored. */
	ck_assert_uint_eq(hc(VEXIT_HC_EXIT_COUNT, EXIT_REASON_VMCALL, EXIT_REASON_IO_INSTRUCTION, 1, 2), 4);
}
END_TEST

START_TEST(test_exit_count_out_of_range)
{
	/* Numbers past the table read 0, never memory beyond exit_counts. */
	for (size_t i = 0; i < EXIT_REASON_MAX; i++)
		vm->vcpu.exit_counts[i] = 1000 + i;
	/* What lies just past the array in struct vcpu, so an off-by-one read would show. */
	vm->vcpu.first_entry_tick = 0x1111;
	vm->vcpu.last_exit_tick = 0x2222;
	ck_assert_uint_eq(hc(VEXIT_HC_EXIT_COUNT, EXIT_REASON_MAX, 0, 0, 0), 0);
	ck_assert_uint_eq(hc(VEXIT_HC_EXIT_COUNT, EXIT_REASON_MAX + 1, 0, 0, 0), 0);
	ck_assert_uint_eq(hc(VEXIT_HC_EXIT_COUNT, 0xffff, 0, 0, 0), 0);
	ck_assert_uint_eq(hc(VEXIT_HC_EXIT_COUNT, 0x80000000u | EXIT_REASON_VMCALL, 0, 0, 0), 0);
	ck_assert_uint_eq(hc(VEXIT_HC_EXIT_COUNT, UINT64_MAX, 0, 0, 0), 0);
	ck_assert_uint_eq(hc(VEXIT_HC_EXIT_COUNT, (uint64_t)1 << 63, 0, 0, 0), 0);
	ck_assert_uint_eq(hc(VEXIT_HC_EXIT_COUNT, 0, 0, 0, 0), 1000);
}
END_TEST

START_TEST(test_checksum)
{
	ck_assert_uint_eq(hc(VEXIT_HC_CHECKSUM, 0, 0, 0, 0), 0);
	ck_assert_uint_eq(hc(VEXIT_HC_CHECKSUM, 1, 0, 0, 0), 1);
	ck_assert_uint_eq(hc(VEXIT_HC_CHECKSUM, 0, 1, 0, 0), 2);
	ck_assert_uint_eq(hc(VEXIT_HC_CHECKSUM, 0, 0, 1, 0), 3);
	ck_assert_uint_eq(hc(VEXIT_HC_CHECKSUM, 0, 0, 0, 1), 4);
	ck_assert_uint_eq(hc(VEXIT_HC_CHECKSUM, 1, 2, 3, 4), 1 + 4 + 9 + 16);
	/* Argument order matters: the weights tell a swap apart. */
	ck_assert_uint_ne(hc(VEXIT_HC_CHECKSUM, 4, 3, 2, 1), hc(VEXIT_HC_CHECKSUM, 1, 2, 3, 4));
	ck_assert_uint_eq(hc(VEXIT_HC_CHECKSUM, 4, 3, 2, 1), 4 + 6 + 6 + 4);
	ck_assert_uint_eq(hc(VEXIT_HC_CHECKSUM, 0x1000, 0x200, 0x30, 0x4), 0x1000 + 0x400 + 0x90 + 0x10);
}
END_TEST

START_TEST(test_checksum_wraps_mod_2_64)
{
	const uint64_t a = UINT64_MAX, b = 0x8000000000000001ull, c = 0x5555555555555555ull, d = 0xfedcba9876543210ull;
	uint64_t want = a + 2 * b + 3 * c + 4 * d; /* unsigned arithmetic: mod 2^64 */
	ck_assert_uint_eq(hc(VEXIT_HC_CHECKSUM, a, b, c, d), want);
	ck_assert_uint_eq(hc(VEXIT_HC_CHECKSUM, UINT64_MAX, 0, 0, 0), UINT64_MAX);
	ck_assert_uint_eq(hc(VEXIT_HC_CHECKSUM, UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX), (uint64_t)-10);
	ck_assert_uint_eq(hc(VEXIT_HC_CHECKSUM, 0, 1ull << 63, 0, 0), 0);
	ck_assert_uint_eq(hc(VEXIT_HC_CHECKSUM, 0, 0, 0, 1ull << 62), 0);
}
END_TEST

START_TEST(test_unknown_is_enosys)
{
	static const uint64_t unknown[] = { VEXIT_HC_COUNT, VEXIT_HC_COUNT + 1, 42, 0xff, 0x10000, 0x80000000u,
					    0xffffffffu, 0x100000000ull, (uint64_t)-1, (uint64_t)-38 };
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		uint64_t r = hc(unknown[i], 1, 2, 3, 4);
		ck_assert_uint_eq(r, VEXIT_HC_ENOSYS);
		ck_assert_int_eq((int64_t)r, -38);
	}
	/* All 64 bits of the number select: 0x100000002 is not CHECKSUM. */
	ck_assert_uint_eq(hc(0x100000000ull + VEXIT_HC_CHECKSUM, 1, 2, 3, 4), VEXIT_HC_ENOSYS);
	ck_assert_uint_eq(hc(0x100000000ull + VEXIT_HC_VERSION, 0, 0, 0, 0), VEXIT_HC_ENOSYS);
}
END_TEST

START_TEST(test_no_side_effects)
{
	/* The pure queries leave a busy VM (tracing, counted bus, stop fields) byte for byte as it was. */
	struct vm *before = malloc(sizeof(*vm));
	ck_assert_ptr_nonnull(before);
	vm->vcpu.exit_counts[EXIT_REASON_VMCALL] = 3;
	strcpy(vm->name, "query");
	vm->trace.on = true;
	vm->trace.n = 2;
	vm->trace.entries[1].reason = EXIT_REASON_VMCALL;
	vm->bus.unclaimed_reads = 5;
	vm->bus.unclaimed_writes = 6;
	vm->cr3_exiting = true;
	strcpy(vm->stop_fields, "x=1");
	memcpy(before, vm, sizeof(*vm));
	ck_assert_uint_eq(hc(VEXIT_HC_VERSION, 0, 0, 0, 0), VEXIT_ABI_VERSION);
	ck_assert_uint_eq(hc(VEXIT_HC_EXIT_COUNT, EXIT_REASON_VMCALL, 0, 0, 0), 3);
	ck_assert_uint_eq(hc(VEXIT_HC_CHECKSUM, 1, 2, 3, 4), 30);
	ck_assert_uint_eq(hc(VEXIT_HC_IO_UNCLAIMED, 0, 0, 0, 0), 11);
	ck_assert_uint_eq(hc(77, 0, 0, 0, 0), VEXIT_HC_ENOSYS);
	ck_assert_int_eq(memcmp(before, vm, sizeof(*vm)), 0);
	free(before);
}
END_TEST

static Suite *hypercall_suite(void)
{
	Suite *s = suite_create("hv_hypercall");
	TCase *tc = tcase_create("hypercall");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_abi_numbers);
	tcase_add_test(tc, test_version);
	tcase_add_test(tc, test_exit_count);
	tcase_add_test(tc, test_exit_count_out_of_range);
	tcase_add_test(tc, test_checksum);
	tcase_add_test(tc, test_checksum_wraps_mod_2_64);
	tcase_add_test(tc, test_unknown_is_enosys);
	tcase_add_test(tc, test_no_side_effects);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(hypercall_suite(), CK_NORMAL);
}
