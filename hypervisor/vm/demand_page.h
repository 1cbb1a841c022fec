/*
 * A page of guest-physical memory the hypervisor supplies on first touch (VEXIT_HC_DEMAND_PAGE),
 * as a host that maps guest memory lazily does (KVM maps a page at its first EPT violation): EPT
 * leaves it out until the guest's first access, which exits as an EPT violation; vexit maps it
 * then and resumes the guest at the same instruction. The access may be event delivery's (the
 * frame pushed for an interrupt or exception): the one way a test guest makes an exit happen during
 * event delivery that the hypervisor resolves, so that vexit's re-injection of the interrupted
 * event (vm/vcpu.h, vcpu_resume_interrupted) runs in a real CPU.
 */
#ifndef VEXIT_DEMAND_PAGE_H
#define VEXIT_DEMAND_PAGE_H

#include <stdbool.h>
#include <stdint.h>

struct vm;

/* The window the page may be put in: the 2 MiB of guest-physical space right above guest memory. */
#define DEMAND_PAGE_WINDOW 0x200000ull

/*
 * Put the VM's demand page at guest-physical gpa (page-aligned, in the window), unmapped until
 * its next access; a second call moves it (its contents stay: zeros the first time). 0, or
 * VEXIT_HC_EINVAL for an address outside the window or not page-aligned, VEXIT_HC_ENOMEM when no
 * host page is left.
 */
uint64_t demand_page_arm(struct vm *vm, uint64_t gpa);
/* An EPT violation at gpa: true when it was the demand page's first access, now mapped. */
bool demand_page_fault(struct vm *vm, uint64_t gpa);
/* Give the page back (vm_destroy). */
void demand_page_free(struct vm *vm);

#endif
