/*
 * The direct-boot disk (harness/lib/direct_boot.c writes it, boot_sector.S
 * boots it): a multiboot2 loader for Bochs test runs that skips GRUB.
 *
 * Layout of the disk, in 512-byte sectors:
 *   0, 1                  the loader (boot_sector.S), with the parameters below patched in
 *   2 .. MBI sectors      the multiboot2 boot information, loaded to DIRECT_BOOT_MBI_ADDR;
 *                         the boot sector appends the memory map (BIOS e820) and the end tag
 *   image LBA ..          the memory image: the kernel's segments (bss zeroed) then the
 *                         modules, copied to the image destination (1 MiB) as they are
 * Included by C and by the assembler: numbers only.
 */
#ifndef VEXIT_DIRECT_BOOT_ABI_H
#define VEXIT_DIRECT_BOOT_ABI_H

#define DIRECT_BOOT_SECTOR 512
/* The loader: its first sector is the boot sector the BIOS loads, and it reads the second itself. */
#define DIRECT_BOOT_LOADER_SECTORS 2
/* Offsets of the parameters in the loader's first sector (little-endian). */
#define DIRECT_BOOT_PARAMS        0x1e0
#define DIRECT_BOOT_P_MAGIC       0x1e0 /* u32 DIRECT_BOOT_MAGIC: this is the sector we expect */
#define DIRECT_BOOT_P_ENTRY       0x1e4 /* u32 the kernel's 32-bit entry point */
#define DIRECT_BOOT_P_IMAGE_LBA   0x1e8 /* u32 first sector of the memory image */
#define DIRECT_BOOT_P_IMAGE_SECTS 0x1ec /* u32 its length in sectors */
#define DIRECT_BOOT_P_IMAGE_DEST  0x1f0 /* u32 where it goes in memory */
#define DIRECT_BOOT_P_MBI_SECTS   0x1f4 /* u16 sectors of boot information, after the loader */
#define DIRECT_BOOT_MAGIC         0x42447856 /* "VxDB" */

/* Where the boot information lives (below 1 MiB, which the kernel reserves) and how big it may grow. */
#define DIRECT_BOOT_MBI_ADDR      0x8000
#define DIRECT_BOOT_MBI_MAX       0x8000
/* Room the boot sector needs after the harness's tags: a memory-map tag of up to this many entries + the end tag. */
#define DIRECT_BOOT_MMAP_MAX      64
#define DIRECT_BOOT_MMAP_ROOM     (16 + 24 * DIRECT_BOOT_MMAP_MAX + 8)
/* The bounce buffer BIOS reads land in before the copy above 1 MiB, and how many sectors one read takes. */
#define DIRECT_BOOT_BOUNCE_SEG    0x1000
#define DIRECT_BOOT_CHUNK         64

#endif
