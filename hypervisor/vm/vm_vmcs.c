#include "vm/vm_vmcs.h"

#include "hw/cpu.h"
#include "hw/vmcs.h"
#include "hw/vmx_entry.h"
#include "include/x86_arch.h"
#include "kernel/cpu_tables.h"
#include "vm/guest_layout.h"
#include "vm/vm.h"
#include "vmx/cr_access.h"
#include "vmx/tsc_scale.h"
#include "vmx/vmx_caps.h"

uint32_t vmcs_proc_controls_for(const struct vm *vm, uint32_t proc)
{
	uint32_t cr3 = PROC_CR3_LOAD_EXITING | PROC_CR3_STORE_EXITING;
	proc = vm->cr3_exiting ? proc | cr3 : proc & ~cr3;
	return vmx_adjust_controls(proc, vm->caps->procbased);
}

static const char *setup_controls(struct vm *vm, uint64_t eptp)
{
	const struct vmx_caps *c = vm->caps;
	uint32_t pin, proc, proc2, exit, entry;
	/* Saved at exit, the timer counts guest time by itself (vm/guest_time.h). */
	uint32_t exit_timer = vm->vcpu.timer_saved ? EXIT_SAVE_PREEMPTION_TIMER : 0;
	/*
	 * The APIC watchdog's interrupt must force an exit (SDM 25.6.1) and be acknowledged
	 * by it (SDM 25.7.1), so that it is not left pending for the host to take.
	 */
	uint32_t exit_ack = vm->vcpu.budget_apic ? EXIT_ACK_INTERRUPT_ON_EXIT : 0;

	/*
	 * NMIs are the host's: they exit (SDM 26.2), and handle_exception_nmi applies the policy.
	 * A VM with a local APIC gets NMIs of its own (an NMI IPI): virtual NMIs make the CPU track
	 * their blocking from delivery to IRET, and give NMI-window exiting (SDM 25.6.1, 26.7.6).
	 */
	pin = PIN_NMI_EXITING | (vm->lapic ? PIN_VIRTUAL_NMIS : 0);
	if (vm->vcpu.budget_timer)
		pin |= PIN_PREEMPTION_TIMER;
	if (vm->vcpu.budget_apic)
		pin |= PIN_EXTERNAL_INTERRUPT_EXITING;
	pin = vmx_adjust_controls(pin, c->pinbased);

	/*
	 * HLT, RDPMC, CR8 and port/MSR accesses (through the bitmaps) trap; CR3
	 * accesses only when the guest asks (VEXIT_HC_CR3_EXITING), as far as the
	 * TRUE controls let them be clear. CR8 is emulated unless the VM has an APIC (below). MONITOR
	 * and MWAIT trap (to #UD): CPUID hides them, and a native MWAIT would let a
	 * guest park the physical CPU (SDM 26.1.3).
	 */
	proc = PROC_HLT_EXITING | PROC_MWAIT_EXITING | PROC_RDPMC_EXITING | PROC_MONITOR_EXITING |
	       PROC_USE_IO_BITMAPS | PROC_USE_MSR_BITMAPS | PROC_ACTIVATE_SECONDARY;
	/* The guest's TSC is the host's plus the VM's offset, with no exit (SDM 26.3, RDTSC; 25.6.5). */
	proc |= PROC_USE_TSC_OFFSETTING;
	/*
	 * A VM with a local APIC (vm/lapic.h) keeps CR8 in its virtual-APIC page: TPR shadow
	 * (SDM 30.3: MOV to/from CR8 reads and writes VTPR, no exit with a threshold of 0),
	 * APIC accesses virtualized and registers read from that page (SDM 30.4).
	 */
	uint32_t apic2 = PROC2_VIRTUALIZE_APIC_ACCESSES | PROC2_APIC_REGISTER_VIRT;
	proc |= vm->lapic ? PROC_USE_TPR_SHADOW : PROC_CR8_LOAD_EXITING | PROC_CR8_STORE_EXITING;
	proc = vmcs_proc_controls_for(vm, proc);
	/*
	 * An external kernel starts in protected mode with paging off and switches
	 * modes itself: unrestricted guest (vm_setup_vmx checked the CPU has it), and
	 * IA-32e mode guest off until it turns paging on with EFER.LME (exit_cr.c).
	 */
	bool external = vm->kind == VM_EXTERNAL_KERNEL;
	/* RDTSCP and RDPID, which #UD without "enable RDTSCP" (SDM 26.3), read the guest's TSC_AUX. */
	proc2 = vmx_adjust_controls(PROC2_ENABLE_EPT | PROC2_WBINVD_EXITING | PROC2_ENABLE_RDTSCP |
					    (external ? PROC2_UNRESTRICTED_GUEST : 0) | (vm->lapic ? apic2 : 0),
				    c->procbased2);
	vm->rdtscp = proc2 & PROC2_ENABLE_RDTSCP;
	/*
	 * The guest's IA32_PAT is loaded at entry and saved at exit, the host's loaded at exit
	 * (SDM 27.3.2.1, 28.3.1, 28.5.1), where the CPU has all three controls; else the PAT
	 * is a value the hypervisor holds (docs/guest-abi.md).
	 */
	uint32_t pat_exit = EXIT_SAVE_IA32_PAT | EXIT_LOAD_IA32_PAT;
	vm->pat_in_vmcs = vmx_control_allowed(EXIT_SAVE_IA32_PAT, c->exit) &&
			  vmx_control_allowed(EXIT_LOAD_IA32_PAT, c->exit) &&
			  vmx_control_allowed(ENTRY_LOAD_IA32_PAT, c->entry);
	/* The guest's DR7 and DEBUGCTL travel in the VMCS (SDM 27.3.2.1, 28.3.1); the host's are reset at exit. */
	/*
	 * A scaled TSC (the kernel option tscscale.NAME, for kvm-unit-tests' vmexit in make bench):
	 * RDTSC returns the TSC times the multiplier, a fixed-point number with 48 fraction bits,
	 * plus the offset, with "use TSC offsetting" (SDM 25.6.5, 26.3). IA32_TSC as vexit emulates
	 * it (vm/virtual_msr.c) and the local APIC's timer read the same scaled clock (vmx/tsc_scale.h).
	 */
	bool scaled = vm->tsc_scale > 1;
	if (scaled)
		proc2 = vmx_adjust_controls(proc2 | PROC2_USE_TSC_SCALING, c->procbased2);
	exit = vmx_adjust_controls(EXIT_SAVE_DEBUG_CONTROLS | EXIT_HOST_ADDR_SPACE_SIZE | EXIT_SAVE_IA32_EFER |
					   EXIT_LOAD_IA32_EFER | exit_timer | exit_ack | (vm->pat_in_vmcs ? pat_exit : 0),
				   c->exit);
	entry = vmx_adjust_controls(ENTRY_LOAD_DEBUG_CONTROLS | (external ? 0 : ENTRY_IA32E_MODE_GUEST) |
					    ENTRY_LOAD_IA32_EFER | (vm->pat_in_vmcs ? ENTRY_LOAD_IA32_PAT : 0),
				    c->entry);

	if (!(pin & PIN_NMI_EXITING))
		return "no-nmi-exiting";
	if (!(proc & PROC_USE_TSC_OFFSETTING))
		return "no-tsc-offsetting";
	if (!(proc & PROC_USE_IO_BITMAPS))
		return "no-io-bitmaps";
	if (!(proc & PROC_USE_MSR_BITMAPS))
		return "no-msr-bitmaps";
	if (!vm->lapic && (!(proc & PROC_CR8_LOAD_EXITING) || !(proc & PROC_CR8_STORE_EXITING)))
		return "no-cr8-exiting";
	if (vm->lapic && (!(proc & PROC_USE_TPR_SHADOW) || (proc2 & apic2) != apic2))
		return "no-apic-virtualization";
	if (!(proc & PROC_ACTIVATE_SECONDARY) || !(proc2 & PROC2_ENABLE_EPT))
		return "no-ept";
	if (external && !(proc2 & PROC2_UNRESTRICTED_GUEST))
		return "no-unrestricted-guest";
	if (!(exit & EXIT_HOST_ADDR_SPACE_SIZE) || !vmx_control_allowed(ENTRY_IA32E_MODE_GUEST, c->entry) ||
	    (!external && !(entry & ENTRY_IA32E_MODE_GUEST)))
		return "no-64-bit-guest";
	if (!(exit & EXIT_LOAD_IA32_EFER) || !(entry & ENTRY_LOAD_IA32_EFER))
		return "no-efer-load";
	if (!(exit & EXIT_SAVE_DEBUG_CONTROLS) || !(entry & ENTRY_LOAD_DEBUG_CONTROLS))
		return "no-debug-controls";
	if (vm->vcpu.budget_apic && (!(pin & PIN_EXTERNAL_INTERRUPT_EXITING) || !(exit & EXIT_ACK_INTERRUPT_ON_EXIT)))
		return "no-interrupt-exiting";
	if (scaled && !(proc2 & PROC2_USE_TSC_SCALING))
		return "no-tsc-scaling";

	vm->vcpu.irq.virtual_nmis = (pin & PIN_VIRTUAL_NMIS) != 0;
	vm->vcpu.irq.windows = 0;
	vmcs_write(VMCS_PIN_BASED_CONTROLS, pin);
	vmcs_write(VMCS_PROC_BASED_CONTROLS, proc);
	vmcs_write(VMCS_PROC_BASED_CONTROLS2, proc2);
	vmcs_write(VMCS_EXIT_CONTROLS, exit);
	vmcs_write(VMCS_ENTRY_CONTROLS, entry);
	/* Only machine checks: they are the host's (handle_exception_nmi); every other exception is the guest's. */
	vmcs_write(VMCS_EXCEPTION_BITMAP, 1u << VECTOR_MC);
	vmcs_write(VMCS_CR3_TARGET_COUNT, 0);
	vmcs_write(VMCS_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write(VMCS_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write(VMCS_ENTRY_INTR_INFO, 0);
	vmcs_write(VMCS_IO_BITMAP_A, vm->io_bitmap_a);
	vmcs_write(VMCS_IO_BITMAP_B, vm->io_bitmap_b);
	vmcs_write(VMCS_MSR_BITMAP, vm->msr_bitmap);
	vmcs_write(VMCS_EPT_POINTER, eptp);
	/*
	 * A new VM's TSC counts from 0 here, just before its first entry, as a CPU's does from RESET
	 * (SDM Vol. 3B 18.17): the offset takes back the host's TSC as the guest reads it, scaled.
	 */
	vm->msrs.tsc_multiplier = scaled ? (uint64_t)vm->tsc_scale << 48 : TSC_MULTIPLIER_ONE;
	vm->msrs.tsc_offset = 0 - tsc_scaled(rdtsc(), vm->msrs.tsc_multiplier);
	vmcs_write(VMCS_TSC_OFFSET, vm->msrs.tsc_offset);
	if (scaled)
		vmcs_write(VMCS_TSC_MULTIPLIER, vm->msrs.tsc_multiplier);
	if (vm->pat_in_vmcs) {
		vmcs_write(VMCS_HOST_IA32_PAT, rdmsr(MSR_IA32_PAT));
		vmcs_write(VMCS_GUEST_IA32_PAT, vm->msrs.pat);
	}
	if (vm->lapic) {
		vmcs_write(VMCS_VIRTUAL_APIC_ADDR, (uint64_t)(uintptr_t)vm->lapic->page);
		vmcs_write(VMCS_APIC_ACCESS_ADDRESS, vm->apic_access_page);
		vmcs_write(VMCS_TPR_THRESHOLD, 0);
	}
	return NULL;
}

/* SDM 27.2.2 and 27.2.3: the host state is what this kernel runs with now. */
static void setup_host_state(void)
{
	struct desc_ptr gdtr, idtr;
	sgdt(&gdtr);
	sidt(&idtr);

	vmcs_write(VMCS_HOST_CR0, read_cr0());
	vmcs_write(VMCS_HOST_CR3, read_cr3());
	vmcs_write(VMCS_HOST_CR4, read_cr4());
	vmcs_write(VMCS_HOST_CS_SELECTOR, SEL_CODE64);
	vmcs_write(VMCS_HOST_SS_SELECTOR, SEL_DATA);
	vmcs_write(VMCS_HOST_DS_SELECTOR, SEL_DATA);
	vmcs_write(VMCS_HOST_ES_SELECTOR, SEL_DATA);
	vmcs_write(VMCS_HOST_FS_SELECTOR, 0);
	vmcs_write(VMCS_HOST_GS_SELECTOR, 0);
	vmcs_write(VMCS_HOST_TR_SELECTOR, SEL_TSS);
	vmcs_write(VMCS_HOST_FS_BASE, rdmsr(MSR_IA32_FS_BASE));
	vmcs_write(VMCS_HOST_GS_BASE, rdmsr(MSR_IA32_GS_BASE));
	vmcs_write(VMCS_HOST_TR_BASE, cpu_tables_tss_base());
	vmcs_write(VMCS_HOST_GDTR_BASE, gdtr.base);
	vmcs_write(VMCS_HOST_IDTR_BASE, idtr.base);
	vmcs_write(VMCS_HOST_IA32_SYSENTER_CS, 0);
	vmcs_write(VMCS_HOST_IA32_SYSENTER_ESP, 0);
	vmcs_write(VMCS_HOST_IA32_SYSENTER_EIP, 0);
	vmcs_write(VMCS_HOST_IA32_EFER, rdmsr(MSR_IA32_EFER));
	vmcs_write(VMCS_HOST_RIP, (uint64_t)vmx_exit_entry_point);
	/* HOST_RSP is written by vmx_run (hw/vmx_entry.S), once per run of the vCPU. */
}

static void setup_segment(uint32_t sel_field, uint16_t sel, uint32_t ar)
{
	/* The selector, base, limit and access-rights fields of one segment are laid out in step (appendix B). */
	uint32_t n = (sel_field - VMCS_GUEST_ES_SELECTOR) / 2;
	vmcs_write(sel_field, sel);
	vmcs_write(VMCS_GUEST_ES_BASE + 2 * n, 0);
	vmcs_write(VMCS_GUEST_ES_LIMIT + 2 * n, 0xffffffff);
	vmcs_write(VMCS_GUEST_ES_ACCESS_RIGHTS + 2 * n, ar);
}

/* What differs between the two kinds of guest at their first entry. */
struct entry_state {
	uint64_t cr0, cr4, cr3, rsp;
	uint32_t code_ar;
	uint16_t tr_selector;
	uint64_t tr_base, gdtr_base, gdtr_limit;
};

/*
 * A vexit test guest (SDM 27.3.1): 64-bit mode with paging on vexit's page
 * tables, flat segments, the GDT and TSS of vm/guest_layout.h, no interrupts.
 */
static const struct entry_state test_guest_entry = {
	.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG,
	.cr4 = CR4_PAE,
	.cr3 = GUEST_PML4,
	.rsp = GUEST_STACK_TOP,
	.code_ar = AR_CODE64,
	.tr_selector = GUEST_SEL_TSS,
	.tr_base = GUEST_TSS,
	.gdtr_base = GUEST_GDT,
	.gdtr_limit = GUEST_GDT_LIMIT,
};

/*
 * An external kernel, as a multiboot boot loader enters it (Multiboot 0.6.96,
 * 3.2): 32-bit protected mode, paging off, flat 4 GiB code and data segments,
 * interrupts off; GDTR and IDTR are the kernel's to load (zero here); EAX and
 * EBX were set by the loader (vm_build.c). TR must still be a usable busy TSS
 * for VM entry (SDM 27.3.1.2): one at 0 that the kernel never sees unless it
 * uses TR before loading its own.
 */
static const struct entry_state external_kernel_entry = {
	.cr0 = CR0_PE | CR0_ET,
	.code_ar = AR_CODE32,
};

static void setup_guest_state(struct vm *vm, const struct entry_state *e, uint64_t entry_rip)
{
	const struct vmx_caps *c = vm->caps;

	/* The guest owns no CR0/CR4 bit: it reads the shadows, and any write exits (exit_cr.c). */
	vmcs_write(VMCS_CR0_GUEST_HOST_MASK, ~0ull);
	vmcs_write(VMCS_CR4_GUEST_HOST_MASK, ~0ull);
	vmcs_write(VMCS_CR0_READ_SHADOW, e->cr0);
	vmcs_write(VMCS_CR4_READ_SHADOW, e->cr4);
	vmcs_write(VMCS_GUEST_CR0, cr0_real(e->cr0, vm->cr0_fixed0, c->cr0_fixed1));
	vmcs_write(VMCS_GUEST_CR4, cr4_real(e->cr4, c->cr4_fixed0, c->cr4_fixed1));
	vmcs_write(VMCS_GUEST_CR3, e->cr3);
	vmcs_write(VMCS_GUEST_IA32_EFER, vm->msrs.efer);

	setup_segment(VMCS_GUEST_CS_SELECTOR, GUEST_SEL_CODE, e->code_ar);
	setup_segment(VMCS_GUEST_SS_SELECTOR, GUEST_SEL_DATA, AR_DATA);
	setup_segment(VMCS_GUEST_DS_SELECTOR, GUEST_SEL_DATA, AR_DATA);
	setup_segment(VMCS_GUEST_ES_SELECTOR, GUEST_SEL_DATA, AR_DATA);
	setup_segment(VMCS_GUEST_FS_SELECTOR, GUEST_SEL_DATA, AR_DATA);
	setup_segment(VMCS_GUEST_GS_SELECTOR, GUEST_SEL_DATA, AR_DATA);
	vmcs_write(VMCS_GUEST_LDTR_SELECTOR, 0);
	vmcs_write(VMCS_GUEST_LDTR_BASE, 0);
	vmcs_write(VMCS_GUEST_LDTR_LIMIT, 0);
	vmcs_write(VMCS_GUEST_LDTR_ACCESS_RIGHTS, AR_UNUSABLE);
	vmcs_write(VMCS_GUEST_TR_SELECTOR, e->tr_selector);
	vmcs_write(VMCS_GUEST_TR_BASE, e->tr_base);
	vmcs_write(VMCS_GUEST_TR_LIMIT, GUEST_TSS_LIMIT);
	vmcs_write(VMCS_GUEST_TR_ACCESS_RIGHTS, AR_TSS_BUSY);
	vmcs_write(VMCS_GUEST_GDTR_BASE, e->gdtr_base);
	vmcs_write(VMCS_GUEST_GDTR_LIMIT, e->gdtr_limit);
	vmcs_write(VMCS_GUEST_IDTR_BASE, 0);
	vmcs_write(VMCS_GUEST_IDTR_LIMIT, 0);

	vmcs_write(VMCS_GUEST_RIP, entry_rip);
	vmcs_write(VMCS_GUEST_RSP, e->rsp);
	vmcs_write(VMCS_GUEST_RFLAGS, RFLAGS_FIXED1);
	vmcs_write(VMCS_GUEST_DR7, DR7_FIXED1);
	vmcs_write(VMCS_GUEST_IA32_DEBUGCTL, 0);
	vmcs_write(VMCS_GUEST_IA32_SYSENTER_CS, 0);
	vmcs_write(VMCS_GUEST_IA32_SYSENTER_ESP, 0);
	vmcs_write(VMCS_GUEST_IA32_SYSENTER_EIP, 0);
	vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, 0);
	vmcs_write(VMCS_GUEST_ACTIVITY_STATE, 0);
	vmcs_write(VMCS_GUEST_PENDING_DEBUG, 0);
	/* SDM 27.3.1.5: no VMCS shadowing, so the link pointer must be all ones. */
	vmcs_write(VMCS_LINK_POINTER, ~0ull);
}

const char *vmcs_setup(struct vm *vm, uint64_t eptp, uint64_t entry_rip)
{
	const char *err = setup_controls(vm, eptp);
	if (err)
		return err;
	setup_host_state();
	setup_guest_state(vm, vm->kind == VM_EXTERNAL_KERNEL ? &external_kernel_entry : &test_guest_entry, entry_rip);
	return NULL;
}
