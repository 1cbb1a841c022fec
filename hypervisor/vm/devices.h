/*
 * The virtual devices every VM gets (ports documented in docs/guest-abi.md), one
 * file each, registered in vm/vm_devices.c:
 *  - debug port 0xE9 (dev_debug_port.c): bytes written form lines, forwarded as
 *    protocol lines; reads return 0xE9, as on Bochs, so a guest can detect it;
 *  - exit port 0xF4 (dev_exit_port.c): a write ends the VM with the written
 *    value as its status;
 *  - test device 0x5000-0x500F (dev_test.c): registers the io tests read back.
 * Each attach function takes its state from vm_device_state() and adds the
 * device to vm->bus; false when either has no room.
 */
#ifndef VEXIT_DEVICES_H
#define VEXIT_DEVICES_H

#include <stdbool.h>

#include "include/vexit_abi.h"

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
/* The longest guest line; a longer one is split. */
#define DEBUG_LINE_MAX 200

struct vm;

bool debug_port_attach(struct vm *vm);
bool exit_port_attach(struct vm *vm);
bool test_device_attach(struct vm *vm);

/* A guest line must stay one printable protocol line: control and non-ASCII bytes become '?'. */
char debug_port_printable(char c);

#endif
