/* I/O-instruction exits: IN/OUT and INS/OUTS (with REP) routed to the VM's port devices. */
#include "exits/exit_handlers.h"
#include "hw/cpu.h"
#include "hw/vmcs.h"
#include "include/x86_arch.h"
#include "vm/guest_mem.h"
#include "vm/guest_time.h"
#include "vm/vm.h"
#include "vmx/io_qualification.h"

/* Segment numbers of the instruction-information field: ES 0, CS 1, SS 2, DS 3, FS 4, GS 5. */
#define SEG_SS 2
#define SEG_FS 4
/* Emulate at most this many REP iterations per exit; the guest re-executes the rest (SDM: REP is restartable). */
#define IO_REP_CHUNK 4096
#define PAGE_OFFSET_MASK 0xfffull /* the offset of a linear address within its 4 KiB page */

/*
 * What an IN of size bytes keeps of RAX, by size: an 8- or 16-bit IN the upper bits, a
 * 32-bit one none, as it zero-extends (SDM Vol. 1 3.4.1.1).
 */
static const uint64_t in_rax_kept[5] = { [1] = ~0xffull, [2] = ~0xffffull, [4] = 0 };

/*
 * Write an index or count register at the instruction's address size: a 32-bit
 * result zero-extends into the 64-bit register, a 16-bit one keeps the upper bits
 * (the general-register rules of 64-bit mode, SDM Vol. 1 3.4.1.1).
 */
static void set_address_register(struct vcpu *v, enum gpr reg, uint64_t value, unsigned asize)
{
	if (asize == 8)
		vcpu_set_gpr(v, reg, value);
	else if (asize == 4)
		vcpu_set_gpr(v, reg, (uint32_t)value);
	else
		vcpu_set_gpr(v, reg, (v->gpr[reg] & ~0xffffull) | (value & 0xffff));
}

/*
 * The last linear page a string instruction's emulation translated, as a TLB holds
 * it: its elements walk the guest's page tables once per page, not once per byte
 * (make bench: a page of REP OUTSB cost 671 ticks a byte with a walk per byte). The
 * access type is the same for every element of one instruction, and the entry lives
 * for one exit only, so a guest's page-table change between exits is always seen;
 * within one exit the CPU may use a cached translation too (SDM Vol. 3A 4.10.4.3).
 */
struct page_memo {
	bool valid;
	uint64_t la_page, gpa_page;
};

/*
 * Translate the `size` bytes of one element at linear address la, each on its
 * own (an element may straddle two pages), before any of it moves, so that a
 * fault leaves the device and memory untouched and the instruction restartable.
 * A fault goes to the guest as the CPU raises it: a non-canonical address #GP(0)
 * (#SS(0) through SS, SDM Vol. 2 INS/OUTS), a page-table check #PF with the
 * error code and CR2 = the faulting byte's address (SDM Vol. 3A 4.7). A paging
 * structure outside guest memory stops the VM (an EPT violation on hardware).
 * False when the element does not move. Inlined in the string path, which IN and OUT
 * never enter (make bench: a page of REP OUTSB 197 ticks a byte with it out of line, 172 in).
 */
static bool translate_element(struct vcpu *v, const struct guest_paging *pg, unsigned seg, uint64_t la,
			      unsigned size, bool to_guest, uint64_t gpa[4], struct page_memo *memo)
{
	for (unsigned i = 0; i < size; i++) {
		uint64_t at = la + i;
		uint32_t pf_error;
		if (memo->valid && (at & ~PAGE_OFFSET_MASK) == memo->la_page) {
			gpa[i] = memo->gpa_page | (at & PAGE_OFFSET_MASK);
			continue;
		}
		/* 48-bit linear addresses: bits 63:47 all equal (SDM Vol. 1 3.3.7.1). */
		if (at >> 47 != 0 && at >> 47 != 0x1ffff) {
			vcpu_inject_exception(v, seg == SEG_SS ? VECTOR_SS : VECTOR_GP, 0);
			return false;
		}
		switch (guest_walk(v->vm, pg, at, to_guest ? GUEST_ACCESS_WRITE : GUEST_ACCESS_READ, &gpa[i], &pf_error)) {
		case GUEST_WALK_OK:
			*memo = (struct page_memo){ true, at & ~PAGE_OFFSET_MASK, gpa[i] & ~PAGE_OFFSET_MASK };
			break;
		case GUEST_WALK_PAGE_FAULT:
			write_cr2(at); /* the CPU holds the guest's CR2 while it runs (vm/guest_cpu_state.h) */
			vcpu_inject_exception(v, VECTOR_PF, pf_error);
			return false;
		case GUEST_WALK_NO_MEMORY:
			/* The CPU reads the paging structure: a read outside guest memory. */
			vm_stop(v->vm, VM_STOP_EPT_VIOLATION, "gpa=0x%lx access=r rip=0x%lx", gpa[i], v->rip);
			return false;
		}
	}
	return true;
}

/*
 * Move one translated element between guest memory and val, a byte at a time. False: it
 * stopped the VM. Always inlined (gcc kept it out of line): a page of REP OUTSB cost 172
 * ticks a byte through the call, 137 without it (make bench).
 */
static inline __attribute__((always_inline)) bool move_element(struct vcpu *v, const uint64_t gpa[4], uint32_t *val,
							      unsigned size, bool to_guest)
{
	uint8_t *bytes = (uint8_t *)val;
	for (unsigned i = 0; i < size; i++) {
		bool ok = to_guest ? guest_mem_write(v->vm, gpa[i], &bytes[i], 1) : guest_mem_read(v->vm, gpa[i], &bytes[i], 1);
		if (!ok) {
			vm_stop(v->vm, VM_STOP_EPT_VIOLATION, "gpa=0x%lx access=%s rip=0x%lx", gpa[i], to_guest ? "w" : "r",
				v->rip);
			return false;
		}
	}
	return true;
}

/* Returns true when the instruction is complete, false when REP iterations remain. */
static bool handle_io_string(struct vcpu *v, const struct io_access *a)
{
	struct vm *vm = v->vm;
	uint32_t info = (uint32_t)vmcs_read(VMCS_EXIT_INSTRUCTION_INFO);
	unsigned asize = io_string_address_size(info);
	if (asize == 0) {
		vm_stop(vm, VM_STOP_UNHANDLED_EXIT, "reason=IO_INSTRUCTION qual=0x%lx rip=0x%lx why=bad-address-size",
			vcpu_exit_qualification(v), v->rip);
		return true;
	}
	uint64_t amask = asize == 8 ? ~0ull : (1ull << (8 * asize)) - 1;
	/* INS writes through ES:RDI; OUTS reads through seg:RSI (SDM Vol. 2, INS/OUTS). */
	unsigned seg = a->in ? 0 : io_string_segment(info);
	/* In 64-bit mode only FS and GS have a base; ES, CS, SS and DS count as 0 (SDM Vol. 1 3.3.4). */
	bool mode64 = vmcs_read(VMCS_GUEST_CS_ACCESS_RIGHTS) & AR_L;
	uint64_t seg_base = mode64 && seg < SEG_FS ? 0 : vmcs_read(VMCS_GUEST_ES_BASE + 2 * seg);
	struct guest_paging pg;
	vcpu_guest_paging(v, &pg);
	bool down = vmcs_read(VMCS_GUEST_RFLAGS) & RFLAGS_DF;
	enum gpr index_reg = a->in ? GPR_RDI : GPR_RSI;
	const uint64_t *index = &v->gpr[index_reg], *count = &v->gpr[GPR_RCX];
	struct page_memo memo = { 0 };

	for (unsigned n = 0; n < IO_REP_CHUNK; n++) {
		if (a->rep && (*count & amask) == 0)
			return true;
		uint64_t la = seg_base + (*index & amask);
		if (!mode64)
			la = (uint32_t)la; /* outside 64-bit mode linear addresses are 32 bits and wrap (SDM Vol. 1 3.3.7) */
		uint32_t val = 0;
		uint64_t gpa[4];
		/* A fault: the iterations done so far stay done, RIP stays at the instruction. */
		if (!translate_element(v, &pg, seg, la, a->size, a->in, gpa, &memo))
			return false;
		if (a->in) {
			val = io_bus_read(&vm->bus, a->port, a->size);
			if (!move_element(v, gpa, &val, a->size, true))
				return true;
		} else {
			if (!move_element(v, gpa, &val, a->size, false))
				return true;
			io_bus_write(&vm->bus, a->port, a->size, val);
		}
		set_address_register(v, index_reg, down ? *index - a->size : *index + a->size, asize);
		if (!a->rep)
			return true;
		set_address_register(v, GPR_RCX, *count - 1, asize);
		if (vm->stop != VM_RUNNING)
			return true;
	}
	return (*count & amask) == 0;
}

/*
 * INS and OUTS, their ticks charged to the guest (vm/guest_time.h: the budget bounds the
 * emulation too), and a qualification the SDM does not define. Out of line, so that IN and
 * OUT pay nothing for them (make bench: the string path's frame made every IN and OUT save
 * four registers).
 */
__attribute__((noinline)) static enum exit_action handle_io_other(struct vcpu *v, uint64_t q)
{
	struct io_access a;
	if (!io_qualification_decode(q, &a)) {
		vm_stop(v->vm, VM_STOP_UNHANDLED_EXIT, "reason=IO_INSTRUCTION qual=0x%lx rip=0x%lx why=bad-qualification",
			q, v->rip);
		return EXIT_STOP;
	}
	uint64_t start = rdtsc();
	bool complete = handle_io_string(v, &a);
	if (!guest_time_charge(v, rdtsc() - start) && v->vm->stop == VM_RUNNING)
		vm_stop(v->vm, VM_STOP_BUDGET, "budget=%lu", v->budget);
	if (v->vm->stop != VM_RUNNING)
		return EXIT_STOP;
	if (complete)
		vcpu_skip_instruction(v);
	return EXIT_RESUME;
}

/*
 * IN and OUT: the device's read or write, then RIP past the instruction. A device that
 * stops the VM (the exit port) needs no test here: vm_stop sets WORK_AT_ENTRY and the run
 * loop ends the VM (exits/exit_dispatch.h), with RIP past the OUT, which completed.
 */
enum exit_action handle_io(struct vcpu *v)
{
	uint64_t q = vcpu_exit_qualification(v);
	size_t size = io_qualification_simple_size(q);
	if (__builtin_expect(!size, 0))
		return handle_io_other(v, q);
	uint16_t port = io_qualification_port(q);
	struct io_bus *bus = &v->vm->bus;
	if (q & IO_QUAL_IN) {
		/* RAX's kept bits first, the device's value ORed in after: only v lives across the call. */
		vcpu_set_gpr(v, GPR_RAX, v->gpr[GPR_RAX] & in_rax_kept[size]);
		uint32_t value = io_bus_read(bus, port, size);
		vcpu_set_gpr(v, GPR_RAX, v->gpr[GPR_RAX] | value);
	} else {
		io_bus_write(bus, port, size, (uint32_t)v->gpr[GPR_RAX] & io_size_mask[size]);
	}
	vcpu_skip_instruction(v);
	return EXIT_RESUME;
}
