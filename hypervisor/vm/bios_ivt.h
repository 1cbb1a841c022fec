/*
 * The real-mode interrupt vector table a PC's firmware leaves an external
 * kernel (IBM PC/AT BIOS layout; SeaBIOS and Bochs's BIOS keep it): 256 far
 * pointers at address 0, every one pointing at a handler in the BIOS area. The
 * legacy PIC's IRQ vectors (vm/pic.h: 0x08-0x0F, 0x70-0x77) reach a handler that
 * ends the interrupt at the PIC (a non-specific EOI to the master, and to the
 * slave first for IRQs 8-15) and returns; every other vector an IRET alone. So a
 * kernel that enables interrupts in real mode without an IVT of its own
 * (kvm-unit-tests' realmode at STI; HLT) wakes on the timer and runs on, as under
 * a BIOS. No BIOS services: INT 10h, 13h, 15h... return at once, unchanged.
 * Written before the kernel is loaded, so a kernel placed over it wins.
 * Plain C, host-tested.
 */
#ifndef VEXIT_BIOS_IVT_H
#define VEXIT_BIOS_IVT_H

#include <stdint.h>

#define BIOS_IVT_ADDR 0x0u
#define BIOS_IVT_VECTORS 256
/* The handlers: right after the ACPI tables (vm/acpi_tables.h) in the BIOS area, segment F000. */
#define BIOS_STUB_SEGMENT 0xf000u
#define BIOS_STUB_ADDR 0xf0300u
#define BIOS_STUB_IRET 0x0u        /* offsets from BIOS_STUB_ADDR: IRET */
#define BIOS_STUB_MASTER_EOI 0x1u  /* EOI to the master, IRET */
#define BIOS_STUB_SLAVE_EOI 0x8u   /* EOI to the slave, then the master, IRET */
#define BIOS_STUB_SIZE 0x11u

struct vm;

/* Write the table and its handlers into the VM's memory. NULL, or a `why=` token. */
const char *bios_ivt_write(struct vm *vm);

#endif
