#include "elf_symbol.h"

#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_read.h"
#include "strlist.h"

#define ELF_MAX_BYTES (64u << 20)

/* A file's bytes, whether it is ELF64 (else ELF32), and its header's table fields. */
struct elf_file {
	char *p;
	size_t len;
	bool is64;
	uint64_t phoff, shoff;
	unsigned phnum, shnum, phentsize, shentsize;
};

/* The fields of a section header, a symbol and a program header this file uses, whatever the class. */
struct elf_sect {
	uint32_t type, link;
	uint64_t offset, size, entsize;
};
struct elf_sym {
	uint32_t name;
	uint16_t shndx;
	uint64_t value, size;
};
struct elf_seg {
	uint32_t type;
	uint64_t offset, vaddr, paddr, filesz;
};

/* Whether [off, off + n) lies inside a file of len bytes. */
static bool inside(uint64_t off, uint64_t n, size_t len)
{
	return off <= len && n <= len - off;
}

/* Read the file and check it is a little-endian ELF file. 0, or -1 with err. */
static int elf_open(const char *path, struct elf_file *f, char *err, size_t errlen)
{
	f->p = file_read(path, ELF_MAX_BYTES, &f->len);
	if (!f->p) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	f->is64 = f->len > EI_CLASS && f->p[EI_CLASS] == ELFCLASS64;
	bool is32 = f->len > EI_CLASS && f->p[EI_CLASS] == ELFCLASS32;
	if (f->len < (f->is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr)) || memcmp(f->p, ELFMAG, SELFMAG) != 0 ||
	    !(f->is64 || is32) || f->p[EI_DATA] != ELFDATA2LSB) {
		snprintf(err, errlen, "%s: not a little-endian ELF32 or ELF64 file", path);
		free(f->p);
		return -1;
	}
	if (f->is64) {
		Elf64_Ehdr eh;
		memcpy(&eh, f->p, sizeof(eh));
		*f = (struct elf_file){ f->p, f->len, true, eh.e_phoff, eh.e_shoff, eh.e_phnum, eh.e_shnum,
					eh.e_phentsize, eh.e_shentsize };
	} else {
		Elf32_Ehdr eh;
		memcpy(&eh, f->p, sizeof(eh));
		*f = (struct elf_file){ f->p, f->len, false, eh.e_phoff, eh.e_shoff, eh.e_phnum, eh.e_shnum,
					eh.e_phentsize, eh.e_shentsize };
	}
	return 0;
}

/* Whether the section header table is inside the file. */
static bool section_table_ok(const struct elf_file *f)
{
	size_t want = f->is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
	return f->shentsize == want && inside(f->shoff, (uint64_t)f->shnum * want, f->len);
}

static struct elf_sect section(const struct elf_file *f, uint64_t table, unsigned i)
{
	if (f->is64) {
		Elf64_Shdr s;
		memcpy(&s, f->p + table + i * sizeof(s), sizeof(s));
		return (struct elf_sect){ s.sh_type, s.sh_link, s.sh_offset, s.sh_size, s.sh_entsize };
	}
	Elf32_Shdr s;
	memcpy(&s, f->p + table + i * sizeof(s), sizeof(s));
	return (struct elf_sect){ s.sh_type, s.sh_link, s.sh_offset, s.sh_size, s.sh_entsize };
}

static struct elf_sym symbol(const struct elf_file *f, uint64_t at)
{
	if (f->is64) {
		Elf64_Sym s;
		memcpy(&s, f->p + at, sizeof(s));
		return (struct elf_sym){ s.st_name, s.st_shndx, s.st_value, s.st_size };
	}
	Elf32_Sym s;
	memcpy(&s, f->p + at, sizeof(s));
	return (struct elf_sym){ s.st_name, s.st_shndx, s.st_value, s.st_size };
}

/* The defined symbol `name`. 0, or -1 with err. */
static int find_symbol(const struct elf_file *f, const char *path, const char *name, struct elf_sym *out, char *err,
		       size_t errlen)
{
	uint64_t table = f->shoff;
	unsigned n = f->shnum;
	if (!section_table_ok(f)) {
		snprintf(err, errlen, "%s: bad section header table", path);
		return -1;
	}
	size_t sym_size = f->is64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);
	for (unsigned i = 0; i < n; i++) {
		struct elf_sect sh = section(f, table, i);
		if (sh.type != SHT_SYMTAB || sh.entsize != sym_size || sh.link >= n)
			continue;
		struct elf_sect strs = section(f, table, sh.link);
		if (!inside(sh.offset, sh.size, f->len) || !inside(strs.offset, strs.size, f->len))
			break;
		for (uint64_t at = 0; at + sym_size <= sh.size; at += sym_size) {
			struct elf_sym sym = symbol(f, sh.offset + at);
			if (sym.name >= strs.size)
				continue;
			const char *s = f->p + strs.offset + sym.name;
			size_t room = strs.size - sym.name;
			if (strnlen(s, room) == strlen(name) && strncmp(s, name, room) == 0 && sym.shndx != SHN_UNDEF) {
				*out = sym;
				return 0;
			}
		}
	}
	snprintf(err, errlen, "%s: no symbol '%s' in its symbol table", path, name);
	return -1;
}

int elf_symbol_address(const char *path, const char *name, uint64_t *addr, char *err, size_t errlen)
{
	struct elf_file f;
	if (elf_open(path, &f, err, errlen))
		return -1;
	struct elf_sym sym;
	int rc = find_symbol(&f, path, name, &sym, err, errlen);
	if (!rc)
		*addr = sym.value;
	free(f.p);
	return rc;
}

/* Program header i, when it is inside the file (else type PT_NULL). */
static struct elf_seg segment(const struct elf_file *f, unsigned i)
{
	size_t size = f->is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	uint64_t at = f->phoff + (uint64_t)i * size;
	if (f->phentsize != size || !inside(at, size, f->len))
		return (struct elf_seg){ PT_NULL, 0, 0, 0, 0 };
	if (f->is64) {
		Elf64_Phdr ph;
		memcpy(&ph, f->p + at, sizeof(ph));
		return (struct elf_seg){ ph.p_type, ph.p_offset, ph.p_vaddr, ph.p_paddr, ph.p_filesz };
	}
	Elf32_Phdr ph;
	memcpy(&ph, f->p + at, sizeof(ph));
	return (struct elf_seg){ ph.p_type, ph.p_offset, ph.p_vaddr, ph.p_paddr, ph.p_filesz };
}

int elf_function(const char *path, const char *name, struct elf_function *fn, char *err, size_t errlen)
{
	struct elf_file f;
	if (elf_open(path, &f, err, errlen))
		return -1;
	struct elf_sym sym;
	int rc = find_symbol(&f, path, name, &sym, err, errlen);
	if (!rc && sym.size == 0) {
		snprintf(err, errlen, "%s: symbol '%s' has no size", path, name);
		rc = -1;
	}
	bool found = false;
	for (unsigned i = 0; !rc && !found && i < f.phnum; i++) {
		struct elf_seg ph = segment(&f, i);
		if (ph.type != PT_LOAD || sym.value < ph.vaddr || sym.value - ph.vaddr > ph.filesz ||
		    sym.size > ph.filesz - (sym.value - ph.vaddr) || !inside(ph.offset, ph.filesz, f.len))
			continue;
		fn->addr = sym.value;
		fn->paddr = ph.paddr + (sym.value - ph.vaddr);
		fn->size = sym.size;
		fn->code = xrealloc(NULL, sym.size);
		memcpy(fn->code, f.p + ph.offset + (sym.value - ph.vaddr), sym.size);
		found = true;
	}
	if (!rc && !found) {
		snprintf(err, errlen, "%s: the %llu bytes of '%s' at 0x%llx are not inside one loaded segment's file bytes",
			 path, (unsigned long long)sym.size, name, (unsigned long long)sym.value);
		rc = -1;
	}
	free(f.p);
	return rc;
}
