/*
 * What a framebuffer screen showed, read from a picture of it: the text the
 * kernel's framebuffer console (hypervisor/kernel/fb_text.h) drew, recognised
 * cell by cell against vexit's font (hypervisor/kernel/font.h). The picture is a
 * binary PPM (P6, 8 bits a channel), as QEMU's `screendump` writes it; the QEMU
 * lane judges the text as it would a COM1 capture (docs/protocol.md, "The screen").
 */
#ifndef VEXIT_HARNESS_SCREEN_PIXELS_H
#define VEXIT_HARNESS_SCREEN_PIXELS_H

#include <stddef.h>

/*
 * The screen's text (screen_text.h's lines), or NULL with why in err: not a P6
 * picture, or no scale (1 to FB_TEXT_MAX_SCALE) at which every cell of the grid is
 * one of the font's characters, white on black, and some cell is not blank. The
 * caller frees it.
 */
char *screen_pixels_text(const unsigned char *ppm, size_t len, char *err, size_t err_len);

#endif
