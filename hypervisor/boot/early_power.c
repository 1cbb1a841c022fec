/*
 * The ACPI power-off of the 32-bit entry's panics (boot/entry.S, early_panic: no
 * long mode, or a kernel loaded away from its link address). The 64-bit C of
 * power_off cannot run there, so the same C that finds and enters S5 for it
 * (kernel/acpi_off.c, acpi.c, multiboot2.c for the loader's RSDP copy,
 * kstring.c) is built a second time as 32-bit position-independent code, with
 * this file, into a flat blob that entry.S carries and calls where it was
 * loaded (the Makefile checks that nothing in it needs relocating), and the
 * port I/O of hw/port_io.c. This file is the blob's entry and its string
 * functions (hw/rep_string.c's are 64-bit code).
 */
#include <stddef.h>
#include <stdint.h>

#include "kernel/acpi_off.h"
#include "kernel/kstring.h"
#include "kernel/multiboot2.h"

/*
 * Called (cdecl) with the loader's magic and boot information: power the machine
 * off through ACPI as power_off does. Returns only when it cannot: why not.
 */
__attribute__((section(".text.entry"))) const char *early_power_off(uint32_t magic, uint32_t mbi);

const char *early_power_off(uint32_t magic, uint32_t mbi)
{
	struct boot_info boot; /* on the entry's stack: the blob has no data of its own */
	const uint8_t *rsdp = NULL;
	size_t rsdp_len = 0;
	if (magic == MB2_BOOTLOADER_MAGIC && !mb2_parse((const void *)(uintptr_t)mbi, &boot)) {
		rsdp = boot.rsdp;
		rsdp_len = boot.rsdp_len;
	}
	struct acpi_s5 s5;
	const char *why = acpi_s5_lookup(rsdp, rsdp_len, &s5);
	if (why)
		return why;
	acpi_enter_s5(&s5);
	return "the machine is still on after ACPI soft-off";
}

void *memset(void *d, int c, size_t n)
{
	void *p = d;
	__asm__ volatile("cld; rep stosb" : "+D"(p), "+c"(n) : "a"(c) : "memory");
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	void *p = d;
	__asm__ volatile("cld; rep movsb" : "+D"(p), "+S"(s), "+c"(n) : : "memory");
	return d;
}
