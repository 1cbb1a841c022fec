#include "vmx/event_inject.h"

#include "include/vmcs_fields.h"
#include "include/x86_arch.h"

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

uint32_t external_intr_info(unsigned vector)
{
	return INTR_INFO_VALID | INTR_INFO_TYPE_EXTERNAL | (vector & 0xff);
}

uint32_t nmi_intr_info(void)
{
	return INTR_INFO_VALID | INTR_INFO_TYPE_NMI | VECTOR_NMI;
}

enum intr_choice intr_choose(const struct intr_pending *p)
{
	if (p->entry_busy)
		return INTR_NOTHING; /* one event per entry (SDM 27.6) */
	uint32_t shadow = p->interruptibility & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS);
	if (p->nmi && !shadow && !(p->interruptibility & INTERRUPTIBILITY_NMI))
		return INTR_NMI;
	if (p->maskable && !shadow && (p->rflags & RFLAGS_IF))
		return INTR_MASKABLE;
	return INTR_NOTHING;
}

uint32_t intr_windows(bool nmi, bool maskable, bool virtual_nmis)
{
	uint32_t w = 0;
	if (nmi)
		w |= virtual_nmis ? PROC_NMI_WINDOW_EXITING : PROC_INTERRUPT_WINDOW_EXITING;
	if (maskable)
		w |= PROC_INTERRUPT_WINDOW_EXITING;
	return w;
}
