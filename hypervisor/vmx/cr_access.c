#include "vmx/cr_access.h"

bool cr_access_decode(uint64_t q, struct cr_access *out)
{
	out->cr = (unsigned)(q & 0xf);
	out->type = (enum cr_access_type)((q >> 4) & 3);
	out->lmsw_memory = (q >> 6) & 1;
	out->gpr = (unsigned)((q >> 8) & 0xf);
	out->lmsw_source = (uint16_t)(q >> 16);
	switch (out->type) {
	case CR_MOV_TO:
	case CR_MOV_FROM:
		return out->cr == 0 || out->cr == 3 || out->cr == 4 || out->cr == 8;
	case CR_CLTS:
	case CR_LMSW:
		return out->cr == 0;
	}
	return false;
}

bool cr0_guest_write(uint64_t value, bool long_mode, uint64_t *shadow)
{
	if (value >> 32)
		return false;
	if ((value & CR0_PG) && !(value & CR0_PE))
		return false;
	if ((value & CR0_NW) && !(value & CR0_CD))
		return false;
	if (long_mode && !(value & CR0_PG))
		return false;
	*shadow = (value & CR0_DEFINED) | CR0_ET;
	return true;
}

bool cr0_paging_switch(uint64_t old_cr0, uint64_t new_cr0, uint64_t cr4, bool cs_l, uint64_t *efer)
{
	bool was = old_cr0 & CR0_PG, now = new_cr0 & CR0_PG;
	if (!was && now && (*efer & EFER_LME)) {
		if (!(cr4 & CR4_PAE) || cs_l)
			return false;
		*efer |= EFER_LMA;
	}
	if (was && !now)
		*efer &= ~EFER_LMA;
	return true;
}

bool cr_pae_legacy_paging(uint64_t cr0, uint64_t cr4, uint64_t efer)
{
	return (cr0 & CR0_PG) && (cr4 & CR4_PAE) && !(efer & EFER_LMA);
}

bool cr_pdpte_ok(uint64_t pdpte, unsigned phys_addr_bits)
{
	uint64_t reserved = 0x1e6ull | (phys_addr_bits >= 64 ? 0 : ~0ull << phys_addr_bits);
	return !(pdpte & 1) || !(pdpte & reserved);
}

uint64_t cr0_after_lmsw(uint64_t old, uint16_t source)
{
	uint64_t low = CR0_PE | CR0_MP | CR0_EM | CR0_TS;
	return (old & ~low) | (source & low) | (old & CR0_PE);
}

bool cr4_guest_write(uint64_t value, bool long_mode, uint64_t supported)
{
	if (value & ~(supported & CR4_GUEST_ALLOWED))
		return false;
	if (long_mode && !(value & CR4_PAE))
		return false;
	return true;
}

uint64_t cr0_real(uint64_t shadow, uint64_t fixed0, uint64_t fixed1)
{
	return (shadow | fixed0) & fixed1;
}

uint64_t cr4_real(uint64_t shadow, uint64_t fixed0, uint64_t fixed1)
{
	return (shadow | fixed0 | CR4_VMXE) & fixed1;
}

bool cr3_guest_write_ok(uint64_t value, unsigned phys_addr_bits)
{
	return phys_addr_bits >= 64 || (value >> phys_addr_bits) == 0;
}

bool cr8_guest_write_ok(uint64_t value)
{
	return value <= 0xf; /* one compare: the exit path's MOV to CR8 has this test alone */
}
