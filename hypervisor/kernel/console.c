#include "kernel/console.h"

#include <stdarg.h>

#include "hw/cpu.h"
#include "kernel/fb_text.h"
#include "kernel/fmt.h"
#include "kernel/vga_text.h"

#define COM1 0x3f8
#define UART_THR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40
#define UART_LCR_DLAB 0x80
#define UART_LCR_8N1 0x03
#define DEBUG_PORT 0xe9
#define LSR_POLL_LIMIT 100000

static bool have_e9;
static bool have_com1;
/* Used only without COM1: then the screen is the console a person reads. One of the two, or neither. */
static struct vga_text screen;
static struct fb_text fb_screen;
static bool have_fb;

void console_init(void)
{
	/* 115200 8N1, FIFOs on, no interrupts. */
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, UART_LCR_DLAB);
	outb(COM1 + 0, 1);
	outb(COM1 + 1, 0);
	outb(COM1 + UART_LCR, UART_LCR_8N1);
	outb(COM1 + UART_FCR, 0xc7);
	outb(COM1 + UART_MCR, 0x03);
	/* No UART answers 0xff on its status register. */
	have_com1 = inb(COM1 + UART_LSR) != 0xff;
	/* Bochs's port_e9_hack reads back 0xe9; real hardware almost never does. */
	have_e9 = inb(DEBUG_PORT) == DEBUG_PORT;
}

void console_use_text_screen(volatile uint16_t *cells, unsigned cols, unsigned rows, unsigned pitch_cells)
{
	if (!have_com1)
		vga_text_init(&screen, cells, cols, rows, pitch_cells);
}

const char *console_use_framebuffer(volatile uint8_t *pixels, const struct mb2_framebuffer *fb)
{
	if (have_com1)
		return NULL;
	const char *why = fb_text_init(&fb_screen, pixels, fb);
	have_fb = why == NULL;
	return why;
}

bool console_has_debug_port(void)
{
	return have_e9;
}

static void com1_putc(char c)
{
	/* Bounded wait: a dead UART must not hang the hypervisor. */
	for (int i = 0; i < LSR_POLL_LIMIT; i++)
		if (inb(COM1 + UART_LSR) & UART_LSR_THRE)
			break;
	outb(COM1 + UART_THR, (uint8_t)c);
}

void console_write(const char *s, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		if (have_com1)
			com1_putc(s[i]);
		else if (have_fb)
			fb_text_putc(&fb_screen, s[i]);
		else
			vga_text_putc(&screen, s[i]);
		if (have_e9)
			outb(DEBUG_PORT, (uint8_t)s[i]);
	}
	if (have_fb)
		fb_text_sync(&fb_screen);
}

void console_drain(void)
{
	/* Wait until the last byte has left the shift register, so powering off loses nothing. */
	for (int i = 0; have_com1 && i < LSR_POLL_LIMIT; i++)
		if (inb(COM1 + UART_LSR) & UART_LSR_TEMT)
			break;
}

void kprintf(const char *f, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, f);
	int n = fmt_vsnprintf(buf, sizeof(buf), f, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	console_write(buf, (unsigned long)n);
}
