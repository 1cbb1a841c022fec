/*
 * Unit tests of hypervisor/vmx/mmio_decode.c: instructions as an assembler encodes them
 * (SDM Vol. 2A chapter 2: prefixes, REX, ModRM, SIB, displacement, immediate; Vol. 2B MOV,
 * MOVZX), each with its length, access size, direction and operand. The first case is the
 * store kvm-unit-tests' memset makes on the APIC page after apic_disable (40 88 31).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "run_suite.h"
#include "vmx/mmio_decode.h"

struct decode_case {
	const char *name;
	uint8_t bytes[16];
	unsigned avail;
	bool long_mode;
	bool ok;
	unsigned length, size, reg, reg_size;
	bool write, has_imm, high_byte;
	uint64_t imm;
};

static const struct decode_case cases[] = {
	{ "mov [rcx], sil (REX: SIL, not DH)", { 0x40, 0x88, 0x31 }, 3, true, true, 3, 1, 6, 1, true, false, false, 0 },
	{ "mov [rcx], dh (no REX: a high byte)", { 0x88, 0x31 }, 2, true, true, 2, 1, 2, 1, true, false, true, 0 },
	{ "mov eax, [0xfee00030] (SIB, no base: disp32)", { 0x8b, 0x04, 0x25, 0x30, 0x00, 0xe0, 0xfe }, 7, true, true, 7, 4, 0, 4, false, false, false, 0 },
	{ "mov [rax+0x80], edx (disp32)", { 0x89, 0x90, 0x80, 0, 0, 0 }, 6, true, true, 6, 4, 2, 4, true, false, false, 0 },
	{ "mov rax, [rdi+0x10] (REX.W, disp8)", { 0x48, 0x8b, 0x47, 0x10 }, 4, true, true, 4, 8, 0, 8, false, false, false, 0 },
	{ "mov r9d, [rip+0x1000] (REX.R, RIP-relative)", { 0x44, 0x8b, 0x0d, 0x00, 0x10, 0, 0 }, 7, true, true, 7, 4, 9, 4, false, false, false, 0 },
	{ "mov dword [rax+0x30], 0x11223344", { 0xc7, 0x40, 0x30, 0x44, 0x33, 0x22, 0x11 }, 7, true, true, 7, 4, 0, 0, true, true, false, 0x11223344 },
	{ "mov word [rax], 0x1234 (66)", { 0x66, 0xc7, 0x00, 0x34, 0x12 }, 5, true, true, 5, 2, 0, 0, true, true, false, 0x1234 },
	{ "mov qword [rax], -1 (imm32 sign-extended)", { 0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0xff }, 7, true, true, 7, 8, 0, 0, true, true, false, ~0ull },
	{ "mov byte [rbx+rsi*4+8], 0x7f", { 0xc6, 0x44, 0xb3, 0x08, 0x7f }, 5, true, true, 5, 1, 0, 0, true, true, false, 0x7f },
	{ "movzx eax, byte [rcx+0x20]", { 0x0f, 0xb6, 0x41, 0x20 }, 4, true, true, 4, 1, 0, 4, false, false, 0, 0 },
	{ "movzx r10, word [rdx] (REX.WR)", { 0x4c, 0x0f, 0xb7, 0x12 }, 4, true, true, 4, 2, 10, 8, false, false, 0, 0 },
	{ "fs: rep lock prefixes pass", { 0x64, 0xf3, 0x8b, 0x00 }, 4, true, true, 4, 4, 0, 4, false, false, false, 0 },
	{ "32-bit code: mov edx, [0xfee00030]", { 0x8b, 0x15, 0x30, 0x00, 0xe0, 0xfe }, 6, false, true, 6, 4, 2, 4, false, false, 0, 0 },
	{ "32-bit code: mov eax, [0xfee00390] (A1 moffs32)", { 0xa1, 0x90, 0x03, 0xe0, 0xfe }, 5, false, true, 5, 4, 0, 4, false, false, false, 0 },
	{ "movabs [0xfee000b0], eax (A3 moffs64)", { 0xa3, 0xb0, 0x00, 0xe0, 0xfe, 0, 0, 0, 0 }, 9, true, true, 9, 4, 0, 4, true, false, false, 0 },
	{ "mov al, [moffs64] (A0), cut short: refused", { 0xa0, 0x30, 0x00, 0xe0, 0xfe }, 5, true, false, 0, 0, 0, 0, false, false, false, 0 },
	{ "32-bit code: 0x48 is DEC, not REX: refused", { 0x48, 0x8b, 0x00 }, 3, false, false, 0, 0, 0, false, false, false, 0, 0 },
	{ "32-bit code: 67 means 16-bit addressing: refused", { 0x67, 0x8b, 0x00 }, 3, false, false, 0, 0, 0, 0, false, false, false, 0 },
	{ "mov eax, eax: a register operand, no memory: refused", { 0x8b, 0xc0 }, 2, true, false, 0, 0, false, false, false, false, false, 0 },
	{ "lock inc dword [rax]: not a MOV: refused", { 0xf0, 0xff, 0x00 }, 3, true, false, 0, 0, 0, 0, false, false, false, 0 },
	{ "mov [rax], imm with reg field 1 (C7 /1 is undefined): refused", { 0xc7, 0x08, 1, 2, 3, 4 }, 6, true, false, 0, 0, 0, false, false, false, 0, 0 },
	{ "cut short in the displacement: refused", { 0x8b, 0x80, 0x00, 0x00 }, 4, true, false, 0, 0, 0, 0, false, false, false, 0 },
	{ "cut short in the immediate: refused", { 0xc7, 0x00, 0x01, 0x02 }, 4, true, false, 0, 0, 0, 0, false, false, false, 0 },
	{ "only prefixes: refused", { 0x66, 0x66 }, 2, true, false, 0, 0, 0, 0, false, false, false, 0 },
	{ "sixteen prefixes: past 15 bytes, refused", { 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x8b, 0x00 }, 16, true, false, 0, 0, 0, false, false, false, 0, 0 },
};

START_TEST(test_decode_case)
{
	const struct decode_case *c = &cases[_i];
	struct mmio_insn in;
	bool ok = mmio_decode(c->bytes, c->avail, c->long_mode, &in);
	ck_assert_msg(ok == c->ok, "%s: decoded %d", c->name, ok);
	if (!ok)
		return;
	ck_assert_msg(in.length == c->length, "%s: length %u", c->name, in.length);
	ck_assert_msg(in.size == c->size, "%s: size %u", c->name, in.size);
	ck_assert_msg(in.write == c->write, "%s: write %d", c->name, in.write);
	ck_assert_msg(in.has_imm == c->has_imm, "%s: has_imm %d", c->name, in.has_imm);
	if (c->has_imm)
		ck_assert_msg(in.imm == c->imm, "%s: imm %lx", c->name, (unsigned long)in.imm);
	else
		ck_assert_msg(in.reg == c->reg && in.high_byte == c->high_byte, "%s: reg %u high %d", c->name, in.reg,
			      in.high_byte);
	if (!c->write)
		ck_assert_msg(in.reg_size == c->reg_size, "%s: reg_size %u", c->name, in.reg_size);
}
END_TEST

START_TEST(test_load_results)
{
	/* SDM Vol. 1 3.4.1.1: a 32-bit destination is zero-extended; 8- and 16-bit ones keep the other bits. */
	struct mmio_insn in = { .size = 4, .reg_size = 4 };
	ck_assert_uint_eq(mmio_load_result(&in, ~0ull, 0x12345678), 0x12345678);
	in = (struct mmio_insn){ .size = 2, .reg_size = 2 };
	ck_assert_uint_eq(mmio_load_result(&in, 0xaaaaaaaaaaaaaaaaull, 0xffff1234), 0xaaaaaaaaaaaa1234ull);
	in = (struct mmio_insn){ .size = 1, .reg_size = 1, .high_byte = true };
	ck_assert_uint_eq(mmio_load_result(&in, 0x1111, 0xab), 0xab11);
	in = (struct mmio_insn){ .size = 1, .reg_size = 8 }; /* MOVZX r64 */
	ck_assert_uint_eq(mmio_load_result(&in, ~0ull, 0x1ff), 0xff);
	in = (struct mmio_insn){ .size = 1, .reg_size = 1, .write = true, .high_byte = true };
	ck_assert_uint_eq(mmio_store_value(&in, 0xbeef), 0xbe);
	in = (struct mmio_insn){ .size = 2, .write = true, .has_imm = true, .imm = 0x1234 };
	ck_assert_uint_eq(mmio_store_value(&in, 0), 0x1234);
	in = (struct mmio_insn){ .size = 4, .write = true };
	ck_assert_uint_eq(mmio_store_value(&in, 0x1122334455667788ull), 0x55667788);
}
END_TEST

static Suite *mmio_decode_suite(void)
{
	Suite *s = suite_create("hv_mmio_decode");
	TCase *tc = tcase_create("decode");
	tcase_add_loop_test(tc, test_decode_case, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_load_results);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(mmio_decode_suite(), CK_NORMAL);
}
