#include "bare_aid.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_symbol.h"

#define MSR_IA32_APIC_BASE 0x1bull
#define APIC_BASE_GLOBAL_ENABLE (1ull << 11)

char *bare_aid_commands(const char *kernel, uint64_t *at, char *err, size_t errlen)
{
	struct elf_function fn;
	if (elf_function(kernel, BARE_AID_FUNCTION, &fn, err, errlen))
		return NULL;
	size_t found = 0, n = 0;
	for (size_t i = 0; i + 1 < fn.size; i++)
		if (fn.code[i] == 0x0f && fn.code[i + 1] == 0x30)
			found = i, n++;
	free(fn.code);
	if (n != 1) {
		snprintf(err, errlen, "%s: %s (%zu bytes at 0x%" PRIx64 ") holds %s WRMSR (bytes 0F 30): the aid that keeps "
			 "the APIC enabled steps over exactly one", kernel, BARE_AID_FUNCTION, fn.size, fn.addr,
			 n ? "more than one" : "no");
		return NULL;
	}
	*at = fn.paddr + found;
	/* Stop at the WRMSR (a physical address: the kernel's paging does not matter), show the registers
	 * it would write, go on after it, and never stop there again. */
	char *s = NULL;
	if (asprintf(&s, "pb 0x%" PRIx64 "\nc\nr\nset rip = 0x%" PRIx64 "\nd 1\nc\nquit\n", *at,
		     fn.addr + found + 2) < 0) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return s;
}

/* The value of register `name` in the debugger's `r` listing after `from` ("rcx: 00000000_0000001b"). */
static int reg_value(const char *from, const char *name, uint64_t *v)
{
	char key[16];
	snprintf(key, sizeof(key), "\n%s: ", name);
	const char *p = strstr(from, key);
	unsigned hi, lo;
	if (!p || sscanf(p + strlen(key), "%8x_%8x", &hi, &lo) != 2)
		return -1;
	*v = (uint64_t)hi << 32 | lo;
	return 0;
}

int bare_aid_acted(const char *out, uint64_t at, char *why, size_t whylen)
{
	/* "(0) Breakpoint 1, 0x... in ?? ()", then the instruction: "(0) [0xPHYSICAL] SEL:LINEAR (...): wrmsr ; 0f30" */
	const char *hit = "Breakpoint 1, ";
	char insn[64];
	snprintf(insn, sizeof(insn), "[0x%012" PRIx64 "] ", at);
	const char *stop = strstr(out, hit);
	if (!stop) {
		snprintf(why, whylen, "the aid that keeps the APIC enabled never stopped at %s's WRMSR (0x%" PRIx64 ")",
			 BARE_AID_FUNCTION, at);
		return -1;
	}
	if (strstr(stop + 1, hit)) {
		snprintf(why, whylen, "the aid's breakpoint at 0x%" PRIx64 " stopped more than once", at);
		return -1;
	}
	const char *line = strstr(stop, insn), *eol = line ? strchr(line, '\n') : NULL;
	const char *colon = line ? strstr(line, "): ") : NULL;
	if (!line || !colon || (eol && colon > eol) || strncmp(colon + 3, "wrmsr ", 6) != 0) {
		snprintf(why, whylen, "the aid stopped at 0x%" PRIx64 ", but Bochs shows no WRMSR there", at);
		return -1;
	}
	uint64_t rcx, rax;
	if (reg_value(stop, "rcx", &rcx) || reg_value(stop, "rax", &rax)) {
		snprintf(why, whylen, "the aid stopped at 0x%" PRIx64 ", but Bochs showed no registers there", at);
		return -1;
	}
	if ((uint32_t)rcx != MSR_IA32_APIC_BASE || (rax & APIC_BASE_GLOBAL_ENABLE)) {
		snprintf(why, whylen, "the WRMSR at 0x%" PRIx64 " writes MSR 0x%" PRIx64 " with EAX 0x%" PRIx64 ", not "
			 "IA32_APIC_BASE (0x1B) with the global enable (bit 11) clear: the aid would skip something else",
			 at, (uint64_t)(uint32_t)rcx, (uint64_t)(uint32_t)rax);
		return -1;
	}
	return 0;
}
