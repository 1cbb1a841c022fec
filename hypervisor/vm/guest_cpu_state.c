#include "vm/guest_cpu_state.h"

#include <stddef.h>

#include "hw/cpu.h"
#include "include/x86_arch.h"
#include "vm/vm.h"

/* The MSRs SYSCALL, SYSRET and SWAPGS use without an exit, and where the VM's MSR table keeps each. */
static const struct {
	uint32_t msr;
	size_t slot;
} held_msrs[] = {
	{ MSR_IA32_STAR, offsetof(struct virtual_msrs, star) },
	{ MSR_IA32_LSTAR, offsetof(struct virtual_msrs, lstar) },
	{ MSR_IA32_CSTAR, offsetof(struct virtual_msrs, cstar) },
	{ MSR_IA32_FMASK, offsetof(struct virtual_msrs, fmask) },
	{ MSR_IA32_KERNEL_GS_BASE, offsetof(struct virtual_msrs, kernel_gs_base) },
};
#define N_HELD_MSRS (sizeof(held_msrs) / sizeof(held_msrs[0]))

static uint64_t *held_slot(struct virtual_msrs *m, unsigned i)
{
	return (uint64_t *)(void *)((uint8_t *)m + held_msrs[i].slot);
}

bool guest_cpu_state_msr(const struct vm *vm, uint32_t msr)
{
	if (msr == MSR_IA32_TSC_AUX)
		return vm->rdtscp;
	for (unsigned i = 0; i < N_HELD_MSRS; i++)
		if (held_msrs[i].msr == msr)
			return true;
	return false;
}

void guest_cpu_state_init(struct guest_cpu_state *s, uint8_t *area, uint64_t xsave_mask, uint32_t area_bytes,
			  bool xsaveopt)
{
	*s = (struct guest_cpu_state){ .dr6 = DR6_FIXED1, .area = area, .offer = { xsave_mask, area_bytes },
				       .xsaveopt = xsaveopt };
	/*
	 * The XSAVE header's XSTATE_BV is 0 (a zeroed page): XRSTOR puts every
	 * component in its initial state (SDM Vol. 1 13.8.1), but for MXCSR, which
	 * it loads from the legacy region whenever SSE or AVX is requested. FXRSTOR
	 * (no XSAVE) loads the whole legacy region: the initial FCW and MXCSR, an
	 * all-empty tag word and zero registers are what FNINIT and reset give.
	 */
	area[FXSAVE_FCW] = FCW_INIT & 0xff;
	area[FXSAVE_FCW + 1] = FCW_INIT >> 8;
	area[FXSAVE_MXCSR] = MXCSR_INIT & 0xff;
	area[FXSAVE_MXCSR + 1] = MXCSR_INIT >> 8;
}

void guest_cpu_state_load(struct vm *vm)
{
	struct guest_cpu_state *s = &vm->cpu_state;
	if (s->offer.xcr0) {
		/* Restore every component, whatever XCR0 the last VM left, then give the guest its own XCR0. */
		xsetbv(0, s->offer.xcr0);
		xrstor(s->area, s->offer.xcr0);
		xsetbv(0, vm->xcr0);
	} else {
		fxrstor(s->area);
	}
	for (unsigned i = 0; i < 4; i++)
		write_dr(i, s->dr[i]);
	write_dr(6, s->dr6);
	write_cr2(s->cr2);
	for (unsigned i = 0; i < N_HELD_MSRS; i++)
		wrmsr(held_msrs[i].msr, *held_slot(&vm->msrs, i));
	/* RDTSCP and RDPID read TSC_AUX without an exit once "enable RDTSCP" is set; no instruction writes it. */
	if (vm->rdtscp)
		wrmsr(MSR_IA32_TSC_AUX, vm->msrs.tsc_aux);
}

void guest_cpu_state_save(struct vm *vm)
{
	struct guest_cpu_state *s = &vm->cpu_state;
	for (unsigned i = 0; i < 4; i++)
		s->dr[i] = read_dr(i);
	s->dr6 = read_dr(6);
	s->cr2 = read_cr2();
	/* Only SWAPGS changes one of them without an exit; WRMSR emulation keeps the table current. */
	vm->msrs.kernel_gs_base = rdmsr(MSR_IA32_KERNEL_GS_BASE);
	if (s->offer.xcr0) {
		xsetbv(0, s->offer.xcr0);
		if (s->xsaveopt)
			xsaveopt(s->area, s->offer.xcr0);
		else
			xsave(s->area, s->offer.xcr0);
	} else {
		fxsave(s->area);
	}
}
