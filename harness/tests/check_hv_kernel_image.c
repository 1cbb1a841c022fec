/*
 * Unit tests of the external-kernel loader: hypervisor/vm/kernel_image.c (a
 * multiboot v1 kernel, ELF32, ELF64 or the header's a.out-kludge addresses,
 * loaded as the Multiboot Specification 0.6.96 says) and vm/multiboot_info.c
 * (the boot information EBX points at). Images are built here byte by byte;
 * the VM is test_vm_create's, whose guest pages are in reverse order on the
 * host. Every malformed image must be refused with its own token, never read
 * out of bounds (ASan watches).
 */
#include <check.h>
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/multiboot2.h"
#include "kernel/page_alloc.h"
#include "run_suite.h"
#include "test_vm.h"
#include "vm/guest_mem.h"
#include "vm/kernel_image.h"
#include "vm/multiboot_info.h"

#define IMG_MAX 0x3000
#define HDR_OFF 0x100  /* where the builders put the multiboot header */
#define DATA_OFF 0x200 /* where the segments' bytes start in the file */
#define LOAD 0x100000u /* 1 MiB, where a kernel usually loads */

static struct test_vm t;
static uint8_t img[IMG_MAX];
static size_t img_len;

static void setup(void)
{
	test_vm_create(&t, "kernel", 0xaa); /* 0xaa, so zero-filling is visible */
	memset(img, 0, sizeof(img));
}

static void teardown(void)
{
	test_vm_destroy(&t);
}

static void put_header(size_t off, uint32_t flags)
{
	uint32_t h[3] = { MB1_HEADER_MAGIC, flags, -(MB1_HEADER_MAGIC + flags) };
	memcpy(img + off, h, sizeof(h));
}

/* An ELF32 kernel: code (0x100 bytes of 0x90) at LOAD, data of 0x40 bytes + 0x1000 of bss after it. */
static void build_elf32(void)
{
	Elf32_Ehdr eh = { .e_type = ET_EXEC, .e_machine = EM_386, .e_version = EV_CURRENT, .e_entry = LOAD + 0x10,
			  .e_phoff = sizeof(Elf32_Ehdr), .e_ehsize = sizeof(Elf32_Ehdr),
			  .e_phentsize = sizeof(Elf32_Phdr), .e_phnum = 2 };
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS32;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	Elf32_Phdr ph[2] = {
		{ .p_type = PT_LOAD, .p_offset = DATA_OFF, .p_paddr = LOAD, .p_vaddr = LOAD, .p_filesz = 0x100,
		  .p_memsz = 0x100, .p_flags = PF_R | PF_X },
		{ .p_type = PT_LOAD, .p_offset = DATA_OFF + 0x100, .p_paddr = LOAD + 0x1000, .p_vaddr = LOAD + 0x1000,
		  .p_filesz = 0x40, .p_memsz = 0x1040, .p_flags = PF_R | PF_W },
	};
	memcpy(img, &eh, sizeof(eh));
	memcpy(img + eh.e_phoff, ph, sizeof(ph));
	put_header(HDR_OFF, MB1_FLAG_PAGE_ALIGN | MB1_FLAG_MEMORY_INFO);
	memset(img + DATA_OFF, 0x90, 0x100);
	memset(img + DATA_OFF + 0x100, 0x5d, 0x40);
	img_len = DATA_OFF + 0x140;
}

static Elf32_Ehdr *eh32(void) { return (Elf32_Ehdr *)img; }
static Elf32_Phdr *ph32(unsigned i) { return (Elf32_Phdr *)(img + sizeof(Elf32_Ehdr)) + i; }

/* The same kernel as an ELF64 file. */
static void build_elf64(void)
{
	Elf64_Ehdr eh = { .e_type = ET_EXEC, .e_machine = EM_X86_64, .e_version = EV_CURRENT, .e_entry = LOAD + 0x10,
			  .e_phoff = sizeof(Elf64_Ehdr), .e_ehsize = sizeof(Elf64_Ehdr),
			  .e_phentsize = sizeof(Elf64_Phdr), .e_phnum = 2 };
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	Elf64_Phdr ph[2] = {
		{ .p_type = PT_LOAD, .p_offset = DATA_OFF, .p_paddr = LOAD, .p_vaddr = 0xffffffff80000000ull + LOAD,
		  .p_filesz = 0x100, .p_memsz = 0x100, .p_flags = PF_R | PF_X },
		{ .p_type = PT_LOAD, .p_offset = DATA_OFF + 0x100, .p_paddr = LOAD + 0x1000, .p_vaddr = LOAD + 0x1000,
		  .p_filesz = 0x40, .p_memsz = 0x1040, .p_flags = PF_R | PF_W },
	};
	memcpy(img, &eh, sizeof(eh));
	memcpy(img + eh.e_phoff, ph, sizeof(ph));
	put_header(HDR_OFF, 0);
	memset(img + DATA_OFF, 0x90, 0x100);
	memset(img + DATA_OFF + 0x100, 0x5d, 0x40);
	img_len = DATA_OFF + 0x140;
}

/* A flat image loaded by the header's addresses: the file is loaded whole at LOAD, 0x800 bytes of bss. */
static void build_aout(void)
{
	memset(img, 0xc3, 0x400);
	uint32_t h[8] = { MB1_HEADER_MAGIC, MB1_FLAG_AOUT_KLUDGE, -(MB1_HEADER_MAGIC + MB1_FLAG_AOUT_KLUDGE),
			  LOAD + 0x20, LOAD, 0, LOAD + 0x400 + 0x800, LOAD + 0x40 };
	memcpy(img + 0x20, h, sizeof(h));
	img_len = 0x400;
}

static uint32_t *aout_field(unsigned i) { return (uint32_t *)(img + 0x20) + i; }

static const char *load(uint32_t *entry, struct kernel_ranges *used)
{
	return kernel_image_load(t.vm, img, img_len, entry, used);
}

static void expect_refused(const char *why)
{
	uint32_t entry;
	struct kernel_ranges used;
	const char *got = load(&entry, &used);
	ck_assert_msg(got != NULL, "image loaded; want refusal '%s'", why);
	ck_assert_str_eq(got, why);
}

/* The size-byte little-endian value at gpa. */
static uint64_t gval(uint64_t gpa, size_t size)
{
	uint64_t v = 0;
	ck_assert(guest_mem_read(t.vm, gpa, &v, size));
	return v;
}

#define gbyte(gpa) gval(gpa, 1)
#define g32(gpa) gval(gpa, 4)
#define g64(gpa) gval(gpa, 8)

static void check_loaded_elf(uint32_t entry, const struct kernel_ranges *used)
{
	ck_assert_uint_eq(entry, LOAD + 0x10);
	ck_assert_uint_eq(gbyte(LOAD), 0x90);
	ck_assert_uint_eq(gbyte(LOAD + 0xff), 0x90);
	ck_assert_uint_eq(gbyte(LOAD + 0x100), 0xaa); /* untouched between the segments */
	ck_assert_uint_eq(gbyte(LOAD + 0x1000), 0x5d);
	ck_assert_uint_eq(gbyte(LOAD + 0x103f), 0x5d);
	ck_assert_uint_eq(gbyte(LOAD + 0x1040), 0);    /* bss zeroed... */
	ck_assert_uint_eq(gbyte(LOAD + 0x203f), 0);
	ck_assert_uint_eq(gbyte(LOAD + 0x2040), 0xaa); /* ...and no further */
	ck_assert_uint_eq(used->n, 2);
	ck_assert_uint_eq(used->r[0].start, LOAD);
	ck_assert_uint_eq(used->r[0].end, LOAD + 0x100);
	ck_assert_uint_eq(used->r[1].start, LOAD + 0x1000);
	ck_assert_uint_eq(used->r[1].end, LOAD + 0x2040);
}

START_TEST(test_elf32_loads)
{
	build_elf32();
	ck_assert(kernel_image_is_multiboot(img, img_len));
	uint32_t entry;
	struct kernel_ranges used;
	ck_assert_ptr_null(load(&entry, &used));
	check_loaded_elf(entry, &used);
}
END_TEST

START_TEST(test_elf64_loads_by_physical_address)
{
	build_elf64();
	uint32_t entry;
	struct kernel_ranges used;
	ck_assert_ptr_null(load(&entry, &used));
	check_loaded_elf(entry, &used);
}
END_TEST

START_TEST(test_aout_kludge_loads)
{
	build_aout();
	uint32_t entry;
	struct kernel_ranges used;
	ck_assert_ptr_null(load(&entry, &used));
	ck_assert_uint_eq(entry, LOAD + 0x40);
	ck_assert_uint_eq(gbyte(LOAD), 0xc3);
	ck_assert_uint_eq(g32(LOAD + 0x20), MB1_HEADER_MAGIC); /* the header sits at header_addr */
	ck_assert_uint_eq(gbyte(LOAD + 0x3ff), 0xc3);
	ck_assert_uint_eq(gbyte(LOAD + 0x400), 0);
	ck_assert_uint_eq(gbyte(LOAD + 0xbff), 0);
	ck_assert_uint_eq(gbyte(LOAD + 0xc00), 0xaa);
	ck_assert_uint_eq(used.n, 1);
	ck_assert_uint_eq(used.r[0].end, LOAD + 0xc00);
	/* load_end_addr cuts the file; bss_end_addr 0: no bss. */
	*aout_field(5) = LOAD + 0x100;
	*aout_field(6) = 0;
	memset(t.host, 0xaa, GUEST_MEM_SIZE);
	ck_assert_ptr_null(load(&entry, &used));
	ck_assert_uint_eq(gbyte(LOAD + 0xff), 0xc3);
	ck_assert_uint_eq(gbyte(LOAD + 0x100), 0xaa);
}
END_TEST

START_TEST(test_header_search)
{
	build_elf32();
	/* No magic; a magic past the first 8 KiB; a magic not 4-byte aligned: none is a multiboot kernel. */
	memset(img + HDR_OFF, 0, 12);
	ck_assert(!kernel_image_is_multiboot(img, img_len));
	expect_refused("no-multiboot-header");
	img_len = IMG_MAX;
	put_header(MB1_SEARCH_BYTES, 0);
	ck_assert(!kernel_image_is_multiboot(img, img_len));
	memset(img + MB1_SEARCH_BYTES, 0, 12);
	put_header(HDR_OFF + 2, 0);
	ck_assert(!kernel_image_is_multiboot(img, img_len));
	/* The last aligned place in the first 8 KiB counts. */
	memset(img + HDR_OFF + 2, 0, 12);
	put_header(MB1_SEARCH_BYTES - 12, 0);
	ck_assert(kernel_image_is_multiboot(img, img_len));
	/* A header cut by the end of the file is not one. */
	ck_assert(!kernel_image_is_multiboot(img, MB1_SEARCH_BYTES - 4));
	/* A vexit test guest (ELF64, no header) is not. */
	ck_assert(!kernel_image_is_multiboot((const uint8_t *)"\177ELF", 4));
}
END_TEST

START_TEST(test_header_refusals)
{
	build_elf32();
	uint32_t *h = (uint32_t *)(img + HDR_OFF);
	h[2] += 1;
	ck_assert(!kernel_image_is_multiboot(img, img_len));
	expect_refused("multiboot-bad-checksum");
	/* A requirement (flags 15:0) vexit does not know: bit 3, and bit 15. */
	put_header(HDR_OFF, 1u << 3);
	expect_refused("multiboot-unsupported-flags");
	put_header(HDR_OFF, 1u << 15);
	expect_refused("multiboot-unsupported-flags");
	/* Optional flags (31:16) vexit does not know are fine; the video request is met by saying nothing. */
	put_header(HDR_OFF, (1u << 20) | MB1_FLAG_VIDEO_MODE);
	uint32_t entry;
	struct kernel_ranges used;
	ck_assert_ptr_null(load(&entry, &used));
}
END_TEST

START_TEST(test_elf_refusals)
{
	build_elf32();
	img[0] = 'X';
	expect_refused("not-elf");
	build_elf32();
	img[EI_CLASS] = 3;
	expect_refused("not-elf32-or-elf64");
	build_elf32();
	img[EI_DATA] = ELFDATA2MSB;
	expect_refused("not-little-endian");
	build_elf32();
	eh32()->e_machine = EM_X86_64; /* an ELF32 must be i386 */
	expect_refused("not-x86");
	build_elf64();
	((Elf64_Ehdr *)img)->e_machine = EM_386;
	expect_refused("not-x86");
	build_elf32();
	eh32()->e_type = ET_DYN;
	expect_refused("not-an-executable");
	build_elf32();
	eh32()->e_phentsize = sizeof(Elf64_Phdr);
	expect_refused("bad-program-headers");
	build_elf32();
	eh32()->e_phnum = 0;
	expect_refused("bad-program-headers");
	build_elf32();
	eh32()->e_phnum = 65;
	expect_refused("bad-program-headers");
	build_elf32();
	eh32()->e_phoff = (uint32_t)img_len - 8;
	expect_refused("truncated");
	build_elf32();
	eh32()->e_phoff = 0xfffffff0u;
	expect_refused("truncated");
	build_elf32();
	ph32(0)->p_type = PT_NOTE;
	ph32(1)->p_memsz = 0;
	expect_refused("no-loadable-segment");
}
END_TEST

START_TEST(test_segment_refusals)
{
	build_elf32();
	ph32(1)->p_filesz = 0x2000;
	expect_refused("segment-file-size-exceeds-memory-size");
	build_elf32();
	ph32(1)->p_offset = (uint32_t)img_len - 0x3f;
	expect_refused("truncated");
	build_elf32();
	ph32(1)->p_offset = 0xffffffc0u;
	expect_refused("truncated");
	build_elf32();
	ph32(1)->p_paddr = GUEST_MEM_SIZE - 0x1000; /* the bss runs past the end of guest memory */
	expect_refused("segment-outside-guest-memory");
	build_elf32();
	ph32(1)->p_paddr = 0xfffff000u; /* paddr + memsz wraps 32 bits */
	expect_refused("segment-outside-guest-memory");
	build_elf64();
	((Elf64_Phdr *)(img + sizeof(Elf64_Ehdr)))[1].p_paddr = 0xfffffffffffff000ull;
	expect_refused("segment-outside-guest-memory");
	build_elf32();
	eh32()->e_entry = LOAD + 0x100; /* between the segments */
	expect_refused("entry-outside-loaded-image");
	build_elf64();
	((Elf64_Ehdr *)img)->e_entry = (1ull << 32) + LOAD;
	expect_refused("entry-above-4g");
}
END_TEST

START_TEST(test_aout_refusals)
{
	build_aout();
	*aout_field(4) = LOAD + 0x24; /* load_addr after header_addr */
	expect_refused("multiboot-load-address-after-header");
	build_aout();
	*aout_field(4) = LOAD - 0x100; /* the load would start before the file */
	expect_refused("multiboot-load-address-after-header");
	build_aout();
	*aout_field(5) = LOAD - 1;
	expect_refused("multiboot-load-end-before-load");
	build_aout();
	*aout_field(6) = LOAD + 0x3ff;
	expect_refused("multiboot-bss-end-before-load-end");
	build_aout();
	*aout_field(5) = LOAD + 0x800; /* more than the file holds */
	expect_refused("truncated");
	build_aout();
	*aout_field(7) = LOAD + 0x1000; /* entry past the bss */
	expect_refused("entry-outside-loaded-image");
	build_aout();
	img_len = 0x30; /* the header's address fields are cut off */
	expect_refused("truncated");
}
END_TEST

/* --- multiboot version 2 headers (Multiboot 2.0, 3.1) --------------------------------------- */

/* A version 2 header at off: magic, architecture, length, checksum, then the tags (each 8-aligned, given
 * as 32-bit words: type | flags << 16, size, body...), then the end tag. */
static void put_header2(size_t off, uint32_t arch, const uint32_t *tags, size_t n_words)
{
	uint32_t len = (uint32_t)(16 + n_words * 4 + 8);
	uint32_t h[4] = { MB2_HEADER_MAGIC, arch, len, -(MB2_HEADER_MAGIC + arch + len) };
	memcpy(img + off, h, sizeof(h));
	memcpy(img + off + 16, tags, n_words * 4);
	uint32_t end[2] = { 0, 8 };
	memcpy(img + off + 16 + n_words * 4, end, sizeof(end));
}

/* The ELF32 kernel with a version 2 header in place of the version 1 one. */
static void build_elf32_mb2(const uint32_t *tags, size_t n_words)
{
	build_elf32();
	memset(img + HDR_OFF, 0, 12);
	put_header2(HDR_OFF, 0, tags, n_words);
}

static void build_mb2_flat(void)
{
	build_aout();
	const uint32_t tags[] = { 2, 24, LOAD + 0x20, LOAD, 0, LOAD + 0x400 + 0x800, 3, 12, LOAD + 0x80, 0 };
	put_header2(0x20, 0, tags, 10);
}

START_TEST(test_mb2_elf_loads)
{
	static const uint32_t tags[] = { 1, 16, 6, 4 }; /* an information request: memory map, basic meminfo */
	build_elf32_mb2(tags, 4);
	ck_assert_int_eq(kernel_image_format(img, img_len), KERNEL_MULTIBOOT2);
	ck_assert(kernel_image_is_multiboot(img, img_len));
	uint32_t entry;
	struct kernel_ranges used;
	ck_assert_ptr_null(load(&entry, &used));
	check_loaded_elf(entry, &used);
	/* An entry address tag overrides the ELF's. */
	static const uint32_t with_entry[] = { 3, 12, LOAD + 0x20, 0 };
	build_elf32_mb2(with_entry, 4);
	ck_assert_ptr_null(load(&entry, &used));
	ck_assert_uint_eq(entry, LOAD + 0x20);
}
END_TEST

START_TEST(test_mb2_address_tag_loads_flat)
{
	/* The flat image of build_aout, with a version 2 header at 0x20: address and entry tags. */
	build_aout();
	memset(img + 0x20, 0xc3, 32);
	const uint32_t tags[] = { 2, 24, LOAD + 0x20, LOAD, 0, LOAD + 0x400 + 0x800, 3, 12, LOAD + 0x80, 0 };
	put_header2(0x20, 0, tags, 10);
	uint32_t entry;
	struct kernel_ranges used;
	ck_assert_ptr_null(load(&entry, &used));
	ck_assert_uint_eq(entry, LOAD + 0x80);
	ck_assert_uint_eq(g32(LOAD + 0x20), MB2_HEADER_MAGIC);
	ck_assert_uint_eq(gbyte(LOAD + 0x3ff), 0xc3);
	ck_assert_uint_eq(gbyte(LOAD + 0xbff), 0);
	ck_assert_uint_eq(gbyte(LOAD + 0xc00), 0xaa);
	/* An address tag needs an entry tag. */
	put_header2(0x20, 0, tags, 6);
	expect_refused("multiboot2-address-without-entry");
}
END_TEST

START_TEST(test_mb2_refusals)
{
	static const uint32_t none[] = { 0 };
	build_elf32_mb2(none, 0);
	img[HDR_OFF + 12] ^= 1;
	ck_assert(!kernel_image_is_multiboot(img, img_len));
	expect_refused("multiboot-bad-checksum");
	build_elf32();
	memset(img + HDR_OFF, 0, 12);
	put_header2(HDR_OFF, 4, none, 0); /* MIPS */
	expect_refused("multiboot2-not-i386");
	build_elf32_mb2(none, 0);
	uint32_t *len = (uint32_t *)(img + HDR_OFF + 8), *sum = (uint32_t *)(img + HDR_OFF + 12);
	*len += 0x10000;
	*sum -= 0x10000;
	expect_refused("truncated");
	/* A tag vexit cannot honour: refused, unless optional. */
	static const uint32_t efi[] = { 7, 8 };
	build_elf32_mb2(efi, 2);
	expect_refused("multiboot2-unsupported-tag");
	static const uint32_t efi_optional[] = { 7 | 1u << 16, 8 };
	build_elf32_mb2(efi_optional, 2);
	uint32_t entry;
	struct kernel_ranges used;
	ck_assert_ptr_null(load(&entry, &used));
	/* An EGA text console required; the framebuffer requested (information type 8). */
	static const uint32_t ega[] = { 4, 12, 1, 0 };
	build_elf32_mb2(ega, 4);
	expect_refused("multiboot2-unsupported-tag");
	static const uint32_t fb[] = { 1, 12, 8, 0 };
	build_elf32_mb2(fb, 4);
	expect_refused("multiboot2-unsupported-request");
	static const uint32_t fb_optional[] = { 1 | 1u << 16, 12, 8, 0 };
	build_elf32_mb2(fb_optional, 4);
	ck_assert_ptr_null(load(&entry, &used));
	/* Tags that run out of the header, or are too short. */
	static const uint32_t long_tag[] = { 6, 0x100 };
	build_elf32_mb2(long_tag, 2);
	expect_refused("multiboot2-bad-tag");
	static const uint32_t short_tag[] = { 6, 4 };
	build_elf32_mb2(short_tag, 2);
	expect_refused("multiboot2-bad-tag");
	static const uint32_t short_addr[] = { 2, 16, 0, 0 };
	build_elf32_mb2(short_addr, 4);
	expect_refused("multiboot2-bad-tag");
	/* No end tag inside the header. */
	build_elf32_mb2(none, 0);
	memset(img + HDR_OFF + 16, 0xff, 8);
	expect_refused("multiboot2-bad-tag");
}
END_TEST

START_TEST(test_every_truncation)
{
	/* Every prefix of a good image is refused or loaded, never read past its end (ASan). */
	void (*builders[])(void) = { build_elf32, build_elf64, build_aout, build_mb2_flat };
	for (unsigned b = 0; b < 4; b++) {
		builders[b]();
		size_t full = img_len;
		for (size_t len = 0; len < full; len++) {
			uint8_t *copy = malloc(len ? len : 1);
			memcpy(copy, img, len);
			uint32_t entry;
			struct kernel_ranges used;
			const char *why = kernel_image_load(t.vm, copy, len, &entry, &used);
			(void)why;
			free(copy);
		}
	}
}
END_TEST

START_TEST(test_format)
{
	build_elf32();
	ck_assert_int_eq(kernel_image_format(img, img_len), KERNEL_MULTIBOOT1);
	static const uint32_t none[] = { 0 };
	put_header2(HDR_OFF + 0x40, 0, none, 0); /* both: version 1 wins */
	ck_assert_int_eq(kernel_image_format(img, img_len), KERNEL_MULTIBOOT1);
	memset(img + HDR_OFF, 0, 12);
	ck_assert_int_eq(kernel_image_format(img, img_len), KERNEL_MULTIBOOT2);
	memset(img + HDR_OFF + 0x40, 0, 16);
	ck_assert_int_eq(kernel_image_format(img, img_len), KERNEL_NOT_MULTIBOOT);
	/* A version 2 magic not 8-byte aligned is none. */
	put_header2(HDR_OFF + 4, 0, none, 0);
	ck_assert_int_eq(kernel_image_format(img, img_len), KERNEL_NOT_MULTIBOOT);
}
END_TEST

/* --- the boot information ------------------------------------------------------------- */

static uint32_t mbi;

static const char *write_info(const struct kernel_ranges *k, const char *cmdline, const struct mb1_module *m,
			      unsigned n)
{
	return multiboot_info_write(t.vm, k, cmdline, m, n, &mbi);
}

static void check_string(uint64_t gpa, const char *want)
{
	for (size_t i = 0; i <= strlen(want); i++)
		ck_assert_msg(gbyte(gpa + i) == (uint8_t)want[i], "string at 0x%lx differs at %zu", gpa, i);
}

START_TEST(test_info_fields)
{
	struct kernel_ranges k = { .n = 1, .r = { { LOAD, LOAD + 0x2000 } } };
	ck_assert_ptr_null(write_info(&k, "msr.flat -t 1", NULL, 0));
	ck_assert_uint_eq(mbi, PAGE_SIZE); /* the lowest free page above page 0 */
	ck_assert_uint_eq(g32(mbi), MB1_INFO_MEMORY | MB1_INFO_CMDLINE | MB1_INFO_MODS | MB1_INFO_MMAP |
					    MB1_INFO_LOADER_NAME);
	ck_assert_uint_eq(g32(mbi + 4), 639);                              /* mem_lower, KiB */
	ck_assert_uint_eq(g32(mbi + 8), (GUEST_MEM_SIZE - 0x100000) / 1024); /* mem_upper, KiB from 1 MiB */
	check_string(g32(mbi + 16), "msr.flat -t 1");
	ck_assert_uint_eq(g32(mbi + 20), 0);
	check_string(g32(mbi + 64), "vexit");
	/* The memory map: available low memory, the two reserved holes, available from 1 MiB to the end. */
	ck_assert_uint_eq(g32(mbi + 44), 4 * MB1_MMAP_ENTRY_SIZE);
	uint64_t m = g32(mbi + 48);
	static const uint64_t want[4][3] = { { 0, 0x9fc00, 1 }, { 0x9fc00, 0x400, 2 }, { 0xf0000, 0x10000, 2 },
					     { 0x100000, GUEST_MEM_SIZE - 0x100000, 1 } };
	for (unsigned i = 0; i < 4; i++, m += MB1_MMAP_ENTRY_SIZE) {
		ck_assert_uint_eq(g32(m), 20);
		ck_assert_uint_eq(g64(m + 4), want[i][0]);
		ck_assert_uint_eq(g64(m + 12), want[i][1]);
		ck_assert_uint_eq(g32(m + 20), want[i][2]);
	}
	/* The framebuffer and other optional fields stay zero. */
	for (unsigned off = 72; off < MB1_INFO_SIZE; off += 4)
		ck_assert_uint_eq(g32(mbi + off), 0);
}
END_TEST

START_TEST(test_info_avoids_the_kernel)
{
	/* A kernel in low memory (like realmode.flat at 0x8000): the information goes around it. */
	struct kernel_ranges k = { .n = 2, .r = { { 0x1000, 0x3000 }, { 0x3000, 0x4001 } } };
	ck_assert_ptr_null(write_info(&k, "realmode", NULL, 0));
	ck_assert_uint_eq(mbi, 0x5000);
	/* Low memory full up to the hole: above 1 MiB. */
	k = (struct kernel_ranges){ .n = 1, .r = { { 0, 0x9f001 } } };
	ck_assert_ptr_null(write_info(&k, "x", NULL, 0));
	ck_assert_uint_eq(mbi, 0x100000);
	/* No room anywhere. */
	k = (struct kernel_ranges){ .n = 2, .r = { { 0, 0x9f800 }, { 0x100000, GUEST_MEM_SIZE - 16 } } };
	ck_assert_str_eq(write_info(&k, "x", NULL, 0), "boot-information-does-not-fit");
}
END_TEST

START_TEST(test_info_modules)
{
	struct kernel_ranges k = { .n = 1, .r = { { LOAD, LOAD + 0x2000 } } };
	static const char env[] = "NR_CPUS=1\nMEMSIZE=2\n";
	uint8_t big[5000];
	memset(big, 0x77, sizeof(big));
	struct mb1_module mods[2] = { { (const uint8_t *)env, sizeof(env) - 1, "env" }, { big, sizeof(big), "big x" } };
	ck_assert_ptr_null(write_info(&k, "k", mods, 2));
	ck_assert_uint_eq(g32(mbi + 20), 2);
	uint64_t e = g32(mbi + 24);
	/* Module 0: page-aligned, its bytes, its string. */
	ck_assert_uint_eq(g32(e) % PAGE_SIZE, 0);
	ck_assert_uint_eq(g32(e + 4) - g32(e), sizeof(env) - 1);
	ck_assert_uint_eq(gbyte(g32(e)), 'N');
	check_string(g32(e + 8), "env");
	/* Module 1: its own pages, not overlapping module 0 or the kernel. */
	ck_assert_uint_eq(g32(e + 16) % PAGE_SIZE, 0);
	ck_assert_uint_ge(g32(e + 16), g32(e + 4));
	ck_assert_uint_eq(g32(e + 20) - g32(e + 16), sizeof(big));
	ck_assert_uint_eq(gbyte(g32(e + 20) - 1), 0x77);
	check_string(g32(e + 24), "big x");
	ck_assert(g32(e + 20) <= LOAD || g32(e + 16) >= LOAD + 0x2000);
	ck_assert(mbi >= g32(e + 20) || mbi + MB1_INFO_SIZE <= g32(e));
	/* Too many. */
	struct mb1_module many[MB1_MAX_MODULES + 1];
	for (unsigned i = 0; i <= MB1_MAX_MODULES; i++)
		many[i] = mods[0];
	ck_assert_str_eq(write_info(&k, "k", many, MB1_MAX_MODULES + 1), "too-many-modules");
	/* A module bigger than guest memory. */
	struct mb1_module huge = { big, GUEST_MEM_SIZE, "huge" };
	ck_assert_str_eq(write_info(&k, "k", &huge, 1), "modules-do-not-fit");
}
END_TEST

START_TEST(test_info2_read_by_vexits_own_parser)
{
	/* vexit's own multiboot2 parser (kernel/multiboot2.c) must read what the writer writes. */
	struct kernel_ranges k = { .n = 1, .r = { { LOAD, LOAD + 0x2000 } } };
	static const char env[] = "NR_CPUS=1\n";
	struct mb1_module mods[1] = { { (const uint8_t *)env, sizeof(env) - 1, "env file" } };
	ck_assert_ptr_null(multiboot2_info_write(t.vm, &k, "vexit tests=none", mods, 1, &mbi));
	ck_assert_uint_eq(mbi % 8, 0);
	uint32_t total = g32(mbi);
	ck_assert_uint_lt(total, 4096);
	uint8_t *copy = aligned_alloc(8, 4096);
	ck_assert(guest_mem_read(t.vm, mbi, copy, total));
	struct boot_info *b = malloc(sizeof(*b));
	const char *why = mb2_parse(copy, b);
	ck_assert_msg(why == NULL, "mb2_parse: %s", why);
	ck_assert_str_eq(b->cmdline, "vexit tests=none");
	ck_assert_uint_eq(b->n_available, 2);
	size_t cursor = 0;
	struct mb2_region region;
	ck_assert(mb2_next_available(b, &cursor, &region));
	ck_assert_uint_eq(region.base, 0);
	ck_assert_uint_eq(region.len, 0x9fc00);
	ck_assert(mb2_next_available(b, &cursor, &region));
	ck_assert_uint_eq(region.base, 0x100000);
	ck_assert_uint_eq(region.len, GUEST_MEM_SIZE - 0x100000);
	ck_assert(!mb2_next_available(b, &cursor, &region));
	ck_assert_uint_eq(b->n_modules, 1);
	ck_assert_str_eq(b->modules[0].cmdline, "env file");
	ck_assert_uint_eq(b->modules[0].end - b->modules[0].start, sizeof(env) - 1);
	ck_assert_uint_eq(gbyte(b->modules[0].start), 'N');
	/* The tags the parser does not read: the loader's name and the basic memory information. */
	int seen = 0;
	for (uint32_t off = 8; off < total;) {
		uint32_t type = g32(mbi + off), size = g32(mbi + off + 4);
		if (type == 2) {
			check_string(mbi + off + 8, "vexit");
			seen |= 1;
		} else if (type == 4) {
			ck_assert_uint_eq(g32(mbi + off + 8), 639);
			ck_assert_uint_eq(g32(mbi + off + 12), (GUEST_MEM_SIZE - 0x100000) / 1024);
			seen |= 2;
		}
		off += (size + 7) & ~7u;
	}
	ck_assert_int_eq(seen, 3);
	free(b);
	free(copy);
}
END_TEST

static Suite *kernel_image_suite(void)
{
	Suite *s = suite_create("hv_kernel_image");
	TCase *tc = tcase_create("load");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_elf32_loads);
	tcase_add_test(tc, test_elf64_loads_by_physical_address);
	tcase_add_test(tc, test_aout_kludge_loads);
	tcase_add_test(tc, test_header_search);
	tcase_add_test(tc, test_header_refusals);
	tcase_add_test(tc, test_elf_refusals);
	tcase_add_test(tc, test_segment_refusals);
	tcase_add_test(tc, test_aout_refusals);
	tcase_add_test(tc, test_every_truncation);
	tcase_add_test(tc, test_mb2_elf_loads);
	tcase_add_test(tc, test_mb2_address_tag_loads_flat);
	tcase_add_test(tc, test_mb2_refusals);
	tcase_add_test(tc, test_format);
	suite_add_tcase(s, tc);
	TCase *info = tcase_create("boot_information");
	tcase_add_checked_fixture(info, setup, teardown);
	tcase_add_test(info, test_info_fields);
	tcase_add_test(info, test_info_avoids_the_kernel);
	tcase_add_test(info, test_info_modules);
	tcase_add_test(info, test_info2_read_by_vexits_own_parser);
	suite_add_tcase(s, info);
	return s;
}

int main(void)
{
	return run_suite(kernel_image_suite(), CK_NORMAL);
}
