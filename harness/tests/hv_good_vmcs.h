/*
 * Test data for the entry-checker tests: capability MSRs shaped like Bochs's
 * corei7_skylake_x, and the VMCS the hypervisor itself builds for a guest on
 * them (vm_setup_vmx and vmcs_setup() run into the fake VMCS), which passes
 * every rule. No copy of it is kept by hand, so the tests follow vmcs_setup().
 */
#ifndef VEXIT_TESTS_HV_GOOD_VMCS_H
#define VEXIT_TESTS_HV_GOOD_VMCS_H

#include <stdint.h>

#include "diag/vmcs_snapshot.h"
#include "vmx/vmx_caps.h"

void hv_good_caps(struct vmx_caps *c);
/*
 * The VMCS of a fresh VM with `budget` guest ticks (0: none) on hv_good_caps, read back by
 * vmcs_snapshot_read as the kernel reads it (maxphyaddr and linear width from CPUID).
 */
void hv_setup_snapshot(struct vmcs_snapshot *s, uint64_t budget);

#endif
