/*
 * Check tests of the direct-boot disk (harness/lib/direct_boot.c): the kernel's
 * segments land at their physical addresses with bss zeroed, the modules follow
 * page-aligned, and the boot information (read back the way the loader leaves
 * it, then parsed by the kernel's own mb2_parse) names them; every malformed
 * input is refused with a sentence naming the file and the fault.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../boot/direct_boot_abi.h"
#include "direct_boot.h"
#include "direct_boot_fixture.h"
#include "file_read.h"
#include "kernel/multiboot2.h"
#include "run_suite.h"
#include "test_files.h"

static char dir[64];
static char err[1024];

static void setup(void)
{
	strcpy(dir, "/tmp/check_direct_boot.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	(void)!system(cmd);
}

static const char *in_dir(const char *name)
{
	static char path[4][128];
	static int k;
	k = (k + 1) % 4;
	snprintf(path[k], sizeof(path[k]), "%s/%s", dir, name);
	return path[k];
}

static const char *kernel_write(const struct test_kernel *k)
{
	test_write_file(dir, "kernel.elf", k, sizeof(*k));
	return in_dir("kernel.elf");
}

static int write_disk(const struct test_kernel *k, const char *cmdline, const struct direct_boot_module *m, size_t n)
{
	return direct_boot_disk_write(in_dir("disk.img"), kernel_write(k), cmdline, m, n, err, sizeof(err));
}

START_TEST(test_kernel_and_modules_land_where_the_boot_information_says)
{
	struct test_kernel k;
	test_kernel_build(&k);
	char big[5000];
	memset(big, 'A', sizeof(big));
	test_write_file(dir, "a.elf", big, sizeof(big));
	test_write_file(dir, "b.elf", "B", 1);
	struct direct_boot_module m[] = { { .path = in_dir("a.elf"), .name = "alpha" },
					 { .path = in_dir("b.elf"), .name = "beta" } };
	ck_assert_msg(write_disk(&k, "budget=5 tests=alpha", m, 2) == 0, "%s", err);

	struct boot_disk d;
	boot_disk_read(in_dir("disk.img"), &d);
	ck_assert_uint_eq(d.len % (16 * 63 * 512), 0); /* whole cylinders, for Bochs's geometry */
	ck_assert_uint_eq(d.entry, 0x100020);
	ck_assert_uint_eq(d.image_dest, DIRECT_BOOT_IMAGE_BASE);
	ck_assert_uint_eq(d.image_lba, DIRECT_BOOT_LOADER_SECTORS + d.mbi_sects);
	ck_assert_msg(d.parse_error == NULL, "%s", d.parse_error);

	/* The kernel: text, its bss zeroed, the gap, data. */
	ck_assert_mem_eq(boot_disk_at(&d, 0x100000), k.text, sizeof(k.text));
	for (uint64_t pa = 0x100040; pa < 0x103000; pa += 0x100)
		ck_assert_uint_eq(*boot_disk_at(&d, pa), 0);
	ck_assert_mem_eq(boot_disk_at(&d, 0x103000), k.data, sizeof(k.data));

	/* The boot information: the command line and both modules, page-aligned after the kernel. */
	ck_assert_str_eq(d.info.cmdline, "budget=5 tests=alpha");
	ck_assert_uint_eq(d.info.n_modules, 2);
	ck_assert_str_eq(d.info.modules[0].cmdline, "alpha");
	ck_assert_str_eq(d.info.modules[1].cmdline, "beta");
	ck_assert_uint_eq(d.info.modules[0].start, 0x104000);
	ck_assert_uint_eq(d.info.modules[0].end, 0x104000 + sizeof(big));
	ck_assert_uint_eq(d.info.modules[1].start, 0x106000);
	ck_assert_uint_eq(d.info.modules[1].end, 0x106001);
	ck_assert_mem_eq(boot_disk_at(&d, 0x104000), big, sizeof(big));
	ck_assert_uint_eq(*boot_disk_at(&d, 0x106000), 'B');
	ck_assert_uint_eq(d.info.n_available, 1);
	boot_disk_free(&d);
}
END_TEST

START_TEST(test_the_entry_point_is_translated_to_its_physical_address)
{
	/* A kernel linked high (virtual 0xffffffff80100000) and loaded at 1 MiB, as GRUB allows. */
	struct test_kernel k;
	test_kernel_build(&k);
	k.ph[0].p_vaddr = 0xffffffff80100000ull;
	k.eh.e_entry = 0xffffffff80100020ull;
	ck_assert_msg(write_disk(&k, "", NULL, 0) == 0, "%s", err);
	struct boot_disk d;
	boot_disk_read(in_dir("disk.img"), &d);
	ck_assert_uint_eq(d.entry, 0x100020);
	boot_disk_free(&d);
}
END_TEST

START_TEST(test_no_modules_and_an_empty_command_line)
{
	struct test_kernel k;
	test_kernel_build(&k);
	ck_assert_msg(write_disk(&k, "", NULL, 0) == 0, "%s", err);
	struct boot_disk d;
	boot_disk_read(in_dir("disk.img"), &d);
	ck_assert_msg(d.parse_error == NULL, "%s", d.parse_error);
	ck_assert_str_eq(d.info.cmdline, "");
	ck_assert_uint_eq(d.info.n_modules, 0);
	ck_assert_uint_eq(d.image_sects, 0x103010 / 512 - 0x100000 / 512 + 1);
	boot_disk_free(&d);
}
END_TEST

START_TEST(test_a_first_segment_without_file_bytes)
{
	/*
	 * Found by fuzzing: a first loaded segment that is all bss, at 1 MiB, had the disk writer call
	 * memcpy with the image buffer still NULL (for 0 bytes, but undefined all the same; UBSan stops it).
	 */
	struct test_kernel k;
	test_kernel_build(&k);
	k.ph[0].p_filesz = 0;
	k.eh.e_entry = 0x103004; /* in the data segment's file bytes */
	ck_assert_msg(write_disk(&k, "", NULL, 0) == 0, "%s", err);
	struct boot_disk d;
	boot_disk_read(in_dir("disk.img"), &d);
	ck_assert_msg(d.parse_error == NULL, "%s", d.parse_error);
	ck_assert_uint_eq(d.entry, 0x103004);
	for (uint64_t pa = 0x100000; pa < 0x101040; pa += 0x40)
		ck_assert_uint_eq(*boot_disk_at(&d, pa), 0);
	ck_assert_mem_eq(boot_disk_at(&d, 0x103000), k.data, sizeof(k.data));
	boot_disk_free(&d);
}
END_TEST

/* A broken kernel: write_disk fails and err holds `want`. */
static void assert_refused(const struct test_kernel *k, const char *want)
{
	ck_assert_int_eq(write_disk(k, "", NULL, 0), -1);
	ck_assert_msg(strstr(err, want) != NULL, "error '%s' does not say '%s'", err, want);
	ck_assert_msg(strstr(err, "kernel.elf") != NULL, "error '%s' does not name the file", err);
}

START_TEST(test_bad_kernels_are_refused_by_name)
{
	struct test_kernel k;
	test_kernel_build(&k);
	k.eh.e_ident[EI_CLASS] = ELFCLASS32;
	assert_refused(&k, "not an x86-64 ELF64 executable");
	test_kernel_build(&k);
	k.eh.e_machine = EM_386;
	assert_refused(&k, "not an x86-64 ELF64 executable");
	test_kernel_build(&k);
	k.text[3] ^= 0xff; /* the multiboot2 magic */
	assert_refused(&k, "no multiboot2 header");
	test_kernel_build(&k);
	k.text[12] ^= 1; /* its checksum */
	assert_refused(&k, "no multiboot2 header");
	test_kernel_build(&k);
	k.ph[1].p_paddr = 0x7000;
	assert_refused(&k, "segment 1 at 0x7000+0x10 is outside 1 MiB..64 MiB");
	test_kernel_build(&k);
	k.ph[0].p_memsz = 1ull << 40;
	assert_refused(&k, "is outside 1 MiB..64 MiB");
	test_kernel_build(&k);
	k.ph[1].p_filesz = 0x1000;
	k.ph[1].p_memsz = 0x1000;
	assert_refused(&k, "segment 1 runs past the end of the file");
	test_kernel_build(&k);
	k.ph[0].p_filesz = 0x2000;
	assert_refused(&k, "segment 0 has more bytes in the file than in memory");
	test_kernel_build(&k);
	k.ph[0].p_offset = 1u << 20;
	assert_refused(&k, "segment 0 runs past the end of the file");
	test_kernel_build(&k);
	k.eh.e_phnum = 200;
	assert_refused(&k, "program headers outside the file");
	test_kernel_build(&k);
	k.eh.e_entry = 0x200000;
	assert_refused(&k, "entry point 0x200000 is not in the file bytes of a loaded segment");
	test_kernel_build(&k);
	k.eh.e_entry = 0x101800; /* in segment 0's bss */
	assert_refused(&k, "entry point 0x101800 is not in the file bytes of a loaded segment");
	test_kernel_build(&k);
	k.eh.e_entry = 0x102000; /* between the segments */
	assert_refused(&k, "entry point 0x102000 is not in the file bytes of a loaded segment");

	test_write_file(dir, "kernel.elf", "short", 5);
	ck_assert_int_eq(direct_boot_disk_write(in_dir("disk.img"), in_dir("kernel.elf"), "", NULL, 0, err,
						sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "too short for an ELF header"));
	ck_assert_int_eq(direct_boot_disk_write(in_dir("disk.img"), "/nonexistent/vexit.elf", "", NULL, 0, err,
						sizeof(err)), -1);
	ck_assert_str_eq(err, "kernel /nonexistent/vexit.elf: No such file or directory");
}
END_TEST

START_TEST(test_bad_modules_are_refused_by_name)
{
	struct test_kernel k;
	test_kernel_build(&k);
	struct direct_boot_module missing = { .path = "/nonexistent/g.elf", .name = "g" };
	ck_assert_int_eq(write_disk(&k, "", &missing, 1), -1);
	ck_assert_str_eq(err, "module /nonexistent/g.elf: No such file or directory");

	/* More modules than the kernel takes (MB2_MAX_MODULES): refused here, not by a kernel panic. */
	test_write_file(dir, "g.elf", "G", 1);
	char g[128];
	snprintf(g, sizeof(g), "%s", in_dir("g.elf"));
	enum { N = MB2_MAX_MODULES + 1 };
	static char names[N][600];
	static struct direct_boot_module many[N];
	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "g%d", i);
		many[i] = (struct direct_boot_module){ .path = g, .name = names[i] };
	}
	ck_assert_int_eq(write_disk(&k, "", many, N), -1);
	ck_assert_str_eq(err, "257 modules: the kernel takes at most 256 (MB2_MAX_MODULES); use more shards");
	ck_assert_msg(write_disk(&k, "", many, N - 1) == 0, "%s", err);
	/* Names too long for the boot information the loader has room for (below its bounce buffer). */
	for (int i = 0; i < 64; i++)
		snprintf(names[i], sizeof(names[i]), "%0500d", i);
	ck_assert_int_eq(write_disk(&k, "", many, 64), -1);
	ck_assert_msg(strstr(err, "the boot information for 64 modules needs") != NULL, "%s", err);
}
END_TEST

START_TEST(test_a_disk_that_is_not_written_is_named)
{
	struct test_kernel k;
	test_kernel_build(&k);
	ck_assert_int_eq(direct_boot_disk_write("/nonexistent/disk.img", kernel_write(&k), "", NULL, 0, err,
						sizeof(err)), -1);
	ck_assert_str_eq(err, "cannot write /nonexistent/disk.img: No such file or directory");
}
END_TEST

START_TEST(test_the_blank_disk_does_not_boot)
{
	ck_assert_int_eq(direct_boot_blank_disk(in_dir("blank.img")), 0);
	size_t len;
	char *b = file_read(in_dir("blank.img"), 1u << 20, &len);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(len, 16 * 63 * 512);
	ck_assert(b[510] == 0 && b[511] == 0); /* no boot signature */
	free(b);
	ck_assert_int_eq(direct_boot_blank_disk("/nonexistent/blank.img"), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("direct_boot");
	TCase *tc = tcase_create("disk");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_kernel_and_modules_land_where_the_boot_information_says);
	tcase_add_test(tc, test_the_entry_point_is_translated_to_its_physical_address);
	tcase_add_test(tc, test_no_modules_and_an_empty_command_line);
	tcase_add_test(tc, test_a_first_segment_without_file_bytes);
	tcase_add_test(tc, test_bad_kernels_are_refused_by_name);
	tcase_add_test(tc, test_bad_modules_are_refused_by_name);
	tcase_add_test(tc, test_a_disk_that_is_not_written_is_named);
	tcase_add_test(tc, test_the_blank_disk_does_not_boot);
	suite_add_tcase(s, tc);
	return run_suite(s, CK_NORMAL);
}
