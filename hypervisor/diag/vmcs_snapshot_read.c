/* The one hardware piece of the entry checker and the dump: VMREAD the current VMCS into a snapshot. */
#include "diag/vmcs_snapshot.h"

#include "hw/cpu.h"
#include "hw/vmx_insn.h"
#include "kernel/kstring.h"

/* The kernel identity-maps the first 4 GiB (boot/entry.S); the link-pointer word is read only below that. */
#define IDENTITY_MAPPED_LIMIT (4ull << 30)

void vmcs_snapshot_read(struct vmcs_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	/* First: a failing VMREAD below would overwrite the VM-instruction error (SDM 31.4). */
	vmread_checked(VMCS_VM_INSTRUCTION_ERROR, &s->instruction_error);
	for (unsigned i = 0; i < vmcs_field_count; i++) {
		uint64_t v = 0;
		if (vmcs_field_table[i].encoding == VMCS_VM_INSTRUCTION_ERROR)
			continue;
		/* A field the CPU lacks fails with VM-instruction error 12: mark it, never panic. */
		if (vmread_checked(vmcs_field_table[i].encoding, &v) != VMX_OK)
			s->unreadable[i / 64] |= 1ull << (i % 64);
		else
			*vmcs_snapshot_slot(s, i) = v;
	}
	uint32_t r[4];
	cpuid(0x80000008, 0, r);
	s->maxphyaddr = r[0] & 0xff;
	s->linear_width = (r[0] >> 8) & 0xff;
	if (s->link_pointer != ~0ull && !(s->link_pointer & 0xfff) && s->link_pointer < IDENTITY_MAPPED_LIMIT) {
		s->link_revision = *(volatile uint32_t *)(uintptr_t)s->link_pointer;
		s->link_revision_known = true;
	}
}
