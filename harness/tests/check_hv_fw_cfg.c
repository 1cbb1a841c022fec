/*
 * Unit tests of QEMU's fw_cfg as an external kernel's VM gets it
 * (vm/dev_fw_cfg.c), reached only through the bus as the I/O exit handler
 * reaches it, and read the way kvm-unit-tests' lib/x86/fwcfg.c reads it: a
 * 16-bit OUT of the key to 0x510, then byte INs from 0x511, low byte first.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "run_suite.h"
#include "vm/devices.h"
#include "vm/io_bus.h"
#include "vm/vm.h"

static struct vm *vm;

static void setup_with(uint64_t mem_size, enum vm_kind kind)
{
	vm = calloc(1, sizeof(*vm));
	ck_assert_ptr_nonnull(vm);
	strcpy(vm->name, "kut");
	vm->kind = kind;
	vm->mem_size = mem_size;
	const char *failed = NULL;
	ck_assert(vm_attach_devices(vm, &failed));
}

static void setup(void)
{
	setup_with(VM_MEM_EXTERNAL_DEFAULT, VM_EXTERNAL_KERNEL);
}

static void teardown(void)
{
	free(vm);
	vm = NULL;
}

static void select_key(uint16_t key)
{
	io_bus_write(&vm->bus, FW_CFG_SELECTOR_PORT, 2, key);
}

static uint8_t data(void)
{
	return (uint8_t)io_bus_read(&vm->bus, FW_CFG_DATA_PORT, 1);
}

/* kvm-unit-tests' fwcfg_get_u(key, bytes). */
static uint64_t get(uint16_t key, unsigned bytes)
{
	select_key(key);
	uint64_t v = 0;
	for (unsigned i = 0; i < bytes; i++)
		v |= (uint64_t)data() << (8 * i);
	return v;
}

START_TEST(test_placement)
{
	const struct io_bus_entry *e = io_bus_find(&vm->bus, FW_CFG_SELECTOR_PORT);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->dev->name, "fw-cfg");
	ck_assert_uint_eq(e->port_count, 2);
	ck_assert_ptr_eq(io_bus_find(&vm->bus, FW_CFG_DATA_PORT), e);
	ck_assert_ptr_null(io_bus_find(&vm->bus, FW_CFG_DATA_PORT + 1));
	/* A vexit test guest has no fw_cfg. */
	teardown();
	setup_with(GUEST_MEM_SIZE, VM_TEST_GUEST);
	ck_assert_ptr_null(io_bus_find(&vm->bus, FW_CFG_SELECTOR_PORT));
}
END_TEST

START_TEST(test_signature_and_id)
{
	char sig[5] = { 0 };
	select_key(FW_CFG_SIGNATURE);
	for (unsigned i = 0; i < 4; i++)
		sig[i] = (char)data();
	ck_assert_str_eq(sig, "QEMU");
	ck_assert_uint_eq(data(), 0); /* past the end: 0 */
	ck_assert_uint_eq(get(FW_CFG_ID, 4), 1); /* the port interface, no DMA */
}
END_TEST

START_TEST(test_signature_selected_at_reset)
{
	ck_assert_uint_eq(data(), 'Q');
	ck_assert_uint_eq(data(), 'E');
}
END_TEST

/* The count kvm-unit-tests' smp_init waits for: without it, "waiting for 65534 APs". */
START_TEST(test_cpu_count)
{
	ck_assert_uint_eq(get(FW_CFG_NB_CPUS, 2), 1);
	ck_assert_uint_eq(get(FW_CFG_MAX_CPUS, 2), 1);
}
END_TEST

START_TEST(test_ram_size)
{
	ck_assert_uint_eq(get(FW_CFG_RAM_SIZE, 8), VM_MEM_EXTERNAL_DEFAULT);
	teardown();
	setup_with(VM_MEM_MAX, VM_EXTERNAL_KERNEL);
	ck_assert_uint_eq(get(FW_CFG_RAM_SIZE, 8), 1ull << 30);
	teardown();
	setup_with(6ull << 20, VM_EXTERNAL_KERNEL);
	ck_assert_uint_eq(get(FW_CFG_RAM_SIZE, 8), 6ull << 20);
}
END_TEST

START_TEST(test_select_rewinds)
{
	teardown();
	setup_with(64ull << 20, VM_EXTERNAL_KERNEL);
	select_key(FW_CFG_RAM_SIZE);
	ck_assert_uint_eq(data(), 0);
	ck_assert_uint_eq(data(), 0);
	ck_assert_uint_eq(data(), 0);
	ck_assert_uint_eq(data(), 0x04); /* 64 MiB = 0x04000000 */
	ck_assert_uint_eq(get(FW_CFG_RAM_SIZE, 4), 64u << 20);
	/* The write-channel bit does not change which item is read. */
	ck_assert_uint_eq(get(FW_CFG_NB_CPUS | FW_CFG_WRITE_CHANNEL, 2), 1);
}
END_TEST

START_TEST(test_unknown_and_empty_items)
{
	ck_assert_uint_eq(get(0x02, 8), 0);      /* the UUID: not given */
	ck_assert_uint_eq(get(0x8000, 8), 0);    /* arch-local keys: none */
	ck_assert_uint_eq(get(0xffff, 8), 0);    /* FW_CFG_INVALID */
	ck_assert_uint_eq(get(FW_CFG_FILE_DIR, 8), 0); /* no files */
}
END_TEST

START_TEST(test_other_widths)
{
	/* Byte and 32-bit writes to the selector are dropped: the signature stays selected. */
	io_bus_write(&vm->bus, FW_CFG_SELECTOR_PORT, 1, FW_CFG_NB_CPUS);
	io_bus_write(&vm->bus, FW_CFG_SELECTOR_PORT, 4, FW_CFG_NB_CPUS);
	ck_assert_uint_eq(data(), 'Q');
	/* Wider data reads and selector reads float without consuming a byte. */
	ck_assert_uint_eq(io_bus_read(&vm->bus, FW_CFG_DATA_PORT, 2), 0xffff);
	ck_assert_uint_eq(io_bus_read(&vm->bus, FW_CFG_DATA_PORT, 4), 0xffffffffu);
	ck_assert_uint_eq(io_bus_read(&vm->bus, FW_CFG_SELECTOR_PORT, 2), 0xffff);
	ck_assert_uint_eq(io_bus_read(&vm->bus, FW_CFG_SELECTOR_PORT, 1), 0xff);
	ck_assert_uint_eq(data(), 'E');
	/* Writes to the data port change nothing. */
	io_bus_write(&vm->bus, FW_CFG_DATA_PORT, 1, 0x55);
	ck_assert_uint_eq(data(), 'M');
}
END_TEST

static Suite *fw_cfg_suite(void)
{
	Suite *s = suite_create("hv_fw_cfg");
	TCase *tc = tcase_create("fw_cfg");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_placement);
	tcase_add_test(tc, test_signature_and_id);
	tcase_add_test(tc, test_signature_selected_at_reset);
	tcase_add_test(tc, test_cpu_count);
	tcase_add_test(tc, test_ram_size);
	tcase_add_test(tc, test_select_rewinds);
	tcase_add_test(tc, test_unknown_and_empty_items);
	tcase_add_test(tc, test_other_widths);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(fw_cfg_suite(), CK_NORMAL);
}
