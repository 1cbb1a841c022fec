/*
 * Unit tests of hypervisor/kernel/page_alloc.c: the bitmap allocator of host
 * physical pages below 4 GiB. It only does bookkeeping, so addresses are just
 * numbers here; misuse goes to the recording page_alloc_misuse of hv_host_fakes.c.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hv_host_fakes.h"
#include "kernel/page_alloc.h"
#include "quiet_assert.h"
#include "run_suite.h"

#define MIB (1ull << 20)

static void setup(void)
{
	page_alloc_reset();
	hv_fake_misuse_reset();
}

/* Allocate until the allocator says no; check every page and return how many there were. */
static size_t drain(uint64_t *got, size_t max, uint64_t lo, uint64_t hi)
{
	size_t n = 0;
	for (;;) {
		size_t before = page_alloc_free_count();
		uint64_t a = page_alloc();
		if (a == 0) {
			ck_assert_uint_eq(before, 0);
			return n;
		}
		quiet_assert(a % PAGE_SIZE == 0, "page 0x%llx is not page aligned", (unsigned long long)a);
		quiet_assert(a >= lo && a + PAGE_SIZE <= hi, "page 0x%llx outside [0x%llx, 0x%llx)",
			     (unsigned long long)a, (unsigned long long)lo, (unsigned long long)hi);
		quiet_assert_uint_eq(page_alloc_free_count(), before - 1, "page %zu, 0x%llx", n, (unsigned long long)a);
		quiet_assert(n < max, "more than %zu pages", max);
		got[n++] = a;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

START_TEST(test_empty_after_reset)
{
	ck_assert_uint_eq(page_alloc_free_count(), 0);
	ck_assert_uint_eq(page_alloc(), 0);
	ck_assert_uint_eq(page_alloc_free_count(), 0);
}
END_TEST

START_TEST(test_add_and_exhaust)
{
	uint64_t got[32];
	page_alloc_add_free(MIB, 16 * PAGE_SIZE);
	ck_assert_uint_eq(page_alloc_free_count(), 16);
	size_t n = drain(got, 32, MIB, MIB + 16 * PAGE_SIZE);
	ck_assert_uint_eq(n, 16);
	/* Every page exactly once. */
	qsort(got, n, sizeof(got[0]), cmp_u64);
	for (size_t i = 0; i < n; i++)
		ck_assert_uint_eq(got[i], MIB + i * PAGE_SIZE);
	ck_assert_uint_eq(page_alloc(), 0);
	ck_assert_uint_eq(page_alloc_free_count(), 0);
	ck_assert_uint_eq(hv_fake_misuse_count(), 0);
}
END_TEST

START_TEST(test_add_whole_pages_only)
{
	uint64_t got[8];
	/* [0x100001, 0x104001) holds whole pages 0x101000..0x103fff only. */
	page_alloc_add_free(0x100001, 0x4000);
	ck_assert_uint_eq(page_alloc_free_count(), 3);
	ck_assert_uint_eq(drain(got, 8, 0x101000, 0x104000), 3);

	/* Less than a page, or a range inside one page, adds nothing. */
	setup();
	page_alloc_add_free(0x200000, PAGE_SIZE - 1);
	page_alloc_add_free(0x300001, PAGE_SIZE);
	page_alloc_add_free(0x400000, 0);
	ck_assert_uint_eq(page_alloc_free_count(), 0);
	ck_assert_uint_eq(page_alloc(), 0);
}
END_TEST

START_TEST(test_page_zero_never_handed_out)
{
	uint64_t got[8];
	page_alloc_add_free(0, 4 * PAGE_SIZE);
	ck_assert_uint_eq(page_alloc_free_count(), 3);
	ck_assert_uint_eq(drain(got, 8, PAGE_SIZE, 4 * PAGE_SIZE), 3);
}
END_TEST

START_TEST(test_add_overlapping_counts_once)
{
	page_alloc_add_free(MIB, 8 * PAGE_SIZE);
	page_alloc_add_free(MIB + 4 * PAGE_SIZE, 8 * PAGE_SIZE);
	page_alloc_add_free(MIB, 8 * PAGE_SIZE);
	ck_assert_uint_eq(page_alloc_free_count(), 12);
	uint64_t got[16];
	ck_assert_uint_eq(drain(got, 16, MIB, MIB + 12 * PAGE_SIZE), 12);
}
END_TEST

START_TEST(test_limit_of_4gib)
{
	/* Memory above 4 GiB is not managed; a range straddling the limit is clipped. */
	page_alloc_add_free(PAGE_ALLOC_LIMIT, 64 * MIB);
	page_alloc_add_free(PAGE_ALLOC_LIMIT + 0x123000, 0x10000);
	ck_assert_uint_eq(page_alloc_free_count(), 0);
	page_alloc_add_free(PAGE_ALLOC_LIMIT - 2 * PAGE_SIZE, 64 * MIB);
	ck_assert_uint_eq(page_alloc_free_count(), 2);
	uint64_t got[4];
	ck_assert_uint_eq(drain(got, 4, PAGE_ALLOC_LIMIT - 2 * PAGE_SIZE, PAGE_ALLOC_LIMIT), 2);
}
END_TEST

START_TEST(test_add_near_top_of_address_space)
{
	/* Ranges whose end wraps past 2^64 are clipped, never turned into "all memory". */
	page_alloc_add_free(UINT64_MAX - 0xffe, 0x2000);
	ck_assert_uint_eq(page_alloc_free_count(), 0);
	page_alloc_add_free(0xfffffffffffff000ull, 0x1000);
	ck_assert_uint_eq(page_alloc_free_count(), 0);
	page_alloc_add_free(UINT64_MAX, UINT64_MAX);
	ck_assert_uint_eq(page_alloc_free_count(), 0);
	/* A huge length from a low base means "everything up to the limit". */
	page_alloc_add_free(PAGE_ALLOC_LIMIT - 3 * PAGE_SIZE, UINT64_MAX);
	ck_assert_uint_eq(page_alloc_free_count(), 3);
}
END_TEST

START_TEST(test_reserve_every_touched_page)
{
	page_alloc_add_free(MIB, 16 * PAGE_SIZE);
	/* [0x101800, 0x102800) touches the pages at 0x101000 and 0x102000. */
	page_alloc_reserve(MIB + 0x1800, 0x1000);
	ck_assert_uint_eq(page_alloc_free_count(), 14);
	/* One byte reserves its whole page. */
	page_alloc_reserve(MIB + 5 * PAGE_SIZE + 7, 1);
	ck_assert_uint_eq(page_alloc_free_count(), 13);
	/* Reserving again, or reserving what was never free, changes nothing. */
	page_alloc_reserve(MIB + 0x1800, 0x1000);
	page_alloc_reserve(64 * MIB, 16 * PAGE_SIZE);
	ck_assert_uint_eq(page_alloc_free_count(), 13);

	uint64_t got[16];
	size_t n = drain(got, 16, MIB, MIB + 16 * PAGE_SIZE);
	ck_assert_uint_eq(n, 13);
	for (size_t i = 0; i < n; i++) {
		ck_assert_uint_ne(got[i], MIB + 1 * PAGE_SIZE);
		ck_assert_uint_ne(got[i], MIB + 2 * PAGE_SIZE);
		ck_assert_uint_ne(got[i], MIB + 5 * PAGE_SIZE);
	}
}
END_TEST

START_TEST(test_reserve_edges)
{
	page_alloc_add_free(MIB, 8 * PAGE_SIZE);
	page_alloc_reserve(MIB, 0);                   /* empty: nothing */
	page_alloc_reserve(PAGE_ALLOC_LIMIT, MIB);    /* above the limit: nothing */
	page_alloc_reserve(UINT64_MAX - 10, 100);     /* wraps: nothing below the limit */
	ck_assert_uint_eq(page_alloc_free_count(), 8);
	/* An exactly page-aligned range reserves no neighbour. */
	page_alloc_reserve(MIB + 2 * PAGE_SIZE, 2 * PAGE_SIZE);
	ck_assert_uint_eq(page_alloc_free_count(), 6);
	/* A range with a wrapping length reserves up to the limit. */
	page_alloc_reserve(MIB + 6 * PAGE_SIZE, UINT64_MAX);
	ck_assert_uint_eq(page_alloc_free_count(), 4);
	uint64_t got[8];
	ck_assert_uint_eq(drain(got, 8, MIB, MIB + 6 * PAGE_SIZE), 4);
	for (size_t i = 0; i < 4; i++)
		ck_assert(got[i] < MIB + 2 * PAGE_SIZE || got[i] >= MIB + 4 * PAGE_SIZE);
}
END_TEST

START_TEST(test_the_boot_sequence)
{
	/* What main.c does: the available regions, then the reserved areas on top. */
	page_alloc_add_free(0, 0x9fc00);
	page_alloc_add_free(MIB, 31 * MIB);
	page_alloc_reserve(0, MIB);                 /* BIOS area */
	page_alloc_reserve(MIB, 0x23456);           /* the kernel */
	page_alloc_reserve(0x2a4000, 0x1230);       /* a module */
	size_t want = 31 * 256 - 0x24 - 2;
	ck_assert_uint_eq(page_alloc_free_count(), want);
	static uint64_t got[31 * 256];
	size_t n = drain(got, 31 * 256, MIB, 32 * MIB);
	ck_assert_uint_eq(n, want);
	for (size_t i = 0; i < n; i++) {
		quiet_assert(got[i] >= MIB + 0x24000, "page 0x%llx", (unsigned long long)got[i]);
		quiet_assert(got[i] < 0x2a4000 || got[i] >= 0x2a6000, "page 0x%llx", (unsigned long long)got[i]);
	}
}
END_TEST

START_TEST(test_free_and_reuse)
{
	page_alloc_add_free(MIB, 4 * PAGE_SIZE);
	uint64_t a = page_alloc(), b = page_alloc();
	ck_assert_uint_ne(a, 0);
	ck_assert_uint_ne(b, 0);
	ck_assert_uint_ne(a, b);
	ck_assert_uint_eq(page_alloc_free_count(), 2);
	page_free(a);
	ck_assert_uint_eq(page_alloc_free_count(), 3);
	page_free(b);
	ck_assert_uint_eq(page_alloc_free_count(), 4);
	ck_assert_uint_eq(hv_fake_misuse_count(), 0);
	/* Everything comes back. */
	uint64_t got[8];
	ck_assert_uint_eq(drain(got, 8, MIB, MIB + 4 * PAGE_SIZE), 4);
	for (size_t i = 0; i < 4; i++)
		page_free(got[i]);
	ck_assert_uint_eq(page_alloc_free_count(), 4);
}
END_TEST

START_TEST(test_search_wraps_around)
{
	/* One page low, one page far above it (another bitmap word): the search hint moves up... */
	page_alloc_add_free(0x1000, PAGE_SIZE);
	page_alloc_add_free(512 * MIB, PAGE_SIZE);
	uint64_t low = page_alloc(), high = page_alloc();
	ck_assert_uint_eq(low, 0x1000);
	ck_assert_uint_eq(high, 512 * MIB);
	ck_assert_uint_eq(page_alloc(), 0);
	/* ...and a page freed below it must still be found. */
	page_free(low);
	ck_assert_uint_eq(page_alloc(), 0x1000);
	ck_assert_uint_eq(page_alloc(), 0);
}
END_TEST

START_TEST(test_many_words)
{
	/* 1000 pages span many 64-bit bitmap words, starting mid-word. */
	enum { N = 1000 };
	static uint64_t got[N + 1];
	uint64_t base = 0x7ff000;
	page_alloc_add_free(base, N * PAGE_SIZE);
	ck_assert_uint_eq(page_alloc_free_count(), N);
	ck_assert_uint_eq(drain(got, N + 1, base, base + N * PAGE_SIZE), N);
	qsort(got, N, sizeof(got[0]), cmp_u64);
	for (size_t i = 0; i < N; i++)
		ck_assert_uint_eq(got[i], base + i * PAGE_SIZE);
	/* Free every other one and get exactly those back. */
	for (size_t i = 0; i < N; i += 2)
		page_free(got[i]);
	ck_assert_uint_eq(page_alloc_free_count(), N / 2);
	static uint64_t again[N];
	ck_assert_uint_eq(drain(again, N, base, base + N * PAGE_SIZE), N / 2);
	qsort(again, N / 2, sizeof(again[0]), cmp_u64);
	for (size_t i = 0; i < N / 2; i++)
		ck_assert_uint_eq(again[i], got[2 * i]);
}
END_TEST

START_TEST(test_double_free_detected)
{
	page_alloc_add_free(MIB, 4 * PAGE_SIZE);
	uint64_t a = page_alloc();
	page_free(a);
	ck_assert_uint_eq(hv_fake_misuse_count(), 0);
	size_t free_before = page_alloc_free_count();
	page_free(a);
	ck_assert_uint_eq(hv_fake_misuse_count(), 1);
	ck_assert_str_eq(hv_fake_misuse_what(), "double free");
	ck_assert_uint_eq(hv_fake_misuse_addr(), a);
	/* The bookkeeping is left as it was. */
	ck_assert_uint_eq(page_alloc_free_count(), free_before);

	/* Freeing a page that is free but was never allocated is a double free too. */
	page_free(MIB + 3 * PAGE_SIZE);
	ck_assert_uint_eq(hv_fake_misuse_count(), 2);
	ck_assert_str_eq(hv_fake_misuse_what(), "double free");
	ck_assert_uint_eq(hv_fake_misuse_addr(), MIB + 3 * PAGE_SIZE);
	ck_assert_uint_eq(page_alloc_free_count(), free_before);
}
END_TEST

START_TEST(test_bad_free_detected)
{
	static const uint64_t bad[] = { 0, MIB + 1, MIB + PAGE_SIZE - 1, 0x800, PAGE_ALLOC_LIMIT,
					PAGE_ALLOC_LIMIT + PAGE_SIZE, UINT64_MAX, 0xfffffffffffff000ull };
	page_alloc_add_free(MIB, 4 * PAGE_SIZE);
	(void)page_alloc();
	size_t free_before = page_alloc_free_count();
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		page_free(bad[i]);
		ck_assert_uint_eq(hv_fake_misuse_count(), i + 1);
		ck_assert_str_eq(hv_fake_misuse_what(), "free of a bad address");
		ck_assert_uint_eq(hv_fake_misuse_addr(), bad[i]);
		ck_assert_uint_eq(page_alloc_free_count(), free_before);
	}
	/* Page 0 is never handed out, so it must never come back either. */
	ck_assert_uint_ne(page_alloc(), 0);
}
END_TEST

START_TEST(test_reset_forgets_everything)
{
	page_alloc_add_free(MIB, 8 * PAGE_SIZE);
	(void)page_alloc();
	page_alloc_reset();
	ck_assert_uint_eq(page_alloc_free_count(), 0);
	ck_assert_uint_eq(page_alloc(), 0);
	page_alloc_add_free(2 * MIB, PAGE_SIZE);
	ck_assert_uint_eq(page_alloc(), 2 * MIB);
}
END_TEST

/* --- runs of pages (page_alloc_run): guest memory in 2 MiB-aligned runs, page arrays ---------- */

START_TEST(test_run_aligned_and_counted)
{
	page_alloc_add_free(MIB, 8 * MIB); /* [1 MiB, 9 MiB): aligned 2 MiB runs at 2, 4 and 6 MiB */
	size_t before = page_alloc_free_count();
	uint64_t a = page_alloc_run(512, 512);
	ck_assert_uint_eq(a, 2 * MIB);
	ck_assert_uint_eq(page_alloc_free_count(), before - 512);
	ck_assert_uint_eq(page_alloc_run(512, 512), 4 * MIB);
	ck_assert_uint_eq(page_alloc_run(512, 512), 6 * MIB);
	ck_assert_uint_eq(page_alloc_run(512, 512), 0); /* [8, 9) MiB is too short; [1, 2) is not aligned */
	/* Every page of a run is used, each freed on its own. */
	for (uint64_t i = 0; i < 512; i++)
		page_free(a + i * PAGE_SIZE);
	ck_assert_uint_eq(page_alloc_run(512, 512), 2 * MIB);
	ck_assert_uint_eq(hv_fake_misuse_count(), 0);
}
END_TEST

START_TEST(test_run_skips_used_pages)
{
	page_alloc_add_free(MIB, 4 * PAGE_SIZE);
	page_alloc_add_free(MIB + 5 * PAGE_SIZE, 3 * PAGE_SIZE);
	page_alloc_add_free(MIB + 9 * PAGE_SIZE, 6 * PAGE_SIZE);
	/* 5 in a row exist only at page 9. */
	ck_assert_uint_eq(page_alloc_run(5, 1), MIB + 9 * PAGE_SIZE);
	ck_assert_uint_eq(page_alloc_run(4, 1), MIB);
	ck_assert_uint_eq(page_alloc_run(4, 1), 0);
	ck_assert_uint_eq(page_alloc_run(3, 1), MIB + 5 * PAGE_SIZE);
	ck_assert_uint_eq(page_alloc_free_count(), 1);
	ck_assert_uint_eq(page_alloc_run(1, 1), MIB + 14 * PAGE_SIZE);
	ck_assert_uint_eq(page_alloc_free_count(), 0);
}
END_TEST

START_TEST(test_run_bad_requests)
{
	page_alloc_add_free(MIB, 4 * MIB);
	size_t before = page_alloc_free_count();
	ck_assert_uint_eq(page_alloc_run(0, 1), 0);
	ck_assert_uint_eq(page_alloc_run(1, 0), 0);
	ck_assert_uint_eq(page_alloc_run(1, 3), 0); /* not a power of two */
	ck_assert_uint_eq(page_alloc_run(1ull << 40, 1), 0);
	ck_assert_uint_eq(page_alloc_free_count(), before);
	/* Page 0 is never handed out, even as the start of a run. */
	page_alloc_reset();
	page_alloc_add_free(0, 8 * PAGE_SIZE);
	ck_assert_uint_eq(page_alloc_run(7, 1), PAGE_SIZE);
}
END_TEST

static Suite *page_alloc_suite(void)
{
	Suite *s = suite_create("hv_page_alloc");
	TCase *tc = tcase_create("page_alloc");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_empty_after_reset);
	tcase_add_test(tc, test_run_aligned_and_counted);
	tcase_add_test(tc, test_run_skips_used_pages);
	tcase_add_test(tc, test_run_bad_requests);
	tcase_add_test(tc, test_add_and_exhaust);
	tcase_add_test(tc, test_add_whole_pages_only);
	tcase_add_test(tc, test_page_zero_never_handed_out);
	tcase_add_test(tc, test_add_overlapping_counts_once);
	tcase_add_test(tc, test_limit_of_4gib);
	tcase_add_test(tc, test_add_near_top_of_address_space);
	tcase_add_test(tc, test_reserve_every_touched_page);
	tcase_add_test(tc, test_reserve_edges);
	tcase_add_test(tc, test_the_boot_sequence);
	tcase_add_test(tc, test_free_and_reuse);
	tcase_add_test(tc, test_search_wraps_around);
	tcase_add_test(tc, test_many_words);
	tcase_add_test(tc, test_double_free_detected);
	tcase_add_test(tc, test_bad_free_detected);
	tcase_add_test(tc, test_reset_forgets_everything);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(page_alloc_suite(), CK_NORMAL);
}
