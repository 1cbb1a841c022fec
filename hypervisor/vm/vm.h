/* A VM built from one guest module: memory, devices, one vCPU, and why it stopped. */
#ifndef VEXIT_VM_H
#define VEXIT_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "entry_debug.h"
#include "io_bus.h"
#include "page_alloc.h"
#include "vcpu.h"
#include "virtual_msr.h"

#define GUEST_MEM_SIZE (2ull << 20)
#define GUEST_PAGES (GUEST_MEM_SIZE / PAGE_SIZE)
#define VM_NAME_MAX 48
#define VM_STOP_FIELDS_MAX 160
#define DEBUG_LINE_MAX 200
#define VM_TRACE_MAX 32

enum vm_stop {
	VM_RUNNING,
	VM_STOP_DONE,
	VM_STOP_HALTED,
	VM_STOP_TRIPLE_FAULT,
	VM_STOP_BUDGET,
	VM_STOP_UNHANDLED_EXIT,
	VM_STOP_EPT_VIOLATION,
	VM_STOP_ENTRY_FAILED,
	VM_STOP_BAD_IMAGE,
	VM_STOP_SKIPPED,
};

struct vmx_caps;

struct vm {
	char name[VM_NAME_MAX];
	const struct vmx_caps *caps;
	uint64_t *mem_pages; /* GUEST_PAGES host-physical page addresses; the array fills one page */
	/* Host pages of the VMX structures. */
	uint64_t vmcs, io_bitmap_a, io_bitmap_b, msr_bitmap;
	uint64_t ept_pml4, ept_pdpt, ept_pd, ept_pt;
	struct io_bus bus;
	char debug_line[DEBUG_LINE_MAX + 1];
	unsigned debug_line_len;
	uint8_t test_latch[4];
	uint32_t test_accesses;
	/* Guest state the VMCS does not hold. */
	struct virtual_msrs msrs;
	uint8_t tpr;                 /* CR8 (bits 3:0): the task priority, kept here (no APIC page) */
	uint64_t xcr0;               /* loaded into XCR0 by XSETBV emulation */
	/* Per-VM choices a guest makes through hypercalls, applied by exit_vmcall.c. */
	bool cr3_exiting;
	bool controls_dirty;
	/* The exit trace (VEXIT_HC_TRACE): reason and qualification of each exit while on. */
	bool tracing;
	unsigned n_trace, trace_dropped;
	struct { uint16_t reason; uint64_t qualification; } trace[VM_TRACE_MAX];
	enum vm_stop stop;
	char stop_fields[VM_STOP_FIELDS_MAX]; /* "key=value ..." for the guest-end line */
	struct entry_debug dbg; /* entry-failure explanations and debugger stops */
	struct vcpu vcpu;
};

/* Append the exit in vm->vcpu to the trace when tracing is on. */
void vm_trace_exit(struct vm *vm);

/* Record why the VM stopped; the first stop wins. */
void vm_stop(struct vm *vm, enum vm_stop why, const char *fields_fmt, ...) __attribute__((format(printf, 3, 4)));
const char *vm_stop_name(enum vm_stop why);

#endif
