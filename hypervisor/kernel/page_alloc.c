#include "kernel/page_alloc.h"

#define FRAMES (PAGE_ALLOC_LIMIT / PAGE_SIZE)
#define WORD_BITS 64

/* A set bit is a free frame. */
static uint64_t free_map[FRAMES / WORD_BITS];
static size_t free_frames;
static size_t search_hint;

static int is_free(uint64_t f) { return (free_map[f / WORD_BITS] >> (f % WORD_BITS)) & 1; }
static void set_free(uint64_t f) { free_map[f / WORD_BITS] |= 1ull << (f % WORD_BITS); }
static void set_used(uint64_t f) { free_map[f / WORD_BITS] &= ~(1ull << (f % WORD_BITS)); }

void page_alloc_reset(void)
{
	for (size_t i = 0; i < FRAMES / WORD_BITS; i++)
		free_map[i] = 0;
	free_frames = 0;
	search_hint = 0;
}

void page_alloc_add_free(uint64_t base, uint64_t len)
{
	/* Nothing to add; and a base near 2^64 would wrap the round-up below to page 0. */
	if (len == 0 || base >= PAGE_ALLOC_LIMIT)
		return;
	uint64_t end = base + len;
	if (end < base || end > PAGE_ALLOC_LIMIT)
		end = PAGE_ALLOC_LIMIT;
	/* Page 0 stays reserved: address 0 means "no page". */
	uint64_t first = (base + PAGE_SIZE - 1) / PAGE_SIZE;
	if (first == 0)
		first = 1;
	for (uint64_t f = first; f < end / PAGE_SIZE; f++) {
		if (!is_free(f)) {
			set_free(f);
			free_frames++;
		}
	}
}

void page_alloc_reserve(uint64_t base, uint64_t len)
{
	if (len == 0 || base >= PAGE_ALLOC_LIMIT)
		return;
	uint64_t end = base + len;
	if (end < base || end > PAGE_ALLOC_LIMIT)
		end = PAGE_ALLOC_LIMIT;
	for (uint64_t f = base / PAGE_SIZE; f < (end + PAGE_SIZE - 1) / PAGE_SIZE; f++) {
		if (is_free(f)) {
			set_used(f);
			free_frames--;
		}
	}
}

uint64_t page_alloc(void)
{
	for (size_t n = 0; n < FRAMES / WORD_BITS; n++) {
		size_t w = (search_hint + n) % (FRAMES / WORD_BITS);
		if (!free_map[w])
			continue;
		uint64_t f = w * WORD_BITS + (uint64_t)__builtin_ctzll(free_map[w]);
		set_used(f);
		free_frames--;
		search_hint = w;
		return f * PAGE_SIZE;
	}
	return 0;
}

uint64_t page_alloc_run(uint64_t n, uint64_t align_pages)
{
	if (n == 0 || align_pages == 0 || (align_pages & (align_pages - 1)) || n > FRAMES)
		return 0;
	/* Frame 0 is never free, so a run at 0 cannot be mistaken for "none". */
	for (uint64_t f = align_pages; f + n <= FRAMES;) {
		if (!free_map[f / WORD_BITS] && f % WORD_BITS == 0) {
			f += WORD_BITS; /* a used word: skip it whole, staying aligned when align <= 64 */
			f = (f + align_pages - 1) & ~(align_pages - 1);
			continue;
		}
		uint64_t i = 0;
		while (i < n && is_free(f + i))
			i++;
		if (i == n) {
			for (i = 0; i < n; i++)
				set_used(f + i);
			free_frames -= n;
			return f * PAGE_SIZE;
		}
		/* Frame f + i is used: the next candidate starts past it. */
		f = (f + i + 1 + align_pages - 1) & ~(align_pages - 1);
	}
	return 0;
}

void page_free(uint64_t addr)
{
	uint64_t f = addr / PAGE_SIZE;
	if (addr % PAGE_SIZE || addr == 0 || addr >= PAGE_ALLOC_LIMIT) {
		page_alloc_misuse("free of a bad address", addr);
		return;
	}
	if (is_free(f)) {
		page_alloc_misuse("double free", addr);
		return;
	}
	set_free(f);
	free_frames++;
}

size_t page_alloc_free_count(void)
{
	return free_frames;
}
