/* The ELF-32 structures the external-kernel loader reads (System V gABI). */
#ifndef VEXIT_ELF32_H
#define VEXIT_ELF32_H

#include <stdint.h>

struct elf32_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint32_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf32_phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

#endif
