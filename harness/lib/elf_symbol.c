#include "elf_symbol.h"

#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_read.h"

#define ELF_MAX_BYTES (64u << 20)

/* Whether [off, off + n) lies inside a file of len bytes. */
static bool inside(uint64_t off, uint64_t n, size_t len)
{
	return off <= len && n <= len - off;
}

int elf_symbol_address(const char *path, const char *name, uint64_t *addr, char *err, size_t errlen)
{
	size_t len;
	char *p = file_read(path, ELF_MAX_BYTES, &len);
	if (!p) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	int rc = -1;
	Elf64_Ehdr eh;
	if (len < sizeof(eh) || memcmp(p, ELFMAG, SELFMAG) != 0 || p[EI_CLASS] != ELFCLASS64) {
		snprintf(err, errlen, "%s: not an ELF64 file", path);
		goto out;
	}
	memcpy(&eh, p, sizeof(eh));
	if (eh.e_shentsize != sizeof(Elf64_Shdr) || !inside(eh.e_shoff, (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr), len)) {
		snprintf(err, errlen, "%s: bad section header table", path);
		goto out;
	}
	for (unsigned i = 0; i < eh.e_shnum; i++) {
		Elf64_Shdr sh, strs;
		memcpy(&sh, p + eh.e_shoff + i * sizeof(sh), sizeof(sh));
		if (sh.sh_type != SHT_SYMTAB || sh.sh_entsize != sizeof(Elf64_Sym) || sh.sh_link >= eh.e_shnum)
			continue;
		memcpy(&strs, p + eh.e_shoff + sh.sh_link * sizeof(strs), sizeof(strs));
		if (!inside(sh.sh_offset, sh.sh_size, len) || !inside(strs.sh_offset, strs.sh_size, len))
			break;
		for (uint64_t at = 0; at + sizeof(Elf64_Sym) <= sh.sh_size; at += sizeof(Elf64_Sym)) {
			Elf64_Sym sym;
			memcpy(&sym, p + sh.sh_offset + at, sizeof(sym));
			if (sym.st_name >= strs.sh_size)
				continue;
			const char *s = p + strs.sh_offset + sym.st_name;
			size_t room = strs.sh_size - sym.st_name;
			if (strnlen(s, room) == strlen(name) && strncmp(s, name, room) == 0 && sym.st_shndx != SHN_UNDEF) {
				*addr = sym.st_value;
				rc = 0;
				goto out;
			}
		}
	}
	snprintf(err, errlen, "%s: no symbol '%s' in its symbol table", path, name);
out:
	free(p);
	return rc;
}
