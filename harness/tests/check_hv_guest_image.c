/*
 * Unit tests of hypervisor/vm/guest_image.c: loading an ELF64 guest image
 * into guest memory, and refusing every malformed one with its `why=` token
 * (docs/protocol.md, stop `bad-image`). Images are built here with the host's
 * <elf.h>, independently of the loader's own structs. Each load gets a private
 * heap copy of exactly `size` bytes, so valgrind sees any read past the image.
 */
#include <check.h>
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quiet_assert.h"
#include "run_suite.h"
#include "test_vm.h"
#include "vm/guest_image.h"
#include "vm/guest_layout.h"
#include "vm/guest_mem.h"
#include "vm/vm.h"

static struct test_vm t;
static struct vm *vm;

static uint8_t *hbyte(uint64_t gpa)
{
	return test_vm_byte(&t, gpa);
}

static void setup(void)
{
	test_vm_create(&t, "image", 0xaa); /* 0xaa, so zero-filling is visible */
	vm = t.vm;
}

static void teardown(void)
{
	test_vm_destroy(&t);
}

/* --- building images ------------------------------------------------------------------- */

#define TEXT_OFF 0x400
#define DATA_OFF 0x500
#define TEXT_GPA GUEST_IMAGE_BASE            /* 0x10000 */
#define DATA_GPA (GUEST_IMAGE_BASE + 0x1000) /* 0x11000 */
#define BSS_SIZE 0x2000

static const uint8_t text[16] = { 0x48, 0x31, 0xc0, 0x90, 0x66, 0xba, 0xf4, 0x00, 0xee, 0xf4,
				  0xeb, 0xfe, 0xcc, 0xcc, 0xcc, 0xcc };
static const uint8_t data[8] = { 'v', 'e', 'x', 'i', 't', 0, 1, 2 };

struct image {
	_Alignas(8) uint8_t bytes[8192];
	size_t len;
	Elf64_Ehdr *eh;
	Elf64_Phdr *ph; /* eh->e_phnum entries at e_phoff */
};

/*
 * A good image, as the guest linker script makes them: text (R+X) at the image
 * base, data + bss (RW) a page above it, and a PT_GNU_STACK that is not loaded.
 */
static void image_good(struct image *im)
{
	memset(im, 0, sizeof(*im));
	im->eh = (Elf64_Ehdr *)im->bytes;
	im->ph = (Elf64_Phdr *)(im->bytes + sizeof(Elf64_Ehdr));
	Elf64_Ehdr *eh = im->eh;
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = TEXT_GPA + 4;
	eh->e_phoff = sizeof(Elf64_Ehdr);
	eh->e_ehsize = sizeof(Elf64_Ehdr);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = 3;

	im->ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = TEXT_OFF,
				  .p_vaddr = TEXT_GPA, .p_paddr = TEXT_GPA, .p_filesz = sizeof(text),
				  .p_memsz = sizeof(text), .p_align = 0x1000 };
	im->ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = DATA_OFF,
				  .p_vaddr = DATA_GPA, .p_paddr = DATA_GPA, .p_filesz = sizeof(data),
				  .p_memsz = sizeof(data) + BSS_SIZE, .p_align = 0x1000 };
	im->ph[2] = (Elf64_Phdr){ .p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W };
	memcpy(im->bytes + TEXT_OFF, text, sizeof(text));
	memcpy(im->bytes + DATA_OFF, data, sizeof(data));
	im->len = DATA_OFF + sizeof(data);
}

/* Load the first `size` bytes of the image from an exact-size heap copy. */
static const char *load_n(const struct image *im, size_t size, uint64_t *entry)
{
	uint8_t *copy = malloc(size ? size : 1);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, im->bytes, size);
	const char *why = guest_image_load(vm, copy, size, entry);
	free(copy);
	return why;
}

static const char *load(const struct image *im, uint64_t *entry)
{
	return load_n(im, im->len, entry);
}

/* The image must be refused with exactly this token, leaving *entry alone. */
static void expect_refused(const struct image *im, const char *why)
{
	uint64_t entry = 0x5eed;
	const char *got = load(im, &entry);
	ck_assert_msg(got != NULL, "image accepted, want why=%s", why);
	ck_assert_str_eq(got, why);
	ck_assert_uint_eq(entry, 0x5eed);
}

/* A token goes into `why=<token>`: it must be one protocol word. */
static void expect_token(const char *why)
{
	ck_assert_ptr_nonnull(why);
	ck_assert_uint_gt(strlen(why), 0);
	for (const char *c = why; *c; c++)
		ck_assert_msg((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-',
			      "why token '%s' is not [a-z0-9-]+", why);
}

static int memory_untouched(void)
{
	for (uint64_t g = 0; g < GUEST_MEM_SIZE; g++)
		if (*hbyte(g) != 0xaa)
			return 0;
	return 1;
}

/* --- good images ----------------------------------------------------------------------- */

START_TEST(test_good_image)
{
	struct image im;
	image_good(&im);
	uint64_t entry = 0;
	ck_assert_ptr_null(load(&im, &entry));
	ck_assert_uint_eq(entry, TEXT_GPA + 4);
	/* Text and data are where their physical addresses say... */
	for (size_t i = 0; i < sizeof(text); i++)
		quiet_assert_uint_eq(*hbyte(TEXT_GPA + i), text[i], "text byte %zu", i);
	for (size_t i = 0; i < sizeof(data); i++)
		quiet_assert_uint_eq(*hbyte(DATA_GPA + i), data[i], "data byte %zu", i);
	/* ...the bss is zeroed... */
	for (uint64_t g = DATA_GPA + sizeof(data); g < DATA_GPA + sizeof(data) + BSS_SIZE; g++)
		quiet_assert_uint_eq(*hbyte(g), 0, "bss byte at 0x%lx", g);
	/* ...and nothing else is written. */
	ck_assert_uint_eq(*hbyte(TEXT_GPA - 1), 0xaa);
	ck_assert_uint_eq(*hbyte(TEXT_GPA + sizeof(text)), 0xaa);
	ck_assert_uint_eq(*hbyte(DATA_GPA - 1), 0xaa);
	ck_assert_uint_eq(*hbyte(DATA_GPA + sizeof(data) + BSS_SIZE), 0xaa);
	ck_assert_uint_eq(*hbyte(GUEST_PML4), 0xaa);
}
END_TEST

START_TEST(test_entry_edges)
{
	struct image im;
	uint64_t entry;
	image_good(&im);
	im.eh->e_entry = TEXT_GPA; /* first byte */
	ck_assert_ptr_null(load(&im, &entry));
	ck_assert_uint_eq(entry, TEXT_GPA);
	im.eh->e_entry = TEXT_GPA + sizeof(text) - 1; /* last byte */
	ck_assert_ptr_null(load(&im, &entry));
	/* The zero-filled tail of an executable segment is still inside it. */
	im.ph[0].p_memsz = 0x100;
	im.eh->e_entry = TEXT_GPA + 0x80;
	ck_assert_ptr_null(load(&im, &entry));
	ck_assert_uint_eq(entry, TEXT_GPA + 0x80);
	ck_assert_uint_eq(*hbyte(TEXT_GPA + 0x80), 0);
}
END_TEST

START_TEST(test_segment_ending_at_limit)
{
	/* A segment may end exactly at GUEST_IMAGE_LIMIT. */
	struct image im;
	image_good(&im);
	im.ph[0].p_paddr = im.ph[0].p_vaddr = GUEST_IMAGE_LIMIT - sizeof(text);
	im.eh->e_entry = GUEST_IMAGE_LIMIT - 1;
	uint64_t entry;
	ck_assert_ptr_null(load(&im, &entry));
	ck_assert_uint_eq(*hbyte(GUEST_IMAGE_LIMIT - sizeof(text)), text[0]);
	ck_assert_uint_eq(*hbyte(GUEST_IMAGE_LIMIT), 0xaa);
}
END_TEST

START_TEST(test_max_program_headers)
{
	/* 64 headers (the loader's limit): one load segment and 63 PT_NULL ones. */
	struct image im;
	image_good(&im);
	im.eh->e_phoff = 0x1000;
	im.eh->e_phnum = 64;
	Elf64_Phdr *ph = (Elf64_Phdr *)(im.bytes + 0x1000);
	memset(ph, 0, 64 * sizeof(*ph));
	ph[63] = im.ph[0];
	im.len = 0x1000 + 64 * sizeof(*ph);
	uint64_t entry;
	ck_assert_ptr_null(load(&im, &entry));
	ck_assert_uint_eq(*hbyte(TEXT_GPA), text[0]);
	im.eh->e_phnum = 65;
	im.len += sizeof(*ph);
	expect_refused(&im, "bad-program-headers");
}
END_TEST

START_TEST(test_non_load_segments_ignored)
{
	/* Headers the loader does not load are not checked, even with absurd offsets. */
	struct image im;
	image_good(&im);
	im.ph[2] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_offset = UINT64_MAX, .p_filesz = UINT64_MAX,
				 .p_paddr = 0, .p_memsz = UINT64_MAX };
	uint64_t entry;
	ck_assert_ptr_null(load(&im, &entry));
	/* So is an empty PT_LOAD anywhere. */
	im.ph[2] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_X, .p_paddr = 0, .p_memsz = 0 };
	ck_assert_ptr_null(load(&im, &entry));
	ck_assert_uint_eq(*hbyte(0), 0xaa);
}
END_TEST

/* --- refused images -------------------------------------------------------------------- */

START_TEST(test_empty_and_short)
{
	struct image im;
	image_good(&im);
	uint64_t entry = 0x5eed;
	ck_assert_str_eq(load_n(&im, 0, &entry), "truncated");
	ck_assert_str_eq(load_n(&im, 1, &entry), "truncated");
	ck_assert_str_eq(load_n(&im, 4, &entry), "truncated");
	ck_assert_str_eq(load_n(&im, sizeof(Elf64_Ehdr) - 1, &entry), "truncated");
	/* The header alone: its program headers are missing. */
	ck_assert_str_eq(load_n(&im, sizeof(Elf64_Ehdr), &entry), "truncated");
	/* Headers but not the segment bytes. */
	ck_assert_str_eq(load_n(&im, TEXT_OFF + 8, &entry), "truncated");
	ck_assert_uint_eq(entry, 0x5eed);
	ck_assert(memory_untouched());
}
END_TEST

START_TEST(test_bad_magic)
{
	struct image im;
	image_good(&im);
	im.bytes[3] = 'G';
	expect_refused(&im, "not-elf");
	image_good(&im);
	im.bytes[0] = 0;
	expect_refused(&im, "not-elf");
	image_good(&im);
	memcpy(im.bytes, "MZ\x90\0", 4);
	expect_refused(&im, "not-elf");
	memset(im.bytes, 0, sizeof(Elf64_Ehdr));
	expect_refused(&im, "not-elf");
	ck_assert(memory_untouched());
}
END_TEST

START_TEST(test_not_elf64_little_endian)
{
	struct image im;
	image_good(&im);
	im.eh->e_ident[EI_CLASS] = ELFCLASS32;
	expect_refused(&im, "not-elf64-little-endian");
	im.eh->e_ident[EI_CLASS] = ELFCLASSNONE;
	expect_refused(&im, "not-elf64-little-endian");
	image_good(&im);
	im.eh->e_ident[EI_DATA] = ELFDATA2MSB;
	expect_refused(&im, "not-elf64-little-endian");
	ck_assert(memory_untouched());
}
END_TEST

START_TEST(test_a_real_elf32_header)
{
	/* A genuine 32-bit header (52 bytes) padded to 64: refused for its class. */
	struct image im;
	memset(&im, 0, sizeof(im));
	Elf32_Ehdr *eh = (Elf32_Ehdr *)im.bytes;
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS32;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_386;
	eh->e_phoff = sizeof(*eh);
	eh->e_phentsize = sizeof(Elf32_Phdr);
	eh->e_phnum = 1;
	im.len = 256;
	expect_refused(&im, "not-elf64-little-endian");
}
END_TEST

START_TEST(test_not_executable)
{
	static const uint16_t types[] = { ET_NONE, ET_REL, ET_DYN, ET_CORE, 0xfe00 };
	struct image im;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		image_good(&im);
		im.eh->e_type = types[i];
		expect_refused(&im, "not-an-executable");
	}
	ck_assert(memory_untouched());
}
END_TEST

START_TEST(test_wrong_machine)
{
	static const uint16_t machines[] = { EM_NONE, EM_386, EM_AARCH64, EM_RISCV, 0x3e00 };
	struct image im;
	for (size_t i = 0; i < sizeof(machines) / sizeof(machines[0]); i++) {
		image_good(&im);
		im.eh->e_machine = machines[i];
		expect_refused(&im, "not-x86-64");
	}
	ck_assert(memory_untouched());
}
END_TEST

START_TEST(test_bad_program_header_table)
{
	struct image im;
	image_good(&im);
	im.eh->e_phnum = 0;
	expect_refused(&im, "bad-program-headers");
	image_good(&im);
	im.eh->e_phentsize = sizeof(Elf32_Phdr);
	expect_refused(&im, "bad-program-headers");
	image_good(&im);
	im.eh->e_phentsize = sizeof(Elf64_Phdr) + 8;
	expect_refused(&im, "bad-program-headers");
	image_good(&im);
	im.eh->e_phnum = 0xffff;
	expect_refused(&im, "bad-program-headers");
	ck_assert(memory_untouched());
}
END_TEST

START_TEST(test_program_headers_out_of_file)
{
	struct image im;
	image_good(&im);
	im.eh->e_phoff = im.len; /* table starts at the end of the file */
	expect_refused(&im, "truncated");
	im.eh->e_phoff = im.len + 0x1000;
	expect_refused(&im, "truncated");
	im.eh->e_phoff = im.len - sizeof(Elf64_Phdr); /* room for one of the three */
	expect_refused(&im, "truncated");
	im.eh->e_phoff = UINT64_MAX;
	expect_refused(&im, "truncated");
	im.eh->e_phoff = UINT64_MAX - sizeof(Elf64_Phdr) + 1; /* offset + size would wrap to 0 */
	expect_refused(&im, "truncated");
	ck_assert(memory_untouched());
}
END_TEST

START_TEST(test_segment_out_of_file)
{
	struct image im;
	image_good(&im);
	im.ph[0].p_offset = im.len - 4; /* the last 12 bytes are missing */
	expect_refused(&im, "truncated");
	image_good(&im);
	im.ph[0].p_offset = im.len + 1;
	im.ph[0].p_filesz = 0; /* nothing to read, but the offset is already past the end */
	expect_refused(&im, "truncated");
	image_good(&im);
	im.ph[0].p_offset = UINT64_MAX;
	expect_refused(&im, "truncated");
	image_good(&im);
	im.ph[0].p_offset = 16;
	im.ph[0].p_filesz = UINT64_MAX - 8; /* offset + filesz wraps */
	im.ph[0].p_memsz = UINT64_MAX - 8;
	expect_refused(&im, "truncated");
	ck_assert(memory_untouched());
}
END_TEST

START_TEST(test_file_size_exceeds_memory_size)
{
	struct image im;
	image_good(&im);
	im.ph[0].p_memsz = sizeof(text) - 1;
	expect_refused(&im, "segment-file-size-exceeds-memory-size");
	ck_assert(memory_untouched());
}
END_TEST

START_TEST(test_segment_over_reserved_areas)
{
	/* The page tables, GDT and TSS below GUEST_IMAGE_BASE, and the stack above GUEST_IMAGE_LIMIT. */
	static const uint64_t bad[][2] = {
		{ 0, 16 },
		{ GUEST_PML4, 16 },
		{ GUEST_PD, 0x1000 },
		{ GUEST_GDT, 0x28 },
		{ GUEST_TSS, 16 },
		{ GUEST_IMAGE_BASE - 16, 32 },             /* straddles the base */
		{ GUEST_IMAGE_LIMIT - 8, 16 },             /* runs into the stack */
		{ GUEST_IMAGE_LIMIT, 16 },
		{ GUEST_STACK_TOP - 16, 16 },
		{ GUEST_MEM_SIZE, 16 },                    /* outside guest memory */
		{ 3ull << 20, 0x1000 },                    /* where bad_image links itself */
		{ 1ull << 32, 16 },
		{ GUEST_IMAGE_BASE, GUEST_IMAGE_LIMIT },   /* too big */
		{ GUEST_IMAGE_BASE, UINT64_MAX },          /* base + size wraps */
		{ UINT64_MAX - 15, 16 },
	};
	struct image im;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		image_good(&im);
		im.ph[0].p_paddr = im.ph[0].p_vaddr = bad[i][0];
		im.ph[0].p_memsz = bad[i][1];
		im.eh->e_entry = bad[i][0];
		ck_assert_uint_le(im.ph[0].p_filesz, im.ph[0].p_memsz);
		expect_refused(&im, "segment-outside-guest-image-area");
	}
	ck_assert(memory_untouched());
}
END_TEST

START_TEST(test_entry_outside_executable_segment)
{
	struct image im;
	image_good(&im);
	im.eh->e_entry = TEXT_GPA + sizeof(text); /* one past the end */
	expect_refused(&im, "entry-outside-executable-segment");
	im.eh->e_entry = TEXT_GPA - 1;
	expect_refused(&im, "entry-outside-executable-segment");
	im.eh->e_entry = 0;
	expect_refused(&im, "entry-outside-executable-segment");
	im.eh->e_entry = UINT64_MAX;
	expect_refused(&im, "entry-outside-executable-segment");
	/* Inside a segment, but not an executable one. */
	im.eh->e_entry = DATA_GPA;
	expect_refused(&im, "entry-outside-executable-segment");
	/* No executable segment at all. */
	image_good(&im);
	im.ph[0].p_flags = PF_R;
	expect_refused(&im, "entry-outside-executable-segment");
}
END_TEST

START_TEST(test_no_loadable_segment)
{
	struct image im;
	image_good(&im);
	im.ph[0].p_type = PT_NOTE;
	im.ph[1].p_type = PT_NULL;
	expect_refused(&im, "no-loadable-segment");
	image_good(&im);
	im.ph[0].p_memsz = im.ph[0].p_filesz = 0;
	im.ph[1].p_memsz = im.ph[1].p_filesz = 0;
	expect_refused(&im, "no-loadable-segment");
	ck_assert(memory_untouched());
}
END_TEST

START_TEST(test_every_token_is_a_protocol_word)
{
	const char *tokens[] = { "truncated", "not-elf", "not-elf64-little-endian", "not-an-executable", "not-x86-64",
				 "bad-program-headers", "segment-file-size-exceeds-memory-size",
				 "segment-outside-guest-image-area", "no-loadable-segment",
				 "entry-outside-executable-segment" };
	for (size_t i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++)
		expect_token(tokens[i]);
	/* And the loader returns those very strings (not just equal text somewhere else). */
	struct image im;
	image_good(&im);
	im.eh->e_machine = EM_386;
	uint64_t entry;
	expect_token(load(&im, &entry));
}
END_TEST

static Suite *guest_image_suite(void)
{
	Suite *s = suite_create("hv_guest_image");
	TCase *good = tcase_create("good");
	tcase_add_checked_fixture(good, setup, teardown);
	tcase_add_test(good, test_good_image);
	tcase_add_test(good, test_entry_edges);
	tcase_add_test(good, test_segment_ending_at_limit);
	tcase_add_test(good, test_max_program_headers);
	tcase_add_test(good, test_non_load_segments_ignored);
	suite_add_tcase(s, good);
	TCase *bad = tcase_create("refused");
	tcase_add_checked_fixture(bad, setup, teardown);
	tcase_add_test(bad, test_empty_and_short);
	tcase_add_test(bad, test_bad_magic);
	tcase_add_test(bad, test_not_elf64_little_endian);
	tcase_add_test(bad, test_a_real_elf32_header);
	tcase_add_test(bad, test_not_executable);
	tcase_add_test(bad, test_wrong_machine);
	tcase_add_test(bad, test_bad_program_header_table);
	tcase_add_test(bad, test_program_headers_out_of_file);
	tcase_add_test(bad, test_segment_out_of_file);
	tcase_add_test(bad, test_file_size_exceeds_memory_size);
	tcase_add_test(bad, test_segment_over_reserved_areas);
	tcase_add_test(bad, test_entry_outside_executable_segment);
	tcase_add_test(bad, test_no_loadable_segment);
	tcase_add_test(bad, test_every_token_is_a_protocol_word);
	suite_add_tcase(s, bad);
	return s;
}

int main(void)
{
	return run_suite(guest_image_suite(), CK_NORMAL);
}
