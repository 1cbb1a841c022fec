/* XCR0 validation for XSETBV (SDM Vol. 1 13.3, Vol. 2 XSETBV); plain C, host-tested. */
#ifndef VEXIT_XCR0_H
#define VEXIT_XCR0_H

#include <stdbool.h>
#include <stdint.h>

#define XCR0_X87 (1ull << 0)
#define XCR0_SSE (1ull << 1)
#define XCR0_AVX (1ull << 2)
#define XCR0_BNDREGS (1ull << 3)
#define XCR0_BNDCSR (1ull << 4)
#define XCR0_OPMASK (1ull << 5)
#define XCR0_ZMM_HI256 (1ull << 6)
#define XCR0_HI16_ZMM (1ull << 7)
#define XCR0_AVX512 (XCR0_OPMASK | XCR0_ZMM_HI256 | XCR0_HI16_ZMM)
#define XCR0_PKRU (1ull << 9)
#define XCR0_TILECFG (1ull << 17)
#define XCR0_TILEDATA (1ull << 18)

/*
 * Whether XSETBV may load value into XCR[index]: index 0 only; x87 set; only
 * supported bits (CPUID.(EAX=0DH,ECX=0):EDX:EAX); AVX needs SSE; the AVX-512
 * bits all or none, and only with AVX; MPX bits both or none; AMX TILECFG and
 * TILEDATA both or none. false means #GP.
 */
bool xcr0_valid(uint32_t index, uint64_t value, uint64_t supported);

#endif
