/*
 * Ending the run: the Bochs shutdown port when it exists, else ACPI soft-off (S5)
 * when the firmware's tables say how, else halting.
 */
#ifndef VEXIT_POWER_H
#define VEXIT_POWER_H

#include <stddef.h>
#include <stdint.h>

/* Look up the ACPI S5 recipe once memory is known; rsdp: the loader's RSDP copy, or NULL. */
void power_init(const uint8_t *rsdp, size_t rsdp_len);
/* Ends the run; calls power_off_prepare first. Every halt and power-off of the kernel goes through it. */
__attribute__((noreturn)) void power_off(void);

/*
 * Defined in main.c (a link-time hook, as vmcs_access_failed): leaves VMX operation
 * (vmx/vmx_off.h) so that no halt or power-off, a panic's included, leaves the CPU in
 * VMX root. Safe to call before VMXON and more than once.
 */
void power_off_prepare(void);

#endif
