#include "vm/hypercall.h"

#include "diag/entry_break.h"
#include "include/vexit_abi.h"
#include "include/vmcs_fields.h"
#include "kernel/console.h"
#include "vm/demand_page.h"
#include "vm/devices.h"
#include "vm/guest_mem.h"
#include "vm/vm.h"
#include "vmx/io_bitmap.h"
#include "vmx/msr_bitmap.h"
#include "vmx/vmx_caps.h"

#define REPORT_MAX 200

/* Out of line (as break_state): their stack buffers would otherwise widen every hypercall's frame. */
__attribute__((noinline)) static uint64_t report(struct vm *vm, uint64_t gpa, uint64_t len)
{
	char text[REPORT_MAX + 1];
	if (len > REPORT_MAX || !guest_mem_read(vm, gpa, text, len))
		return VEXIT_HC_EINVAL;
	for (uint64_t i = 0; i < len; i++)
		text[i] = guest_line_printable(text[i]);
	text[len] = '\0';
	kprintf("VEXIT guest %s %s\n", vm->name, text);
	return 0;
}

static uint64_t io_bitmap(struct vm *vm, uint64_t first, uint64_t count, bool intercept)
{
	if (first > 0xffff || count == 0 || count > 0x10000 - first)
		return VEXIT_HC_EINVAL;
	if (!intercept)
		for (uint64_t p = first; p < first + count; p++)
			if (!VEXIT_IO_PASSABLE(p))
				return VEXIT_HC_EPERM;
	struct io_bitmaps bm = { (uint8_t *)(uintptr_t)vm->io_bitmap_a, (uint8_t *)(uintptr_t)vm->io_bitmap_b };
	io_bitmap_set(&bm, (uint16_t)first, (uint32_t)count, intercept);
	return 0;
}

static uint64_t msr_bitmap(struct vm *vm, uint64_t msr, uint64_t which, bool intercept)
{
	if (!which || (which & ~(uint64_t)(VEXIT_MSR_READ | VEXIT_MSR_WRITE)) || msr > 0xffffffffull)
		return VEXIT_HC_EINVAL;
	/* Only MSRs the VMCS switches on entry and exit may reach the hardware. */
	if (!intercept && msr != MSR_IA32_FS_BASE && msr != MSR_IA32_GS_BASE)
		return VEXIT_HC_EPERM;
	unsigned w = (which & VEXIT_MSR_READ ? MSR_BITMAP_READ : 0) | (which & VEXIT_MSR_WRITE ? MSR_BITMAP_WRITE : 0);
	return msr_bitmap_set((uint8_t *)(uintptr_t)vm->msr_bitmap, (uint32_t)msr, w, intercept) ? 0 : VEXIT_HC_EPERM;
}

static uint64_t cr3_exiting(struct vm *vm, bool on)
{
	uint32_t bits = PROC_CR3_LOAD_EXITING | PROC_CR3_STORE_EXITING;
	bool can = on ? vmx_control_allowed(PROC_CR3_LOAD_EXITING, vm->caps->procbased) &&
				vmx_control_allowed(PROC_CR3_STORE_EXITING, vm->caps->procbased)
		      : !((uint32_t)vm->caps->procbased & bits); /* allowed-0 settings: a 1 there forces the bit on */
	if (!can)
		return VEXIT_HC_EPERM;
	vm->cr3_exiting = on;
	vm->controls_dirty = true; /* rewritten before the next entry */
	vm->vcpu.work |= WORK_AT_ENTRY;
	return 0;
}

/* VEXIT_HC_BREAK_STATE: the name is read from guest memory (identity-mapped in every guest). */
__attribute__((noinline)) static uint64_t break_state(struct vm *vm, uint64_t gpa)
{
	char name[VEXIT_BREAK_NAME_MAX];
	for (unsigned n = 0; n < sizeof(name); n++) {
		if (!guest_mem_read(vm, gpa + n, &name[n], 1))
			return VEXIT_HC_EINVAL;
		if (name[n] == '\0') {
			unsigned which = entry_break_find(name, n);
			if (!which)
				return VEXIT_HC_EINVAL;
			vm->dbg.break_pending = which;
			vm->vcpu.work |= WORK_AT_ENTRY; /* applied before the next entry */
			return 0;
		}
	}
	return VEXIT_HC_EINVAL;
}

/* The arguments' registers, in order (include/vexit_abi.h). */
#define ARG0 gpr[GPR_RBX]
#define ARG1 gpr[GPR_RCX]
#define ARG2 gpr[GPR_RDX]
#define ARG3 gpr[GPR_RSI]

uint64_t hypercall(struct vm *vm, const uint64_t gpr[GPR_COUNT])
{
	uint64_t result;
	if (hypercall_read_only(vm, gpr, &result))
		return result;
	switch (gpr[GPR_RAX]) {
	case VEXIT_HC_EXIT:
		vm_stop(vm, VM_STOP_DONE, "status=%u", (uint32_t)ARG0);
		return 0;
	case VEXIT_HC_REPORT:
		return report(vm, ARG0, ARG1);
	case VEXIT_HC_IO_BITMAP:
		return io_bitmap(vm, ARG0, ARG1, ARG2 != 0);
	case VEXIT_HC_MSR_BITMAP:
		return msr_bitmap(vm, ARG0, ARG1, ARG2 != 0);
	case VEXIT_HC_CR3_EXITING:
		return cr3_exiting(vm, ARG0 != 0);
	case VEXIT_HC_TRACE:
		exit_trace_set(&vm->trace, ARG0 != 0);
		/* The exit path records while it is on; the exit stub learns it before the next entry. */
		vm->vcpu.work |= WORK_AT_EXIT | WORK_AT_ENTRY;
		return 0;
	case VEXIT_HC_BREAK_STATE:
		return break_state(vm, ARG0);
	case VEXIT_HC_VMCS_DUMP:
		vm->dbg.dump_pending = true;
		vm->vcpu.work |= WORK_AT_ENTRY; /* dumped before the next entry */
		return 0;
	case VEXIT_HC_DEMAND_PAGE:
		return demand_page_arm(vm, ARG0);
	default:
		return VEXIT_HC_ENOSYS;
	}
}
