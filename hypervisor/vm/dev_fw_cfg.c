/*
 * QEMU's firmware configuration interface (fw_cfg), the legacy port form a PC
 * guest finds at 0x510/0x511, for external kernels (vm/devices.h). A 16-bit
 * write to the selector port 0x510 picks an item and rewinds it; each byte read
 * from the data port 0x511 returns the item's next byte, and 0 past its end or
 * for an item vexit does not have. The items (little-endian, as QEMU stores the
 * numeric ones): the signature "QEMU", the interface ID (1: the port interface,
 * no DMA), the RAM size in bytes, the CPU count and the maximum CPU count (1),
 * and an empty file directory (its count is big-endian, as QEMU's is). That is
 * what kvm-unit-tests reads (lib/x86/fwcfg.c: the CPU count, the RAM size).
 * Other access widths behave as on QEMU's PC, whose selector is 16 bits wide
 * and data port 8: reads float (all-ones) and writes are dropped, as are
 * writes to the data port (QEMU ignores them too).
 */
#include "include/le_bytes.h"
#include "kernel/kstring.h"
#include "vm/devices.h"
#include "vm/vm.h"

#define FW_CFG_ITEM_MAX 8 /* the longest item, in bytes */

struct fw_cfg {
	uint64_t ram_size;
	uint8_t item[FW_CFG_ITEM_MAX]; /* the selected item's bytes */
	unsigned length, offset;       /* its length, and the next byte to read */
};

/* The item a key names, into f->item; an unknown key is empty (reads 0). */
static void fw_cfg_select(struct fw_cfg *f, uint16_t key)
{
	memset(f->item, 0, sizeof(f->item));
	f->offset = 0;
	f->length = 0;
	switch (key & ~FW_CFG_WRITE_CHANNEL) {
	case FW_CFG_SIGNATURE:
		memcpy(f->item, FW_CFG_SIGNATURE_VALUE, 4);
		f->length = 4;
		break;
	case FW_CFG_ID:
		le_put(f->item, FW_CFG_ID_TRADITIONAL, 4);
		f->length = 4;
		break;
	case FW_CFG_RAM_SIZE:
		le_put(f->item, f->ram_size, 8);
		f->length = 8;
		break;
	case FW_CFG_NB_CPUS:
	case FW_CFG_MAX_CPUS:
		le_put(f->item, 1, 2);
		f->length = 2;
		break;
	case FW_CFG_FILE_DIR:
		f->length = 4; /* a big-endian count of 0 files */
		break;
	default:
		break;
	}
}

static uint32_t fw_cfg_read(void *state, uint16_t port, unsigned size)
{
	struct fw_cfg *f = state;
	if (port != FW_CFG_DATA_PORT || size != 1)
		return io_bus_floating(size);
	return f->offset < f->length ? f->item[f->offset++] : 0;
}

static void fw_cfg_write(void *state, uint16_t port, unsigned size, uint32_t value)
{
	if (port == FW_CFG_SELECTOR_PORT && size == 2)
		fw_cfg_select(state, (uint16_t)value);
}

static const struct io_device fw_cfg = {
	.name = "fw-cfg",
	.read = fw_cfg_read,
	.write = fw_cfg_write,
};

bool fw_cfg_attach(struct vm *vm)
{
	struct fw_cfg *f = vm_device_state(vm, sizeof(*f));
	if (!f)
		return false;
	f->ram_size = vm->mem_size;
	fw_cfg_select(f, FW_CFG_SIGNATURE); /* QEMU's reset selects the signature */
	return io_bus_add(&vm->bus, &fw_cfg, f, FW_CFG_SELECTOR_PORT, 2);
}
