/*
 * The VMCS dump: every field of a snapshot by its SDM name, controls decoded
 * to flag names, segment access rights decoded (SDM 25.4.1). Pure C.
 */
#ifndef VEXIT_VMCS_DUMP_H
#define VEXIT_VMCS_DUMP_H

#include <stddef.h>
#include <stdint.h>

#include "diag/vmcs_snapshot.h"

/* The decoded form of one value (flag names, access-rights fields); "" when a field has none. */
void vmcs_dump_decode(enum vmcs_decode how, uint64_t v, char *buf, size_t n);
/* One `VEXIT vmcs <guest> <FIELD> 0x<value> [decoded]` line per field (`unsupported` for unreadable ones). */
void vmcs_dump_print(const char *guest, const struct vmcs_snapshot *s);

#endif
