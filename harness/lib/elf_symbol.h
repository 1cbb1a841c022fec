/*
 * A symbol of an ELF32 or ELF64 file, from its symbol table: the kernel's address for a debugger
 * breakpoint, or a function's code and where a loader puts it (the measurement aid of bare runs,
 * bare_aid.h, finds an instruction in it).
 */
#ifndef VEXIT_HARNESS_ELF_SYMBOL_H
#define VEXIT_HARNESS_ELF_SYMBOL_H

#include <stddef.h>
#include <stdint.h>

/* 0 and *addr set; or -1 with err saying why (unreadable, not ELF, no symbol table, no such symbol). */
int elf_symbol_address(const char *path, const char *name, uint64_t *addr, char *err, size_t errlen);

/* A function's code as its file holds it. */
struct elf_function {
	uint64_t addr;       /* its address (the symbol's value) */
	uint64_t paddr;      /* where a multiboot or ELF loader puts it: its PT_LOAD segment's physical address */
	unsigned char *code; /* its bytes (the symbol's size); the caller frees */
	size_t size;
};

/*
 * The function `name`: 0 and *fn set; or -1 with err saying why (as elf_symbol_address, or: the
 * symbol has no size, or its bytes are not all inside one PT_LOAD segment's file part).
 */
int elf_function(const char *path, const char *name, struct elf_function *fn, char *err, size_t errlen);

#endif
