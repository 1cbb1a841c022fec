/* Test data: a minimal ELF64 file, header + one named section + .shstrtab + 3 section headers. */
#ifndef VEXIT_TESTS_ELF_IMAGE_H
#define VEXIT_TESTS_ELF_IMAGE_H

#include <elf.h>
#include <stddef.h>

struct elf_image {
	unsigned char bytes[1024];
	size_t len;
	Elf64_Ehdr *eh;  /* into bytes, for tests that break the header */
	Elf64_Shdr *sh;  /* [0] null, [1] the named section, [2] .shstrtab */
};

/* data_len bytes of data, at most a few hundred, in a section named section_name. */
void elf_image_build(struct elf_image *im, const char *section_name, const char *data, size_t data_len);

#endif
