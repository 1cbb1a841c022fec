/* VMCALL: the hypercall ABI of include/vexit_abi.h. */
#include "exit_handlers.h"
#include "hypercall.h"
#include "vm.h"

enum exit_action handle_vmcall(struct vcpu *v)
{
	uint64_t args[4] = { v->gpr[GPR_RBX], v->gpr[GPR_RCX], v->gpr[GPR_RDX], v->gpr[GPR_RSI] };
	v->gpr[GPR_RAX] = hypercall(v->vm, v->gpr[GPR_RAX], args);
	vcpu_skip_instruction(v);
	return v->vm->stop == VM_RUNNING ? EXIT_RESUME : EXIT_STOP;
}
