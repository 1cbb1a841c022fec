#include "hv_good_vmcs.h"

#include <string.h>

#include "test_vm.h"

void hv_good_caps(struct vmx_caps *c)
{
	memset(c, 0, sizeof(*c));
	c->basic = 0x2b | VMX_BASIC_TRUE_CTLS;
	/* allowed-1 settings in bits 63:32, allowed-0 (must be 1) in bits 31:0 (SDM A.3). */
	c->pinbased = (0x7full << 32) | 0x16;
	c->procbased = (0xfff9fffeull << 32) | 0x0401e172;
	c->procbased2 = 0xffffull << 32;
	c->exit = (0x00ffffffull << 32) | 0x00036dff;
	c->entry = (0x0001ffffull << 32) | 0x000011ff;
	c->misc = 0x600401e0; /* activity states HLT, shutdown, wait-for-SIPI; 4 CR3 targets */
	c->cr0_fixed0 = 0x80000021;
	c->cr0_fixed1 = 0xffffffff;
	c->cr4_fixed0 = 0x2000;
	c->cr4_fixed1 = 0x3727ff;
	c->ept_vpid = EPT_CAP_WALK_LENGTH_4 | EPT_CAP_MEMTYPE_WB | (1ull << 8) | (1ull << 21);
}

void hv_setup_snapshot(struct vmcs_snapshot *s, uint64_t budget)
{
	struct test_vm t;
	test_vm_build(&t, "setup", budget, NULL);
	vmcs_snapshot_read(s);
	test_vm_destroy(&t);
}
