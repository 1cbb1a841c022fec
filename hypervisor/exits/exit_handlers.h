/* The built-in exit handlers, one family per file; exit_dispatch.c puts them in the table. */
#ifndef VEXIT_EXIT_HANDLERS_H
#define VEXIT_EXIT_HANDLERS_H

#include "exits/exit_dispatch.h"
#include "vm/vcpu.h"

enum exit_action handle_triple_fault(struct vcpu *v);    /* exit_stop.c */
enum exit_action handle_hlt(struct vcpu *v);             /* exit_stop.c */
enum exit_action handle_ept_violation(struct vcpu *v);   /* exit_stop.c */
enum exit_action handle_preemption_timer(struct vcpu *v); /* exit_stop.c */
enum exit_action handle_exception_nmi(struct vcpu *v);   /* exit_stop.c: NMIs and #MC */
enum exit_action handle_external_interrupt(struct vcpu *v); /* exit_stop.c */
enum exit_action handle_io(struct vcpu *v);              /* exit_io.c */
enum exit_action handle_vmcall(struct vcpu *v);          /* exit_vmcall.c */
enum exit_action handle_cr_access(struct vcpu *v);       /* exit_cr.c */
enum exit_action handle_rdmsr(struct vcpu *v);           /* exit_msr.c */
enum exit_action handle_wrmsr(struct vcpu *v);           /* exit_msr.c */
enum exit_action handle_cpuid(struct vcpu *v);           /* exit_cpuid.c */
enum exit_action handle_xsetbv(struct vcpu *v);          /* exit_misc.c */
enum exit_action handle_cache_flush(struct vcpu *v);     /* exit_misc.c: INVD, WBINVD */
enum exit_action handle_undefined(struct vcpu *v);       /* exit_misc.c: #UD (the VMX instructions) */
enum exit_action handle_monitor_mwait(struct vcpu *v);   /* exit_misc.c */
enum exit_action handle_apic_write(struct vcpu *v);      /* exit_apic.c */
enum exit_action handle_apic_access(struct vcpu *v);     /* exit_apic.c */
enum exit_action handle_interrupt_window(struct vcpu *v); /* exit_apic.c: interrupt and NMI windows, TPR below threshold */

/* exit_apic.c: the local APIC's timer catches up with guest time (an expiry requests its vector) and sets the wake-up. */
void apic_timer_sync(struct vcpu *v);
/* exit_apic.c: RDMSR/WRMSR of the APIC's MSR (IA32_TSC_DEADLINE); false: not one, the MSR table answers. */
bool apic_msr_read(struct vcpu *v, uint32_t msr, uint64_t *value);
bool apic_msr_write(struct vcpu *v, uint32_t msr, uint64_t value);
/*
 * exit_apic.c: IA32_APIC_BASE was written (its old value): the global enable and the base take
 * effect. False: EPT cannot put the APIC page at the new base, nothing changed (the caller #GPs).
 */
bool apic_base_written(struct vcpu *v, uint64_t old_base);
/* exit_apic.c: an EPT violation at gpa on a globally disabled APIC's page (at its base), emulated; false: not one. */
bool apic_disabled_page_access(struct vcpu *v, uint64_t gpa, uint64_t qualification);

#endif
