/*
 * The guest runtime: expectations, reports, hypercalls and port helpers.
 * A guest test is one C file with a main() returning its exit status.
 */
#ifndef VEXIT_GUEST_H
#define VEXIT_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "include/vexit_abi.h"

/*
 * EXPECT("exit IO_INSTRUCTION 4"): one expectation the harness checks against
 * the run (grammar in docs/protocol.md). It lands in the image's .vexit.expect
 * section; the guest never reads it.
 */
#define VEXIT_CAT2(a, b) a##b
#define VEXIT_CAT(a, b) VEXIT_CAT2(a, b)
#define EXPECT(text)                                                                           \
	static const char VEXIT_CAT(vexit_expect_, __LINE__)[]                                  \
		__attribute__((section(".vexit.expect"), used, aligned(1))) = text

/* One line on the debug port: one `rep outsb`, so exactly one I/O exit per line. */
void guest_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "PASS what" or "FAIL what"; returns cond. */
bool report(bool cond, const char *what);
/* "PASS what" or "FAIL what: got 0x.. want 0x.."; returns got == want. */
bool report_eq(uint64_t got, uint64_t want, const char *what);
/* The general registers at the guest's first instruction, by encoding (RAX, RCX, ... R15), then RFLAGS. */
extern uint64_t guest_entry_regs[17];

static inline uint64_t vmcall4(uint64_t nr, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	uint64_t ret;
	__asm__ volatile("vmcall" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d) : "memory");
	return ret;
}

static inline uint64_t vmcall0(uint64_t nr)
{
	return vmcall4(nr, 0, 0, 0, 0);
}

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint16_t inw(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint32_t inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#endif
