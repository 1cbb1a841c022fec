/*
 * Unit tests of hypervisor/kernel/multiboot2.c: mb2_parse over boot information
 * blocks built by hand in a host buffer, laid out as in the multiboot2
 * specification, section 3.6 (8-byte header, 8-byte aligned tags, end tag).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/multiboot2.h"
#include "run_suite.h"

#define TAG_END 0
#define TAG_CMDLINE 1
#define TAG_BOOTLOADER_NAME 2
#define TAG_MODULE 3
#define TAG_BASIC_MEMINFO 4
#define TAG_MMAP 6

#define MMAP_AVAILABLE 1
#define MMAP_RESERVED 2
#define MMAP_ACPI 3

/* The builder: a boot information block grows in an 8-byte aligned buffer. */
struct mbi {
	_Alignas(8) uint8_t buf[16384];
	uint32_t len;
};

static struct mbi *mbi_new(void)
{
	struct mbi *m = calloc(1, sizeof(*m));
	ck_assert_ptr_nonnull(m);
	m->len = 8; /* total_size, reserved */
	return m;
}

static void put32(struct mbi *m, uint32_t off, uint32_t v) { memcpy(m->buf + off, &v, 4); }
static void put64(struct mbi *m, uint32_t off, uint64_t v) { memcpy(m->buf + off, &v, 8); }

/* Start a tag of this type and size (header included); returns the offset of its header. */
static uint32_t tag_begin(struct mbi *m, uint32_t type, uint32_t size)
{
	uint32_t off = m->len;
	ck_assert_uint_le(off + size + 8, sizeof(m->buf));
	put32(m, off, type);
	put32(m, off + 4, size);
	m->len = off + ((size + 7) & ~7u);
	return off;
}

static void tag_cmdline(struct mbi *m, const char *s)
{
	uint32_t off = tag_begin(m, TAG_CMDLINE, 8 + (uint32_t)strlen(s) + 1);
	memcpy(m->buf + off + 8, s, strlen(s) + 1);
}

static void tag_module(struct mbi *m, uint32_t start, uint32_t end, const char *s)
{
	uint32_t off = tag_begin(m, TAG_MODULE, 16 + (uint32_t)strlen(s) + 1);
	put32(m, off + 8, start);
	put32(m, off + 12, end);
	memcpy(m->buf + off + 16, s, strlen(s) + 1);
}

struct mm {
	uint64_t base, len;
	uint32_t type;
};

/* A memory map tag with entries of entry_size bytes (24 today; the spec allows larger). */
static void tag_mmap(struct mbi *m, const struct mm *e, unsigned n, uint32_t entry_size)
{
	uint32_t off = tag_begin(m, TAG_MMAP, 16 + n * entry_size);
	put32(m, off + 8, entry_size);
	put32(m, off + 12, 0); /* entry_version */
	for (unsigned i = 0; i < n; i++) {
		uint32_t eo = off + 16 + i * entry_size;
		put64(m, eo, e[i].base);
		put64(m, eo + 8, e[i].len);
		put32(m, eo + 16, e[i].type);
		put32(m, eo + 20, 0);
	}
}

static void tag_end(struct mbi *m)
{
	tag_begin(m, TAG_END, 8);
}

/* Close the block: total_size covers everything written. */
static const void *mbi_finish(struct mbi *m)
{
	put32(m, 0, m->len);
	put32(m, 4, 0);
	return m->buf;
}

/*
 * Parse a copy of the block in a heap buffer of exactly total_size bytes, where ASan sees any read
 * past its end. Returns mb2_parse's answer; the copy is gone, so only counts in *b are meaningful.
 */
static const char *parse_exact(const struct mbi *m, struct boot_info *b)
{
	uint32_t total;
	memcpy(&total, m->buf, 4);
	void *copy = malloc(total); /* malloc's alignment is at least the 8 bytes the spec promises */
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, m->buf, total);
	const char *err = mb2_parse(copy, b);
	free(copy);
	return err;
}

static struct boot_info *info_new(void)
{
	struct boot_info *b = malloc(sizeof(*b));
	ck_assert_ptr_nonnull(b);
	memset(b, 0x5a, sizeof(*b)); /* garbage: mb2_parse must initialise everything */
	return b;
}

/* The i-th available region of a parsed map, walked as memory_init walks it. */
static struct mb2_region region(const struct boot_info *b, size_t i)
{
	size_t cursor = 0;
	struct mb2_region r = { 0, 0 };
	for (size_t k = 0; k <= i; k++)
		ck_assert_msg(mb2_next_available(b, &cursor, &r), "no available region %zu", i);
	return r;
}

START_TEST(test_minimal)
{
	struct mbi *m = mbi_new();
	tag_end(m);
	const void *p = mbi_finish(m);
	struct boot_info *b = info_new();
	ck_assert_ptr_null(mb2_parse(p, b));
	ck_assert_str_eq(b->cmdline, "");
	ck_assert_uint_eq(b->n_modules, 0);
	ck_assert_uint_eq(b->n_available, 0);
	ck_assert_uint_eq(b->mbi_start, (uint64_t)(uintptr_t)p);
	ck_assert_uint_eq(b->mbi_end, (uint64_t)(uintptr_t)p + 16);
	free(b);
	free(m);
}
END_TEST

START_TEST(test_cmdline)
{
	struct mbi *m = mbi_new();
	tag_cmdline(m, "tests=hello,vmcall budget=5000");
	tag_end(m);
	const void *p = mbi_finish(m);
	struct boot_info *b = info_new();
	ck_assert_ptr_null(mb2_parse(p, b));
	ck_assert_str_eq(b->cmdline, "tests=hello,vmcall budget=5000");
	/* It points into the boot information, which stays where GRUB put it. */
	ck_assert_ptr_eq(b->cmdline, (const char *)m->buf + 16);
	ck_assert_uint_eq(b->mbi_end - b->mbi_start, m->len);
	free(b);
	free(m);
}
END_TEST

START_TEST(test_empty_cmdline_tag)
{
	struct mbi *m = mbi_new();
	tag_cmdline(m, "");
	tag_end(m);
	struct boot_info *b = info_new();
	ck_assert_ptr_null(mb2_parse(mbi_finish(m), b));
	ck_assert_str_eq(b->cmdline, "");
	free(b);
	free(m);
}
END_TEST

START_TEST(test_modules)
{
	struct mbi *m = mbi_new();
	tag_module(m, 0x200000, 0x201234, "hello");
	tag_cmdline(m, "budget=1");
	tag_module(m, 0x300000, 0x300000, "");         /* empty module, empty name */
	tag_module(m, 0x400000, 0xfffff000u, "a-much-longer-module-name_0123456789");
	tag_end(m);
	struct boot_info *b = info_new();
	ck_assert_ptr_null(mb2_parse(mbi_finish(m), b));
	ck_assert_uint_eq(b->n_modules, 3);
	ck_assert_uint_eq(b->modules[0].start, 0x200000);
	ck_assert_uint_eq(b->modules[0].end, 0x201234);
	ck_assert_str_eq(b->modules[0].cmdline, "hello");
	ck_assert_uint_eq(b->modules[1].start, 0x300000);
	ck_assert_uint_eq(b->modules[1].end, 0x300000);
	ck_assert_str_eq(b->modules[1].cmdline, "");
	ck_assert_uint_eq(b->modules[2].start, 0x400000);
	ck_assert_uint_eq(b->modules[2].end, 0xfffff000u);
	ck_assert_str_eq(b->modules[2].cmdline, "a-much-longer-module-name_0123456789");
	ck_assert_str_eq(b->cmdline, "budget=1");
	free(b);
	free(m);
}
END_TEST

START_TEST(test_mmap_available_only)
{
	static const struct mm e[] = {
		{ 0x0, 0x9fc00, MMAP_AVAILABLE },
		{ 0x9fc00, 0x400, MMAP_RESERVED },
		{ 0xf0000, 0x10000, MMAP_RESERVED },
		{ 0x100000, 0x7ee0000, MMAP_AVAILABLE },
		{ 0x7fe0000, 0x20000, MMAP_ACPI },
		{ 0x8000000, 0, MMAP_AVAILABLE },            /* empty: skipped */
		{ 0x100000000ull, 0x40000000ull, MMAP_AVAILABLE }, /* above 4 GiB: kept, 64-bit */
		{ 0xfffc0000, 0x40000, 5 },                 /* bad RAM */
	};
	struct mbi *m = mbi_new();
	tag_mmap(m, e, sizeof(e) / sizeof(e[0]), 24);
	tag_end(m);
	struct boot_info *b = info_new();
	ck_assert_ptr_null(mb2_parse(mbi_finish(m), b));
	ck_assert_uint_eq(b->n_available, 3);
	ck_assert_uint_eq(region(b, 0).base, 0);
	ck_assert_uint_eq(region(b, 0).len, 0x9fc00);
	ck_assert_uint_eq(region(b, 1).base, 0x100000);
	ck_assert_uint_eq(region(b, 1).len, 0x7ee0000);
	ck_assert_uint_eq(region(b, 2).base, 0x100000000ull);
	ck_assert_uint_eq(region(b, 2).len, 0x40000000ull);
	free(b);
	free(m);
}
END_TEST

START_TEST(test_mmap_larger_entries)
{
	/* A future loader may use bigger entries: the parser must step by entry_size. */
	static const struct mm e[] = {
		{ 0x1000, 0x2000, MMAP_AVAILABLE },
		{ 0x10000, 0x1000, MMAP_RESERVED },
		{ 0x200000, 0x300000, MMAP_AVAILABLE },
	};
	struct mbi *m = mbi_new();
	tag_mmap(m, e, 3, 40);
	tag_end(m);
	struct boot_info *b = info_new();
	ck_assert_ptr_null(mb2_parse(mbi_finish(m), b));
	ck_assert_uint_eq(b->n_available, 2);
	ck_assert_uint_eq(region(b, 0).base, 0x1000);
	ck_assert_uint_eq(region(b, 1).base, 0x200000);
	ck_assert_uint_eq(region(b, 1).len, 0x300000);
	free(b);
	free(m);
}
END_TEST

START_TEST(test_mmap_partial_trailing_entry_ignored)
{
	static const struct mm e[] = { { 0x100000, 0x100000, MMAP_AVAILABLE } };
	struct mbi *m = mbi_new();
	tag_mmap(m, e, 1, 24);
	/* Grow the tag by 16 bytes holding half an "available" entry: it must not be read. */
	uint32_t tag_off = 8;
	put32(m, tag_off + 4, 16 + 24 + 16);
	put64(m, tag_off + 40, 0x5000000);
	put64(m, tag_off + 48, 0x1000);
	m->len = tag_off + 16 + 24 + 16;
	tag_end(m);
	struct boot_info *b = info_new();
	ck_assert_ptr_null(mb2_parse(mbi_finish(m), b));
	ck_assert_uint_eq(b->n_available, 1);
	ck_assert_uint_eq(region(b, 0).base, 0x100000);
	free(b);
	free(m);
}
END_TEST

START_TEST(test_mmap_entry_too_small)
{
	static const struct mm e[] = { { 0x100000, 0x100000, MMAP_AVAILABLE } };
	struct mbi *m = mbi_new();
	tag_mmap(m, e, 1, 24);
	put32(m, 8 + 8, 16); /* entry_size smaller than an entry */
	tag_end(m);
	struct boot_info *b = info_new();
	ck_assert_str_eq(mb2_parse(mbi_finish(m), b), "memory map entry size too small");
	put32(m, 8 + 8, 0); /* zero would loop forever if accepted */
	ck_assert_str_eq(mb2_parse(m->buf, b), "memory map entry size too small");
	free(b);
	free(m);
}
END_TEST

START_TEST(test_mmap_huge_entry_size)
{
	/*
	 * Found by fuzzing: with entry_size near 4 GiB the test `off + entry_size <= size` wrapped in
	 * 32 bits, and the parser read an entry from past the end of the tag and of the boot
	 * information. No entry that big fits in the tag: the map has none.
	 */
	static const uint32_t sizes[] = { 0xfffffff0u, 0xfffffff8u, 0xffffffe8u, 0x80000000u };
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct mbi *m = mbi_new();
		uint32_t off = tag_begin(m, TAG_MMAP, 16); /* the header, entry_size, entry_version: no entry */
		put32(m, off + 8, sizes[i]);
		tag_end(m);
		mbi_finish(m);
		/* Past total_size: the length and type of an available region, where the wrapped test read them. */
		put64(m, m->len, 0x100000);
		put32(m, m->len + 8, MMAP_AVAILABLE);
		struct boot_info *b = info_new();
		ck_assert_ptr_null(mb2_parse(m->buf, b));
		ck_assert_msg(b->n_available == 0, "entry_size 0x%x: %zu regions read from past the tag", sizes[i],
			      b->n_available);
		ck_assert_ptr_null(parse_exact(m, b));
		ck_assert_uint_eq(b->n_available, 0);
		free(b);
		free(m);
	}
}
END_TEST

START_TEST(test_mmap_entry_size_not_a_multiple_of_8)
{
	/*
	 * Found by fuzzing: entries of 28 bytes put every other one at an address that is not 8-byte
	 * aligned, and the parser read its 64-bit fields there. The multiboot2 spec ("Memory map") guarantees
	 * entry_size is a multiple of 8, so such a map is refused.
	 */
	static const struct mm e[] = {
		{ 0x100000, 0x100000, MMAP_AVAILABLE },
		{ 0x300000, 0x100000, MMAP_AVAILABLE },
	};
	static const uint32_t sizes[] = { 28, 25, 36, 44, 0x7ffffffcu };
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct mbi *m = mbi_new();
		tag_mmap(m, e, 2, sizes[i] < 64 ? sizes[i] : 24);
		put32(m, 8 + 8, sizes[i]);
		tag_end(m);
		struct boot_info *b = info_new();
		const char *err = mb2_parse(mbi_finish(m), b);
		ck_assert_msg(err && strcmp(err, "memory map entry size is not a multiple of 8") == 0,
			      "entry_size %u: %s", sizes[i], err ? err : "accepted");
		ck_assert_str_eq(parse_exact(m, b), "memory map entry size is not a multiple of 8");
		free(b);
		free(m);
	}
}
END_TEST

START_TEST(test_mmap_tag_too_short)
{
	struct mbi *m = mbi_new();
	tag_begin(m, TAG_MMAP, 12);
	tag_end(m);
	struct boot_info *b = info_new();
	ck_assert_str_eq(mb2_parse(mbi_finish(m), b), "memory map tag too short");
	free(b);
	free(m);
}
END_TEST

START_TEST(test_a_map_of_any_size)
{
	/* Firmware may list hundreds of regions (one per DIMM hole, ACPI range...): all are read, none dropped. */
	enum { N = 600 };
	static struct mm e[N];
	for (unsigned i = 0; i < N; i++)
		e[i] = (struct mm){ 0x100000ull * (i + 1), 0x1000, i % 3 == 2 ? MMAP_RESERVED : MMAP_AVAILABLE };
	struct boot_info *b = info_new();
	struct mbi *m = mbi_new();
	tag_mmap(m, e, N, 24);
	tag_end(m);
	ck_assert_ptr_null(mb2_parse(mbi_finish(m), b));
	ck_assert_uint_eq(b->n_available, 400);
	size_t cursor = 0, n = 0;
	struct mb2_region r;
	while (mb2_next_available(b, &cursor, &r)) {
		unsigned i = n / 2 * 3 + n % 2; /* the available entries: 0, 1, 3, 4, 6, 7... */
		ck_assert_uint_eq(r.base, e[i].base);
		ck_assert_uint_eq(r.len, 0x1000);
		n++;
	}
	ck_assert_uint_eq(n, 400);
	ck_assert(!mb2_next_available(b, &cursor, &r)); /* and stays at its end */
	ck_assert_ptr_null(parse_exact(m, b));
	ck_assert_uint_eq(b->n_available, 400);
	free(m);
	free(b);
}
END_TEST

START_TEST(test_two_memory_maps)
{
	static const struct mm e[] = { { 0x100000, 0x100000, MMAP_AVAILABLE } };
	struct mbi *m = mbi_new();
	tag_mmap(m, e, 1, 24);
	tag_mmap(m, e, 1, 24);
	tag_end(m);
	struct boot_info *b = info_new();
	ck_assert_str_eq(mb2_parse(mbi_finish(m), b), "two memory map tags");
	free(b);
	free(m);
}
END_TEST

START_TEST(test_too_many_modules)
{
	struct boot_info *b = info_new();
	struct mbi *m = mbi_new();
	for (unsigned i = 0; i < MB2_MAX_MODULES; i++)
		tag_module(m, 0x100000 + i * 0x1000, 0x100800 + i * 0x1000, "g");
	tag_end(m);
	ck_assert_ptr_null(mb2_parse(mbi_finish(m), b));
	ck_assert_uint_eq(b->n_modules, MB2_MAX_MODULES);
	ck_assert_uint_eq(b->modules[MB2_MAX_MODULES - 1].start, 0x100000 + (MB2_MAX_MODULES - 1) * 0x1000);
	free(m);

	m = mbi_new();
	for (unsigned i = 0; i < MB2_MAX_MODULES + 1; i++)
		tag_module(m, 0x100000, 0x100800, "g");
	tag_end(m);
	ck_assert_str_eq(mb2_parse(mbi_finish(m), b), "too many modules");
	free(m);
	free(b);
}
END_TEST

START_TEST(test_module_malformed)
{
	struct boot_info *b = info_new();
	struct mbi *m = mbi_new();
	tag_module(m, 0x200000, 0x100000, "backwards");
	tag_end(m);
	ck_assert_str_eq(mb2_parse(mbi_finish(m), b), "a module ends before it starts");
	free(m);

	m = mbi_new();
	tag_begin(m, TAG_MODULE, 16); /* no room for even an empty string */
	tag_end(m);
	ck_assert_str_eq(mb2_parse(mbi_finish(m), b), "module tag too short");
	free(m);
	free(b);
}
END_TEST

/* A string that runs to the end of its tag without a NUL would send a later strlen past it. */
START_TEST(test_strings_must_end_in_their_tag)
{
	struct boot_info *b = info_new();
	struct mbi *m = mbi_new();
	uint32_t off = tag_begin(m, TAG_CMDLINE, 8 + 4);
	memcpy(m->buf + off + 8, "abcd", 4); /* no NUL within the tag's 12 bytes */
	tag_module(m, 0x200000, 0x201000, "x"); /* a good tag after it: its bytes are not the first's */
	tag_end(m);
	mbi_finish(m);
	ck_assert_str_eq(parse_exact(m, b), "the command line does not end inside its tag");
	free(m);

	m = mbi_new();
	off = tag_begin(m, TAG_CMDLINE, 8); /* no room for even the NUL */
	tag_end(m);
	mbi_finish(m);
	ck_assert_str_eq(parse_exact(m, b), "the command line does not end inside its tag");
	free(m);

	m = mbi_new();
	off = tag_begin(m, TAG_MODULE, 16 + 3);
	put32(m, off + 8, 0x200000);
	put32(m, off + 12, 0x201000);
	memcpy(m->buf + off + 16, "mod", 3);
	tag_end(m);
	mbi_finish(m);
	ck_assert_str_eq(parse_exact(m, b), "a module's name does not end inside its tag");
	free(m);
	free(b);
}
END_TEST

START_TEST(test_unknown_tags_skipped)
{
	struct mbi *m = mbi_new();
	uint32_t off = tag_begin(m, TAG_BASIC_MEMINFO, 16);
	put32(m, off + 8, 639);
	put32(m, off + 12, 130048);
	off = tag_begin(m, TAG_BOOTLOADER_NAME, 8 + 13); /* odd size: the next tag is 8-aligned */
	memcpy(m->buf + off + 8, "GRUB 2.06-13", 13);
	tag_begin(m, 21, 12); /* load base address tag */
	tag_module(m, 0x300000, 0x301000, "hlt");
	tag_cmdline(m, "budget=9");
	tag_end(m);
	struct boot_info *b = info_new();
	ck_assert_ptr_null(mb2_parse(mbi_finish(m), b));
	ck_assert_uint_eq(b->n_modules, 1);
	ck_assert_str_eq(b->modules[0].cmdline, "hlt");
	ck_assert_str_eq(b->cmdline, "budget=9");
	free(b);
	free(m);
}
END_TEST

START_TEST(test_framebuffer)
{
	/* GRUB's EGA text screen under BIOS (multiboot2 spec 3.6.12): 80x25 cells at 0xB8000. */
	struct mbi *m = mbi_new();
	uint32_t off = tag_begin(m, 8, 32);
	put64(m, off + 8, 0xb8000);
	put32(m, off + 16, 160);
	put32(m, off + 20, 80);
	put32(m, off + 24, 25);
	m->buf[off + 28] = 16;
	m->buf[off + 29] = MB2_FRAMEBUFFER_EGA_TEXT;
	tag_end(m);
	struct boot_info *b = info_new();
	ck_assert_ptr_null(mb2_parse(mbi_finish(m), b));
	ck_assert(b->has_framebuffer);
	ck_assert_uint_eq(b->framebuffer.addr, 0xb8000);
	ck_assert_uint_eq(b->framebuffer.pitch, 160);
	ck_assert_uint_eq(b->framebuffer.width, 80);
	ck_assert_uint_eq(b->framebuffer.height, 25);
	ck_assert_uint_eq(b->framebuffer.bpp, 16);
	ck_assert_uint_eq(b->framebuffer.type, MB2_FRAMEBUFFER_EGA_TEXT);
	free(b);
	free(m);

	/* Without the tag, none; with one too short for its type field, an error. */
	m = mbi_new();
	tag_end(m);
	b = info_new();
	ck_assert_ptr_null(mb2_parse(mbi_finish(m), b));
	ck_assert(!b->has_framebuffer);
	free(m);
	m = mbi_new();
	tag_begin(m, 8, 29);
	tag_end(m);
	ck_assert_str_eq(mb2_parse(mbi_finish(m), b), "framebuffer tag too short");
	free(b);
	free(m);
}
END_TEST

START_TEST(test_framebuffer_rgb)
{
	/* GRUB's EFI framebuffer: 32 bits a pixel, the colour fields after a 16-bit reserved field. */
	struct mbi *m = mbi_new();
	uint32_t off = tag_begin(m, 8, 38);
	put64(m, off + 8, 0x80000000);
	put32(m, off + 16, 4096);
	put32(m, off + 20, 1024);
	put32(m, off + 24, 768);
	m->buf[off + 28] = 32;
	m->buf[off + 29] = MB2_FRAMEBUFFER_RGB;
	const uint8_t fields[6] = { 16, 8, 8, 8, 0, 8 };
	memcpy(m->buf + off + 32, fields, sizeof(fields));
	tag_end(m);
	struct boot_info *b = info_new();
	ck_assert_ptr_null(mb2_parse(mbi_finish(m), b));
	ck_assert(b->has_framebuffer);
	const struct mb2_framebuffer *fb = &b->framebuffer;
	ck_assert_uint_eq(fb->type, MB2_FRAMEBUFFER_RGB);
	ck_assert_uint_eq(fb->addr, 0x80000000);
	ck_assert_uint_eq(fb->red_pos, 16);
	ck_assert_uint_eq(fb->red_size, 8);
	ck_assert_uint_eq(fb->green_pos, 8);
	ck_assert_uint_eq(fb->green_size, 8);
	ck_assert_uint_eq(fb->blue_pos, 0);
	ck_assert_uint_eq(fb->blue_size, 8);
	free(m);

	/* An RGB tag that ends before its colour fields is refused (an EGA one of that size is fine). */
	m = mbi_new();
	off = tag_begin(m, 8, 37);
	m->buf[off + 29] = MB2_FRAMEBUFFER_RGB;
	tag_end(m);
	ck_assert_str_eq(mb2_parse(mbi_finish(m), b), "RGB framebuffer tag too short");
	free(b);
	free(m);
}
END_TEST

START_TEST(test_tags_after_end_ignored)
{
	struct mbi *m = mbi_new();
	tag_module(m, 0x300000, 0x301000, "first");
	tag_end(m);
	tag_module(m, 0x400000, 0x401000, "after-end");
	tag_cmdline(m, "after-end");
	struct boot_info *b = info_new();
	ck_assert_ptr_null(mb2_parse(mbi_finish(m), b));
	ck_assert_uint_eq(b->n_modules, 1);
	ck_assert_str_eq(b->modules[0].cmdline, "first");
	ck_assert_str_eq(b->cmdline, "");
	free(b);
	free(m);
}
END_TEST

START_TEST(test_implausible_total_size)
{
	struct boot_info *b = info_new();
	_Alignas(8) uint8_t small[16] = { 0 };
	uint32_t total = 8; /* header only: not even room for an end tag */
	memcpy(small, &total, 4);
	ck_assert_str_eq(mb2_parse(small, b), "boot information has an implausible total size");
	/* A failed parse still leaves a usable empty result. */
	ck_assert_str_eq(b->cmdline, "");
	ck_assert_uint_eq(b->n_modules, 0);
	ck_assert_uint_eq(b->n_available, 0);

	total = 0;
	memcpy(small, &total, 4);
	ck_assert_str_eq(mb2_parse(small, b), "boot information has an implausible total size");

	/* Absurdly large: rejected before anything past the header is read. */
	total = (1u << 20) + 8;
	memcpy(small, &total, 4);
	ck_assert_str_eq(mb2_parse(small, b), "boot information has an implausible total size");
	total = 0xffffffffu;
	memcpy(small, &total, 4);
	ck_assert_str_eq(mb2_parse(small, b), "boot information has an implausible total size");
	free(b);
}
END_TEST

START_TEST(test_no_end_tag)
{
	struct mbi *m = mbi_new();
	tag_cmdline(m, "budget=1");
	tag_module(m, 0x300000, 0x301000, "hlt");
	struct boot_info *b = info_new();
	ck_assert_str_eq(mb2_parse(mbi_finish(m), b), "boot information has no end tag");
	free(b);
	free(m);
}
END_TEST

START_TEST(test_total_cuts_a_tag)
{
	struct mbi *m = mbi_new();
	tag_cmdline(m, "budget=1");
	tag_module(m, 0x300000, 0x301000, "a-module-with-a-long-name");
	tag_end(m);
	mbi_finish(m);
	/* Claim a total that ends in the middle of the module tag. */
	put32(m, 0, 8 + 16 + 24);
	struct boot_info *b = info_new();
	ck_assert_str_eq(mb2_parse(m->buf, b), "a tag runs past the end of the boot information");
	free(b);
	free(m);
}
END_TEST

START_TEST(test_bad_tag_sizes)
{
	struct boot_info *b = info_new();
	/* A tag smaller than its own header would make the walk stand still. */
	for (uint32_t size = 0; size < 8; size++) {
		struct mbi *m = mbi_new();
		uint32_t off = tag_begin(m, TAG_CMDLINE, 16);
		put32(m, off + 4, size);
		tag_end(m);
		ck_assert_str_eq(mb2_parse(mbi_finish(m), b), "a tag runs past the end of the boot information");
		free(m);
	}
	/* A tag bigger than the rest of the block. */
	struct mbi *m = mbi_new();
	uint32_t off = tag_begin(m, TAG_BASIC_MEMINFO, 16);
	tag_end(m);
	mbi_finish(m);
	put32(m, off + 4, 0xfffffff0u);
	ck_assert_str_eq(mb2_parse(m->buf, b), "a tag runs past the end of the boot information");
	free(m);
	free(b);
}
END_TEST

START_TEST(test_everything_together)
{
	/* What GRUB hands over for `make run`: cmdline, modules, memory map, in GRUB's order. */
	static const struct mm e[] = {
		{ 0x0, 0x9f000, MMAP_AVAILABLE },
		{ 0x9f000, 0x1000, MMAP_RESERVED },
		{ 0xe8000, 0x18000, MMAP_RESERVED },
		{ 0x100000, 0x1fef0000, MMAP_AVAILABLE },
		{ 0x1fff0000, 0x10000, MMAP_ACPI },
	};
	struct mbi *m = mbi_new();
	tag_cmdline(m, "tests=hlt");
	tag_module(m, 0x2a4000, 0x2a5230, "budget");
	tag_module(m, 0x2a6000, 0x2a7010, "hlt");
	tag_begin(m, TAG_BASIC_MEMINFO, 16);
	tag_mmap(m, e, 5, 24);
	tag_end(m);
	struct boot_info *b = info_new();
	ck_assert_ptr_null(mb2_parse(mbi_finish(m), b));
	ck_assert_str_eq(b->cmdline, "tests=hlt");
	ck_assert_uint_eq(b->n_modules, 2);
	ck_assert_str_eq(b->modules[1].cmdline, "hlt");
	ck_assert_uint_eq(b->modules[1].end - b->modules[1].start, 0x1010);
	ck_assert_uint_eq(b->n_available, 2);
	ck_assert_uint_eq(region(b, 1).len, 0x1fef0000);
	ck_assert_uint_eq(b->mbi_end - b->mbi_start, m->len);
	free(b);
	free(m);
}
END_TEST

#define TAG_ACPI_OLD 14
#define TAG_ACPI_NEW 15

static uint32_t tag_acpi(struct mbi *m, uint32_t type, uint32_t len, uint8_t fill)
{
	uint32_t off = tag_begin(m, type, 8 + len);
	memset(m->buf + off + 8, fill, len);
	return off;
}

/* The RSDP copy: the ACPI 2.0 tag wins in either order, the 1.0 one is taken alone; mb2 leaves its bytes to acpi.c. */
START_TEST(test_acpi_rsdp_tags)
{
	struct boot_info *b = info_new();
	struct mbi *m = mbi_new();
	tag_end(m);
	ck_assert_ptr_null(mb2_parse(mbi_finish(m), b));
	ck_assert_ptr_null(b->rsdp);
	free(m);

	m = mbi_new();
	uint32_t old = tag_acpi(m, TAG_ACPI_OLD, 20, 1);
	tag_end(m);
	ck_assert_ptr_null(mb2_parse(mbi_finish(m), b));
	ck_assert_ptr_eq(b->rsdp, m->buf + old + 8);
	ck_assert_uint_eq(b->rsdp_len, 20);
	free(m);

	for (int order = 0; order < 2; order++) {
		m = mbi_new();
		uint32_t new = 0;
		if (order)
			new = tag_acpi(m, TAG_ACPI_NEW, 36, 2);
		tag_acpi(m, TAG_ACPI_OLD, 20, 1);
		if (!order)
			new = tag_acpi(m, TAG_ACPI_NEW, 36, 2);
		tag_end(m);
		ck_assert_ptr_null(mb2_parse(mbi_finish(m), b));
		ck_assert_ptr_eq(b->rsdp, m->buf + new + 8);
		ck_assert_uint_eq(b->rsdp_len, 36);
		free(m);
	}
	free(b);
}
END_TEST

static Suite *mb2_suite(void)
{
	Suite *s = suite_create("hv_multiboot2");
	TCase *good = tcase_create("well-formed");
	tcase_add_test(good, test_minimal);
	tcase_add_test(good, test_cmdline);
	tcase_add_test(good, test_empty_cmdline_tag);
	tcase_add_test(good, test_modules);
	tcase_add_test(good, test_mmap_available_only);
	tcase_add_test(good, test_mmap_larger_entries);
	tcase_add_test(good, test_mmap_partial_trailing_entry_ignored);
	tcase_add_test(good, test_unknown_tags_skipped);
	tcase_add_test(good, test_framebuffer);
	tcase_add_test(good, test_framebuffer_rgb);
	tcase_add_test(good, test_tags_after_end_ignored);
	tcase_add_test(good, test_a_map_of_any_size);
	tcase_add_test(good, test_too_many_modules);
	tcase_add_test(good, test_everything_together);
	tcase_add_test(good, test_acpi_rsdp_tags);
	suite_add_tcase(s, good);
	TCase *bad = tcase_create("malformed");
	tcase_add_test(bad, test_mmap_entry_too_small);
	tcase_add_test(bad, test_mmap_huge_entry_size);
	tcase_add_test(bad, test_mmap_entry_size_not_a_multiple_of_8);
	tcase_add_test(bad, test_mmap_tag_too_short);
	tcase_add_test(bad, test_two_memory_maps);
	tcase_add_test(bad, test_module_malformed);
	tcase_add_test(bad, test_strings_must_end_in_their_tag);
	tcase_add_test(bad, test_implausible_total_size);
	tcase_add_test(bad, test_no_end_tag);
	tcase_add_test(bad, test_total_cuts_a_tag);
	tcase_add_test(bad, test_bad_tag_sizes);
	suite_add_tcase(s, bad);
	return s;
}

int main(void)
{
	return run_suite(mb2_suite(), CK_NORMAL);
}
