/*
 * The console on a text screen: the VGA/EGA text buffer of a BIOS machine (80x25
 * cells at 0xB8000 unless the boot information says otherwise), two bytes a cell,
 * character then attribute. Plain C over the cells' memory, so the host tests it
 * over an ordinary array. Text goes left to right, wraps at the last column and
 * scrolls the screen up a row when it would run past the bottom.
 */
#ifndef VEXIT_VGA_TEXT_H
#define VEXIT_VGA_TEXT_H

#include <stdint.h>

#define VGA_TEXT_ADDR 0xb8000u
#define VGA_TEXT_COLS 80
#define VGA_TEXT_ROWS 25
#define VGA_TEXT_ATTR 0x07 /* light grey on black */

struct vga_text {
	volatile uint16_t *cells; /* rows * pitch_cells */
	unsigned cols, rows, pitch_cells;
	unsigned row, col;
};

/* Take over a screen of cols x rows cells, pitch_cells cells from one row to the next: blank it, cursor home. */
void vga_text_init(struct vga_text *s, volatile uint16_t *cells, unsigned cols, unsigned rows, unsigned pitch_cells);
/* Write one character: '\n' starts a new row, '\r' goes back to column 0; bytes outside 0x20..0x7e show as '?'. */
void vga_text_putc(struct vga_text *s, char c);

#endif
