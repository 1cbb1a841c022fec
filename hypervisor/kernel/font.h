/*
 * vexit's own bitmap font for the framebuffer console (kernel/fb_text.h): the
 * printable ASCII characters 0x20..0x7e, each 5 dots wide and 7 high, drawn in a
 * cell of 6 x 8 dots (one blank column and row between characters). Row r of a
 * glyph is one byte whose bit 4 is the leftmost dot and bit 0 the rightmost.
 */
#ifndef VEXIT_FONT_H
#define VEXIT_FONT_H

#include <stdint.h>

#define FONT_W 5
#define FONT_H 7
#define FONT_CELL_W 6
#define FONT_CELL_H 8
#define FONT_FIRST 0x20
#define FONT_LAST 0x7e

/* The rows of c's glyph; a byte outside FONT_FIRST..FONT_LAST gets '?'. */
const uint8_t *font_glyph(char c);

#endif
