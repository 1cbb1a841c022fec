/* VMCALL: the hypercall ABI of include/vexit_abi.h. */
#include "exits/exit_handlers.h"
#include "hw/vmcs.h"
#include "vm/hypercall.h"
#include "vm/vm.h"
#include "vm/vm_vmcs.h"

enum exit_action handle_vmcall(struct vcpu *v)
{
	uint64_t args[4] = { v->gpr[GPR_RBX], v->gpr[GPR_RCX], v->gpr[GPR_RDX], v->gpr[GPR_RSI] };
	v->gpr[GPR_RAX] = hypercall(v->vm, v->gpr[GPR_RAX], args);
	if (v->vm->controls_dirty) {
		/* A hypercall changed what traps (CR3 exiting): rewrite the controls it affects. */
		uint32_t proc = (uint32_t)vmcs_read(VMCS_PROC_BASED_CONTROLS);
		vmcs_write(VMCS_PROC_BASED_CONTROLS, vmcs_proc_controls_for(v->vm, proc));
		v->vm->controls_dirty = false;
	}
	vcpu_skip_instruction(v);
	return v->vm->stop == VM_RUNNING ? EXIT_RESUME : EXIT_STOP;
}
