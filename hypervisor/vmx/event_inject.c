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

bool event_redelivery(uint32_t idt_vectoring_info, uint32_t idt_vectoring_error, uint32_t exit_instruction_length,
		      struct entry_event *out)
{
	*out = (struct entry_event){ 0 };
	if (!(idt_vectoring_info & INTR_INFO_VALID))
		return false;
	uint32_t info = idt_vectoring_info & (INTR_INFO_VALID | INTR_INFO_DELIVER_ERROR_CODE | INTR_INFO_TYPE_MASK | 0xffu);
	out->info = info;
	if (info & INTR_INFO_DELIVER_ERROR_CODE)
		out->error_code = idt_vectoring_error;
	switch (info & INTR_INFO_TYPE_MASK) {
	case INTR_TYPE_SOFTWARE_INTERRUPT:
	case INTR_TYPE_PRIV_SOFTWARE_EXCEPTION:
	case INTR_TYPE_SOFTWARE_EXCEPTION:
		out->instruction_length = exit_instruction_length;
		break;
	default:
		break;
	}
	return true;
}

const char *event_kind_name(uint32_t info)
{
	static const char *const names[8] = { "interrupt", "other", "nmi", "exception", "int", "int1", "soft-exception",
					      "other" };
	return names[(info >> 8) & 7];
}

enum exception_class exception_class(unsigned vector)
{
	switch (vector) {
	case 0: case 10: case 11: case 12: case 13: case 21: /* #DE, #TS, #NP, #SS, #GP, #CP */
		return EXCEPTION_CONTRIBUTORY;
	case 14: case 20: /* #PF, #VE */
		return EXCEPTION_PAGE_FAULT;
	default:
		return EXCEPTION_BENIGN;
	}
}

enum event_combination event_combine(uint32_t first, unsigned second)
{
	if ((first & INTR_INFO_TYPE_MASK) != INTR_TYPE_HARDWARE_EXCEPTION)
		return EVENTS_SERIAL;
	enum exception_class a = exception_class(first & 0xffu), b = exception_class(second);
	if (b == EXCEPTION_BENIGN)
		return EVENTS_SERIAL;
	if ((first & 0xffu) == VECTOR_DF)
		return EVENTS_TRIPLE_FAULT;
	if (a == EXCEPTION_PAGE_FAULT || (a == EXCEPTION_CONTRIBUTORY && b == EXCEPTION_CONTRIBUTORY))
		return EVENTS_DOUBLE_FAULT;
	return EVENTS_SERIAL;
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
