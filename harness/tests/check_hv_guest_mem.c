/*
 * Unit tests of hypervisor/vm/guest_mem.c (copies in and out of guest-physical
 * memory, the linear-to-physical walk of IA-32e paging, SDM Vol. 3A 4.5) and
 * hypervisor/vm/guest_layout.c (the identity map, GDT and TSS of a fresh guest).
 *
 * Guest memory is GUEST_PAGES host pages; here they come from one host buffer
 * mapped in *reverse* order, so any code that assumed guest pages to be
 * contiguous on the host would read the wrong bytes.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "include/x86_arch.h"
#include "quiet_assert.h"
#include "run_suite.h"
#include "test_vm.h"
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
	test_vm_create(&t, "mem", 0);
	vm = t.vm;
}

static void teardown(void)
{
	test_vm_destroy(&t);
}

/* --- copies ---------------------------------------------------------------------------- */

START_TEST(test_write_read_round_trip)
{
	const char msg[] = "guest memory";
	ck_assert(guest_mem_write(vm, 0x10000, msg, sizeof(msg)));
	ck_assert_mem_eq(hbyte(0x10000), msg, sizeof(msg));
	char back[sizeof(msg)];
	memset(back, 0, sizeof(back));
	ck_assert(guest_mem_read(vm, 0x10000, back, sizeof(back)));
	ck_assert_str_eq(back, msg);
}
END_TEST

START_TEST(test_copy_across_pages)
{
	uint8_t src[3 * PAGE_SIZE + 100], back[sizeof(src)];
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 7 + 3);
	uint64_t gpa = 5 * PAGE_SIZE - 50; /* starts 50 bytes before a boundary, spans 4 pages */
	ck_assert(guest_mem_write(vm, gpa, src, sizeof(src)));
	/* Every byte landed in the host page that backs it. */
	for (size_t i = 0; i < sizeof(src); i++)
		quiet_assert_uint_eq(*hbyte(gpa + i), src[i], "guest byte 0x%lx", gpa + i);
	/* The bytes around it are untouched. */
	ck_assert_uint_eq(*hbyte(gpa - 1), 0);
	ck_assert_uint_eq(*hbyte(gpa + sizeof(src)), 0);
	ck_assert(guest_mem_read(vm, gpa, back, sizeof(back)));
	ck_assert_mem_eq(back, src, sizeof(src));
}
END_TEST

START_TEST(test_bounds)
{
	uint8_t b[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	/* The last byte, and the whole of memory, are fine. */
	ck_assert(guest_mem_write(vm, GUEST_MEM_SIZE - 1, b, 1));
	ck_assert_uint_eq(*hbyte(GUEST_MEM_SIZE - 1), 1);
	ck_assert(guest_mem_write(vm, GUEST_MEM_SIZE - 16, b, 16));
	ck_assert(guest_mem_read(vm, GUEST_MEM_SIZE - 16, b, 16));
	ck_assert(guest_mem_read(vm, 0, t.host, 0)); /* zero bytes at 0 */
	uint8_t *all = malloc(GUEST_MEM_SIZE);
	ck_assert_ptr_nonnull(all);
	ck_assert(guest_mem_read(vm, 0, all, GUEST_MEM_SIZE));
	free(all);

	/* One byte too far, anywhere, fails. */
	ck_assert(!guest_mem_write(vm, GUEST_MEM_SIZE - 1, b, 2));
	ck_assert(!guest_mem_read(vm, GUEST_MEM_SIZE - 15, b, 16));
	ck_assert(!guest_mem_read(vm, GUEST_MEM_SIZE, b, 1));
	ck_assert(!guest_mem_read(vm, GUEST_MEM_SIZE, b, 0));
	ck_assert(!guest_mem_read(vm, 0, b, GUEST_MEM_SIZE + 1));
	/* No wrap-around of gpa + n. */
	ck_assert(!guest_mem_read(vm, UINT64_MAX, b, 2));
	ck_assert(!guest_mem_read(vm, 0x1000, b, SIZE_MAX));
	ck_assert(!guest_mem_write(vm, 1, b, SIZE_MAX));
	ck_assert(!guest_mem_write(vm, UINT64_MAX - 7, b, 16));
}
END_TEST

START_TEST(test_failed_write_writes_nothing)
{
	uint8_t b[32];
	memset(b, 0xee, sizeof(b));
	ck_assert(!guest_mem_write(vm, GUEST_MEM_SIZE - 16, b, sizeof(b)));
	for (uint64_t g = GUEST_MEM_SIZE - 16; g < GUEST_MEM_SIZE; g++)
		ck_assert_uint_eq(*hbyte(g), 0);
}
END_TEST

START_TEST(test_fill)
{
	ck_assert(guest_mem_fill(vm, 0x2ff0, 0xcc, 200)); /* crosses a page, and several 64-byte blocks */
	for (uint64_t g = 0x2ff0; g < 0x2ff0 + 200; g++)
		ck_assert_uint_eq(*hbyte(g), 0xcc);
	ck_assert_uint_eq(*hbyte(0x2fef), 0);
	ck_assert_uint_eq(*hbyte(0x2ff0 + 200), 0);
	ck_assert(guest_mem_fill(vm, 0x2ff0, 0x00, 0)); /* nothing */
	ck_assert_uint_eq(*hbyte(0x2ff0), 0xcc);
	ck_assert(guest_mem_fill(vm, GUEST_MEM_SIZE - 1, 0x11, 1));
	ck_assert_uint_eq(*hbyte(GUEST_MEM_SIZE - 1), 0x11);
	ck_assert(!guest_mem_fill(vm, GUEST_MEM_SIZE - 1, 0x11, 2));
	ck_assert(!guest_mem_fill(vm, GUEST_MEM_SIZE, 0x11, 1));
	ck_assert(!guest_mem_fill(vm, UINT64_MAX, 0x11, 1));
	/* The whole of memory. */
	ck_assert(guest_mem_fill(vm, 0, 0x5a, GUEST_MEM_SIZE));
	ck_assert_uint_eq(*hbyte(0), 0x5a);
	ck_assert_uint_eq(*hbyte(GUEST_MEM_SIZE / 2 + 3), 0x5a);
	ck_assert_uint_eq(*hbyte(GUEST_MEM_SIZE - 1), 0x5a);
}
END_TEST

/* --- the page walk --------------------------------------------------------------------- */

#define P 0x1ull
#define W 0x2ull
#define PS 0x80ull
#define NX (1ull << 63)

static void pte(uint64_t table, unsigned index, uint64_t value)
{
	ck_assert(guest_mem_write(vm, table + 8 * index, &value, 8));
}

static uint64_t idx(uint64_t la, int level)
{
	return (la >> (12 + 9 * level)) & 511;
}

/* Tables at 0x1000 (PML4), 0x2000 (PDPT), 0x3000 (PD), 0x4000 (PT) mapping la -> frame (4 KiB). */
static void map_4k(uint64_t la, uint64_t frame)
{
	pte(0x1000, (unsigned)idx(la, 3), 0x2000 | P | W);
	pte(0x2000, (unsigned)idx(la, 2), 0x3000 | P | W);
	pte(0x3000, (unsigned)idx(la, 1), 0x4000 | P | W);
	pte(0x4000, (unsigned)idx(la, 0), frame | P | W);
}

/* A supervisor read with NXE on and 52-bit physical addresses: only presence and the tables decide. */
static uint64_t walk_ok(uint64_t cr3, uint64_t la)
{
	struct guest_paging pg = { .cr3 = cr3, .wp = true, .nxe = true, .phys_addr_bits = 52 };
	uint64_t gpa = 0xdeadbeef;
	uint32_t error = 0xdead;
	enum guest_walk r = guest_walk(vm, &pg, la, GUEST_ACCESS_READ, &gpa, &error);
	ck_assert_msg(r == GUEST_WALK_OK, "la 0x%llx did not translate: %d, error 0x%x", (unsigned long long)la, r, error);
	return gpa;
}

static void walk_fails(uint64_t cr3, uint64_t la)
{
	struct guest_paging pg = { .cr3 = cr3, .wp = true, .nxe = true, .phys_addr_bits = 52 };
	uint64_t gpa = 0xdeadbeef;
	uint32_t error;
	enum guest_walk r = guest_walk(vm, &pg, la, GUEST_ACCESS_READ, &gpa, &error);
	ck_assert_msg(r != GUEST_WALK_OK, "la 0x%llx translated", (unsigned long long)la);
	/* A table outside guest memory is named by the address of the entry read there. */
	if (r == GUEST_WALK_PAGE_FAULT)
		ck_assert_uint_eq(gpa, 0xdeadbeef);
	else
		ck_assert_uint_ge(gpa, GUEST_MEM_SIZE);
}

START_TEST(test_walk_4k)
{
	uint64_t la = 0x00007f8012345000ull;
	map_4k(la, 0x15000);
	ck_assert_uint_eq(walk_ok(0x1000, la), 0x15000);
	ck_assert_uint_eq(walk_ok(0x1000, la + 0x123), 0x15123);
	ck_assert_uint_eq(walk_ok(0x1000, la + 0xfff), 0x15fff);
	/* The next page is not mapped. */
	walk_fails(0x1000, la + 0x1000);
	walk_fails(0x1000, la - 1);
}
END_TEST

START_TEST(test_walk_ignores_flag_bits)
{
	uint64_t la = 0x0000000040201000ull;
	map_4k(la, 0x1f000);
	/* cr3's low bits (PWT, PCD, PCID) are not part of the table address. */
	ck_assert_uint_eq(walk_ok(0x1000 | 0x18, la + 8), 0x1f008);
	ck_assert_uint_eq(walk_ok(0x1000 | 0xfff, la + 8), 0x1f008);
	/* NX, the ignored bits 62:52, and flag bits 11:0 of the entry are not part of the frame. */
	pte(0x4000, (unsigned)idx(la, 0), 0x1f000 | NX | (0x7ffull << 52) | 0xf67);
	ck_assert_uint_eq(walk_ok(0x1000, la + 8), 0x1f008);
	/* Bits 63:48 of the linear address are not used for indexing (4-level paging). */
	ck_assert_uint_eq(walk_ok(0x1000, la | 0xffff000000000000ull), 0x1f000);
}
END_TEST

START_TEST(test_walk_2m)
{
	uint64_t la = 0x0000000000600000ull + 0x12345; /* PD index 3 */
	pte(0x1000, 0, 0x2000 | P | W);
	pte(0x2000, 0, 0x3000 | P | W);
	pte(0x3000, 3, 0x0000000000a00000ull | P | W | PS);
	ck_assert_uint_eq(walk_ok(0x1000, la), 0xa12345);
	ck_assert_uint_eq(walk_ok(0x1000, 0x7fffff), 0xbfffff);
	/* The PAT bit (12) of a 2 MiB entry is not part of the frame. */
	pte(0x3000, 3, 0x0000000000a00000ull | (1ull << 12) | P | W | PS);
	ck_assert_uint_eq(walk_ok(0x1000, la), 0xa12345);
}
END_TEST

START_TEST(test_walk_1g)
{
	pte(0x1000, 0, 0x2000 | P | W);
	pte(0x2000, 2, 0x0000000140000000ull | P | W | PS); /* la 0x80000000.. -> 0x140000000.. */
	ck_assert_uint_eq(walk_ok(0x1000, 0x80000000ull), 0x140000000ull);
	ck_assert_uint_eq(walk_ok(0x1000, 0x80000000ull + 0x3fedcba9), 0x140000000ull + 0x3fedcba9);
	pte(0x2000, 2, 0x0000000140000000ull | (1ull << 12) | P | PS); /* PAT is not part of the frame */
	ck_assert_uint_eq(walk_ok(0x1000, 0x80000123ull), 0x140000123ull);
	pte(0x2000, 2, 0x0000000140000000ull | (1ull << 21) | P | PS); /* bits 29:13 are reserved */
	walk_fails(0x1000, 0x80000123ull);
	walk_fails(0x1000, 0xc0000000ull); /* PDPT[3] not present */
}
END_TEST

START_TEST(test_walk_not_present_each_level)
{
	uint64_t la = 0x0000008040201000ull; /* index 1 at every level */
	map_4k(la, 0x20000);
	ck_assert_uint_eq(walk_ok(0x1000, la), 0x20000);
	for (int level = 0; level < 4; level++) {
		uint64_t table = 0x4000 - 0x1000 * (uint64_t)level;
		uint64_t saved;
		ck_assert(guest_mem_read(vm, table + 8, &saved, 8));
		pte(table, 1, saved & ~P); /* everything but the present bit */
		walk_fails(0x1000, la);
		pte(table, 1, saved);
		ck_assert_uint_eq(walk_ok(0x1000, la), 0x20000);
	}
}
END_TEST

START_TEST(test_walk_tables_outside_memory)
{
	uint64_t la = 0x1000;
	walk_fails(GUEST_MEM_SIZE, la);                 /* cr3 itself */
	walk_fails(0x000ffffffffff000ull, la);
	pte(0x1000, 0, 0x40000000ull | P | W);           /* PML4 entry points out of memory */
	walk_fails(0x1000, la);
	pte(0x1000, 0, 0x2000 | P | W);
	pte(0x2000, 0, (GUEST_MEM_SIZE + 0x3000) | P | W); /* PDPT entry does */
	walk_fails(0x1000, la);
	/* A leaf may point anywhere: translation does not judge the frame. */
	pte(0x2000, 0, 0x3000 | P | W);
	pte(0x3000, 0, 0x4000 | P | W);
	pte(0x4000, 1, 0x7654321000ull | P);
	ck_assert_uint_eq(walk_ok(0x1000, la + 4), 0x7654321004ull);
}
END_TEST

/* --- the checks of SDM Vol. 3A 4.6 and 4.7 ------------------------------------------------ */

#define U 0x4ull
#define LA_CHECK 0x0000008040201000ull /* index 1 at every level: tables 0x1000-0x4000 */

struct walk_case {
	const char *what;
	uint64_t upper, leaf; /* flags of the PML4E, PDPTE and PDE; of the PTE */
	struct guest_paging pg;
	unsigned access;
	uint32_t want; /* PASS, or FAULT(the error code) */
};
#define PASS 0
#define FAULT(e) (0x100u | (e))
#define SUP .wp = true, .phys_addr_bits = 52
#define USR .user = true, .wp = true, .phys_addr_bits = 52
#define RD GUEST_ACCESS_READ
#define WR GUEST_ACCESS_WRITE
#define EX GUEST_ACCESS_FETCH

static const struct walk_case walk_cases[] = {
	{ "supervisor read of a read-only page", P, P, { SUP }, RD, PASS },
	{ "supervisor write to a read-only page with CR0.WP", P | W, P, { SUP }, WR, FAULT(PF_ERROR_P | PF_ERROR_W) },
	{ "supervisor write to a read-only page without CR0.WP", P | W, P, { .phys_addr_bits = 52 }, WR, PASS },
	{ "supervisor write where a directory is read-only", P, P | W, { SUP }, WR, FAULT(PF_ERROR_P | PF_ERROR_W) },
	{ "user read of a supervisor page", P | U, P, { USR }, RD, FAULT(PF_ERROR_P | PF_ERROR_U) },
	{ "user read where a directory is supervisor-only", P, P | U, { USR }, RD, FAULT(PF_ERROR_P | PF_ERROR_U) },
	{ "user read of a user page", P | U, P | U, { USR }, RD, PASS },
	{ "user write to a read-only user page (CR0.WP clear)", P | W | U, P | U, { .user = true, .phys_addr_bits = 52 },
	  WR, FAULT(PF_ERROR_P | PF_ERROR_W | PF_ERROR_U) },
	{ "user write to a user page read-only in a directory", P | U, P | W | U, { USR }, WR,
	  FAULT(PF_ERROR_P | PF_ERROR_W | PF_ERROR_U) },
	{ "user write to a writable user page", P | W | U, P | W | U, { USR }, WR, PASS },
	{ "user write to a page not present", P | W | U, W | U, { USR }, WR, FAULT(PF_ERROR_W | PF_ERROR_U) },
	{ "supervisor read of a user page with SMAP", P | U, P | U, { SUP, .smap = true }, RD, FAULT(PF_ERROR_P) },
	{ "supervisor read of a user page with SMAP and RFLAGS.AC", P | U, P | U, { SUP, .smap = true, .ac = true }, RD,
	  PASS },
	{ "supervisor write to a user page with SMAP", P | W | U, P | W | U, { SUP, .smap = true }, WR,
	  FAULT(PF_ERROR_P | PF_ERROR_W) },
	{ "supervisor read of a user page without SMAP", P | U, P | U, { SUP }, RD, PASS },
	{ "fetch from an XD page with NXE", P, P | NX, { SUP, .nxe = true }, EX, FAULT(PF_ERROR_P | PF_ERROR_I) },
	{ "fetch where the PML4E has XD", P | NX, P, { SUP, .nxe = true }, EX, FAULT(PF_ERROR_P | PF_ERROR_I) },
	{ "read of an XD page with NXE", P, P | NX, { SUP, .nxe = true }, RD, PASS },
	{ "supervisor fetch from a user page with SMEP", P | U, P | U, { SUP, .smep = true }, EX,
	  FAULT(PF_ERROR_P | PF_ERROR_I) },
	{ "user fetch from a user page with SMEP", P | U, P | U, { USR, .smep = true }, EX, PASS },
	{ "fetch from a page not present, NXE on", P, 0, { SUP, .nxe = true }, EX, FAULT(PF_ERROR_I) },
	{ "fetch from a page not present, NXE and SMEP off", P, 0, { SUP }, EX, FAULT(0) },
	{ "XD without NXE: a reserved bit", P, P | NX, { SUP }, RD, FAULT(PF_ERROR_P | PF_ERROR_RSVD) },
	{ "XD without NXE in a directory, for a user write", P | W | U | NX, P | W | U, { USR }, WR,
	  FAULT(PF_ERROR_P | PF_ERROR_RSVD | PF_ERROR_W | PF_ERROR_U) },
	{ "a frame address above MAXPHYADDR: a reserved bit", P, P | 1ull << 45, { .wp = true, .phys_addr_bits = 40 },
	  RD, FAULT(PF_ERROR_P | PF_ERROR_RSVD) },
	{ "the same frame with MAXPHYADDR 46", P, P | 1ull << 45, { .wp = true, .phys_addr_bits = 46 }, RD, PASS },
};

START_TEST(test_walk_checks)
{
	const struct walk_case *c = &walk_cases[_i];
	uint64_t frame = 0x20000;
	pte(0x1000, 1, 0x2000 | c->upper);
	pte(0x2000, 1, 0x3000 | c->upper);
	pte(0x3000, 1, 0x4000 | c->upper);
	pte(0x4000, 1, frame | c->leaf);
	struct guest_paging pg = c->pg;
	pg.cr3 = 0x1000;
	uint64_t gpa = 0xdeadbeef;
	uint32_t error = 0xdead;
	enum guest_walk r = guest_walk(vm, &pg, LA_CHECK + 0x123, c->access, &gpa, &error);
	if (c->want == PASS) {
		ck_assert_msg(r == GUEST_WALK_OK, "%s: result %d, error 0x%x", c->what, r, error);
		ck_assert_uint_eq(gpa & 0xfffff, 0x20123);
	} else {
		ck_assert_msg(r == GUEST_WALK_PAGE_FAULT, "%s: result %d", c->what, r);
		ck_assert_msg(error == (c->want & 0xff), "%s: error 0x%x, want 0x%x", c->what, error, c->want & 0xff);
		ck_assert_uint_eq(gpa, 0xdeadbeef);
	}
}
END_TEST

/* Reserved bits by level: PS in a PML4E; a large page's address bits below its size (SDM Vol. 3A 4.5.4). */
START_TEST(test_walk_reserved_large_pages)
{
	struct guest_paging pg = { .cr3 = 0x1000, .wp = true, .nxe = true, .phys_addr_bits = 52 };
	uint64_t gpa;
	uint32_t error;
	pte(0x1000, 0, 0x2000 | P | W | PS);
	ck_assert_int_eq(guest_walk(vm, &pg, 0x1000, RD, &gpa, &error), GUEST_WALK_PAGE_FAULT);
	ck_assert_uint_eq(error, PF_ERROR_P | PF_ERROR_RSVD);
	pte(0x1000, 0, 0x2000 | P | W);
	pte(0x2000, 0, 0x3000 | P | W);
	pte(0x3000, 0, 0x200000 | (1ull << 13) | P | W | PS); /* 2 MiB: bits 20:13 reserved */
	ck_assert_int_eq(guest_walk(vm, &pg, 0x1000, WR, &gpa, &error), GUEST_WALK_PAGE_FAULT);
	ck_assert_uint_eq(error, PF_ERROR_P | PF_ERROR_RSVD | PF_ERROR_W);
	pte(0x3000, 0, 0x200000 | (1ull << 12) | P | W | PS); /* bit 12 is PAT */
	ck_assert_int_eq(guest_walk(vm, &pg, 0x1000, WR, &gpa, &error), GUEST_WALK_OK);
	ck_assert_uint_eq(gpa, 0x201000);
}
END_TEST

static uint64_t entry_at(uint64_t table, unsigned index)
{
	uint64_t v;
	ck_assert(guest_mem_read(vm, table + 8 * index, &v, 8));
	return v;
}

/* SDM Vol. 3A 4.8: a translation sets the accessed flag of every entry it uses, a write the page's dirty flag. */
START_TEST(test_walk_accessed_dirty)
{
	struct guest_paging pg = { .cr3 = 0x1000, .wp = true, .nxe = true, .phys_addr_bits = 52 };
	uint64_t gpa;
	uint32_t error;
	map_4k(LA_CHECK, 0x20000);
	ck_assert_int_eq(guest_walk(vm, &pg, LA_CHECK, RD, &gpa, &error), GUEST_WALK_OK);
	for (uint64_t table = 0x1000; table <= 0x4000; table += 0x1000)
		ck_assert_uint_eq(entry_at(table, 1) & 0x60, 0x20);
	ck_assert_int_eq(guest_walk(vm, &pg, LA_CHECK, WR, &gpa, &error), GUEST_WALK_OK);
	ck_assert_uint_eq(entry_at(0x4000, 1), 0x20000 | P | W | 0x60);
	ck_assert_uint_eq(entry_at(0x3000, 1), 0x4000 | P | W | 0x20); /* D is the page's alone */
	/* A fault sets nothing. */
	pte(0x4000, 2, 0x21000 | P);
	ck_assert_int_eq(guest_walk(vm, &pg, LA_CHECK + 0x1000, WR, &gpa, &error), GUEST_WALK_PAGE_FAULT);
	ck_assert_uint_eq(entry_at(0x4000, 2), 0x21000 | P);
}
END_TEST

/* --- the layout of a fresh guest ------------------------------------------------------- */

static uint64_t rd64(uint64_t gpa)
{
	uint64_t v;
	ck_assert(guest_mem_read(vm, gpa, &v, 8));
	return v;
}

START_TEST(test_layout_identity_map)
{
	guest_layout_build(vm);
	/* The tables are where the header says, and writable (checked before a walk sets their accessed flags). */
	ck_assert_uint_eq(rd64(GUEST_PML4), GUEST_PDPT | P | W);
	ck_assert_uint_eq(rd64(GUEST_PDPT), GUEST_PD | P | W);
	ck_assert_uint_eq(rd64(GUEST_PD), 0 | P | W | PS);
	static const uint64_t las[] = { 0, 0x1000, 0x10000, 0x10123, 0x5000, 0x123456, GUEST_MEM_SIZE - 8,
					GUEST_MEM_SIZE - 1 };
	for (size_t i = 0; i < sizeof(las) / sizeof(las[0]); i++)
		ck_assert_uint_eq(walk_ok(GUEST_PML4, las[i]), las[i]);
	/* Nothing beyond guest memory is mapped. */
	walk_fails(GUEST_PML4, GUEST_MEM_SIZE);
	walk_fails(GUEST_PML4, 0x40000000ull);
	walk_fails(GUEST_PML4, 0x8000000000ull);
}
END_TEST

START_TEST(test_layout_gdt_and_tss)
{
	guest_layout_build(vm);
	ck_assert_uint_eq(rd64(GUEST_GDT), 0);
	uint64_t code = rd64(GUEST_GDT + GUEST_SEL_CODE);
	uint64_t data = rd64(GUEST_GDT + GUEST_SEL_DATA);
	/* SDM Vol. 3A 3.4.5: code: present, DPL 0, S, execute/read accessed (0xb), L = 1, D = 0. */
	ck_assert_uint_eq((code >> 40) & 0xff, 0x9b);
	ck_assert_uint_eq((code >> 53) & 1, 1); /* L */
	ck_assert_uint_eq((code >> 54) & 1, 0); /* D must be 0 with L */
	ck_assert_uint_eq((data >> 40) & 0xff, 0x93); /* present, S, read/write accessed */
	/* TSS descriptor (SDM Vol. 3A 9.2.3): limit 0x67, base GUEST_TSS, busy 64-bit TSS (0xb), present; upper half 0. */
	uint64_t tss = rd64(GUEST_GDT + GUEST_SEL_TSS);
	uint64_t limit = (tss & 0xffff) | ((tss >> 32) & 0xf0000);
	uint64_t base = ((tss >> 16) & 0xffffff) | (((tss >> 56) & 0xff) << 24);
	ck_assert_uint_eq(limit, GUEST_TSS_LIMIT);
	ck_assert_uint_eq(base, GUEST_TSS);
	ck_assert_uint_eq((tss >> 40) & 0xf, 0xb);
	ck_assert_uint_eq((tss >> 44) & 1, 0); /* system descriptor */
	ck_assert_uint_eq((tss >> 47) & 1, 1); /* present */
	ck_assert_uint_eq(rd64(GUEST_GDT + GUEST_SEL_TSS + 8), 0);
	/* The TSS: RSP0 and the rest zero; the I/O map base past the limit, so no port is granted to user mode. */
	for (uint64_t off = 0; off < TSS64_IOMAP_BASE - 8; off += 8)
		ck_assert_uint_eq(rd64(GUEST_TSS + off), 0);
	uint16_t iomap;
	ck_assert(guest_mem_read(vm, GUEST_TSS + TSS64_IOMAP_BASE, &iomap, sizeof(iomap)));
	ck_assert_uint_gt(iomap, GUEST_TSS_LIMIT);
	/* The GDT limit covers exactly the five 8-byte slots. */
	ck_assert_uint_eq(GUEST_GDT_LIMIT + 1, GUEST_SEL_TSS + 16);
	/* The image area starts above everything the layout uses. */
	ck_assert_uint_ge(GUEST_IMAGE_BASE, GUEST_TSS + GUEST_TSS_LIMIT + 1);
	ck_assert_uint_lt(GUEST_IMAGE_LIMIT, GUEST_STACK_TOP);
}
END_TEST

START_TEST(test_layout_leaves_image_area_alone)
{
	memset(t.host, 0xab, GUEST_MEM_SIZE);
	guest_layout_build(vm);
	ck_assert_uint_eq(*hbyte(GUEST_IMAGE_BASE), 0xab);
	ck_assert_uint_eq(*hbyte(GUEST_IMAGE_LIMIT - 1), 0xab);
	ck_assert_uint_eq(*hbyte(GUEST_MEM_SIZE - 1), 0xab);
	ck_assert_uint_eq(*hbyte(0), 0xab); /* page 0 is not part of the layout */
}
END_TEST

static Suite *guest_mem_suite(void)
{
	Suite *s = suite_create("hv_guest_mem");
	TCase *mem = tcase_create("copy");
	tcase_add_checked_fixture(mem, setup, teardown);
	tcase_add_test(mem, test_write_read_round_trip);
	tcase_add_test(mem, test_copy_across_pages);
	tcase_add_test(mem, test_bounds);
	tcase_add_test(mem, test_failed_write_writes_nothing);
	tcase_add_test(mem, test_fill);
	suite_add_tcase(s, mem);
	TCase *walk = tcase_create("linear_to_phys");
	tcase_add_checked_fixture(walk, setup, teardown);
	tcase_add_test(walk, test_walk_4k);
	tcase_add_test(walk, test_walk_ignores_flag_bits);
	tcase_add_test(walk, test_walk_2m);
	tcase_add_test(walk, test_walk_1g);
	tcase_add_test(walk, test_walk_not_present_each_level);
	tcase_add_test(walk, test_walk_tables_outside_memory);
	tcase_add_loop_test(walk, test_walk_checks, 0, sizeof(walk_cases) / sizeof(walk_cases[0]));
	tcase_add_test(walk, test_walk_reserved_large_pages);
	tcase_add_test(walk, test_walk_accessed_dirty);
	suite_add_tcase(s, walk);
	TCase *layout = tcase_create("layout");
	tcase_add_checked_fixture(layout, setup, teardown);
	tcase_add_test(layout, test_layout_identity_map);
	tcase_add_test(layout, test_layout_gdt_and_tss);
	tcase_add_test(layout, test_layout_leaves_image_area_alone);
	suite_add_tcase(s, layout);
	return s;
}

int main(void)
{
	return run_suite(guest_mem_suite(), CK_NORMAL);
}
