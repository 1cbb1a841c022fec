/* The local APIC, as far as the hypervisor uses it: an NMI sent to itself (the NMI self-test). */
#ifndef VEXIT_HW_APIC_H
#define VEXIT_HW_APIC_H

#include <stdbool.h>

/*
 * Send this CPU an NMI through its xAPIC's interrupt command register (SDM Vol. 3A
 * 11.6.1: delivery mode NMI, destination its own APIC ID). False, sending nothing,
 * when the APIC is disabled or in x2APIC mode (no MMIO registers then).
 */
bool apic_send_self_nmi(void);

#endif
