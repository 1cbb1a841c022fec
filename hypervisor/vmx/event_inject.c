#include "vmx/event_inject.h"

#include "include/vmcs_fields.h"

bool exception_has_error_code(unsigned vector)
{
	switch (vector) {
	case 8: case 10: case 11: case 12: case 13: case 14: case 17: case 21:
		return true;
	default:
		return false;
	}
}

bool exception_is_fault(unsigned vector)
{
	switch (vector) {
	case 0: case 5: case 6: case 7: case 10: case 11: case 12: case 13: case 14: case 16: case 17: case 19:
	case 20: case 21:
		return true;
	default:
		return false; /* #DB (fault or trap), #NMI, #BP and #OF (traps), #DF and #MC (aborts), reserved */
	}
}

uint32_t exception_intr_info(unsigned vector)
{
	uint32_t info = INTR_INFO_VALID | INTR_TYPE_HARDWARE_EXCEPTION | (vector & 0xff);
	if (exception_has_error_code(vector))
		info |= INTR_INFO_DELIVER_ERROR_CODE;
	return info;
}
