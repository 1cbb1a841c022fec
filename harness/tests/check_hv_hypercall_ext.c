/*
 * Unit tests of the hypercalls of hypervisor/vm/hypercall.c that act on the VM
 * (hypervisor/include/vexit_abi.h, docs/guest-abi.md): EXIT, REPORT,
 * IO_BITMAP, MSR_BITMAP, CR3_EXITING, TRACE (with hypervisor/diag/exit_trace.c,
 * its exits delivered through run/vcpu_run.c's vcpu_exit over the fake VMCS of
 * fake_vmcs.c) and IO_UNCLAIMED. The pure queries are in check_hv_hypercall.c.
 *
 * The VM here has real backing for everything the hypercalls touch: guest
 * memory from one host buffer mapped in reverse page order (as in
 * check_hv_guest_mem.c), I/O bitmaps A/B and the MSR bitmap as 4 KiB host
 * pages starting all-ones (as vm_run.c makes them: everything exits), and a
 * struct vmx_caps whose processor-based controls each test chooses.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag/exit_trace.h"
#include "fake_hw.h"
#include "hv_host_fakes.h"
#include "include/vexit_abi.h"
#include "include/vmcs_fields.h"
#include "quiet_assert.h"
#include "run/vcpu_run.h"
#include "run_suite.h"
#include "test_vm.h"
#include "vm/guest_mem.h"
#include "vm/hypercall.h"
#include "vm/vm.h"
#include "vmx/io_bitmap.h"
#include "vmx/msr_bitmap.h"
#include "vmx/vmx_caps.h"

static struct test_vm t;
static struct vm *vm;
static uint8_t *io_a, *io_b, *msr_page;
static struct vmx_caps caps;

static void setup(void)
{
	test_vm_create(&t, "hc", 0);
	vm = t.vm;
	io_a = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	io_b = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	msr_page = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	ck_assert(io_a && io_b && msr_page);
	memset(io_a, 0xff, PAGE_SIZE);
	memset(io_b, 0xff, PAGE_SIZE);
	memset(msr_page, 0xff, PAGE_SIZE);
	vm->io_bitmap_a = (uint64_t)(uintptr_t)io_a;
	vm->io_bitmap_b = (uint64_t)(uintptr_t)io_b;
	vm->msr_bitmap = (uint64_t)(uintptr_t)msr_page;
	/* CR3-load/store exiting may be 0 or 1 unless a test says otherwise. */
	memset(&caps, 0, sizeof(caps));
	caps.procbased = (uint64_t)0xffffffffu << 32;
	vm->caps = &caps;
	vm->dbg.guest = vm->name; /* an entry failure explains itself with the checker */
	vm->dbg.caps = &caps;
	fake_cpu_reset();
	fake_vmcs_reset();
	fake_vmcs.link_pointer = ~0ull; /* as vmcs_setup leaves it: no link-pointer word to read */
	hv_fake_output_reset();
}

static void teardown(void)
{
	ck_assert(!hv_fake_output_overflowed());
	free(msr_page);
	free(io_b);
	free(io_a);
	test_vm_destroy(&t);
}

static uint64_t hc(uint64_t nr, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	/* The guest's registers as a VMCALL leaves them: the number in RAX, the arguments in RBX, RCX, RDX, RSI. */
	uint64_t gpr[GPR_COUNT] = { [GPR_RAX] = nr, [GPR_RBX] = a, [GPR_RCX] = b, [GPR_RDX] = c, [GPR_RSI] = d };
	return hypercall(vm, gpr);
}

static struct io_bitmaps bitmaps(void)
{
	return (struct io_bitmaps){ io_a, io_b };
}

static int port_intercepted(uint16_t p)
{
	struct io_bitmaps bm = bitmaps();
	return io_bitmap_intercepts(&bm, p);
}

static unsigned popcount(const uint8_t *p, size_t n)
{
	unsigned c = 0;
	for (size_t i = 0; i < n; i++)
		c += (unsigned)__builtin_popcount(p[i]);
	return c;
}

/* A copy of the three bitmap pages, to prove a refused call changed nothing. */
struct snapshot {
	uint8_t a[PAGE_SIZE], b[PAGE_SIZE], msr[PAGE_SIZE];
};

static struct snapshot *snap(void)
{
	struct snapshot *s = malloc(sizeof(*s));
	ck_assert_ptr_nonnull(s);
	memcpy(s->a, io_a, PAGE_SIZE);
	memcpy(s->b, io_b, PAGE_SIZE);
	memcpy(s->msr, msr_page, PAGE_SIZE);
	return s;
}

static void assert_unchanged(struct snapshot *s)
{
	ck_assert_mem_eq(s->a, io_a, PAGE_SIZE);
	ck_assert_mem_eq(s->b, io_b, PAGE_SIZE);
	ck_assert_mem_eq(s->msr, msr_page, PAGE_SIZE);
	free(s);
}

START_TEST(test_abi_numbers)
{
	ck_assert_uint_eq(VEXIT_HC_EXIT, 3);
	ck_assert_uint_eq(VEXIT_HC_REPORT, 4);
	ck_assert_uint_eq(VEXIT_HC_IO_BITMAP, 5);
	ck_assert_uint_eq(VEXIT_HC_MSR_BITMAP, 6);
	ck_assert_uint_eq(VEXIT_HC_CR3_EXITING, 7);
	ck_assert_uint_eq(VEXIT_HC_TRACE, 8);
	ck_assert_uint_eq(VEXIT_HC_IO_UNCLAIMED, 9);
	ck_assert_int_eq((int64_t)VEXIT_HC_EPERM, -1);
	ck_assert_int_eq((int64_t)VEXIT_HC_EINVAL, -22);
	ck_assert_uint_eq(VEXIT_MSR_READ, 1);
	ck_assert_uint_eq(VEXIT_MSR_WRITE, 2);
}
END_TEST

/* --- EXIT ------------------------------------------------------------------------------ */

START_TEST(test_exit_stops_done)
{
	ck_assert_int_eq(vm->stop, VM_RUNNING);
	ck_assert_uint_eq(hc(VEXIT_HC_EXIT, 7, 0, 0, 0), 0);
	ck_assert_int_eq(vm->stop, VM_STOP_DONE);
	ck_assert_str_eq(vm->stop_fields, "status=7");
	ck_assert_uint_eq(hv_fake_output_calls(), 0); /* the guest-end line is printed by vm_run, not here */
}
END_TEST

START_TEST(test_exit_status_32_bits)
{
	ck_assert_uint_eq(hc(VEXIT_HC_EXIT, 0x100000005ull, 0, 0, 0), 0);
	ck_assert_str_eq(vm->stop_fields, "status=5");
}
END_TEST

START_TEST(test_exit_status_max)
{
	ck_assert_uint_eq(hc(VEXIT_HC_EXIT, 0xffffffffull, 0, 0, 0), 0);
	ck_assert_int_eq(vm->stop, VM_STOP_DONE);
	ck_assert_str_eq(vm->stop_fields, "status=4294967295");
}
END_TEST

START_TEST(test_exit_first_stop_wins)
{
	ck_assert_uint_eq(hc(VEXIT_HC_EXIT, 1, 0, 0, 0), 0);
	(void)hc(VEXIT_HC_EXIT, 2, 0, 0, 0);
	ck_assert_int_eq(vm->stop, VM_STOP_DONE);
	ck_assert_str_eq(vm->stop_fields, "status=1");
	/* An earlier stop of another kind wins too. */
	vm->stop = VM_RUNNING;
	vm_stop(vm, VM_STOP_BUDGET, "budget=%u", 100u);
	(void)hc(VEXIT_HC_EXIT, 3, 0, 0, 0);
	ck_assert_int_eq(vm->stop, VM_STOP_BUDGET);
	ck_assert_str_eq(vm->stop_fields, "budget=100");
}
END_TEST

/* --- REPORT ---------------------------------------------------------------------------- */

static void put(uint64_t gpa, const void *text, size_t n)
{
	ck_assert(guest_mem_write(vm, gpa, text, n));
}

START_TEST(test_report_line)
{
	put(0x10000, "hello world", 11);
	ck_assert_uint_eq(hc(VEXIT_HC_REPORT, 0x10000, 11, 0, 0), 0);
	ck_assert_str_eq(hv_fake_output(), "VEXIT guest hc hello world\n");
	ck_assert_uint_eq(hv_fake_output_calls(), 1);
	/* Only len bytes: no NUL needed, nothing after them read. */
	hv_fake_output_reset();
	ck_assert_uint_eq(hc(VEXIT_HC_REPORT, 0x10000, 5, 0, 0), 0);
	ck_assert_str_eq(hv_fake_output(), "VEXIT guest hc hello\n");
	/* The VM's name is the one in the line. */
	hv_fake_output_reset();
	strcpy(vm->name, "other_guest");
	ck_assert_uint_eq(hc(VEXIT_HC_REPORT, 0x10006, 5, 0, 0), 0);
	ck_assert_str_eq(hv_fake_output(), "VEXIT guest other_guest world\n");
}
END_TEST

START_TEST(test_report_control_bytes)
{
	static const char raw[] = "a\tb\nc\rd\x1f" "e\x7f" "f\x80g\xff" "h\x01 ~";
	put(0x2000, raw, sizeof(raw) - 1);
	ck_assert_uint_eq(hc(VEXIT_HC_REPORT, 0x2000, sizeof(raw) - 1, 0, 0), 0);
	ck_assert_str_eq(hv_fake_output(), "VEXIT guest hc a?b?c?d?e?f?g?h? ~\n");
	/* A NUL inside the text does not end it early. */
	hv_fake_output_reset();
	put(0x3000, "ab\0cd", 5);
	ck_assert_uint_eq(hc(VEXIT_HC_REPORT, 0x3000, 5, 0, 0), 0);
	ck_assert_str_eq(hv_fake_output(), "VEXIT guest hc ab?cd\n");
	/* Guest memory is not rewritten by the replacement. */
	char back[5];
	ck_assert(guest_mem_read(vm, 0x3000, back, 5));
	ck_assert_mem_eq(back, "ab\0cd", 5);
}
END_TEST

START_TEST(test_report_format_chars_verbatim)
{
	put(0x4000, "100% %s %n %x", 13);
	ck_assert_uint_eq(hc(VEXIT_HC_REPORT, 0x4000, 13, 0, 0), 0);
	ck_assert_str_eq(hv_fake_output(), "VEXIT guest hc 100% %s %n %x\n");
}
END_TEST

START_TEST(test_report_across_pages)
{
	/* Guest pages 1 and 2 are not adjacent on the host (reverse map). */
	put(PAGE_SIZE * 2 - 3, "abcdefg", 7);
	ck_assert_uint_eq(hc(VEXIT_HC_REPORT, PAGE_SIZE * 2 - 3, 7, 0, 0), 0);
	ck_assert_str_eq(hv_fake_output(), "VEXIT guest hc abcdefg\n");
}
END_TEST

START_TEST(test_report_lengths)
{
	char text[201];
	for (int i = 0; i < 201; i++)
		text[i] = (char)('a' + i % 26);
	put(0x5000, text, sizeof(text));
	/* 200 is the limit, inclusive. */
	ck_assert_uint_eq(hc(VEXIT_HC_REPORT, 0x5000, 200, 0, 0), 0);
	const char *out = hv_fake_output();
	ck_assert_uint_eq(strlen(out), strlen("VEXIT guest hc ") + 200 + 1);
	ck_assert_int_eq(strncmp(out + strlen("VEXIT guest hc "), text, 200), 0);
	ck_assert_int_eq(out[strlen(out) - 1], '\n');
	/* 201 and beyond: EINVAL, nothing printed. */
	hv_fake_output_reset();
	static const uint64_t too_long[] = { 201, 4096, 0x100000000ull, UINT64_MAX };
	for (size_t i = 0; i < sizeof(too_long) / sizeof(too_long[0]); i++)
		ck_assert_uint_eq(hc(VEXIT_HC_REPORT, 0x5000, too_long[i], 0, 0), VEXIT_HC_EINVAL);
	ck_assert_uint_eq(hv_fake_output_calls(), 0);
	/* An empty report is an empty line. */
	ck_assert_uint_eq(hc(VEXIT_HC_REPORT, 0x5000, 0, 0, 0), 0);
	ck_assert_str_eq(hv_fake_output(), "VEXIT guest hc \n");
}
END_TEST

START_TEST(test_report_outside_guest_memory)
{
	put(GUEST_MEM_SIZE - 4, "tail", 4);
	/* Ending exactly at the top is fine. */
	ck_assert_uint_eq(hc(VEXIT_HC_REPORT, GUEST_MEM_SIZE - 4, 4, 0, 0), 0);
	ck_assert_str_eq(hv_fake_output(), "VEXIT guest hc tail\n");
	hv_fake_output_reset();
	static const struct { uint64_t gpa, len; } bad[] = {
		{ GUEST_MEM_SIZE - 4, 5 }, { GUEST_MEM_SIZE, 1 }, { GUEST_MEM_SIZE, 0 }, { 0x100000000ull, 4 },
		{ UINT64_MAX, 1 }, { UINT64_MAX - 3, 10 }, { (uint64_t)1 << 63, 4 },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(hc(VEXIT_HC_REPORT, bad[i].gpa, bad[i].len, 0, 0) == VEXIT_HC_EINVAL,
			      "gpa 0x%llx len %llu accepted", (unsigned long long)bad[i].gpa,
			      (unsigned long long)bad[i].len);
	ck_assert_uint_eq(hv_fake_output_calls(), 0);
	ck_assert_int_eq(vm->stop, VM_RUNNING);
}
END_TEST

/* --- IO_BITMAP ------------------------------------------------------------------------- */

START_TEST(test_io_pass_delay_port)
{
	ck_assert_uint_eq(hc(VEXIT_HC_IO_BITMAP, 0xed, 1, 0, 0), 0);
	ck_assert(!port_intercepted(0xed));
	ck_assert(port_intercepted(0xec));
	ck_assert(port_intercepted(0xee));
	ck_assert_uint_eq(io_a[0xed / 8], 0xdf);
	ck_assert_uint_eq(popcount(io_a, PAGE_SIZE) + popcount(io_b, PAGE_SIZE), 2 * 8 * PAGE_SIZE - 1);
	/* Intercept it again. */
	ck_assert_uint_eq(hc(VEXIT_HC_IO_BITMAP, 0xed, 1, 1, 0), 0);
	ck_assert(port_intercepted(0xed));
	ck_assert_uint_eq(io_a[0xed / 8], 0xff);
}
END_TEST

/*
 * The passable set, port by port: exactly 0xED, 0x7FF0-0x800F and 0xFFF0-0xFFFF,
 * ports that reach no device on a PC. Not 0x0000 (DMA channel 0's address
 * register) nor 0x80 (the POST port, latched by the chipset), which once were.
 */
START_TEST(test_io_passable_set)
{
	/* The rule, port by port. */
	unsigned passable = 0;
	for (uint32_t p = 0; p <= 0xffff; p++) {
		bool want = p == 0xed || (p >= 0x7ff0 && p <= 0x800f) || p >= 0xfff0;
		quiet_assert(VEXIT_IO_PASSABLE(p) == want, "port 0x%x", p);
		passable += want;
	}
	ck_assert_uint_eq(passable, 1 + 0x20 + 0x10);
	/* The hypercall at each edge of the set. */
	static const uint16_t edges[] = { 0, 1, 0x7f, 0x80, 0x81, 0xec, 0xed, 0xee, 0x7fef, 0x7ff0,
					  0x800f, 0x8010, 0xffef, 0xfff0, 0xffff };
	unsigned passed = 0;
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		uint16_t p = edges[i];
		uint64_t r = hc(VEXIT_HC_IO_BITMAP, p, 1, 0, 0);
		ck_assert_msg(r == (VEXIT_IO_PASSABLE(p) ? 0 : VEXIT_HC_EPERM), "port 0x%x: 0x%llx", p,
			      (unsigned long long)r);
		ck_assert_msg(port_intercepted(p) == !VEXIT_IO_PASSABLE(p), "port 0x%x", p);
		passed += VEXIT_IO_PASSABLE(p);
	}
	ck_assert_uint_eq(popcount(io_a, PAGE_SIZE) + popcount(io_b, PAGE_SIZE), 2 * 8 * PAGE_SIZE - passed);
}
END_TEST

START_TEST(test_io_pass_windows)
{
	/* The A/B window in one call, and the top of the port space. */
	ck_assert_uint_eq(hc(VEXIT_HC_IO_BITMAP, 0x7ff0, 0x20, 0, 0), 0);
	ck_assert_uint_eq(hc(VEXIT_HC_IO_BITMAP, 0xfff0, 0x10, 0, 0), 0);
	for (uint32_t p = 0; p <= 0xffff; p++) {
		int passed = (p >= 0x7ff0 && p <= 0x800f) || p >= 0xfff0;
		quiet_assert(port_intercepted((uint16_t)p) == !passed, "port 0x%x", p);
	}
	ck_assert_uint_eq(io_a[PAGE_SIZE - 2], 0);
	ck_assert_uint_eq(io_a[PAGE_SIZE - 1], 0);
	ck_assert_uint_eq(io_b[0], 0);
	ck_assert_uint_eq(io_b[1], 0);
	ck_assert_uint_eq(io_b[PAGE_SIZE - 1], 0);
	ck_assert_uint_eq(io_a[0], 0xff);
}
END_TEST

START_TEST(test_io_pass_refused)
{
	struct snapshot *s = snap();
	ck_assert_uint_eq(hc(VEXIT_HC_IO_BITMAP, 0x3f8, 1, 0, 0), VEXIT_HC_EPERM);  /* COM1 */
	ck_assert_uint_eq(hc(VEXIT_HC_IO_BITMAP, 0x3f8, 8, 0, 0), VEXIT_HC_EPERM);
	ck_assert_uint_eq(hc(VEXIT_HC_IO_BITMAP, 0xe9, 1, 0, 0), VEXIT_HC_EPERM);   /* the debug port */
	ck_assert_uint_eq(hc(VEXIT_HC_IO_BITMAP, 0x81, 1, 0, 0), VEXIT_HC_EPERM);
	ck_assert_uint_eq(hc(VEXIT_HC_IO_BITMAP, 1, 1, 0, 0), VEXIT_HC_EPERM);
	/* Partly passable ranges: refused as a whole, not even the passable part changes. */
	ck_assert_uint_eq(hc(VEXIT_HC_IO_BITMAP, 0x7fef, 2, 0, 0), VEXIT_HC_EPERM);
	ck_assert_uint_eq(hc(VEXIT_HC_IO_BITMAP, 0x7ff0, 0x21, 0, 0), VEXIT_HC_EPERM);
	ck_assert_uint_eq(hc(VEXIT_HC_IO_BITMAP, 0xed, 2, 0, 0), VEXIT_HC_EPERM);
	ck_assert_uint_eq(hc(VEXIT_HC_IO_BITMAP, 0x80, 1, 0, 0), VEXIT_HC_EPERM); /* the POST port: a latch */
	ck_assert_uint_eq(hc(VEXIT_HC_IO_BITMAP, 0, 1, 0, 0), VEXIT_HC_EPERM);    /* DMA channel 0 */
	ck_assert_uint_eq(hc(VEXIT_HC_IO_BITMAP, 0xffef, 0x11, 0, 0), VEXIT_HC_EPERM);
	ck_assert_uint_eq(hc(VEXIT_HC_IO_BITMAP, 0, 0x10000, 0, 0), VEXIT_HC_EPERM);
	assert_unchanged(s);
}
END_TEST

START_TEST(test_io_einval)
{
	struct snapshot *s = snap();
	static const struct { uint64_t first, count; } bad[] = {
		{ 0x80, 0 },	       { 0, 0 },		{ 0xffff, 2 },	 { 0xfff0, 0x11 },
		{ 0x10000, 1 },	       { 0x10080, 1 },		{ 0, 0x10001 },	 { 0xffff, UINT64_MAX },
		{ 1, UINT64_MAX },     { UINT64_MAX, 1 },	{ 0x80, 0x100000000ull },
	};
	for (int intercept = 0; intercept < 2; intercept++)
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			ck_assert_msg(hc(VEXIT_HC_IO_BITMAP, bad[i].first, bad[i].count, intercept, 0) == VEXIT_HC_EINVAL,
				      "first 0x%llx count 0x%llx intercept %d", (unsigned long long)bad[i].first,
				      (unsigned long long)bad[i].count, intercept);
	assert_unchanged(s);
}
END_TEST

START_TEST(test_io_intercept_always_allowed)
{
	memset(io_a, 0, PAGE_SIZE);
	memset(io_b, 0, PAGE_SIZE);
	ck_assert_uint_eq(hc(VEXIT_HC_IO_BITMAP, 0x3f8, 8, 1, 0), 0);
	for (uint16_t p = 0x3f8; p < 0x400; p++)
		ck_assert(port_intercepted(p));
	ck_assert(!port_intercepted(0x3f7));
	ck_assert(!port_intercepted(0x400));
	ck_assert_uint_eq(popcount(io_a, PAGE_SIZE) + popcount(io_b, PAGE_SIZE), 8);
	/* Any non-zero third argument means intercept. */
	ck_assert_uint_eq(hc(VEXIT_HC_IO_BITMAP, 0x5000, 1, 2, 0), 0);
	ck_assert_uint_eq(hc(VEXIT_HC_IO_BITMAP, 0x5001, 1, 1ull << 63, 0), 0);
	ck_assert(port_intercepted(0x5000) && port_intercepted(0x5001));
	/* The whole space. */
	ck_assert_uint_eq(hc(VEXIT_HC_IO_BITMAP, 0, 0x10000, 1, 0), 0);
	ck_assert_uint_eq(popcount(io_a, PAGE_SIZE) + popcount(io_b, PAGE_SIZE), 2 * 8 * PAGE_SIZE);
}
END_TEST

/* --- MSR_BITMAP ------------------------------------------------------------------------ */

START_TEST(test_msr_pass_fs_gs)
{
	ck_assert_uint_eq(hc(VEXIT_HC_MSR_BITMAP, MSR_IA32_FS_BASE, VEXIT_MSR_READ, 0, 0), 0);
	ck_assert(!msr_bitmap_access_exits(msr_page, MSR_IA32_FS_BASE, false));
	ck_assert(msr_bitmap_access_exits(msr_page, MSR_IA32_FS_BASE, true));
	ck_assert_uint_eq(msr_page[0x400 + 0x20], 0xfe); /* read-high, bit 0 of byte 0x100/8 */
	ck_assert_uint_eq(popcount(msr_page, PAGE_SIZE), 8 * PAGE_SIZE - 1);

	ck_assert_uint_eq(hc(VEXIT_HC_MSR_BITMAP, MSR_IA32_GS_BASE, VEXIT_MSR_READ | VEXIT_MSR_WRITE, 0, 0), 0);
	ck_assert(!msr_bitmap_access_exits(msr_page, MSR_IA32_GS_BASE, false));
	ck_assert(!msr_bitmap_access_exits(msr_page, MSR_IA32_GS_BASE, true));
	ck_assert_uint_eq(msr_page[0xc00 + 0x20], 0xfd);
	ck_assert_uint_eq(popcount(msr_page, PAGE_SIZE), 8 * PAGE_SIZE - 3);

	ck_assert_uint_eq(hc(VEXIT_HC_MSR_BITMAP, MSR_IA32_FS_BASE, VEXIT_MSR_WRITE, 0, 0), 0);
	ck_assert(!msr_bitmap_access_exits(msr_page, MSR_IA32_FS_BASE, true));
	/* And back: intercepting is always allowed. */
	ck_assert_uint_eq(hc(VEXIT_HC_MSR_BITMAP, MSR_IA32_FS_BASE, VEXIT_MSR_READ | VEXIT_MSR_WRITE, 1, 0), 0);
	ck_assert_uint_eq(hc(VEXIT_HC_MSR_BITMAP, MSR_IA32_GS_BASE, VEXIT_MSR_READ | VEXIT_MSR_WRITE, 1, 0), 0);
	ck_assert_uint_eq(popcount(msr_page, PAGE_SIZE), 8 * PAGE_SIZE);
}
END_TEST

START_TEST(test_msr_pass_refused)
{
	struct snapshot *s = snap();
	static const uint64_t msrs[] = { MSR_IA32_EFER, MSR_IA32_PAT, MSR_IA32_APIC_BASE, MSR_IA32_TSC_AUX, 0, 0x10,
					 0xc0000102u, VEXIT_MSR_SCRATCH, VEXIT_MSR_ID };
	for (size_t i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++)
		for (uint64_t which = 1; which <= 3; which++)
			ck_assert_msg(hc(VEXIT_HC_MSR_BITMAP, msrs[i], which, 0, 0) == VEXIT_HC_EPERM, "msr 0x%llx",
				      (unsigned long long)msrs[i]);
	/* An MSR number is 32 bits: a wider argument is not silently cut to FS_BASE or to MSR 0x10. */
	static const uint64_t wide[] = { 0x100000000ull | MSR_IA32_FS_BASE, 0x100000000ull | MSR_IA32_GS_BASE, 0x100000010ull };
	for (size_t i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
		for (uint64_t intercept = 0; intercept <= 1; intercept++)
			ck_assert_msg(hc(VEXIT_HC_MSR_BITMAP, wide[i], VEXIT_MSR_READ, intercept, 0) == VEXIT_HC_EINVAL,
				      "msr 0x%llx", (unsigned long long)wide[i]);
	assert_unchanged(s);
}
END_TEST

START_TEST(test_msr_intercept)
{
	memset(msr_page, 0, PAGE_SIZE);
	ck_assert_uint_eq(hc(VEXIT_HC_MSR_BITMAP, MSR_IA32_EFER, VEXIT_MSR_WRITE, 1, 0), 0);
	ck_assert(msr_bitmap_access_exits(msr_page, MSR_IA32_EFER, true));
	ck_assert(!msr_bitmap_access_exits(msr_page, MSR_IA32_EFER, false));
	ck_assert_uint_eq(hc(VEXIT_HC_MSR_BITMAP, 0x10, VEXIT_MSR_READ, 1, 0), 0);
	ck_assert(msr_bitmap_access_exits(msr_page, 0x10, false));
	ck_assert_uint_eq(popcount(msr_page, PAGE_SIZE), 2);
	/* An MSR outside the bitmap always exits already; the call cannot change anything. */
	struct snapshot *s = snap();
	ck_assert_uint_ne(hc(VEXIT_HC_MSR_BITMAP, VEXIT_MSR_ID, VEXIT_MSR_READ, 1, 0), 0);
	ck_assert_uint_ne(hc(VEXIT_HC_MSR_BITMAP, 0xc0002000u, VEXIT_MSR_WRITE, 1, 0), 0);
	assert_unchanged(s);
}
END_TEST

START_TEST(test_msr_bad_which)
{
	struct snapshot *s = snap();
	static const uint64_t bad[] = { 0, 4, 5, 7, 8, 0x100000001ull, UINT64_MAX };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* EINVAL before any permission check, for passable and other MSRs, either direction. */
		ck_assert_uint_eq(hc(VEXIT_HC_MSR_BITMAP, MSR_IA32_FS_BASE, bad[i], 0, 0), VEXIT_HC_EINVAL);
		ck_assert_uint_eq(hc(VEXIT_HC_MSR_BITMAP, MSR_IA32_FS_BASE, bad[i], 1, 0), VEXIT_HC_EINVAL);
		ck_assert_uint_eq(hc(VEXIT_HC_MSR_BITMAP, MSR_IA32_EFER, bad[i], 0, 0), VEXIT_HC_EINVAL);
	}
	assert_unchanged(s);
}
END_TEST

/* --- CR3_EXITING ----------------------------------------------------------------------- */

#define CR3_BITS (PROC_CR3_LOAD_EXITING | PROC_CR3_STORE_EXITING)

START_TEST(test_cr3_exiting_free)
{
	/* Both settings allowed (TRUE_PROCBASED_CTLS on a modern CPU). */
	caps.procbased = (uint64_t)CR3_BITS << 32;
	ck_assert_uint_eq(hc(VEXIT_HC_CR3_EXITING, 1, 0, 0, 0), 0);
	ck_assert(vm->cr3_exiting);
	ck_assert(vm->controls_dirty);
	vm->controls_dirty = false; /* as exit_vmcall.c does after rewriting the controls */
	ck_assert_uint_eq(hc(VEXIT_HC_CR3_EXITING, 0, 0, 0, 0), 0);
	ck_assert(!vm->cr3_exiting);
	ck_assert(vm->controls_dirty);
	/* Any non-zero argument means on. */
	vm->controls_dirty = false;
	ck_assert_uint_eq(hc(VEXIT_HC_CR3_EXITING, 1ull << 40, 0, 0, 0), 0);
	ck_assert(vm->cr3_exiting);
	ck_assert(vm->controls_dirty);
}
END_TEST

START_TEST(test_cr3_exiting_cannot_set)
{
	/* Allowed-1 lacks one of the two bits: turning on is refused, nothing changes. */
	static const uint32_t allowed1[] = { 0, PROC_CR3_LOAD_EXITING, PROC_CR3_STORE_EXITING, ~CR3_BITS };
	for (size_t i = 0; i < 4; i++) {
		caps.procbased = (uint64_t)allowed1[i] << 32;
		vm->cr3_exiting = false;
		vm->controls_dirty = false;
		ck_assert_uint_eq(hc(VEXIT_HC_CR3_EXITING, 1, 0, 0, 0), VEXIT_HC_EPERM);
		ck_assert(!vm->cr3_exiting);
		ck_assert(!vm->controls_dirty);
		/* Off is still fine (allowed-0 has no 1 there). */
		ck_assert_uint_eq(hc(VEXIT_HC_CR3_EXITING, 0, 0, 0, 0), 0);
	}
}
END_TEST

START_TEST(test_cr3_exiting_cannot_clear)
{
	/* Allowed-0 has a 1 for either bit (the non-TRUE PROCBASED_CTLS default1 class): off refused. */
	static const uint32_t allowed0[] = { CR3_BITS, PROC_CR3_LOAD_EXITING, PROC_CR3_STORE_EXITING };
	for (size_t i = 0; i < 3; i++) {
		caps.procbased = (uint64_t)0xffffffffu << 32 | allowed0[i];
		vm->cr3_exiting = true;
		vm->controls_dirty = false;
		ck_assert_uint_eq(hc(VEXIT_HC_CR3_EXITING, 0, 0, 0, 0), VEXIT_HC_EPERM);
		ck_assert(vm->cr3_exiting);
		ck_assert(!vm->controls_dirty);
		/* On is allowed. */
		ck_assert_uint_eq(hc(VEXIT_HC_CR3_EXITING, 1, 0, 0, 0), 0);
		ck_assert(vm->cr3_exiting);
	}
	/* Other controls forced to 1 do not matter. */
	caps.procbased = (uint64_t)0xffffffffu << 32 | (PROC_HLT_EXITING | PROC_UNCOND_IO_EXITING);
	ck_assert_uint_eq(hc(VEXIT_HC_CR3_EXITING, 0, 0, 0, 0), 0);
	ck_assert(!vm->cr3_exiting);
}
END_TEST

/* --- TRACE ---------------------------------------------------------------------------- */

/*
 * The trace is recorded by the run loop's per-exit body (run/vcpu_run.c), so these tests
 * deliver exits through vcpu_exit over the fake VMCS, as the hardware would.
 */
static void exit_with(uint32_t reason, uint64_t qual)
{
	fake_vmcs.exit_reason = reason;
	fake_vmcs.exit_qualification = qual;
	fake_vmcs.exit_instruction_length = 3;
	(void)vcpu_exit(&vm->vcpu);
}

/* The guest's VMCALL of hypercall nr with first argument a, through the exit path. */
static uint64_t vmcall_exit(uint64_t nr, uint64_t a)
{
	vm->vcpu.regs[GPR_RAX] = nr;
	vm->vcpu.regs[GPR_RBX] = a;
	exit_with(EXIT_REASON_VMCALL, 0);
	return vm->vcpu.gpr[GPR_RAX];
}

START_TEST(test_trace_records_and_drops_vmcall)
{
	exit_with(EXIT_REASON_CR_ACCESS, 0x3); /* not tracing yet: not recorded */
	ck_assert_uint_eq(vm->trace.n, 0);
	ck_assert_uint_eq(vmcall_exit(VEXIT_HC_TRACE, 1), 0);
	ck_assert(vm->trace.on);
	ck_assert_uint_eq(vm->trace.n, 0); /* the VMCALL turning it on came before it was on */
	exit_with(EXIT_REASON_CR_ACCESS, 0x3);
	exit_with(EXIT_REASON_CR_ACCESS, 0x313);
	exit_with(EXIT_REASON_IO_INSTRUCTION, 0x50000008ull);
	ck_assert_uint_eq(vm->trace.n, 3);
	ck_assert_uint_eq(vmcall_exit(VEXIT_HC_TRACE, 0), 0); /* traced, then dropped by turning it off */
	ck_assert(!vm->trace.on);
	ck_assert_uint_eq(vm->trace.n, 3);
	ck_assert_uint_eq(vm->trace.dropped, 0);
	ck_assert_uint_eq(vm->trace.entries[0].reason, EXIT_REASON_CR_ACCESS);
	ck_assert_uint_eq(vm->trace.entries[0].qualification, 0x3);
	ck_assert_uint_eq(vm->trace.entries[1].qualification, 0x313);
	ck_assert_uint_eq(vm->trace.entries[2].reason, EXIT_REASON_IO_INSTRUCTION);
	ck_assert_uint_eq(vm->trace.entries[2].qualification, 0x50000008ull);
	/* Off again, and exits after it: nothing more dropped or recorded. */
	ck_assert_uint_eq(vmcall_exit(VEXIT_HC_TRACE, 0), 0);
	exit_with(EXIT_REASON_INVD, 0);
	ck_assert_uint_eq(vm->trace.n, 3);
	ck_assert_uint_eq(vm->trace.dropped, 0);
	ck_assert_int_eq(vm->stop, VM_RUNNING);
}
END_TEST

START_TEST(test_trace_basic_reason)
{
	ck_assert_uint_eq(hc(VEXIT_HC_TRACE, 7, 0, 0, 0), 0); /* any non-zero is on */
	ck_assert(vm->trace.on);
	/* An entry failure (bit 31 + invalid guest state): the trace keeps the basic reason. */
	exit_with(EXIT_REASON_ENTRY_FAILURE | EXIT_REASON_ENTRY_FAIL_GUEST_STATE, 0xabc);
	ck_assert_int_eq(vm->stop, VM_STOP_ENTRY_FAILED);
	ck_assert_uint_eq(vm->trace.n, 1);
	ck_assert_uint_eq(vm->trace.entries[0].reason, EXIT_REASON_ENTRY_FAIL_GUEST_STATE);
	ck_assert_uint_eq(vm->trace.entries[0].qualification, 0xabc);
	/* On while on changes nothing. */
	ck_assert_uint_eq(hc(VEXIT_HC_TRACE, 1, 0, 0, 0), 0);
	ck_assert_uint_eq(vm->trace.n, 1);
	ck_assert(vm->trace.on);
}
END_TEST

START_TEST(test_trace_overflow)
{
	ck_assert_uint_eq(vmcall_exit(VEXIT_HC_TRACE, 1), 0);
	for (unsigned i = 0; i < EXIT_TRACE_MAX + 5; i++)
		exit_with(EXIT_REASON_INVD, i);
	ck_assert_uint_eq(vm->trace.n, EXIT_TRACE_MAX);
	ck_assert_uint_eq(vm->trace.dropped, 5);
	for (unsigned i = 0; i < EXIT_TRACE_MAX; i++)
		ck_assert_uint_eq(vm->trace.entries[i].qualification, i); /* the first ones are kept */
	/* The VMCALL turning it off is dropped too, then not counted anywhere (docs/guest-abi.md: turning the
	 * trace off drops the VMCALL doing so). */
	ck_assert_uint_eq(vmcall_exit(VEXIT_HC_TRACE, 0), 0);
	ck_assert_uint_eq(vm->trace.n, EXIT_TRACE_MAX);
	ck_assert_uint_eq(vm->trace.entries[EXIT_TRACE_MAX - 1].qualification, EXIT_TRACE_MAX - 1);
	ck_assert_uint_eq(vm->trace.dropped, 5);
}
END_TEST

START_TEST(test_trace_exactly_full)
{
	ck_assert_uint_eq(vmcall_exit(VEXIT_HC_TRACE, 1), 0);
	for (unsigned i = 0; i < EXIT_TRACE_MAX - 1; i++)
		exit_with(EXIT_REASON_INVD, i);
	vm->vcpu.regs[GPR_RAX] = VEXIT_HC_VERSION;
	exit_with(EXIT_REASON_VMCALL, 0); /* fills the last slot */
	ck_assert_uint_eq(vm->trace.n, EXIT_TRACE_MAX);
	ck_assert_uint_eq(vm->trace.dropped, 0);
	ck_assert_uint_eq(vm->trace.entries[EXIT_TRACE_MAX - 1].reason, EXIT_REASON_VMCALL);
	/* This VMCALL is dropped (one more), and turning the trace off takes it back. */
	ck_assert_uint_eq(vmcall_exit(VEXIT_HC_TRACE, 0), 0);
	ck_assert_uint_eq(vm->trace.n, EXIT_TRACE_MAX);
	ck_assert_uint_eq(vm->trace.dropped, 0);
	/* Off from the hypervisor's side (no VMCALL traced): the last entry is what is taken back. */
	ck_assert_uint_eq(hc(VEXIT_HC_TRACE, 1, 0, 0, 0), 0);
	ck_assert_uint_eq(hc(VEXIT_HC_TRACE, 0, 0, 0, 0), 0);
	ck_assert_uint_eq(vm->trace.n, EXIT_TRACE_MAX - 1);
	ck_assert_uint_eq(vm->trace.dropped, 0);
}
END_TEST

START_TEST(test_trace_printed)
{
	ck_assert_uint_eq(vmcall_exit(VEXIT_HC_TRACE, 1), 0);
	exit_with(EXIT_REASON_CR_ACCESS, 0x313);
	exit_with(EXIT_REASON_MAX + 100, 0x5); /* a reason with no name (and no handler: back to the caller) */
	ck_assert_uint_eq(vmcall_exit(VEXIT_HC_TRACE, 0), 0);
	hv_fake_output_reset();
	exit_trace_print("hc", &vm->trace);
	ck_assert_str_eq(hv_fake_output(), "VEXIT exit-trace hc 0 CR_ACCESS 0x313\n"
					   "VEXIT exit-trace hc 1 UNKNOWN 0x5\n");
	ck_assert_int_eq(vm->stop, VM_RUNNING);
}
END_TEST

/* --- IO_UNCLAIMED ---------------------------------------------------------------------- */

START_TEST(test_io_unclaimed)
{
	ck_assert_uint_eq(hc(VEXIT_HC_IO_UNCLAIMED, 0, 0, 0, 0), 0);
	/* Through the bus itself: no device claims anything here. */
	ck_assert_uint_eq(io_bus_read(&vm->bus, 0x1234, 1), 0xff);
	ck_assert_uint_eq(io_bus_read(&vm->bus, 0x1234, 4), 0xffffffffu);
	io_bus_write(&vm->bus, 0x81, 1, 0);
	ck_assert_uint_eq(hc(VEXIT_HC_IO_UNCLAIMED, 0, 0, 0, 0), 3);
	ck_assert_uint_eq(vm->bus.unclaimed_reads, 2);
	ck_assert_uint_eq(vm->bus.unclaimed_writes, 1);
	/* Reads plus writes, in 64 bits; arguments ignored. */
	vm->bus.unclaimed_reads = 0x100000000ull;
	vm->bus.unclaimed_writes = 7;
	ck_assert_uint_eq(hc(VEXIT_HC_IO_UNCLAIMED, 1, 2, 3, 4), 0x100000007ull);
	vm->bus.unclaimed_reads = 0;
	ck_assert_uint_eq(hc(VEXIT_HC_IO_UNCLAIMED, 0, 0, 0, 0), 7);
}
END_TEST

static Suite *hypercall_ext_suite(void)
{
	Suite *s = suite_create("hv_hypercall_ext");
	TCase *e = tcase_create("exit_report");
	tcase_add_checked_fixture(e, setup, teardown);
	tcase_add_test(e, test_abi_numbers);
	tcase_add_test(e, test_exit_stops_done);
	tcase_add_test(e, test_exit_status_32_bits);
	tcase_add_test(e, test_exit_status_max);
	tcase_add_test(e, test_exit_first_stop_wins);
	tcase_add_test(e, test_report_line);
	tcase_add_test(e, test_report_control_bytes);
	tcase_add_test(e, test_report_format_chars_verbatim);
	tcase_add_test(e, test_report_across_pages);
	tcase_add_test(e, test_report_lengths);
	tcase_add_test(e, test_report_outside_guest_memory);
	suite_add_tcase(s, e);
	TCase *b = tcase_create("bitmaps");
	tcase_add_checked_fixture(b, setup, teardown);
	tcase_add_test(b, test_io_pass_delay_port);
	tcase_add_test(b, test_io_passable_set);
	tcase_add_test(b, test_io_pass_windows);
	tcase_add_test(b, test_io_pass_refused);
	tcase_add_test(b, test_io_einval);
	tcase_add_test(b, test_io_intercept_always_allowed);
	tcase_add_test(b, test_msr_pass_fs_gs);
	tcase_add_test(b, test_msr_pass_refused);
	tcase_add_test(b, test_msr_intercept);
	tcase_add_test(b, test_msr_bad_which);
	suite_add_tcase(s, b);
	TCase *c = tcase_create("cr3_trace_io");
	tcase_add_checked_fixture(c, setup, teardown);
	tcase_add_test(c, test_cr3_exiting_free);
	tcase_add_test(c, test_cr3_exiting_cannot_set);
	tcase_add_test(c, test_cr3_exiting_cannot_clear);
	tcase_add_test(c, test_trace_records_and_drops_vmcall);
	tcase_add_test(c, test_trace_basic_reason);
	tcase_add_test(c, test_trace_overflow);
	tcase_add_test(c, test_trace_exactly_full);
	tcase_add_test(c, test_trace_printed);
	tcase_add_test(c, test_io_unclaimed);
	suite_add_tcase(s, c);
	return s;
}

int main(void)
{
	return run_suite(hypercall_ext_suite(), CK_NORMAL);
}
