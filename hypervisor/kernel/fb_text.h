/*
 * The console on a graphics framebuffer: the linear RGB framebuffer a UEFI machine's
 * GRUB hands over (multiboot2 framebuffer tag, type 1), where there is no text mode
 * to write characters into. The characters go into a text screen in memory
 * (kernel/vga_text.h: the same wrapping and scrolling as on a VGA), and
 * fb_text_sync draws each cell that changed since, with vexit's own font
 * (kernel/font.h): white dots on black, each font dot a square of `scale` pixels.
 * Plain C over the framebuffer's bytes: the host tests draw into an array.
 */
#ifndef VEXIT_FB_TEXT_H
#define VEXIT_FB_TEXT_H

#include <stdint.h>

#include "kernel/multiboot2.h"
#include "kernel/vga_text.h"

/* The text grid's limits: a 4K screen at scale 1 uses the top-left 256 x 128 cells. */
#define FB_TEXT_MAX_COLS 256
#define FB_TEXT_MAX_ROWS 128
#define FB_TEXT_MAX_SCALE 4
/* The smallest grid a scale must leave; the largest scale that leaves it is used. */
#define FB_TEXT_MIN_COLS 80
#define FB_TEXT_MIN_ROWS 25

struct fb_text {
	volatile uint8_t *pixels;
	uint32_t pitch, width, height;
	unsigned bytes_pp;  /* 2, 3 or 4 */
	uint32_t white;     /* the pixel value with every bit of red, green and blue set */
	unsigned scale;
	struct vga_text text; /* over cells[] */
	uint16_t cells[FB_TEXT_MAX_COLS * FB_TEXT_MAX_ROWS];
	uint16_t drawn[FB_TEXT_MAX_COLS * FB_TEXT_MAX_ROWS]; /* what the framebuffer shows */
};

/* The scale a width x height screen gets: FB_TEXT_MIN_COLS x FB_TEXT_MIN_ROWS cells or more, 1 at least. */
unsigned fb_text_scale(uint32_t width, uint32_t height);
/*
 * Take over the RGB framebuffer `fb` at `pixels` (its addr, mapped): check its
 * description, blank it, cursor home. NULL, or why it cannot be drawn on
 * (then nothing was written).
 */
const char *fb_text_init(struct fb_text *s, volatile uint8_t *pixels, const struct mb2_framebuffer *fb);
/* One character into the text (vga_text_putc's rules); drawn at the next fb_text_sync. */
void fb_text_putc(struct fb_text *s, char c);
/* Draw every cell whose character changed since it was last drawn. */
void fb_text_sync(struct fb_text *s);

#endif
