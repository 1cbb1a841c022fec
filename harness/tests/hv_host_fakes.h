/*
 * Host-build stand-ins for the two kernel symbols the pure hypervisor sources
 * need (kprintf, page_alloc_misuse), and what they recorded, for the Check
 * unit tests of harness/tests/check_hv_*.c.
 */
#ifndef VEXIT_HV_HOST_FAKES_H
#define VEXIT_HV_HOST_FAKES_H

#include <stddef.h>
#include <stdint.h>

/* Everything kprintf printed since the last reset, NUL-terminated. */
const char *hv_fake_output(void);
/* How many kprintf calls since the last reset. */
unsigned hv_fake_output_calls(void);
/* True if the recorder ran out of room and dropped output (tests should fail then). */
int hv_fake_output_overflowed(void);
void hv_fake_output_reset(void);

/* page_alloc_misuse calls since the last reset, and the arguments of the last one. */
unsigned hv_fake_misuse_count(void);
const char *hv_fake_misuse_what(void); /* NULL when there was none */
uint64_t hv_fake_misuse_addr(void);
void hv_fake_misuse_reset(void);

#endif
