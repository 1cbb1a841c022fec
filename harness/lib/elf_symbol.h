/* A symbol's address in an ELF64 file (the kernel's, for a debugger breakpoint). */
#ifndef VEXIT_HARNESS_ELF_SYMBOL_H
#define VEXIT_HARNESS_ELF_SYMBOL_H

#include <stddef.h>
#include <stdint.h>

/* 0 and *addr set; or -1 with err saying why (unreadable, not ELF64, no symbol table, no such symbol). */
int elf_symbol_address(const char *path, const char *name, uint64_t *addr, char *err, size_t errlen);

#endif
