/*
 * Unit tests of hypervisor/vmx/ept.c, the general EPT builder: any number of
 * guest pages (1 GiB and more), 2 MiB leaves exactly where a 2 MiB unit of
 * guest memory is one aligned host run and the CPU allows them, 4 KiB leaves
 * everywhere else, nothing mapped past the end, every table freed again. The
 * tables come from the page allocator over a pool of low host memory, so the
 * test walks them as the CPU would (SDM 29.3.2); the guest pages they map are
 * only numbers here.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "kernel/page_alloc.h"
#include "run_suite.h"
#include "vm/vm.h"
#include "vmx/ept.h"
#include "vmx/vmx_caps.h"

#define POOL_PAGES 64
#define LARGE (EPT_PAGES_PER_LARGE * PAGE_SIZE)
#define ADDR_MASK 0x000ffffffffff000ull

static uint64_t pool_base;

static void setup(void)
{
	static void *p;
	if (!p) {
		p = mmap(NULL, POOL_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
			 -1, 0);
		ck_assert(p != MAP_FAILED);
	}
	pool_base = (uint64_t)(uintptr_t)p;
	page_alloc_reset();
	page_alloc_add_free(pool_base, POOL_PAGES * PAGE_SIZE);
}

static uint64_t entry(uint64_t table, uint64_t index)
{
	return ((const uint64_t *)(uintptr_t)(table & ADDR_MASK))[index];
}

/* Walk the EPT for gpa: the host address, or ~0 when it is not mapped; *large says a 2 MiB leaf did it. */
static uint64_t walk(uint64_t eptp, uint64_t gpa, int *large)
{
	uint64_t e = entry(eptp, (gpa >> 39) & 511);
	if (!e)
		return ~0ull;
	e = entry(e, (gpa >> 30) & 511);
	if (!e)
		return ~0ull;
	e = entry(e, (gpa >> 21) & 511);
	if (!e)
		return ~0ull;
	ck_assert_uint_eq(e & 7, 7); /* RWX at every level */
	if (e & (1ull << 7)) {
		*large = 1;
		ck_assert_uint_eq((e >> 3) & 7, 6); /* write-back */
		return (e & ADDR_MASK & ~(LARGE - 1)) | (gpa & (LARGE - 1));
	}
	e = entry(e, (gpa >> 12) & 511);
	if (!e)
		return ~0ull;
	*large = 0;
	ck_assert_uint_eq(e & 7, 7);
	ck_assert_uint_eq((e >> 3) & 7, 6);
	return (e & ADDR_MASK) | (gpa & (PAGE_SIZE - 1));
}

/* n guest pages: each 2 MiB unit an aligned run at 1 GiB + 4 MiB * unit, or pages scattered when !runs. */
static uint64_t *fake_pages(uint64_t n, int runs)
{
	uint64_t *p = malloc(n * sizeof(*p));
	ck_assert_ptr_nonnull(p);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t unit = i / EPT_PAGES_PER_LARGE, in = i % EPT_PAGES_PER_LARGE;
		p[i] = (1ull << 30) + unit * 2 * LARGE + (runs ? in : EPT_PAGES_PER_LARGE - 1 - in) * PAGE_SIZE;
	}
	return p;
}

static void check_all(uint64_t eptp, const uint64_t *pages, uint64_t n, int want_large)
{
	for (uint64_t i = 0; i < n; i += 97) {
		int large = -1;
		uint64_t gpa = i * PAGE_SIZE + (i % 4096);
		ck_assert_uint_eq(walk(eptp, gpa, &large), pages[i] + (i % 4096));
		ck_assert_int_eq(large, want_large);
	}
	int large;
	ck_assert_uint_eq(walk(eptp, (n - 1) * PAGE_SIZE, &large), pages[n - 1]);
	ck_assert_uint_eq(walk(eptp, n * PAGE_SIZE, &large), ~0ull); /* the first page past the end */
}

START_TEST(test_large_pages_where_runs)
{
	uint64_t n = VM_MEM_EXTERNAL_DEFAULT / PAGE_SIZE;
	uint64_t *pages = fake_pages(n, 1);
	size_t before = page_alloc_free_count();
	struct ept e;
	uint64_t eptp = ept_build(&e, pages, n, true);
	ck_assert_uint_ne(eptp, 0);
	ck_assert_uint_eq(eptp, e.pml4 | (3 << 3) | 6); /* walk length 4, write-back (SDM 25.6.11) */
	check_all(eptp, pages, n, 1);
	ck_assert_uint_eq(before - page_alloc_free_count(), 3); /* PML4, PDPT, one PD: no page table */
	ept_free(&e);
	ck_assert_uint_eq(page_alloc_free_count(), before);
	ck_assert_uint_eq(e.pml4, 0);
	free(pages);
}
END_TEST

START_TEST(test_small_pages_when_cpu_lacks_large)
{
	uint64_t n = 4 * EPT_PAGES_PER_LARGE;
	uint64_t *pages = fake_pages(n, 1);
	size_t before = page_alloc_free_count();
	struct ept e;
	uint64_t eptp = ept_build(&e, pages, n, false);
	check_all(eptp, pages, n, 0);
	ck_assert_uint_eq(before - page_alloc_free_count(), 3 + 4);
	ept_free(&e);
	ck_assert_uint_eq(page_alloc_free_count(), before);
	free(pages);
}
END_TEST

START_TEST(test_small_pages_where_not_a_run)
{
	/* Unit 0 reversed, unit 1 a run but misaligned, unit 2 a run: only unit 2 gets a 2 MiB leaf. */
	uint64_t n = 3 * EPT_PAGES_PER_LARGE;
	uint64_t *pages = fake_pages(n, 1);
	uint64_t *rev = fake_pages(EPT_PAGES_PER_LARGE, 0);
	for (uint64_t i = 0; i < EPT_PAGES_PER_LARGE; i++) {
		pages[i] = rev[i];
		pages[EPT_PAGES_PER_LARGE + i] += PAGE_SIZE;
	}
	struct ept e;
	uint64_t eptp = ept_build(&e, pages, n, true);
	int large;
	for (uint64_t i = 0; i < n; i += 61) {
		ck_assert_uint_eq(walk(eptp, i * PAGE_SIZE + 5, &large), pages[i] + 5);
		ck_assert_int_eq(large, i >= 2 * EPT_PAGES_PER_LARGE);
	}
	ept_free(&e);
	free(pages);
	free(rev);
}
END_TEST

START_TEST(test_one_gib_and_a_page)
{
	/* Past 1 GiB a second PD, and a last unit of a single page gets a page table. */
	uint64_t n = VM_MEM_MAX / PAGE_SIZE + 1;
	uint64_t *pages = fake_pages(n, 1);
	size_t before = page_alloc_free_count();
	struct ept e;
	uint64_t eptp = ept_build(&e, pages, n, true);
	ck_assert_uint_ne(eptp, 0);
	int large;
	ck_assert_uint_eq(walk(eptp, VM_MEM_MAX - 1, &large), pages[n - 2] + PAGE_SIZE - 1);
	ck_assert_int_eq(large, 1);
	ck_assert_uint_eq(walk(eptp, VM_MEM_MAX + 0x123, &large), pages[n - 1] + 0x123);
	ck_assert_int_eq(large, 0);
	ck_assert_uint_eq(walk(eptp, VM_MEM_MAX + PAGE_SIZE, &large), ~0ull);
	ck_assert_uint_eq(before - page_alloc_free_count(), 1 + 1 + 2 + 1);
	ept_free(&e);
	ck_assert_uint_eq(page_alloc_free_count(), before);
	free(pages);
}
END_TEST

START_TEST(test_too_many_pages_or_no_memory)
{
	uint64_t one = 1ull << 30;
	struct ept e;
	ck_assert_uint_eq(ept_build(&e, &one, EPT_MAX_PAGES + 1, true), 0);
	ept_free(&e);
	ck_assert_uint_eq(page_alloc_free_count(), POOL_PAGES);
	/* Scattered pages need a page table per 2 MiB: with too few pool pages, 0, and nothing leaks. */
	uint64_t n = (POOL_PAGES) * EPT_PAGES_PER_LARGE;
	uint64_t *pages = fake_pages(n, 0);
	ck_assert_uint_eq(ept_build(&e, pages, n, true), 0);
	ck_assert_uint_eq(page_alloc_free_count(), 0);
	ept_free(&e);
	ck_assert_uint_eq(page_alloc_free_count(), POOL_PAGES);
	free(pages);
}
END_TEST

START_TEST(test_large_page_capability)
{
	struct vmx_caps c = { .ept_vpid = 0 };
	ck_assert(!ept_has_large_pages(&c));
	c.ept_vpid = 1ull << 16; /* IA32_VMX_EPT_VPID_CAP bit 16: 2 MiB pages (SDM A.10) */
	ck_assert(ept_has_large_pages(&c));
	c.ept_vpid = ~(1ull << 16);
	ck_assert(!ept_has_large_pages(&c));
}
END_TEST

static Suite *ept_suite(void)
{
	Suite *s = suite_create("hv_ept");
	TCase *tc = tcase_create("ept");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_large_pages_where_runs);
	tcase_add_test(tc, test_small_pages_when_cpu_lacks_large);
	tcase_add_test(tc, test_small_pages_where_not_a_run);
	tcase_add_test(tc, test_one_gib_and_a_page);
	tcase_add_test(tc, test_too_many_pages_or_no_memory);
	tcase_add_test(tc, test_large_page_capability);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(ept_suite(), CK_NORMAL);
}
