/*
 * The hypervisor's console: COM1 when a UART answers there, else the screen (a
 * text screen, kernel/vga_text.h, or a graphics framebuffer, kernel/fb_text.h); and
 * the Bochs debug port 0xE9 when present.
 */
#ifndef VEXIT_CONSOLE_H
#define VEXIT_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/multiboot2.h"

void console_init(void);
/* Without COM1, write to this text screen from now on (blanked first); with COM1, nothing. */
void console_use_text_screen(volatile uint16_t *cells, unsigned cols, unsigned rows, unsigned pitch_cells);
/*
 * Without COM1, draw on this RGB framebuffer (mapped at pixels) from now on (blanked first):
 * NULL, or why it cannot be drawn on. With COM1, nothing (NULL).
 */
const char *console_use_framebuffer(volatile uint8_t *pixels, const struct mb2_framebuffer *fb);
bool console_has_debug_port(void);
void console_write(const char *s, unsigned long n);
/* Wait for the UART to send everything written so far. */
void console_drain(void);
void kprintf(const char *f, ...) __attribute__((format(printf, 1, 2)));

#endif
