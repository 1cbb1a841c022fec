/*
 * The physical page allocator: a bitmap over the first 4 GiB (all of it
 * identity mapped), fed with the multiboot2 memory map. Pure bookkeeping,
 * no memory is touched, so the host build tests it.
 */
#ifndef VEXIT_PAGE_ALLOC_H
#define VEXIT_PAGE_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096ull
#define PAGE_ALLOC_LIMIT (4ull << 30)

void page_alloc_reset(void);                              /* everything reserved */
void page_alloc_add_free(uint64_t base, uint64_t len);    /* whole pages inside [base, base+len) */
void page_alloc_reserve(uint64_t base, uint64_t len);     /* every page touching [base, base+len) */
uint64_t page_alloc(void);                                /* a free page's address, or 0 if none */
/* n free pages in a row starting at a multiple of align_pages pages (a power of two): the first
 * one's address, or 0 if there is no such run. Each page is freed with page_free, one by one. */
uint64_t page_alloc_run(uint64_t n, uint64_t align_pages);
void page_free(uint64_t addr);                            /* panics on double free in the kernel */
size_t page_alloc_free_count(void);

/* Called on a double free or a bad address; the kernel panics, tests record it. */
void page_alloc_misuse(const char *what, uint64_t addr);

#endif
