/* The field table behind struct vmcs_snapshot (pure: the host build tests it). */
#include "diag/vmcs_snapshot.h"

const struct vmcs_field_info vmcs_field_table[] = {
#define VMCS_SNAPSHOT_ROW(m, enc, nm, dec) \
	{ .encoding = (enc), .name = (nm), .offset = (unsigned)__builtin_offsetof(struct vmcs_snapshot, m), .decode = (dec) },
	VMCS_SNAPSHOT_FIELDS(VMCS_SNAPSHOT_ROW)
#undef VMCS_SNAPSHOT_ROW
};

const unsigned vmcs_field_count = sizeof(vmcs_field_table) / sizeof(vmcs_field_table[0]);

_Static_assert(sizeof(vmcs_field_table) / sizeof(vmcs_field_table[0]) <= 128, "unreadable[] holds 128 bits");

const char *vmcs_field_name_at(unsigned offset)
{
	for (unsigned i = 0; i < vmcs_field_count; i++)
		if (vmcs_field_table[i].offset == offset)
			return vmcs_field_table[i].name;
	return "?";
}
