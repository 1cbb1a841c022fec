/*
 * libFuzzer target: the ELF symbol reader (harness/lib/elf_symbol.c), which reads whatever kernel
 * file a user names: `make debug` looks up the hypervisor's stubs in it, and the measurement aid of
 * bare runs (bare_aid.c) a function's code. The input is the file (in a memfd); the names looked up
 * are the aid's and the debugger's.
 */
#include <stdint.h>
#include <stdlib.h>

#include "elf_symbol.h"
#include "fuzz_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(data, size);
	char err[512];
	uint64_t addr;
	(void)elf_symbol_address(path, "_start", &addr, err, sizeof(err));
	struct elf_function fn;
	if (elf_function(path, "disable_apic", &fn, err, sizeof(err)) == 0) {
		/* Every byte the reader says is the function's is readable. */
		unsigned sum = 0;
		for (size_t i = 0; i < fn.size; i++)
			sum += fn.code[i];
		(void)sum;
		free(fn.code);
	}
	return 0;
}
