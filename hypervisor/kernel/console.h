/* The hypervisor's console: COM1 always, the Bochs debug port 0xE9 when present. */
#ifndef VEXIT_CONSOLE_H
#define VEXIT_CONSOLE_H

#include <stdbool.h>

void console_init(void);
bool console_has_debug_port(void);
void console_write(const char *s, unsigned long n);
/* Wait for the UART to send everything written so far. */
void console_drain(void);
void kprintf(const char *f, ...) __attribute__((format(printf, 1, 2)));

#endif
