/*
 * The direct-boot disk (harness/lib/direct_boot.c writes it, boot_sector.S
 * boots it): a multiboot2 loader for Bochs test runs that skips GRUB.
 *
 * Layout of the disk, in 512-byte sectors:
 *   0, 1, 2               the loader (boot_sector.S), with the parameters below patched in
 *   3 .. MBI sectors      the multiboot2 boot information, loaded to DIRECT_BOOT_MBI_ADDR;
 *                         the boot sector appends the memory map (BIOS e820) and the end tag
 *   image LBA ..          the memory image: the kernel's segments (bss zeroed) then the
 *                         modules, copied to the image destination (1 MiB) as they are
 * Included by C and by the assembler: numbers only.
 */
#ifndef VEXIT_DIRECT_BOOT_ABI_H
#define VEXIT_DIRECT_BOOT_ABI_H

#define DIRECT_BOOT_SECTOR 512
/* The loader: its first sector is the boot sector the BIOS loads, and it reads the others itself. */
#define DIRECT_BOOT_LOADER_SECTORS 3
/*
 * Offsets of the parameters in the loader (little-endian): at the start of its
 * second sector, clear of the first sector's BIOS parameter block and partition
 * table, which some BIOSes read or rewrite.
 */
#define DIRECT_BOOT_PARAMS        0x200
#define DIRECT_BOOT_P_MAGIC       0x200 /* u32 DIRECT_BOOT_MAGIC: this is the loader we expect */
#define DIRECT_BOOT_P_ENTRY       0x204 /* u32 the kernel's 32-bit entry point (physical) */
#define DIRECT_BOOT_P_IMAGE_LBA   0x208 /* u32 first sector of the memory image */
#define DIRECT_BOOT_P_IMAGE_SECTS 0x20c /* u32 its length in sectors */
#define DIRECT_BOOT_P_IMAGE_DEST  0x210 /* u32 where it goes in memory */
#define DIRECT_BOOT_P_MBI_SECTS   0x214 /* u16 sectors of boot information, after the loader */
#define DIRECT_BOOT_MAGIC         0x42447856 /* "VxDB" */

/*
 * Where the boot information lives (after the loader at 0x7c00, below the bounce
 * buffer and below 1 MiB, which the kernel reserves) and how big it may grow.
 */
#define DIRECT_BOOT_MBI_ADDR      0x8400
#define DIRECT_BOOT_MBI_MAX       (0x10000 - DIRECT_BOOT_MBI_ADDR)
/* Room the boot sector needs after the harness's tags: a memory-map tag of up to this many entries + the end tag. */
#define DIRECT_BOOT_MMAP_MAX      64
#define DIRECT_BOOT_MMAP_ROOM     (16 + 24 * DIRECT_BOOT_MMAP_MAX + 8)
/* The bounce buffer BIOS reads land in before the copy above 1 MiB, and how many sectors one read takes. */
#define DIRECT_BOOT_BOUNCE_SEG    0x1000
#define DIRECT_BOOT_CHUNK         64

#endif
