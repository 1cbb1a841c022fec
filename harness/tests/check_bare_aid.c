/*
 * Check tests of the measurement aid of bare runs (harness/lib/bare_aid.c) and of what it reads
 * kernels with (harness/lib/elf_symbol.c's elf_function): the WRMSR found in a kernel's
 * disable_apic, the debugger commands that step over it, and the proof in Bochs's output that
 * they did, on that write and no other.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aid_kernel.h"
#include "bare_aid.h"
#include "elf_symbol.h"
#include "run_suite.h"

static char dir[64], path[128], err[1024];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/check_bare_aid.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/k.flat", dir);
}

static void teardown(void)
{
	unlink(path);
	rmdir(dir);
}

/* vmexit.flat's disable_apic: RDMSR of 0x1B, clear bits 10 and 11, WRMSR, ... RET. */
static const unsigned char disable_apic[] = { 0xf3, 0x0f, 0x1e, 0xfa, 0xb9, 0x1b, 0x00, 0x00, 0x00, 0x0f, 0x32,
					      0x48, 0xc1, 0xe2, 0x20, 0x25, 0xff, 0xf3, 0xff, 0xff, 0x48, 0x09,
					      0xd0, 0x48, 0xc1, 0xea, 0x20, 0x0f, 0x30, 0xc3 };
#define WRMSR_AT 27

/* A function of this program, to read back from its own ELF64 file. */
__attribute__((noinline, used)) int bare_aid_probe(int x)
{
	return x * 3 + 1;
}

START_TEST(test_elf_function)
{
	aid_kernel_write(dir, "k.flat", "disable_apic", disable_apic, sizeof(disable_apic));
	struct elf_function fn;
	ck_assert_int_eq(elf_function(path, "disable_apic", &fn, err, sizeof(err)), 0);
	ck_assert_uint_eq(fn.addr, AID_KERNEL_VADDR);
	ck_assert_uint_eq(fn.paddr, AID_KERNEL_PADDR); /* from the segment, not the symbol */
	ck_assert_uint_eq(fn.size, sizeof(disable_apic));
	ck_assert_mem_eq(fn.code, disable_apic, sizeof(disable_apic));
	free(fn.code);
	uint64_t addr;
	ck_assert_int_eq(elf_symbol_address(path, "disable_apic", &addr, err, sizeof(err)), 0);
	ck_assert_uint_eq(addr, AID_KERNEL_VADDR);
	/* ELF64: this program's own function, its bytes as the file holds them. */
	ck_assert_int_eq(elf_function("/proc/self/exe", "bare_aid_probe", &fn, err, sizeof(err)), 0);
	ck_assert_uint_gt(fn.size, 0);
	ck_assert_mem_eq(fn.code, (const void *)bare_aid_probe, fn.size);
	free(fn.code);
}
END_TEST

START_TEST(test_elf_function_refusals)
{
	aid_kernel_write(dir, "k.flat", "enable_apic", disable_apic, sizeof(disable_apic));
	struct elf_function fn;
	ck_assert_int_eq(elf_function(path, "disable_apic", &fn, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no symbol 'disable_apic' in its symbol table"));
	aid_kernel_write(dir, "k.flat", "disable_apic", disable_apic, 0);
	ck_assert_int_eq(elf_function(path, "disable_apic", &fn, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "symbol 'disable_apic' has no size"));
	/* Longer than its segment's file bytes (0x100). */
	static unsigned char big[0x100];
	aid_kernel_write(dir, "k.flat", "disable_apic", big, sizeof(big));
	ck_assert_int_eq(elf_function(path, "disable_apic", &fn, err, sizeof(err)), 0);
	free(fn.code);
	FILE *f = fopen(path, "r+b");
	ck_assert_ptr_nonnull(f);
	unsigned filesz = 0xff; /* the segment's p_filesz, at 0x34 + 16 */
	ck_assert_int_eq(fseek(f, 0x34 + 16, SEEK_SET), 0);
	ck_assert_uint_eq(fwrite(&filesz, 4, 1, f), 1);
	fclose(f);
	ck_assert_int_eq(elf_function(path, "disable_apic", &fn, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "are not inside one loaded segment's file bytes"));
	ck_assert_int_eq(elf_function("/proc/self/cmdline", "disable_apic", &fn, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a little-endian ELF32 or ELF64 file"));
	ck_assert_int_eq(elf_function("/nonexistent/k.flat", "disable_apic", &fn, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "No such file"));
}
END_TEST

START_TEST(test_commands)
{
	aid_kernel_write(dir, "k.flat", "disable_apic", disable_apic, sizeof(disable_apic));
	uint64_t at = 0;
	char *cmds = bare_aid_commands(path, &at, err, sizeof(err));
	ck_assert_ptr_nonnull(cmds);
	ck_assert_uint_eq(at, AID_KERNEL_PADDR + WRMSR_AT);
	/* Break at the physical address; go on at the linear one after the 2-byte WRMSR; only once. */
	char want[256];
	snprintf(want, sizeof(want), "pb 0x%x\nc\nr\nset rip = 0x%x\nd 1\nc\nquit\n", AID_KERNEL_PADDR + WRMSR_AT,
		 AID_KERNEL_VADDR + WRMSR_AT + 2);
	ck_assert_str_eq(cmds, want);
	free(cmds);
}
END_TEST

START_TEST(test_commands_refusals)
{
	uint64_t at;
	unsigned char code[sizeof(disable_apic) + 2];
	/* No WRMSR: the RDMSR alone (0F 32). */
	aid_kernel_write(dir, "k.flat", "disable_apic", disable_apic, WRMSR_AT);
	ck_assert_ptr_null(bare_aid_commands(path, &at, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "disable_apic (27 bytes at 0xc0400100) holds no WRMSR (bytes 0F 30)"));
	/* Two: which one would be the global disable? */
	memcpy(code, disable_apic, sizeof(disable_apic));
	code[sizeof(disable_apic)] = 0x0f, code[sizeof(disable_apic) + 1] = 0x30;
	aid_kernel_write(dir, "k.flat", "disable_apic", code, sizeof(code));
	ck_assert_ptr_null(bare_aid_commands(path, &at, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "holds more than one WRMSR"));
	/* No such function: a kernel not built on kvm-unit-tests' lib/x86/apic.c. */
	aid_kernel_write(dir, "k.flat", "reset_apic", disable_apic, sizeof(disable_apic));
	ck_assert_ptr_null(bare_aid_commands(path, &at, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "no symbol 'disable_apic'"));
}
END_TEST

/* bare_aid_acted on Bochs's output; 0, or -1 with `why` in err. */
static int acted(const char *out, uint64_t at)
{
	return bare_aid_acted(out, at, err, sizeof(err));
}

START_TEST(test_acted)
{
	const unsigned at = 0x406c37;
	char *out = aid_kernel_bochs_out(at, "wrmsr", 0x1b, 0xfee00100);
	ck_assert_int_eq(acted(out, at), 0);
	/* Stopped elsewhere, or not at all. */
	ck_assert_int_eq(acted(out, at + 1), -1);
	ck_assert_str_eq(err, "the aid stopped at 0x406c38, but Bochs shows no WRMSR there");
	ck_assert_int_eq(acted("Next at t=0\n(0) [0x0000fffffff0] f000:fff0 (unk. ctxt): jmpf\n", at), -1);
	ck_assert_str_eq(err, "the aid that keeps the APIC enabled never stopped at disable_apic's WRMSR (0x406c37)");
	/* Twice. */
	size_t len = strlen(out);
	char *twice = malloc(2 * len + 1);
	memcpy(twice, out, len);
	memcpy(twice + len, out, len + 1);
	ck_assert_int_eq(acted(twice, at), -1);
	ck_assert_str_eq(err, "the aid's breakpoint at 0x406c37 stopped more than once");
	free(twice);
	free(out);
	/* Another instruction there. */
	out = aid_kernel_bochs_out(at, "rdmsr", 0x1b, 0xfee00100);
	ck_assert_int_eq(acted(out, at), -1);
	ck_assert_str_eq(err, "the aid stopped at 0x406c37, but Bochs shows no WRMSR there");
	free(out);
	/* A WRMSR, but of another MSR, or one that leaves the APIC enabled: not the step to skip. */
	out = aid_kernel_bochs_out(at, "wrmsr", 0x10, 0xfee00100);
	ck_assert_int_eq(acted(out, at), -1);
	ck_assert_ptr_nonnull(strstr(err, "writes MSR 0x10 with EAX 0xfee00100, not IA32_APIC_BASE (0x1B)"));
	free(out);
	out = aid_kernel_bochs_out(at, "wrmsr", 0x1b, 0xfee00900);
	ck_assert_int_eq(acted(out, at), -1);
	ck_assert_ptr_nonnull(strstr(err, "writes MSR 0x1b with EAX 0xfee00900"));
	free(out);
	/* No register listing after the stop. */
	out = aid_kernel_bochs_out(at, "wrmsr", 0x1b, 0xfee00100);
	*strstr(out, "CPU0:") = '\0';
	ck_assert_int_eq(acted(out, at), -1);
	ck_assert_str_eq(err, "the aid stopped at 0x406c37, but Bochs showed no registers there");
	free(out);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bare_aid");
	TCase *tc = tcase_create("aid");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_elf_function);
	tcase_add_test(tc, test_elf_function_refusals);
	tcase_add_test(tc, test_commands);
	tcase_add_test(tc, test_commands_refusals);
	tcase_add_test(tc, test_acted);
	suite_add_tcase(s, tc);
	return run_suite(s, CK_NORMAL);
}
