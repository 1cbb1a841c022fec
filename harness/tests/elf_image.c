/* Test data: minimal ELF64 images with one named section (see elf_image.h). */
#include "elf_image.h"

#include <stdio.h>
#include <string.h>

void elf_image_build(struct elf_image *im, const char *section_name, const char *data, size_t data_len)
{
	memset(im, 0, sizeof(*im));
	Elf64_Ehdr eh = { 0 };
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_EXEC;
	eh.e_machine = EM_X86_64;
	eh.e_ehsize = sizeof(eh);
	eh.e_shentsize = sizeof(Elf64_Shdr);
	eh.e_shnum = 3;
	eh.e_shstrndx = 2;
	size_t off = sizeof(eh);
	size_t data_off = off;
	memcpy(im->bytes + off, data, data_len);
	off += data_len;
	char names[64] = "";
	size_t name_off = 1, strtab_name;
	snprintf(names + 1, sizeof(names) - 1, "%s", section_name);
	strtab_name = name_off + strlen(section_name) + 1;
	memcpy(names + strtab_name, ".shstrtab", 10);
	size_t names_len = strtab_name + 10;
	size_t names_off = off;
	memcpy(im->bytes + off, names, names_len);
	off += names_len;
	off = (off + 7) & ~(size_t)7;
	eh.e_shoff = off;
	Elf64_Shdr sh[3] = { { 0 } };
	sh[1] = (Elf64_Shdr){ .sh_name = (Elf64_Word)name_off, .sh_type = SHT_PROGBITS, .sh_offset = data_off,
			      .sh_size = data_len };
	sh[2] = (Elf64_Shdr){ .sh_name = (Elf64_Word)strtab_name, .sh_type = SHT_STRTAB,
			      .sh_offset = names_off, .sh_size = names_len };
	memcpy(im->bytes + off, sh, sizeof(sh));
	off += sizeof(sh);
	memcpy(im->bytes, &eh, sizeof(eh));
	im->len = off;
	im->eh = (Elf64_Ehdr *)im->bytes;
	im->sh = (Elf64_Shdr *)(im->bytes + eh.e_shoff);
}

