#include "vm/vm_cpuid.h"

#include "hw/cpu.h"
#include "vm/vm.h"
#include "vmx/cpuid_table.h"

struct cpuid_vm vm_cpuid_state(const struct vm *vm, uint64_t cr4)
{
	return (struct cpuid_vm){
		.cr4 = cr4,
		.misc_enable = vm->msrs.misc_enable,
		/* CPUID.01H:EDX.APIC follows IA32_APIC_BASE's global enable (SDM Vol. 3A 11.4.3). */
		.apic = vm->lapic && (vm->msrs.apic_base & APIC_BASE_ENABLE),
		.rdtscp = vm->rdtscp,
		.xsave = &vm->cpu_state.offer,
	};
}

void vm_cpuid_refill(struct vm *vm)
{
	struct cpuid_vm state = vm_cpuid_state(vm, 0); /* the table does not read CR4: it notes what OSXSAVE moves */
	cpuid_table_fill(&vm->vcpu.cpuid, &state, cpuid);
}
