/* The host GDT (with a TSS, which VMX host state requires: SDM 27.2.3) and IDT. */
#ifndef VEXIT_CPU_TABLES_H
#define VEXIT_CPU_TABLES_H

#define SEL_CODE64 0x08
#define SEL_DATA 0x10
#define SEL_TSS 0x18

#include <stdint.h>

void cpu_tables_init(void);
uint64_t cpu_tables_tss_base(void);

#endif
