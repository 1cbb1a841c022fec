/*
 * Exits of the virtualized local APIC (vm/lapic.h). With APIC-register
 * virtualization the guest reads its registers from the virtual-APIC page without
 * exiting, and a write to one of the registers SDM 30.4.3.1 lists is stored there and
 * then exits, trap-like, as an APIC write (SDM 30.4.3.3: qualification bits 11:0 are
 * the offset, RIP already past the instruction). Every other access exits, fault-like,
 * as an APIC access (SDM 30.4.1): reads of the timer's current count and of unlisted
 * offsets, writes to read-only registers: vexit decodes the instruction (vmx/mmio_decode.h)
 * and emulates it.
 */
#include "exits/exit_handlers.h"
#include "hw/cpu.h"
#include "hw/vmcs.h"
#include "include/x86_arch.h"
#include "vm/guest_mem.h"
#include "vm/guest_time.h"
#include "vm/vm.h"
#include "vmx/ept.h"
#include "vmx/mmio_decode.h"
#include "vmx/tsc_scale.h"

/* SDM 28.2.1, table 28-6: the APIC-access exit qualification. */
#define APIC_ACCESS_OFFSET(q) ((unsigned)(q) & 0xfffu)
#define APIC_ACCESS_TYPE(q) (((q) >> 12) & 0xfu)
#define APIC_ACCESS_LINEAR_READ 0
#define APIC_ACCESS_LINEAR_WRITE 1
#define APIC_ACCESS_FETCH 2

static void apply_effect(struct vcpu *v, enum lapic_effect e);

/* The guest's TSC: the CPU's, scaled by the VMCS TSC multiplier, plus the TSC offset (vmx/tsc_scale.h). */
static uint64_t guest_tsc(const struct vcpu *v)
{
	const struct virtual_msrs *m = &v->vm->msrs;
	return tsc_guest(rdtsc(), m->tsc_multiplier, m->tsc_offset);
}

enum exit_action handle_apic_write(struct vcpu *v)
{
	struct vm *vm = v->vm;
	unsigned offset = APIC_ACCESS_OFFSET(vcpu_exit_qualification(v));
	if (!vm->lapic) { /* the controls of a VM without an APIC make none (vm/vm_vmcs.c) */
		vm_stop(vm, VM_STOP_UNHANDLED_EXIT, "reason=APIC_WRITE offset=0x%x rip=0x%lx why=no-apic", offset, v->rip);
		return EXIT_STOP;
	}
	apply_effect(v, lapic_write(vm->lapic, offset, guest_tsc(v)));
	return EXIT_RESUME;
}

/*
 * The APIC timer counts the guest's TSC (vm/lapic.h: the clock the guest reads with RDTSC), as a CPU's counts its crystal clock whatever runs: time the hypervisor spends on the
 * guest's exits passes for the timer too, as it does on hardware. The preemption timer counts only
 * guest time, never faster than the host's TSC, so arming it for the host ticks in which the guest's
 * TSC (scaled, with tscscale) covers what is left brings the VM back at or after the expiry.
 */
void apic_timer_sync(struct vcpu *v)
{
	struct lapic *a = v->vm->lapic;
	if (!a)
		return;
	uint64_t now = guest_tsc(v);
	if (lapic_timer_tick(a, now))
		irq_kick(v);
	uint64_t wake = UINT64_MAX;
	if (a->timer_next != LAPIC_TIMER_NEVER)
		wake = guest_time_ticks(v) +
		       tsc_host_ticks(a->timer_next > now ? a->timer_next - now : 0, v->vm->msrs.tsc_multiplier);
	guest_time_set_wake(v, WAKE_APIC_TIMER, wake);
}

/*
 * IA32_TSC_DEADLINE (SDM Vol. 3A 11.5.4.1), the one MSR of the local APIC's in xAPIC mode,
 * compared with the guest's TSC.
 */
bool apic_msr_read(struct vcpu *v, uint32_t msr, uint64_t *value)
{
	if (msr != MSR_IA32_TSC_DEADLINE || !v->vm->lapic)
		return false;
	*value = v->vm->lapic->tsc_deadline;
	return true;
}

bool apic_msr_write(struct vcpu *v, uint32_t msr, uint64_t value)
{
	if (msr != MSR_IA32_TSC_DEADLINE || !v->vm->lapic)
		return false;
	lapic_tsc_deadline_write(v->vm->lapic, value, guest_tsc(v));
	apic_timer_sync(v); /* a deadline already passed fires before the next instruction */
	return true;
}

/*
 * The window exits (SDM 26.7.5, 26.7.6) and a TPR lowered below the threshold (SDM 30.1.2):
 * what was held back may go in now; vm/irq.c decides before the entry. All are trap-like:
 * RIP is where the guest goes on.
 */
enum exit_action handle_interrupt_window(struct vcpu *v)
{
	irq_kick(v);
	return EXIT_RESUME;
}

/* Give an effect of the APIC (vm/lapic.h) to the vCPU. */
static void apply_effect(struct vcpu *v, enum lapic_effect e)
{
	switch (e) {
	case LAPIC_EVALUATE:
		irq_kick(v);
		apic_timer_sync(v);
		break;
	case LAPIC_NMI: irq_raise_nmi(v); break;
	case LAPIC_DONE: break;
	}
}

/*
 * The instruction at the guest's RIP, read as the CPU fetched it: in 64-bit mode through the
 * guest's 4-level paging, or with paging off; 32-bit and PAE paging are not walked (no kernel
 * touches its APIC there yet) and 16-bit code is not decoded: false.
 */
static bool fetch_instruction(struct vcpu *v, struct mmio_insn *in)
{
	uint64_t efer = vmcs_read(VMCS_GUEST_IA32_EFER), cs_ar = vmcs_read(VMCS_GUEST_CS_ACCESS_RIGHTS);
	bool long_mode = (efer & EFER_LMA) && (cs_ar & AR_L), paging = vmcs_read(VMCS_GUEST_CR0) & CR0_PG;
	if ((!long_mode && !(cs_ar & AR_DB)) || (paging && !(efer & EFER_LMA)))
		return false;
	uint64_t la = (long_mode ? 0 : vmcs_read(VMCS_GUEST_CS_BASE)) + v->rip;
	struct guest_paging pg;
	vcpu_guest_paging(v, &pg);
	uint8_t bytes[MMIO_INSN_MAX];
	unsigned n = 0;
	while (n < MMIO_INSN_MAX) {
		uint64_t at = la + n, gpa = at;
		uint32_t pf_error;
		unsigned chunk = PAGE_SIZE - (unsigned)(at & (PAGE_SIZE - 1));
		if (chunk > MMIO_INSN_MAX - n)
			chunk = MMIO_INSN_MAX - n;
		if (paging && guest_walk(v->vm, &pg, at, GUEST_ACCESS_FETCH, &gpa, &pf_error) != GUEST_WALK_OK)
			break;
		if (!guest_mem_read(v->vm, gpa, bytes + n, chunk))
			break;
		n += chunk;
	}
	return mmio_decode(bytes, n, long_mode, in);
}

/*
 * Emulate the access at `offset` of the APIC page that exited, fault-like, before the instruction
 * did anything (SDM 30.4.1 for an APIC access, 29.3.3.2 for an EPT violation): decode it, do its
 * access, move RIP past it. A globally disabled APIC's page is no longer the APIC's (SDM Vol. 3A
 * 11.4.3): nothing answers there, reads return all ones and writes go nowhere, as on a PC bus.
 * False: the instruction is not one vexit decodes, or it did not make that kind of access.
 */
static bool emulate_apic_page(struct vcpu *v, unsigned offset, bool write)
{
	struct lapic *a = v->vm->lapic;
	struct mmio_insn in;
	if (!fetch_instruction(v, &in) || in.write != write)
		return false;
	uint64_t now = guest_tsc(v);
	if (in.write) {
		uint64_t value = mmio_store_value(&in, in.has_imm ? 0 : vcpu_gpr(v, in.reg));
		if (!a->disabled)
			apply_effect(v, lapic_mmio_write(a, offset, in.size, value, now));
	} else {
		uint64_t value = a->disabled ? ~0ull : lapic_mmio_read(a, offset, in.size, now);
		vcpu_set_gpr(v, in.reg, mmio_load_result(&in, vcpu_gpr(v, in.reg), value));
	}
	vcpu_advance(v, in.length);
	return true;
}

enum exit_action handle_apic_access(struct vcpu *v)
{
	uint64_t q = vcpu_exit_qualification(v);
	unsigned type = APIC_ACCESS_TYPE(q);
	const char *access = type == APIC_ACCESS_LINEAR_READ    ? "read"
			     : type == APIC_ACCESS_LINEAR_WRITE ? "write"
			     : type == APIC_ACCESS_FETCH        ? "fetch"
								: "other";
	/* Linear reads and writes are emulated; a fetch from the page, or an access by event delivery, is not. */
	bool data = type == APIC_ACCESS_LINEAR_READ || type == APIC_ACCESS_LINEAR_WRITE;
	if (v->vm->lapic && data && emulate_apic_page(v, APIC_ACCESS_OFFSET(q), type == APIC_ACCESS_LINEAR_WRITE))
		return EXIT_RESUME;
	/* An access by event delivery (types 3 and 10, SDM 28.2.1 table 28-6) names the event (SDM 28.2.4). */
	char during[VCPU_INTERRUPTED_FIELD_MAX];
	vcpu_interrupted_field(during);
	vm_stop(v->vm, VM_STOP_UNHANDLED_EXIT, "reason=APIC_ACCESS offset=0x%x access=%s rip=0x%lx why=%s%s",
		APIC_ACCESS_OFFSET(q), access, v->rip, v->vm->lapic && data ? "not-decoded" : "not-emulated", during);
	return EXIT_STOP;
}

bool apic_disabled_page_access(struct vcpu *v, uint64_t gpa, uint64_t qualification)
{
	struct lapic *a = v->vm->lapic;
	uint64_t page = gpa & ~(uint64_t)(PAGE_SIZE - 1);
	if (!a || !a->disabled || page != APIC_BASE_PAGE(v->vm->msrs.apic_base) || (qualification & 4))
		return false; /* SDM 28.2.1 table 28-7: bit 2, a fetch */
	return emulate_apic_page(v, (unsigned)(gpa & (PAGE_SIZE - 1)), qualification & 2);
}

/* What guest memory holds at the page at gpa once the APIC has left it: its RAM, or nothing. */
static bool apic_page_vacated(struct vm *vm, uint64_t gpa)
{
	if (gpa < vm->mem_size)
		return ept_map_memory_page(&vm->ept, gpa, vm->mem_pages[gpa / PAGE_SIZE]);
	return ept_unmap_page(&vm->ept, gpa);
}

bool apic_base_written(struct vcpu *v, uint64_t old_base)
{
	struct vm *vm = v->vm;
	uint64_t new_base = vm->msrs.apic_base;
	bool was = old_base & APIC_BASE_ENABLE, now = new_base & APIC_BASE_ENABLE;
	uint64_t from = APIC_BASE_PAGE(old_base), to = APIC_BASE_PAGE(new_base);
	if (was == now && (from == to || !now))
		return true;
	/*
	 * The APIC answers at its base only while enabled (SDM Vol. 3A 11.4.3), wherever software puts
	 * it (11.4.4): EPT maps the APIC-access page there, and what the page covered before shows
	 * again at the old base. A base EPT cannot map alone (inside a 2 MiB page of guest memory, or
	 * no memory for a table) keeps the old value and is #GP, before anything changed.
	 */
	if (now && !ept_map_page(&vm->ept, to, vm->apic_access_page))
		return false;
	if (was && !(now && from == to))
		apic_page_vacated(vm, from); /* mapped before: its table is there */
	lapic_global_enable(vm->lapic, was, now);
	if (was != now) {
		/*
		 * Disabled, APIC accesses stop being virtualized, so that each access to the base exits as
		 * an EPT violation and apic_disabled_page_access emulates the empty bus. The TPR shadow
		 * stays: CR8 still works, as on the CPU. Enabled again, both come back.
		 */
		uint64_t proc2 = vmcs_read(VMCS_PROC_BASED_CONTROLS2);
		if (now)
			proc2 |= PROC2_VIRTUALIZE_APIC_ACCESSES;
		else
			proc2 &= ~(uint64_t)PROC2_VIRTUALIZE_APIC_ACCESSES;
		vmcs_write(VMCS_PROC_BASED_CONTROLS2, proc2);
	}
	ept_invalidate(vm->caps, vmcs_read(VMCS_EPT_POINTER)); /* SDM 29.4.3.1: the old translation may be cached */
	apply_effect(v, LAPIC_EVALUATE);
	return true;
}
