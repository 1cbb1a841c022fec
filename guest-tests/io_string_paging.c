/*
 * io_string_paging: INS and OUTS obey the guest's page tables as the CPU would.
 * The guest maps five 4 KiB pages of its own at 512 GiB (PML4 index 1): one
 * writable, one read-only, one not present, one with XD while EFER.NXE is clear
 * (a reserved bit), one user page. A string access the tables forbid raises
 * #PF in the guest with the error code and CR2 the CPU would give (SDM Vol. 3A
 * 4.7), leaves the page and the device untouched, and a REP instruction stops at
 * the faulting element with RSI/RCX counting what was done; the VM runs on.
 * U/S from CPL 3 is left to the Check cases (check_hv_exits, check_hv_guest_mem).
 */
#include "cpu.h"
#include "fault.h"

EXPECT("stop done");
EXPECT("asserts 11");

#define BASE 0x8000000000ull /* PML4 index 1 */
#define PAGE(i) (BASE + 0x1000 * (i))
#define RW_PAGE 0
#define RO_PAGE 1
#define ABSENT_PAGE 2
#define XD_PAGE 3
#define USER_PAGE 4
#define PTE_P 1ull
#define PTE_W 2ull
#define PTE_U 4ull
#define PTE_XD (1ull << 63)
#define ID_PORT (VEXIT_TEST_DEVICE + 0x8) /* reads "VXT1", byte by byte */
#define CPUID7_EBX_SMAP (1u << 20)

static uint64_t pdpt[512] __attribute__((aligned(4096)));
static uint64_t pd[512] __attribute__((aligned(4096)));
static uint64_t pt[512] __attribute__((aligned(4096)));
static uint8_t frames[5][4096] __attribute__((aligned(4096)));

static void map(void)
{
	volatile uint64_t *pml4 = (volatile uint64_t *)(read_cr3() & ~0xfffull);
	pdpt[0] = (uint64_t)(uintptr_t)pd | PTE_P | PTE_W | PTE_U;
	pd[0] = (uint64_t)(uintptr_t)pt | PTE_P | PTE_W | PTE_U;
	pt[RW_PAGE] = (uint64_t)(uintptr_t)frames[RW_PAGE] | PTE_P | PTE_W;
	pt[RO_PAGE] = (uint64_t)(uintptr_t)frames[RO_PAGE] | PTE_P;
	pt[ABSENT_PAGE] = (uint64_t)(uintptr_t)frames[ABSENT_PAGE] | PTE_W;
	pt[XD_PAGE] = (uint64_t)(uintptr_t)frames[XD_PAGE] | PTE_P | PTE_W | PTE_XD;
	pt[USER_PAGE] = (uint64_t)(uintptr_t)frames[USER_PAGE] | PTE_P | PTE_W | PTE_U;
	pml4[1] = (uint64_t)(uintptr_t)pdpt | PTE_P | PTE_W | PTE_U;
	write_cr3(read_cr3()); /* flush the TLB */
}

/* One INSB from the ID port to la (REP with count n if n > 1): the vector it raised. */
static int insb(uint64_t la, uint64_t n)
{
	return FAULT_TRY("rep insb", : "+D"(la), "+c"(n) : "d"((uint16_t)ID_PORT) : "memory");
}

static int outsb(uint64_t *la, uint64_t *n)
{
	return FAULT_TRY("rep outsb", : "+S"(*la), "+c"(*n) : "d"((uint16_t)VEXIT_TEST_LATCH) : "memory");
}

/* A #PF with this error code at this address (CR2). */
static bool page_fault(int vector, uint32_t error, uint64_t la)
{
	return vector == 14 && fault_error == error && read_cr2() == la;
}

int main(void)
{
	fault_init();
	map();
	frames[RO_PAGE][0xffe] = 0x11;
	frames[RO_PAGE][0xfff] = 0x22;

	report(insb(PAGE(RW_PAGE) + 8, 4) == FAULT_NONE && frames[RW_PAGE][8] == 'V' && frames[RW_PAGE][11] == 'V',
	       "REP INSB into a writable page");
	report(page_fault(insb(PAGE(RO_PAGE) + 0x10, 1), 3, PAGE(RO_PAGE) + 0x10) && frames[RO_PAGE][0x10] == 0,
	       "INSB into a read-only page with CR0.WP: #PF, error 3 (P, W), CR2, nothing written");
	uint64_t la = PAGE(RO_PAGE) + 0xffe, n = 1;
	report(outsb(&la, &n) == FAULT_NONE && inl(VEXIT_TEST_LATCH) % 256 == 0x11, "OUTSB from a read-only page");
	uint64_t accesses = inl(VEXIT_TEST_DEVICE + 0xc);
	la = PAGE(ABSENT_PAGE) + 0x20, n = 1;
	report(page_fault(outsb(&la, &n), 0, PAGE(ABSENT_PAGE) + 0x20) &&
		       inl(VEXIT_TEST_DEVICE + 0xc) == accesses + 1, /* only the IN of the count itself */
	       "OUTSB from a page not present: #PF, error 0, CR2, the device untouched");
	la = PAGE(RO_PAGE) + 0xffe, n = 4;
	int v = outsb(&la, &n);
	report(page_fault(v, 0, PAGE(ABSENT_PAGE)) && la == PAGE(ABSENT_PAGE) && n == 2,
	       "REP OUTSB into a page not present: #PF at the third byte, RSI and RCX past two");
	report_eq(inl(VEXIT_TEST_LATCH) % 256, 0x22, "the two bytes before the fault went out");
	la = PAGE(XD_PAGE), n = 1;
	report(page_fault(outsb(&la, &n), 9, PAGE(XD_PAGE)), "OUTSB through XD without EFER.NXE: #PF, error 9 (P, RSVD)");
	report((pt[RW_PAGE] & 0x60) == 0x60 && (pt[RO_PAGE] & 0x60) == 0x20 && (pd[0] & 0x20),
	       "the walk set the accessed flags, and the dirty flag of the page written");

	/* Without CR0.WP the supervisor may write read-only pages. */
	write_cr0(read_cr0() & ~CR0_WP);
	report(insb(PAGE(RO_PAGE) + 0x10, 1) == FAULT_NONE && frames[RO_PAGE][0x10] == 'V',
	       "INSB into a read-only page without CR0.WP");
	write_cr0(read_cr0() | CR0_WP);

	/* SMAP: a supervisor access to a user page faults unless RFLAGS.AC is set. */
	uint32_t r[4];
	cpuid(7, 0, r);
	if (r[1] & CPUID7_EBX_SMAP) {
		write_cr4(read_cr4() | CR4_SMAP);
		bool faulted = page_fault(insb(PAGE(USER_PAGE), 1), 3, PAGE(USER_PAGE));
		__asm__ volatile("stac");
		bool with_ac = insb(PAGE(USER_PAGE), 1) == FAULT_NONE && frames[USER_PAGE][0] == 'V';
		__asm__ volatile("clac");
		write_cr4(read_cr4() & ~CR4_SMAP);
		report(faulted, "INSB into a user page with CR4.SMAP: #PF, error 3 (P, W)");
		report(with_ac, "the same with RFLAGS.AC set (STAC): written");
	} else {
		report(try_write_cr4(read_cr4() | CR4_SMAP) == 13, "no SMAP on this CPU: setting CR4.SMAP is #GP");
		report(insb(PAGE(USER_PAGE), 1) == FAULT_NONE, "INSB into a user page without SMAP");
	}
	return 0;
}
