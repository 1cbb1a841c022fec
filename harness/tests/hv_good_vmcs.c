#include "hv_good_vmcs.h"

#include <string.h>

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

void hv_good_snapshot(struct vmcs_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->maxphyaddr = 40;
	s->linear_width = 48;
	s->pin = 0x16;
	s->proc = 0x0401e172 | PROC_HLT_EXITING | PROC_RDPMC_EXITING | PROC_USE_IO_BITMAPS | PROC_USE_MSR_BITMAPS |
		  PROC_ACTIVATE_SECONDARY;
	s->proc2 = PROC2_ENABLE_EPT;
	s->exit_ctls = 0x00036dff | EXIT_HOST_ADDR_SPACE_SIZE | EXIT_SAVE_IA32_EFER | EXIT_LOAD_IA32_EFER;
	s->entry_ctls = 0x000011ff | ENTRY_IA32E_MODE_GUEST | ENTRY_LOAD_IA32_EFER;
	s->io_bitmap_a = 0x1b80000;
	s->io_bitmap_b = 0x1b81000;
	s->msr_bitmap = 0x1b82000;
	s->eptp = 0x1b83000 | 6 | (3 << 3);
	s->host_cr0 = 0x80000033;
	s->host_cr3 = 0x105000;
	s->host_cr4 = 0x2020;
	s->host_cs_sel = 0x08;
	s->host_ss_sel = s->host_ds_sel = s->host_es_sel = 0x10;
	s->host_tr_sel = 0x18;
	s->host_tr_base = 0x108000;
	s->host_gdtr_base = 0x107000;
	s->host_idtr_base = 0x109000;
	s->host_efer = 0x500;
	s->host_rip = 0x101000;
	s->host_rsp = 0x1ff000;
	s->guest_cr0 = 0x80010033;
	s->guest_cr3 = 0x1000;
	s->guest_cr4 = 0x2020;
	s->guest_dr7 = 0x400;
	s->guest_efer = 0x500;
	s->guest_rip = 0x10000;
	s->guest_rsp = 0x200000;
	s->guest_rflags = 0x2;
	s->guest_cs_sel = 0x08;
	s->guest_cs_limit = 0xffffffff;
	s->guest_cs_ar = 0xa09b;
	uint64_t *data_sel[] = { &s->guest_ss_sel, &s->guest_ds_sel, &s->guest_es_sel, &s->guest_fs_sel, &s->guest_gs_sel };
	uint64_t *data_limit[] = { &s->guest_ss_limit, &s->guest_ds_limit, &s->guest_es_limit, &s->guest_fs_limit,
				   &s->guest_gs_limit };
	uint64_t *data_ar[] = { &s->guest_ss_ar, &s->guest_ds_ar, &s->guest_es_ar, &s->guest_fs_ar, &s->guest_gs_ar };
	for (unsigned i = 0; i < 5; i++) {
		*data_sel[i] = 0x10;
		*data_limit[i] = 0xffffffff;
		*data_ar[i] = 0xc093;
	}
	s->guest_ldtr_ar = 1u << 16;
	s->guest_tr_sel = 0x18;
	s->guest_tr_base = 0x5000;
	s->guest_tr_limit = 0x67;
	s->guest_tr_ar = 0x8b;
	s->guest_gdtr_base = 0x4000;
	s->guest_gdtr_limit = 0x27;
	s->link_pointer = ~0ull;
}
