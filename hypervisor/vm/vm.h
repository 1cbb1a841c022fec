/*
 * A VM built from one guest module: memory, the VMX structures, the I/O bus and
 * its devices, guest state the VMCS does not hold, one vCPU, and why it stopped.
 */
#ifndef VEXIT_VM_H
#define VEXIT_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag/entry_debug.h"
#include "diag/exit_trace.h"
#include "include/vexit_abi.h"
#include "kernel/page_alloc.h"
#include "vm/guest_cpu_state.h"
#include "vm/io_bus.h"
#include "vm/lapic.h"
#include "vm/vcpu.h"
#include "vm/virtual_msr.h"
#include "vmx/ept.h"

/* A vexit test guest's memory; an external kernel's is chosen per guest (VM_MEM_*). */
#define GUEST_MEM_SIZE (2ull << 20)
#define GUEST_PAGES (GUEST_MEM_SIZE / PAGE_SIZE)
#define VM_MEM_GRANULE (2ull << 20) /* a VM's memory is a whole number of 2 MiB (large-page) units */
/* QEMU's PC default, which kernels tested under QEMU assume (docs/external-kernels.md, the memory row). */
#define VM_MEM_EXTERNAL_DEFAULT (128ull << 20)
#define VM_MEM_MAX (1ull << 30)
#define VM_NAME_MAX (VEXIT_GUEST_NAME_MAX + 1) /* include/vexit_abi.h */
#define VM_STOP_FIELDS_MAX 160
/* The state of all a VM's devices (vm_device_state), in bytes. */
#define VM_DEVICE_STATE_MAX 1024

enum vm_stop {
	VM_RUNNING,
	VM_STOP_DONE,
	VM_STOP_HALTED,
	VM_STOP_TRIPLE_FAULT,
	VM_STOP_BUDGET,
	VM_STOP_UNHANDLED_EXIT,
	VM_STOP_EPT_VIOLATION,
	VM_STOP_NMI, /* the platform raised an NMI while the guest ran (docs/hardware.md: the policy) */
	VM_STOP_ENTRY_FAILED,
	VM_STOP_BAD_IMAGE,
	VM_STOP_SKIPPED,
	VM_STOP_POWER_OFF,
	VM_STOP_LAST = VM_STOP_POWER_OFF,
};

struct vmx_caps;

/* The two kinds of guest (docs/external-kernels.md). */
enum vm_kind {
	VM_TEST_GUEST,      /* a vexit test guest: ELF64, entered in 64-bit mode on vexit's page tables */
	VM_EXTERNAL_KERNEL, /* an unmodified multiboot kernel: entered as the multiboot specification says */
};

struct vm {
	char name[VM_NAME_MAX];
	enum vm_kind kind;
	const struct vmx_caps *caps;
	/* Guest-physical memory [0, mem_size): mem_pages[i] is the host page of guest page i. The array
	 * is a run of host pages of its own; guest pages are 2 MiB-aligned host runs where the allocator
	 * finds them (so EPT can map them with large pages), single pages otherwise. */
	uint64_t *mem_pages;
	uint64_t mem_size;
	uint64_t cr0_fixed0; /* the CR0 bits VMX operation forces on this guest (PE and PG not with unrestricted guest) */
	/* Host pages of the VMX structures. */
	uint64_t vmcs, io_bitmap_a, io_bitmap_b, msr_bitmap;
	/* An external kernel's local APIC (vm/lapic.h), when the CPU virtualizes APIC accesses: the
	 * APIC-access page EPT maps at the APIC's base while it is enabled, and the state over the virtual-APIC page. */
	uint64_t apic_access_page;
	struct lapic *lapic; /* NULL: no APIC (a test guest, or a CPU without APIC virtualization) */
	struct pic *pic;     /* an external kernel's legacy PIC and PIT (in device_state); NULL: a test guest */
	struct pit *pit;
	struct ept ept;
	uint64_t entry; /* the guest image's entry point */
	/* Port I/O: the bus, and the arena its devices keep their state in (each device owns its piece). */
	struct io_bus bus;
	_Alignas(8) uint8_t device_state[VM_DEVICE_STATE_MAX];
	size_t device_state_used;
	/* Guest state the VMCS does not hold. */
	struct virtual_msrs msrs;
	uint64_t xcr0;               /* loaded into XCR0 by XSETBV emulation */
	struct guest_cpu_state cpu_state; /* in the CPU while the vCPU runs */
	/* What the CPU's VMX controls let this VM have (vm_vmcs.c): RDTSCP and RDPID (with the guest's
	 * TSC_AUX in the CPU); IA32_PAT switched by the VMCS at entry and exit. */
	bool rdtscp, pat_in_vmcs;
	/* Per-VM choices a guest makes through hypercalls, applied by exits/exit_vmcall.c. */
	bool cr3_exiting;
	uint32_t tsc_scale; /* the guest TSC runs this many times the host TSC (vm_vmcs.c); <= 1: not scaled */
	bool controls_dirty;
	struct exit_trace trace; /* VEXIT_HC_TRACE */
	struct {
		uint64_t gpa, page; /* where the guest sees it, and its host page (0: none yet) */
		bool armed;         /* out of EPT until the next access maps it */
		bool mapped;
	} demand; /* VEXIT_HC_DEMAND_PAGE (vm/demand_page.h) */
	enum vm_stop stop;
	char stop_fields[VM_STOP_FIELDS_MAX]; /* "key=value ..." for the guest-end line */
	struct entry_debug dbg; /* entry-failure explanations and debugger stops */
	struct vcpu vcpu;
};

/* Record why the VM stopped; the first stop wins. */
void vm_stop(struct vm *vm, enum vm_stop why, const char *fields_fmt, ...) __attribute__((format(printf, 3, 4)));
const char *vm_stop_name(enum vm_stop why);

/* Pages of guest memory and host pages holding the mem_pages array. */
static inline uint64_t vm_mem_pages(const struct vm *vm) { return vm->mem_size / PAGE_SIZE; }
static inline uint64_t vm_mem_array_pages(uint64_t mem_size)
{
	return (mem_size / PAGE_SIZE * sizeof(uint64_t) + PAGE_SIZE - 1) / PAGE_SIZE;
}

/* `size` zeroed bytes of the VM's device-state arena, 8-byte aligned; NULL when it is full. */
void *vm_device_state(struct vm *vm, size_t size);
/* Attach every device a VM of its kind has (vm/vm_devices.c); false, naming it in *failed, when one does not fit. */
bool vm_attach_devices(struct vm *vm, const char **failed);

#endif
