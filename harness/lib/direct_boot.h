/*
 * Direct boot: the harness loads the kernel itself instead of booting GRUB.
 *
 * A Bochs run boots a disk that this writes: a three-sector multiboot2 loader
 * (harness/boot/boot_sector.S), the boot information (command line, one module
 * tag per guest) and a memory image (the kernel's ELF segments at their
 * physical addresses, bss zeroed, then the guest modules page-aligned). The
 * loader copies the image to 1 MiB, adds the BIOS memory map and jumps to the
 * kernel in the state the multiboot2 specification promises. The kernel cannot
 * tell the difference, and the run skips BIOS-loaded GRUB: about 1.2 s of every
 * boot. GRUB stays the product's boot path (`vexit-run --iso` boots the ISO).
 * At most MB2_MAX_MODULES guests per disk: the kernel takes no more.
 */
#ifndef VEXIT_HARNESS_DIRECT_BOOT_H
#define VEXIT_HARNESS_DIRECT_BOOT_H

#include <stddef.h>
#include <stdint.h>

struct direct_boot_module {
	const char *path; /* the file, loaded as it is; with data, only what messages call it */
	const char *name; /* its module string (the guest's name; `+NAME STRING` for a boot module of guest NAME) */
	const void *data; /* NULL, or the module's bytes (size of them) instead of the file's */
	size_t size;
};

/* Where the memory image starts, and the most memory it may span (the bochsrc gives 256 MiB). */
#define DIRECT_BOOT_IMAGE_BASE  0x100000u
#define DIRECT_BOOT_IMAGE_LIMIT 0x4000000u

/*
 * Write the disk that boots `kernel` (an ELF64 multiboot2 kernel) with the
 * modules and the command line. 0, or -1 with a sentence in err saying what is
 * wrong (an unreadable or malformed kernel, a module that does not fit...).
 */
int direct_boot_disk_write(const char *disk_path, const char *kernel, const char *cmdline,
			   const struct direct_boot_module *mods, size_t n_mods, char *err, size_t err_len);

/* A disk the BIOS will not boot, for runs that boot the ISO (their bochsrc still names a disk). 0, or -1 with errno. */
int direct_boot_blank_disk(const char *disk_path);

#endif
