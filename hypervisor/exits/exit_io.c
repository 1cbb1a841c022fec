/* I/O-instruction exits: IN/OUT and INS/OUTS (with REP) routed to the VM's port devices. */
#include "exits/exit_handlers.h"
#include "hw/vmcs.h"
#include "include/x86_arch.h"
#include "vm/guest_mem.h"
#include "vm/vm.h"
#include "vmx/io_qualification.h"

#define SEG_FS 4         /* segment numbers of the instruction-information field: ES 0 ... FS 4, GS 5 */
/* Emulate at most this many REP iterations per exit; the guest re-executes the rest (SDM: REP is restartable). */
#define IO_REP_CHUNK 4096

static uint32_t size_mask(unsigned size)
{
	return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

static void handle_io_simple(struct vcpu *v, const struct io_access *a)
{
	uint64_t *rax = &v->gpr[GPR_RAX];
	if (a->in) {
		uint32_t val = io_bus_read(&v->vm->bus, a->port, a->size);
		/* A 32-bit IN zero-extends into RAX; 8- and 16-bit ones keep the upper bits. */
		if (a->size == 4)
			*rax = val;
		else
			*rax = (*rax & ~(uint64_t)size_mask(a->size)) | val;
	} else {
		io_bus_write(&v->vm->bus, a->port, a->size, (uint32_t)*rax & size_mask(a->size));
	}
}

/*
 * Write an index or count register at the instruction's address size: a 32-bit
 * result zero-extends into the 64-bit register, a 16-bit one keeps the upper bits
 * (the general-register rules of 64-bit mode, SDM Vol. 1 3.4.1.1).
 */
static void set_address_register(uint64_t *reg, uint64_t value, unsigned asize)
{
	if (asize == 8)
		*reg = value;
	else if (asize == 4)
		*reg = (uint32_t)value;
	else
		*reg = (*reg & ~0xffffull) | (value & 0xffff);
}

/*
 * Move one element between guest memory at linear address la and val, a byte at a
 * time, so an element that straddles two guest pages goes to both. An unmapped
 * address, a non-canonical one (where the CPU would raise #GP) or one outside
 * guest memory stops the VM, naming it (no fault or EPT violation is reflected
 * to the guest). Returns false when it stopped the VM.
 */
static bool copy_element(struct vcpu *v, uint64_t cr3, uint64_t la, uint32_t *val, unsigned size, bool to_guest)
{
	uint8_t *bytes = (uint8_t *)val;
	for (unsigned i = 0; i < size; i++) {
		uint64_t gpa, at = la + i;
		/* 48-bit linear addresses: bits 63:47 all equal (SDM Vol. 1 3.3.7.1). */
		bool canonical = at >> 47 == 0 || at >> 47 == 0x1ffff;
		if (!canonical || !guest_linear_to_phys(v->vm, cr3, at, &gpa)) {
			vm_stop(v->vm, VM_STOP_UNHANDLED_EXIT, "reason=IO_INSTRUCTION qual=0x%lx rip=0x%lx why=%s-la-0x%lx",
				v->exit_qualification, v->rip, canonical ? "unmapped" : "non-canonical", at);
			return false;
		}
		bool ok = to_guest ? guest_mem_write(v->vm, gpa, &bytes[i], 1) : guest_mem_read(v->vm, gpa, &bytes[i], 1);
		if (!ok) {
			vm_stop(v->vm, VM_STOP_EPT_VIOLATION, "gpa=0x%lx access=%s rip=0x%lx", gpa, to_guest ? "w" : "r",
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
			v->exit_qualification, v->rip);
		return true;
	}
	uint64_t amask = asize == 8 ? ~0ull : (1ull << (8 * asize)) - 1;
	/* INS writes through ES:RDI; OUTS reads through seg:RSI (SDM Vol. 2, INS/OUTS). */
	unsigned seg = a->in ? 0 : io_string_segment(info);
	/* In 64-bit mode only FS and GS have a base; ES, CS, SS and DS count as 0 (SDM Vol. 1 3.3.4). */
	bool mode64 = vmcs_read(VMCS_GUEST_CS_ACCESS_RIGHTS) & AR_L;
	uint64_t seg_base = mode64 && seg < SEG_FS ? 0 : vmcs_read(VMCS_GUEST_ES_BASE + 2 * seg);
	uint64_t cr3 = vmcs_read(VMCS_GUEST_CR3);
	bool down = vmcs_read(VMCS_GUEST_RFLAGS) & RFLAGS_DF;
	uint64_t *index = &v->gpr[a->in ? GPR_RDI : GPR_RSI];
	uint64_t *count = &v->gpr[GPR_RCX];

	for (unsigned n = 0; n < IO_REP_CHUNK; n++) {
		if (a->rep && (*count & amask) == 0)
			return true;
		uint64_t la = seg_base + (*index & amask);
		if (!mode64)
			la = (uint32_t)la; /* outside 64-bit mode linear addresses are 32 bits and wrap (SDM Vol. 1 3.3.7) */
		uint32_t val = 0;
		if (a->in) {
			val = io_bus_read(&vm->bus, a->port, a->size);
			if (!copy_element(v, cr3, la, &val, a->size, true))
				return true;
		} else {
			if (!copy_element(v, cr3, la, &val, a->size, false))
				return true;
			io_bus_write(&vm->bus, a->port, a->size, val);
		}
		set_address_register(index, down ? *index - a->size : *index + a->size, asize);
		if (!a->rep)
			return true;
		set_address_register(count, *count - 1, asize);
		if (vm->stop != VM_RUNNING)
			return true;
	}
	return (*count & amask) == 0;
}

enum exit_action handle_io(struct vcpu *v)
{
	struct io_access a;
	if (!io_qualification_decode(v->exit_qualification, &a)) {
		vm_stop(v->vm, VM_STOP_UNHANDLED_EXIT, "reason=IO_INSTRUCTION qual=0x%lx rip=0x%lx why=bad-qualification",
			v->exit_qualification, v->rip);
		return EXIT_STOP;
	}
	bool complete = true;
	if (a.string)
		complete = handle_io_string(v, &a);
	else
		handle_io_simple(v, &a);
	if (v->vm->stop != VM_RUNNING)
		return EXIT_STOP;
	if (complete)
		vcpu_skip_instruction(v);
	return EXIT_RESUME;
}
