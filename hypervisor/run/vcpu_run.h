/*
 * The vCPU run loop (x86_vcpu's `run`): enter the guest, and on every exit read
 * it, count it, dispatch it through the table of exits/, and enter again, until
 * an exit needs the caller or stops the VM. README "Life of a VM exit" follows
 * one exit through it.
 */
#ifndef VEXIT_VCPU_RUN_H
#define VEXIT_VCPU_RUN_H

#include "exits/exit_dispatch.h"

struct vcpu;

/* Run v until an exit needs the caller (EXIT_TO_CALLER) or the VM stops (EXIT_STOP). */
enum exit_action vcpu_run(struct vcpu *v);
/*
 * The body of the loop for one exit, as hw/vmx_entry.S runs it on the host stack:
 * the exit's step, then, when its answer or WORK_AT_ENTRY asks, the finish
 * (run/vcpu_run.c: vcpu_on_exit, vcpu_on_finish). EXIT_RESUME to enter the guest
 * again. Plain C: the host tests drive it over a fake VMCS.
 */
enum exit_action vcpu_exit(struct vcpu *v);

#endif
