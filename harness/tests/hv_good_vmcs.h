/*
 * Test data for the entry-checker tests: capability MSRs shaped like Bochs's
 * corei7_skylake_x, and a snapshot of the VMCS vmcs_setup.c builds for a guest,
 * which passes every rule.
 */
#ifndef VEXIT_TESTS_HV_GOOD_VMCS_H
#define VEXIT_TESTS_HV_GOOD_VMCS_H

#include "diag/vmcs_snapshot.h"
#include "vmx/vmx_caps.h"

void hv_good_caps(struct vmx_caps *c);
void hv_good_snapshot(struct vmcs_snapshot *s);

#endif
