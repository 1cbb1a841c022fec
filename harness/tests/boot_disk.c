#include "boot_disk.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../boot/direct_boot_abi.h"
#include "file_read.h"

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

void boot_disk_read(const char *path, struct boot_disk *d)
{
	memset(d, 0, sizeof(*d));
	d->bytes = (uint8_t *)file_read(path, 1u << 28, &d->len);
	ck_assert_msg(d->bytes != NULL, "cannot read %s", path);
	ck_assert_uint_ge(d->len, 2 * DIRECT_BOOT_SECTOR);
	ck_assert_uint_eq(d->bytes[510], 0x55);
	ck_assert_uint_eq(d->bytes[511], 0xaa);
	ck_assert_uint_eq(get32(d->bytes + DIRECT_BOOT_P_MAGIC), DIRECT_BOOT_MAGIC);
	d->entry = get32(d->bytes + DIRECT_BOOT_P_ENTRY);
	d->image_lba = get32(d->bytes + DIRECT_BOOT_P_IMAGE_LBA);
	d->image_sects = get32(d->bytes + DIRECT_BOOT_P_IMAGE_SECTS);
	d->image_dest = get32(d->bytes + DIRECT_BOOT_P_IMAGE_DEST);
	d->mbi_sects = (uint32_t)d->bytes[DIRECT_BOOT_P_MBI_SECTS] | (uint32_t)d->bytes[DIRECT_BOOT_P_MBI_SECTS + 1] << 8;
	ck_assert_uint_le(d->mbi_sects * DIRECT_BOOT_SECTOR, DIRECT_BOOT_MBI_MAX);
	ck_assert_uint_le(((size_t)d->image_lba + d->image_sects) * DIRECT_BOOT_SECTOR, d->len);

	/* What the loader does with the boot information: a memory-map tag and the end tag after the tags. */
	const uint8_t *src = d->bytes + DIRECT_BOOT_LOADER_SECTORS * DIRECT_BOOT_SECTOR;
	uint32_t used = get32(src);
	ck_assert_uint_eq(used % 8, 0);
	ck_assert_uint_le(used + DIRECT_BOOT_MMAP_ROOM, DIRECT_BOOT_MBI_MAX);
	d->mbi = aligned_alloc(8, DIRECT_BOOT_MBI_MAX);
	ck_assert_ptr_nonnull(d->mbi);
	memset(d->mbi, 0, DIRECT_BOOT_MBI_MAX);
	memcpy(d->mbi, src, used);
	uint8_t *t = d->mbi + used;
	put32(t, 6);
	put32(t + 4, 16 + 24);
	put32(t + 8, 24);
	uint64_t base = 1u << 20, len = (128u << 20) - base;
	memcpy(t + 16, &base, 8);
	memcpy(t + 24, &len, 8);
	put32(t + 32, 1);
	put32(t + 40, 0); /* end tag */
	put32(t + 44, 8);
	put32(d->mbi, used + 40 + 8);
	d->parse_error = mb2_parse(d->mbi, &d->info);
}

const uint8_t *boot_disk_at(const struct boot_disk *d, uint64_t pa)
{
	ck_assert_uint_ge(pa, d->image_dest);
	ck_assert_uint_lt(pa - d->image_dest, (uint64_t)d->image_sects * DIRECT_BOOT_SECTOR);
	return d->bytes + (size_t)d->image_lba * DIRECT_BOOT_SECTOR + (pa - d->image_dest);
}

void boot_disk_free(struct boot_disk *d)
{
	free(d->bytes);
	free(d->mbi);
	memset(d, 0, sizeof(*d));
}
