#include "direct_boot.h"

#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../boot/direct_boot_abi.h"
#include "file_read.h"
#include "kernel/multiboot2.h"
#include "strlist.h"

_Static_assert(DIRECT_BOOT_MBI_ADDR >= 0x7c00 + DIRECT_BOOT_LOADER_SECTORS * DIRECT_BOOT_SECTOR,
	       "the boot information would overwrite the loader");
_Static_assert(DIRECT_BOOT_MBI_ADDR + DIRECT_BOOT_MBI_MAX <= DIRECT_BOOT_BOUNCE_SEG * 16,
	       "the boot information would overlap the bounce buffer");
_Static_assert(DIRECT_BOOT_MBI_MAX / DIRECT_BOOT_SECTOR <= DIRECT_BOOT_CHUNK,
	       "the loader reads the boot information in one read of at most DIRECT_BOOT_CHUNK sectors");

/* The loader's two sectors (harness/boot/loader_blob.S). */
extern const uint8_t direct_boot_loader[], direct_boot_loader_end[];

#define MB2_HEADER_MAGIC 0xe85250d6u
#define MB2_HEADER_SEARCH 32768 /* the header must lie in the first 32 KiB (multiboot2 spec 3.1.1) */
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_MODULE 3
#define PAGE 4096u
/* Bochs works out a flat disk's geometry as 16 heads of 63 sectors: whole cylinders, then. */
#define DISK_CYLINDER (16u * 63u * DIRECT_BOOT_SECTOR)

static int fail(char *err, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

/* A growing byte buffer whose new bytes are zero. */
struct bytes {
	uint8_t *p;
	size_t len;
};

static void bytes_grow(struct bytes *b, size_t len)
{
	if (len <= b->len)
		return;
	b->p = xrealloc(b->p, len);
	memset(b->p + b->len, 0, len - b->len);
	b->len = len;
}

static void bytes_put(struct bytes *b, size_t at, const void *data, size_t n)
{
	bytes_grow(b, at + n);
	if (n) /* with nothing put at 0, b->p is still NULL: memcpy must not see it */
		memcpy(b->p + at, data, n);
}

static void put32(struct bytes *b, size_t at, uint32_t v)
{
	uint8_t le[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
	bytes_put(b, at, le, 4);
}

static bool has_mb2_header(const uint8_t *p, size_t len)
{
	for (size_t off = 0; off + 16 <= len && off < MB2_HEADER_SEARCH; off += 8) {
		uint32_t w[4];
		memcpy(w, p + off, sizeof(w));
		if (w[0] == MB2_HEADER_MAGIC && (uint32_t)(w[0] + w[1] + w[2] + w[3]) == 0)
			return true;
	}
	return false;
}

/* The kernel's PT_LOAD segments into `image` (offset 0 = DIRECT_BOOT_IMAGE_BASE); its end and entry. */
static int load_kernel(const char *path, struct bytes *image, uint64_t *end, uint32_t *entry, char *err,
		       size_t err_len)
{
	size_t len;
	uint8_t *f = (uint8_t *)file_read(path, DIRECT_BOOT_IMAGE_LIMIT, &len);
	if (!f)
		return fail(err, err_len, "kernel %s: %s", path, strerror(errno));
	int rc = -1;
	Elf64_Ehdr eh;
	if (len < sizeof(eh)) {
		fail(err, err_len, "kernel %s: too short for an ELF header", path);
		goto out;
	}
	memcpy(&eh, f, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_machine != EM_X86_64 || eh.e_type != ET_EXEC) {
		fail(err, err_len, "kernel %s: not an x86-64 ELF64 executable", path);
		goto out;
	}
	if (!has_mb2_header(f, len)) {
		fail(err, err_len, "kernel %s: no multiboot2 header in its first 32 KiB", path);
		goto out;
	}
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phoff > len ||
	    (len - eh.e_phoff) / sizeof(Elf64_Phdr) < eh.e_phnum) {
		fail(err, err_len, "kernel %s: program headers outside the file", path);
		goto out;
	}
	*end = DIRECT_BOOT_IMAGE_BASE;
	bool entry_found = false;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		memcpy(&ph, f + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_paddr < DIRECT_BOOT_IMAGE_BASE || ph.p_paddr > DIRECT_BOOT_IMAGE_LIMIT ||
		    ph.p_memsz > DIRECT_BOOT_IMAGE_LIMIT - ph.p_paddr) {
			fail(err, err_len, "kernel %s: segment %u at 0x%llx+0x%llx is outside 1 MiB..%u MiB", path, i,
			     (unsigned long long)ph.p_paddr, (unsigned long long)ph.p_memsz,
			     DIRECT_BOOT_IMAGE_LIMIT >> 20);
			goto out;
		}
		if (ph.p_filesz > ph.p_memsz) {
			fail(err, err_len, "kernel %s: segment %u has more bytes in the file than in memory", path, i);
			goto out;
		}
		if (ph.p_offset > len || ph.p_filesz > len - ph.p_offset) {
			fail(err, err_len, "kernel %s: segment %u runs past the end of the file", path, i);
			goto out;
		}
		bytes_put(image, ph.p_paddr - DIRECT_BOOT_IMAGE_BASE, f + ph.p_offset, ph.p_filesz);
		bytes_grow(image, ph.p_paddr + ph.p_memsz - DIRECT_BOOT_IMAGE_BASE); /* bss: zeros */
		if (ph.p_paddr + ph.p_memsz > *end)
			*end = ph.p_paddr + ph.p_memsz;
		/* e_entry is a virtual address: the segment that holds it says where it lands, as GRUB does it. */
		if (!entry_found && eh.e_entry >= ph.p_vaddr && eh.e_entry - ph.p_vaddr < ph.p_filesz) {
			*entry = (uint32_t)(eh.e_entry - ph.p_vaddr + ph.p_paddr);
			entry_found = true;
		}
	}
	if (!entry_found) {
		fail(err, err_len, "kernel %s: entry point 0x%llx is not in the file bytes of a loaded segment",
		     path, (unsigned long long)eh.e_entry);
		goto out;
	}
	rc = 0;
out:
	free(f);
	return rc;
}

/* A tag of the boot information: header, then `data`, padded to 8 bytes. */
static void mbi_tag(struct bytes *mbi, uint32_t type, const void *data, size_t n)
{
	size_t at = mbi->len;
	put32(mbi, at, type);
	put32(mbi, at + 4, (uint32_t)(8 + n));
	bytes_put(mbi, at + 8, data, n);
	bytes_grow(mbi, align_up(mbi->len, 8));
}

int direct_boot_disk_write(const char *disk_path, const char *kernel, const char *cmdline,
			   const struct direct_boot_module *mods, size_t n_mods, char *err, size_t err_len)
{
	if ((size_t)(direct_boot_loader_end - direct_boot_loader) !=
		    DIRECT_BOOT_LOADER_SECTORS * DIRECT_BOOT_SECTOR ||
	    memcmp(direct_boot_loader + DIRECT_BOOT_P_MAGIC, &(uint32_t){ DIRECT_BOOT_MAGIC }, 4) != 0)
		return fail(err, err_len, "the built-in boot loader is damaged (rebuild the harness)");
	struct bytes image = { 0 }, mbi = { 0 }, disk = { 0 };
	int rc = -1;
	uint64_t end = DIRECT_BOOT_IMAGE_BASE;
	uint32_t entry = 0;
	if (load_kernel(kernel, &image, &end, &entry, err, err_len))
		goto out;
	if (n_mods > MB2_MAX_MODULES) {
		fail(err, err_len, "%zu modules: the kernel takes at most %d (MB2_MAX_MODULES); use more shards",
		     n_mods, MB2_MAX_MODULES);
		goto out;
	}

	put32(&mbi, 4, 0); /* total_size (below) and reserved */
	mbi_tag(&mbi, MB2_TAG_CMDLINE, cmdline, strlen(cmdline) + 1);
	for (size_t i = 0; i < n_mods; i++) {
		size_t len = mods[i].size;
		char *data = mods[i].data ? NULL : file_read(mods[i].path, DIRECT_BOOT_IMAGE_LIMIT, &len);
		if (!data && !mods[i].data) {
			fail(err, err_len, "module %s: %s", mods[i].path, strerror(errno));
			goto out;
		}
		uint64_t start = align_up(end, PAGE);
		if (len > DIRECT_BOOT_IMAGE_LIMIT - start) {
			free(data);
			fail(err, err_len, "module %s does not fit below %u MiB", mods[i].path,
			     DIRECT_BOOT_IMAGE_LIMIT >> 20);
			goto out;
		}
		bytes_put(&image, start - DIRECT_BOOT_IMAGE_BASE, data ? data : mods[i].data, len);
		free(data);
		end = start + len;
		size_t name_len = strlen(mods[i].name);
		uint8_t *body = xrealloc(NULL, 8 + name_len + 1);
		uint32_t range[2] = { (uint32_t)start, (uint32_t)end };
		memcpy(body, range, 8);
		memcpy(body + 8, mods[i].name, name_len + 1);
		mbi_tag(&mbi, MB2_TAG_MODULE, body, 8 + name_len + 1);
		free(body);
	}
	if (mbi.len + DIRECT_BOOT_MMAP_ROOM > DIRECT_BOOT_MBI_MAX) {
		fail(err, err_len, "the boot information for %zu modules needs %zu bytes, more than the loader's %u",
		     n_mods, mbi.len + DIRECT_BOOT_MMAP_ROOM, DIRECT_BOOT_MBI_MAX);
		goto out;
	}
	put32(&mbi, 0, (uint32_t)mbi.len); /* the loader appends the memory map and the end tag here */

	uint32_t mbi_sects = (uint32_t)align_up(mbi.len, DIRECT_BOOT_SECTOR) / DIRECT_BOOT_SECTOR;
	uint32_t image_lba = DIRECT_BOOT_LOADER_SECTORS + mbi_sects;
	uint32_t image_sects = (uint32_t)(align_up(image.len, DIRECT_BOOT_SECTOR) / DIRECT_BOOT_SECTOR);
	bytes_put(&disk, 0, direct_boot_loader, DIRECT_BOOT_LOADER_SECTORS * DIRECT_BOOT_SECTOR);
	put32(&disk, DIRECT_BOOT_P_ENTRY, entry);
	put32(&disk, DIRECT_BOOT_P_IMAGE_LBA, image_lba);
	put32(&disk, DIRECT_BOOT_P_IMAGE_SECTS, image_sects);
	put32(&disk, DIRECT_BOOT_P_IMAGE_DEST, DIRECT_BOOT_IMAGE_BASE);
	bytes_put(&disk, DIRECT_BOOT_P_MBI_SECTS, &(uint16_t){ (uint16_t)mbi_sects }, 2);
	bytes_put(&disk, DIRECT_BOOT_LOADER_SECTORS * DIRECT_BOOT_SECTOR, mbi.p, mbi.len);
	bytes_put(&disk, (size_t)image_lba * DIRECT_BOOT_SECTOR, image.p, image.len);
	bytes_grow(&disk, align_up(disk.len, DISK_CYLINDER));

	FILE *f = fopen(disk_path, "wb");
	bool written = f && fwrite(disk.p, 1, disk.len, f) == disk.len;
	int e = errno;
	if (f && fclose(f) != 0 && written) {
		written = false;
		e = errno;
	}
	if (!written) {
		fail(err, err_len, "cannot write %s: %s", disk_path, strerror(e));
		goto out;
	}
	rc = 0;
out:
	free(image.p);
	free(mbi.p);
	free(disk.p);
	return rc;
}

int direct_boot_blank_disk(const char *disk_path)
{
	/* All zeros: no boot signature, so a BIOS told to boot it says "not bootable" at once. */
	FILE *f = fopen(disk_path, "wb");
	if (!f)
		return -1;
	bool ok = ftruncate(fileno(f), DISK_CYLINDER) == 0;
	if (fclose(f) != 0 || !ok)
		return -1;
	return 0;
}
