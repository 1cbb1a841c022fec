#include "vmx/vmx_off.h"

#include "hw/cpu.h"
#include "include/x86_arch.h"

bool vmx_off(struct vmx_root *root, struct vmx_off_report *out)
{
	if (!root->on)
		return false;
	root->on = false;
	*out = (struct vmx_off_report){ .cleared_vmcs = vmptrst(), .vmclear = VMX_OK };
	if (out->cleared_vmcs != VMCS_NONE)
		out->vmclear = vmclear(out->cleared_vmcs);
	/* SDM 31.3, VMXOFF: leaves VMX operation; INIT and SMIs are no longer blocked (SDM 24.8). */
	out->vmxoff = vmxoff();
	if (out->vmxoff == VMX_OK)
		write_cr4(read_cr4() & ~CR4_VMXE);
	out->vmxe_cleared = !(read_cr4() & CR4_VMXE);
	out->vmread_ud = vmread_raises_ud();
	return true;
}
