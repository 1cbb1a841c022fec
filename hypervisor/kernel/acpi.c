#include "kernel/acpi.h"

#include <stdbool.h>

#include "kernel/kstring.h"

/* ACPI 6.5, 5.2.5.3: the RSDP. */
#define RSDP_V1_LEN 20
#define RSDP_V2_LEN 36
#define RSDP_OFF_REVISION 15
#define RSDP_OFF_RSDT 16
#define RSDP_OFF_LENGTH 20
#define RSDP_OFF_XSDT 24

/* ACPI 6.5, 5.2.6: the header every system description table starts with. */
#define SDT_HEADER_LEN 36
#define SDT_OFF_LENGTH 4
/* A table longer than this is not believed (the largest DSDTs of real PCs are a few hundred KiB). */
#define SDT_MAX_LEN (16u << 20)

/* ACPI 6.5, 5.2.9, table 5.9: the FADT fields used here. */
#define FADT_MIN_LEN 116 /* the ACPI 1.0 FADT, PM1_CNT_LEN included */
#define FADT_OFF_DSDT 40
#define FADT_OFF_SMI_CMD 48
#define FADT_OFF_ACPI_ENABLE 52
#define FADT_OFF_PM1A_CNT 64
#define FADT_OFF_PM1B_CNT 68
#define FADT_OFF_PM1_CNT_LEN 89
#define FADT_OFF_X_DSDT 140
#define FADT_OFF_X_PM1A_CNT 172
#define FADT_OFF_X_PM1B_CNT 184
#define GAS_LEN 12
#define GAS_SPACE_IO 1
#define GAS_OFF_ADDRESS 4

/* ACPI 6.5, 20.3: the AML opcodes of `Name(_S5_, Package(){...})`. */
#define AML_ZERO 0x00
#define AML_ONE 0x01
#define AML_NAME 0x08
#define AML_BYTE_PREFIX 0x0a
#define AML_WORD_PREFIX 0x0b
#define AML_DWORD_PREFIX 0x0c
#define AML_PACKAGE 0x12
#define AML_ROOT_CHAR '\\'
#define SLP_TYP_MAX 7

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) { return (uint32_t)rd16(p) | (uint32_t)rd16(p + 2) << 16; }
static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }

uint8_t acpi_checksum(const uint8_t *bytes, size_t n)
{
	uint8_t sum = 0;
	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + bytes[i]);
	return (uint8_t)-sum;
}

/* A whole structure passes ACPI's checksum rule when its bytes already sum to 0. */
static bool sums_to_zero(const uint8_t *p, size_t len)
{
	return acpi_checksum(p, len) == 0;
}

/* A valid RSDP at p (avail bytes readable there): its length, 0 when it is not one. */
static size_t rsdp_valid(const uint8_t *p, size_t avail)
{
	if (avail < RSDP_V1_LEN || memcmp(p, "RSD PTR ", 8) != 0 || !sums_to_zero(p, RSDP_V1_LEN))
		return 0;
	if (p[RSDP_OFF_REVISION] < 2)
		return RSDP_V1_LEN;
	/* ACPI 2.0 and later: the whole structure has its own length and checksum. */
	if (avail < RSDP_V2_LEN)
		return 0;
	uint32_t len = rd32(p + RSDP_OFF_LENGTH);
	if (len < RSDP_V2_LEN || len > avail || !sums_to_zero(p, len))
		return 0;
	return len;
}

/* The first RSDP on a 16-byte boundary of [start, start + len) (ACPI 6.5, 5.2.5.1). */
static const uint8_t *rsdp_scan(const struct acpi_memory *mem, uint64_t start, uint64_t len, size_t *rsdp_len)
{
	const uint8_t *area = mem->view(start, len, mem->ctx);
	if (!area)
		return NULL;
	for (uint64_t off = 0; off + RSDP_V1_LEN <= len; off += 16) {
		size_t n = rsdp_valid(area + off, (size_t)(len - off));
		if (n) {
			*rsdp_len = n;
			return area + off;
		}
	}
	return NULL;
}

const char *acpi_find_rsdp(const struct acpi_memory *mem, const uint8_t *copy, size_t len,
			   const uint8_t **rsdp, size_t *rsdp_len)
{
	if (copy) {
		*rsdp_len = rsdp_valid(copy, len);
		*rsdp = copy;
		return *rsdp_len ? NULL : "the RSDP the boot loader passed is not valid (signature, length or checksum)";
	}
	const uint8_t *bda = mem->view(ACPI_BDA_EBDA_SEGMENT, 2, mem->ctx);
	uint64_t ebda = bda ? (uint64_t)rd16(bda) << 4 : 0;
	if (ebda && (*rsdp = rsdp_scan(mem, ebda, ACPI_EBDA_SEARCH_LEN, rsdp_len)))
		return NULL;
	*rsdp = rsdp_scan(mem, ACPI_BIOS_AREA_START, ACPI_BIOS_AREA_END - ACPI_BIOS_AREA_START, rsdp_len);
	return *rsdp ? NULL : "no RSDP: none from the boot loader, none in the EBDA or the BIOS area";
}

/* The table at phys with this signature, whole and checksummed; its length in *len. */
static const uint8_t *sdt_at(const struct acpi_memory *mem, uint64_t phys, const char *sig, uint32_t *len)
{
	const uint8_t *h = phys ? mem->view(phys, SDT_HEADER_LEN, mem->ctx) : NULL;
	if (!h || memcmp(h, sig, 4) != 0)
		return NULL;
	uint32_t n = rd32(h + SDT_OFF_LENGTH);
	if (n < SDT_HEADER_LEN || n > SDT_MAX_LEN)
		return NULL;
	const uint8_t *t = mem->view(phys, n, mem->ctx);
	if (!t || !sums_to_zero(t, n))
		return NULL;
	*len = n;
	return t;
}

/* The root table: the XSDT (64-bit entries) when the RSDP has a valid one, else the RSDT (32-bit). */
static const uint8_t *root_table(const struct acpi_memory *mem, const uint8_t *rsdp, size_t rsdp_len,
				 unsigned *entry, uint32_t *len)
{
	uint64_t xsdt = rsdp_len >= RSDP_V2_LEN ? rd64(rsdp + RSDP_OFF_XSDT) : 0;
	const uint8_t *t = sdt_at(mem, xsdt, "XSDT", len);
	*entry = 8;
	if (t)
		return t;
	*entry = 4;
	return sdt_at(mem, rd32(rsdp + RSDP_OFF_RSDT), "RSDT", len);
}

/* The FADT ("FACP") among the root table's entries. */
static const char *find_fadt(const struct acpi_memory *mem, const uint8_t *rsdp, size_t rsdp_len,
			     const uint8_t **fadt, uint32_t *fadt_len)
{
	unsigned entry;
	uint32_t len;
	const uint8_t *root = root_table(mem, rsdp, rsdp_len, &entry, &len);
	if (!root)
		return "neither a valid XSDT nor a valid RSDT";
	for (uint32_t off = SDT_HEADER_LEN; entry <= len - off; off += entry) {
		uint64_t phys = entry == 8 ? rd64(root + off) : rd32(root + off);
		if ((*fadt = sdt_at(mem, phys, "FACP", fadt_len)))
			return NULL;
	}
	return "no valid FADT in the root table";
}

/* A PM1 control block: the 32-bit port field, else the extended one when it is in I/O space. */
static uint16_t pm1_port(const uint8_t *fadt, uint32_t len, unsigned off, unsigned x_off, bool *bad)
{
	uint32_t port = rd32(fadt + off);
	if (!port && len >= x_off + GAS_LEN && fadt[x_off] == GAS_SPACE_IO) {
		uint64_t x = rd64(fadt + x_off + GAS_OFF_ADDRESS);
		port = x > UINT16_MAX ? UINT32_MAX : (uint32_t)x;
	}
	if (port > UINT16_MAX)
		*bad = true;
	return (uint16_t)port;
}

const char *acpi_find_s5(const struct acpi_memory *mem, const uint8_t *rsdp, size_t rsdp_len, struct acpi_s5 *out)
{
	memset(out, 0, sizeof(*out));
	const uint8_t *fadt;
	uint32_t fadt_len;
	const char *err = find_fadt(mem, rsdp, rsdp_len, &fadt, &fadt_len);
	if (err)
		return err;
	if (fadt_len < FADT_MIN_LEN)
		return "the FADT is too short";
	bool bad = false;
	out->pm1a_cnt = pm1_port(fadt, fadt_len, FADT_OFF_PM1A_CNT, FADT_OFF_X_PM1A_CNT, &bad);
	out->pm1b_cnt = pm1_port(fadt, fadt_len, FADT_OFF_PM1B_CNT, FADT_OFF_X_PM1B_CNT, &bad);
	if (bad)
		return "a PM1 control block of the FADT is not an I/O port";
	if (!out->pm1a_cnt || fadt[FADT_OFF_PM1_CNT_LEN] < 2)
		return "the FADT names no PM1a control block";
	uint32_t smi_cmd = rd32(fadt + FADT_OFF_SMI_CMD);
	if (smi_cmd > UINT16_MAX)
		return "the FADT's SMI command port is not an I/O port";
	out->smi_cmd = (uint16_t)smi_cmd;
	out->acpi_enable = fadt[FADT_OFF_ACPI_ENABLE];

	uint64_t dsdt_phys = fadt_len >= FADT_OFF_X_DSDT + 8 ? rd64(fadt + FADT_OFF_X_DSDT) : 0;
	if (!dsdt_phys)
		dsdt_phys = rd32(fadt + FADT_OFF_DSDT);
	uint32_t dsdt_len;
	const uint8_t *dsdt = sdt_at(mem, dsdt_phys, "DSDT", &dsdt_len);
	if (!dsdt)
		return "the DSDT is missing or not valid";
	return acpi_aml_s5(dsdt + SDT_HEADER_LEN, dsdt_len - SDT_HEADER_LEN, &out->slp_typ_a, &out->slp_typ_b);
}

/* One integer element of a package at aml[*i] (bounded by end), ZeroOp, OneOp or a prefixed constant. */
static bool aml_integer(const uint8_t *aml, size_t end, size_t *i, uint64_t *v)
{
	if (*i >= end)
		return false;
	uint8_t op = aml[(*i)++];
	size_t n;
	switch (op) {
	case AML_ZERO:
	case AML_ONE:
		*v = op;
		return true;
	case AML_BYTE_PREFIX:
		n = 1;
		break;
	case AML_WORD_PREFIX:
		n = 2;
		break;
	case AML_DWORD_PREFIX:
		n = 4;
		break;
	default:
		return false;
	}
	if (n > end - *i)
		return false;
	*v = 0;
	for (size_t k = 0; k < n; k++)
		*v |= (uint64_t)aml[*i + k] << (8 * k);
	*i += n;
	return true;
}

/* The package after `_S5_` at aml[i]: PackageOp, PkgLength (ACPI 6.5, 20.2.4), NumElements, elements. */
static const char *s5_package(const uint8_t *aml, size_t len, size_t i, uint8_t *a, uint8_t *b)
{
	if (i >= len || aml[i] != AML_PACKAGE)
		return "\\_S5 is not a package";
	size_t start = ++i; /* PkgLength counts from its own first byte */
	if (i >= len)
		return "\\_S5's package is cut short";
	unsigned extra = aml[i] >> 6;
	size_t pkg_len = extra ? aml[i] & 0x0f : aml[i] & 0x3f;
	if (extra >= len - i)
		return "\\_S5's package is cut short";
	for (unsigned k = 1; k <= extra; k++)
		pkg_len |= (size_t)aml[i + k] << (4 + 8 * (k - 1));
	i += 1 + extra;
	if (pkg_len > len - start || start + pkg_len <= i)
		return "\\_S5's package runs past the table";
	size_t end = start + pkg_len;
	uint8_t count = aml[i++];
	uint64_t va, vb;
	if (count < 2 || !aml_integer(aml, end, &i, &va) || !aml_integer(aml, end, &i, &vb))
		return "\\_S5's package does not start with two integers";
	if (va > SLP_TYP_MAX || vb > SLP_TYP_MAX)
		return "\\_S5's sleep type does not fit SLP_TYP (3 bits)";
	*a = (uint8_t)va;
	*b = (uint8_t)vb;
	return NULL;
}

const char *acpi_aml_s5(const uint8_t *aml, size_t len, uint8_t *slp_typ_a, uint8_t *slp_typ_b)
{
	for (size_t i = 1; i + 4 <= len; i++) {
		if (memcmp(aml + i, "_S5_", 4) != 0)
			continue;
		bool named = aml[i - 1] == AML_NAME || (i >= 2 && aml[i - 1] == AML_ROOT_CHAR && aml[i - 2] == AML_NAME);
		if (named)
			return s5_package(aml, len, i + 4, slp_typ_a, slp_typ_b);
	}
	return "the DSDT defines no \\_S5 object";
}

uint16_t acpi_pm1_sleep_value(uint16_t current, uint8_t slp_typ)
{
	uint16_t v = (uint16_t)(current & ~ACPI_PM1_SLP_TYP_MASK);
	return (uint16_t)(v | (uint16_t)((slp_typ & SLP_TYP_MAX) << ACPI_PM1_SLP_TYP_SHIFT) | ACPI_PM1_SLP_EN);
}
