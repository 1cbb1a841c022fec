#include "moved_kernel.h"

#include <elf.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_read.h"

const char *moved_kernel(const char *kernel, uint64_t by, const char *dir)
{
	static char path[PATH_MAX];
	size_t len;
	char *f = file_read(kernel, 64u << 20, &len);
	Elf64_Ehdr eh;
	if (!f || len < sizeof(eh))
		goto bad;
	memcpy(&eh, f, sizeof(eh));
	if (eh.e_phoff > len || eh.e_phnum > (len - eh.e_phoff) / sizeof(Elf64_Phdr))
		goto bad;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		memcpy(&ph, f + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_LOAD)
			ph.p_paddr += by;
		memcpy(f + eh.e_phoff + i * sizeof(ph), &ph, sizeof(ph));
	}
	snprintf(path, sizeof(path), "%s/moved.elf", dir);
	FILE *out = fopen(path, "wb");
	bool ok = out && fwrite(f, 1, len, out) == len;
	if (out && fclose(out) != 0)
		ok = false;
	free(f);
	if (ok)
		return path;
	fprintf(stderr, "moved_kernel: cannot write %s\n", path);
	return NULL;
bad:
	free(f);
	fprintf(stderr, "moved_kernel: %s is not a readable ELF64 file\n", kernel);
	return NULL;
}
