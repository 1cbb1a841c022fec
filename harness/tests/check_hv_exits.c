/*
 * The exit handlers of hypervisor/exits/, driven the way the hardware drives
 * them: each case of the table below starts from a VM the kernel's own code
 * built (test_vm_build: vm_create, vm_setup_vmx, vmcs_setup() into the fake
 * VMCS of fake_vmcs.c), sets the exit reason, qualification, instruction length
 * and information, the guest's registers and any VMCS fields (CS access rights,
 * RFLAGS.DF, CR0/CR4 shadows, EFER...), and calls run/vcpu_run.c's vcpu_exit:
 * the per-exit body of the run loop, which reads the exit from the VMCS, counts
 * it, dispatches it through exits/exit_dispatch.c and prepares the next entry.
 * Then it checks what came out: the action, every general-purpose register,
 * RIP, the injected event (VMCS_ENTRY_INTR_INFO and error code), the stop
 * reason and its fields, and every VMCS field (each must keep its value unless
 * the case names its new one), plus guest memory, the test device, the
 * hypervisor's output and the VM's own state where a case says so.
 *
 * After the table: the run loop itself (vcpu_run over the fake vmx_run's
 * scripted exits), and the dispatch table's coverage.
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "exits/exit_dispatch.h"
#include "fake_hw.h"
#include "hv_host_fakes.h"
#include "hw/vmcs.h"
#include "hw/vmx_entry.h"
#include "include/vexit_abi.h"
#include "include/x86_arch.h"
#include "kernel/apic_watchdog.h"
#include "quiet_assert.h"
#include "run/vcpu_run.h"
#include "run/vm_run.h"
#include "run_suite.h"
#include "test_vm.h"
#include "vm/demand_page.h"
#include "vm/devices.h"
#include "vm/guest_cpu_state.h"
#include "vm/guest_layout.h"
#include "vm/guest_mem.h"
#include "vm/guest_time.h"
#include "vm/vm.h"
#include "vm/vm_cpuid.h"
#include "vmx/cpuid_policy.h"
#include "vmx/event_inject.h"
#include "vmx/io_bitmap.h"
#include "vmx/msr_bitmap.h"
#include "vmx/xcr0.h"

/* --- how a case is written ------------------------------------------------------------- */

struct reg {
	unsigned gpr1; /* enum gpr + 1; 0 ends the list */
	uint64_t value;
};
#define R(g, v) { (g) + 1, (v) }

enum field_rule { FIELD_EQ, FIELD_SET, FIELD_CLEAR };
struct field {
	uint32_t encoding; /* 0 ends the list */
	uint64_t value;
	enum field_rule rule; /* out: the value, or the bits set/cleared from what it was */
};
#define F(e, v) { (e), (v), FIELD_EQ }
#define FSET(e, v) { (e), (v), FIELD_SET }
#define FCLR(e, v) { (e), (v), FIELD_CLEAR }

struct mem {
	uint64_t gpa;
	const char *bytes;
	unsigned n;
};
#define MEM(gpa, s) { (gpa), (s), sizeof(s) - 1 }

/* An expectation that may be absent: value + 1 << 32 marks it present. */
#define SOME(v) ((uint64_t)1 << 32 | (uint32_t)(v))
#define IS_SOME(x) ((x) >> 32)

struct msr_value {
	uint32_t msr; /* 0: none */
	uint64_t value;
};

struct exit_case {
	const char *name;
	/* In: the exit... */
	uint32_t reason;
	uint64_t qual;
	uint32_t len;  /* VM-exit instruction length */
	uint32_t info; /* VM-exit instruction information */
	struct reg in[6];
	struct field fin[6];
	struct mem mem_in[3];
	void (*prepare)(struct test_vm *t);
	/* ...out. */
	enum exit_action action;
	bool skip;         /* RIP moved past the instruction (else it stays on it) */
	unsigned inject;   /* vector + 1 of the exception injected; 0: none */
	uint32_t error_code; /* ...and its error code, when it has one */
	uint64_t cr2;      /* SOME(v): the CPU's CR2 after the exit (a #PF's address); else CR2 stays 0 */
	struct reg out[6]; /* every other register keeps its value */
	struct field fout[6];
	struct mem mem_out[3];
	enum vm_stop stop;
	const char *stop_fields; /* a part of vm->stop_fields */
	const char *output;      /* a part of what the hypervisor printed; NULL: nothing printed */
	uint64_t latch, accesses, tpr, xcr0; /* SOME(v): the test device's latch and access count, CR8, XCR0 */
	struct msr_value msr;                /* a virtual MSR's value after the exit */
	void (*verify)(struct test_vm *t);
};
#define INJECT(vector) ((vector) + 1)

/* The I/O qualification (SDM 28.2.1, table 28-5) and INS/OUTS instruction information (table 28-8). */
#define IO_IN (1u << 3)
#define IO_STRING (1u << 4)
#define IO_REP (1u << 5)
#define IOQ(port, size, flags) ((uint64_t)(port) << 16 | ((size) - 1u) | (flags))
#define A16 0u
#define A32 1u
#define A64 2u
#define SEG_ES 0u
#define SEG_DS 3u
#define SEG_FS 4u
#define INFO(asize, seg) ((asize) << 7 | (seg) << 15)
/* The control-register qualification (table 28-3). */
#define CR_TO 0u
#define CR_FROM 1u
#define CR_CLTS_T 2u
#define CR_LMSW_T 3u
#define CRQ(cr, type, gpr) ((uint64_t)(cr) | (type) << 4 | (uint64_t)(gpr) << 8)

#define RFLAGS_GUEST (RFLAGS_FIXED1 | RFLAGS_IF)
#define CR0_GUEST (CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG) /* what vmcs_setup gives the guest */
#define CR4_GUEST_REAL (CR4_PAE | CR4_VMXE)
#define TEST_ID_WORD 0x5856u /* "VX": the test device's ID register, low half */
#define ENTRY_RIP GUEST_IMAGE_BASE
/*
 * The guest at CPL 3 (or 1): the CPL is the DPL of SS (SDM 25.4.1); CS agrees, as it would. A hypercall
 * from there answers EPERM, moves RIP past the VMCALL and changes nothing (nothing_changed, and the table's
 * own checks: no other register, no VMCS field, no stop, nothing printed).
 */
#define AT_CPL(dpl) F(VMCS_GUEST_SS_ACCESS_RIGHTS, AR_DATA | (dpl) << AR_DPL_SHIFT), \
	F(VMCS_GUEST_CS_ACCESS_RIGHTS, AR_CODE64 | (dpl) << AR_DPL_SHIFT)
/* An NMI's type and vector, without the valid bit. */
#define NMI_INFO_NOT_VALID (EXIT_INTR_TYPE_NMI | VECTOR_NMI)
#define REFUSED .skip = true, .out = { R(GPR_RAX, VEXIT_HC_EPERM) }

/* Guest linear addresses mapped by 4 KiB pages (map_4k_pages): two pages far apart, a hole, and outside memory. */
#define LA_4K 0x400000ull
#define GPA_4K_0 0x30000ull /* LA_4K */
#define GPA_4K_1 0x20000ull /* LA_4K + 0x1000 */
#define LA_UNMAPPED (LA_4K + 0x2000)
#define LA_OUTSIDE (LA_4K + 0x3000)
#define GPA_OUTSIDE 0x40000000ull
#define GUEST_PT 0x6000ull

static void put64(struct test_vm *t, uint64_t gpa, uint64_t v)
{
	ck_assert(guest_mem_write(t->vm, gpa, &v, sizeof(v)));
}

static void map_4k_pages(struct test_vm *t)
{
	put64(t, GUEST_PD + 8 * 2, GUEST_PT | 3);
	put64(t, GUEST_PT + 8 * 0, GPA_4K_0 | 3);
	put64(t, GUEST_PT + 8 * 1, GPA_4K_1 | 3);
	put64(t, GUEST_PT + 8 * 3, GPA_OUTSIDE | 3);
}

/* Guest-physical address of the PTE that maps LA_4K + 0x1000 * i (map_4k_pages). */
#define PTE_4K(i) (GUEST_PT + 8 * (i))

/* LA_4K's page read-only (R/W clear), then the same also user-accessible. */
static void map_4k_read_only(struct test_vm *t)
{
	map_4k_pages(t);
	put64(t, PTE_4K(0), GPA_4K_0 | 1);
}

/* LA_4K's page with XD (bit 63) set while EFER.NXE is clear: a reserved bit. */
static void map_4k_xd(struct test_vm *t)
{
	map_4k_pages(t);
	put64(t, PTE_4K(0), GPA_4K_0 | 3 | 1ull << 63);
}

/* LA_4K's page table is outside guest memory. */
static void table_outside(struct test_vm *t)
{
	put64(t, GUEST_PD + 8 * 2, GPA_OUTSIDE | 3);
}

static uint64_t get64(struct test_vm *t, uint64_t gpa)
{
	uint64_t v;
	ck_assert(guest_mem_read(t->vm, gpa, &v, sizeof(v)));
	return v;
}

/* A write through LA_4K + 0x1000 set the accessed flags on the way and the PTE's dirty flag (SDM Vol. 3A 4.8). */
static void dirty_4k_1(struct test_vm *t)
{
	ck_assert_uint_eq(get64(t, PTE_4K(1)), GPA_4K_1 | 3 | 0x20 | 0x40);
	ck_assert_uint_eq(get64(t, GUEST_PD + 8 * 2) & 0x60, 0x20);
	ck_assert_uint_eq(get64(t, PTE_4K(0)), GPA_4K_0 | 3); /* not used: untouched */
}

/* A VM-entry MSR-load area of three entries (in a guest page: any low host page does). */
static void msr_load_area(struct test_vm *t)
{
	struct vmcs_msr_entry *area = (struct vmcs_msr_entry *)test_vm_byte(t, 0x30000);
	area[0] = (struct vmcs_msr_entry){ .index = MSR_IA32_SYSENTER_CS };
	area[1] = (struct vmcs_msr_entry){ .index = MSR_IA32_GS_BASE, .value = 5 };
	area[2] = (struct vmcs_msr_entry){ .index = MSR_IA32_SYSENTER_ESP };
	vmcs_write(VMCS_ENTRY_MSR_LOAD_ADDR, (uint64_t)(uintptr_t)area);
	vmcs_write(VMCS_ENTRY_MSR_LOAD_COUNT, 3);
}

/* Kernel option precheck= for this VM: the checker runs before every VMRESUME too. */
static void precheck_on(struct test_vm *t)
{
	t->vm->dbg.precheck = true;
}

static void set_tpr_12(struct test_vm *t)
{
	t->vm->vcpu.tpr = 12;
}

/* The plain MSRs (vm/virtual_msr.h), each with a value of its own to read back. */
static void plain_msr_values(struct test_vm *t)
{
	struct virtual_msrs *m = &t->vm->msrs;
	m->star = 0x0023001000000000;
	m->lstar = 0xffffffff81000000;
	m->tsc_aux = 0x1234;
	m->hv_scratch = 0xfeedfacecafebeef;
	m->mcg_status = 5;
}

/* MSRs vexit does not have, in the plain tables' slots of VEXIT_MSR_SCRATCH and IA32_MCG_STATUS. */
#define MSR_IN_SCRATCH_SLOT 0x40000032u
#define MSR_IN_MCG_STATUS_SLOT 0x200eu
_Static_assert(VIRTUAL_MSR_SLOT(MSR_IN_SCRATCH_SLOT) == VIRTUAL_MSR_SLOT(VEXIT_MSR_SCRATCH) &&
		       VIRTUAL_MSR_SLOT(MSR_IN_MCG_STATUS_SLOT) == VIRTUAL_MSR_SLOT(MSR_IA32_MCG_STATUS),
	       "another hash: pick MSRs in these slots again");

/*
 * CPUID.(EAX=0DH,ECX=0): the CPU has x87, SSE, AVX, PKRU and AMX (EDX:EAX), 11008 bytes of XSAVE area
 * for them all (ECX), 832 for the current XCR0 (EBX); the test VM is offered x87, SSE and AVX
 * (test_vm.c, as main.c would: AMX and PKRU are XCR0_NOT_OFFERED), 832 bytes.
 */
static void xsave_cpu(struct test_vm *t)
{
	(void)t;
	fake_cpu_set_cpuid(0xd, 0, XCR0_X87 | XCR0_SSE | XCR0_AVX | XCR0_PKRU | XCR0_AMX, 832, 11008, 0);
}

#define HOST_LEAF1_ECX (CPUID1_ECX_VMX | CPUID1_ECX_OSXSAVE | CPUID1_ECX_X2APIC | (1u << 0) | (1u << 9) | (1u << 28))
/* The host's TSC reads 0x10000 at the exit; the VM's offset makes the guest's 0xf000. */
static void tsc_at_0x10000(struct test_vm *t)
{
	fake_cpu.tsc = 0x10000;
	fake_cpu.tsc_step = 0;
	t->vm->msrs.tsc_offset = 0 - 0x1000ull;
}

static void monitor_enabled(struct test_vm *t)
{
	t->vm->msrs.misc_enable |= MISC_ENABLE_MONITOR;
	fake_cpu_set_cpuid(CPUID_LEAF_MONITOR, 0, 0x40, 0x40, 3, 0); /* ECX bit 1: interrupts as break events */
}

static void misc_enable_limit_cpuid(struct test_vm *t)
{
	t->vm->msrs.misc_enable |= MISC_ENABLE_LIMIT_CPUID;
	fake_cpu_set_cpuid(2, 0, 0x76036301, 0x00f0b5ff, 0, 0x00c30000);
	fake_cpu_set_cpuid(7, 0, 0, 0xd19f4bbb, 0, 0);
}

static void host_ext_leaf(struct test_vm *t)
{
	(void)t;
	fake_cpu_set_cpuid(0x80000001u, 0, 0, 0, 0x121, CPUID80000001_EDX_RDTSCP | CPUID80000001_EDX_NX | (1u << 29));
}

static void host_cpuid(struct test_vm *t)
{
	(void)t;
	fake_cpu_set_cpuid(1, 0, 0x50654, 0x00100800, HOST_LEAF1_ECX, 0xbfebfbff);
	fake_cpu_set_cpuid(7, 0, 0, 0xd19f4bbb | CPUID7_EBX_INVPCID, CPUID7_ECX_PKU | CPUID7_ECX_LA57 | (1u << 1), 0);
}

static void host_leaf_16(struct test_vm *t)
{
	(void)t;
	fake_cpu_set_cpuid(0x16, 0, 3500, 4000, 100, 0);
}

/* The host's leaves 1, 7, 16H and 80000001H (the VM's CPUID table is filled from them: test_exit_case). */
static void host_leaves(struct test_vm *t)
{
	host_cpuid(t);
	host_ext_leaf(t);
	host_leaf_16(t);
}

/* The table emptied, as a write to MISC_ENABLE leaves it. */
static void cpuid_table_empty(struct test_vm *t)
{
	host_leaf_16(t);
	cpuid_table_invalidate(&t->vm->vcpu.cpuid);
}

/* The exit answered from the table: no CPUID ran on the host. */
static void no_host_cpuid(struct test_vm *t)
{
	(void)t;
	ck_assert_uint_eq(fake_cpu.cpuid_calls, 0);
}

/* The exit asked the host once, through the policy. */
static void one_host_cpuid(struct test_vm *t)
{
	(void)t;
	ck_assert_uint_eq(fake_cpu.cpuid_calls, 1);
}

/* The exit filled the table: leaf 0 and 16H are held, 7 (subleaves) is not. */
static void cpuid_table_now_filled(struct test_vm *t)
{
	const struct cpuid_table *c = &t->vm->vcpu.cpuid;
	ck_assert(c->filled && cpuid_table_fixed(c, 0) && cpuid_table_fixed(c, 0x16) && !cpuid_table_fixed(c, 7));
}

static void cpuid_table_emptied(struct test_vm *t)
{
	const struct cpuid_table *c = &t->vm->vcpu.cpuid;
	ck_assert(!c->filled && !cpuid_table_fixed(c, 0));
}

static void cpuid_table_kept(struct test_vm *t)
{
	const struct cpuid_table *c = &t->vm->vcpu.cpuid;
	ck_assert(c->filled && cpuid_table_fixed(c, 0));
}

static void unclaimed_read(struct test_vm *t)
{
	(void)io_bus_read(&t->vm->bus, 0x80, 1);
}

/* 0x102 accesses to the test device (writes to its read-only ID): its count's bytes are 02 01 00 00. */
static void test_device_count_0x102(struct test_vm *t)
{
	for (unsigned i = 0; i < 0x102; i++)
		io_bus_write(&t->vm->bus, TEST_DEVICE_PORT + TEST_DEVICE_ID, 1, 0);
}

static void one_unclaimed_read(struct test_vm *t)
{
	ck_assert_uint_eq(t->vm->bus.unclaimed_reads, 1);
	ck_assert_uint_eq(t->vm->bus.unclaimed_writes, 0);
}

static void one_unclaimed_write(struct test_vm *t)
{
	ck_assert_uint_eq(t->vm->bus.unclaimed_reads, 0);
	ck_assert_uint_eq(t->vm->bus.unclaimed_writes, 1);
}

/* The test device's other registers after a write near them: the inverted one follows the latch, the ID stays. */
static void test_device_registers_follow(struct test_vm *t)
{
	struct io_bus *bus = &t->vm->bus;
	uint32_t latch = io_bus_read(bus, TEST_DEVICE_PORT + TEST_DEVICE_LATCH, 4);
	ck_assert_uint_eq(io_bus_read(bus, TEST_DEVICE_PORT + TEST_DEVICE_INVERTED, 4), ~latch);
	ck_assert_uint_eq(io_bus_read(bus, TEST_DEVICE_PORT + TEST_DEVICE_ID, 4), VEXIT_TEST_ID_VALUE);
	ck_assert_uint_eq(bus->unclaimed_reads + bus->unclaimed_writes, 0);
}

/* CR3 exiting left free by the CPU, and off in the VMCS: the hypercall turns it on. */
static void cr3_exiting_free(struct test_vm *t)
{
	t->caps.procbased &= ~(uint64_t)(PROC_CR3_LOAD_EXITING | PROC_CR3_STORE_EXITING);
	*fake_vmcs_field(VMCS_PROC_BASED_CONTROLS) &= ~(uint64_t)(PROC_CR3_LOAD_EXITING | PROC_CR3_STORE_EXITING);
}

/* Guest time counted with RDTSC and enforced by a re-armed timer (no "save timer value" control). */
static void budget_1000_used_300(struct test_vm *t)
{
	struct vcpu *v = &t->vm->vcpu;
	guest_time_configure(v, 1000, WATCHDOG_PREEMPTION_TIMER, false, 0);
	v->launched = true;
	v->entry_tick = 100;
	fake_cpu.tsc = 400;
}

static void budget_1000_used_1000(struct test_vm *t)
{
	budget_1000_used_300(t);
	fake_cpu.tsc = 1100;
}

/* Guest time counted by the timer itself (saved at exit): a budget of 3 x 2^32 ticks, the first 2^32 - 1 run. */
static void budget_saved_timer_left(struct test_vm *t)
{
	struct vcpu *v = &t->vm->vcpu;
	guest_time_configure(v, 0x300000000ull, WATCHDOG_PREEMPTION_TIMER, true, 0);
	v->launched = true;
	v->timer_value = 0xffffffffu;
}

static void budget_saved_timer_used(struct test_vm *t)
{
	struct vcpu *v = &t->vm->vcpu;
	guest_time_configure(v, 0x100000000ull, WATCHDOG_PREEMPTION_TIMER, true, 0);
	v->launched = true;
	v->guest_ticks = 1;
	v->timer_value = 0xffffffffu;
}

/* The local-APIC watchdog, calibrated at one count per tick: 300 of a budget of 1000 used. */
static void apic_budget_1000_used_300(struct test_vm *t)
{
	fake_cpu.apic_per_tick = 1;
	ck_assert_ptr_null(apic_watchdog_init());
	struct vcpu *v = &t->vm->vcpu;
	guest_time_configure(v, 1000, WATCHDOG_APIC_TIMER, false, 0);
	v->launched = true;
	v->entry_tick = 100;
	fake_cpu.tsc = 400;
	fake_cpu.apic_starts = 0;
}

static void apic_budget_1000_used_1000(struct test_vm *t)
{
	apic_budget_1000_used_300(t);
	fake_cpu.tsc = 1100;
}

static void apic_eoi_and_rearmed_with_the_rest(struct test_vm *t)
{
	(void)t;
	ck_assert_uint_eq(fake_cpu.apic_eois, 1);
	ck_assert_uint_eq(fake_cpu.apic_starts, 1);
	/* 700 ticks left; the calibration errs high by a count or so (kernel/apic_watchdog.c). */
	ck_assert_uint_ge(fake_cpu.apic_start, 700);
	ck_assert_uint_le(fake_cpu.apic_start, 702);
}

static void apic_eoi_not_rearmed(struct test_vm *t)
{
	(void)t;
	ck_assert_uint_eq(fake_cpu.apic_eois, 1);
	ck_assert_uint_eq(fake_cpu.apic_starts, 0);
}

static void port_ed_passes(struct test_vm *t)
{
	struct io_bitmaps bm = { (uint8_t *)(uintptr_t)t->vm->io_bitmap_a, (uint8_t *)(uintptr_t)t->vm->io_bitmap_b };
	ck_assert(!io_bitmap_intercepts(&bm, 0xed));
	ck_assert(io_bitmap_intercepts(&bm, 0xee));
}

static void fs_base_read_passes(struct test_vm *t)
{
	const uint8_t *bm = (const uint8_t *)(uintptr_t)t->vm->msr_bitmap;
	ck_assert(!msr_bitmap_access_exits(bm, MSR_IA32_FS_BASE, false));
	ck_assert(msr_bitmap_access_exits(bm, MSR_IA32_FS_BASE, true));
}

static void trace_on(struct test_vm *t)
{
	ck_assert(t->vm->trace.on);
	ck_assert_uint_eq(t->vm->trace.n, 0); /* the VMCALL that turned it on is not in it */
}

/* Every byte of one of the VM's bitmap pages still intercepts. */
static void all_ones(uint64_t page, const char *what)
{
	const uint8_t *b = (const uint8_t *)(uintptr_t)page;
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		quiet_assert(b[i] == 0xff, "%s byte 0x%x is 0x%x: a hypercall changed it", what, i, b[i]);
}

/* A refused hypercall changed nothing: bitmaps all ones, no trace, no pending breakage or dump, CR3 exiting off. */
static void nothing_changed(struct test_vm *t)
{
	struct vm *vm = t->vm;
	all_ones(vm->io_bitmap_a, "I/O bitmap A");
	all_ones(vm->io_bitmap_b, "I/O bitmap B");
	all_ones(vm->msr_bitmap, "MSR bitmap");
	ck_assert(!vm->trace.on);
	ck_assert_uint_eq(vm->trace.n, 0);
	ck_assert_uint_eq(vm->dbg.break_pending, 0);
	ck_assert(!vm->dbg.dump_pending);
	ck_assert(!vm->cr3_exiting);
	ck_assert(!vm->controls_dirty);
	ck_assert(!vm->demand.armed && !vm->demand.page);
}

static void trace_already_on(struct test_vm *t)
{
	exit_trace_set(&t->vm->trace, true);
}

/* The trace a ring-3 VMCALL tried to turn off is still on, and holds that VMCALL as an ordinary exit. */
static void trace_still_on(struct test_vm *t)
{
	ck_assert(t->vm->trace.on);
	ck_assert_uint_eq(t->vm->trace.n, 1);
	ck_assert_uint_eq(t->vm->trace.entries[0].reason, EXIT_REASON_VMCALL);
}

static void not_launched(struct test_vm *t)
{
	ck_assert(!t->vm->vcpu.launched); /* SDM 27.8: the guest never ran */
}

/* --- the table ------------------------------------------------------------------------- */

/* The demand page (vm/demand_page.h) armed at DEMAND_GPA, the third page above guest memory. */
#define DEMAND_GPA (GUEST_MEM_SIZE + 0x2000)
static void demand_armed(struct test_vm *t)
{
	ck_assert_uint_eq(demand_page_arm(t->vm, DEMAND_GPA), 0);
}

/* The same in a VM with virtual NMIs, where bit 12 (NMI unblocking due to IRET) is defined. */
static void demand_armed_vnmi(struct test_vm *t)
{
	demand_armed(t);
	t->vm->vcpu.irq.virtual_nmis = true;
}

/* The page is mapped now: guest-physical DEMAND_GPA reads the (zeroed) host page through EPT. */
static void demand_mapped(struct test_vm *t)
{
	ck_assert(t->vm->demand.mapped && !t->vm->demand.armed);
	ck_assert_uint_ne(t->vm->demand.page, 0);
}

/* Nothing the injection core held or raised: the re-injected event is all that goes in. */
static void demand_mapped_nothing_pending(struct test_vm *t)
{
	demand_mapped(t);
	ck_assert(!t->vm->vcpu.irq.nmi);
	ck_assert_int_eq(t->vm->vcpu.irq.held, -1);
}

static void demand_not_mapped(struct test_vm *t)
{
	ck_assert(!t->vm->demand.mapped);
}

/* The hypercall armed it: out of EPT, a zeroed host page waiting. */
static void demand_now_armed(struct test_vm *t)
{
	ck_assert(t->vm->demand.armed && !t->vm->demand.mapped);
	ck_assert_uint_eq(t->vm->demand.gpa, DEMAND_GPA);
	ck_assert_uint_ne(t->vm->demand.page, 0);
	ck_assert_uint_eq(*(uint64_t *)(uintptr_t)t->vm->demand.page, 0);
}

static void demand_untouched(struct test_vm *t)
{
	ck_assert(!t->vm->demand.armed && !t->vm->demand.page);
}

/* IDT-vectoring information (SDM 28.2.4): valid, type, vector; with the error-code bit. */
#define VECTORING(type, vector) (INTR_INFO_VALID | (type) | (vector))
#define VECTORING_EC(type, vector) (VECTORING(type, vector) | INTR_INFO_DELIVER_ERROR_CODE)
/* An EPT violation's qualification for a data write (bit 1), and bit 12: NMI unblocking due to IRET. */
#define EPT_WRITE 0x2u
#define EPT_READ 0x1u

static const struct exit_case cases[] = {
	/* I/O: IN and OUT */
	{ "OUT AL to the test device's latch", EXIT_REASON_IO_INSTRUCTION, IOQ(0x5000, 1, 0), 1,
	  .in = { R(GPR_RAX, 0x1122334455667788) }, .skip = true, .latch = SOME(0x88), .accesses = SOME(1) },
	{ "OUT EAX to the latch: four bytes", EXIT_REASON_IO_INSTRUCTION, IOQ(0x5000, 4, 0), 1,
	  .in = { R(GPR_RAX, 0x1122334455667788) }, .skip = true, .latch = SOME(0x55667788) },
	{ "IN AX keeps RAX's upper 48 bits", EXIT_REASON_IO_INSTRUCTION, IOQ(0x5008, 2, IO_IN), 2,
	  .in = { R(GPR_RAX, ~0ull) }, .skip = true, .out = { R(GPR_RAX, 0xffffffffffff0000 | TEST_ID_WORD) } },
	{ "IN EAX zero-extends into RAX", EXIT_REASON_IO_INSTRUCTION, IOQ(0x5008, 4, IO_IN), 1,
	  .in = { R(GPR_RAX, ~0ull) }, .skip = true, .out = { R(GPR_RAX, VEXIT_TEST_ID_VALUE) } },
	{ "IN AL from a port no device claims: floats", EXIT_REASON_IO_INSTRUCTION, IOQ(0x80, 1, IO_IN), 2,
	  .in = { R(GPR_RAX, 0x1234) }, .skip = true, .out = { R(GPR_RAX, 0x12ff) }, .verify = one_unclaimed_read },
	{ "IN AL from the ID's second byte keeps RAX's upper 56 bits", EXIT_REASON_IO_INSTRUCTION, IOQ(0x5009, 1, IO_IN), 1,
	  .in = { R(GPR_RAX, 0x1122334455667788) }, .skip = true, .out = { R(GPR_RAX, 0x1122334455667758) },
	  .accesses = SOME(1) },
	/* The ends of a device's range, and past them, through the bus's port table. */
	{ "IN AL from 0x4FFF, the port below the test device: floats", EXIT_REASON_IO_INSTRUCTION, IOQ(0x4fff, 1, IO_IN), 1,
	  .in = { R(GPR_RAX, 0x1234) }, .skip = true, .out = { R(GPR_RAX, 0x12ff) }, .accesses = SOME(0),
	  .verify = one_unclaimed_read },
	{ "IN AL from 0x5000, the test device's first port", EXIT_REASON_IO_INSTRUCTION, IOQ(0x5000, 1, IO_IN), 1,
	  .in = { R(GPR_RAX, 0x1234) }, .skip = true, .out = { R(GPR_RAX, 0x1200) }, .accesses = SOME(1) },
	{ "OUT AL to 0x500F, the test device's last port (the count's top byte): ignored, counted",
	  EXIT_REASON_IO_INSTRUCTION, IOQ(0x500f, 1, 0), 1, .in = { R(GPR_RAX, 0x5a) }, .skip = true, .latch = SOME(0),
	  .accesses = SOME(1), .verify = test_device_registers_follow },
	{ "IN AX at 0x500F, the last port: the count's top byte, then one floating", EXIT_REASON_IO_INSTRUCTION,
	  IOQ(0x500f, 2, IO_IN), 1, .in = { R(GPR_RAX, 0x12345678) }, .skip = true, .out = { R(GPR_RAX, 0x1234ff00) },
	  .accesses = SOME(1), .verify = test_device_registers_follow },
	{ "IN AL from 0x5010, the port past the test device: floats", EXIT_REASON_IO_INSTRUCTION, IOQ(0x5010, 1, IO_IN), 1,
	  .in = { R(GPR_RAX, 0x1234) }, .skip = true, .out = { R(GPR_RAX, 0x12ff) }, .accesses = SOME(0),
	  .verify = one_unclaimed_read },
	{ "IN EAX at 0x500D runs past the test device: the count's three top bytes, then one floating",
	  EXIT_REASON_IO_INSTRUCTION, IOQ(0x500d, 4, IO_IN), 1, .in = { R(GPR_RAX, 0x1122334455667788) },
	  .prepare = test_device_count_0x102, .skip = true, .out = { R(GPR_RAX, 0xff000001) }, .accesses = SOME(0x103) },
	{ "OUT AX at 0x5003 straddles the latch and the inverted register: only the latch's byte",
	  EXIT_REASON_IO_INSTRUCTION, IOQ(0x5003, 2, 0), 1, .in = { R(GPR_RAX, 0xabcd) }, .skip = true,
	  .latch = SOME(0xcd000000), .accesses = SOME(1), .verify = test_device_registers_follow },
	{ "IN AX from port 0xFFFF, the last port: floats", EXIT_REASON_IO_INSTRUCTION, IOQ(0xffff, 2, IO_IN), 1,
	  .in = { R(GPR_RAX, 0x12345678) }, .skip = true, .out = { R(GPR_RAX, 0x1234ffff) }, .verify = one_unclaimed_read },
	{ "OUT AL to a port no device claims: dropped, counted", EXIT_REASON_IO_INSTRUCTION, IOQ(0x81, 1, 0), 2,
	  .in = { R(GPR_RAX, 1) }, .skip = true, .accesses = SOME(0), .verify = one_unclaimed_write },
	{ "IN AL from the exit port, which has no read: floats, counted", EXIT_REASON_IO_INSTRUCTION,
	  IOQ(EXIT_PORT, 1, IO_IN), 2, .in = { R(GPR_RAX, 0) }, .skip = true, .out = { R(GPR_RAX, 0xff) },
	  .verify = one_unclaimed_read },
	/* The OUT completed (the device took the byte): RIP moves past it, as on the CPU, and the run loop ends the VM. */
	{ "OUT to the exit port ends the VM: done", EXIT_REASON_IO_INSTRUCTION, IOQ(EXIT_PORT, 1, 0), 1,
	  .in = { R(GPR_RAX, 5) }, .skip = true, .action = EXIT_STOP, .stop = VM_STOP_DONE, .stop_fields = "status=5" },
	{ "I/O qualification with a reserved size stops the VM", EXIT_REASON_IO_INSTRUCTION, 0x50000002, 1,
	  .action = EXIT_STOP, .stop = VM_STOP_UNHANDLED_EXIT,
	  .stop_fields = "reason=IO_INSTRUCTION qual=0x50000002 rip=0x10000 why=bad-qualification" },

	/* I/O: INS and OUTS, with REP, DF, address sizes and segments */
	{ "REP INSW, DF=1, 64-bit addresses", EXIT_REASON_IO_INSTRUCTION, IOQ(0x5008, 2, IO_IN | IO_STRING | IO_REP), 3,
	  INFO(A64, SEG_ES), .in = { R(GPR_RDI, 0x20004), R(GPR_RCX, 3) },
	  .fin = { F(VMCS_GUEST_RFLAGS, RFLAGS_GUEST | RFLAGS_DF) }, .skip = true,
	  .out = { R(GPR_RDI, 0x1fffe), R(GPR_RCX, 0) }, .mem_out = { MEM(0x1ffff, "\0VXVXVX\0") }, .accesses = SOME(3) },
	{ "REP INSW, DF=1, 32-bit addresses: RDI and RCX zero-extend", EXIT_REASON_IO_INSTRUCTION,
	  IOQ(0x5008, 2, IO_IN | IO_STRING | IO_REP), 4, INFO(A32, SEG_ES),
	  .in = { R(GPR_RDI, 0xffffffff00020004), R(GPR_RCX, 0xabcd000000000003) },
	  .fin = { F(VMCS_GUEST_RFLAGS, RFLAGS_GUEST | RFLAGS_DF) }, .skip = true,
	  .out = { R(GPR_RDI, 0x1fffe), R(GPR_RCX, 0) }, .mem_out = { MEM(0x1ffff, "\0VXVXVX\0") } },
	{ "REP INSW, DF=1, 16-bit addresses in 32-bit code: ES base, DI wraps, upper bits kept",
	  EXIT_REASON_IO_INSTRUCTION, IOQ(0x5008, 2, IO_IN | IO_STRING | IO_REP), 3, INFO(A16, SEG_ES),
	  .in = { R(GPR_RDI, 0xffff0000dead0004), R(GPR_RCX, 0x12340003) },
	  .fin = { F(VMCS_GUEST_RFLAGS, RFLAGS_GUEST | RFLAGS_DF), F(VMCS_GUEST_CS_ACCESS_RIGHTS, (AR_CODE64 & ~AR_L) | AR_DB),
		   F(VMCS_GUEST_ES_BASE, 0x20000) },
	  .skip = true, .out = { R(GPR_RDI, 0xffff0000deadfffe), R(GPR_RCX, 0x12340000) },
	  .mem_out = { MEM(0x1ffff, "\0VXVXVX\0") } },
	{ "REP INSB, DF=0, 64-bit: RDI goes up", EXIT_REASON_IO_INSTRUCTION, IOQ(0x5008, 1, IO_IN | IO_STRING | IO_REP), 2,
	  INFO(A64, SEG_ES), .in = { R(GPR_RDI, 0x20000), R(GPR_RCX, 2) }, .skip = true,
	  .out = { R(GPR_RDI, 0x20002), R(GPR_RCX, 0) }, .mem_out = { MEM(0x1ffff, "\0VV\0") } },
	{ "REP OUTSB with RCX=0 does nothing", EXIT_REASON_IO_INSTRUCTION, IOQ(DEBUG_PORT, 1, IO_STRING | IO_REP), 2,
	  INFO(A64, SEG_DS), .in = { R(GPR_RSI, 0x20000), R(GPR_RCX, 0) }, .mem_in = { MEM(0x20000, "x\n") },
	  .skip = true },
	{ "REP INSB with RCX=0 leaves memory alone", EXIT_REASON_IO_INSTRUCTION,
	  IOQ(0x5008, 1, IO_IN | IO_STRING | IO_REP), 2, INFO(A64, SEG_ES), .in = { R(GPR_RDI, 0x20000), R(GPR_RCX, 0) },
	  .skip = true, .mem_out = { MEM(0x20000, "\0") }, .accesses = SOME(0) },
	{ "REP OUTSB over the chunk: 4096 done, RIP stays for the rest", EXIT_REASON_IO_INSTRUCTION,
	  IOQ(0x5000, 1, IO_STRING | IO_REP), 2, INFO(A64, SEG_DS), .in = { R(GPR_RSI, 0x30000), R(GPR_RCX, 5000) },
	  .mem_in = { MEM(0x30fff, "\x5a") }, .out = { R(GPR_RSI, 0x31000), R(GPR_RCX, 904) }, .latch = SOME(0x5a),
	  .accesses = SOME(4096) },
	{ "REP INSB over the chunk: one left", EXIT_REASON_IO_INSTRUCTION, IOQ(0x5008, 1, IO_IN | IO_STRING | IO_REP), 2,
	  INFO(A64, SEG_ES), .in = { R(GPR_RDI, 0x30000), R(GPR_RCX, 4097) }, .out = { R(GPR_RDI, 0x31000), R(GPR_RCX, 1) },
	  .mem_out = { MEM(0x30000, "V"), MEM(0x30ffe, "VV\0") } },
	{ "REP OUTSB of a line to the debug port", EXIT_REASON_IO_INSTRUCTION, IOQ(DEBUG_PORT, 1, IO_STRING | IO_REP), 2,
	  INFO(A64, SEG_DS), .in = { R(GPR_RSI, 0x20000), R(GPR_RCX, 3) }, .mem_in = { MEM(0x20000, "hi\n") },
	  .skip = true, .out = { R(GPR_RSI, 0x20003), R(GPR_RCX, 0) }, .output = "VEXIT guest exits hi\n" },
	{ "OUTSW straddling two 4 KiB guest pages that are far apart", EXIT_REASON_IO_INSTRUCTION,
	  IOQ(0x5000, 2, IO_STRING), 2, INFO(A64, SEG_DS), .in = { R(GPR_RSI, LA_4K + 0xfff) },
	  .mem_in = { MEM(GPA_4K_0 + 0xfff, "\x34"), MEM(GPA_4K_1, "\x12") }, .prepare = map_4k_pages, .skip = true,
	  .out = { R(GPR_RSI, LA_4K + 0x1001) }, .latch = SOME(0x1234) },
	{ "INSW straddling two 4 KiB guest pages", EXIT_REASON_IO_INSTRUCTION, IOQ(0x5008, 2, IO_IN | IO_STRING), 2,
	  INFO(A64, SEG_ES), .in = { R(GPR_RDI, LA_4K + 0xfff) }, .prepare = map_4k_pages, .skip = true,
	  .out = { R(GPR_RDI, LA_4K + 0x1001) }, .mem_out = { MEM(GPA_4K_0 + 0xffe, "\0V"), MEM(GPA_4K_1, "X\0") } },
	{ "OUTSB from an unmapped linear address: #PF, error 0 (a read of a page not present), CR2 = the address",
	  EXIT_REASON_IO_INSTRUCTION, IOQ(0x5000, 1, IO_STRING), 1, INFO(A64, SEG_DS), .in = { R(GPR_RSI, LA_UNMAPPED) },
	  .prepare = map_4k_pages, .inject = INJECT(VECTOR_PF), .error_code = 0, .cr2 = SOME(LA_UNMAPPED),
	  .accesses = SOME(0) },
	{ "INSB to an unmapped linear address: #PF, error 2 (W), and the port is not read", EXIT_REASON_IO_INSTRUCTION,
	  IOQ(0x5008, 1, IO_IN | IO_STRING), 1, INFO(A64, SEG_ES), .in = { R(GPR_RDI, LA_UNMAPPED + 5) },
	  .prepare = map_4k_pages, .inject = INJECT(VECTOR_PF), .error_code = 2, .cr2 = SOME(LA_UNMAPPED + 5),
	  .accesses = SOME(0) },
	{ "INSB to a read-only page at CPL 0 with CR0.WP: #PF, error 3 (P, W)", EXIT_REASON_IO_INSTRUCTION,
	  IOQ(0x5008, 1, IO_IN | IO_STRING), 1, INFO(A64, SEG_ES), .in = { R(GPR_RDI, LA_4K + 0x10) },
	  .prepare = map_4k_read_only, .inject = INJECT(VECTOR_PF), .error_code = 3, .cr2 = SOME(LA_4K + 0x10),
	  .accesses = SOME(0), .mem_out = { MEM(GPA_4K_0 + 0x10, "\0") } },
	{ "INSB to a read-only page at CPL 0 without CR0.WP: written", EXIT_REASON_IO_INSTRUCTION,
	  IOQ(0x5008, 1, IO_IN | IO_STRING), 1, INFO(A64, SEG_ES), .in = { R(GPR_RDI, LA_4K + 0x10) },
	  .fin = { F(VMCS_GUEST_CR0, CR0_GUEST & ~CR0_WP) }, .prepare = map_4k_read_only, .skip = true,
	  .out = { R(GPR_RDI, LA_4K + 0x11) }, .mem_out = { MEM(GPA_4K_0 + 0x10, "V") } },
	{ "OUTSB from CPL 3 through a supervisor page: #PF, error 5 (P, U)", EXIT_REASON_IO_INSTRUCTION,
	  IOQ(0x5000, 1, IO_STRING), 1, INFO(A64, SEG_DS), .in = { R(GPR_RSI, 0x20010) }, .fin = { AT_CPL(3) },
	  .mem_in = { MEM(0x20010, "\x66") }, .inject = INJECT(VECTOR_PF), .error_code = 5, .cr2 = SOME(0x20010),
	  .accesses = SOME(0) },
	{ "OUTSB through a page with XD but EFER.NXE clear: #PF, error 9 (P, RSVD)", EXIT_REASON_IO_INSTRUCTION,
	  IOQ(0x5000, 1, IO_STRING), 1, INFO(A64, SEG_DS), .in = { R(GPR_RSI, LA_4K) }, .prepare = map_4k_xd,
	  .inject = INJECT(VECTOR_PF), .error_code = 9, .cr2 = SOME(LA_4K), .accesses = SOME(0) },
	{ "OUTSB through a page with XD and EFER.NXE: a read, no fault", EXIT_REASON_IO_INSTRUCTION,
	  IOQ(0x5000, 1, IO_STRING), 1, INFO(A64, SEG_DS), .in = { R(GPR_RSI, LA_4K) },
	  .fin = { F(VMCS_GUEST_IA32_EFER, EFER_LME | EFER_LMA | EFER_NXE) }, .prepare = map_4k_xd,
	  .mem_in = { MEM(GPA_4K_0, "\x42") }, .skip = true, .out = { R(GPR_RSI, LA_4K + 1) }, .latch = SOME(0x42) },
	{ "REP OUTSB running into an unmapped page: 2 bytes out, then #PF at the third, RSI/RCX where it stopped",
	  EXIT_REASON_IO_INSTRUCTION, IOQ(0x5000, 1, IO_STRING | IO_REP), 2, INFO(A64, SEG_DS),
	  .in = { R(GPR_RSI, LA_4K + 0x1ffe), R(GPR_RCX, 4) }, .mem_in = { MEM(GPA_4K_1 + 0xffe, "\x11\x22") },
	  .prepare = map_4k_pages, .inject = INJECT(VECTOR_PF), .error_code = 0, .cr2 = SOME(LA_UNMAPPED),
	  .out = { R(GPR_RSI, LA_4K + 0x2000), R(GPR_RCX, 2) }, .latch = SOME(0x22) },
	{ "INSW that straddles into an unmapped page: #PF at its second byte, neither byte written",
	  EXIT_REASON_IO_INSTRUCTION, IOQ(0x5008, 2, IO_IN | IO_STRING), 2, INFO(A64, SEG_ES),
	  .in = { R(GPR_RDI, LA_4K + 0x1fff) }, .prepare = map_4k_pages, .inject = INJECT(VECTOR_PF), .error_code = 2,
	  .cr2 = SOME(LA_UNMAPPED), .accesses = SOME(0), .mem_out = { MEM(GPA_4K_1 + 0xfff, "\0") } },
	{ "OUTSB through a page table outside guest memory: EPT violation on the table's entry",
	  EXIT_REASON_IO_INSTRUCTION, IOQ(0x5000, 1, IO_STRING), 1, INFO(A64, SEG_DS), .in = { R(GPR_RSI, LA_4K) },
	  .prepare = table_outside, .action = EXIT_STOP, .stop = VM_STOP_EPT_VIOLATION,
	  .stop_fields = "gpa=0x40000000 access=r rip=0x10000", .accesses = SOME(0) },
	{ "INSB sets the accessed and dirty flags of the entries it uses", EXIT_REASON_IO_INSTRUCTION,
	  IOQ(0x5008, 1, IO_IN | IO_STRING), 1, INFO(A64, SEG_ES), .in = { R(GPR_RDI, LA_4K + 0x1000) },
	  .prepare = map_4k_pages, .skip = true, .out = { R(GPR_RDI, LA_4K + 0x1001) }, .verify = dirty_4k_1 },
	{ "INSB to an address mapped outside guest memory: EPT violation", EXIT_REASON_IO_INSTRUCTION,
	  IOQ(0x5008, 1, IO_IN | IO_STRING), 1, INFO(A64, SEG_ES), .in = { R(GPR_RDI, LA_OUTSIDE) },
	  .prepare = map_4k_pages, .action = EXIT_STOP, .stop = VM_STOP_EPT_VIOLATION,
	  .stop_fields = "gpa=0x40000000 access=w rip=0x10000" },
	{ "OUTSB from a non-canonical address: #GP(0)", EXIT_REASON_IO_INSTRUCTION, IOQ(0x5000, 1, IO_STRING), 1,
	  INFO(A64, SEG_DS), .in = { R(GPR_RSI, 0x8000000000020010) }, .mem_in = { MEM(0x20010, "\x66") },
	  .inject = INJECT(VECTOR_GP), .accesses = SOME(0) },
	{ "OUTSB through SS from a non-canonical address: #SS(0)", EXIT_REASON_IO_INSTRUCTION,
	  IOQ(0x5000, 1, IO_STRING), 1, INFO(A64, 2u), .in = { R(GPR_RSI, 0x8000000000020010) },
	  .inject = INJECT(VECTOR_SS), .accesses = SOME(0) },
	{ "INSW in 32-bit code: the linear address wraps at 4 GiB", EXIT_REASON_IO_INSTRUCTION,
	  IOQ(0x5008, 2, IO_IN | IO_STRING), 2, INFO(A32, SEG_ES), .in = { R(GPR_RDI, 0x30004) },
	  .fin = { F(VMCS_GUEST_CS_ACCESS_RIGHTS, (AR_CODE64 & ~AR_L) | AR_DB), F(VMCS_GUEST_ES_BASE, 0xffff0000) },
	  .skip = true, .out = { R(GPR_RDI, 0x30006) }, .mem_out = { MEM(0x20003, "\0VX\0") } },
	{ "OUTSW with a reserved address size stops the VM", EXIT_REASON_IO_INSTRUCTION, IOQ(0x5000, 2, IO_STRING), 2,
	  INFO(3u, SEG_DS), .in = { R(GPR_RSI, 0x20000) }, .action = EXIT_STOP, .stop = VM_STOP_UNHANDLED_EXIT,
	  .stop_fields = "why=bad-address-size", .accesses = SOME(0) },
	{ "OUTSB through FS in 64-bit mode adds FS's base", EXIT_REASON_IO_INSTRUCTION, IOQ(0x5000, 1, IO_STRING), 3,
	  INFO(A64, SEG_FS), .in = { R(GPR_RSI, 0x10) }, .fin = { F(VMCS_GUEST_FS_BASE, 0x20000) },
	  .mem_in = { MEM(0x20010, "\x77") }, .skip = true, .out = { R(GPR_RSI, 0x11) }, .latch = SOME(0x77) },
	{ "OUTSB through DS in 64-bit mode ignores DS's base", EXIT_REASON_IO_INSTRUCTION, IOQ(0x5000, 1, IO_STRING), 1,
	  INFO(A64, SEG_DS), .in = { R(GPR_RSI, 0x20010) }, .fin = { F(VMCS_GUEST_DS_BASE, 0x100000) },
	  .mem_in = { MEM(0x20010, "\x66"), MEM(0x120010, "\x99") }, .skip = true, .out = { R(GPR_RSI, 0x20011) },
	  .latch = SOME(0x66) },

	/* Control registers */
	{ "MOV to CR0 clearing PG in IA-32e mode: #GP, RIP stays", EXIT_REASON_CR_ACCESS, CRQ(0, CR_TO, GPR_RAX), 3,
	  .in = { R(GPR_RAX, CR0_GUEST & ~CR0_PG) }, .inject = INJECT(VECTOR_GP) },
	{ "MOV to CR0 setting TS: shadow and real CR0", EXIT_REASON_CR_ACCESS, CRQ(0, CR_TO, GPR_R9), 4,
	  .in = { R(GPR_R9, CR0_GUEST | CR0_TS) }, .skip = true,
	  .fout = { F(VMCS_CR0_READ_SHADOW, CR0_GUEST | CR0_TS), F(VMCS_GUEST_CR0, CR0_GUEST | CR0_TS) } },
	{ "MOV to CR0 with a bit of 63:32: #GP", EXIT_REASON_CR_ACCESS, CRQ(0, CR_TO, GPR_RAX), 3,
	  .in = { R(GPR_RAX, CR0_GUEST | 1ull << 32) }, .inject = INJECT(VECTOR_GP) },
	{ "CLTS clears TS", EXIT_REASON_CR_ACCESS, CRQ(0, CR_CLTS_T, 0), 2,
	  .fin = { F(VMCS_CR0_READ_SHADOW, CR0_GUEST | CR0_TS), F(VMCS_GUEST_CR0, CR0_GUEST | CR0_TS) }, .skip = true,
	  .fout = { F(VMCS_CR0_READ_SHADOW, CR0_GUEST), F(VMCS_GUEST_CR0, CR0_GUEST) } },
	{ "LMSW loads MP, EM and TS and cannot clear PE", EXIT_REASON_CR_ACCESS,
	  CRQ(0, CR_LMSW_T, 0) | (uint64_t)(CR0_MP | CR0_EM | CR0_TS) << 16, 3, .skip = true,
	  .fout = { F(VMCS_CR0_READ_SHADOW, CR0_GUEST | CR0_EM | CR0_TS), F(VMCS_GUEST_CR0, CR0_GUEST | CR0_EM | CR0_TS) } },
	{ "MOV to CR3 from RBX", EXIT_REASON_CR_ACCESS, CRQ(3, CR_TO, GPR_RBX), 3, .in = { R(GPR_RBX, 0x7000) },
	  .skip = true, .fout = { F(VMCS_GUEST_CR3, 0x7000) } },
	{ "MOV to CR3 past the physical-address width: #GP", EXIT_REASON_CR_ACCESS, CRQ(3, CR_TO, GPR_RBX), 3,
	  .in = { R(GPR_RBX, 1ull << 40 | 0x7000) }, .inject = INJECT(VECTOR_GP) },
	{ "MOV from CR3 to RSP writes the VMCS's RSP", EXIT_REASON_CR_ACCESS, CRQ(3, CR_FROM, GPR_RSP), 3, .skip = true,
	  .fout = { F(VMCS_GUEST_RSP, GUEST_PML4) } },
	{ "MOV from CR3 to R15", EXIT_REASON_CR_ACCESS, CRQ(3, CR_FROM, GPR_R15), 3, .skip = true,
	  .out = { R(GPR_R15, GUEST_PML4) } },
	{ "MOV to CR8 from RSP reads the VMCS's RSP", EXIT_REASON_CR_ACCESS, CRQ(8, CR_TO, GPR_RSP), 4,
	  .in = { R(GPR_RSP, 3) }, .fin = { F(VMCS_GUEST_RSP, 9) }, .skip = true, .tpr = SOME(9) },
	{ "MOV from CR8 to RCX", EXIT_REASON_CR_ACCESS, CRQ(8, CR_FROM, GPR_RCX), 4, .prepare = set_tpr_12, .skip = true,
	  .out = { R(GPR_RCX, 12) }, .tpr = SOME(12) },
	{ "MOV to CR8 with bit 4: #GP", EXIT_REASON_CR_ACCESS, CRQ(8, CR_TO, GPR_RAX), 4, .in = { R(GPR_RAX, 0x10) },
	  .inject = INJECT(VECTOR_GP), .tpr = SOME(0) },
	/* The common accesses (exit_cr.c: handle_cr_access), and each way out of them into the general one. */
	{ "MOV to CR8 from R12, a register the stub does not reload", EXIT_REASON_CR_ACCESS, CRQ(8, CR_TO, GPR_R12), 4,
	  .in = { R(GPR_R12, 15) }, .prepare = set_tpr_12, .skip = true, .tpr = SOME(15) },
	{ "MOV to CR8 with bit 63: #GP, the priority kept", EXIT_REASON_CR_ACCESS, CRQ(8, CR_TO, GPR_RDX), 4,
	  .in = { R(GPR_RDX, 1ull << 63 | 3) }, .prepare = set_tpr_12, .inject = INJECT(VECTOR_GP), .tpr = SOME(12) },
	{ "MOV to CR8 with a reserved qualification bit (12): the register of bits 11:8", EXIT_REASON_CR_ACCESS,
	  CRQ(8, CR_TO, GPR_RBX) | 1u << 12, 4, .in = { R(GPR_RBX, 7) }, .skip = true, .tpr = SOME(7) },
	{ "MOV from CR8 to R11", EXIT_REASON_CR_ACCESS, CRQ(8, CR_FROM, GPR_R11), 4, .prepare = set_tpr_12,
	  .skip = true, .out = { R(GPR_R11, 12) }, .tpr = SOME(12) },
	{ "MOV from CR8 to R15, a register the stub does not reload", EXIT_REASON_CR_ACCESS, CRQ(8, CR_FROM, GPR_R15), 4,
	  .prepare = set_tpr_12, .skip = true, .out = { R(GPR_R15, 12) }, .tpr = SOME(12) },
	{ "MOV from CR8 to RSP writes the VMCS's RSP", EXIT_REASON_CR_ACCESS, CRQ(8, CR_FROM, GPR_RSP), 4,
	  .prepare = set_tpr_12, .skip = true, .fout = { F(VMCS_GUEST_RSP, 12) }, .tpr = SOME(12) },
	{ "MOV from CR8 with a reserved qualification bit (15): the register of bits 11:8", EXIT_REASON_CR_ACCESS,
	  CRQ(8, CR_FROM, GPR_RCX) | 1u << 15, 4, .prepare = set_tpr_12, .skip = true, .out = { R(GPR_RCX, 12) },
	  .tpr = SOME(12) },
	{ "MOV to CR0 clearing TS", EXIT_REASON_CR_ACCESS, CRQ(0, CR_TO, GPR_RSI), 3, .in = { R(GPR_RSI, CR0_GUEST) },
	  .fin = { F(VMCS_CR0_READ_SHADOW, CR0_GUEST | CR0_TS), F(VMCS_GUEST_CR0, CR0_GUEST | CR0_TS) }, .skip = true,
	  .fout = { F(VMCS_CR0_READ_SHADOW, CR0_GUEST), F(VMCS_GUEST_CR0, CR0_GUEST) } },
	{ "MOV to CR0 clearing NE and WP: the real CR0 keeps NE, a VMX fixed bit", EXIT_REASON_CR_ACCESS,
	  CRQ(0, CR_TO, GPR_R13), 4, .in = { R(GPR_R13, CR0_GUEST & ~(CR0_NE | CR0_WP)) }, .skip = true,
	  .fout = { F(VMCS_CR0_READ_SHADOW, CR0_GUEST & ~(CR0_NE | CR0_WP)), F(VMCS_GUEST_CR0, CR0_GUEST & ~CR0_WP) } },
	{ "MOV to CR0 without ET: it reads as 1, reserved bit 6 as 0", EXIT_REASON_CR_ACCESS, CRQ(0, CR_TO, GPR_RAX), 3,
	  .in = { R(GPR_RAX, (CR0_GUEST & ~CR0_ET) | 1u << 6) }, .skip = true,
	  .fout = { F(VMCS_CR0_READ_SHADOW, CR0_GUEST), F(VMCS_GUEST_CR0, CR0_GUEST) } },
	{ "MOV to CR0 clearing PE with PG set: #GP", EXIT_REASON_CR_ACCESS, CRQ(0, CR_TO, GPR_RAX), 3,
	  .in = { R(GPR_RAX, CR0_GUEST & ~CR0_PE) }, .inject = INJECT(VECTOR_GP) },
	{ "MOV to CR0 setting CD: the general way, no mode switch", EXIT_REASON_CR_ACCESS, CRQ(0, CR_TO, GPR_RAX), 3,
	  .in = { R(GPR_RAX, CR0_GUEST | CR0_CD) }, .skip = true,
	  .fout = { F(VMCS_CR0_READ_SHADOW, CR0_GUEST | CR0_CD), F(VMCS_GUEST_CR0, CR0_GUEST | CR0_CD) } },
	{ "MOV to CR0 setting NW without CD: #GP", EXIT_REASON_CR_ACCESS, CRQ(0, CR_TO, GPR_RAX), 3,
	  .in = { R(GPR_RAX, CR0_GUEST | CR0_NW) }, .inject = INJECT(VECTOR_GP) },
	{ "MOV to CR0 from RSP reads the VMCS's RSP", EXIT_REASON_CR_ACCESS, CRQ(0, CR_TO, GPR_RSP), 3,
	  .in = { R(GPR_RSP, CR0_GUEST) }, .fin = { F(VMCS_GUEST_RSP, CR0_GUEST | CR0_TS) }, .skip = true,
	  .fout = { F(VMCS_CR0_READ_SHADOW, CR0_GUEST | CR0_TS), F(VMCS_GUEST_CR0, CR0_GUEST | CR0_TS) } },
	{ "MOV to CR4 setting VMXE: #GP", EXIT_REASON_CR_ACCESS, CRQ(4, CR_TO, GPR_RAX), 3,
	  .in = { R(GPR_RAX, CR4_PAE | CR4_VMXE) }, .inject = INJECT(VECTOR_GP) },
	{ "MOV to CR4 setting OSXSAVE: the real CR4 keeps VMXE", EXIT_REASON_CR_ACCESS, CRQ(4, CR_TO, GPR_RDX), 3,
	  .in = { R(GPR_RDX, CR4_PAE | CR4_OSXSAVE) }, .skip = true,
	  .fout = { F(VMCS_CR4_READ_SHADOW, CR4_PAE | CR4_OSXSAVE), F(VMCS_GUEST_CR4, CR4_GUEST_REAL | CR4_OSXSAVE) } },
	{ "MOV to CR4 clearing PAE in IA-32e mode: #GP", EXIT_REASON_CR_ACCESS, CRQ(4, CR_TO, GPR_RAX), 3,
	  .in = { R(GPR_RAX, 0) }, .inject = INJECT(VECTOR_GP) },
	{ "MOV to CR0 in 32-bit code: only EAX is the operand", EXIT_REASON_CR_ACCESS, CRQ(0, CR_TO, GPR_RAX), 3,
	  .in = { R(GPR_RAX, 0xdeadbeef00000000 | CR0_GUEST | CR0_TS) },
	  .fin = { F(VMCS_GUEST_CS_ACCESS_RIGHTS, (AR_CODE64 & ~AR_L) | AR_DB) }, .skip = true,
	  .fout = { F(VMCS_CR0_READ_SHADOW, CR0_GUEST | CR0_TS), F(VMCS_GUEST_CR0, CR0_GUEST | CR0_TS) } },
	{ "MOV from CR3 in 32-bit code: 32 bits of it", EXIT_REASON_CR_ACCESS, CRQ(3, CR_FROM, GPR_RCX), 3,
	  .fin = { F(VMCS_GUEST_CS_ACCESS_RIGHTS, (AR_CODE64 & ~AR_L) | AR_DB), F(VMCS_GUEST_CR3, 0x100001000) },
	  .skip = true, .out = { R(GPR_RCX, 0x1000) } },
	{ "CR access to CR2 (no such exit) stops the VM", EXIT_REASON_CR_ACCESS, CRQ(2, CR_TO, GPR_RAX), 3,
	  .action = EXIT_STOP, .stop = VM_STOP_UNHANDLED_EXIT, .stop_fields = "why=bad-qualification" },

	/* MSRs: every virtual MSR of vm/virtual_msr.c, through the VMCS where it lives there */
	{ "RDMSR IA32_APIC_BASE", EXIT_REASON_RDMSR, 0, 2, .in = { R(GPR_RCX, MSR_IA32_APIC_BASE) }, .skip = true,
	  .out = { R(GPR_RAX, 0xfee00900), R(GPR_RDX, 0) } },
	{ "WRMSR IA32_APIC_BASE keeps BSP", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IA32_APIC_BASE), R(GPR_RAX, 0xfed00000), R(GPR_RDX, 0) }, .skip = true,
	  .msr = { MSR_IA32_APIC_BASE, 0xfed00100 } },
	{ "WRMSR IA32_APIC_BASE enabling x2APIC: #GP", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IA32_APIC_BASE), R(GPR_RAX, 0xfee00d00), R(GPR_RDX, 0) }, .inject = INJECT(VECTOR_GP),
	  .msr = { MSR_IA32_APIC_BASE, 0xfee00900 } },
	{ "WRMSR SYSENTER_CS keeps 32 bits, in the VMCS", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IA32_SYSENTER_CS), R(GPR_RAX, 0x10), R(GPR_RDX, 0xffff) }, .skip = true,
	  .fout = { F(VMCS_GUEST_IA32_SYSENTER_CS, 0x10) } },
	{ "WRMSR SYSENTER_ESP, canonical", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IA32_SYSENTER_ESP), R(GPR_RAX, 0x1000), R(GPR_RDX, 0xffff8000) }, .skip = true,
	  .fout = { F(VMCS_GUEST_IA32_SYSENTER_ESP, 0xffff800000001000) } },
	{ "WRMSR SYSENTER_EIP, not canonical: #GP", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IA32_SYSENTER_EIP), R(GPR_RAX, 0), R(GPR_RDX, 0x8000) }, .inject = INJECT(VECTOR_GP) },
	{ "RDMSR SYSENTER_EIP reads the VMCS", EXIT_REASON_RDMSR, 0, 2, .in = { R(GPR_RCX, MSR_IA32_SYSENTER_EIP) },
	  .fin = { F(VMCS_GUEST_IA32_SYSENTER_EIP, 0x123456789a) }, .skip = true,
	  .out = { R(GPR_RAX, 0x3456789a), R(GPR_RDX, 0x12) } },
	{ "RDMSR IA32_PAT: the power-on value", EXIT_REASON_RDMSR, 0, 2, .in = { R(GPR_RCX, MSR_IA32_PAT) }, .skip = true,
	  .out = { R(GPR_RAX, 0x00070406), R(GPR_RDX, 0x00070406) } },
	{ "WRMSR IA32_PAT, in the VMCS (load/save PAT)", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IA32_PAT), R(GPR_RAX, 0x01050406), R(GPR_RDX, 0x07060400) }, .skip = true,
	  .fout = { F(VMCS_GUEST_IA32_PAT, 0x0706040001050406) }, .msr = { MSR_IA32_PAT, 0x0706040001050406 } },
	{ "WRMSR IA32_PAT with memory type 2: #GP", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IA32_PAT), R(GPR_RAX, 0x00000002), R(GPR_RDX, 0) }, .inject = INJECT(VECTOR_GP),
	  .msr = { MSR_IA32_PAT, 0x0007040600070406 } },
	{ "RDMSR IA32_EFER", EXIT_REASON_RDMSR, 0, 2, .in = { R(GPR_RCX, MSR_IA32_EFER) }, .skip = true,
	  .out = { R(GPR_RAX, EFER_LME | EFER_LMA), R(GPR_RDX, 0) } },
	{ "WRMSR IA32_EFER setting SCE and NXE, in the VMCS", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IA32_EFER), R(GPR_RAX, EFER_SCE | EFER_LME | EFER_NXE), R(GPR_RDX, 0) }, .skip = true,
	  .fout = { F(VMCS_GUEST_IA32_EFER, EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE) } },
	{ "WRMSR IA32_EFER clearing LME with paging on: #GP", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IA32_EFER), R(GPR_RAX, EFER_LMA), R(GPR_RDX, 0) }, .inject = INJECT(VECTOR_GP) },
	{ "WRMSR IA32_FS_BASE, in the VMCS", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IA32_FS_BASE), R(GPR_RAX, 0x89abcdef), R(GPR_RDX, 0x1234) }, .skip = true,
	  .fout = { F(VMCS_GUEST_FS_BASE, 0x123489abcdef) } },
	{ "RDMSR IA32_GS_BASE reads the VMCS", EXIT_REASON_RDMSR, 0, 2, .in = { R(GPR_RCX, MSR_IA32_GS_BASE) },
	  .fin = { F(VMCS_GUEST_GS_BASE, 0xffff800012345678) }, .skip = true,
	  .out = { R(GPR_RAX, 0x12345678), R(GPR_RDX, 0xffff8000) } },
	{ "WRMSR IA32_TSC_AUX with bits above 31: #GP", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IA32_TSC_AUX), R(GPR_RAX, 1), R(GPR_RDX, 1) }, .inject = INJECT(VECTOR_GP),
	  .msr = { MSR_IA32_TSC_AUX, 0 } },
	{ "WRMSR IA32_TSC_AUX", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IA32_TSC_AUX), R(GPR_RAX, 0xfedcba98), R(GPR_RDX, 0) }, .skip = true,
	  .msr = { MSR_IA32_TSC_AUX, 0xfedcba98 } },
	{ "RDMSR VEXIT_MSR_ID", EXIT_REASON_RDMSR, 0, 2, .in = { R(GPR_RCX, VEXIT_MSR_ID) }, .skip = true,
	  .out = { R(GPR_RAX, VEXIT_MSR_ID_VALUE & 0xffffffff), R(GPR_RDX, VEXIT_MSR_ID_VALUE >> 32) } },
	{ "WRMSR VEXIT_MSR_ID, read-only: #GP", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, VEXIT_MSR_ID), R(GPR_RAX, 0), R(GPR_RDX, 0) }, .inject = INJECT(VECTOR_GP) },
	{ "WRMSR VEXIT_MSR_SCRATCH", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, VEXIT_MSR_SCRATCH), R(GPR_RAX, 0xdeadbeef), R(GPR_RDX, 0xcafef00d) }, .skip = true,
	  .msr = { VEXIT_MSR_SCRATCH, 0xcafef00ddeadbeef } },
	{ "RDMSR VEXIT_MSR_EXITS counts this exit", EXIT_REASON_RDMSR, 0, 2, .in = { R(GPR_RCX, VEXIT_MSR_EXITS) },
	  .skip = true, .out = { R(GPR_RAX, 1), R(GPR_RDX, 0) } },
	{ "RDMSR of an MSR vexit does not have: #GP", EXIT_REASON_RDMSR, 0, 2, .in = { R(GPR_RCX, 0xc0000104) },
	  .inject = INJECT(VECTOR_GP) },
	{ "WRMSR of an MSR vexit does not have: #GP", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, 0x11), R(GPR_RAX, 0), R(GPR_RDX, 0) }, .inject = INJECT(VECTOR_GP) },
	{ "RDMSR IA32_TSC: the host's TSC plus the VM's offset", EXIT_REASON_RDMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IA32_TSC) }, .prepare = tsc_at_0x10000, .skip = true,
	  .out = { R(GPR_RAX, 0xf000), R(GPR_RDX, 0) } },
	{ "WRMSR IA32_TSC moves the VMCS TSC offset, and TSC_ADJUST with it", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IA32_TSC), R(GPR_RAX, 0xf000), R(GPR_RDX, 1) }, .prepare = tsc_at_0x10000, .skip = true,
	  .fout = { F(VMCS_TSC_OFFSET, 0x100000000ull - 0x1000) }, .msr = { MSR_IA32_TSC_ADJUST, 0x100000000ull } },
	{ "WRMSR IA32_TSC_ADJUST moves the VMCS TSC offset", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IA32_TSC_ADJUST), R(GPR_RAX, 0x500), R(GPR_RDX, 0) }, .prepare = tsc_at_0x10000,
	  .skip = true, .fout = { F(VMCS_TSC_OFFSET, 0x500 - 0x1000ull) }, .msr = { MSR_IA32_TSC_ADJUST, 0x500 } },
	{ "RDMSR IA32_MISC_ENABLE: fast strings, no BTS or PEBS", EXIT_REASON_RDMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IA32_MISC_ENABLE) }, .skip = true, .out = { R(GPR_RAX, 0x1801), R(GPR_RDX, 0) } },
	{ "WRMSR IA32_MISC_ENABLE with a reserved bit: #GP", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IA32_MISC_ENABLE), R(GPR_RAX, 0x1801 | (1u << 2)), R(GPR_RDX, 0) },
	  .inject = INJECT(VECTOR_GP), .msr = { MSR_IA32_MISC_ENABLE, 0x1801 } },
	{ "WRMSR IA32_MISC_ENABLE: MONITOR, limit CPUID and XD disable", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IA32_MISC_ENABLE), R(GPR_RAX, 0x441801), R(GPR_RDX, 4) }, .skip = true,
	  .msr = { MSR_IA32_MISC_ENABLE, 0x400441801 } },
	{ "RDMSR IA32_MCG_CAP: no bank", EXIT_REASON_RDMSR, 0, 2, .in = { R(GPR_RCX, MSR_IA32_MCG_CAP) }, .skip = true,
	  .out = { R(GPR_RAX, 0), R(GPR_RDX, 0) } },
	{ "WRMSR IA32_MCG_STATUS: RIPV, EIPV, MCIP", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IA32_MCG_STATUS), R(GPR_RAX, 7), R(GPR_RDX, 0) }, .skip = true,
	  .msr = { MSR_IA32_MCG_STATUS, 7 } },
	{ "WRMSR IA32_MCG_STATUS bit 3 (no LMCE): #GP", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IA32_MCG_STATUS), R(GPR_RAX, 8), R(GPR_RDX, 0) }, .inject = INJECT(VECTOR_GP),
	  .msr = { MSR_IA32_MCG_STATUS, 0 } },
	{ "RDMSR IA32_MC0_CTL (no bank): #GP", EXIT_REASON_RDMSR, 0, 2, .in = { R(GPR_RCX, 0x400) },
	  .inject = INJECT(VECTOR_GP) },
	/* The plain MSRs (vm/virtual_msr.h), and the MSRs that share their slots */
	{ "RDMSR IA32_STAR", EXIT_REASON_RDMSR, 0, 2, .in = { R(GPR_RCX, MSR_IA32_STAR) }, .prepare = plain_msr_values,
	  .skip = true, .out = { R(GPR_RAX, 0), R(GPR_RDX, 0x00230010) } },
	{ "RDMSR IA32_LSTAR", EXIT_REASON_RDMSR, 0, 2, .in = { R(GPR_RCX, MSR_IA32_LSTAR) }, .prepare = plain_msr_values,
	  .skip = true, .out = { R(GPR_RAX, 0x81000000), R(GPR_RDX, 0xffffffff) } },
	{ "RDMSR IA32_TSC_AUX", EXIT_REASON_RDMSR, 0, 2, .in = { R(GPR_RCX, MSR_IA32_TSC_AUX) },
	  .prepare = plain_msr_values, .skip = true, .out = { R(GPR_RAX, 0x1234), R(GPR_RDX, 0) } },
	{ "RDMSR VEXIT_MSR_SCRATCH", EXIT_REASON_RDMSR, 0, 2, .in = { R(GPR_RCX, VEXIT_MSR_SCRATCH) },
	  .prepare = plain_msr_values, .skip = true, .out = { R(GPR_RAX, 0xcafebeef), R(GPR_RDX, 0xfeedface) } },
	{ "RDMSR IA32_MCG_STATUS", EXIT_REASON_RDMSR, 0, 2, .in = { R(GPR_RCX, MSR_IA32_MCG_STATUS) },
	  .prepare = plain_msr_values, .skip = true, .out = { R(GPR_RAX, 5), R(GPR_RDX, 0) } },
	{ "RDMSR with bits 63:32 of RCX set reads the MSR of ECX", EXIT_REASON_RDMSR, 0, 2,
	  .in = { R(GPR_RCX, 0xffffffff00000000 | VEXIT_MSR_SCRATCH) }, .prepare = plain_msr_values, .skip = true,
	  .out = { R(GPR_RAX, 0xcafebeef), R(GPR_RDX, 0xfeedface) } },
	{ "WRMSR IA32_MCG_STATUS bit 32: #GP", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IA32_MCG_STATUS), R(GPR_RAX, 1), R(GPR_RDX, 1) }, .prepare = plain_msr_values,
	  .inject = INJECT(VECTOR_GP), .msr = { MSR_IA32_MCG_STATUS, 5 } },
	{ "WRMSR VEXIT_MSR_SCRATCH ignores bits 63:32 of RAX", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, VEXIT_MSR_SCRATCH), R(GPR_RAX, 0xffffffff00000001), R(GPR_RDX, 2) }, .skip = true,
	  .msr = { VEXIT_MSR_SCRATCH, 0x200000001 } },
	{ "RDMSR of an MSR in VEXIT_MSR_SCRATCH's slot: #GP", EXIT_REASON_RDMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IN_SCRATCH_SLOT) }, .prepare = plain_msr_values, .inject = INJECT(VECTOR_GP) },
	{ "WRMSR of an MSR in IA32_MCG_STATUS's slot: #GP", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IN_MCG_STATUS_SLOT), R(GPR_RAX, 1), R(GPR_RDX, 0) }, .prepare = plain_msr_values,
	  .inject = INJECT(VECTOR_GP), .msr = { MSR_IA32_MCG_STATUS, 5 } },
	{ "RDMSR of MSR 0 (plain slot 0's): #GP", EXIT_REASON_RDMSR, 0, 2, .in = { R(GPR_RCX, 0) },
	  .inject = INJECT(VECTOR_GP) },
	{ "WRMSR of MSR 0: #GP", EXIT_REASON_WRMSR, 0, 2, .in = { R(GPR_RCX, 0), R(GPR_RAX, 0), R(GPR_RDX, 0) },
	  .inject = INJECT(VECTOR_GP) },

	/* XSETBV */
	{ "XSETBV with CR4.OSXSAVE clear: #UD", EXIT_REASON_XSETBV, 0, 3,
	  .in = { R(GPR_RCX, 0), R(GPR_RAX, XCR0_X87 | XCR0_SSE), R(GPR_RDX, 0) }, .prepare = xsave_cpu,
	  .inject = INJECT(VECTOR_UD), .xcr0 = SOME(XCR0_X87) },
	{ "XSETBV of AVX without SSE: #GP", EXIT_REASON_XSETBV, 0, 3,
	  .in = { R(GPR_RCX, 0), R(GPR_RAX, XCR0_X87 | XCR0_AVX), R(GPR_RDX, 0) },
	  .fin = { F(VMCS_CR4_READ_SHADOW, CR4_PAE | CR4_OSXSAVE) }, .prepare = xsave_cpu, .inject = INJECT(VECTOR_GP),
	  .xcr0 = SOME(XCR0_X87) },
	{ "XSETBV of x87, SSE and AVX loads XCR0", EXIT_REASON_XSETBV, 0, 3,
	  .in = { R(GPR_RCX, 0), R(GPR_RAX, XCR0_X87 | XCR0_SSE | XCR0_AVX), R(GPR_RDX, 0) },
	  .fin = { F(VMCS_CR4_READ_SHADOW, CR4_PAE | CR4_OSXSAVE) }, .prepare = xsave_cpu, .skip = true,
	  .xcr0 = SOME(XCR0_X87 | XCR0_SSE | XCR0_AVX) },
	{ "XSETBV of PKRU, which CPUID hides: #GP", EXIT_REASON_XSETBV, 0, 3,
	  .in = { R(GPR_RCX, 0), R(GPR_RAX, XCR0_X87 | XCR0_SSE | XCR0_PKRU), R(GPR_RDX, 0) },
	  .fin = { F(VMCS_CR4_READ_SHADOW, CR4_PAE | CR4_OSXSAVE) }, .prepare = xsave_cpu, .inject = INJECT(VECTOR_GP),
	  .xcr0 = SOME(XCR0_X87) },
	{ "XSETBV of AMX, which the CPU has but guests are not offered: #GP", EXIT_REASON_XSETBV, 0, 3,
	  .in = { R(GPR_RCX, 0), R(GPR_RAX, XCR0_X87 | XCR0_SSE | XCR0_AVX | XCR0_AMX), R(GPR_RDX, 0) },
	  .fin = { F(VMCS_CR4_READ_SHADOW, CR4_PAE | CR4_OSXSAVE) }, .prepare = xsave_cpu, .inject = INJECT(VECTOR_GP),
	  .xcr0 = SOME(XCR0_X87) },
	{ "XSETBV to XCR1: #GP", EXIT_REASON_XSETBV, 0, 3,
	  .in = { R(GPR_RCX, 1), R(GPR_RAX, XCR0_X87), R(GPR_RDX, 0) },
	  .fin = { F(VMCS_CR4_READ_SHADOW, CR4_PAE | CR4_OSXSAVE) }, .prepare = xsave_cpu, .inject = INJECT(VECTOR_GP),
	  .xcr0 = SOME(XCR0_X87) },

	/* CPUID */
	/* EDX 0xbfebfbff loses APIC 9, MTRR 12, MCA 14, DS 21, ACPI 22, TM 29, PBE 31: 0x1f8ba9ff. */
	{ "CPUID 1: VMX, OSXSAVE, x2APIC and what vexit does not virtualize hidden, hypervisor bit set, upper halves cleared",
	  EXIT_REASON_CPUID, 0, 2,
	  .in = { R(GPR_RAX, 0xffffffff00000001), R(GPR_RCX, 0xffffffff00000000) }, .prepare = host_cpuid, .skip = true,
	  .out = { R(GPR_RAX, 0x50654), R(GPR_RBX, 0x00100800), R(GPR_RCX, (1u << 0) | (1u << 9) | (1u << 28) | (1u << 31)),
		   R(GPR_RDX, 0x1f8ba9ff) } },
	{ "CPUID 1 with the guest's CR4.OSXSAVE set shows OSXSAVE", EXIT_REASON_CPUID, 0, 2,
	  .in = { R(GPR_RAX, 1), R(GPR_RCX, 0) }, .fin = { F(VMCS_CR4_READ_SHADOW, CR4_PAE | CR4_OSXSAVE) },
	  .prepare = host_cpuid, .skip = true,
	  .out = { R(GPR_RAX, 0x50654), R(GPR_RBX, 0x00100800),
		   R(GPR_RCX, (1u << 0) | (1u << 9) | (1u << 28) | CPUID1_ECX_OSXSAVE | (1u << 31)), R(GPR_RDX, 0x1f8ba9ff) } },
	/* EBX 0xd19f4fbb loses INVPCID 10 and MPX 14 (SGX 2, RDT 12 and 15, PT 25 were clear). */
	{ "CPUID 7: INVPCID, MPX, PKU and LA57 hidden", EXIT_REASON_CPUID, 0, 2, .in = { R(GPR_RAX, 7), R(GPR_RCX, 0) },
	  .prepare = host_cpuid, .skip = true,
	  .out = { R(GPR_RAX, 0), R(GPR_RBX, 0xd19f0bbb), R(GPR_RCX, 1u << 1), R(GPR_RDX, 0) } },
	{ "CPUID 0x80000001: RDTSCP shown with \"enable RDTSCP\", NX kept", EXIT_REASON_CPUID, 0, 2,
	  .in = { R(GPR_RAX, 0x80000001u), R(GPR_RCX, 0) }, .prepare = host_ext_leaf, .skip = true,
	  .out = { R(GPR_RAX, 0), R(GPR_RBX, 0), R(GPR_RCX, 0x121),
		   R(GPR_RDX, CPUID80000001_EDX_RDTSCP | CPUID80000001_EDX_NX | (1u << 29)) } },
	{ "CPUID 7 with MISC_ENABLE's limit CPUID maxval: leaf 2's values", EXIT_REASON_CPUID, 0, 2,
	  .in = { R(GPR_RAX, 7), R(GPR_RCX, 0) }, .prepare = misc_enable_limit_cpuid, .skip = true,
	  .out = { R(GPR_RAX, 0x76036301), R(GPR_RBX, 0x00f0b5ff), R(GPR_RCX, 0), R(GPR_RDX, 0x00c30000) } },
	{ "CPUID 0xD: only the XCR0 components offered, and the area they need", EXIT_REASON_CPUID, 0, 2,
	  .in = { R(GPR_RAX, 0xd), R(GPR_RCX, 0) }, .prepare = xsave_cpu, .skip = true,
	  .out = { R(GPR_RAX, XCR0_X87 | XCR0_SSE | XCR0_AVX), R(GPR_RBX, 832), R(GPR_RCX, 832), R(GPR_RDX, 0) } },
	{ "CPUID 0x40000000: the vexit signature", EXIT_REASON_CPUID, 0, 2, .in = { R(GPR_RAX, 0x40000000), R(GPR_RCX, 0) },
	  .skip = true, /* "vexi" "t-vm" "m-v1", little endian */
	  .out = { R(GPR_RAX, 0x40000001), R(GPR_RBX, 0x69786576), R(GPR_RCX, 0x6d762d74), R(GPR_RDX, 0x31762d6d) } },
	/* The vCPU's CPUID table (vmx/cpuid_table.h): filled with the VM, emptied by a write to an MSR the policy
	 * reads, filled again by the next CPUID exit. "GenuineIntel" and 16H, the highest basic leaf, are
	 * test_vm.c's host's. */
	{ "CPUID 0 with the table emptied: fills it, answers the vendor", EXIT_REASON_CPUID, 0, 2,
	  .in = { R(GPR_RAX, 0), R(GPR_RCX, 0) }, .prepare = cpuid_table_empty, .skip = true,
	  .out = { R(GPR_RAX, 0x16), R(GPR_RBX, 0x756e6547), R(GPR_RCX, 0x6c65746e), R(GPR_RDX, 0x49656e69) },
	  .verify = cpuid_table_now_filled },
	{ "CPUID 0 from the filled table: no CPUID on the host, RAX's upper half ignored and cleared", EXIT_REASON_CPUID,
	  0, 2, .in = { R(GPR_RAX, 0xffffffff00000000), R(GPR_RCX, 0x5) }, .prepare = host_leaves, .skip = true,
	  .out = { R(GPR_RAX, 0x16), R(GPR_RBX, 0x756e6547), R(GPR_RCX, 0x6c65746e), R(GPR_RDX, 0x49656e69) },
	  .verify = no_host_cpuid },
	{ "CPUID 1 from the filled table, OSXSAVE from the guest's CR4", EXIT_REASON_CPUID, 0, 2,
	  .in = { R(GPR_RAX, 1), R(GPR_RCX, 0) }, .fin = { F(VMCS_CR4_READ_SHADOW, CR4_PAE | CR4_OSXSAVE) },
	  .prepare = host_leaves, .skip = true,
	  .out = { R(GPR_RAX, 0x50654), R(GPR_RBX, 0x00100800),
		   R(GPR_RCX, (1u << 0) | (1u << 9) | (1u << 28) | CPUID1_ECX_OSXSAVE | (1u << 31)), R(GPR_RDX, 0x1f8ba9ff) },
	  .verify = no_host_cpuid },
	{ "CPUID 1 from the filled table, CR4.OSXSAVE clear", EXIT_REASON_CPUID, 0, 2,
	  .in = { R(GPR_RAX, 1), R(GPR_RCX, 0) }, .fin = { F(VMCS_CR4_READ_SHADOW, CR4_PAE) },
	  .prepare = host_leaves, .skip = true,
	  .out = { R(GPR_RAX, 0x50654), R(GPR_RBX, 0x00100800), R(GPR_RCX, (1u << 0) | (1u << 9) | (1u << 28) | (1u << 31)),
		   R(GPR_RDX, 0x1f8ba9ff) },
	  .verify = no_host_cpuid },
	{ "CPUID 0x80000001 from the filled table", EXIT_REASON_CPUID, 0, 2, .in = { R(GPR_RAX, 0x80000001u), R(GPR_RCX, 0) },
	  .prepare = host_leaves, .skip = true,
	  .out = { R(GPR_RAX, 0), R(GPR_RBX, 0), R(GPR_RCX, 0x121),
		   R(GPR_RDX, CPUID80000001_EDX_RDTSCP | CPUID80000001_EDX_NX | (1u << 29)) },
	  .verify = no_host_cpuid },
	{ "CPUID 0x1F, above the highest basic leaf, from the table: leaf 16H's values", EXIT_REASON_CPUID, 0, 2,
	  .in = { R(GPR_RAX, 0x1f), R(GPR_RCX, 0) }, .prepare = host_leaves, .skip = true,
	  .out = { R(GPR_RAX, 3500), R(GPR_RBX, 4000), R(GPR_RCX, 100), R(GPR_RDX, 0) }, .verify = no_host_cpuid },
	{ "CPUID 7 with the table filled: subleaves, so the policy asks the host", EXIT_REASON_CPUID, 0, 2,
	  .in = { R(GPR_RAX, 7), R(GPR_RCX, 0) }, .prepare = host_leaves, .skip = true,
	  .out = { R(GPR_RAX, 0), R(GPR_RBX, 0xd19f0bbb), R(GPR_RCX, 1u << 1), R(GPR_RDX, 0) }, .verify = one_host_cpuid },
	{ "CPUID 0x80000010, above the highest extended leaf, from the table: leaf 16H's values", EXIT_REASON_CPUID, 0, 2,
	  .in = { R(GPR_RAX, 0x80000010u), R(GPR_RCX, 0) }, .prepare = host_leaves, .skip = true,
	  .out = { R(GPR_RAX, 3500), R(GPR_RBX, 4000), R(GPR_RCX, 100), R(GPR_RDX, 0) }, .verify = no_host_cpuid },
	{ "CPUID 0xDAC (kvm-unit-tests' vmexit asks it), above the highest basic leaf, from the table: leaf 16H's",
	  EXIT_REASON_CPUID, 0, 2, .in = { R(GPR_RAX, 0xdac), R(GPR_RCX, 0) }, .prepare = host_leaves, .skip = true,
	  .out = { R(GPR_RAX, 3500), R(GPR_RBX, 4000), R(GPR_RCX, 100), R(GPR_RDX, 0) }, .verify = no_host_cpuid },
	{ "CPUID 0x20 with MISC_ENABLE's limit CPUID maxval: leaf 2's, from the table", EXIT_REASON_CPUID, 0, 2,
	  .in = { R(GPR_RAX, 0x20), R(GPR_RCX, 0) }, .prepare = misc_enable_limit_cpuid, .skip = true,
	  .out = { R(GPR_RAX, 0x76036301), R(GPR_RBX, 0x00f0b5ff), R(GPR_RCX, 0), R(GPR_RDX, 0x00c30000) },
	  .verify = no_host_cpuid },
	{ "CPUID 0x40000001 with the table filled: vexit's features", EXIT_REASON_CPUID, 0, 2,
	  .in = { R(GPR_RAX, 0x40000001u), R(GPR_RCX, 0) }, .prepare = host_leaves, .skip = true,
	  .out = { R(GPR_RAX, VEXIT_CPUID_FEATURES), R(GPR_RBX, VEXIT_ABI_VERSION), R(GPR_RCX, 0), R(GPR_RDX, 0) } },
	{ "WRMSR IA32_MISC_ENABLE empties the CPUID table", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IA32_MISC_ENABLE), R(GPR_RAX, 0x401801), R(GPR_RDX, 0) }, .prepare = host_leaves,
	  .skip = true, .msr = { MSR_IA32_MISC_ENABLE, 0x401801 }, .verify = cpuid_table_emptied },
	{ "WRMSR IA32_APIC_BASE empties the CPUID table", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IA32_APIC_BASE), R(GPR_RAX, 0xfee00100), R(GPR_RDX, 0) }, .prepare = host_leaves,
	  .skip = true, .msr = { MSR_IA32_APIC_BASE, 0xfee00100 }, .verify = cpuid_table_emptied },
	{ "WRMSR SYSENTER_CS keeps the CPUID table", EXIT_REASON_WRMSR, 0, 2,
	  .in = { R(GPR_RCX, MSR_IA32_SYSENTER_CS), R(GPR_RAX, 0x10), R(GPR_RDX, 0) }, .prepare = host_leaves,
	  .skip = true, .fout = { F(VMCS_GUEST_IA32_SYSENTER_CS, 0x10) }, .verify = cpuid_table_kept },

	/* VMCALL: every hypercall, arguments in RBX, RCX, RDX, RSI, the result in RAX */
	{ "VMCALL VERSION", EXIT_REASON_VMCALL, 0, 3, .in = { R(GPR_RAX, VEXIT_HC_VERSION) }, .skip = true,
	  .out = { R(GPR_RAX, VEXIT_ABI_VERSION) } },
	{ "VMCALL DEMAND_PAGE: the page above guest memory waits for its first access", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_DEMAND_PAGE), R(GPR_RBX, DEMAND_GPA) }, .skip = true, .out = { R(GPR_RAX, 0) },
	  .verify = demand_now_armed },
	{ "VMCALL DEMAND_PAGE inside guest memory: EINVAL", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_DEMAND_PAGE), R(GPR_RBX, 0x1000) }, .skip = true,
	  .out = { R(GPR_RAX, VEXIT_HC_EINVAL) }, .verify = demand_untouched },
	{ "VMCALL DEMAND_PAGE not page-aligned: EINVAL", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_DEMAND_PAGE), R(GPR_RBX, DEMAND_GPA + 8) }, .skip = true,
	  .out = { R(GPR_RAX, VEXIT_HC_EINVAL) }, .verify = demand_untouched },
	{ "VMCALL DEMAND_PAGE past the 2 MiB window above memory: EINVAL", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_DEMAND_PAGE), R(GPR_RBX, GUEST_MEM_SIZE + DEMAND_PAGE_WINDOW) }, .skip = true,
	  .out = { R(GPR_RAX, VEXIT_HC_EINVAL) }, .verify = demand_untouched },
	{ "VMCALL EXIT_COUNT of VMCALL counts this one", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_EXIT_COUNT), R(GPR_RBX, EXIT_REASON_VMCALL) }, .skip = true, .out = { R(GPR_RAX, 1) } },
	{ "VMCALL CHECKSUM: the argument registers in order", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_CHECKSUM), R(GPR_RBX, 1), R(GPR_RCX, 2), R(GPR_RDX, 3), R(GPR_RSI, 4) },
	  .skip = true, .out = { R(GPR_RAX, 1 + 2 * 2 + 3 * 3 + 4 * 4) } },
	{ "VMCALL EXIT: the VM is done, past the VMCALL", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_EXIT), R(GPR_RBX, 9) }, .action = EXIT_STOP, .skip = true, .out = { R(GPR_RAX, 0) },
	  .stop = VM_STOP_DONE, .stop_fields = "status=9" },
	{ "VMCALL REPORT: one guest line", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_REPORT), R(GPR_RBX, 0x20000), R(GPR_RCX, 5) }, .mem_in = { MEM(0x20000, "hello") },
	  .skip = true, .out = { R(GPR_RAX, 0) }, .output = "VEXIT guest exits hello\n" },
	{ "VMCALL IO_BITMAP passes port 0xED", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_IO_BITMAP), R(GPR_RBX, 0xed), R(GPR_RCX, 1), R(GPR_RDX, 0) }, .skip = true,
	  .out = { R(GPR_RAX, 0) }, .verify = port_ed_passes },
	{ "VMCALL MSR_BITMAP passes reads of FS_BASE", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_MSR_BITMAP), R(GPR_RBX, MSR_IA32_FS_BASE), R(GPR_RCX, VEXIT_MSR_READ), R(GPR_RDX, 0) },
	  .skip = true, .out = { R(GPR_RAX, 0) }, .verify = fs_base_read_passes },
	{ "VMCALL CR3_EXITING on rewrites the processor-based controls", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_CR3_EXITING), R(GPR_RBX, 1) }, .prepare = cr3_exiting_free, .skip = true,
	  .out = { R(GPR_RAX, 0) }, .fout = { FSET(VMCS_PROC_BASED_CONTROLS, PROC_CR3_LOAD_EXITING | PROC_CR3_STORE_EXITING) } },
	{ "VMCALL CR3_EXITING off where the CPU forces it: EPERM", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_CR3_EXITING), R(GPR_RBX, 0) }, .skip = true, .out = { R(GPR_RAX, VEXIT_HC_EPERM) } },
	{ "VMCALL TRACE on", EXIT_REASON_VMCALL, 0, 3, .in = { R(GPR_RAX, VEXIT_HC_TRACE), R(GPR_RBX, 1) }, .skip = true,
	  .out = { R(GPR_RAX, 0) }, .verify = trace_on },
	{ "VMCALL IO_UNCLAIMED", EXIT_REASON_VMCALL, 0, 3, .in = { R(GPR_RAX, VEXIT_HC_IO_UNCLAIMED) },
	  .prepare = unclaimed_read, .skip = true, .out = { R(GPR_RAX, 1) } },
	{ "VMCALL BREAK_STATE: the breakage is applied before the next entry", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_BREAK_STATE), R(GPR_RBX, 0x20000) }, .mem_in = { MEM(0x20000, "rflags-bit1-clear\0") },
	  .skip = true, .out = { R(GPR_RAX, 0) }, .fout = { FCLR(VMCS_GUEST_RFLAGS, RFLAGS_FIXED1) },
	  .output = "VEXIT entry-break exits rflags-bit1-clear GUEST_RFLAGS=0x0\n" },
	{ "precheck=: a handler left the VMCS broken; the check before VMRESUME names the exit and the rule",
	  EXIT_REASON_VMCALL, 0, 3, .in = { R(GPR_RAX, VEXIT_HC_BREAK_STATE), R(GPR_RBX, 0x20000) },
	  .mem_in = { MEM(0x20000, "rflags-bit1-clear\0") }, .prepare = precheck_on, .skip = true, .out = { R(GPR_RAX, 0) },
	  .fout = { FCLR(VMCS_GUEST_RFLAGS, RFLAGS_FIXED1) },
	  .output = "VEXIT entry-check exits before-resume exit=0 reason=VMCALL violations=1\n"
		    "VEXIT entry-violation exits guest_rflags_reserved family=guest-rip" },
	{ "precheck=: a VMRESUME into a good VMCS prints nothing", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_VERSION) }, .prepare = precheck_on, .skip = true,
	  .out = { R(GPR_RAX, VEXIT_ABI_VERSION) } },
	{ "VMCALL BREAK_STATE of an unknown breakage: EINVAL", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_BREAK_STATE), R(GPR_RBX, 0x20000) }, .mem_in = { MEM(0x20000, "no-such-break\0") },
	  .skip = true, .out = { R(GPR_RAX, VEXIT_HC_EINVAL) } },
	{ "VMCALL VMCS_DUMP: the dump comes before the next entry", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_VMCS_DUMP) }, .skip = true, .out = { R(GPR_RAX, 0) },
	  .output = "VEXIT vmcs exits GUEST_RIP 0x10003\n" },
	{ "VMCALL of an unknown hypercall: ENOSYS", EXIT_REASON_VMCALL, 0, 3, .in = { R(GPR_RAX, 0x99) }, .skip = true,
	  .out = { R(GPR_RAX, VEXIT_HC_ENOSYS) } },

	/* VMCALL from user mode: every hypercall, with arguments that would succeed at CPL 0, is refused */
	{ "VMCALL VERSION from CPL 3: EPERM", EXIT_REASON_VMCALL, 0, 3, .in = { R(GPR_RAX, VEXIT_HC_VERSION) },
	  .fin = { AT_CPL(3) }, REFUSED, .verify = nothing_changed },
	{ "VMCALL EXIT_COUNT from CPL 3: EPERM, not the count", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_EXIT_COUNT), R(GPR_RBX, EXIT_REASON_VMCALL) }, .fin = { AT_CPL(3) }, REFUSED,
	  .verify = nothing_changed },
	{ "VMCALL CHECKSUM from CPL 3: EPERM", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_CHECKSUM), R(GPR_RBX, 1), R(GPR_RCX, 2), R(GPR_RDX, 3), R(GPR_RSI, 4) },
	  .fin = { AT_CPL(3) }, REFUSED, .verify = nothing_changed },
	{ "VMCALL EXIT from CPL 3: EPERM, the VM runs on", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_EXIT), R(GPR_RBX, 0) }, .fin = { AT_CPL(3) }, REFUSED, .verify = nothing_changed },
	{ "VMCALL EXIT from CPL 1: EPERM, the VM runs on", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_EXIT), R(GPR_RBX, 9) }, .fin = { AT_CPL(1) }, REFUSED, .verify = nothing_changed },
	{ "VMCALL REPORT from CPL 3: EPERM, nothing printed", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_REPORT), R(GPR_RBX, 0x20000), R(GPR_RCX, 5) }, .fin = { AT_CPL(3) },
	  .mem_in = { MEM(0x20000, "hello") }, REFUSED, .verify = nothing_changed },
	{ "VMCALL IO_BITMAP passing port 0xED from CPL 3: EPERM, still intercepted", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_IO_BITMAP), R(GPR_RBX, 0xed), R(GPR_RCX, 1), R(GPR_RDX, 0) }, .fin = { AT_CPL(3) },
	  REFUSED, .verify = nothing_changed },
	{ "VMCALL MSR_BITMAP passing FS_BASE from CPL 3: EPERM, still intercepted", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_MSR_BITMAP), R(GPR_RBX, MSR_IA32_FS_BASE), R(GPR_RCX, VEXIT_MSR_READ | VEXIT_MSR_WRITE),
		  R(GPR_RDX, 0) },
	  .fin = { AT_CPL(3) }, REFUSED, .verify = nothing_changed },
	{ "VMCALL CR3_EXITING on from CPL 3: EPERM, the controls untouched", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_CR3_EXITING), R(GPR_RBX, 1) }, .fin = { AT_CPL(3) }, .prepare = cr3_exiting_free,
	  REFUSED, .verify = nothing_changed },
	{ "VMCALL TRACE on from CPL 3: EPERM, no trace", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_TRACE), R(GPR_RBX, 1) }, .fin = { AT_CPL(3) }, REFUSED, .verify = nothing_changed },
	{ "VMCALL TRACE off from CPL 3: EPERM, the trace stays on", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_TRACE), R(GPR_RBX, 0) }, .fin = { AT_CPL(3) }, .prepare = trace_already_on, REFUSED,
	  .verify = trace_still_on },
	{ "VMCALL IO_UNCLAIMED from CPL 3: EPERM", EXIT_REASON_VMCALL, 0, 3, .in = { R(GPR_RAX, VEXIT_HC_IO_UNCLAIMED) },
	  .fin = { AT_CPL(3) }, .prepare = unclaimed_read, REFUSED, .verify = nothing_changed },
	{ "VMCALL BREAK_STATE from CPL 3: EPERM, nothing broken", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_BREAK_STATE), R(GPR_RBX, 0x20000) }, .fin = { AT_CPL(3) },
	  .mem_in = { MEM(0x20000, "rflags-bit1-clear\0") }, REFUSED, .verify = nothing_changed },
	{ "VMCALL VMCS_DUMP from CPL 3: EPERM, no dump", EXIT_REASON_VMCALL, 0, 3, .in = { R(GPR_RAX, VEXIT_HC_VMCS_DUMP) },
	  .fin = { AT_CPL(3) }, REFUSED, .verify = nothing_changed },
	{ "VMCALL DEMAND_PAGE from CPL 3: EPERM, the page stays mapped as it was", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_DEMAND_PAGE), R(GPR_RBX, DEMAND_GPA) }, .fin = { AT_CPL(3) }, REFUSED,
	  .verify = nothing_changed },
	{ "VMCALL of an unknown hypercall from CPL 3: EPERM, not ENOSYS", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, 0x99) }, .fin = { AT_CPL(3) }, REFUSED, .verify = nothing_changed },
	{ "VMCALL at CPL 0 with SS unusable (after an interrupt from user mode): served", EXIT_REASON_VMCALL, 0, 3,
	  .in = { R(GPR_RAX, VEXIT_HC_VERSION) }, .fin = { F(VMCS_GUEST_SS_ACCESS_RIGHTS, AR_UNUSABLE) }, .skip = true,
	  .out = { R(GPR_RAX, VEXIT_ABI_VERSION) } },

	/* Exits that end the VM, or are simple */
	{ "HLT ends the VM", EXIT_REASON_HLT, 0, 1, .action = EXIT_STOP, .stop = VM_STOP_HALTED, .stop_fields = "rip=0x10000" },
	{ "Triple fault ends the VM", EXIT_REASON_TRIPLE_FAULT, 0, 0, .action = EXIT_STOP, .stop = VM_STOP_TRIPLE_FAULT,
	  .stop_fields = "rip=0x10000" },
	/* NMIs and machine checks (the policy: docs/hardware.md); a #MC ends the run: test_machine_check_in_guest. */
	{ "NMI while the guest ran: the VM stops as nmi", EXIT_REASON_EXCEPTION_NMI, 0, 0,
	  .fin = { F(VMCS_EXIT_INTR_INFO, INTR_INFO_VALID | EXIT_INTR_TYPE_NMI | VECTOR_NMI) }, .action = EXIT_STOP,
	  .stop = VM_STOP_NMI, .stop_fields = "rip=0x10000" },
	{ "An exception the bitmap did not ask for goes to the caller", EXIT_REASON_EXCEPTION_NMI, 0, 0,
	  .fin = { F(VMCS_EXIT_INTR_INFO, INTR_INFO_VALID | INTR_TYPE_HARDWARE_EXCEPTION | VECTOR_GP) },
	  .action = EXIT_TO_CALLER },
	{ "Exception-or-NMI exit without valid information goes to the caller", EXIT_REASON_EXCEPTION_NMI, 0, 0,
	  .fin = { F(VMCS_EXIT_INTR_INFO, NMI_INFO_NOT_VALID) }, .action = EXIT_TO_CALLER },
	{ "EPT violation on a write: gpa and access in the stop", EXIT_REASON_EPT_VIOLATION, 0x182, 0,
	  .fin = { F(VMCS_GUEST_PHYSICAL_ADDRESS, 0x300008) }, .action = EXIT_STOP, .stop = VM_STOP_EPT_VIOLATION,
	  .stop_fields = "gpa=0x300008 access=w rip=0x10000" },
	{ "EPT violation on a fetch", EXIT_REASON_EPT_VIOLATION, 0x5, 0, .fin = { F(VMCS_GUEST_PHYSICAL_ADDRESS, 0x400000) },
	  .action = EXIT_STOP, .stop = VM_STOP_EPT_VIOLATION, .stop_fields = "gpa=0x400000 access=rx rip=0x10000" },
	/*
	 * Event re-injection (SDM 28.2.4): an EPT violation on the demand page during event delivery. The
	 * page is mapped and the event whose delivery the exit cut goes in again at the next entry, with
	 * its error code and, for INT n and INT3, the instruction length; RIP stays where it was.
	 */
	{ "Re-injection: a #GP with its error code, cut while pushing its frame", EXIT_REASON_EPT_VIOLATION, EPT_WRITE, 0,
	  .fin = { F(VMCS_GUEST_PHYSICAL_ADDRESS, DEMAND_GPA + 0xff8),
		   F(VMCS_IDT_VECTORING_INFO, VECTORING_EC(INTR_TYPE_HARDWARE_EXCEPTION, VECTOR_GP)),
		   F(VMCS_IDT_VECTORING_ERROR_CODE, 0x18) },
	  .prepare = demand_armed,
	  .fout = { F(VMCS_ENTRY_INTR_INFO, VECTORING_EC(INTR_TYPE_HARDWARE_EXCEPTION, VECTOR_GP)),
		    F(VMCS_ENTRY_EXCEPTION_ERROR_CODE, 0x18) },
	  .verify = demand_mapped_nothing_pending },
	{ "Re-injection: a #PF keeps its own error code (the exit's CR2 is the guest's already)", EXIT_REASON_EPT_VIOLATION,
	  EPT_WRITE, 0,
	  .fin = { F(VMCS_GUEST_PHYSICAL_ADDRESS, DEMAND_GPA + 0xfe0),
		   F(VMCS_IDT_VECTORING_INFO, VECTORING_EC(INTR_TYPE_HARDWARE_EXCEPTION, VECTOR_PF) | 1u << 12),
		   F(VMCS_IDT_VECTORING_ERROR_CODE, 0x7) },
	  .prepare = demand_armed,
	  .fout = { F(VMCS_ENTRY_INTR_INFO, VECTORING_EC(INTR_TYPE_HARDWARE_EXCEPTION, VECTOR_PF)),
		    F(VMCS_ENTRY_EXCEPTION_ERROR_CODE, 0x7) },
	  .verify = demand_mapped_nothing_pending },
	{ "Re-injection: a #UD (no error code): the error-code field is not written", EXIT_REASON_EPT_VIOLATION, EPT_WRITE, 0,
	  .fin = { F(VMCS_GUEST_PHYSICAL_ADDRESS, DEMAND_GPA + 0xfe8),
		   F(VMCS_IDT_VECTORING_INFO, VECTORING(INTR_TYPE_HARDWARE_EXCEPTION, VECTOR_UD)),
		   F(VMCS_IDT_VECTORING_ERROR_CODE, 0x1234) },
	  .prepare = demand_armed,
	  .fout = { F(VMCS_ENTRY_INTR_INFO, VECTORING(INTR_TYPE_HARDWARE_EXCEPTION, VECTOR_UD)),
		    F(VMCS_ENTRY_EXCEPTION_ERROR_CODE, 0xe5e5) },
	  .verify = demand_mapped_nothing_pending },
	{ "Re-injection: an external interrupt (the APIC's vector 0x31), already acknowledged", EXIT_REASON_EPT_VIOLATION,
	  EPT_WRITE, 0,
	  .fin = { F(VMCS_GUEST_PHYSICAL_ADDRESS, DEMAND_GPA + 0xff0), F(VMCS_IDT_VECTORING_INFO, VECTORING(0, 0x31)) },
	  .prepare = demand_armed, .fout = { F(VMCS_ENTRY_INTR_INFO, VECTORING(0, 0x31)) },
	  .verify = demand_mapped_nothing_pending },
	{ "Re-injection: an NMI, NMI blocking cleared for its entry (SDM 27.3.1.5)", EXIT_REASON_EPT_VIOLATION, EPT_WRITE, 0,
	  .fin = { F(VMCS_GUEST_PHYSICAL_ADDRESS, DEMAND_GPA + 0xff0), F(VMCS_IDT_VECTORING_INFO, VECTORING(INTR_INFO_TYPE_NMI, 2)),
		   F(VMCS_GUEST_INTERRUPTIBILITY, INTERRUPTIBILITY_NMI) },
	  .prepare = demand_armed_vnmi,
	  .fout = { F(VMCS_ENTRY_INTR_INFO, VECTORING(INTR_INFO_TYPE_NMI, 2)), F(VMCS_GUEST_INTERRUPTIBILITY, 0) },
	  .verify = demand_mapped_nothing_pending },
	{ "Re-injection: INT 0x80 with the INT's length, so the frame returns past it", EXIT_REASON_EPT_VIOLATION, EPT_WRITE, 2,
	  .fin = { F(VMCS_GUEST_PHYSICAL_ADDRESS, DEMAND_GPA + 0xff0),
		   F(VMCS_IDT_VECTORING_INFO, VECTORING(INTR_TYPE_SOFTWARE_INTERRUPT, 0x80)) },
	  .prepare = demand_armed,
	  .fout = { F(VMCS_ENTRY_INTR_INFO, VECTORING(INTR_TYPE_SOFTWARE_INTERRUPT, 0x80)),
		    F(VMCS_ENTRY_INSTRUCTION_LENGTH, 2) },
	  .verify = demand_mapped_nothing_pending },
	{ "Re-injection: INT3 (a software exception) with its length 1", EXIT_REASON_EPT_VIOLATION, EPT_WRITE, 1,
	  .fin = { F(VMCS_GUEST_PHYSICAL_ADDRESS, DEMAND_GPA + 0xff0),
		   F(VMCS_IDT_VECTORING_INFO, VECTORING(INTR_TYPE_SOFTWARE_EXCEPTION, 3)) },
	  .prepare = demand_armed,
	  .fout = { F(VMCS_ENTRY_INTR_INFO, VECTORING(INTR_TYPE_SOFTWARE_EXCEPTION, 3)), F(VMCS_ENTRY_INSTRUCTION_LENGTH, 1) },
	  .verify = demand_mapped_nothing_pending },
	{ "Re-injection: a #DF, cut in its own delivery, goes in again as #DF with error code 0", EXIT_REASON_EPT_VIOLATION,
	  EPT_WRITE, 0,
	  .fin = { F(VMCS_GUEST_PHYSICAL_ADDRESS, DEMAND_GPA + 0xff0),
		   F(VMCS_IDT_VECTORING_INFO, VECTORING_EC(INTR_TYPE_HARDWARE_EXCEPTION, VECTOR_DF)),
		   F(VMCS_IDT_VECTORING_ERROR_CODE, 0) },
	  .prepare = demand_armed,
	  .fout = { F(VMCS_ENTRY_INTR_INFO, VECTORING_EC(INTR_TYPE_HARDWARE_EXCEPTION, VECTOR_DF)),
		    F(VMCS_ENTRY_EXCEPTION_ERROR_CODE, 0) },
	  .verify = demand_mapped_nothing_pending },
	{ "No vectoring information: the instruction's own access; mapped, nothing injected", EXIT_REASON_EPT_VIOLATION,
	  EPT_READ, 0, .fin = { F(VMCS_GUEST_PHYSICAL_ADDRESS, DEMAND_GPA + 0x10) }, .prepare = demand_armed,
	  .verify = demand_mapped_nothing_pending },
	{ "No vectoring information, an IRET had lifted NMI blocking (bit 12): blocked again (SDM 28.2.3)",
	  EXIT_REASON_EPT_VIOLATION, EPT_READ | NMI_UNBLOCKED_BY_IRET, 0,
	  .fin = { F(VMCS_GUEST_PHYSICAL_ADDRESS, DEMAND_GPA + 0xfe0) }, .prepare = demand_armed_vnmi,
	  .fout = { F(VMCS_GUEST_INTERRUPTIBILITY, INTERRUPTIBILITY_NMI) }, .verify = demand_mapped_nothing_pending },
	{ "Bit 12 without virtual NMIs is undefined: NMI blocking untouched", EXIT_REASON_EPT_VIOLATION,
	  EPT_READ | NMI_UNBLOCKED_BY_IRET, 0, .fin = { F(VMCS_GUEST_PHYSICAL_ADDRESS, DEMAND_GPA + 0xfe0) },
	  .prepare = demand_armed, .verify = demand_mapped_nothing_pending },
	{ "Bit 12 beside valid vectoring information is undefined: only the event goes in", EXIT_REASON_EPT_VIOLATION,
	  EPT_WRITE | NMI_UNBLOCKED_BY_IRET, 0,
	  .fin = { F(VMCS_GUEST_PHYSICAL_ADDRESS, DEMAND_GPA + 0xff0), F(VMCS_IDT_VECTORING_INFO, VECTORING(0, 0x40)) },
	  .prepare = demand_armed_vnmi, .fout = { F(VMCS_ENTRY_INTR_INFO, VECTORING(0, 0x40)) },
	  .verify = demand_mapped_nothing_pending },
	{ "The demand page's next page is not it: the VM stops, naming the cut delivery", EXIT_REASON_EPT_VIOLATION, EPT_WRITE, 0,
	  .fin = { F(VMCS_GUEST_PHYSICAL_ADDRESS, DEMAND_GPA + 0x1000),
		   F(VMCS_IDT_VECTORING_INFO, VECTORING_EC(INTR_TYPE_HARDWARE_EXCEPTION, VECTOR_PF)) },
	  .prepare = demand_armed, .action = EXIT_STOP, .stop = VM_STOP_EPT_VIOLATION,
	  .stop_fields = "gpa=0x203000 access=w rip=0x10000 during=exception-14", .verify = demand_not_mapped },
	{ "EPT violation during delivery of INT 0x21: the stop names it", EXIT_REASON_EPT_VIOLATION, EPT_READ, 2,
	  .fin = { F(VMCS_GUEST_PHYSICAL_ADDRESS, 0x40000210), F(VMCS_IDT_VECTORING_INFO, VECTORING(INTR_TYPE_SOFTWARE_INTERRUPT, 0x21)) },
	  .action = EXIT_STOP, .stop = VM_STOP_EPT_VIOLATION, .stop_fields = "gpa=0x40000210 access=r rip=0x10000 during=int-33" },
	{ "APIC access by event delivery (type 3): not emulated, the stop names the event", EXIT_REASON_APIC_ACCESS, 0x3080, 0,
	  .fin = { F(VMCS_IDT_VECTORING_INFO, VECTORING(INTR_INFO_TYPE_NMI, 2)) }, .action = EXIT_STOP,
	  .stop = VM_STOP_UNHANDLED_EXIT,
	  .stop_fields = "reason=APIC_ACCESS offset=0x80 access=other rip=0x10000 why=not-emulated during=nmi-2" },
	/* The local APIC's exits (exits/exit_apic.c): an access the CPU does not virtualize is not emulated yet. */
	{ "APIC access, a read of the timer's current count: the VM stops naming it", EXIT_REASON_APIC_ACCESS, 0x390, 0,
	  .action = EXIT_STOP, .stop = VM_STOP_UNHANDLED_EXIT,
	  .stop_fields = "reason=APIC_ACCESS offset=0x390 access=read rip=0x10000 why=not-emulated" },
	{ "APIC access, a write to the version register", EXIT_REASON_APIC_ACCESS, 0x1030, 0, .action = EXIT_STOP,
	  .stop = VM_STOP_UNHANDLED_EXIT, .stop_fields = "reason=APIC_ACCESS offset=0x30 access=write" },
	{ "Interrupt window: the guest goes on where it is; nothing pending, nothing injected", EXIT_REASON_INTERRUPT_WINDOW,
	  0, 0, .action = EXIT_RESUME },
	{ "NMI window: the same", EXIT_REASON_NMI_WINDOW, 0, 0, .action = EXIT_RESUME },
	{ "TPR below threshold: the same", EXIT_REASON_TPR_BELOW_THRESHOLD, 0, 0, .action = EXIT_RESUME },
	{ "APIC write in a VM without an APIC: the VM stops", EXIT_REASON_APIC_WRITE, 0xf0, 0, .action = EXIT_STOP,
	  .stop = VM_STOP_UNHANDLED_EXIT, .stop_fields = "reason=APIC_WRITE offset=0xf0 rip=0x10000 why=no-apic" },
	{ "Preemption timer, budget left (RDTSC): the timer is armed with the rest", EXIT_REASON_PREEMPTION_TIMER, 0, 0,
	  .prepare = budget_1000_used_300, .fout = { F(VMCS_PREEMPTION_TIMER_VALUE, 700) } },
	{ "Preemption timer, budget used up (RDTSC): stop", EXIT_REASON_PREEMPTION_TIMER, 0, 0,
	  .prepare = budget_1000_used_1000, .action = EXIT_STOP, .stop = VM_STOP_BUDGET, .stop_fields = "budget=1000" },
	{ "Preemption timer, saved value, budget past 32 bits: re-armed", EXIT_REASON_PREEMPTION_TIMER, 0, 0,
	  .prepare = budget_saved_timer_left, .fout = { F(VMCS_PREEMPTION_TIMER_VALUE, 0xffffffff) } },
	{ "Preemption timer, saved value, budget used up: stop", EXIT_REASON_PREEMPTION_TIMER, 0, 0,
	  .prepare = budget_saved_timer_used, .action = EXIT_STOP, .stop = VM_STOP_BUDGET,
	  .stop_fields = "budget=4294967296" },
	{ "External interrupt (APIC watchdog), budget left: EOI, re-armed with the rest", EXIT_REASON_EXTERNAL_INTERRUPT,
	  0, 0, .prepare = apic_budget_1000_used_300, .verify = apic_eoi_and_rearmed_with_the_rest },
	{ "External interrupt (APIC watchdog), budget used up: EOI, stop", EXIT_REASON_EXTERNAL_INTERRUPT, 0, 0,
	  .prepare = apic_budget_1000_used_1000, .action = EXIT_STOP, .stop = VM_STOP_BUDGET, .stop_fields = "budget=1000",
	  .verify = apic_eoi_not_rearmed },
	{ "VMCLEAR: #UD (no nested VMX)", EXIT_REASON_VMCLEAR, 0, 5, .inject = INJECT(VECTOR_UD) },
	{ "VMXON: #UD", EXIT_REASON_VMXON, 0, 5, .inject = INJECT(VECTOR_UD) },
	{ "VMLAUNCH: #UD", EXIT_REASON_VMLAUNCH, 0, 3, .inject = INJECT(VECTOR_UD) },
	{ "VMPTRLD: #UD", EXIT_REASON_VMPTRLD, 0, 5, .inject = INJECT(VECTOR_UD) },
	{ "VMPTRST: #UD", EXIT_REASON_VMPTRST, 0, 5, .inject = INJECT(VECTOR_UD) },
	{ "VMREAD: #UD", EXIT_REASON_VMREAD, 0, 4, .inject = INJECT(VECTOR_UD) },
	{ "VMWRITE: #UD", EXIT_REASON_VMWRITE, 0, 4, .inject = INJECT(VECTOR_UD) },
	{ "VMRESUME: #UD", EXIT_REASON_VMRESUME, 0, 3, .inject = INJECT(VECTOR_UD) },
	{ "MONITOR: #UD (CPUID hides it)", EXIT_REASON_MONITOR, 0, 3, .inject = INJECT(VECTOR_UD) },
	{ "MWAIT: #UD (CPUID hides it)", EXIT_REASON_MWAIT, 0, 3, .inject = INJECT(VECTOR_UD) },
	{ "MONITOR with MISC_ENABLE.MONITOR: arms nothing, skipped", EXIT_REASON_MONITOR, 0, 3,
	  .in = { R(GPR_RAX, 0x1000), R(GPR_RCX, 0), R(GPR_RDX, 0) }, .prepare = monitor_enabled, .skip = true },
	{ "MONITOR with an extension in ECX: #GP", EXIT_REASON_MONITOR, 0, 3, .in = { R(GPR_RCX, 1) },
	  .prepare = monitor_enabled, .inject = INJECT(VECTOR_GP) },
	{ "MWAIT with MISC_ENABLE.MONITOR: returns at once", EXIT_REASON_MWAIT, 0, 3,
	  .in = { R(GPR_RAX, 0), R(GPR_RCX, 1) }, .prepare = monitor_enabled, .skip = true },
	{ "MWAIT with ECX bit 1 (reserved): #GP", EXIT_REASON_MWAIT, 0, 3, .in = { R(GPR_RAX, 0), R(GPR_RCX, 2) },
	  .prepare = monitor_enabled, .inject = INJECT(VECTOR_GP) },
	{ "VMXOFF: #UD", EXIT_REASON_VMXOFF, 0, 3, .inject = INJECT(VECTOR_UD) },
	{ "INVEPT: #UD", EXIT_REASON_INVEPT, 0, 5, .inject = INJECT(VECTOR_UD) },
	{ "INVVPID: #UD", EXIT_REASON_INVVPID, 0, 5, .inject = INJECT(VECTOR_UD) },
	{ "INVD: nothing to do, skipped", EXIT_REASON_INVD, 0, 2, .skip = true },
	{ "WBINVD: nothing to do, skipped", EXIT_REASON_WBINVD, 0, 2, .skip = true },
	{ "A skip ends blocking by STI", EXIT_REASON_INVD, 0, 2,
	  .fin = { F(VMCS_GUEST_INTERRUPTIBILITY, INTERRUPTIBILITY_STI) }, .skip = true,
	  .fout = { F(VMCS_GUEST_INTERRUPTIBILITY, 0) } },
	{ "A skip ends blocking by MOV SS", EXIT_REASON_CPUID, 0, 2, .in = { R(GPR_RAX, 0x40000001), R(GPR_RCX, 0) },
	  .fin = { F(VMCS_GUEST_INTERRUPTIBILITY, INTERRUPTIBILITY_MOV_SS | 1u << 3) }, .skip = true,
	  .out = { R(GPR_RAX, VEXIT_CPUID_FEATURES), R(GPR_RBX, VEXIT_ABI_VERSION), R(GPR_RCX, 0), R(GPR_RDX, 0) },
	  .fout = { F(VMCS_GUEST_INTERRUPTIBILITY, 1u << 3) } },
	{ "An exit with no handler goes back to the caller (RDPMC)", EXIT_REASON_RDPMC, 0, 2, .action = EXIT_TO_CALLER },
	{ "An exit reason with no name goes back to the caller", EXIT_REASON_MAX + 7, 0x42, 0, .action = EXIT_TO_CALLER },
	{ "Entry failure (invalid guest state): stop, explained, never launched",
	  EXIT_REASON_ENTRY_FAILURE | EXIT_REASON_ENTRY_FAIL_GUEST_STATE, 0, 0, .action = EXIT_STOP,
	  .stop = VM_STOP_ENTRY_FAILED, .stop_fields = "reason=ENTRY_FAIL_GUEST_STATE qual=0x0",
	  .output = "VEXIT entry-check exits after-failure violations=0\n", .verify = not_launched },
	{ "Entry failure (MSR loading) with the entry's qualification", EXIT_REASON_ENTRY_FAILURE | 34, 2, 0,
	  .action = EXIT_STOP, .stop = VM_STOP_ENTRY_FAILED, .stop_fields = "reason=ENTRY_FAIL_MSR_LOADING qual=0x2",
	  .output = "VEXIT vmcs exits VM_EXIT_REASON 0x80000022 ", .verify = not_launched },
	{ "Entry failure (MSR loading): the stop names the entry and its MSR", EXIT_REASON_ENTRY_FAILURE | 34, 2, 0,
	  .prepare = msr_load_area, .action = EXIT_STOP, .stop = VM_STOP_ENTRY_FAILED,
	  .stop_fields = "reason=ENTRY_FAIL_MSR_LOADING qual=0x2 msr-entry=2 msr=0xc0000101",
	  .output = "VEXIT entry-violation exits msr_load_entry family=msr-load sdm=27.4 ", .verify = not_launched },
};
#define N_CASES (sizeof(cases) / sizeof(cases[0]))

/* --- running one case ------------------------------------------------------------------ */

#define ERROR_CODE_UNTOUCHED 0xe5e5u

static uint64_t gpr_pattern(unsigned i)
{
	return 0x0101010101010101ull * (i + 1) ^ 0x8000000000000000ull;
}

static const struct reg *find_reg(const struct reg *list, unsigned n, unsigned gpr)
{
	for (unsigned i = 0; i < n && list[i].gpr1; i++)
		if (list[i].gpr1 == gpr + 1)
			return &list[i];
	return NULL;
}

static const struct field *find_field(const struct field *list, unsigned n, uint32_t encoding)
{
	for (unsigned i = 0; i < n && list[i].encoding; i++)
		if (list[i].encoding == encoding)
			return &list[i];
	return NULL;
}

static bool exception_pushes_error_code(unsigned vector)
{
	ck_assert(vector == VECTOR_GP || vector == VECTOR_UD || vector == VECTOR_SS || vector == VECTOR_PF);
	return vector != VECTOR_UD;
}

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static void check_registers(const struct exit_case *c, const struct vcpu *v)
{
	for (unsigned i = 0; i < GPR_COUNT; i++) {
		const struct reg *r = find_reg(c->out, ARRAY_LEN(c->out), i);
		if (!r)
			r = find_reg(c->in, ARRAY_LEN(c->in), i);
		uint64_t want = r ? r->value : gpr_pattern(i);
		quiet_assert(v->gpr[i] == want, "%s: GPR %u is 0x%lx, want 0x%lx", c->name, i, v->gpr[i], want);
	}
}

/* Every field keeps its value unless the case, a skip or an injection says otherwise. */
static void check_fields(const struct exit_case *c, const struct vmcs_snapshot *before)
{
	uint64_t rip = before->guest_rip + (c->skip ? c->len : 0);
	uint32_t intr = 0;
	uint64_t error = ERROR_CODE_UNTOUCHED;
	if (c->inject) {
		unsigned vector = c->inject - 1;
		bool code = exception_pushes_error_code(vector);
		/* SDM 25.8.3: vector, type 3 (hardware exception), deliver-error-code, valid. */
		intr = vector | 3u << 8 | (code ? 1u << 11 : 0) | 1u << 31;
		if (code)
			error = c->error_code;
	}
	for (unsigned i = 0; i < vmcs_field_count; i++) {
		uint32_t enc = vmcs_field_table[i].encoding;
		uint64_t was = *vmcs_snapshot_slot((struct vmcs_snapshot *)before, i);
		uint64_t want = was;
		const struct field *f = find_field(c->fout, ARRAY_LEN(c->fout), enc);
		if (enc == VMCS_GUEST_RIP)
			want = rip;
		else if (f && (enc == VMCS_ENTRY_INTR_INFO || enc == VMCS_ENTRY_EXCEPTION_ERROR_CODE))
			want = f->value; /* an event the case names (a re-injection), not an exception of .inject */
		else if (enc == VMCS_ENTRY_INTR_INFO)
			want = intr;
		else if (enc == VMCS_ENTRY_EXCEPTION_ERROR_CODE)
			want = error;
		else if (enc == VMCS_GUEST_RFLAGS && c->inject && exception_is_fault(c->inject - 1))
			want = was | RFLAGS_RF; /* a fault's handler sees RF set (SDM Vol. 3A 18.3.1.1) */
		else if (f)
			want = f->rule == FIELD_EQ ? f->value : f->rule == FIELD_SET ? was | f->value : was & ~f->value;
		uint64_t got = *vmcs_snapshot_slot(&fake_vmcs, i);
		quiet_assert(got == want, "%s: %s is 0x%lx, want 0x%lx", c->name, vmcs_field_table[i].name, got, want);
	}
}

static void check_memory(const struct exit_case *c, const struct test_vm *t)
{
	for (unsigned i = 0; i < ARRAY_LEN(c->mem_out) && c->mem_out[i].bytes; i++) {
		const struct mem *m = &c->mem_out[i];
		for (unsigned j = 0; j < m->n; j++)
			quiet_assert(*test_vm_byte(t, m->gpa + j) == (uint8_t)m->bytes[j], "%s: guest byte 0x%lx is 0x%x, want 0x%x",
				     c->name, m->gpa + j, *test_vm_byte(t, m->gpa + j), (uint8_t)m->bytes[j]);
	}
}

static void check_vm_state(const struct exit_case *c, struct test_vm *t)
{
	struct vm *vm = t->vm;
	ck_assert_msg(vm->stop == c->stop, "%s: stop %s, want %s", c->name, vm_stop_name(vm->stop), vm_stop_name(c->stop));
	if (c->stop_fields)
		ck_assert_msg(strstr(vm->stop_fields, c->stop_fields), "%s: stop fields '%s' lack '%s'", c->name,
			      vm->stop_fields, c->stop_fields);
	else
		ck_assert_str_eq(vm->stop_fields, "");
	const char *out = hv_fake_output();
	if (c->output)
		ck_assert_msg(strstr(out, c->output), "%s: output '%s' lacks '%s'", c->name, out, c->output);
	else
		ck_assert_msg(out[0] == '\0', "%s: printed '%s'", c->name, out);
	ck_assert(!hv_fake_output_overflowed());
	/* The access count first: reading the latch is an access too. */
	if (IS_SOME(c->accesses))
		ck_assert_uint_eq(io_bus_read(&vm->bus, TEST_DEVICE_PORT + TEST_DEVICE_ACCESSES, 4), (uint32_t)c->accesses);
	if (IS_SOME(c->latch))
		ck_assert_uint_eq(io_bus_read(&vm->bus, TEST_DEVICE_PORT + TEST_DEVICE_LATCH, 4), (uint32_t)c->latch);
	if (IS_SOME(c->tpr))
		ck_assert_uint_eq(vm->vcpu.tpr, (uint32_t)c->tpr);
	ck_assert_uint_eq(fake_cpu.cr2, IS_SOME(c->cr2) ? (uint32_t)c->cr2 : 0);
	if (IS_SOME(c->xcr0)) {
		ck_assert_uint_eq(vm->xcr0, (uint32_t)c->xcr0);
		ck_assert_uint_eq(fake_cpu.xcr0, (uint32_t)c->xcr0); /* what the CPU runs the guest with */
	}
	if (c->msr.msr) {
		uint64_t value;
		ck_assert(virtual_msr_read(&vm->msrs, c->msr.msr, &value));
		ck_assert_msg(value == c->msr.value, "%s: MSR 0x%x is 0x%lx, want 0x%lx", c->name, c->msr.msr, value,
			      c->msr.value);
	}
}

START_TEST(test_exit_case)
{
	const struct exit_case *c = &cases[_i];
	ck_assert_msg(!c->skip || c->len, "%s: a skip needs an instruction length", c->name);
	struct test_vm t;
	test_vm_build(&t, "exits", 0, NULL);
	struct vm *vm = t.vm;
	struct vcpu *v = &vm->vcpu;
	guest_cpu_state_load(vm); /* as in a run: the CPU holds the guest's XCR0, CR2, DRs... */
	for (unsigned i = 0; i < GPR_COUNT; i++)
		v->regs[i] = gpr_pattern(i);
	for (unsigned i = 0; i < ARRAY_LEN(c->in) && c->in[i].gpr1; i++)
		v->regs[c->in[i].gpr1 - 1] = c->in[i].value;
	fake_vmcs.exit_reason = c->reason;
	fake_vmcs.exit_qualification = c->qual;
	fake_vmcs.exit_instruction_length = c->len;
	fake_vmcs.exit_instruction_info = c->info;
	fake_vmcs.entry_exception_error = ERROR_CODE_UNTOUCHED;
	for (unsigned i = 0; i < ARRAY_LEN(c->fin) && c->fin[i].encoding; i++) {
		uint64_t *slot = fake_vmcs_field(c->fin[i].encoding);
		ck_assert_ptr_nonnull(slot);
		*slot = c->fin[i].value;
	}
	for (unsigned i = 0; i < ARRAY_LEN(c->mem_in) && c->mem_in[i].bytes; i++)
		ck_assert(guest_mem_write(vm, c->mem_in[i].gpa, c->mem_in[i].bytes, c->mem_in[i].n));
	if (c->prepare)
		c->prepare(&t);
	/* The host's CPUID and the VM's state as the prepare left them come before the VM was built in a run:
	 * the VM's CPUID table is filled for them (unless the prepare emptied it). Host CPUIDs count from here. */
	if (v->cpuid.filled)
		vm_cpuid_refill(vm);
	fake_cpu.cpuid_calls = 0;
	struct vmcs_snapshot before = fake_vmcs;
	hv_fake_output_reset();

	enum exit_action a = vcpu_exit(v);

	ck_assert_msg(a == c->action, "%s: action %d, want %d", c->name, a, c->action);
	check_registers(c, v);
	check_fields(c, &before);
	check_memory(c, &t);
	check_vm_state(c, &t);
	/* The run loop counted the exit once, by its basic reason. */
	ck_assert_uint_eq(vcpu_exits(v), 1);
	uint32_t basic = EXIT_REASON_BASIC(c->reason);
	if (basic < EXIT_REASON_MAX)
		ck_assert_uint_eq(v->exit_counts[basic], 1);
	/* The history has it, with the qualification its handler decoded (vcpu_exit_qualification). */
	ck_assert_uint_eq(exit_history_at(&v->history, 0).reason, c->reason);
	if (basic == EXIT_REASON_IO_INSTRUCTION || basic == EXIT_REASON_CR_ACCESS)
		ck_assert_uint_eq(exit_history_at(&v->history, 0).qualification, c->qual);
	if (c->verify)
		c->verify(&t);
	test_vm_destroy(&t);
}
END_TEST


/*
 * A handler raises an exception while the entry already re-injects an event an exit cut
 * (vcpu_resume_interrupted): vcpu_inject_exception combines them as the CPU would (SDM Vol. 3A
 * 6.15, table 6-5 and Interrupt 8).
 */
static const struct combine_case {
	const char *name;
	uint32_t first, first_error, first_length; /* the entry's event before */
	unsigned vector;                            /* the handler's exception */
	uint32_t error_code;
	uint32_t info, error, length; /* the entry's event after */
	enum vm_stop stop;
	bool nmi;                     /* an NMI is pending again */
	int held;                     /* the interrupt the injection core holds */
} combine_cases[] = {
	{ "#GP cut, then #GP: #DF with error code 0", VECTORING_EC(INTR_TYPE_HARDWARE_EXCEPTION, VECTOR_GP), 0x18, 0,
	  VECTOR_GP, 0, VECTORING_EC(INTR_TYPE_HARDWARE_EXCEPTION, VECTOR_DF), 0, 0, VM_RUNNING, false, -1 },
	{ "#PF cut, then #GP: #DF", VECTORING_EC(INTR_TYPE_HARDWARE_EXCEPTION, VECTOR_PF), 2, 0, VECTOR_GP, 0x10,
	  VECTORING_EC(INTR_TYPE_HARDWARE_EXCEPTION, VECTOR_DF), 0, 0, VM_RUNNING, false, -1 },
	{ "#GP cut, then #PF: serially, the #PF goes in", VECTORING_EC(INTR_TYPE_HARDWARE_EXCEPTION, VECTOR_GP), 0x18, 0,
	  VECTOR_PF, 6, VECTORING_EC(INTR_TYPE_HARDWARE_EXCEPTION, VECTOR_PF), 6, 0, VM_RUNNING, false, -1 },
	{ "#DF cut, then #GP: a triple fault stops the VM", VECTORING_EC(INTR_TYPE_HARDWARE_EXCEPTION, VECTOR_DF), 0, 0,
	  VECTOR_GP, 0, VECTORING_EC(INTR_TYPE_HARDWARE_EXCEPTION, VECTOR_DF), 0, 0, VM_STOP_TRIPLE_FAULT, false, -1 },
	{ "NMI cut, then #GP: the #GP first, the NMI pending again", VECTORING(INTR_INFO_TYPE_NMI, 2), 0, 0, VECTOR_GP, 0,
	  VECTORING_EC(INTR_TYPE_HARDWARE_EXCEPTION, VECTOR_GP), 0, 0, VM_RUNNING, true, -1 },
	{ "Interrupt 0x31 cut, then #UD: the #UD first, 0x31 held", VECTORING(0, 0x31), 0, 0, VECTOR_UD, 0,
	  VECTORING(INTR_TYPE_HARDWARE_EXCEPTION, VECTOR_UD), 0, 0, VM_RUNNING, false, 0x31 },
	{ "INT 0x80 cut, then #GP: the #GP; INT 0x80 runs again from its RIP", VECTORING(INTR_TYPE_SOFTWARE_INTERRUPT, 0x80),
	  0, 2, VECTOR_GP, 0, VECTORING_EC(INTR_TYPE_HARDWARE_EXCEPTION, VECTOR_GP), 0, 0, VM_RUNNING, false, -1 },
};

START_TEST(test_exception_after_reinjection)
{
	const struct combine_case *c = &combine_cases[_i];
	struct test_vm t;
	test_vm_build(&t, "combine", 0, NULL);
	struct vm *vm = t.vm;
	fake_vmcs.entry_intr_info = c->first;
	fake_vmcs.entry_exception_error = c->first_error;
	fake_vmcs.entry_instruction_length = c->first_length;
	vcpu_inject_exception(&vm->vcpu, c->vector, c->error_code);
	ck_assert_msg(fake_vmcs.entry_intr_info == c->info, "%s: entry 0x%lx, want 0x%x", c->name, fake_vmcs.entry_intr_info,
		      c->info);
	ck_assert_msg(fake_vmcs.entry_exception_error == c->error, "%s: error code 0x%lx, want 0x%x", c->name,
		      fake_vmcs.entry_exception_error, c->error);
	ck_assert_uint_eq(fake_vmcs.entry_instruction_length, c->length);
	ck_assert_msg(vm->stop == c->stop, "%s: stop %s", c->name, vm_stop_name(vm->stop));
	ck_assert_int_eq(vm->vcpu.irq.nmi, c->nmi);
	ck_assert_int_eq(vm->vcpu.irq.held, c->held);
	test_vm_destroy(&t);
}
END_TEST

/* A held interrupt goes in, before anything the APIC or the PIC has, once the guest can take one. */
START_TEST(test_held_interrupt_goes_first)
{
	struct test_vm t;
	test_vm_build(&t, "held", 0, NULL);
	struct vcpu *v = &t.vm->vcpu;
	irq_hold(v, 0x31);
	fake_vmcs.entry_intr_info = 0;
	fake_vmcs.guest_rflags = RFLAGS_FIXED1; /* IF clear: it waits, the interrupt window opens */
	irq_prepare_entry(v);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, 0);
	ck_assert(fake_vmcs.proc & PROC_INTERRUPT_WINDOW_EXITING);
	fake_vmcs.guest_rflags = RFLAGS_FIXED1 | RFLAGS_IF;
	irq_kick(v);
	irq_prepare_entry(v);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, INTR_INFO_VALID | 0x31);
	ck_assert_int_eq(v->irq.held, -1);
	ck_assert(!(fake_vmcs.proc & PROC_INTERRUPT_WINDOW_EXITING));
	test_vm_destroy(&t);
}
END_TEST

/* One more exit of t's vCPU, RAX, RCX and RDX as given, resumed (as the table's cases, one after another). */
static void exit_with(struct test_vm *t, uint32_t reason, uint64_t rax, uint64_t rcx, uint64_t rdx)
{
	struct vcpu *v = &t->vm->vcpu;
	v->regs[GPR_RAX] = rax;
	v->regs[GPR_RCX] = rcx;
	v->regs[GPR_RDX] = rdx;
	fake_vmcs.exit_reason = reason;
	fake_vmcs.exit_instruction_length = 2;
	ck_assert_int_eq(vcpu_exit(v), EXIT_RESUME);
	ck_assert_uint_eq(fake_vmcs.entry_intr_info, 0); /* nothing injected */
}

/* What the CPUID table answers follows the guest's MISC_ENABLE and CR4.OSXSAVE from one exit to the next. */
START_TEST(test_cpuid_table_follows_the_guest)
{
	struct test_vm t;
	test_vm_build(&t, "cpuid", 0, NULL);
	guest_cpu_state_load(t.vm);
	host_cpuid(&t);
	vm_cpuid_refill(t.vm); /* as built on that host */
	const uint64_t *regs = t.vm->vcpu.regs;
	exit_with(&t, EXIT_REASON_CPUID, 0, 0, 0);
	ck_assert_uint_eq(regs[GPR_RAX], 0x16);
	ck_assert(t.vm->vcpu.cpuid.filled);
	/* MISC_ENABLE's limit CPUID maxval: leaf 0 says 2 from the next CPUID on, and 16H again once it is cleared. */
	exit_with(&t, EXIT_REASON_WRMSR, 0x401801, MSR_IA32_MISC_ENABLE, 0);
	exit_with(&t, EXIT_REASON_CPUID, 0, 0, 0);
	ck_assert_uint_eq(regs[GPR_RAX], 2);
	exit_with(&t, EXIT_REASON_CPUID, 1, 0, 0); /* still leaf 1, the highest is 2 */
	ck_assert_uint_eq(regs[GPR_RAX], 0x50654);
	exit_with(&t, EXIT_REASON_WRMSR, 0x1801, MSR_IA32_MISC_ENABLE, 0);
	exit_with(&t, EXIT_REASON_CPUID, 0, 0, 0);
	ck_assert_uint_eq(regs[GPR_RAX], 0x16);
	/* CR4.OSXSAVE, set and cleared by the guest, at every CPUID 1. */
	*fake_vmcs_field(VMCS_CR4_READ_SHADOW) = CR4_PAE | CR4_OSXSAVE;
	exit_with(&t, EXIT_REASON_CPUID, 1, 0, 0);
	ck_assert_uint_eq(regs[GPR_RCX] & CPUID1_ECX_OSXSAVE, CPUID1_ECX_OSXSAVE);
	*fake_vmcs_field(VMCS_CR4_READ_SHADOW) = CR4_PAE;
	exit_with(&t, EXIT_REASON_CPUID, 1, 0, 0);
	ck_assert_uint_eq(regs[GPR_RCX] & CPUID1_ECX_OSXSAVE, 0);
	/* Leaf 0DH, which depends on XCR0, asks the host at every exit. */
	unsigned calls = fake_cpu.cpuid_calls;
	exit_with(&t, EXIT_REASON_CPUID, 0xd, 0, 0);
	exit_with(&t, EXIT_REASON_CPUID, 0xd, 0, 0);
	ck_assert_uint_eq(fake_cpu.cpuid_calls, calls + 2);
	test_vm_destroy(&t);
}
END_TEST

START_TEST(test_enough_cases)
{
	ck_assert_uint_ge(N_CASES, 40);
}
END_TEST

START_TEST(test_every_hypercall_refused_from_user_mode)
{
	/* Each hypercall number has a case calling it from CPL 3 (a new hypercall needs one too). */
	for (uint64_t nr = 0; nr < VEXIT_HC_COUNT; nr++) {
		bool found = false;
		for (size_t i = 0; i < N_CASES && !found; i++) {
			const struct exit_case *c = &cases[i];
			const struct reg *rax = find_reg(c->in, ARRAY_LEN(c->in), GPR_RAX);
			const struct field *ss = find_field(c->fin, ARRAY_LEN(c->fin), VMCS_GUEST_SS_ACCESS_RIGHTS);
			found = c->reason == EXIT_REASON_VMCALL && rax && rax->value == nr && ss && AR_DPL(ss->value) == 3;
		}
		ck_assert_msg(found, "hypercall %lu has no case from CPL 3", nr);
	}
}
END_TEST

/* --- the run loop: vcpu_run over the fake vmx_run ------------------------------------------ */

static struct test_vm t;

static void run_setup(void)
{
	test_vm_build(&t, "loop", 0, NULL);
	hv_fake_output_reset();
}

static void run_teardown(void)
{
	test_vm_destroy(&t);
}

START_TEST(test_run_until_stop)
{
	/* CPUID, an OUT of 'A' to the latch, then HLT: two resumes, then the VM stops with the registers kept. */
	static const struct fake_exit script[] = {
		{ EXIT_REASON_CPUID, 0, 2, VMX_OK },
		{ EXIT_REASON_IO_INSTRUCTION, IOQ(0x5000, 1, 0), 1, VMX_OK },
		{ EXIT_REASON_HLT, 0, 1, VMX_OK },
	};
	struct vcpu *v = &t.vm->vcpu;
	v->regs[GPR_RAX] = 0x40000000;
	v->regs[GPR_R12] = 0x1212;
	fake_vmx_script(script, 3);
	fake_cpu.tsc = 1000;
	fake_cpu.tsc_step = 10;
	ck_assert_int_eq(vcpu_run(v), EXIT_STOP);
	ck_assert_uint_eq(fake_vmx_exits_delivered(), 3);
	ck_assert_int_eq(fake_vmx_last_launched(), 0); /* the first entry is a VMLAUNCH */
	ck_assert(v->launched);
	ck_assert_int_eq(t.vm->stop, VM_STOP_HALTED);
	ck_assert_str_eq(t.vm->stop_fields, "rip=0x10003 why=interrupts-disabled"); /* past CPUID and OUT */
	ck_assert_ptr_eq(v->gpr, v->regs); /* back on the vCPU's own registers */
	ck_assert_uint_eq(v->regs[GPR_RAX], 0x40000001);   /* CPUID's answer, kept after the loop */
	ck_assert_uint_eq(v->regs[GPR_R12], 0x1212);
	ck_assert_uint_eq(io_bus_read(&t.vm->bus, TEST_DEVICE_PORT, 1), 0x01); /* the OUT wrote AL */
	ck_assert_uint_eq(vcpu_exits(v), 3);
	ck_assert_uint_eq(v->exit_counts[EXIT_REASON_CPUID], 1);
	ck_assert_uint_eq(v->exit_counts[EXIT_REASON_HLT], 1);
	ck_assert_uint_eq(exit_history_kept(&v->history), 3);
	/* The history keeps a qualification once a handler read it: handle_io does, CPUID has none. */
	ck_assert(!exit_history_at(&v->history, 0).qualification_read);
	ck_assert(exit_history_at(&v->history, 1).qualification_read);
	ck_assert_uint_eq(exit_history_at(&v->history, 1).qualification, IOQ(0x5000, 1, 0));
	ck_assert_uint_eq(exit_history_at(&v->history, 1).rip, 0x10002);
	ck_assert_uint_gt(v->last_exit_tick, v->first_entry_tick);
}
END_TEST

START_TEST(test_run_lands_exits_with_work_at_the_work_entry)
{
	/*
	 * The first exit (it marks the vCPU launched) and every exit while the trace is on land at
	 * vmx_exit_work_entry_point (HOST_RIP names it, and the fake vmx_run lands where it says);
	 * the others at vmx_exit_entry_point, whose path has no test of the work. A VMCALL turns the
	 * trace on (RAX = TRACE, RBX = 1; it answers 0, so the CPUID after it asks leaf 0): the exits
	 * after it are traced, so HOST_RIP must have changed before the next entry.
	 */
	static const struct fake_exit script[] = {
		{ EXIT_REASON_INVD, 0, 2, VMX_OK },   { EXIT_REASON_INVD, 0, 2, VMX_OK },
		{ EXIT_REASON_VMCALL, 0, 3, VMX_OK }, { EXIT_REASON_CPUID, 0, 2, VMX_OK },
		{ EXIT_REASON_HLT, 0, 1, VMX_OK },
	};
	struct vcpu *v = &t.vm->vcpu;
	/* Guest time counted by the CPU (the preemption timer, saved at exit): no work at every exit. */
	guest_time_configure(v, 1ull << 40, WATCHDOG_PREEMPTION_TIMER, true, 0);
	v->regs[GPR_RAX] = VEXIT_HC_TRACE;
	v->regs[GPR_RBX] = 1;
	fake_vmx_script(script, 5);
	ck_assert_int_eq(vcpu_run(v), EXIT_STOP);
	ck_assert_int_eq(t.vm->stop, VM_STOP_HALTED);
	ck_assert_uint_eq(fake_vmx_exits_delivered(), 5);
	static const bool want[] = { true, false, false, true, true };
	for (unsigned i = 0; i < 5; i++)
		ck_assert_msg(fake_vmx_landed_at_work_entry(i) == want[i], "exit %u", i);
	ck_assert_uint_eq(t.vm->trace.n, 2); /* the CPUID and the HLT after the VMCALL */
	ck_assert_uint_eq(t.vm->trace.entries[0].reason, EXIT_REASON_CPUID);
	ck_assert_uint_eq(fake_vmcs.host_rip, (uint64_t)(uintptr_t)vmx_exit_work_entry_point);
}
END_TEST

START_TEST(test_run_reloads_kept_registers_only_when_written)
{
	/*
	 * The stub reloads RBP and R12-R15 only when on_exit says a handler wrote one
	 * (hw/vmx_entry.S): MOV from CR8 to R12 must say so, MOV from CR8 to RAX, CPUID
	 * (which writes RBX, always reloaded) and MOV from CR8 to RBP after them in turn.
	 */
	static const struct fake_exit script[] = {
		{ EXIT_REASON_CR_ACCESS, CRQ(8, CR_FROM, GPR_R12), 4, VMX_OK },
		{ EXIT_REASON_CR_ACCESS, CRQ(8, CR_FROM, GPR_RAX), 4, VMX_OK },
		{ EXIT_REASON_CPUID, 0, 2, VMX_OK },
		{ EXIT_REASON_CR_ACCESS, CRQ(8, CR_FROM, GPR_RBP), 4, VMX_OK },
		{ EXIT_REASON_HLT, 0, 1, VMX_OK },
	};
	struct vcpu *v = &t.vm->vcpu;
	v->regs[GPR_R12] = 0x1212;
	v->regs[GPR_RBP] = 0xbbbb;
	fake_vmx_script(script, 5);
	ck_assert_int_eq(vcpu_run(v), EXIT_STOP);
	ck_assert_int_eq(fake_vmx_on_exit_result(0), VMX_EXIT_RESUME_ALL);
	ck_assert_int_eq(fake_vmx_on_exit_result(1), VMX_EXIT_RESUME);
	ck_assert_int_eq(fake_vmx_on_exit_result(2), VMX_EXIT_RESUME);
	ck_assert_int_eq(fake_vmx_on_exit_result(3), VMX_EXIT_RESUME_ALL);
	ck_assert_int_eq(fake_vmx_on_exit_result(4), VMX_EXIT_LEAVE);
	ck_assert_uint_eq(v->regs[GPR_R12], t.vm->vcpu.tpr); /* the priority, 0 at reset */
	ck_assert_uint_eq(v->regs[GPR_RBP], t.vm->vcpu.tpr);
}
END_TEST

START_TEST(test_run_returns_unhandled_to_caller)
{
	static const struct fake_exit script[] = { { EXIT_REASON_RDPMC, 0, 2, VMX_OK } };
	fake_vmx_script(script, 1);
	ck_assert_int_eq(vcpu_run(&t.vm->vcpu), EXIT_TO_CALLER);
	ck_assert_int_eq(t.vm->stop, VM_RUNNING);
	ck_assert_uint_eq(vcpu_exit_reason(&t.vm->vcpu), EXIT_REASON_RDPMC);
	/* The next run is a VMRESUME. */
	static const struct fake_exit next[] = { { EXIT_REASON_HLT, 0, 1, VMX_OK } };
	fake_vmx_script(next, 1);
	ck_assert_int_eq(vcpu_run(&t.vm->vcpu), EXIT_STOP);
	ck_assert_int_eq(fake_vmx_last_launched(), 1);
}
END_TEST

START_TEST(test_run_vmlaunch_fails_valid)
{
	static const struct fake_exit script[] = { { 0, 0, 0, VMX_FAIL_VALID } };
	fake_vmx_script(script, 1);
	fake_vmcs.instruction_error = 7; /* invalid control fields */
	ck_assert_int_eq(vcpu_run(&t.vm->vcpu), EXIT_STOP);
	ck_assert_int_eq(t.vm->stop, VM_STOP_ENTRY_FAILED);
	ck_assert_str_eq(t.vm->stop_fields, "error=7 instruction=VMLAUNCH");
	ck_assert(!t.vm->vcpu.launched);
	ck_assert_ptr_nonnull(strstr(hv_fake_output(), "VEXIT entry-check loop after-failure violations=0\n"));
}
END_TEST

START_TEST(test_run_vmresume_fails_invalid)
{
	/* VMfailInvalid: no current VMCS, nothing to read (SDM 31.2); the history is still printed. */
	static const struct fake_exit script[] = { { EXIT_REASON_VMCALL, 0, 3, VMX_OK }, { 0, 0, 0, VMX_FAIL_INVALID } };
	fake_vmx_script(script, 2);
	t.vm->vcpu.regs[GPR_RAX] = VEXIT_HC_VERSION;
	ck_assert_int_eq(vcpu_run(&t.vm->vcpu), EXIT_STOP);
	ck_assert_str_eq(t.vm->stop_fields, "error=0 instruction=VMRESUME");
	/* The registers the handler left survive the failed VMRESUME (hw/vmx_entry.S keeps them). */
	ck_assert_ptr_eq(t.vm->vcpu.gpr, t.vm->vcpu.regs);
	ck_assert_uint_eq(t.vm->vcpu.regs[GPR_RAX], VEXIT_ABI_VERSION);
	ck_assert_ptr_null(strstr(hv_fake_output(), "entry-check"));
	ck_assert_ptr_nonnull(strstr(hv_fake_output(), "VEXIT exit-history loop exits=1 kept=1\n"));
}
END_TEST

START_TEST(test_run_budget_spent_before_entry)
{
	/* RDTSC-counted time with a re-armed timer: nothing left, no entry at all. */
	struct vcpu *v = &t.vm->vcpu;
	guest_time_configure(v, 100, WATCHDOG_PREEMPTION_TIMER, false, 0);
	v->guest_ticks = 100;
	fake_vmx_script(NULL, 0);
	ck_assert_int_eq(vcpu_run(v), EXIT_STOP);
	ck_assert_int_eq(t.vm->stop, VM_STOP_BUDGET);
	ck_assert_str_eq(t.vm->stop_fields, "budget=100");
	ck_assert_uint_eq(fake_vmx_exits_delivered(), 0);
}
END_TEST

START_TEST(test_machine_check_in_guest)
{
	/* A #MC exit (exception bitmap bit 18): the banks are reported, then the run stops (a panic). */
	fake_cpu_set_cpuid(1, 0, 0, 0, 0, 1u << 14); /* MCA */
	fake_cpu_set_msr(MSR_IA32_MCG_CAP, 1);
	fake_cpu_set_msr(MSR_IA32_MCG_STATUS, 0x5);
	fake_cpu_set_msr(MSR_IA32_MC0_STATUS, 1ull << 63 | 0x150);
	*fake_vmcs_field(VMCS_EXIT_INTR_INFO) = INTR_INFO_VALID | INTR_TYPE_HARDWARE_EXCEPTION | VECTOR_MC;
	t.vm->vcpu.rip = 0x10000;
	exit_history_record(&t.vm->vcpu.history, EXIT_REASON_EXCEPTION_NMI, t.vm->vcpu.rip, 0, 0);
	exit_dispatch(&t.vm->vcpu);
}
END_TEST

START_TEST(test_every_handled_reason_has_a_case)
{
	/* Each exit reason the dispatch table handles is driven by at least one case above: any other reason
	 * goes back to the caller, untouched. */
	for (uint32_t r = 0; r < EXIT_REASON_MAX; r++) {
		bool in_table = false;
		for (size_t i = 0; i < N_CASES; i++)
			in_table |= EXIT_REASON_BASIC(cases[i].reason) == r;
		if (in_table)
			continue;
		exit_history_record(&t.vm->vcpu.history, r, t.vm->vcpu.rip, 0, 0);
		ck_assert_msg(exit_dispatch(&t.vm->vcpu) == EXIT_TO_CALLER, "reason %u is handled but has no case", r);
	}
	ck_assert_int_eq(t.vm->stop, VM_RUNNING);
}
END_TEST

/*
 * A module name longer than VEXIT_GUEST_NAME_MAX (GRUB passes any): the VM is refused as a bad image,
 * and every line, guest-begin included, names it by the same 47 characters.
 */
START_TEST(test_long_module_name_refused)
{
	char name[VEXIT_GUEST_NAME_MAX + 10], cut[VEXIT_GUEST_NAME_MAX + 1], want[160];
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	memcpy(cut, name, VEXIT_GUEST_NAME_MAX);
	cut[VEXIT_GUEST_NAME_MAX] = '\0';
	hv_fake_output_reset();
	struct vm_config cfg = { 0 }; /* refused before any VM is built */
	struct vm_image img = { NULL, 0, "", NULL, 0 };
	vm_run_module(&cfg, name, &img, 0);
	const char *out = hv_fake_output();
	/* guest-begin carries the host TSC, which the fake reads as 0. */
	snprintf(want, sizeof(want), "VEXIT guest-begin %s tsc=0\nVEXIT guest-end %s bad-image ", cut, cut);
	ck_assert_msg(strstr(out, want) == out, "%s", out);
	ck_assert_msg(strstr(out, "why=name-too-long\n"), "%s", out);
	ck_assert_msg(!strstr(out, name), "the whole name was printed: %s", out);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hv_exits");
	TCase *tc = tcase_create("handlers");
	tcase_add_loop_test(tc, test_exit_case, 0, (int)N_CASES);
	tcase_add_test(tc, test_enough_cases);
	tcase_add_test(tc, test_cpuid_table_follows_the_guest);
	tcase_add_loop_test(tc, test_exception_after_reinjection, 0, (int)(sizeof(combine_cases) / sizeof(combine_cases[0])));
	tcase_add_test(tc, test_held_interrupt_goes_first);
	tcase_add_test(tc, test_every_hypercall_refused_from_user_mode);
	tcase_add_test(tc, test_long_module_name_refused);
	suite_add_tcase(s, tc);
	TCase *loop = tcase_create("run_loop");
	tcase_add_checked_fixture(loop, run_setup, run_teardown);
	tcase_add_test(loop, test_every_handled_reason_has_a_case);
	tcase_add_exit_test(loop, test_machine_check_in_guest, FAKE_PANIC_EXIT);
	tcase_add_test(loop, test_run_until_stop);
	tcase_add_test(loop, test_run_lands_exits_with_work_at_the_work_entry);
	tcase_add_test(loop, test_run_reloads_kept_registers_only_when_written);
	tcase_add_test(loop, test_run_returns_unhandled_to_caller);
	tcase_add_test(loop, test_run_vmlaunch_fails_valid);
	tcase_add_test(loop, test_run_vmresume_fails_invalid);
	tcase_add_test(loop, test_run_budget_spent_before_entry);
	suite_add_tcase(s, loop);
	return run_suite(s, CK_NORMAL);
}
