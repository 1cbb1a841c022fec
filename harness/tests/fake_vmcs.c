/* The host build's VMCS (hw/vmcs.h): one struct vmcs_snapshot, addressed by field encoding. */
#include <check.h>
#include <string.h>

#include "fake_hw.h"
#include "hw/vmcs.h"
#include "quiet_assert.h"

struct vmcs_snapshot fake_vmcs;
static unsigned writes;
static uint32_t written[256];
static unsigned n_written;

void fake_vmcs_reset(void)
{
	memset(&fake_vmcs, 0, sizeof(fake_vmcs));
	writes = 0;
	n_written = 0;
}

uint64_t *fake_vmcs_field(uint32_t encoding)
{
	for (unsigned i = 0; i < vmcs_field_count; i++)
		if (vmcs_field_table[i].encoding == encoding)
			return vmcs_snapshot_slot(&fake_vmcs, i);
	return NULL;
}

/* The width of a field is in bits 14:13 of its encoding (SDM Vol. 3C 25.11.2): writes keep only that many bits. */
static uint64_t field_mask(uint32_t encoding)
{
	switch ((encoding >> 13) & 3) {
	case 0:
		return 0xffff;
	case 2:
		return 0xffffffff;
	default:
		return ~0ull;
	}
}

uint64_t vmcs_read(uint32_t field)
{
	uint64_t *slot = fake_vmcs_field(field);
	quiet_assert(slot, "fake VMCS: VMREAD of field 0x%x, which it does not model", field);
	return *slot;
}

void vmcs_write(uint32_t field, uint64_t value)
{
	uint64_t *slot = fake_vmcs_field(field);
	quiet_assert(slot, "fake VMCS: VMWRITE of field 0x%x, which it does not model", field);
	*slot = value & field_mask(field);
	writes++;
	if (n_written < sizeof(written) / sizeof(written[0]))
		written[n_written++] = field;
}

unsigned fake_vmcs_writes(void)
{
	return writes;
}

bool fake_vmcs_written(uint32_t encoding)
{
	for (unsigned i = 0; i < n_written; i++)
		if (written[i] == encoding)
			return true;
	return false;
}

enum vmx_result vmread_checked(uint64_t field, uint64_t *value)
{
	uint64_t *slot = fake_vmcs_field((uint32_t)field);
	if (!slot)
		return VMX_FAIL_VALID; /* VM-instruction error 12: unsupported component */
	*value = *slot;
	return VMX_OK;
}

enum vmx_result vmwrite_checked(uint64_t field, uint64_t value)
{
	uint64_t *slot = fake_vmcs_field((uint32_t)field);
	if (!slot)
		return VMX_FAIL_VALID;
	*slot = value & field_mask((uint32_t)field);
	return VMX_OK;
}

void vmcs_access_failed(const char *op, uint32_t field, uint64_t value)
{
	ck_abort_msg("%s of field 0x%x (value 0x%lx) failed", op, field, value);
	__builtin_unreachable();
}
