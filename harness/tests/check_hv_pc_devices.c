/*
 * Unit tests of the PC devices an external kernel's VM gets (attached by
 * vm_devices.c by the VM's kind): the 16550A UART at COM1 (vm/dev_uart.c),
 * QEMU's isa-debug-exit at 0xF4 (dev_isa_debug_exit.c) and the ACPI power-off
 * port 0x604 (dev_power_off.c). Reached only through the bus, as the I/O exit
 * handler reaches them; console lines are captured from the fake kprintf.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hv_host_fakes.h"
#include "run_suite.h"
#include "vm/devices.h"
#include "vm/io_bus.h"
#include "vm/vm.h"

#define COM1 UART_COM1_PORT

static struct vm *vm;

static void setup(void)
{
	vm = calloc(1, sizeof(*vm));
	ck_assert_ptr_nonnull(vm);
	strcpy(vm->name, "kut");
	vm->kind = VM_EXTERNAL_KERNEL;
	const char *failed = NULL;
	ck_assert(vm_attach_devices(vm, &failed));
	hv_fake_output_reset();
}

static void teardown(void)
{
	free(vm);
	vm = NULL;
}

static uint8_t in(unsigned reg)
{
	return (uint8_t)io_bus_read(&vm->bus, (uint16_t)(COM1 + reg), 1);
}

static void out(unsigned reg, uint8_t v)
{
	io_bus_write(&vm->bus, (uint16_t)(COM1 + reg), 1, v);
}

static void send(const char *s)
{
	for (; *s; s++)
		out(UART_THR, (uint8_t)*s);
}

START_TEST(test_placement_by_kind)
{
	const struct io_bus_entry *e = io_bus_find(&vm->bus, COM1);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->dev->name, "uart");
	ck_assert_uint_eq(e->port_count, 8);
	ck_assert_str_eq(io_bus_find(&vm->bus, ISA_DEBUG_EXIT_PORT)->dev->name, "isa-debug-exit");
	ck_assert_str_eq(io_bus_find(&vm->bus, POWER_OFF_PORT)->dev->name, "power-off");
	/* No vexit test-guest device: the debug port and the test device float. */
	ck_assert_ptr_null(io_bus_find(&vm->bus, DEBUG_PORT));
	ck_assert_ptr_null(io_bus_find(&vm->bus, TEST_DEVICE_PORT));
	ck_assert_ptr_null(io_bus_find(&vm->bus, COM1 + 8));
	/* And a test guest has no UART. */
	struct vm *guest = calloc(1, sizeof(*guest));
	const char *failed;
	ck_assert(vm_attach_devices(guest, &failed));
	ck_assert_ptr_null(io_bus_find(&guest->bus, COM1));
	ck_assert_str_eq(io_bus_find(&guest->bus, EXIT_PORT)->dev->name, "exit-port");
	free(guest);
}
END_TEST

START_TEST(test_console_lines)
{
	send("SUMMARY: 3 tests");
	ck_assert_str_eq(hv_fake_output(), "");
	send("\r\nPASS: a\n");
	ck_assert_str_eq(hv_fake_output(), "VEXIT console kut SUMMARY: 3 tests\nVEXIT console kut PASS: a\n");
	/* Unprintable bytes become '?'; what is left without a newline comes out when the VM stops. */
	send("x\ty\x80");
	io_bus_stop(&vm->bus);
	ck_assert_str_eq(hv_fake_output(), "VEXIT console kut SUMMARY: 3 tests\nVEXIT console kut PASS: a\n"
					   "VEXIT console kut x?y?\n");
}
END_TEST

START_TEST(test_divisor_latch)
{
	out(UART_LCR, UART_LCR_DLAB | 0x03);
	out(UART_THR, 0x01); /* DLL */
	out(UART_IER, 0x02); /* DLM */
	ck_assert_uint_eq(in(UART_RBR), 0x01);
	ck_assert_uint_eq(in(UART_IER), 0x02);
	ck_assert_str_eq(hv_fake_output(), ""); /* the divisor is not data */
	out(UART_LCR, 0x03);
	ck_assert_uint_eq(in(UART_LCR), 0x03);
	ck_assert_uint_eq(in(UART_IER), 0);   /* IER is its own register again */
	out(UART_IER, 0xff);
	ck_assert_uint_eq(in(UART_IER), 0x0f); /* bits 7:4 read 0 */
	out(UART_LCR, UART_LCR_DLAB);
	ck_assert_uint_eq(in(UART_IER), 0x02); /* the divisor survived */
}
END_TEST

START_TEST(test_status_registers)
{
	ck_assert_uint_eq(in(UART_LSR), UART_LSR_THRE | UART_LSR_TEMT); /* always ready to send, nothing received */
	ck_assert_uint_eq(in(UART_IIR), UART_IIR_NO_INTERRUPT);
	out(UART_FCR, 0x07); /* enable and clear the FIFOs */
	ck_assert_uint_eq(in(UART_IIR), UART_IIR_NO_INTERRUPT | UART_IIR_FIFOS);
	out(UART_FCR, 0);
	ck_assert_uint_eq(in(UART_IIR), UART_IIR_NO_INTERRUPT);
	ck_assert_uint_eq(in(UART_MSR), UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DCD);
	out(UART_LSR, 0);
	out(UART_MSR, 0);
	ck_assert_uint_eq(in(UART_LSR), UART_LSR_THRE | UART_LSR_TEMT);
	out(UART_SCR, 0x5a);
	ck_assert_uint_eq(in(UART_SCR), 0x5a);
	out(UART_MCR, 0xff);
	ck_assert_uint_eq(in(UART_MCR), 0x1f);
	/* A 16-bit access reads two registers, low byte first; past COM1's 8 ports the bus floats. */
	ck_assert_uint_eq(io_bus_read(&vm->bus, COM1 + UART_LSR, 2), (uint32_t)(in(UART_MSR) << 8 | in(UART_LSR)));
}
END_TEST

START_TEST(test_loopback)
{
	out(UART_MCR, UART_MCR_LOOP);
	out(UART_THR, 0x55);
	ck_assert_str_eq(hv_fake_output(), ""); /* looped back, not sent */
	ck_assert_uint_eq(in(UART_LSR) & UART_LSR_DR, UART_LSR_DR);
	ck_assert_uint_eq(in(UART_RBR), 0x55);
	ck_assert_uint_eq(in(UART_LSR) & UART_LSR_DR, 0);
	/* The modem outputs drive the inputs: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD. */
	static const uint8_t mcr[] = { 0x01, 0x02, 0x04, 0x08, 0x0f };
	static const uint8_t msr[] = { 0x20, 0x10, 0x40, 0x80, 0xf0 };
	for (unsigned i = 0; i < sizeof(mcr); i++) {
		out(UART_MCR, UART_MCR_LOOP | mcr[i]);
		ck_assert_uint_eq(in(UART_MSR), msr[i]);
	}
	out(UART_MCR, 0);
	out(UART_THR, 'k');
	out(UART_THR, '\n');
	ck_assert_str_eq(hv_fake_output(), "VEXIT console kut k\n");
}
END_TEST

/* What Linux's 8250 driver checks before it takes the port as a 16550A (autoconfig). */
START_TEST(test_linux_8250_probe)
{
	/* IER: writable low nibble. */
	out(UART_IER, 0);
	ck_assert_uint_eq(in(UART_IER) & 0x0f, 0);
	out(UART_IER, 0x0f);
	ck_assert_uint_eq(in(UART_IER) & 0x0f, 0x0f);
	out(UART_IER, 0);
	/* Loopback with RTS and OUT2: CTS and DCD, nothing else. */
	out(UART_MCR, UART_MCR_LOOP | 0x0a);
	ck_assert_uint_eq(in(UART_MSR) & 0xf0, 0x90);
	out(UART_MCR, 0);
	/* FIFOs on: IIR bits 7:6 both set, a 16550A. */
	out(UART_FCR, UART_FCR_ENABLE);
	ck_assert_uint_eq(in(UART_IIR) >> 6, 3);
	/* The scratch register holds a value. */
	out(UART_SCR, 0xa5);
	ck_assert_uint_eq(in(UART_SCR), 0xa5);
}
END_TEST

START_TEST(test_isa_debug_exit)
{
	ck_assert_uint_eq(io_bus_read(&vm->bus, ISA_DEBUG_EXIT_PORT, 1), 0xff); /* reads float */
	io_bus_write(&vm->bus, ISA_DEBUG_EXIT_PORT, 1, 0);
	ck_assert_int_eq(vm->stop, VM_STOP_DONE);
	ck_assert_str_eq(vm->stop_fields, "status=0 exit-code=1"); /* kvm-unit-tests: all passed */
	io_bus_write(&vm->bus, ISA_DEBUG_EXIT_PORT, 1, 5);
	ck_assert_str_eq(vm->stop_fields, "status=0 exit-code=1"); /* the first stop wins */
}
END_TEST

START_TEST(test_isa_debug_exit_widths)
{
	io_bus_write(&vm->bus, ISA_DEBUG_EXIT_PORT, 4, 0x81);
	ck_assert_str_eq(vm->stop_fields, "status=129 exit-code=3"); /* (0x81 << 1 | 1) & 0xff */
	teardown();
	setup();
	io_bus_write(&vm->bus, ISA_DEBUG_EXIT_PORT, 1, 0x1ff);
	ck_assert_str_eq(vm->stop_fields, "status=255 exit-code=255");
	teardown();
	setup();
	io_bus_write(&vm->bus, ISA_DEBUG_EXIT_PORT, 2, 0x12345);
	ck_assert_str_eq(vm->stop_fields, "status=9029 exit-code=139");
}
END_TEST

START_TEST(test_power_off)
{
	/* A byte at a time, other sleep types, SLP_EN clear: nothing. */
	io_bus_write(&vm->bus, POWER_OFF_PORT, 1, 0x00);
	io_bus_write(&vm->bus, POWER_OFF_PORT + 1, 1, 0x20);
	io_bus_write(&vm->bus, POWER_OFF_PORT, 2, 0x2400);
	io_bus_write(&vm->bus, POWER_OFF_PORT, 2, 0x1c00);
	io_bus_write(&vm->bus, POWER_OFF_PORT, 2, 0x0000);
	ck_assert_int_eq(vm->stop, VM_RUNNING);
	io_bus_write(&vm->bus, POWER_OFF_PORT, 2, 0x2000);
	ck_assert_int_eq(vm->stop, VM_STOP_POWER_OFF);
	ck_assert_str_eq(vm_stop_name(vm->stop), "power-off");
	ck_assert_str_eq(vm->stop_fields, "value=0x2000");
}
END_TEST

START_TEST(test_device_state_fits)
{
	/* The devices' state fits the arena with room to spare for the next ones (the APIC...). */
	ck_assert_uint_le(vm->device_state_used, VM_DEVICE_STATE_MAX / 2);
}
END_TEST

static Suite *pc_devices_suite(void)
{
	Suite *s = suite_create("hv_pc_devices");
	TCase *tc = tcase_create("pc_devices");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_placement_by_kind);
	tcase_add_test(tc, test_console_lines);
	tcase_add_test(tc, test_divisor_latch);
	tcase_add_test(tc, test_status_registers);
	tcase_add_test(tc, test_loopback);
	tcase_add_test(tc, test_linux_8250_probe);
	tcase_add_test(tc, test_isa_debug_exit);
	tcase_add_test(tc, test_isa_debug_exit_widths);
	tcase_add_test(tc, test_power_off);
	tcase_add_test(tc, test_device_state_fits);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(pc_devices_suite(), CK_NORMAL);
}
