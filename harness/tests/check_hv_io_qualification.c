/*
 * Unit tests of hypervisor/vmx/io_qualification.c. Qualifications are built
 * field by field as the SDM lays them out (Vol. 3C, "Exit Qualification for I/O
 * Instructions", table 28-5; README, "SDM citations"):
 *   2:0 size of access (0 = 1 byte, 1 = 2 bytes, 3 = 4 bytes; others not used)
 *   3   direction (0 = OUT, 1 = IN)        4 string instruction
 *   5   REP prefixed                        6 operand encoding (0 = DX, 1 = immediate)
 *   15:7 reserved (0)   31:16 port number   63:32 reserved (0)
 * and the VM-exit instruction-information field for INS/OUTS (table 27-8 / 28-8):
 *   9:7 address size (0 = 16, 1 = 32, 2 = 64 bit)   17:15 segment (0 ES .. 5 GS).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quiet_assert.h"
#include "run_suite.h"
#include "vmx/io_qualification.h"

enum { OUT = 0, IN = 1 };
enum { DX = 0, IMM = 1 };

static uint64_t qual(unsigned size_field, int in, int string, int rep, int imm, uint16_t port)
{
	return (uint64_t)size_field | (uint64_t)in << 3 | (uint64_t)string << 4 | (uint64_t)rep << 5 |
	       (uint64_t)imm << 6 | (uint64_t)port << 16;
}

static struct io_access decode_ok(uint64_t q)
{
	struct io_access a;
	memset(&a, 0xa5, sizeof(a));
	ck_assert_msg(io_qualification_decode(q, &a), "qualification 0x%llx rejected", (unsigned long long)q);
	return a;
}

START_TEST(test_out_dx_al)
{
	/* out dx, al with dx = 0x3f8 */
	struct io_access a = decode_ok(qual(0, OUT, 0, 0, DX, 0x3f8));
	ck_assert_uint_eq(a.size, 1);
	ck_assert(!a.in);
	ck_assert(!a.string);
	ck_assert(!a.rep);
	ck_assert(!a.immediate);
	ck_assert_uint_eq(a.port, 0x3f8);
}
END_TEST

START_TEST(test_in_eax_imm)
{
	/* in eax, 0x60 */
	struct io_access a = decode_ok(qual(3, IN, 0, 0, IMM, 0x60));
	ck_assert_uint_eq(a.size, 4);
	ck_assert(a.in);
	ck_assert(!a.string);
	ck_assert(!a.rep);
	ck_assert(a.immediate);
	ck_assert_uint_eq(a.port, 0x60);
}
END_TEST

START_TEST(test_sizes)
{
	ck_assert_uint_eq(decode_ok(qual(0, IN, 0, 0, DX, 0x5000)).size, 1);
	ck_assert_uint_eq(decode_ok(qual(1, IN, 0, 0, DX, 0x5000)).size, 2);
	ck_assert_uint_eq(decode_ok(qual(3, IN, 0, 0, DX, 0x5000)).size, 4);
	struct io_access a = decode_ok(qual(1, OUT, 0, 0, DX, 0x5002));
	ck_assert_uint_eq(a.size, 2);
	ck_assert(!a.in);
	ck_assert_uint_eq(a.port, 0x5002);
}
END_TEST

START_TEST(test_undefined_sizes_rejected)
{
	static const unsigned bad[] = { 2, 4, 5, 6, 7 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct io_access a;
		memset(&a, 0xa5, sizeof(a));
		ck_assert_msg(!io_qualification_decode(qual(bad[i], IN, 0, 0, DX, 0x80), &a), "size field %u accepted", bad[i]);
		/* Nothing is written on failure. */
		ck_assert_uint_eq(a.port, 0xa5a5);
	}
}
END_TEST

START_TEST(test_rep_outsb)
{
	/* rep outsb to the debug port: what every guest's report line is. */
	struct io_access a = decode_ok(qual(0, OUT, 1, 1, DX, 0xe9));
	ck_assert_uint_eq(a.size, 1);
	ck_assert(!a.in);
	ck_assert(a.string);
	ck_assert(a.rep);
	ck_assert(!a.immediate);
	ck_assert_uint_eq(a.port, 0xe9);
}
END_TEST

START_TEST(test_insd_without_rep)
{
	struct io_access a = decode_ok(qual(3, IN, 1, 0, DX, 0x500c));
	ck_assert_uint_eq(a.size, 4);
	ck_assert(a.in);
	ck_assert(a.string);
	ck_assert(!a.rep);
	ck_assert_uint_eq(a.port, 0x500c);
}
END_TEST

START_TEST(test_each_flag_alone)
{
	/* Every flag bit maps to its own field and to nothing else. */
	struct io_access a = decode_ok(1ull << 3);
	ck_assert(a.in && !a.string && !a.rep && !a.immediate && a.port == 0 && a.size == 1);
	a = decode_ok(1ull << 4);
	ck_assert(!a.in && a.string && !a.rep && !a.immediate && a.port == 0);
	a = decode_ok(1ull << 5);
	ck_assert(!a.in && !a.string && a.rep && !a.immediate && a.port == 0);
	a = decode_ok(1ull << 6);
	ck_assert(!a.in && !a.string && !a.rep && a.immediate && a.port == 0);
}
END_TEST

START_TEST(test_port_extremes)
{
	struct io_access a = decode_ok(qual(0, IN, 0, 0, DX, 0));
	ck_assert_uint_eq(a.port, 0);
	a = decode_ok(qual(3, OUT, 0, 0, DX, 0xffff));
	ck_assert_uint_eq(a.port, 0xffff);
	ck_assert_uint_eq(a.size, 4);
	ck_assert(!a.in);
	a = decode_ok(qual(0, OUT, 0, 0, IMM, 0xff)); /* the largest immediate port */
	ck_assert_uint_eq(a.port, 0xff);
	ck_assert(a.immediate);
}
END_TEST

START_TEST(test_reserved_bits_ignored)
{
	/* Set every reserved bit (15:7 and 63:32): the decoded access must not change. */
	uint64_t q = qual(1, IN, 1, 1, IMM, 0x1234);
	uint64_t noisy = q | 0xffffffff00000000ull | 0xff80ull;
	struct io_access a = decode_ok(q), b = decode_ok(noisy);
	ck_assert_uint_eq(b.size, a.size);
	ck_assert_int_eq(b.in, a.in);
	ck_assert_int_eq(b.string, a.string);
	ck_assert_int_eq(b.rep, a.rep);
	ck_assert_int_eq(b.immediate, a.immediate);
	ck_assert_uint_eq(b.port, 0x1234);
}
END_TEST

START_TEST(test_simple_size_agrees_with_decode)
{
	/*
	 * The exit handler's fast path: for every size field, direction, string, REP and operand
	 * encoding, with the reserved bits clear or set, an IN/OUT's size and port as the full
	 * decoder sees them, and 0 (the slow path) for INS/OUTS and undefined sizes.
	 */
	for (unsigned bits = 0; bits < 0x80; bits++) {
		for (unsigned noisy = 0; noisy < 2; noisy++) {
			uint64_t q = bits | (uint64_t)0xa5c3 << 16 | (noisy ? 0xffffffff00000000ull | 0xff80ull : 0);
			struct io_access a;
			bool valid = io_qualification_decode(q, &a);
			unsigned want = valid && !a.string ? a.size : 0;
			quiet_assert(io_qualification_simple_size(q) == want, "qualification 0x%llx: size %u, want %u",
				     (unsigned long long)q, io_qualification_simple_size(q), want);
			quiet_assert(io_qualification_port(q) == 0xa5c3, "qualification 0x%llx: port 0x%x",
				     (unsigned long long)q, io_qualification_port(q));
		}
	}
}
END_TEST

static uint32_t info(unsigned addr_size_field, unsigned seg)
{
	return addr_size_field << 7 | seg << 15;
}

START_TEST(test_string_address_size)
{
	ck_assert_uint_eq(io_string_address_size(info(0, 0)), 2);
	ck_assert_uint_eq(io_string_address_size(info(1, 0)), 4);
	ck_assert_uint_eq(io_string_address_size(info(2, 0)), 8);
	for (unsigned f = 3; f < 8; f++)
		ck_assert_uint_eq(io_string_address_size(info(f, 0)), 0);
	/* Undefined bits around the field (6:0, 14:10, 31:18) and the segment do not matter. */
	uint32_t noise = 0x7fu | 0x7c00u | 0xfffc0000u;
	ck_assert_uint_eq(io_string_address_size(info(0, 5) | noise), 2);
	ck_assert_uint_eq(io_string_address_size(info(1, 3) | noise), 4);
	ck_assert_uint_eq(io_string_address_size(info(2, 7) | noise), 8);
}
END_TEST

START_TEST(test_string_segment)
{
	for (unsigned s = 0; s < 8; s++)
		ck_assert_uint_eq(io_string_segment(info(0, s)), s);
	uint32_t noise = 0x7fu | 0x7c00u | 0xfffc0000u;
	ck_assert_uint_eq(io_string_segment(info(2, 3) | noise), 3); /* DS */
	ck_assert_uint_eq(io_string_segment(info(7, 0) | noise), 0); /* ES */
	ck_assert_uint_eq(io_string_segment(info(1, 5) | noise), 5); /* GS */
	ck_assert_uint_eq(io_string_segment(0xffffffffu), 7);
}
END_TEST

static Suite *io_qualification_suite(void)
{
	Suite *s = suite_create("hv_io_qualification");
	TCase *q = tcase_create("qualification");
	tcase_add_test(q, test_out_dx_al);
	tcase_add_test(q, test_in_eax_imm);
	tcase_add_test(q, test_sizes);
	tcase_add_test(q, test_undefined_sizes_rejected);
	tcase_add_test(q, test_rep_outsb);
	tcase_add_test(q, test_insd_without_rep);
	tcase_add_test(q, test_each_flag_alone);
	tcase_add_test(q, test_port_extremes);
	tcase_add_test(q, test_reserved_bits_ignored);
	tcase_add_test(q, test_simple_size_agrees_with_decode);
	suite_add_tcase(s, q);
	TCase *ii = tcase_create("instruction_info");
	tcase_add_test(ii, test_string_address_size);
	tcase_add_test(ii, test_string_segment);
	suite_add_tcase(s, ii);
	return s;
}

int main(void)
{
	return run_suite(io_qualification_suite(), CK_NORMAL);
}
