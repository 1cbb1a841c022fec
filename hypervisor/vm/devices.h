/*
 * The virtual devices of a VM, one file each, registered in vm/vm_devices.c.
 * A vexit test guest gets (ports documented in docs/guest-abi.md):
 *  - debug port 0xE9 (dev_debug_port.c): bytes written form lines, forwarded as
 *    protocol lines; reads return 0xE9, as on Bochs, so a guest can detect it;
 *  - exit port 0xF4 (dev_exit_port.c): a write ends the VM with the written
 *    value as its status;
 *  - test device 0x5000-0x500F (dev_test.c): registers the io tests read back.
 * An external kernel gets the PC devices it expects (docs/external-kernels.md):
 *  - a 16550A UART at COM1 (dev_uart.c): its output becomes console lines;
 *  - isa-debug-exit at 0xF4 (dev_isa_debug_exit.c): a write ends the VM, as under QEMU;
 *  - the ACPI PM1a control port 0x604 (dev_power_off.c): 0x2000 powers off;
 *  - QEMU's fw_cfg at 0x510/0x511 (dev_fw_cfg.c): signature, CPU count 1, RAM size;
 *  - the ACPI PM timer at 0x608 (dev_pm_timer.c), which the FADT (vm/acpi_tables.h) names;
 *  - the 8259A pair at 0x20 and 0xA0 (dev_pic.c, vm/pic.h) and the 8254's counter 0 at 0x40
 *    and 0x43 (dev_pit.c, vm/pit.h), whose output is IRQ0, as firmware leaves them.
 * Each attach function takes its state from vm_device_state() and adds the
 * device to vm->bus; false when either has no room.
 */
#ifndef VEXIT_DEVICES_H
#define VEXIT_DEVICES_H

#include <stdbool.h>
#include <stdint.h>

#include "include/vexit_abi.h"
#include "vm/guest_line.h"

#define DEBUG_PORT VEXIT_DEBUG_PORT
#define EXIT_PORT VEXIT_EXIT_PORT
#define TEST_DEVICE_PORT VEXIT_TEST_DEVICE
#define TEST_DEVICE_PORTS 16
/* Offsets inside the test device. */
#define TEST_DEVICE_LATCH 0x0    /* 4 bytes, read/write */
#define TEST_DEVICE_INVERTED 0x4 /* 4 bytes, read-only: the latch, bitwise inverted */
#define TEST_DEVICE_ID 0x8       /* 4 bytes, read-only: "VXT1" */
#define TEST_DEVICE_ACCESSES 0xc /* 4 bytes, read-only: accesses to the device so far, this one excluded */
#define TEST_DEVICE_ID_VALUE VEXIT_TEST_ID_VALUE
/* The longest guest line; a longer one is split (vm/guest_line.h). */
#define DEBUG_LINE_MAX GUEST_LINE_MAX

/* The 16550A UART: COM1's ports, its registers by offset, and their bits (PC16550D datasheet). */
#define UART_COM1_PORT 0x3f8
#define UART_PORTS 8
#define UART_RBR 0 /* read: receive buffer; write: THR; with LCR.DLAB: divisor latch low */
#define UART_THR 0
#define UART_IER 1 /* with LCR.DLAB: divisor latch high */
#define UART_IIR 2 /* read: interrupt identification; write: FCR */
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7
#define UART_LCR_DLAB 0x80
#define UART_IIR_NO_INTERRUPT 0x01
#define UART_IIR_FIFOS 0xc0
#define UART_FCR_ENABLE 0x01
#define UART_MCR_LOOP 0x10
#define UART_LSR_DR 0x01
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40
#define UART_MSR_CTS 0x10
#define UART_MSR_DSR 0x20
#define UART_MSR_DCD 0x80
#define ISA_DEBUG_EXIT_PORT 0xf4
#define POWER_OFF_PORT 0x604
/* The ACPI PM1a event block (not implemented: its ports float) and the PM timer, at QEMU's PC addresses. */
#define PM1A_EVT_PORT 0x600
#define PM_TIMER_PORT 0x608
#define PM_TIMER_HZ 3579545u /* the ACPI PM timer's frequency (ACPI 6.5, 4.8.3.3) */
/* QEMU's fw_cfg, port form (QEMU docs/specs/fw_cfg.rst): selector (16-bit writes) and data (byte reads). */
#define FW_CFG_SELECTOR_PORT 0x510
#define FW_CFG_DATA_PORT 0x511
#define FW_CFG_SIGNATURE 0x00
#define FW_CFG_ID 0x01
#define FW_CFG_RAM_SIZE 0x03
#define FW_CFG_NB_CPUS 0x05
#define FW_CFG_MAX_CPUS 0x0f
#define FW_CFG_FILE_DIR 0x19
#define FW_CFG_WRITE_CHANNEL 0x4000 /* a key bit that asks for writing, which this device ignores */
#define FW_CFG_SIGNATURE_VALUE "QEMU"
#define FW_CFG_ID_TRADITIONAL 1 /* ID bit 0: the port interface; bit 1 (DMA) clear */

struct vm;

bool debug_port_attach(struct vm *vm);
bool exit_port_attach(struct vm *vm);
bool test_device_attach(struct vm *vm);
bool uart_attach(struct vm *vm);
bool isa_debug_exit_attach(struct vm *vm);
bool power_off_attach(struct vm *vm);
bool fw_cfg_attach(struct vm *vm);
bool pm_timer_attach(struct vm *vm);
bool pic_attach(struct vm *vm); /* vm/pic.h */
bool pit_attach(struct vm *vm); /* vm/pit.h */
/* Bring the VM's PIT up to its guest time: IRQ0's edges since the last sync go to the PIC (the vCPU
 * is kicked), and its next edge becomes the PIT's wake-up (guest_time_set_wake). No PIT: nothing. */
void pit_sync(struct vm *vm);
/* The PM timer's 32-bit count after `guest_ticks` of guest time. */
uint32_t pm_timer_count(uint64_t guest_ticks);

#endif
