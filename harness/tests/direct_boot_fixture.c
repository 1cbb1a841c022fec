#include "direct_boot_fixture.h"

#include <check.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../boot/direct_boot_abi.h"
#include "file_read.h"
#include "test_files.h"

void test_kernel_build(struct test_kernel *k)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->eh.e_ident, ELFMAG, SELFMAG);
	k->eh.e_ident[EI_CLASS] = ELFCLASS64;
	k->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	k->eh.e_ident[EI_VERSION] = EV_CURRENT;
	k->eh.e_type = ET_EXEC;
	k->eh.e_machine = EM_X86_64;
	k->eh.e_version = EV_CURRENT;
	k->eh.e_entry = 0x100020;
	k->eh.e_phoff = offsetof(struct test_kernel, ph);
	k->eh.e_ehsize = sizeof(Elf64_Ehdr);
	k->eh.e_phentsize = sizeof(Elf64_Phdr);
	k->eh.e_phnum = 2;
	k->ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_offset = offsetof(struct test_kernel, text),
				 .p_paddr = 0x100000, .p_vaddr = 0x100000, .p_filesz = sizeof(k->text),
				 .p_memsz = 0x1040 };
	k->ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_offset = offsetof(struct test_kernel, data),
				 .p_paddr = 0x103000, .p_vaddr = 0x103000, .p_filesz = sizeof(k->data),
				 .p_memsz = sizeof(k->data) };
	uint32_t mb2[4] = { 0xe85250d6, 0, 16, 0 };
	mb2[3] = (uint32_t)-(mb2[0] + mb2[1] + mb2[2]);
	memcpy(k->text, mb2, sizeof(mb2));
	for (size_t i = 16; i < sizeof(k->text); i++)
		k->text[i] = (uint8_t)(0x90 + i);
	memset(k->data, 0xd7, sizeof(k->data));
}

void test_kernel_write(const char *dir, const char *name)
{
	struct test_kernel k;
	test_kernel_build(&k);
	test_write_file(dir, name, &k, sizeof(k));
}

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
	uint64_t base = 1u << 20, len = (256u << 20) - base;
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
