/* Event injection at the next VM entry (SDM 27.6): the encoding; vcpu.c does the VMCS writes. */
#ifndef VEXIT_EVENT_INJECT_H
#define VEXIT_EVENT_INJECT_H

#include <stdbool.h>
#include <stdint.h>


/* Exceptions that push an error code (SDM Vol. 3A 6.15): #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP. */
bool exception_has_error_code(unsigned vector);
/* Fault-class exceptions (SDM Vol. 3A table 6-1): #DE, #BR, #UD, #NM, #TS, #NP, #SS, #GP, #PF, #MF, #AC, #XM, #VE, #CP. */
bool exception_is_fault(unsigned vector);
/* The VM-entry interruption-information value for hardware exception `vector` (SDM 25.8.3). */
uint32_t exception_intr_info(unsigned vector);

#endif
