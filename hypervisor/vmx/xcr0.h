/* XCR0: the components offered to guests, the XSAVE area they need, and XSETBV's checks (SDM Vol. 1 13.3, Vol. 2 XSETBV); plain C, host-tested. */
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
#define XCR0_AMX (XCR0_TILECFG | XCR0_TILEDATA)
/*
 * The components no guest may enable, whatever the CPU has: CPUID hides PKU and
 * MPX from guests (vmx/cpuid_policy.c), and AMX's 8 KiB of tile data would not
 * fit the one page each VM's XSAVE area has. Leaf 0DH omits them, XSETBV
 * refuses them, and they are never switched between VMs.
 */
#define XCR0_NOT_OFFERED (XCR0_BNDREGS | XCR0_BNDCSR | XCR0_PKRU | XCR0_AMX)

/* What guests are offered of XSAVE: the XCR0 components (XSETBV's limit) and the area they need. */
struct xsave_offer {
	uint64_t xcr0;  /* 0: no XSAVE (FXSAVE/FXRSTOR switch the state) */
	uint32_t bytes; /* xsave_area_bytes(xcr0), at most a page: CPUID.(0DH,0):ECX */
};

#define XSAVE_LEGACY_AND_HEADER 576u /* the legacy region (512 bytes) and the XSAVE header (64) */
#define XCR0_COMPONENTS 64

/* Where CPUID.(EAX=0DH,ECX=i) puts component i in the standard format: EBX is its offset, EAX its size. */
struct xsave_component {
	uint32_t offset, size;
};

/*
 * The bytes XSAVE (standard format) writes for the components in mask: the
 * legacy region and header, and up to the end of the last component above SSE
 * (SDM Vol. 1 13.4.3). CPUID.(EAX=0DH,ECX=0):ECX for that XCR0.
 */
uint32_t xsave_area_bytes(uint64_t mask, const struct xsave_component comp[XCR0_COMPONENTS]);

/*
 * Whether XSETBV may load value into XCR[index]: index 0 only; x87 set; only
 * supported bits (CPUID.(EAX=0DH,ECX=0):EDX:EAX); AVX needs SSE; the AVX-512
 * bits all or none, and only with AVX; MPX bits both or none; AMX TILECFG and
 * TILEDATA both or none. false means #GP.
 */
bool xcr0_valid(uint32_t index, uint64_t value, uint64_t supported);

#endif
